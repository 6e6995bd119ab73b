//! Metrics of small flows written in the DSL, each with its hand computation beside it: the
//! whole pipeline (parse → lower → analyse) against the definitions of docs/metrics.md.

use std::collections::{BTreeMap, BTreeSet};

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

// ---------------------------------------------------------------------------------------------
// Held-out style cases, round 2 (tests/fixtures/trial2/): the shapes that are easy to get wrong.
// Each fixture carries its hand computation in a comment block at its top; the tests below state
// every number of `Metrics` (the helper fails if a metric is left out) and v(s) of every step.

/// What a metric is expected to be: a number (counts, minutes, 0/1 for booleans) or absent (null).
type Want = (&'static str, Option<f64>);

/// Returns the numeric leaves of a JSON value by path (`handoffs.between_people.expected`);
/// booleans are 0/1, null is `None`; lists are left to the caller.
fn leaves(value: &serde_json::Value, path: &str, out: &mut BTreeMap<String, Option<f64>>) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                leaves(v, &p, out);
            }
        }
        Value::Number(n) => {
            out.insert(path.to_owned(), n.as_f64());
        }
        Value::Bool(b) => {
            out.insert(path.to_owned(), Some(if *b { 1.0 } else { 0.0 }));
        }
        Value::Null => {
            out.insert(path.to_owned(), None);
        }
        Value::Array(_) | Value::String(_) => {}
    }
}

/// Asserts every numeric metric of `a` against `want`, and that `want` names each one.
fn assert_every_metric(a: &Analysis, want: &[Want]) {
    let json = serde_json::to_value(&a.metrics).expect("metrics serialise");
    let mut got = BTreeMap::new();
    leaves(&json, "", &mut got);
    let named: BTreeSet<&str> = want.iter().map(|(k, _)| *k).collect();
    let missing: Vec<&String> = got.keys().filter(|k| !named.contains(k.as_str())).collect();
    assert!(
        missing.is_empty(),
        "metrics not stated by hand: {missing:?}"
    );
    for (key, expected) in want {
        let actual = got.get(*key).unwrap_or_else(|| panic!("no metric `{key}`"));
        match (actual, expected) {
            (Some(x), Some(e)) => near(*x, *e, key),
            (None, None) => {}
            _ => panic!("{key}: expected {expected:?}, got {actual:?}"),
        }
    }
}

/// Asserts v(s) of every step of the model, named by id.
fn assert_every_visit(a: &Analysis, source: &str, want: &[(&str, f64)]) {
    let c = compile(source, &CompileOptions::default());
    assert_eq!(c.model.steps.len(), want.len(), "one v(s) per step");
    for (id, expected) in want {
        let step = c.model.step_by_name(id).expect("step exists");
        near(a.step_visits[step], *expected, &format!("v({id})"));
    }
}

/// Returns the handoff matrix as (from, to, count, expected) rows.
fn matrix(a: &Analysis) -> Vec<(String, String, usize, f64)> {
    a.metrics
        .handoffs
        .matrix
        .iter()
        .map(|c| (c.from.clone(), c.to.clone(), c.count, c.expected))
        .collect()
}

/// Asserts the matrix cells (from, to, count, expected) in order.
fn assert_matrix(a: &Analysis, want: &[(&str, &str, usize, f64)]) {
    let got = matrix(a);
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!(
            (g.0.as_str(), g.1.as_str(), g.2),
            (w.0, w.1, w.2),
            "{got:?}"
        );
        near(g.3, w.3, &format!("{} → {}", w.0, w.1));
    }
}

/// Returns `want` for the metrics that are zero in a flow without residents' paperwork, visits,
/// seals or systems, so each test lists only what its flow has (any key given again wins).
fn zeros() -> Vec<Want> {
    [
        "paper_touchpoints.structural",
        "paper_touchpoints.expected",
        "visits.structural",
        "visits.expected",
        "counters",
        "handwriting.steps.structural",
        "handwriting.steps.expected",
        "handwriting.fields.structural",
        "handwriting.fields.expected",
        "handwriting.fields_on_paper",
        "duplicate_entry.total",
        "duplicate_entry.repeated",
        "duplicate_entry.gov_held",
        "transcriptions.structural",
        "transcriptions.expected",
        "transcriptions.from_paper",
        "transcriptions.from_system",
        "transcriptions.by_people.structural",
        "transcriptions.by_people.expected",
        "seals.structural",
        "seals.expected",
        "seals.seal",
        "seals.signature",
        "attachments.total",
        "attachments.gov_held",
        "systems.distinct",
        "systems.switches.structural",
        "systems.switches.expected",
        "steps.by_actor_kind.resident.structural",
        "steps.by_actor_kind.resident.expected",
        "steps.by_actor_kind.staff.structural",
        "steps.by_actor_kind.staff.expected",
        "steps.by_actor_kind.external.structural",
        "steps.by_actor_kind.external.expected",
        "steps.by_actor_kind.system.structural",
        "steps.by_actor_kind.system.expected",
        "steps.by_actor_kind.rpa.structural",
        "steps.by_actor_kind.rpa.expected",
        "process_time_minutes.resident",
        "process_time_minutes.staff",
        "process_time_minutes.external",
        "process_time_minutes.automated",
        "wait_minutes.resident_present",
        "resident_burden_minutes.total",
        "resident_burden_minutes.work",
        "resident_burden_minutes.wait",
        "resident_burden_minutes.travel",
        "digital_ratio.structural",
        "digital_ratio.expected",
        "automation_rate",
        "decisions.structural",
        "decisions.expected",
        "per_year.paper_touchpoints",
        "per_year.visits",
        "per_year.transcriptions",
        "per_year.seals",
        "per_year.resident_hours",
    ]
    .into_iter()
    .map(|k| (k, Some(0.0)))
    .collect()
}

