//! Metrics of small flows written in the DSL, each with its hand computation beside it: the
//! whole pipeline (parse → lower → analyse) against the definitions of docs/metrics.md.

use nagare::graph::{Analysis, Settings, analyze};
use nagare::{CompileOptions, compile};

const EPS: f64 = 1e-6;

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < EPS,
        "{what}: expected {expected}, got {actual}"
    );
}

/// Compiles `source` (which must have no errors) and analyses it with default settings.
fn analyse(source: &str) -> Analysis {
    let c = compile(source, &CompileOptions::default());
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    analyze(&c.model, &Settings::default())
}

/// Returns v(s) by step id.
fn v(a: &Analysis, source: &str, id: &str) -> f64 {
    let c = compile(source, &CompileOptions::default());
    let step = c.model.step_by_name(id).expect("step exists");
    a.step_visits[step]
}

const SEQUENCE: &str = "\
業務: 順番
件数: 1200/年
担当:
  住民: 住民
  窓口: 職員
  審査: 職員
流れ:
  S1 住民: 申請書を書く [10分]
  S2 窓口: 受け付ける [5分]
  S3 審査: 審査する [20分, 待ち 1時間]
";

#[test]
fn sequence() {
    let a = analyse(SEQUENCE);
    let m = &a.metrics;
    // Work 10 + 5 + 20 = 35, lead 35 + 60 = 95, two handoffs, staff 25 min × 1200 / 60 = 500 h.
    assert_eq!(m.steps.structural, 3);
    close(m.process_time_minutes.total, 35.0, "process");
    close(m.lead_time_minutes, 95.0, "lead");
    close(m.wait_minutes.total, 60.0, "wait");
    close(m.activity_ratio, 35.0 / 95.0, "activity");
    assert_eq!(m.handoffs.structural, 2);
    close(
        m.staff_hours_per_year.expect("volume given"),
        500.0,
        "staff h",
    );
    close(m.fte.expect("volume given"), 500.0 / 1920.0, "fte");
}

#[test]
fn handoffs_and_matrix() {
    let src = "\
業務: 引継ぎ
担当:
  A: 職員
  B: 職員
  C: 外部
流れ:
  A: 一 [1分]
  B: 二 [1分]
  A: 三 [1分]
  A: 四 [1分]
  C: 五 [1分]
";
    let m = analyse(src).metrics;
    // A→B, B→A, A→C: three; the matrix in actor order.
    assert_eq!(m.handoffs.structural, 3);
    close(m.handoffs.expected, 3.0, "handoffs");
    let cells: Vec<(String, String, usize)> = m
        .handoffs
        .matrix
        .iter()
        .map(|c| (c.from.clone(), c.to.clone(), c.count))
        .collect();
    assert_eq!(
        cells,
        vec![
            ("A".into(), "B".into(), 1),
            ("A".into(), "C".into(), 1),
            ("B".into(), "A".into(), 1)
        ]
    );
}

const SEND_BACK: &str = "\
業務: 差戻し
担当:
  住民: 住民
  窓口: 職員
流れ:
  S1 住民: 記入する [10分]
  S2 窓口: 確認する [5分]
    もし 不備あり 10%: → S1
  S3 窓口: 審査する [20分]
";

#[test]
fn ten_percent_send_back() {
    let a = analyse(SEND_BACK);
    // v(S1) = v(S2) = 1/0.9, v(S3) = 1.
    close(v(&a, SEND_BACK, "S1"), 1.0 / 0.9, "v(S1)");
    close(v(&a, SEND_BACK, "S2"), 1.0 / 0.9, "v(S2)");
    close(v(&a, SEND_BACK, "S3"), 1.0, "v(S3)");
    // T(S1) = 10 + T(S2), T(S2) = 5 + 0.1·T(S1) + 0.9·20 → (15 + 18) / 0.9.
    close(a.metrics.lead_time_minutes, 33.0 / 0.9, "lead");
    // 住民→窓口 1/0.9 and 窓口→住民 0.1/0.9.
    close(a.metrics.handoffs.expected, 1.1 / 0.9, "handoffs");
    close(
        a.metrics.handwriting.steps.expected,
        0.0,
        "no form declared",
    );
}

