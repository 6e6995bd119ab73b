//! Small models with hand-computed metrics: each test writes the model, then the arithmetic that
//! gives every expected value, so a reader can check the definitions of docs/metrics.md.

use nagare_graph::{Analysis, ProcessGraph, Settings, analyze, codes};
use nagare_model::{
    ActorKind, DocMedium, DocRole, DocUse, EdgeKind, Endpoint, Medium, Minutes, Model,
    ModelBuilder, Node, NodeId, StepId, StepKind, Transcription,
};
use nagare_syntax::Span;

const EPS: f64 = 1e-6;

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < EPS,
        "{what}: expected {expected}, got {actual}"
    );
}

fn mins(p50: f64) -> Option<Minutes> {
    Some(Minutes { p50, p90: None })
}

/// Adds a step with `work` minutes of work and returns (step, node).
fn task(b: &mut ModelBuilder, actor: usize, label: &str, work: f64) -> (StepId, NodeId) {
    let s = b.step(actor, label);
    b.step_mut(s).work = mins(work);
    (s, b.node_of(s))
}

fn uses(b: &mut ModelBuilder, step: StepId, doc: usize, role: DocRole, fields: &[&str]) {
    b.step_mut(step).docs.push(DocUse {
        doc,
        role,
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        span: Span::default(),
    });
}

fn run(model: &Model) -> Analysis {
    let a = analyze(model, &Settings::default());
    // Every number of every model must be finite: check the whole JSON.
    let json = serde_json::to_value(&a.metrics).expect("metrics serialise");
    assert!(!json.to_string().contains("null") || a.metrics.volume_per_year.is_none());
    a
}

#[test]
fn plain_sequence() {
    // Start → S1 住民 10分 → S2 窓口 5分 → S3 審査 20分 (待ち 60分) → End
    let mut b = ModelBuilder::new("seq").volume(1200.0);
    let resident = b.actor("住民", ActorKind::Resident);
    let clerk = b.actor("窓口", ActorKind::Staff);
    let reviewer = b.actor("審査", ActorKind::Staff);
    let (_, n1) = task(&mut b, resident, "申請書を書く", 10.0);
    let (s2, n2) = task(&mut b, clerk, "受け付ける", 5.0);
    // A range 5〜15分: p50 5 everywhere, p90 15 only in the pessimistic lead time.
    b.step_mut(s2).work = Some(Minutes {
        p50: 5.0,
        p90: Some(15.0),
    });
    let (s3, n3) = task(&mut b, reviewer, "審査する", 20.0);
    b.step_mut(s3).wait = mins(60.0);
    let end = b.end();
    b.chain(&[0, n1, n2, n3, end]);
    let a = run(&b.finish());
    let m = &a.metrics;
    assert_eq!(a.step_visits, vec![1.0, 1.0, 1.0]);
    assert_eq!(m.steps.structural, 3);
    close(m.steps.expected, 3.0, "Σv");
    assert_eq!(m.steps.by_actor_kind.resident.structural, 1);
    assert_eq!(m.steps.by_actor_kind.staff.structural, 2);
    // 住民→窓口, 窓口→審査: two handoffs, each once per case.
    assert_eq!(m.handoffs.structural, 2);
    close(m.handoffs.expected, 2.0, "handoffs");
    // Work 10 + 5 + 20 = 35; lead 35 + 60 = 95; wait 60; activity 35/95.
    close(m.process_time_minutes.total, 35.0, "process");
    close(m.process_time_minutes.resident, 10.0, "resident work");
    close(m.process_time_minutes.staff, 25.0, "staff work");
    close(m.lead_time_minutes, 95.0, "lead");
    close(m.lead_time_p90_minutes, 105.0, "lead with p90 durations");
    close(m.wait_minutes.total, 60.0, "wait");
    close(m.activity_ratio, 35.0 / 95.0, "activity");
    // Staff 25 min × 1200 / 60 = 500 h/yr; FTE 500 / 1920.
    close(m.staff_hours_per_year.expect("volume"), 500.0, "staff h");
    close(m.fte.expect("volume"), 500.0 / 1920.0, "fte");
    assert_eq!(m.decisions.structural, 0);
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
}