/// Returns `base` with the entries of `over` replacing (or adding to) those of the same key.
fn with(base: Vec<Want>, over: &[Want]) -> Vec<Want> {
    let mut map: BTreeMap<&'static str, Option<f64>> = base.into_iter().collect();
    for (k, v) in over {
        map.insert(k, *v);
    }
    map.into_iter().collect()
}

/// Returns the yearly values derived from `volume`, staff minutes per case and FTE hours.
fn volume_rows(volume: f64, staff_minutes: f64, hours_per_fte: f64) -> Vec<Want> {
    let hours = staff_minutes * volume / 60.0;
    vec![
        ("volume_per_year", Some(volume)),
        ("staff_hours_per_year", Some(hours)),
        ("fte", Some(hours / hours_per_fte)),
        ("per_year.staff_hours", Some(hours)),
    ]
}

fn trial2(path: &str) -> String {
    let full = format!("{}/fixtures/trial2/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// A send-back inside one branch of a parallel block whose branches differ in length and wait.
#[test]
fn trial2_send_back_inside_a_parallel_branch() {
    let src = trial2("loop-in-parallel/as-is.flow");
    let a = analyse(&src);
    let t = 4.0 / 3.0;
    assert_every_visit(
        &a,
        &src,
        &[
            ("S1", 1.0),
            ("S2", 1.0),
            ("S3", 1.0),
            ("S4", t),
            ("S5", t),
            ("S6", 1.0),
        ],
    );
    let lead = 5965.0 / 3.0;
    let process = 235.0 / 3.0;
    let staff = 115.0 / 3.0;
    let handoffs = 17.0 / 3.0;
    let mut want = with(
        zeros(),
        &[
            ("steps.structural", Some(6.0)),
            ("steps.expected", Some(20.0 / 3.0)),
            ("steps.by_actor_kind.staff.structural", Some(5.0)),
            ("steps.by_actor_kind.staff.expected", Some(16.0 / 3.0)),
            ("steps.by_actor_kind.external.structural", Some(1.0)),
            ("steps.by_actor_kind.external.expected", Some(t)),
            ("decisions.structural", Some(1.0)),
            ("decisions.expected", Some(t)),
            ("handoffs.structural", Some(6.0)),
            ("handoffs.expected", Some(handoffs)),
            ("handoffs.between_people.structural", Some(6.0)),
            ("handoffs.between_people.expected", Some(handoffs)),
            ("process_time_minutes.total", Some(process)),
            ("process_time_minutes.staff", Some(staff)),
            ("process_time_minutes.external", Some(40.0)),
            ("lead_time_minutes", Some(lead)),
            ("lead_time_p90_minutes", Some(lead)),
            ("wait_minutes.total", Some(1910.0)),
            ("activity_ratio", Some(235.0 / 5965.0)),
            ("digital_completion", Some(1.0)),
            ("per_year.handoffs", Some(handoffs * 100.0)),
        ],
    );
    want.extend(volume_rows(100.0, staff, 1920.0));
    assert_every_metric(&a, &want);
    assert_matrix(
        &a,
        &[
            ("受付", "税務", 1, 1.0),
            ("受付", "福祉", 1, 1.0),
            ("税務", "福祉", 1, 1.0),
            ("医師", "福祉", 1, t),
            ("福祉", "医師", 2, t),
        ],
    );
}

/// A send-back to the first step whose loop body holds a three-way decision with an empty else.
#[test]
fn trial2_send_back_to_the_first_step_around_a_decision() {
    let src = trial2("loop-with-decision/as-is.flow");
    let a = analyse(&src);
    assert_every_visit(
        &a,
        &src,
        &[
            ("S1", 1.25),
            ("D2", 1.25),
            ("S3", 0.625),
            ("S4", 0.375),
            ("S5", 1.25),
            ("S6", 1.0),
        ],
    );
    let mut want = with(
        zeros(),
        &[
            ("steps.structural", Some(6.0)),
            ("steps.expected", Some(5.75)),
            ("steps.by_actor_kind.resident.structural", Some(1.0)),
            ("steps.by_actor_kind.resident.expected", Some(1.25)),
            ("steps.by_actor_kind.staff.structural", Some(5.0)),
            ("steps.by_actor_kind.staff.expected", Some(4.5)),
            ("decisions.structural", Some(2.0)),
            ("decisions.expected", Some(2.5)),
            ("handoffs.structural", Some(5.0)),
            ("handoffs.expected", Some(2.75)),
            ("handoffs.between_people.structural", Some(5.0)),
            ("handoffs.between_people.expected", Some(2.75)),
            ("paper_touchpoints.structural", Some(1.0)),
            ("paper_touchpoints.expected", Some(1.25)),
            ("handwriting.steps.structural", Some(1.0)),
            ("handwriting.steps.expected", Some(1.25)),
            ("handwriting.fields.structural", Some(3.0)),
            ("handwriting.fields.expected", Some(3.75)),
            ("handwriting.fields_on_paper", Some(3.0)),
            ("process_time_minutes.total", Some(50.625)),
            ("process_time_minutes.resident", Some(12.5)),
            ("process_time_minutes.staff", Some(38.125)),
            ("lead_time_minutes", Some(590.625)),
            ("lead_time_p90_minutes", Some(590.625)),
            ("wait_minutes.total", Some(540.0)),
            ("activity_ratio", Some(50.625 / 590.625)),
            ("resident_burden_minutes.total", Some(12.5)),
            ("resident_burden_minutes.work", Some(12.5)),
            ("digital_completion", Some(0.0)),
            ("per_year.handoffs", Some(660.0)),
            ("per_year.paper_touchpoints", Some(300.0)),
            ("per_year.resident_hours", Some(50.0)),
        ],
    );
    want.extend(volume_rows(240.0, 38.125, 1920.0));
    assert_every_metric(&a, &want);
    assert_matrix(
        &a,
        &[
            ("住民", "窓口", 1, 1.25),
            ("窓口", "係", 3, 1.25),
            ("係", "住民", 1, 0.25),
        ],
    );
}

/// Two nested send-backs (v = e + Pᵀv solved by hand), a range for the p90 lead time, no volume.
#[test]
fn trial2_nested_send_backs() {
    let src = trial2("nested-loops/as-is.flow");
    let a = analyse(&src);
    let (outer, inner) = (4.0 / 3.0, 20.0 / 9.0);
    assert_every_visit(
        &a,
        &src,
        &[
            ("S1", 1.0),
            ("S2", outer),
            ("S3", inner),
            ("S4", inner),
            ("S5", outer),
            ("S6", 1.0),
        ],
    );
    let want = with(
        zeros(),
        &[
            ("volume_per_year", None),
            ("steps.structural", Some(6.0)),
            ("steps.expected", Some(82.0 / 9.0)),
            ("steps.by_actor_kind.staff.structural", Some(6.0)),
            ("steps.by_actor_kind.staff.expected", Some(82.0 / 9.0)),
            ("decisions.structural", Some(2.0)),
            ("decisions.expected", Some(32.0 / 9.0)),
            ("handoffs.structural", Some(3.0)),
            ("handoffs.expected", Some(8.0 / 3.0)),
            ("handoffs.between_people.structural", Some(3.0)),
            ("handoffs.between_people.expected", Some(8.0 / 3.0)),
            ("seals.structural", Some(1.0)),
            ("seals.expected", Some(outer)),
            ("seals.seal", Some(1.0)),
            ("process_time_minutes.total", Some(770.0 / 9.0)),
            ("process_time_minutes.staff", Some(770.0 / 9.0)),
            ("lead_time_minutes", Some(2210.0 / 9.0)),
            ("lead_time_p90_minutes", Some(290.0)),
            ("wait_minutes.total", Some(160.0)),
            ("activity_ratio", Some(770.0 / 2210.0)),
            ("digital_completion", Some(1.0)),
            ("staff_hours_per_year", None),
            ("fte", None),
            ("per_year", None),
        ],
    );
    // Without a volume there is no per-year object at all.
    let want: Vec<Want> = want
        .into_iter()
        .filter(|(k, _)| !k.starts_with("per_year."))
        .collect();
    assert_every_metric(&a, &want);
    assert_matrix(&a, &[("係", "課長", 1, outer), ("課長", "係", 2, outer)]);
}

/// A four-way decision (three `もし` and an else) where two branches end the case early.
#[test]
fn trial2_branches_that_end_early() {
    let src = trial2("early-end/as-is.flow");
    let a = analyse(&src);
    assert_every_visit(
        &a,
        &src,
        &[
            ("S1", 1.0),
            ("D2", 1.0),
            ("S3", 0.1),
            ("S4", 0.3),
            ("S5", 0.8),
            ("S6", 0.8),
        ],
    );
    let mut want = with(
        zeros(),
        &[
            ("steps.structural", Some(6.0)),
            ("steps.expected", Some(4.0)),
            ("steps.by_actor_kind.resident.structural", Some(1.0)),
            ("steps.by_actor_kind.resident.expected", Some(1.0)),
            ("steps.by_actor_kind.staff.structural", Some(5.0)),
            ("steps.by_actor_kind.staff.expected", Some(3.0)),
            ("decisions.structural", Some(1.0)),
            ("decisions.expected", Some(1.0)),
            ("handoffs.structural", Some(3.0)),
            ("handoffs.expected", Some(1.9)),
            ("handoffs.between_people.structural", Some(3.0)),
            ("handoffs.between_people.expected", Some(1.9)),
            ("process_time_minutes.total", Some(43.9)),
            ("process_time_minutes.resident", Some(5.0)),
            ("process_time_minutes.staff", Some(38.9)),
            ("lead_time_minutes", Some(2491.9)),
            ("lead_time_p90_minutes", Some(2491.9)),
            ("wait_minutes.total", Some(2448.0)),
            ("activity_ratio", Some(43.9 / 2491.9)),
            ("resident_burden_minutes.total", Some(5.0)),
            ("resident_burden_minutes.work", Some(5.0)),
            ("digital_completion", Some(0.0)),
            ("per_year.handoffs", Some(950.0)),
            ("per_year.resident_hours", Some(5.0 * 500.0 / 60.0)),
        ],
    );
    want.extend(volume_rows(500.0, 38.9, 1920.0));
    assert_every_metric(&a, &want);
    assert_matrix(&a, &[("住民", "審査", 1, 1.0), ("審査", "窓口", 2, 0.9)]);
}

/// Visits: an in-person run broken by the counter clerk is one visit; a visit on one branch of
/// a decision counts by its probability; a visit inside a send-back loop counts every pass.
#[test]
fn trial2_visits_and_counters() {
    let src = trial2("visits/as-is.flow");
    let a = analyse(&src);
    assert_every_visit(
        &a,
        &src,
        &[
            ("D1", 1.0),
            ("S2", 0.4),
            ("S3", 0.6),
            ("S4", 0.6),
            ("S5", 0.6),
            ("S6", 0.6),
            ("S7", 1.25),
            ("S8", 0.25),
            ("S9", 0.25),
            ("S10", 1.0),
            ("S11", 1.0),
        ],
    );
    let mut want = with(
        zeros(),
        &[
            ("steps.structural", Some(11.0)),
            ("steps.expected", Some(7.55)),
            ("steps.by_actor_kind.resident.structural", Some(6.0)),
            ("steps.by_actor_kind.resident.expected", Some(3.85)),
            ("steps.by_actor_kind.staff.structural", Some(5.0)),
            ("steps.by_actor_kind.staff.expected", Some(3.7)),
            ("decisions.structural", Some(2.0)),
            ("decisions.expected", Some(2.25)),
            ("handoffs.structural", Some(10.0)),
            ("handoffs.expected", Some(5.55)),
            ("handoffs.between_people.structural", Some(10.0)),
            ("handoffs.between_people.expected", Some(5.55)),
            ("visits.structural", Some(3.0)),
            ("visits.expected", Some(1.85)),
            ("counters", Some(2.0)),
            ("seals.structural", Some(1.0)),
            ("seals.expected", Some(0.6)),
            ("seals.signature", Some(1.0)),
            ("process_time_minutes.total", Some(39.8)),
            ("process_time_minutes.resident", Some(7.85)),
            ("process_time_minutes.staff", Some(31.95)),
            ("lead_time_minutes", Some(64.3)),
            ("lead_time_p90_minutes", Some(64.3)),
            ("wait_minutes.total", Some(24.5)),
            ("wait_minutes.resident_present", Some(31.45)),
            ("activity_ratio", Some(39.8 / 64.3)),
            ("resident_burden_minutes.total", Some(94.8)),
            ("resident_burden_minutes.work", Some(7.85)),
            ("resident_burden_minutes.wait", Some(31.45)),
            ("resident_burden_minutes.travel", Some(55.5)),
            ("digital_completion", Some(0.0)),
            ("per_year.handoffs", Some(5550.0)),
            ("per_year.visits", Some(1850.0)),
            ("per_year.seals", Some(600.0)),
            ("per_year.resident_hours", Some(1580.0)),
        ],
    );
    want.extend(volume_rows(1000.0, 31.95, 1920.0));
    assert_every_metric(&a, &want);
    assert_eq!(a.metrics.counter_actors, ["窓口", "交付"]);
    assert_matrix(
        &a,
        &[
            ("住民", "窓口", 3, 1.45),
            ("住民", "審査", 1, 0.4),
            ("住民", "交付", 1, 1.0),
            ("窓口", "住民", 1, 0.6),
            ("窓口", "審査", 2, 0.85),
            ("審査", "住民", 2, 1.25),
        ],
    );
}

/// Duplicate entry, a gov-held document asked for, explicit and inferred transcriptions, seals
/// and signatures, attachments, systems and one clerk switching between three of them.
#[test]
fn trial2_paperwork_transcriptions_and_systems() {
    let src = trial2("paperwork/as-is.flow");
    let a = analyse(&src);
    let ids = ["S1", "S2", "S3", "S4", "S5", "S6", "S7"];
    assert_every_visit(&a, &src, &ids.map(|id| (id, 1.0)));
    let mut want = with(
        zeros(),
        &[
            ("steps.structural", Some(7.0)),
            ("steps.expected", Some(7.0)),
            ("steps.by_actor_kind.resident.structural", Some(2.0)),
            ("steps.by_actor_kind.resident.expected", Some(2.0)),
            ("steps.by_actor_kind.staff.structural", Some(5.0)),
            ("steps.by_actor_kind.staff.expected", Some(5.0)),
            ("handoffs.structural", Some(2.0)),
            ("handoffs.expected", Some(2.0)),
            ("handoffs.between_people.structural", Some(2.0)),
            ("handoffs.between_people.expected", Some(2.0)),
            ("paper_touchpoints.structural", Some(5.0)),
            ("paper_touchpoints.expected", Some(5.0)),
            ("visits.structural", Some(1.0)),
            ("visits.expected", Some(1.0)),
            ("counters", Some(1.0)),
            ("handwriting.steps.structural", Some(2.0)),
            ("handwriting.steps.expected", Some(2.0)),
            ("handwriting.fields.structural", Some(6.0)),
            ("handwriting.fields.expected", Some(6.0)),
            ("handwriting.fields_on_paper", Some(6.0)),
            ("duplicate_entry.total", Some(5.0)),
            ("duplicate_entry.repeated", Some(2.0)),
            ("duplicate_entry.gov_held", Some(3.0)),
            ("transcriptions.structural", Some(2.0)),
            ("transcriptions.expected", Some(2.0)),
            ("transcriptions.from_paper", Some(2.0)),
            ("transcriptions.by_people.structural", Some(2.0)),
            ("transcriptions.by_people.expected", Some(2.0)),
            ("seals.structural", Some(3.0)),
            ("seals.expected", Some(3.0)),
            ("seals.seal", Some(2.0)),
            ("seals.signature", Some(2.0)),
            ("attachments.total", Some(3.0)),
            ("attachments.gov_held", Some(2.0)),
            ("systems.distinct", Some(3.0)),
            ("systems.switches.structural", Some(2.0)),
            ("systems.switches.expected", Some(2.0)),
            ("process_time_minutes.total", Some(38.0)),
            ("process_time_minutes.resident", Some(15.0)),
            ("process_time_minutes.staff", Some(23.0)),
            ("lead_time_minutes", Some(38.0)),
            ("lead_time_p90_minutes", Some(38.0)),
            ("wait_minutes.total", Some(0.0)),
            ("wait_minutes.resident_present", Some(3.0)),
            ("activity_ratio", Some(1.0)),
            ("resident_burden_minutes.total", Some(48.0)),
            ("resident_burden_minutes.work", Some(15.0)),
            ("resident_burden_minutes.wait", Some(3.0)),
            ("resident_burden_minutes.travel", Some(30.0)),
            ("digital_completion", Some(0.0)),
            ("per_year.handoffs", Some(1200.0)),
            ("per_year.paper_touchpoints", Some(3000.0)),
            ("per_year.visits", Some(600.0)),
            ("per_year.transcriptions", Some(1200.0)),
            ("per_year.seals", Some(1800.0)),
            ("per_year.resident_hours", Some(480.0)),
        ],
    );
    want.extend(volume_rows(600.0, 23.0, 1920.0));
    assert_every_metric(&a, &want);
    let m = &a.metrics;
    assert_eq!(m.duplicate_entry.repeated_fields, ["氏名", "口座"]);
    assert_eq!(
        m.duplicate_entry.gov_held_fields,
        ["住民票の写し.氏名", "住民票の写し.住所", "課税証明書"]
    );
    assert_eq!(
        m.systems.names,
        ["住記システム", "福祉システム", "財務会計"]
    );
    assert_eq!(m.counter_actors, ["窓口"]);
    assert_matrix(&a, &[("住民", "窓口", 1, 1.0), ("窓口", "係", 1, 1.0)]);
}

/// Digital completion false although an online branch exists (a parallel branch is on paper),
/// and true in the To-Be; automation by a system and an RPA actor.
#[test]
fn trial2_digital_completion_and_automation() {
    let src = trial2("digital/as-is.flow");
    let a = analyse(&src);
    assert_every_visit(
        &a,
        &src,
        &[
            ("D1", 1.0),
            ("S2", 0.3),
            ("S3", 0.7),
            ("S4", 0.7),
            ("S5", 1.0),
            ("S6", 1.0),
            ("S7", 1.0),
        ],
    );
    let mut want = with(
        zeros(),
        &[
            ("steps.structural", Some(7.0)),
            ("steps.expected", Some(5.7)),
            ("steps.by_actor_kind.resident.structural", Some(3.0)),
            ("steps.by_actor_kind.resident.expected", Some(2.0)),
            ("steps.by_actor_kind.staff.structural", Some(3.0)),
            ("steps.by_actor_kind.staff.expected", Some(2.7)),
            ("steps.by_actor_kind.system.structural", Some(1.0)),
            ("steps.by_actor_kind.system.expected", Some(1.0)),
            ("decisions.structural", Some(1.0)),
            ("decisions.expected", Some(1.0)),
            ("handoffs.structural", Some(7.0)),
            ("handoffs.expected", Some(4.7)),
            ("handoffs.between_people.structural", Some(5.0)),
            ("handoffs.between_people.expected", Some(2.7)),
            ("paper_touchpoints.structural", Some(2.0)),
            ("paper_touchpoints.expected", Some(1.7)),
            ("visits.structural", Some(1.0)),
            ("visits.expected", Some(0.7)),
            ("counters", Some(1.0)),
            ("handwriting.steps.structural", Some(1.0)),
            ("handwriting.steps.expected", Some(0.7)),
            ("handwriting.fields.structural", Some(2.0)),
            ("handwriting.fields.expected", Some(1.4)),
            ("handwriting.fields_on_paper", Some(2.0)),
            ("systems.distinct", Some(1.0)),
            ("process_time_minutes.total", Some(28.0)),
            ("process_time_minutes.resident", Some(8.5)),
            ("process_time_minutes.staff", Some(18.5)),
            ("process_time_minutes.automated", Some(1.0)),
            ("lead_time_minutes", Some(23.0)),
            ("lead_time_p90_minutes", Some(23.0)),
            ("wait_minutes.total", Some(0.0)),
            ("wait_minutes.resident_present", Some(3.5)),
            ("activity_ratio", Some(28.0 / 23.0)),
            ("resident_burden_minutes.total", Some(33.0)),
            ("resident_burden_minutes.work", Some(8.5)),
            ("resident_burden_minutes.wait", Some(3.5)),
            ("resident_burden_minutes.travel", Some(21.0)),
            ("digital_ratio.structural", Some(2.0 / 7.0)),
            ("digital_ratio.expected", Some(1.3 / 5.7)),
            ("automation_rate", Some(1.0 / 5.7)),
            ("digital_completion", Some(0.0)),
            ("per_year.handoffs", Some(9400.0)),
            ("per_year.paper_touchpoints", Some(3400.0)),
            ("per_year.visits", Some(1400.0)),
            ("per_year.resident_hours", Some(1100.0)),
        ],
    );
    want.extend(volume_rows(2000.0, 18.5, 1920.0));
    assert_every_metric(&a, &want);
    assert_matrix(
        &a,
        &[
            ("住民", "窓口", 1, 0.7),
            ("住民", "係", 2, 0.6),
            ("窓口", "係", 2, 1.4),
            ("係", "基幹", 2, 2.0),
        ],
    );

    let src = trial2("digital/to-be.flow");
    let a = analyse(&src);
    assert_every_visit(
        &a,
        &src,
        &[
            ("D1", 1.0),
            ("T2", 0.7),
            ("S3", 0.3),
            ("S4", 0.3),
            ("S5", 1.0),
            ("T6", 1.0),
            ("S7", 1.0),
        ],
    );
    let mut want = with(
        zeros(),
        &[
            ("steps.structural", Some(7.0)),
            ("steps.expected", Some(5.3)),
            ("steps.by_actor_kind.resident.structural", Some(3.0)),
            ("steps.by_actor_kind.resident.expected", Some(2.0)),
            ("steps.by_actor_kind.staff.structural", Some(2.0)),
            ("steps.by_actor_kind.staff.expected", Some(1.3)),
            ("steps.by_actor_kind.system.structural", Some(1.0)),
            ("steps.by_actor_kind.system.expected", Some(1.0)),
            ("steps.by_actor_kind.rpa.structural", Some(1.0)),
            ("steps.by_actor_kind.rpa.expected", Some(1.0)),
            ("decisions.structural", Some(1.0)),
            ("decisions.expected", Some(1.0)),
            ("handoffs.structural", Some(7.0)),
            ("handoffs.expected", Some(4.3)),
            ("handoffs.between_people.structural", Some(3.0)),
            ("handoffs.between_people.expected", Some(1.3)),
            ("paper_touchpoints.structural", Some(1.0)),
            ("paper_touchpoints.expected", Some(0.3)),
            ("visits.structural", Some(1.0)),
            ("visits.expected", Some(0.3)),
            ("counters", Some(1.0)),
            ("handwriting.steps.structural", Some(1.0)),
            ("handwriting.steps.expected", Some(0.3)),
            ("handwriting.fields.structural", Some(2.0)),
            ("handwriting.fields.expected", Some(0.6)),
            ("handwriting.fields_on_paper", Some(2.0)),
            ("systems.distinct", Some(1.0)),
            ("process_time_minutes.total", Some(20.0)),
            ("process_time_minutes.resident", Some(6.5)),
            ("process_time_minutes.staff", Some(11.5)),
            ("process_time_minutes.automated", Some(2.0)),
            ("lead_time_minutes", Some(19.0)),
            ("lead_time_p90_minutes", Some(19.0)),
            ("wait_minutes.total", Some(0.0)),
            ("wait_minutes.resident_present", Some(1.5)),
            ("activity_ratio", Some(20.0 / 19.0)),
            ("resident_burden_minutes.total", Some(17.0)),
            ("resident_burden_minutes.work", Some(6.5)),
            ("resident_burden_minutes.wait", Some(1.5)),
            ("resident_burden_minutes.travel", Some(9.0)),
            ("digital_ratio.structural", Some(4.0 / 7.0)),
            ("digital_ratio.expected", Some(3.7 / 5.3)),
            ("automation_rate", Some(2.0 / 5.3)),
            ("digital_completion", Some(1.0)),
            ("per_year.handoffs", Some(8600.0)),
            ("per_year.paper_touchpoints", Some(600.0)),
            ("per_year.visits", Some(600.0)),
            ("per_year.resident_hours", Some(17.0 * 2000.0 / 60.0)),
        ],
    );
    want.extend(volume_rows(2000.0, 11.5, 1920.0));
    assert_every_metric(&a, &want);
    assert_eq!(a.metrics.systems.names, ["基幹"]);
    assert_matrix(
        &a,
        &[
            ("住民", "窓口", 1, 0.3),
            ("住民", "係", 1, 0.7),
            ("住民", "ロボ", 1, 0.7),
            ("窓口", "係", 1, 0.3),
            ("窓口", "ロボ", 1, 0.3),
            ("係", "基幹", 1, 1.0),
            ("ロボ", "基幹", 1, 1.0),
        ],
    );
}

/// `nagare.toml` next to the flow changes hours per FTE (1,500) and travel per visit (45 min).
#[test]
fn trial2_fte_and_travel_from_nagare_toml() {
    let src = trial2("fte-config/as-is.flow");
    let settings =
        Settings::from_toml(&trial2("fte-config/nagare.toml")).expect("valid [metrics] table");
    let c = compile(&src, &CompileOptions::default());
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let a = analyze(&c.model, &settings);
    assert_every_visit(&a, &src, &["S1", "S2", "S3", "S4"].map(|id| (id, 1.0)));
    let mut want = with(
        zeros(),
        &[
            ("steps.structural", Some(4.0)),
            ("steps.expected", Some(4.0)),
            ("steps.by_actor_kind.resident.structural", Some(1.0)),
            ("steps.by_actor_kind.resident.expected", Some(1.0)),
            ("steps.by_actor_kind.staff.structural", Some(3.0)),
            ("steps.by_actor_kind.staff.expected", Some(3.0)),
            ("handoffs.structural", Some(2.0)),
            ("handoffs.expected", Some(2.0)),
            ("handoffs.between_people.structural", Some(2.0)),
            ("handoffs.between_people.expected", Some(2.0)),
            ("visits.structural", Some(1.0)),
            ("visits.expected", Some(1.0)),
            ("counters", Some(1.0)),
            ("process_time_minutes.total", Some(90.0)),
            ("process_time_minutes.resident", Some(5.0)),
            ("process_time_minutes.staff", Some(85.0)),
            ("lead_time_minutes", Some(120.0)),
            ("lead_time_p90_minutes", Some(120.0)),
            ("wait_minutes.total", Some(30.0)),
            ("wait_minutes.resident_present", Some(40.0)),
            ("activity_ratio", Some(0.75)),
            ("resident_burden_minutes.total", Some(90.0)),
            ("resident_burden_minutes.work", Some(5.0)),
            ("resident_burden_minutes.wait", Some(40.0)),
            ("resident_burden_minutes.travel", Some(45.0)),
            ("digital_completion", Some(0.0)),
            ("per_year.handoffs", Some(1200.0)),
            ("per_year.visits", Some(600.0)),
            ("per_year.resident_hours", Some(900.0)),
        ],
    );
    want.extend(volume_rows(600.0, 85.0, 1500.0));
    assert_every_metric(&a, &want);
    near(a.metrics.fte.unwrap_or_default(), 850.0 / 1500.0, "fte");
}

/// A realistic mix: three application channels meet at one counter step (presence, digital
/// completion and duplicate entry depend on the path), a month of back office, a second visit.
#[test]
fn trial2_realistic_hoiku_nyusho() {
    let src = trial2("hoiku-nyusho/as-is.flow");
    let a = analyse(&src);
    assert_every_visit(
        &a,
        &src,
        &[
            ("D1", 1.0),
            ("S2", 0.2),
            ("S3", 0.3),
            ("S4", 0.5),
            ("S5", 0.5),
            ("S6", 1.0),
            ("S7", 0.1),
            ("S8", 1.0),
            ("S9", 0.4),
            ("S10", 0.4),
            ("S11", 1.0),
            ("S12", 1.0),
        ],
    );
    let lead = 43741.5;
    let mut want = with(
        zeros(),
        &[
            ("steps.structural", Some(12.0)),
            ("steps.expected", Some(7.4)),
            ("steps.by_actor_kind.resident.structural", Some(6.0)),
            ("steps.by_actor_kind.resident.expected", Some(2.9)),
            ("steps.by_actor_kind.staff.structural", Some(5.0)),
            ("steps.by_actor_kind.staff.expected", Some(3.5)),
            ("steps.by_actor_kind.system.structural", Some(1.0)),
            ("steps.by_actor_kind.system.expected", Some(1.0)),
            ("decisions.structural", Some(3.0)),
            ("decisions.expected", Some(3.0)),
            ("handoffs.structural", Some(8.0)),
            ("handoffs.expected", Some(3.8)),
            ("handoffs.between_people.structural", Some(7.0)),
            ("handoffs.between_people.expected", Some(2.8)),
            ("paper_touchpoints.structural", Some(4.0)),
            ("paper_touchpoints.expected", Some(1.7)),
            ("visits.structural", Some(2.0)),
            ("visits.expected", Some(0.9)),
            ("counters", Some(2.0)),
            ("handwriting.steps.structural", Some(4.0)),
            ("handwriting.steps.expected", Some(1.5)),
            ("handwriting.fields.structural", Some(15.0)),
            ("handwriting.fields.expected", Some(5.5)),
            ("handwriting.fields_on_paper", Some(11.0)),
            ("duplicate_entry.total", Some(3.0)),
            ("duplicate_entry.repeated", Some(2.0)),
            ("duplicate_entry.gov_held", Some(1.0)),
            ("attachments.total", Some(1.0)),
            ("attachments.gov_held", Some(1.0)),
            ("systems.distinct", Some(1.0)),
            ("process_time_minutes.total", Some(86.5)),
            ("process_time_minutes.resident", Some(36.0)),
            ("process_time_minutes.staff", Some(49.5)),
            ("process_time_minutes.automated", Some(1.0)),
            ("lead_time_minutes", Some(lead)),
            ("lead_time_p90_minutes", Some(lead)),
            ("wait_minutes.total", Some(lead - 86.5)),
            ("wait_minutes.resident_present", Some(29.5)),
            ("activity_ratio", Some(86.5 / lead)),
            ("resident_burden_minutes.total", Some(92.5)),
            ("resident_burden_minutes.work", Some(36.0)),
            ("resident_burden_minutes.wait", Some(29.5)),
            ("resident_burden_minutes.travel", Some(27.0)),
            ("digital_ratio.structural", Some(0.25)),
            ("digital_ratio.expected", Some(2.2 / 7.4)),
            ("automation_rate", Some(1.0 / 7.4)),
            ("digital_completion", Some(1.0)),
            ("per_year.handoffs", Some(5700.0)),
            ("per_year.paper_touchpoints", Some(2550.0)),
            ("per_year.visits", Some(1350.0)),
            ("per_year.resident_hours", Some(2312.5)),
        ],
    );
    want.extend(volume_rows(1500.0, 49.5, 1920.0));
    assert_every_metric(&a, &want);
    let m = &a.metrics;
    assert_eq!(m.counter_actors, ["窓口", "入所係"]);
    assert_eq!(m.duplicate_entry.repeated_fields, ["氏名", "児童氏名"]);
    assert_eq!(m.duplicate_entry.gov_held_fields, ["課税証明書"]);
    assert_eq!(m.systems.names, ["保育システム"]);
    assert_matrix(
        &a,
        &[
            ("保護者", "窓口", 3, 1.0),
            ("保護者", "入所係", 1, 0.4),
            ("窓口", "入所係", 2, 1.0),
            ("入所係", "保護者", 1, 0.4),
            ("入所係", "保育システム", 1, 1.0),
        ],
    );
}

/// A realistic mix: one visit across two counters and back, a send-back at the counter, a
/// day's wait that sends the resident home, a parallel back office with RPA and system switches.
#[test]
fn trial2_realistic_tennyu_kanren() {
    let src = trial2("tennyu-kanren/as-is.flow");
    let a = analyse(&src);
    let r = 10.0 / 9.0;
    let mut visits = vec![("S1", r), ("S2", r), ("S4", 0.25), ("S5", 0.25)];
    for id in [
        "S3", "D1", "S6", "S7", "S8", "S9", "S10", "S11", "S12", "S13",
    ] {
        visits.push((id, 1.0));
    }
    assert_every_visit(&a, &src, &visits);
    let sum_v = 2.0 * r + 10.5;
    let resident = 10.0 * r + 1.25 + 1.0 + 2.0;
    let staff = 8.0 * r + 31.5;
    let process = resident + staff + 1.0;
    let lead = 50.0 + 1354.675 / 0.9;
    let present = 48.0 * r + 34.5;
    let handoffs = 11.0 / 9.0 + 6.75;
    let paper = 2.0 * r + 3.25;
    let burden = resident + present + 60.0;
    let mut want = with(
        zeros(),
        &[
            ("steps.structural", Some(14.0)),
            ("steps.expected", Some(sum_v)),
            ("steps.by_actor_kind.resident.structural", Some(4.0)),
            ("steps.by_actor_kind.resident.expected", Some(r + 2.25)),
            ("steps.by_actor_kind.staff.structural", Some(9.0)),
            ("steps.by_actor_kind.staff.expected", Some(r + 7.25)),
            ("steps.by_actor_kind.rpa.structural", Some(1.0)),
            ("steps.by_actor_kind.rpa.expected", Some(1.0)),
            ("decisions.structural", Some(2.0)),
            ("decisions.expected", Some(r + 1.0)),
            ("handoffs.structural", Some(11.0)),
            ("handoffs.expected", Some(handoffs)),
            ("handoffs.between_people.structural", Some(10.0)),
            ("handoffs.between_people.expected", Some(handoffs - 1.0)),
            ("paper_touchpoints.structural", Some(6.0)),
            ("paper_touchpoints.expected", Some(paper)),
            ("visits.structural", Some(2.0)),
            ("visits.expected", Some(2.0)),
            ("counters", Some(2.0)),
            ("handwriting.steps.structural", Some(2.0)),
            ("handwriting.steps.expected", Some(r + 0.25)),
            ("handwriting.fields.structural", Some(7.0)),
            ("handwriting.fields.expected", Some(4.0 * r + 0.75)),
            ("handwriting.fields_on_paper", Some(7.0)),
            ("duplicate_entry.total", Some(3.0)),
            ("duplicate_entry.repeated", Some(3.0)),
            ("transcriptions.structural", Some(3.0)),
            ("transcriptions.expected", Some(2.25)),
            ("transcriptions.from_paper", Some(2.0)),
            ("transcriptions.from_system", Some(1.0)),
            ("transcriptions.by_people.structural", Some(2.0)),
            ("transcriptions.by_people.expected", Some(1.25)),
            ("seals.structural", Some(1.0)),
            ("seals.expected", Some(r)),
            ("seals.signature", Some(1.0)),
            ("attachments.total", Some(1.0)),
            ("systems.distinct", Some(4.0)),
            ("systems.switches.structural", Some(1.0)),
            ("systems.switches.expected", Some(1.0)),
            ("process_time_minutes.total", Some(process)),
            ("process_time_minutes.resident", Some(resident)),
            ("process_time_minutes.staff", Some(staff)),
            ("process_time_minutes.automated", Some(1.0)),
            ("lead_time_minutes", Some(lead)),
            ("lead_time_p90_minutes", Some(lead)),
            ("wait_minutes.total", Some(lead - process)),
            ("wait_minutes.resident_present", Some(present)),
            ("activity_ratio", Some(process / lead)),
            ("resident_burden_minutes.total", Some(burden)),
            ("resident_burden_minutes.work", Some(resident)),
            ("resident_burden_minutes.wait", Some(present)),
            ("resident_burden_minutes.travel", Some(60.0)),
            ("digital_ratio.structural", Some(1.0 / 14.0)),
            ("digital_ratio.expected", Some(1.0 / sum_v)),
            ("automation_rate", Some(1.0 / sum_v)),
            ("digital_completion", Some(0.0)),
            ("per_year.handoffs", Some(handoffs * 3000.0)),
            ("per_year.paper_touchpoints", Some(paper * 3000.0)),
            ("per_year.visits", Some(6000.0)),
            ("per_year.transcriptions", Some(6750.0)),
            ("per_year.seals", Some(r * 3000.0)),
            ("per_year.resident_hours", Some(burden * 3000.0 / 60.0)),
        ],
    );
    want.extend(volume_rows(3000.0, staff, 1920.0));
    assert_every_metric(&a, &want);
    let m = &a.metrics;
    assert_eq!(m.counter_actors, ["市民課", "保険年金課"]);
    assert_eq!(
        m.duplicate_entry.repeated_fields,
        ["氏名", "生年月日", "新住所"]
    );
    assert_eq!(
        m.systems.names,
        [
            "住記システム",
            "国保システム",
            "税システム",
            "児童手当システム"
        ]
    );
    assert_matrix(
        &a,
        &[
            ("住民", "市民課", 3, 28.0 / 9.0),
            ("住民", "保険年金課", 1, 0.25),
            ("市民課", "住民", 4, 1.0 / 9.0 + 2.25),
            ("市民課", "こども課", 1, 1.0),
            ("市民課", "ロボ", 1, 1.0),
            ("保険年金課", "市民課", 1, 0.25),
        ],
    );
}

/// Duplicate entry counts what one case writes: alternatives of a decision do not add up, both
/// branches of a parallel block do, and a send-back's second pass is not a repeat.
#[test]
fn duplicate_entry_counts_one_case() {
    let src = "\
業務: 重複の数え方
担当:
  住民: 住民
  窓口: 職員
書類:
  郵送用: 紙 [氏名, 住所]
  窓口用: 紙 [氏名, 住所]
  別紙A: 紙 [氏名]
  別紙B: 紙 [氏名, 電話]
流れ:
  D1 住民: 方法を選ぶ [判断]
    もし 郵送 50%:
      S2 住民: 郵送用を書く [5分, 記入=郵送用]
    それ以外:
      S3 住民: 窓口用を書く [5分, 記入=窓口用]
  並行:
    分岐 一:
      S4 住民: 別紙Aを書く [5分, 記入=別紙A]
    分岐 二:
      S5 住民: 別紙Bを書く [5分, 記入=別紙B]
  S6 窓口: 確認する [5分]
    もし 不備 50%: → D1
";
    let m = analyse(src).metrics;
    // 氏名: S2 or S3 (one of them), then S4 and S5 (both) → 3 writings in one case, 2 extra.
    // 住所 only once per case; 電話 once. The send-back to D1 rewrites everything, but is not a repeat.
    assert_eq!(m.duplicate_entry.repeated, 2);
    assert_eq!(m.duplicate_entry.repeated_fields, ["氏名"]);
}
