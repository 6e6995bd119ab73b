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