#[test]
fn handoff_matrix() {
    // A → B → A → C: three handoffs; cells A→B, B→A, A→C once each, ordered by actor.
    let mut b = ModelBuilder::new("handoffs");
    let x = b.actor("A", ActorKind::Staff);
    let y = b.actor("B", ActorKind::Staff);
    let z = b.actor("C", ActorKind::External);
    let (_, n1) = task(&mut b, x, "1", 1.0);
    let (_, n2) = task(&mut b, y, "2", 1.0);
    let (_, n3) = task(&mut b, x, "3", 1.0);
    let (_, n4) = task(&mut b, x, "4", 1.0);
    let (_, n5) = task(&mut b, z, "5", 1.0);
    let end = b.end();
    b.chain(&[0, n1, n2, n3, n4, n5, end]);
    let m = run(&b.finish()).metrics;
    assert_eq!(m.handoffs.structural, 3);
    close(m.handoffs.expected, 3.0, "expected");
    let cells: Vec<(&str, &str, usize)> = m
        .handoffs
        .matrix
        .iter()
        .map(|c| (c.from.as_str(), c.to.as_str(), c.count))
        .collect();
    assert_eq!(cells, vec![("A", "B", 1), ("A", "C", 1), ("B", "A", 1)]);
    assert_eq!(m.steps.by_actor_kind.external.structural, 1);
}

/// S1 住民 記入 (10分) → S2 窓口 確認 (5分) → [不備 10%: → S1 | 90%] → S3 審査 (20分) → End
fn send_back_10() -> Model {
    let mut b = ModelBuilder::new("sendback");
    let resident = b.actor("住民", ActorKind::Resident);
    let clerk = b.actor("窓口", ActorKind::Staff);
    let (_, n1) = task(&mut b, resident, "記入する", 10.0);
    let (_, n2) = task(&mut b, clerk, "確認する", 5.0);
    let (_, n3) = task(&mut b, clerk, "審査する", 20.0);
    let end = b.end();
    b.chain(&[0, n1, n2]);
    b.edge(n2, n1, EdgeKind::SendBack, 0.1);
    b.edge(n2, n3, EdgeKind::Sequence, 0.9);
    b.chain(&[n3, end]);
    b.finish()
}

#[test]
fn ten_percent_send_back() {
    let a = run(&send_back_10());
    let m = &a.metrics;
    // v(S1) = 1 + 0.1·v(S2), v(S2) = v(S1) → v = 1/0.9; v(S3) = 0.9·v(S2) = 1.
    close(a.step_visits[0], 1.0 / 0.9, "v(S1)");
    close(a.step_visits[1], 1.0 / 0.9, "v(S2)");
    close(a.step_visits[2], 1.0, "v(S3)");
    // Handoffs: 住民→窓口 v(S1) = 1/0.9 plus 窓口→住民 0.1·v(S2) = 0.1/0.9; structural 2.
    assert_eq!(m.handoffs.structural, 2);
    close(m.handoffs.expected, 1.1 / 0.9, "handoffs");
    // Lead time: T(S1) = 10 + T(S2); T(S2) = 5 + 0.1·T(S1) + 0.9·20 → T(S1) = (15 + 18)/0.9.
    close(m.lead_time_minutes, 33.0 / 0.9, "lead");
    // Process time = 10/0.9 + 5/0.9 + 20.
    close(m.process_time_minutes.total, 15.0 / 0.9 + 20.0, "process");
    // One decision point (S2 has two ways out), visited 1/0.9 times.
    assert_eq!(m.decisions.structural, 1);
    close(m.decisions.expected, 1.0 / 0.9, "decisions");
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
}

#[test]
fn nested_send_backs() {
    // S1 → S2 → S3 → S4; S3 → S2 50% (inner); S4 → S1 20% (outer), else End.
    let mut b = ModelBuilder::new("nested");
    let clerk = b.actor("係", ActorKind::Staff);
    let (_, n1) = task(&mut b, clerk, "1", 1.0);
    let (_, n2) = task(&mut b, clerk, "2", 2.0);
    let (_, n3) = task(&mut b, clerk, "3", 3.0);
    let (_, n4) = task(&mut b, clerk, "4", 4.0);
    let end = b.end();
    b.chain(&[0, n1, n2, n3]);
    b.edge(n3, n2, EdgeKind::SendBack, 0.5);
    b.edge(n3, n4, EdgeKind::Sequence, 0.5);
    b.edge(n4, n1, EdgeKind::SendBack, 0.2);
    b.edge(n4, end, EdgeKind::Sequence, 0.8);
    let a = run(&b.finish());
    // Outer loop: v(S1) = 1/(1−0.2) = 1.25. Inner: v(S2) = v(S3) = v(S1)/(1−0.5) = 2.5.
    // v(S4) = 0.5·v(S3) = 1.25.
    let expect = [1.25, 2.5, 2.5, 1.25];
    for (i, e) in expect.iter().enumerate() {
        close(a.step_visits[i], *e, &format!("v(S{})", i + 1));
    }
    // Process time Σ v·work = 1.25 + 5 + 7.5 + 5 = 18.75 (no waits, so lead time is the same).
    close(a.metrics.process_time_minutes.total, 18.75, "process");
    close(a.metrics.lead_time_minutes, 18.75, "lead");
    close(a.metrics.activity_ratio, 1.0, "activity");
}