#[test]
fn nested_send_backs() {
    let src = "\
業務: 二重ループ
担当:
  係: 職員
流れ:
  S1 係: 一 [1分]
  S2 係: 二 [2分]
  S3 係: 三 [3分]
    もし やり直し 50%: → S2
  S4 係: 四 [4分]
    もし 差戻し 20%: → S1
";
    let a = analyse(src);
    // v(S1) = 1/0.8 = 1.25; v(S2) = v(S3) = 1.25 / 0.5 = 2.5; v(S4) = 1.25.
    for (id, expected) in [("S1", 1.25), ("S2", 2.5), ("S3", 2.5), ("S4", 1.25)] {
        close(v(&a, src, id), expected, id);
    }
    // Σ v·work = 1.25 + 5 + 7.5 + 5 = 18.75 = the lead time (no waits).
    close(a.metrics.process_time_minutes.total, 18.75, "process");
    close(a.metrics.lead_time_minutes, 18.75, "lead");
}

#[test]
fn three_way_decision() {
    let src = "\
業務: 三分岐
担当:
  係: 職員
流れ:
  D1 係: 判定する [判断, 2分]
    もし 軽微 50%:
      S2 係: A [10分]
    もし 中程度 30%:
      S3 係: B [20分]
    それ以外:
      S4 係: C [40分]
  S5 係: 通知する [1分]
";
    let a = analyse(src);
    close(v(&a, src, "S2"), 0.5, "v(A)");
    close(v(&a, src, "S3"), 0.3, "v(B)");
    close(v(&a, src, "S4"), 0.2, "v(C)");
    // 2 + 0.5·10 + 0.3·20 + 0.2·40 + 1 = 22.
    close(a.metrics.lead_time_minutes, 22.0, "lead");
    assert_eq!(a.metrics.decisions.structural, 1);
    close(a.metrics.steps.expected, 3.0, "Σv");
}

#[test]
fn parallel_block_takes_longest_branch() {
    let src = "\
業務: 並行
担当:
  税務課: 職員
  市民課: 職員
流れ:
  S0 税務課: 受け付ける [5分]
  並行:
    分岐 税:
      S1 税務課: 課税を確認する [30分]
      S2 税務課: 記録する [20分]
    分岐 住記:
      S3 市民課: 住民記録を確認する [100分]
  S9 税務課: 決定する [5分]
";
    let a = analyse(src);
    // Every branch runs once; S9 runs once (not once per branch).
    for id in ["S0", "S1", "S2", "S3", "S9"] {
        close(v(&a, src, id), 1.0, id);
    }
    // Lead 5 + max(50, 100) + 5 = 110; process 160.
    close(a.metrics.lead_time_minutes, 110.0, "lead");
    close(a.metrics.process_time_minutes.total, 160.0, "process");
    close(a.metrics.wait_minutes.total, 0.0, "wait");
}

#[test]
fn two_separate_visits() {
    let src = "\
業務: 二回来庁
担当:
  住民: 住民
  窓口: 職員
  審査: 職員
  交付窓口: 職員
流れ:
  S1 住民: 申請に来庁する [来庁, 5分, 待ち 15分]
  S2 窓口: 受け付ける [5分]
  S3 審査: 審査する [30分]
  S4 住民: 受け取りに来庁する [来庁, 2分, 待ち 10分]
  S5 交付窓口: 交付する [3分]
";
    let m = analyse(src).metrics;
    close(m.visits.expected, 2.0, "visits");
    assert_eq!(m.counters, 2);
    // Work 5 + 2; waiting while present 15 + 5 + 10 + 3; travel 2 × 30 → 100.
    close(m.resident_burden_minutes.work, 7.0, "work");
    close(m.resident_burden_minutes.wait, 33.0, "wait");
    close(m.resident_burden_minutes.total, 100.0, "burden");
}