#[test]
fn three_way_decision() {
    // D 判断 (2分) → A 50% (10分) | B 30% (20分) | C 20% (40分) → E (1分)
    let mut b = ModelBuilder::new("decision");
    let clerk = b.actor("係", ActorKind::Staff);
    let (d, nd) = task(&mut b, clerk, "判断する", 2.0);
    b.step_mut(d).kind = StepKind::Decision;
    let (_, na) = task(&mut b, clerk, "A", 10.0);
    let (_, nb) = task(&mut b, clerk, "B", 20.0);
    let (_, nc) = task(&mut b, clerk, "C", 40.0);
    let (_, ne) = task(&mut b, clerk, "E", 1.0);
    let end = b.end();
    b.chain(&[0, nd]);
    b.edge(nd, na, EdgeKind::Branch, 0.5);
    b.edge(nd, nb, EdgeKind::Branch, 0.3);
    b.edge(nd, nc, EdgeKind::Branch, 0.2);
    for n in [na, nb, nc] {
        b.edge(n, ne, EdgeKind::Sequence, 1.0);
    }
    b.chain(&[ne, end]);
    let a = run(&b.finish());
    close(a.step_visits[1], 0.5, "v(A)");
    close(a.step_visits[2], 0.3, "v(B)");
    close(a.step_visits[3], 0.2, "v(C)");
    close(a.step_visits[4], 1.0, "v(E)");
    // Lead = 2 + 0.5·10 + 0.3·20 + 0.2·40 + 1 = 22; steps 5 structural, 3 expected.
    close(a.metrics.lead_time_minutes, 22.0, "lead");
    assert_eq!(a.metrics.steps.structural, 5);
    close(a.metrics.steps.expected, 3.0, "Σv");
    assert_eq!(a.metrics.decisions.structural, 1);
    assert_eq!(a.metrics.handoffs.structural, 0);
}

/// S0 (5分) → 並行 [X 30分 → Y 20分 | Z 100分 (待ち 0)] → S9 (5分) → End
fn parallel_model() -> Model {
    let mut b = ModelBuilder::new("parallel");
    let a1 = b.actor("税務課", ActorKind::Staff);
    let a2 = b.actor("市民課", ActorKind::Staff);
    let (_, n0) = task(&mut b, a1, "受け付ける", 5.0);
    let split = b.node(Node::Split {
        block: 0,
        span: Span::default(),
    });
    let (_, nx) = task(&mut b, a1, "X", 30.0);
    let (_, ny) = task(&mut b, a1, "Y", 20.0);
    let (_, nz) = task(&mut b, a2, "Z", 100.0);
    let join = b.node(Node::Join {
        block: 0,
        span: Span::default(),
    });
    let (_, n9) = task(&mut b, a1, "決定する", 5.0);
    let end = b.end();
    b.chain(&[0, n0, split]);
    b.edge(split, nx, EdgeKind::Parallel, 1.0);
    b.edge(split, nz, EdgeKind::Parallel, 1.0);
    b.chain(&[nx, ny]);
    b.edge(ny, join, EdgeKind::Parallel, 1.0);
    b.edge(nz, join, EdgeKind::Parallel, 1.0);
    b.chain(&[join, n9, end]);
    b.finish()
}