#[test]
fn field_written_twice() {
    let src = "\
業務: 重複記入
担当:
  住民: 住民
書類:
  申請書: 紙 [氏名, 住所]
  届出書: データ [氏名, 住所, 電話]
流れ:
  S1 住民: 申請書を書く [10分, 記入=申請書]
  S2 住民: 届出書を書く [10分, 記入=届出書]
";
    let m = analyse(src).metrics;
    // 2 + 3 fields written, 2 of them on paper; 氏名 and 住所 written twice → 2 repeats.
    assert_eq!(m.handwriting.fields.structural, 5);
    assert_eq!(m.handwriting.fields_on_paper, 2);
    assert_eq!(m.duplicate_entry.repeated, 2);
    assert_eq!(m.duplicate_entry.total, 2);
}

#[test]
fn transcription_from_paper_into_a_system() {
    let src = "\
業務: 転記
件数: 100/年
担当:
  住民: 住民
  税務担当: 職員
  税務システム: システム
書類:
  廃車申告書: 紙 [氏名, 車両番号]
流れ:
  S1 住民: 記入する [10分, 記入=廃車申告書]
  S2 税務担当: 入力する [8分, 転記 廃車申告書→税務システム]
";
    let m = analyse(src).metrics;
    assert_eq!(m.transcriptions.structural, 1);
    assert_eq!(m.transcriptions.from_paper, 1);
    assert_eq!(m.systems.names, vec!["税務システム"]);
    // Both steps touch paper (the form; the re-keying reads it): 2.
    assert_eq!(m.paper_touchpoints.structural, 2);
    close(
        m.per_year.expect("volume given").transcriptions,
        100.0,
        "per year",
    );
}

#[test]
fn gov_held_attachment() {
    let src = "\
業務: 添付
担当:
  住民: 住民
  窓口: 職員
書類:
  住民票の写し: 紙, 行政保有 [氏名, 住所, 世帯]
  診断書: 紙
流れ:
  S1 住民: 書類を添付して郵送する [郵送, 5分, 添付=住民票の写し, 添付=診断書]
  S2 窓口: 確認する [5分, 押印]
";
    let m = analyse(src).metrics;
    assert_eq!(m.attachments.total, 2);
    assert_eq!(m.attachments.gov_held, 1);
    // The three fields the city already holds are asked for.
    assert_eq!(m.duplicate_entry.gov_held, 3);
    assert_eq!(m.seals.structural, 1);
    close(m.visits.expected, 0.0, "mailed: no visit");
    assert!(!m.digital_completion);
}

#[test]
fn online_path_gives_digital_completion() {
    let src = "\
業務: 電子申請
担当:
  住民: 住民
  電子申請: システム
流れ:
  D1 住民: 申請方法を選ぶ [判断]
    もし オンライン 60%:
      S2 住民: オンラインで申請する [電子, 10分]
    それ以外:
      S3 住民: 窓口で申請する [来庁, 20分]
  S4 電子申請: 受理する
";
    let m = analyse(src).metrics;
    assert!(m.digital_completion);
    close(m.visits.expected, 0.4, "visits");
    // Executions 1 + 0.6 + 0.4 + 1 = 3; by the system actor 1 → 1/3.
    close(m.automation_rate, 1.0 / 3.0, "automation");
}

// ---------------------------------------------------------------------------------------------
// Held-out style cases: trial flows written by a new user (tests/fixtures/trial/), every metric
// of DOMAIN.md §4 computed by hand in the comments and compared with the pipeline's numbers.

/// Compares with a tolerance fitted to numbers rounded to 6 decimals.
fn near(actual: f64, expected: f64, what: &str) {
    let tolerance = 2e-6_f64.max(expected.abs() * 1e-9);
    assert!(
        (actual - expected).abs() < tolerance,
        "{what}: expected {expected}, got {actual}"
    );
}

/// 児童手当 認定請求 (As-Is): full-width ids and punctuation, a BOM and CRLF line endings, a
/// 15% send-back to the resident and a 5% rejection branch that ends the case.
#[test]
fn trial_jidou_teate_as_is_by_hand() {
    let src = include_str!("fixtures/trial/jidou-teate/as-is.flow");
    let a = analyse(src);
    let m = &a.metrics;
    // v: S1 = 1 + 0.15·v(S1) → 1/0.85; S2, S3 the same; S4 = 0.85/0.85 = 1; S5 = 1;
    // S6 = 0.05; S7, S8, S9 = 0.95.
    let r = 1.0 / 0.85;
    for (id, e) in [
        ("S1", r),
        ("S3", r),
        ("S4", 1.0),
        ("S6", 0.05),
        ("S9", 0.95),
    ] {
        near(v(&a, src, id), e, id);
    }
    // Steps: S1..S9 (the end is not a step); Σv = 3r + 1 + 1 + 0.05 + 3·0.95.
    assert_eq!(m.steps.structural, 9);
    near(m.steps.expected, 3.0 * r + 2.05 + 2.85, "Σv");
    assert_eq!(m.steps.by_actor_kind.resident.structural, 2);
    assert_eq!(m.steps.by_actor_kind.staff.structural, 6);
    assert_eq!(m.steps.by_actor_kind.system.structural, 1);
    // Decisions: S3 (two ways out) and S5 (判断): r + 1.
    assert_eq!(m.decisions.structural, 2);
    near(m.decisions.expected, r + 1.0, "decisions");
    // Handoffs: S2→S3 (r), S3→S1 (0.15r), S3→S4 (1), S5→S7, S7→S8, S8→S9 (0.95 each).
    // Between people: without the two edges touching the system.
    assert_eq!(m.handoffs.structural, 6);
    near(m.handoffs.expected, 1.15 * r + 1.0 + 3.0 * 0.95, "handoffs");
    assert_eq!(m.handoffs.between_people.structural, 4);
    near(
        m.handoffs.between_people.expected,
        1.15 * r + 1.0 + 0.95,
        "people",
    );
    // Paper: S1 (紙, fills a paper form), S2 (attaches paper), S3 (reads it), S4 (re-keys it),
    // S5 (reads the income certificate), S7 (紙), S8 (produces a printed notice) = 7.
    // S6 and S9 are mail without a document: not paper touchpoints.
    assert_eq!(m.paper_touchpoints.structural, 7);
    near(
        m.paper_touchpoints.expected,
        3.0 * r + 2.0 + 2.0 * 0.95,
        "paper",
    );
    // One visit per submission (S1 is at home, S2 is 来庁): r; one counter (窓口).
    assert_eq!(m.visits.structural, 1);
    near(m.visits.expected, r, "visits");
    assert_eq!(m.counters, 1);
    // The resident writes the 5 fields of the claim form, on paper.
    assert_eq!(m.handwriting.fields.structural, 5);
    near(m.handwriting.fields.expected, 5.0 * r, "fields");
    assert_eq!(m.handwriting.fields_on_paper, 5);
    // Duplicate entry: nothing written twice; the income certificate is gov-held (1 field).
    assert_eq!(m.duplicate_entry.repeated, 0);
    assert_eq!(m.duplicate_entry.gov_held, 1);
    assert_eq!(m.duplicate_entry.total, 1);
    // Re-keying: S4 from paper, by a person, once per case.
    assert_eq!(m.transcriptions.structural, 1);
    assert_eq!(m.transcriptions.from_paper, 1);
    near(m.transcriptions.by_people.expected, 1.0, "re-keying");
    // Seal at S7 (0.95 per case); three attachments, one gov-held; one system, no switch.
    assert_eq!(m.seals.structural, 1);
    near(m.seals.expected, 0.95, "seals");
    assert_eq!((m.attachments.total, m.attachments.gov_held), (3, 1));
    assert_eq!(m.systems.distinct, 1);
    near(m.systems.switches.expected, 0.0, "switches");
    // Process time: r·(15 + 0 + 5) + 12 + 10 + 0.05·10 + 0.95·(3 + 1 + 5) = 54.579412.
    // Resident 15r; staff 5r + 12 + 10 + 0.5 + 0.95·(3 + 5); system 0.95.
    let process = 20.0 * r + 22.0 + 0.5 + 0.95 * 9.0;
    near(m.process_time_minutes.total, process, "process");
    near(m.process_time_minutes.resident, 15.0 * r, "resident");
    let staff = 5.0 * r + 22.5 + 0.95 * 8.0;
    near(m.process_time_minutes.staff, staff, "staff");
    near(m.process_time_minutes.automated, 0.95, "automated");
    // Lead time: T(S9) = 5, T(S8) = 6, T(S7) = 3 + 2·1440 + 6 = 2889, T(S6) = 10,
    // T(S5) = 10 + 0.05·10 + 0.95·2889 = 2755.05, T(S4) = 2767.05,
    // T(S3) = 5 + 0.15·(35 + T(S3)) + 0.85·2767.05 → T(S3) = 2362.2425 / 0.85,
    // lead = T(S1) = 35 + T(S3). p90: S3 takes 10 (`5〜10分`) → T(S3) = 2367.2425 / 0.85.
    let lead = 35.0 + 2362.2425 / 0.85;
    near(m.lead_time_minutes, lead, "lead");
    near(m.lead_time_p90_minutes, 35.0 + 2367.2425 / 0.85, "lead p90");
    // Wait = lead − process; activity = process / lead (DOMAIN.md).
    near(m.wait_minutes.total, lead - process, "wait");
    near(m.activity_ratio, process / lead, "activity");
    // At the office: S2's 20 min wait and the counter's 5 min check, r times.
    near(m.wait_minutes.resident_present, 25.0 * r, "present");
    // Staff hours: staff × 900 / 60; FTE ÷ 1920.
    let hours = staff * 900.0 / 60.0;
    near(m.staff_hours_per_year.unwrap_or_default(), hours, "hours");
    near(m.fte.unwrap_or_default(), hours / 1920.0, "fte");
    // Burden: work 15r + wait 25r + travel 30r.
    near(m.resident_burden_minutes.total, 70.0 * r, "burden");
    // Digital: only S8 (system actor): 1/9 of steps, 0.95/Σv of executions; automation the same.
    let sum_v = 3.0 * r + 4.9;
    near(m.digital_ratio.structural, 1.0 / 9.0, "digital");
    near(m.digital_ratio.expected, 0.95 / sum_v, "digital expected");
    near(m.automation_rate, 0.95 / sum_v, "automation");
    assert!(!m.digital_completion);
    let per_year = m.per_year.as_ref().expect("volume given");
    near(
        per_year.handoffs,
        (1.15 * r + 1.0 + 3.0 * 0.95) * 900.0,
        "handoffs/yr",
    );
    near(per_year.visits, r * 900.0, "visits/yr");
    near(
        per_year.resident_hours,
        70.0 * r * 900.0 / 60.0,
        "burden/yr",
    );
}