#[test]
fn parallel_lead_time_is_longest_branch() {
    let model = parallel_model();
    let a = run(&model);
    let m = &a.metrics;
    // Every branch gets the full count; the step after the join runs once, not twice.
    assert_eq!(a.step_visits, vec![1.0, 1.0, 1.0, 1.0, 1.0]);
    // Lead = 5 + max(30 + 20, 100) + 5 = 110; process = 5 + 30 + 20 + 100 + 5 = 160.
    close(m.lead_time_minutes, 110.0, "lead");
    close(m.process_time_minutes.total, 160.0, "process");
    // DOMAIN.md: wait = lead − process = 110 − 160 < 0, so 0 (never negative); activity ratio =
    // process / lead = 160 / 110 (two branches work at the same time).
    close(m.wait_minutes.total, 0.0, "wait");
    close(m.activity_ratio, 160.0 / 110.0, "activity");
    // Handoffs through split and join: S0(税)→Z(市民), Z(市民)→S9(税); X, Y, S9 are 税務課.
    assert_eq!(m.handoffs.structural, 2);
    close(m.handoffs.expected, 2.0, "handoffs");
    let pg = ProcessGraph::new(&model);
    let blocks = pg.parallel_blocks(&model);
    assert_eq!(blocks.len(), 1);
    assert!(blocks[0].well_formed);
    assert_eq!(blocks[0].inside.len(), 3);
}

#[test]
fn parallel_inside_loop_and_loop_inside_branch() {
    // S0 → 並行 [X 10分 with self send-back 50% | Z 15分] → R 1分 → (R → S0 25%) → End
    let mut b = ModelBuilder::new("par-loop");
    let s = b.actor("係", ActorKind::Staff);
    let (_, n0) = task(&mut b, s, "S0", 2.0);
    let split = b.node(Node::Split {
        block: 0,
        span: Span::default(),
    });
    let (_, nx) = task(&mut b, s, "X", 10.0);
    let (_, nz) = task(&mut b, s, "Z", 15.0);
    let join = b.node(Node::Join {
        block: 0,
        span: Span::default(),
    });
    let (_, nr) = task(&mut b, s, "R", 1.0);
    let end = b.end();
    b.chain(&[0, n0, split]);
    b.edge(split, nx, EdgeKind::Parallel, 1.0);
    b.edge(split, nz, EdgeKind::Parallel, 1.0);
    b.edge(nx, nx, EdgeKind::SendBack, 0.5);
    b.edge(nx, join, EdgeKind::Parallel, 0.5);
    b.edge(nz, join, EdgeKind::Parallel, 1.0);
    b.chain(&[join, nr]);
    b.edge(nr, n0, EdgeKind::SendBack, 0.25);
    b.edge(nr, end, EdgeKind::Sequence, 0.75);
    let a = run(&b.finish());
    // Outer loop: v(S0) = v(R) = 1/0.75; X repeats 1/(1−0.5) = 2 per pass: v(X) = 2/0.75.
    close(a.step_visits[0], 1.0 / 0.75, "v(S0)");
    close(a.step_visits[1], 2.0 / 0.75, "v(X)");
    close(a.step_visits[2], 1.0 / 0.75, "v(Z)");
    close(a.step_visits[3], 1.0 / 0.75, "v(R)");
    // Branch X takes 10·2 = 20 min in expectation, Z 15: one pass = 2 + max(20, 15) + 1 = 23;
    // T(S0) = 23 + 0.25·T(S0) → 23/0.75.
    close(a.metrics.lead_time_minutes, 23.0 / 0.75, "lead");
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
}

#[test]
fn two_separate_visits() {
    // R1 住民 来庁 (5分, 待ち 15分) → C1 窓口 (5分) → B 審査 (30分) → R2 住民 来庁 (2分, 待ち 10分)
    // → C2 交付窓口 (3分) → End
    let mut b = ModelBuilder::new("visits");
    let resident = b.actor("住民", ActorKind::Resident);
    let counter = b.actor("窓口", ActorKind::Staff);
    let back = b.actor("審査", ActorKind::Staff);
    let issue = b.actor("交付窓口", ActorKind::Staff);
    let (r1, n1) = task(&mut b, resident, "申請に来庁する", 5.0);
    b.step_mut(r1).flags.visit = true;
    b.step_mut(r1).wait = mins(15.0);
    let (_, n2) = task(&mut b, counter, "受け付ける", 5.0);
    let (_, n3) = task(&mut b, back, "審査する", 30.0);
    let (r2, n4) = task(&mut b, resident, "受け取りに来庁する", 2.0);
    b.step_mut(r2).medium = Some(Medium::InPerson);
    b.step_mut(r2).wait = mins(10.0);
    let (_, n5) = task(&mut b, issue, "交付する", 3.0);
    let end = b.end();
    b.chain(&[0, n1, n2, n3, n4, n5, end]);
    let m = run(&b.finish()).metrics;
    // Two runs of in-person steps → 2 visits; counters 窓口 and 交付窓口 (審査 is back office).
    assert_eq!(m.visits.structural, 2);
    close(m.visits.expected, 2.0, "visits");
    assert_eq!(m.counters, 2);
    assert_eq!(m.counter_actors, vec!["窓口", "交付窓口"]);
    // Resident burden: work 5 + 2 = 7; waits present 15 + 5 (窓口 works) + 10 + 3 = 33;
    // travel 2 × 30 = 60; total 100.
    close(m.resident_burden_minutes.work, 7.0, "burden work");
    close(m.resident_burden_minutes.wait, 33.0, "burden wait");
    close(m.resident_burden_minutes.travel, 60.0, "travel");
    close(m.resident_burden_minutes.total, 100.0, "burden");
    assert!(!m.digital_completion);
}