/// 介護保険 要介護認定申請 (As-Is): a parallel block (doctor's opinion ∥ home survey) with a
/// 20% send-back inside one branch, waits in weeks and days, volume per month.
#[test]
fn trial_kaigo_nintei_as_is_by_hand() {
    let src = include_str!("fixtures/trial/kaigo-nintei/as-is.flow");
    let a = analyse(src);
    let m = &a.metrics;
    // v: the send-back S6 → S5 (20%) gives S5 = S6 = 1/0.8 = 1.25; every other step 1
    // (both branches run; S9 after the join runs once).
    for (id, e) in [
        ("S4", 1.0),
        ("S5", 1.25),
        ("S6", 1.25),
        ("S7", 1.0),
        ("S9", 1.0),
    ] {
        near(v(&a, src, id), e, id);
    }
    assert_eq!(m.steps.structural, 11);
    near(m.steps.expected, 11.5, "Σv");
    near(m.steps.by_actor_kind.staff.expected, 6.25, "staff steps");
    near(
        m.steps.by_actor_kind.external.expected,
        3.25,
        "external steps",
    );
    // Decisions: S6 (two ways out) and S10 (判断).
    near(m.decisions.expected, 2.25, "decisions");
    // Handoffs (through split and join): 申請者→窓口, 窓口→認定係, 認定係→調査員 (split),
    // 認定係→主治医 (S4→S5, 1), 主治医→認定係 (1.25), 認定係→主治医 (send-back, 0.25),
    // S6→S9 and S8→S9 (認定係→system, 1 each), 調査員→認定係, system→審査会, 審査会→認定係.
    assert_eq!(m.handoffs.structural, 11);
    near(m.handoffs.expected, 10.5, "handoffs");
    near(m.handoffs.between_people.expected, 7.5, "people");
    // Paper: S1, S3, S4, S5, S6, S7, S8, S11 = 8; expected 6 + 2·1.25.
    assert_eq!(m.paper_touchpoints.structural, 8);
    near(m.paper_touchpoints.expected, 8.5, "paper");
    near(m.visits.expected, 1.0, "visits");
    assert_eq!(m.counters, 1);
    assert_eq!(m.transcriptions.structural, 2);
    assert_eq!(m.transcriptions.from_paper, 2);
    // Process: 20 + 5 + 10 + 5 + 1.25·30 + 1.25·10 + 60 + 15 + 1 + 10 + 5 = 181;
    // staff 5 + 10 + 5 + 12.5 + 15 + 5 = 52.5; external 37.5 + 60 + 10 = 107.5.
    near(m.process_time_minutes.total, 181.0, "process");
    near(m.process_time_minutes.staff, 52.5, "staff");
    near(m.process_time_minutes.external, 107.5, "external");
    // Lead: branch 意見書 T(S6) = 10 + 0.2·T(S5), T(S5) = 30 + 20160 + T(S6) → T(S6) = 5060,
    // T(S4) = 5 + 25250 = 25255; branch 訪問調査 60 + 14400 + 15 = 14475; the longer wins.
    // After the join 1 + (10 + 30240) + 5 = 30256; before it (20 + 10) + 5 + 10 = 45.
    let lead = 45.0 + 25255.0 + 30256.0;
    near(m.lead_time_minutes, lead, "lead");
    // DOMAIN.md: wait = lead − process = 55556 − 181; activity = 181 / 55556.
    near(m.wait_minutes.total, lead - 181.0, "wait");
    near(m.activity_ratio, 181.0 / lead, "activity");
    near(m.wait_minutes.resident_present, 15.0, "present");
    // 40/月 = 480/年: 52.5 × 480 / 60 = 420 h, 420 / 1920 FTE.
    near(m.staff_hours_per_year.unwrap_or_default(), 420.0, "hours");
    near(m.fte.unwrap_or_default(), 420.0 / 1920.0, "fte");
    near(
        m.resident_burden_minutes.total,
        20.0 + 15.0 + 30.0,
        "burden",
    );
    near(m.automation_rate, 1.0 / 11.5, "automation");
    assert!(!m.digital_completion);
}

/// Step ids typed in full width (`Ｓ３`) in the As-Is and half width in the To-Be's `置換` and
/// `削除:` name the same steps: the model keeps every id folded.
#[test]
fn trial_full_width_step_ids_are_folded() {
    let src = include_str!("fixtures/trial/jidou-teate/as-is.flow");
    let c = compile(src, &CompileOptions::default());
    let ids: Vec<&str> = c
        .model
        .steps
        .iter()
        .filter_map(|s| s.id.as_deref())
        .collect();
    assert_eq!(ids, ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"]);
    assert!(c.model.step_by_name("S3").is_some());
}