#[test]
fn a_wait_of_days_before_a_return_visit_is_spent_at_home() {
    // R1 住民 来庁 (5分, 待ち 15分) → C1 窓口 (5分) → R2 住民 再来庁 (10分, 待ち 5日) → C2 窓口 (5分).
    // The 5-day wait is longer than max_office_wait_minutes (240): it is lead time, not waiting
    // at the office. Present waits: 15 + 5 (C1) + 5 (C2) = 25; lead time: 5+15+5+10+7200+5.
    let mut b = ModelBuilder::new("return-visit");
    let resident = b.actor("住民", ActorKind::Resident);
    let counter = b.actor("窓口", ActorKind::Staff);
    let (r1, n1) = task(&mut b, resident, "申請に来庁する", 5.0);
    b.step_mut(r1).flags.visit = true;
    b.step_mut(r1).wait = mins(15.0);
    let (_, n2) = task(&mut b, counter, "受け付ける", 5.0);
    let (r2, n3) = task(&mut b, resident, "回答書を持って再来庁する", 10.0);
    b.step_mut(r2).flags.visit = true;
    b.step_mut(r2).wait = mins(5.0 * 1440.0);
    let (_, n4) = task(&mut b, counter, "登録する", 5.0);
    let end = b.end();
    b.chain(&[0, n1, n2, n3, n4, end]);
    let m = run(&b.finish()).metrics;
    close(m.visits.expected, 2.0, "visits");
    close(
        m.wait_minutes.resident_present,
        25.0,
        "waiting at the office",
    );
    close(m.lead_time_minutes, 7240.0, "lead time");
}

#[test]
fn field_written_twice() {
    // 住民 fills 申請書 [氏名, 住所] and then 届出書 (氏名, 住所, 電話): 氏名 and 住所 twice.
    let mut b = ModelBuilder::new("dup");
    let resident = b.actor("住民", ActorKind::Resident);
    let form_a = b.document("申請書", DocMedium::PaperForm, &["氏名", "住所"]);
    let form_b = b.document("届出書", DocMedium::Data, &["氏名", "住所", "電話"]);
    let (s1, n1) = task(&mut b, resident, "申請書を書く", 10.0);
    let (s2, n2) = task(&mut b, resident, "届出書を書く", 10.0);
    uses(&mut b, s1, form_a, DocRole::Fill, &[]);
    uses(&mut b, s2, form_b, DocRole::Fill, &["氏名", "住所", "電話"]);
    let end = b.end();
    b.chain(&[0, n1, n2, end]);
    let m = run(&b.finish()).metrics;
    // Fields written 2 + 3 = 5 (2 of them on paper); two fill steps.
    assert_eq!(m.handwriting.steps.structural, 2);
    assert_eq!(m.handwriting.fields.structural, 5);
    close(m.handwriting.fields.expected, 5.0, "fields per case");
    assert_eq!(m.handwriting.fields_on_paper, 2);
    // 氏名 and 住所 are written a second time: 2 repeated writings.
    assert_eq!(m.duplicate_entry.repeated, 2);
    // In order of first writing (the form's field order), not sorted by code point.
    assert_eq!(m.duplicate_entry.repeated_fields, vec!["氏名", "住所"]);
    assert_eq!(m.duplicate_entry.total, 2);
    // The paper form makes step 1 a paper touchpoint; step 2 is on data.
    assert_eq!(m.paper_touchpoints.structural, 1);
}

#[test]
fn transcription_from_paper_into_a_system() {
    // 住民 fills a paper form; 税務担当 re-keys it into 税務システム (explicit 転記); a second clerk
    // enters the same 氏名 into 福祉システム with `system=` (inferred transcription).
    let mut b = ModelBuilder::new("transcribe").volume(100.0);
    let resident = b.actor("住民", ActorKind::Resident);
    let clerk = b.actor("税務担当", ActorKind::Staff);
    let welfare = b.actor("福祉担当", ActorKind::Staff);
    let system = b.actor("税務システム", ActorKind::System);
    let form = b.document("廃車申告書", DocMedium::PaperForm, &["氏名", "車両番号"]);
    let record = b.document("福祉台帳", DocMedium::Data, &["氏名"]);
    let (s1, n1) = task(&mut b, resident, "記入する", 10.0);
    uses(&mut b, s1, form, DocRole::Fill, &[]);
    let (s2, n2) = task(&mut b, clerk, "入力する", 8.0);
    b.step_mut(s2).transcription = Some(Transcription {
        from: Endpoint::Document(form),
        to: Endpoint::System("税務システム".to_owned()),
        span: Span::default(),
    });
    let (_, n3) = task(&mut b, system, "課税台帳を更新する", 0.0);
    let (s4, n4) = task(&mut b, welfare, "福祉システムに入力する", 4.0);
    b.step_mut(s4).system = Some("福祉システム".to_owned());
    uses(&mut b, s4, record, DocRole::Fill, &[]);
    let end = b.end();
    b.chain(&[0, n1, n2, n3, n4, end]);
    let m = run(&b.finish()).metrics;
    // Explicit: S2 from paper. Inferred: S4 keys 氏名, written upstream on the paper form.
    assert_eq!(m.transcriptions.structural, 2);
    assert_eq!(m.transcriptions.from_paper, 2);
    assert_eq!(m.transcriptions.by_people.structural, 2);
    // Handoffs 住民→税務担当→税務システム→福祉担当: 3, of which 1 between two people.
    assert_eq!(m.handoffs.structural, 3);
    assert_eq!(m.handoffs.between_people.structural, 1);
    close(m.transcriptions.expected, 2.0, "per case");
    // Systems: the system actor, then 福祉システム (税務システム named twice counts once).
    assert_eq!(m.systems.names, vec!["税務システム", "福祉システム"]);
    assert_eq!(m.systems.distinct, 2);
    // Automation: 1 of 4 executions by a system actor; digital ratio the same (no digital media).
    close(m.automation_rate, 0.25, "automation");
    close(m.digital_ratio.structural, 0.25, "digital");
    // Annual transcriptions 2 × 100; staff 12 min × 100 / 60 = 20 h.
    close(
        m.per_year.expect("volume").transcriptions,
        200.0,
        "per year",
    );
    close(m.staff_hours_per_year.expect("volume"), 20.0, "staff h");
}

#[test]
fn gov_held_attachment() {
    // 住民 attaches 住民票の写し (gov-held: 氏名, 住所, 世帯) and 診断書 (not held).
    let mut b = ModelBuilder::new("attach");
    let resident = b.actor("住民", ActorKind::Resident);
    let clerk = b.actor("窓口", ActorKind::Staff);
    let juminhyo = b.document(
        "住民票の写し",
        DocMedium::Printed,
        &["氏名", "住所", "世帯"],
    );
    b.model_mut().documents[juminhyo].gov_held = true;
    let cert = b.document("診断書", DocMedium::Printed, &[]);
    let (s1, n1) = task(&mut b, resident, "書類を添付して郵送する", 5.0);
    b.step_mut(s1).medium = Some(Medium::Mail);
    uses(&mut b, s1, juminhyo, DocRole::Attach, &[]);
    uses(&mut b, s1, cert, DocRole::Attach, &[]);
    let (s2, n2) = task(&mut b, clerk, "確認する", 5.0);
    b.step_mut(s2).flags.seal = true;
    let end = b.end();
    b.chain(&[0, n1, n2, end]);
    let m = run(&b.finish()).metrics;
    assert_eq!(m.attachments.total, 2);
    assert_eq!(m.attachments.gov_held, 1);
    // The three fields of the gov-held document are asked from the resident.
    assert_eq!(m.duplicate_entry.gov_held, 3);
    assert_eq!(m.duplicate_entry.total, 3);
    assert_eq!(m.seals.structural, 1);
    assert_eq!(m.seals.seal, 1);
    // Mailed paper, no visit: 0 visits, and no digital path.
    close(m.visits.expected, 0.0, "visits");
    assert!(!m.digital_completion);
}

#[test]
fn loop_that_never_exits_is_an_error_not_a_hang() {
    // S1 → S2 → (100% back to S1): no case ever leaves.
    let mut b = ModelBuilder::new("closed");
    let clerk = b.actor("係", ActorKind::Staff);
    let (_, n1) = task(&mut b, clerk, "1", 5.0);
    let (_, n2) = task(&mut b, clerk, "2", 5.0);
    let end = b.end();
    b.chain(&[0, n1, n2]);
    b.edge(n2, n1, EdgeKind::SendBack, 1.0);
    b.edge(n2, end, EdgeKind::Sequence, 0.0);
    let a = analyze(&b.finish(), &Settings::default());
    let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, vec![codes::LOOP_NEVER_EXITS]);
    assert!(a.diagnostics[0].message.en.contains("1 → 2 → 1"));
    // Metrics are computed as if the jump back were never taken: finite, v = 1.
    assert_eq!(a.step_visits, vec![1.0, 1.0]);
    close(a.metrics.lead_time_minutes, 10.0, "lead");
}

#[test]
fn digital_completion_needs_one_clean_path() {
    // 申請 → [オンライン 60% (digital) | 窓口 40% (in person)] → システム 受理 → End
    let mut b = ModelBuilder::new("digital");
    let resident = b.actor("住民", ActorKind::Resident);
    let system = b.actor("電子申請", ActorKind::System);
    let (d, nd) = task(&mut b, resident, "申請方法を選ぶ", 0.0);
    b.step_mut(d).kind = StepKind::Decision;
    let (on, non) = task(&mut b, resident, "オンラインで申請する", 10.0);
    b.step_mut(on).medium = Some(Medium::Digital);
    let (off, noff) = task(&mut b, resident, "窓口で申請する", 20.0);
    b.step_mut(off).flags.visit = true;
    let (_, nr) = task(&mut b, system, "受理する", 0.0);
    let end = b.end();
    b.chain(&[0, nd]);
    b.edge(nd, non, EdgeKind::Branch, 0.6);
    b.edge(nd, noff, EdgeKind::Branch, 0.4);
    b.chain(&[non, nr, end]);
    b.chain(&[noff, nr]);
    let m = run(&b.finish()).metrics;
    assert!(m.digital_completion);
    // Digital steps: オンライン (medium) and 受理 (system actor): 2 of 4 written;
    // by executions (0.6 + 1) / (1 + 0.6 + 0.4 + 1) = 1.6 / 3.
    close(m.digital_ratio.structural, 0.5, "digital structural");
    close(m.digital_ratio.expected, 1.6 / 3.0, "digital expected");
    close(m.visits.expected, 0.4, "visits");
    close(m.resident_burden_minutes.travel, 12.0, "travel 0.4 × 30");
}

#[test]
fn empty_and_broken_models_never_panic() {
    let empty = Model::default();
    let a = analyze(&empty, &Settings::default());
    assert!(a.step_visits.is_empty());
    assert!(!a.metrics.digital_completion);
    // Edges to missing nodes, a step with a missing actor, NaN probabilities.
    let mut b = ModelBuilder::new("broken");
    let s = b.step(42, "誰か");
    let n = b.node_of(s);
    b.edge(0, n, EdgeKind::Sequence, f64::NAN);
    b.edge(n, 999, EdgeKind::Sequence, 1.0);
    b.step_mut(s).work = mins(f64::INFINITY);
    let a = analyze(&b.finish(), &Settings::default());
    let json = serde_json::to_string(&a).expect("serialises");
    assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
    close(a.step_visits[0], 1.0, "v");
}

#[test]
fn rows_keys_are_unique_and_json_keys_stable() {
    let a = run(&send_back_10());
    let rows = a.metrics.rows();
    let mut keys: Vec<&str> = rows.iter().map(|r| r.key).collect();
    let before = keys.len();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), before, "duplicate row keys");
    let json = serde_json::to_value(&a.metrics).expect("serialise");
    for key in [
        "steps",
        "decisions",
        "handoffs",
        "paper_touchpoints",
        "visits",
        "counters",
        "handwriting",
        "duplicate_entry",
        "transcriptions",
        "seals",
        "attachments",
        "systems",
        "process_time_minutes",
        "lead_time_minutes",
        "wait_minutes",
        "activity_ratio",
        "staff_hours_per_year",
        "fte",
        "resident_burden_minutes",
        "digital_ratio",
        "digital_completion",
        "automation_rate",
    ] {
        assert!(json.get(key).is_some(), "missing key {key}");
    }
    // Every row key is a JSON path to the same value.
    for r in &rows {
        let mut at = &json;
        for part in r.key.split('.') {
            at = &at[part];
        }
        let value = at
            .as_f64()
            .or_else(|| at.as_bool().map(|b| if b { 1.0 } else { 0.0 }))
            .unwrap_or(f64::NAN);
        close(value, r.value, r.key);
    }
}

/// A tiny deterministic generator (no dependency needed for a fuzz-like sweep).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap_or(0) % below.max(1)
    }
}

#[test]
fn random_graphs_never_panic_and_stay_finite() {
    for seed in 0..300 {
        let mut rng = Lcg(seed);
        let mut b = ModelBuilder::new("random").volume(100.0);
        let kinds = [
            ActorKind::Resident,
            ActorKind::Staff,
            ActorKind::External,
            ActorKind::System,
            ActorKind::Rpa,
        ];
        let actors: Vec<usize> = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| b.actor(&format!("a{i}"), *k))
            .collect();
        let mut nodes = vec![0];
        for i in 0..(2 + rng.next(12)) {
            let node = match rng.next(8) {
                0 => b.node(Node::Split {
                    block: rng.next(3),
                    span: Span::default(),
                }),
                1 => b.node(Node::Join {
                    block: rng.next(3),
                    span: Span::default(),
                }),
                2 => b.end(),
                _ => {
                    let (s, n) = task(&mut b, actors[rng.next(5)], &format!("s{i}"), 1.0);
                    #[allow(clippy::cast_precision_loss)] // tiny numbers
                    {
                        b.step_mut(s).wait = mins(rng.next(100) as f64);
                    }
                    if rng.next(3) == 0 {
                        b.step_mut(s).flags.visit = true;
                    }
                    n
                }
            };
            nodes.push(node);
        }
        for _ in 0..(nodes.len() + rng.next(2 * nodes.len())) {
            let from = nodes[rng.next(nodes.len())];
            let to = nodes[rng.next(nodes.len())];
            #[allow(clippy::cast_precision_loss)] // tiny numbers
            let p = [0.0, 0.1, 0.5, 1.0, 1.5, f64::NAN][rng.next(6)] * (1.0 + rng.next(3) as f64);
            b.edge(from, to, EdgeKind::Sequence, p);
        }
        let model = b.finish();
        let a = analyze(&model, &Settings::default());
        let json = serde_json::to_string(&a).expect("serialises");
        assert!(
            !json.contains("NaN") && !json.contains("inf") && !json.contains("null,"),
            "seed {seed}: {json}"
        );
        assert!(a.step_visits.iter().all(|v| v.is_finite() && *v >= 0.0));
        assert!(a.metrics.lead_time_minutes >= 0.0, "seed {seed}");
    }
}

#[test]
fn rpa_transcription_is_not_work_by_people() {
    // RPA re-keys an online form into the system: still a transcription, none by people.
    let mut b = ModelBuilder::new("rpa");
    let robot = b.actor("RPA", ActorKind::Rpa);
    let form = b.document("電子申請データ", DocMedium::Data, &["氏名"]);
    let (s1, n1) = task(&mut b, robot, "基幹システムへ入力する", 1.0);
    b.step_mut(s1).transcription = Some(Transcription {
        from: Endpoint::Document(form),
        to: Endpoint::System("基幹システム".to_owned()),
        span: Span::default(),
    });
    let end = b.end();
    b.chain(&[0, n1, end]);
    let m = run(&b.finish()).metrics;
    assert_eq!(m.transcriptions.structural, 1);
    assert_eq!(m.transcriptions.from_system, 1);
    assert_eq!(m.transcriptions.by_people.structural, 0);
    close(m.automation_rate, 1.0, "automation");
    assert!(m.digital_completion);
}
