//! Every rule on small hand-built models: where it fires (with the score worked out by hand in the
//! comments) and where it must not fire. Models are built with `ModelBuilder`, so these tests do
//! not depend on the parser.

use nagare_candidates::{
    BlockerKind, CandidateSettings, Difficulty, Extent, Finding, RuleId, Status, find_with_visits,
    format_csv, format_details, format_ranking, format_realised, format_summary, procedure_hours,
    rank, realised, top_heading,
};
use nagare_model::{
    ActorKind, DocMedium, DocRole, DocUse, Endpoint, Medium, Minutes, Model, ModelBuilder, StepId,
    StepKind, Transcription, Variant,
};
use nagare_syntax::Lang;
use nagare_syntax::Span;

fn mins(p50: f64) -> Option<Minutes> {
    Some(Minutes { p50, p90: None })
}

fn fill(doc: usize) -> DocUse {
    uses(doc, DocRole::Fill)
}

fn uses(doc: usize, role: DocRole) -> DocUse {
    DocUse {
        doc,
        role,
        fields: Vec::new(),
        span: Span::default(),
    }
}

fn transcribe(from: Endpoint, to: Endpoint) -> Option<Transcription> {
    Some(Transcription {
        from,
        to,
        span: Span::default(),
    })
}

/// Connects every step in declaration order from the start to one end.
fn chain_all(b: &mut ModelBuilder, steps: &[StepId]) {
    let mut nodes = vec![0];
    nodes.extend(steps.iter().map(|&s| b.node_of(s)));
    let end = b.end();
    nodes.push(end);
    b.chain(&nodes);
}

fn find(model: &Model) -> Vec<Finding> {
    find_with_visits(model, &[], &CandidateSettings::default())
}

fn only(findings: &[Finding], rule: RuleId) -> Vec<&Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

fn one(findings: &[Finding], rule: RuleId) -> &Finding {
    let found = only(findings, rule);
    assert_eq!(
        found.len(),
        1,
        "expected one {rule:?} finding, got {found:#?}"
    );
    found[0]
}

fn points(f: &Finding, id: &str) -> f64 {
    f.criteria
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("criterion {id} missing in {f:#?}"))
        .points
}

fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 0.051,
        "expected {expected}, got {actual}"
    );
}

/// The number-plate procedure of DOMAIN.md §3, 1,200 cases a year:
/// S1 resident fills the paper form (10 min); S2 resident hands it in at the counter with the
/// number plate (visit, wait 15 min); S3 counter checks (5 min, identity check); S4 tax clerk
/// re-keys the form into the tax system (8 min); S5 tax clerk gets the chief's seal on paper
/// (wait 1 day).
fn haisha(with_plate: bool) -> Model {
    let mut b = ModelBuilder::new("軽自動車税 廃車申告")
        .id("haisha")
        .volume(1200.0);
    let resident = b.actor("住民", ActorKind::Resident);
    let counter = b.actor("窓口", ActorKind::Staff);
    let clerk = b.actor("税務担当", ActorKind::Staff);
    b.actor("税務システム", ActorKind::System);
    for a in [counter, clerk] {
        b.model_mut().actors[a].department = Some("税務課".to_owned());
    }
    let form = b.document(
        "廃車申告書",
        DocMedium::PaperForm,
        &["氏名", "住所", "車両番号", "標識番号"],
    );
    let s1 = b.step(resident, "廃車申告書に記入する");
    let s2 = b.step(resident, "窓口へ提出する");
    let s3 = b.step(counter, "記載内容を確認する");
    let s4 = b.step(clerk, "税務システムに入力する");
    let s5 = b.step(clerk, "課長決裁を受ける");
    for (s, id) in [(s1, "S1"), (s2, "S2"), (s3, "S3"), (s4, "S4"), (s5, "S5")] {
        b.step_id(s, id);
    }
    {
        let st = b.step_mut(s1);
        st.medium = Some(Medium::Paper);
        st.work = mins(10.0);
        st.docs = vec![fill(form)];
    }
    {
        let st = b.step_mut(s2);
        st.medium = Some(Medium::InPerson);
        st.flags.visit = true;
        st.wait = mins(15.0);
        if with_plate {
            st.item = Some("ナンバープレート".to_owned());
        }
    }
    {
        let st = b.step_mut(s3);
        st.work = mins(5.0);
        st.flags.id_check = true;
    }
    {
        let st = b.step_mut(s4);
        st.work = mins(8.0);
        st.transcription = transcribe(
            Endpoint::Document(form),
            Endpoint::System("税務システム".to_owned()),
        );
    }
    {
        let st = b.step_mut(s5);
        st.medium = Some(Medium::Paper);
        st.flags.seal = true;
        st.wait = mins(1440.0);
    }
    chain_all(&mut b, &[s1, s2, s3, s4, s5]);
    b.finish()
}

/// A procedure that is already digital: the resident applies online, the system stores it.
fn digital_only() -> Model {
    let mut b = ModelBuilder::new("電子申請").id("digital").volume(5000.0);
    let resident = b.actor("住民", ActorKind::Resident);
    let system = b.actor("電子申請システム", ActorKind::System);
    let form = b.document("申請データ", DocMedium::Data, &["氏名", "住所"]);
    let s1 = b.step(resident, "オンラインで申請する");
    let s2 = b.step(system, "受け付ける");
    b.step_mut(s1).medium = Some(Medium::Digital);
    b.step_mut(s1).docs = vec![fill(form)];
    b.step_mut(s1).work = mins(5.0);
    b.step_mut(s2).medium = Some(Medium::Digital);
    chain_all(&mut b, &[s1, s2]);
    b.finish()
}

// ----------------------------------------------------------------------------------------------
// Online application

#[test]
fn online_fires_partly_online_on_the_number_plate_procedure() {
    let findings = find(&haisha(true));
    let f = one(&findings, RuleId::Online);
    assert_eq!(f.steps, ["S1", "S2"]);
    assert_eq!(f.extent, Some(Extent::Partial));
    assert!(
        f.blockers
            .iter()
            .any(|b| b.kind == BlockerKind::PhysicalItem && b.step == "S2")
    );
    // volume: 1,200 ≥ 1,000 → 25
    close(points(f, "volume"), 25.0);
    // visits: the only visit (S2) carries the plate → 0 removable → 0
    close(points(f, "visits"), 0.0);
    // handwriting: 4 fields written, no repeats, none gov-held → 15 × 4/10 = 6
    close(points(f, "handwriting"), 6.0);
    // attachments: none → 10; identity check replaceable → 10; not a priority → 0
    close(points(f, "attachments"), 10.0);
    close(points(f, "id_check"), 10.0);
    close(points(f, "priority"), 0.0);
    // S4 re-keys into 税務システム → the data can be imported → 10; no fee → 0
    close(points(f, "import"), 10.0);
    close(points(f, "fee"), 0.0);
    // 25 + 0 + 6 + 10 + 10 + 0 + 10 + 0 = 61
    close(f.score, 61.0);
    // staff: S4 re-keys the resident's form: 1,200 × 0.5 uptake × 8 min ÷ 60 = 80 h;
    // resident: the only visit is blocked → 0
    close(f.hours.staff, 80.0);
    close(f.hours.resident, 0.0);
}

#[test]
fn online_fires_fully_when_nothing_blocks_and_counts_the_visit() {
    let findings = find(&haisha(false));
    let f = one(&findings, RuleId::Online);
    assert_eq!(f.extent, Some(Extent::Full));
    assert!(f.blockers.is_empty());
    // one removable visit per case → 20; total 61 + 20 = 81
    close(points(f, "visits"), 20.0);
    close(f.score, 81.0);
    // resident: 1,200 × 0.5 × (30 min travel + 0 work + 15 min wait) ÷ 60 = 450 h
    close(f.hours.resident, 450.0);
}

#[test]
fn online_scores_priority_fee_and_gov_held_attachments() {
    let mut model = haisha(false);
    model.process.national_priority = true;
    model.process.fee_yen = Some(300.0);
    let cert = model.documents.len();
    model.documents.push(nagare_model::Document {
        name: "住民票の写し".to_owned(),
        medium: DocMedium::PaperForm,
        fields: vec!["氏名".to_owned()],
        gov_held: true,
        span: Span::default(),
    });
    let other = model.documents.len();
    model.documents.push(nagare_model::Document {
        name: "車検証".to_owned(),
        medium: DocMedium::Printed,
        fields: Vec::new(),
        gov_held: false,
        span: Span::default(),
    });
    model.steps[1].docs = vec![uses(cert, DocRole::Attach), uses(other, DocRole::Attach)];
    let f = find(&model)
        .into_iter()
        .find(|f| f.rule == RuleId::Online)
        .expect("online fires");
    // priority → 10; fee without online payment → −5; 1 of 2 attachments gov-held → 10 × 1/2 = 5
    close(points(f_ref(&f), "priority"), 10.0);
    close(points(&f, "fee"), -5.0);
    close(points(&f, "attachments"), 5.0);
    // 25 + 20 + 6 + 5 + 10 + 10 + 10 − 5 = 81
    close(f.score, 81.0);
}

fn f_ref(f: &Finding) -> &Finding {
    f
}

#[test]
fn online_does_not_fire_on_a_digital_procedure_or_without_residents() {
    assert!(only(&find(&digital_only()), RuleId::Online).is_empty());

    let mut b = ModelBuilder::new("内部事務").id("internal").volume(300.0);
    let staff = b.actor("職員", ActorKind::Staff);
    let s1 = b.step(staff, "書類を整理する");
    b.step_mut(s1).medium = Some(Medium::Paper);
    chain_all(&mut b, &[s1]);
    assert!(only(&find(&b.finish()), RuleId::Online).is_empty());
}

#[test]
fn legal_presence_and_inspection_make_it_partly_online() {
    let mut model = haisha(false);
    model.steps[2].flags.legal_presence = true;
    model.steps[4].flags.inspection = true;
    let findings = find(&model);
    let f = one(&findings, RuleId::Online);
    assert_eq!(f.extent, Some(Extent::Partial));
    let kinds: Vec<BlockerKind> = f.blockers.iter().map(|b| b.kind).collect();
    assert_eq!(kinds, [BlockerKind::LegalPresence, BlockerKind::Inspection]);
    // The identity check at S3 now needs presence by law → 0 points for it.
    close(points(f, "id_check"), 0.0);
}

// ----------------------------------------------------------------------------------------------
// RPA

#[test]
fn rpa_fires_on_re_keying_with_each_criterion_worked_out() {
    let findings = find(&haisha(true));
    let f = one(&findings, RuleId::Rpa);
    assert_eq!(f.steps, ["S4"]);
    // hours: 1,200 × 8 min ÷ 60 = 160 h → 30 × (160 − 20)/180 = 23.3
    close(points(f, "hours"), 23.3);
    // rule-based not stated → 3 → 20 × 2/4 = 10
    close(points(f, "rule_based"), 10.0);
    // input: a paper form (boxed handwriting) → 4 of 15
    close(points(f, "input"), 4.0);
    // exceptions not stated → 10 % → 15 × (1 − 0.1/0.3) = 10
    close(points(f, "exceptions"), 10.0);
    // stability: not on a loop (5) + target is the declared 税務システム (5) = 10
    close(points(f, "stability"), 10.0);
    // complexity: 0 decisions, 1 system → 10; no manual check → 0
    close(points(f, "complexity"), 10.0);
    close(points(f, "manual_check"), 0.0);
    // 23.3 + 10 + 4 + 10 + 10 + 10 = 67.3
    close(f.score, 67.3);
    // 160 h × (1 − 0.1) = 144 h
    close(f.hours.staff, 144.0);
    assert_eq!(f.difficulty, Some(Difficulty::Low));
    assert!(
        !f.prerequisites.is_empty(),
        "paper input needs digitising first"
    );
}

#[test]
fn rpa_on_structured_data_scores_high_and_manual_check_costs_twenty() {
    let mut b = ModelBuilder::new("名簿").id("roster").volume(2000.0);
    let clerk = b.actor("学務係", ActorKind::Staff);
    b.actor("学務システム", ActorKind::System);
    let csv = b.document("申請データ", DocMedium::Data, &["氏名"]);
    let s1 = b.step(clerk, "学務システムに入力する");
    b.step_id(s1, "R1");
    {
        let st = b.step_mut(s1);
        st.work = mins(6.0);
        st.rule_based = Some(5);
        st.exception_rate = Some(0.0);
        st.transcription = transcribe(
            Endpoint::Document(csv),
            Endpoint::System("学務システム".to_owned()),
        );
    }
    chain_all(&mut b, &[s1]);
    let model = b.finish();
    let f = find(&model)
        .into_iter()
        .find(|f| f.rule == RuleId::Rpa)
        .expect("rpa fires");
    // hours: 2,000 × 6 ÷ 60 = 200 h → 30; rule-based 5 → 20; data → 15; 0 % → 15;
    // stability 10; complexity 10 → 100
    close(f.score, 100.0);
    close(f.hours.staff, 200.0);

    let mut checked = model.clone();
    checked.steps[0].flags.manual_check = true;
    let g = find(&checked)
        .into_iter()
        .find(|f| f.rule == RuleId::Rpa)
        .expect("rpa still fires");
    // 100 − 20 = 80, and the manual check is reported as a blocker
    close(points(&g, "manual_check"), -20.0);
    close(g.score, 80.0);
    assert!(
        g.blockers
            .iter()
            .any(|b| b.kind == BlockerKind::ManualCheck)
    );
}

#[test]
fn rpa_finds_rosters_in_excel_and_printed_notices() {
    let mut b = ModelBuilder::new("就学援助").id("aid").volume(600.0);
    let clerk = b.actor("学務係", ActorKind::Staff);
    let roster = b.document("認定者名簿", DocMedium::Data, &[]);
    let notice = b.document("決定通知書", DocMedium::Printed, &[]);
    let s1 = b.step(clerk, "名簿を作る");
    let s2 = b.step(clerk, "通知書を印刷する");
    b.step_mut(s1).system = Some("Excel".to_owned());
    b.step_mut(s1).docs = vec![uses(roster, DocRole::Produce)];
    b.step_mut(s1).work = mins(10.0);
    b.step_mut(s2).docs = vec![uses(notice, DocRole::Produce)];
    b.step_mut(s2).system = Some("学務システム".to_owned());
    b.step_mut(s2).work = mins(3.0);
    chain_all(&mut b, &[s1, s2]);
    let findings = find(&b.finish());
    let rpa = only(&findings, RuleId::Rpa);
    assert_eq!(rpa.len(), 2);
    assert!(
        rpa.iter()
            .any(|f| f.steps == ["n1"] && f.title.en.contains("roster"))
    );
    assert!(
        rpa.iter()
            .any(|f| f.steps == ["n2"] && f.title.en.contains("notices"))
    );
    // The Excel roster is not a declared system: stability only gets the no-loop half (5).
    let roster_finding = rpa.iter().find(|f| f.steps == ["n1"]).expect("roster");
    close(points(roster_finding, "stability"), 5.0);
}

#[test]
fn rpa_does_not_fire_on_robots_or_judgements() {
    let mut b = ModelBuilder::new("審査").id("judge").volume(1000.0);
    let clerk = b.actor("審査係", ActorKind::Staff);
    let robot = b.actor("RPA", ActorKind::Rpa);
    b.actor("基幹システム", ActorKind::System);
    let data = b.document("申請データ", DocMedium::Data, &[]);
    let s1 = b.step(robot, "基幹システムに入力する");
    let s2 = b.step(clerk, "認定を審査する");
    b.step_mut(s1).transcription = transcribe(
        Endpoint::Document(data),
        Endpoint::System("基幹システム".to_owned()),
    );
    b.step_mut(s2).kind = StepKind::Decision;
    b.step_mut(s2).work = mins(30.0);
    chain_all(&mut b, &[s1, s2]);
    let findings = find(&b.finish());
    assert!(only(&findings, RuleId::Rpa).is_empty(), "{findings:#?}");
    assert!(only(&findings, RuleId::AiOcr).is_empty());
}

#[test]
fn rpa_does_not_fire_on_printing_a_draft_or_on_counter_work() {
    let mut b = ModelBuilder::new("起案").id("draft").volume(15_000.0);
    let clerk = b.actor("起案者", ActorKind::Staff);
    let draft = b.document("起案用紙", DocMedium::Printed, &[]);
    let s1 = b.step(clerk, "起案用紙を印刷して綴る");
    b.step_mut(s1).docs = vec![uses(draft, DocRole::Produce)];
    b.step_mut(s1).work = mins(5.0);
    chain_all(&mut b, &[s1]);
    assert!(only(&find(&b.finish()), RuleId::Rpa).is_empty());

    // S3 of the number-plate procedure at the counter, re-labelled as a cross-check (照合):
    // face-to-face work is not a robot's.
    let mut model = haisha(true);
    model.steps[2].label = "標識番号を照合する".to_owned();
    model.steps[2].medium = Some(Medium::InPerson);
    let rpa: Vec<Vec<String>> = only(&find(&model), RuleId::Rpa)
        .iter()
        .map(|f| f.steps.clone())
        .collect();
    assert_eq!(rpa, [["S4"]]);
}

#[test]
fn an_item_bought_elsewhere_does_not_block_online() {
    // The resident buys a fee sticker at a shop (in person, not an office visit).
    let mut model = haisha(false);
    let s1 = &mut model.steps[0];
    s1.item = Some("処理券".to_owned());
    s1.medium = Some(Medium::InPerson);
    let findings = find(&model);
    let f = one(&findings, RuleId::Online);
    assert_eq!(f.extent, Some(Extent::Full), "{:#?}", f.blockers);
    // The plate handed in on an office visit does block.
    let findings = find(&haisha(true));
    assert_eq!(one(&findings, RuleId::Online).extent, Some(Extent::Partial));
}

#[test]
fn rpa_counts_rework_visits_in_hours() {
    // With a 10 % send-back over S1–S3, v = 1/0.9 for those steps; S4 stays at 1.
    let model = haisha(true);
    let v = [1.0 / 0.9, 1.0 / 0.9, 1.0 / 0.9, 1.0, 1.0];
    let findings = find_with_visits(&model, &v, &CandidateSettings::default());
    let f = one(&findings, RuleId::Rpa);
    close(f.hours.staff, 144.0);
    // If S4 itself ran 2× per case: 1,200 × 2 × 8 ÷ 60 = 320 h → hours criterion full (30),
    // stability loses the no-loop half (5): 30 + 10 + 4 + 10 + 5 + 10 = 69
    let v2 = [1.0, 1.0, 1.0, 2.0, 1.0];
    let findings = find_with_visits(&model, &v2, &CandidateSettings::default());
    let f = one(&findings, RuleId::Rpa);
    close(f.score, 69.0);
    close(f.hours.staff, 288.0);
}

// ----------------------------------------------------------------------------------------------
// AI-OCR

#[test]
fn ai_ocr_comes_after_online_and_is_sized_on_the_paper_left() {
    let findings = find(&haisha(true));
    let f = one(&findings, RuleId::AiOcr);
    assert_eq!(f.steps, ["S4"]);
    // online fires and the form is the resident's → paper share 1 − 0.5 = 0.5 → 600 sheets
    // sheets: 40 × ln(600/200)/ln(2000/200) = 40 × 0.4771 = 19.1
    close(points(f, "sheets"), 19.1);
    // boxed handwriting 93 %: 30 × (0.93 − 0.70)/(0.99 − 0.70) = 23.8
    close(points(f, "accuracy"), 23.8);
    // hours on paper: 600 × 8 ÷ 60 = 80 h → 20 × (80 − 20)/180 = 6.7
    close(points(f, "hours"), 6.7);
    // into a system → 10. Total 19.1 + 23.8 + 6.7 + 10 = 59.6
    close(points(f, "target"), 10.0);
    close(f.score, 59.6);
    // 80 h × 0.93 = 74.4 h
    close(f.hours.staff, 74.4);
    assert!(f.reasons.iter().any(|r| r.en.contains("online first")));
}

#[test]
fn ai_ocr_does_not_fire_on_free_handwriting_or_few_sheets() {
    let mut free = haisha(true);
    free.documents[0].medium = DocMedium::Handwritten;
    assert!(only(&find(&free), RuleId::AiOcr).is_empty());

    // 300 cases, half expected online → 150 sheets < 200
    let mut few = haisha(true);
    few.process.volume_per_year = Some(300.0);
    assert!(only(&find(&few), RuleId::AiOcr).is_empty());

    // Structured data is not OCR work either.
    assert!(only(&find(&digital_only()), RuleId::AiOcr).is_empty());
}

// ----------------------------------------------------------------------------------------------
// Once only and one-stop

/// Application + consent form + resident record certificate, 500 a year.
fn once_only_model() -> Model {
    let mut b = ModelBuilder::new("手当").id("allowance").volume(500.0);
    let resident = b.actor("住民", ActorKind::Resident);
    let app = b.document(
        "申請書",
        DocMedium::PaperForm,
        &["氏名", "住所", "児童氏名"],
    );
    let consent = b.document("同意書", DocMedium::PaperForm, &["氏名", "住所"]);
    let cert = b.document(
        "住民票の写し",
        DocMedium::Printed,
        &["氏名", "住所", "世帯"],
    );
    b.model_mut().documents[cert].gov_held = true;
    let s1 = b.step(resident, "申請書を書く");
    let s2 = b.step(resident, "同意書を書く");
    let s3 = b.step(resident, "住民票を添付する");
    b.step_mut(s1).docs = vec![fill(app)];
    b.step_mut(s1).work = mins(10.0);
    b.step_mut(s2).docs = vec![fill(consent)];
    b.step_mut(s2).work = mins(5.0);
    b.step_mut(s3).docs = vec![uses(cert, DocRole::Attach)];
    b.step_mut(s3).work = mins(10.0);
    for s in [s1, s2, s3] {
        b.step_mut(s).medium = Some(Medium::Mail);
    }
    chain_all(&mut b, &[s1, s2, s3]);
    b.finish()
}

#[test]
fn once_only_fires_on_gov_held_and_repeated_fields() {
    let findings = find(&once_only_model());
    let f = one(&findings, RuleId::OnceOnly);
    assert_eq!(f.steps, ["n2", "n3"]);
    // gov-held: 1 document of 2 for full → 40 × 0.5 = 20
    close(points(f, "gov_held"), 20.0);
    // 氏名 and 住所 are written on 申請書 and 同意書 → 2 repeats → 30 × 2/5 = 12
    close(points(f, "duplicates"), 12.0);
    // volume 500: 30 × ln(500/50)/ln(1000/50) = 30 × 0.7686 = 23.1
    close(points(f, "volume"), 23.1);
    close(f.score, 55.1);
    // resident: n2 repeats both of its 2 fields → all 5 min; n3's only item is gov-held → all
    // 10 min: 500 × 15 ÷ 60 = 125 h
    close(f.hours.resident, 125.0);
}

#[test]
fn once_only_does_not_fire_without_repeats_or_when_staff_read_the_record() {
    let mut b = ModelBuilder::new("単票").id("single").volume(500.0);
    let resident = b.actor("住民", ActorKind::Resident);
    let staff = b.actor("職員", ActorKind::Staff);
    let app = b.document("申請書", DocMedium::PaperForm, &["氏名", "住所"]);
    let record = b.document("住民記録", DocMedium::Data, &["氏名", "住所"]);
    b.model_mut().documents[record].gov_held = true;
    let s1 = b.step(resident, "申請書を書く");
    let s2 = b.step(staff, "住民記録を照会する");
    b.step_mut(s1).docs = vec![fill(app)];
    b.step_mut(s2).docs = vec![uses(record, DocRole::Read)];
    chain_all(&mut b, &[s1, s2]);
    let findings = find(&b.finish());
    assert!(
        only(&findings, RuleId::OnceOnly).is_empty(),
        "{findings:#?}"
    );
    assert!(only(&find(&digital_only()), RuleId::OnceOnly).is_empty());
}

/// Moving in: the resident writes a form at 市民課, then another with the same name and address
/// at 保険年金課, in the same visit. 2,000 a year.
fn tennyu(second_counter_in_person: bool) -> Model {
    let mut b = ModelBuilder::new("転入").id("tennyu").volume(2000.0);
    let resident = b.actor("住民", ActorKind::Resident);
    let shimin = b.actor("市民課", ActorKind::Staff);
    let hoken = b.actor("保険年金課", ActorKind::Staff);
    let form_a = b.document("転入届", DocMedium::PaperForm, &["氏名", "住所"]);
    let form_b = b.document("国保の届", DocMedium::PaperForm, &["氏名", "住所"]);
    let r1 = b.step(resident, "転入届を書いて出す");
    let c1 = b.step(shimin, "転入届を受け付ける");
    let r2 = b.step(resident, "国保の届を書いて出す");
    let c2 = b.step(hoken, "国保の届を受け付ける");
    {
        let st = b.step_mut(r1);
        st.flags.visit = true;
        st.medium = Some(Medium::InPerson);
        st.docs = vec![fill(form_a)];
        st.work = mins(10.0);
        st.wait = mins(30.0);
    }
    b.step_mut(c1).work = mins(5.0);
    {
        let st = b.step_mut(r2);
        st.docs = vec![fill(form_b)];
        st.work = mins(10.0);
        if second_counter_in_person {
            st.flags.visit = true;
            st.medium = Some(Medium::InPerson);
            st.wait = mins(20.0);
        } else {
            st.medium = Some(Medium::Mail);
        }
    }
    b.step_mut(c2).work = mins(5.0);
    if !second_counter_in_person {
        b.step_mut(c2).medium = Some(Medium::Mail);
    }
    chain_all(&mut b, &[r1, c1, r2, c2]);
    b.finish()
}

#[test]
fn one_stop_fires_when_the_resident_goes_round_two_counters() {
    let findings = find(&tennyu(true));
    let f = one(&findings, RuleId::OneStop);
    // counters: 市民課 and 保険年金課 → 40 × (2 − 1)/(3 − 1) = 20
    close(points(f, "counters"), 20.0);
    // 氏名, 住所 on two forms → 2 repeats → 30 × 2/5 = 12
    close(points(f, "duplicates"), 12.0);
    // volume 2,000 → 30. Total 62
    close(f.score, 62.0);
    // resident: writing at the counter 10 + 10 min, plus the 20-min queue at the second counter
    // (same visit): 2,000 × 40 ÷ 60 = 1,333.3 h
    close(f.hours.resident, 1333.3);
    // One visit: the second counter is part of it, so the online rule counts one visit.
    let online = one(&findings, RuleId::Online);
    assert!(
        online
            .criteria
            .iter()
            .any(|c| c.id == "visits" && c.why.en.starts_with("1.0 of 1.0"))
    );
}

#[test]
fn one_stop_does_not_fire_with_one_counter_and_one_form() {
    let findings = find(&haisha(true));
    assert!(only(&findings, RuleId::OneStop).is_empty(), "{findings:#?}");
    assert!(only(&find(&digital_only()), RuleId::OneStop).is_empty());
}

#[test]
fn one_stop_by_repeated_writing_alone_still_fires_but_scores_no_counters() {
    // The second form goes by post: one counter, but the same fields on two forms.
    let findings = find(&tennyu(false));
    let f = one(&findings, RuleId::OneStop);
    close(points(f, "counters"), 0.0);
    close(points(f, "duplicates"), 12.0);
}

// ----------------------------------------------------------------------------------------------
// Seals and electronic approval

#[test]
fn seal_and_e_approval_fire_on_the_paper_approval() {
    let findings = find(&haisha(true));
    let seal = one(&findings, RuleId::Seal);
    assert_eq!(seal.steps, ["S5"]);
    // S5 states no work time, so stamping saves min(0.5, 0) = 0 min → 0 h → hours 0;
    // no resident seal → 0; no legal basis for 1 of 1 seals → 15; 1 seal of 3 → 3.3;
    // volume 1,200 → 20. Total 38.3
    close(points(seal, "hours"), 0.0);
    close(points(seal, "no_legal_basis"), 15.0);
    close(points(seal, "resident"), 0.0);
    close(points(seal, "count"), 3.3);
    close(seal.score, 38.3);
    close(seal.hours.total(), 0.0);
    // It saves nothing, so it is listed after every finding that saves hours.
    assert_eq!(findings.last().map(|f| f.rule), Some(RuleId::Seal));

    let approval = one(&findings, RuleId::EApproval);
    assert_eq!(approval.steps, ["S5"]);
    // 1 approval of 3 → 10; 1 day of 3 waiting → 40/3 = 13.3; volume → 30. Total 53.3
    close(points(approval, "chain"), 10.0);
    close(points(approval, "wait"), 13.3);
    close(approval.score, 53.3);
}

#[test]
fn a_resident_seal_scores_the_resident_criterion() {
    let mut model = haisha(true);
    model.steps[0].flags.seal = true;
    let f = one(&find(&model), RuleId::Seal).clone();
    assert_eq!(f.steps, ["S1", "S5"]);
    // resident S1 (on paper at home, no visit): 1,200 × 5 min ÷ 60 = 100 h; staff S5 0 h.
    close(f.hours.resident, 100.0);
    close(f.hours.staff, 0.0);
    // hours 30 × 100/100 = 30; resident 25; no legal basis 15; count 10 × 2/3 = 6.7;
    // volume 20 → 96.7
    close(points(&f, "hours"), 30.0);
    close(points(&f, "resident"), 25.0);
    close(f.score, 96.7);

    // A seal asked on the office visit (S2) also costs the 5 % who forget it a second trip:
    // 1,200 × (5 + 0.05 × 30) ÷ 60 = 130 h.
    let mut visit = haisha(true);
    visit.steps[1].flags.seal = true;
    let g = one(&find(&visit), RuleId::Seal).clone();
    assert_eq!(g.steps, ["S2", "S5"]);
    close(g.hours.resident, 130.0);
    assert!(
        g.hours.formula.en.contains("forget"),
        "{:?}",
        g.hours.formula
    );

    // A clerk's stamp saves at most the step's work: S5 with 10 min of work → 0.5 min stamping
    // → 1,200 × 0.5 ÷ 60 = 10 h (carrying and waiting belong to e-approval).
    let mut stamped = haisha(true);
    stamped.steps[4].work = Some(nagare_model::Minutes {
        p50: 10.0,
        p90: None,
    });
    let h = one(&find(&stamped), RuleId::Seal).clone();
    close(h.hours.staff, 10.0);
    // hours 30 × 10/100 = 3; resident 0; 15; 3.3; 20 → 41.3
    close(h.score, 41.3);
}

#[test]
fn seal_does_not_fire_without_seals_or_when_the_law_requires_one() {
    let mut none = haisha(true);
    none.steps[4].flags.seal = false;
    assert!(only(&find(&none), RuleId::Seal).is_empty());

    let mut legal = haisha(true);
    legal.steps[4].flags.legal_paper = true;
    assert!(only(&find(&legal), RuleId::Seal).is_empty());
}

#[test]
fn e_approval_does_not_fire_when_approval_is_electronic_or_not_an_approval() {
    let mut digital = haisha(true);
    digital.steps[4].medium = Some(Medium::Digital);
    digital.steps[4].flags.seal = false;
    assert!(only(&find(&digital), RuleId::EApproval).is_empty());

    let mut filing = haisha(true);
    filing.steps[4].label = "書類を保管する".to_owned();
    filing.steps[4].flags.seal = false;
    assert!(only(&find(&filing), RuleId::EApproval).is_empty());
}

// ----------------------------------------------------------------------------------------------
// Settings, ranking, realised

#[test]
fn settings_come_from_the_candidates_table_and_reject_unknown_keys() {
    let settings = CandidateSettings::from_toml_str(
        "[metrics]\nhours_per_fte = 1900\n\n[candidates]\nonline_uptake = 0.8\n[candidates.rpa]\nhours = 50\n",
    )
    .expect("valid settings");
    assert!((settings.online_uptake - 0.8).abs() < 1e-12);
    assert!((settings.rpa.hours - 50.0).abs() < 1e-12);
    assert!(
        (settings.rpa.rule_based - 20.0).abs() < 1e-12,
        "others keep defaults"
    );

    let err = CandidateSettings::from_toml_str("[candidates.rpa]\nhuors = 50\n")
        .expect_err("misspelt key");
    assert!(err.to_string().contains("huors"), "{err}");
    assert!(CandidateSettings::from_toml_str("[candidates]\nonline_uptake = 2\n").is_err());
    assert_eq!(
        CandidateSettings::from_toml_str("").expect("empty file"),
        CandidateSettings::default()
    );
    // One travel time for both stages: [metrics] is used unless [candidates] sets its own.
    let shared = CandidateSettings::from_toml_str("[metrics]\ntravel_minutes_per_visit = 45\n")
        .expect("metrics travel");
    assert!((shared.travel_minutes - 45.0).abs() < 1e-12);
    let own = CandidateSettings::from_toml_str(
        "[metrics]\ntravel_minutes_per_visit = 45\n[candidates]\ntravel_minutes = 20\n",
    )
    .expect("own travel");
    assert!((own.travel_minutes - 20.0).abs() < 1e-12);
    let bad = CandidateSettings::from_toml_str("[candidates]\nfoo = 1\n").expect_err("unknown");
    assert!(
        bad.message().ja.contains("[candidates]"),
        "{:?}",
        bad.message()
    );
}

#[test]
fn a_changed_weight_changes_the_order_of_findings() {
    let model = haisha(true);
    let order = |s: &CandidateSettings| -> Vec<RuleId> {
        find_with_visits(&model, &[], s)
            .iter()
            .map(|f| f.rule)
            .collect()
    };
    // Defaults: rpa 67.3, online 61, ai-ocr 59.6, e-approval 53.3, then seal 38.3 (saves no
    // hours: S5 states no work time)
    let defaults = CandidateSettings::default();
    assert_eq!(
        order(&defaults),
        [
            RuleId::Rpa,
            RuleId::Online,
            RuleId::AiOcr,
            RuleId::EApproval,
            RuleId::Seal
        ]
    );
    // Weigh the seal's legal basis 200 points: (200 + 3.3 + 20) / 285 × 100 = 78.4, the highest
    // score, yet it saves no hours and so still comes after every finding that does.
    let mut legal = CandidateSettings::default();
    legal.seal.no_legal_basis = 200.0;
    let findings = find_with_visits(&model, &[], &legal);
    let seal = one(&findings, RuleId::Seal);
    close(seal.score, 78.4);
    assert!(
        findings
            .iter()
            .all(|f| f.score < seal.score || f.rule == RuleId::Seal)
    );
    let position = |rule: RuleId| findings.iter().position(|f| f.rule == rule);
    // rpa, online and ai-ocr save hours; e-approval (no work time stated) and seal save none.
    assert_eq!(
        order(&legal),
        [
            RuleId::Rpa,
            RuleId::Online,
            RuleId::AiOcr,
            RuleId::Seal,
            RuleId::EApproval
        ]
    );
    assert!(position(RuleId::AiOcr) < position(RuleId::Seal));
    // Give online's `import` criterion 60 points instead of 10: the positive weights now add up
    // to 150, so online = (25 + 0 + 6 + 10 + 10 + 0 + 60) / 150 × 100 = 74 → first.
    let mut heavy = CandidateSettings::default();
    heavy.online.import = 60.0;
    assert_eq!(order(&heavy)[0], RuleId::Online);
}

#[test]
fn the_portfolio_is_ranked_by_hours_counting_each_step_once() {
    let plate = haisha(true);
    let moving = tennyu(true);
    let settings = CandidateSettings::default();
    let portfolio = |s: &CandidateSettings| {
        vec![
            (&plate, find_with_visits(&plate, &[], s)),
            (&moving, find_with_visits(&moving, &[], s)),
        ]
    };
    let ranked = rank(&portfolio(&settings));
    let ids: Vec<&str> = ranked.iter().map(|r| r.process.as_str()).collect();
    // tennyu saves > 1,300 resident hours; haisha about 144 + 74 staff hours.
    assert_eq!(ids, ["tennyu", "haisha"]);
    assert_eq!(ranked[0].rank, 1);
    // haisha: S4 is claimed by online (80), RPA (144) and OCR (74.4): counted once at 144.
    let haisha_ranked = &ranked[1];
    close(haisha_ranked.staff_hours, 144.0);
    assert_eq!(
        haisha_ranked.top.as_ref().map(|f| f.rule),
        Some(RuleId::Rpa)
    );
    let (staff, _) = procedure_hours(&find_with_visits(&plate, &[], &settings));
    close(staff, 144.0);

    // tennyu: per step, the larger of online and one-stop: R1 online 2,000 × 0.5 × (30 + 10 +
    // 30) ÷ 60 = 1,166.7; R2 one-stop 2,000 × (10 + 20) ÷ 60 = 1,000 → 2,166.7 h.
    close(ranked[0].total_hours, 2166.7);
    // Twenty times haisha's volume: RPA on S4 alone saves 24,000 × 8 ÷ 60 × 0.9 = 2,880 h.
    let mut big = haisha(true);
    big.process.volume_per_year = Some(24_000.0);
    let ranked = rank(&[
        (&big, find_with_visits(&big, &[], &settings)),
        (&moving, find_with_visits(&moving, &[], &settings)),
    ]);
    assert_eq!(ranked[0].process, "haisha");
}

#[test]
fn travel_minutes_change_the_portfolio_order() {
    // Two procedures: `haisha` without the plate (one removable visit, 1,200/yr) and a large
    // RPA-only back-office job. With 30 min travel haisha's resident hours win; with 0 they do not.
    let visit = haisha(false);
    let mut b = ModelBuilder::new("一括入力").id("batch").volume(3000.0);
    let clerk = b.actor("係", ActorKind::Staff);
    b.actor("基幹システム", ActorKind::System);
    let data = b.document("データ", DocMedium::Data, &[]);
    let s1 = b.step(clerk, "基幹システムに入力する");
    b.step_mut(s1).work = mins(12.0);
    b.step_mut(s1).exception_rate = Some(0.0);
    b.step_mut(s1).transcription = transcribe(
        Endpoint::Document(data),
        Endpoint::System("基幹システム".to_owned()),
    );
    chain_all(&mut b, &[s1]);
    let batch = b.finish();
    let order = |s: &CandidateSettings| -> Vec<String> {
        rank(&[
            (&visit, find_with_visits(&visit, &[], s)),
            (&batch, find_with_visits(&batch, &[], s)),
        ])
        .into_iter()
        .map(|r| r.process)
        .collect()
    };
    // batch: 3,000 × 12 ÷ 60 = 600 h. haisha: staff 144 (S4, RPA) + resident 450 (S2: 1,200 ×
    // 0.5 × (30 + 15) ÷ 60) = 594 h → batch first, narrowly.
    // With 60 min travel: S2 = 1,200 × 0.5 × (60 + 15) ÷ 60 = 750 → 894 h → haisha first.
    let far = CandidateSettings {
        travel_minutes: 60.0,
        ..CandidateSettings::default()
    };
    assert_eq!(order(&CandidateSettings::default()), ["batch", "haisha"]);
    assert_eq!(order(&far), ["haisha", "batch"]);
}

#[test]
fn realised_compares_with_the_to_be_by_id_replaces_and_removed() {
    let as_is = haisha(true);
    let findings = find(&as_is);

    // To-Be: T1 online form replaces S1; S2 (plate at the counter) stays; S3 removed; R4 robot
    // replaces S4; S5 becomes electronic approval without the seal.
    let mut b = ModelBuilder::new("軽自動車税 廃車申告")
        .id("haisha")
        .variant(Variant::ToBe)
        .volume(1200.0);
    let resident = b.actor("住民", ActorKind::Resident);
    let clerk = b.actor("税務担当", ActorKind::Staff);
    let robot = b.actor("RPA", ActorKind::Rpa);
    b.actor("税務システム", ActorKind::System);
    let data = b.document("廃車申告データ", DocMedium::Data, &["氏名", "住所"]);
    let t1 = b.step(resident, "オンラインで申告する");
    let s2 = b.step(resident, "窓口へ提出する");
    let r4 = b.step(robot, "税務システムに取り込む");
    let s5 = b.step(clerk, "課長決裁を受ける");
    b.step_id(t1, "T1");
    b.step_id(s2, "S2");
    b.step_id(r4, "R4");
    b.step_id(s5, "S5");
    {
        let st = b.step_mut(t1);
        st.medium = Some(Medium::Digital);
        st.docs = vec![fill(data)];
        st.replaces = vec!["S1".to_owned()];
    }
    {
        let st = b.step_mut(s2);
        st.flags.visit = true;
        st.medium = Some(Medium::InPerson);
        st.item = Some("ナンバープレート".to_owned());
    }
    {
        let st = b.step_mut(r4);
        st.replaces = vec!["S4".to_owned()];
        st.transcription = transcribe(
            Endpoint::Document(data),
            Endpoint::System("税務システム".to_owned()),
        );
    }
    b.step_mut(s5).medium = Some(Medium::Digital);
    b.model_mut().removed.push(nagare_model::Removal {
        step_ids: vec!["S3".to_owned()],
        reason: "オンラインで確認".to_owned(),
        span: Span::default(),
    });
    chain_all(&mut b, &[t1, s2, r4, s5]);
    let to_be = b.finish();

    let result = realised(&findings, &as_is, &to_be, &analysis_of(&to_be));
    let status = |rule: RuleId| {
        result
            .iter()
            .find(|(f, _)| f.rule == rule)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("no {rule:?}"))
    };
    let online = status(RuleId::Online);
    assert_eq!(online.status, Status::Partly);
    assert_eq!(online.realised_steps, ["S1"]);
    assert_eq!(online.remaining_steps, ["S2"]);
    assert_eq!(status(RuleId::Rpa).status, Status::Realised);
    assert_eq!(status(RuleId::AiOcr).status, Status::Realised);
    assert_eq!(status(RuleId::Seal).status, Status::Realised);
    assert_eq!(status(RuleId::EApproval).status, Status::Realised);

    // Against itself nothing is realised.
    for (_, r) in realised(&findings, &as_is, &as_is, &analysis_of(&as_is)) {
        assert_eq!(r.status, Status::Remaining, "{r:?}");
    }
}

#[test]
fn findings_serialise_with_stable_rule_ids() {
    let findings = find(&haisha(true));
    let json = serde_json::to_value(&findings).expect("serialisable");
    let rules: Vec<&str> = json
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, ["rpa", "online", "ai-ocr", "e-approval", "seal"]);
    assert_eq!(json[1]["extent"], "partial");
    let round_trip: Vec<Finding> = serde_json::from_value(json).expect("deserialisable");
    assert_eq!(round_trip, findings);
}

#[test]
fn no_volume_means_no_hours_but_findings_still_fire() {
    let mut model = haisha(true);
    model.process.volume_per_year = None;
    let findings = find(&model);
    assert!(!findings.is_empty());
    for f in &findings {
        assert!(
            f.hours.staff.abs() < 1e-9 && f.hours.resident.abs() < 1e-9,
            "{f:#?}"
        );
    }
    // AI-OCR cannot count sheets, but still fires with 0 for sheets.
    close(points(one(&findings, RuleId::AiOcr), "sheets"), 0.0);
}

// ----------------------------------------------------------------------------------------------
// Second pass (usability test, issue #7): small RPA jobs, approvals vs reception stamps, the top
// finding of the ranking, rule names in tables, no "-0.0".

#[test]
fn rpa_below_the_minimum_hours_is_not_reported() {
    // 30 cases: S4 takes 30 × 8 ÷ 60 = 4 h a year, saves 4 × 0.9 = 3.6 h < 5 h → dropped.
    let mut tiny = haisha(true);
    tiny.process.volume_per_year = Some(30.0);
    assert!(only(&find(&tiny), RuleId::Rpa).is_empty());
    // The same with a minimum of 3 h is reported.
    let mut low = CandidateSettings::default();
    low.rpa.min_hours_per_year = 3.0;
    let found = find_with_visits(&tiny, &[], &low);
    close(one(&found, RuleId::Rpa).hours.staff, 3.6);
    // Without a volume hours cannot be judged, so the finding stays.
    let mut unknown = haisha(true);
    unknown.process.volume_per_year = None;
    assert_eq!(only(&find(&unknown), RuleId::Rpa).len(), 1);
}

#[test]
fn a_small_rpa_job_scores_in_proportion_to_its_hours() {
    // 100 cases: S4 takes 100 × 8 ÷ 60 = 13.3 h (saves 12 h ≥ 5 → reported). The hours
    // criterion gives 0 (below 20 h); the others (10 + 4 + 10 + 10 + 10 = 44) count
    // 13.3/20 = 66.7 %: small workload −44 × (1 − 0.667) = −14.7 → score 29.3.
    let mut small = haisha(true);
    small.process.volume_per_year = Some(100.0);
    let findings = find(&small);
    let f = one(&findings, RuleId::Rpa);
    close(points(f, "hours"), 0.0);
    close(points(f, "small_workload"), -14.7);
    close(f.score, 29.3);
    close(f.hours.staff, 12.0);
    // At 1,200 cases (160 h ≥ 20 h) nothing is taken away: 67.3 as before.
    let big = find(&haisha(true));
    let g = one(&big, RuleId::Rpa);
    close(points(g, "small_workload"), 0.0);
    close(g.score, 67.3);
}

/// A staff-only flow: a clerk stamps the received form, then the given approval steps follow.
fn stamps(steps: &[(&str, &str, bool)]) -> Model {
    let mut b = ModelBuilder::new("届出").id("stamps").volume(1000.0);
    let mut ids = Vec::new();
    let mut actors: Vec<(String, usize)> = Vec::new();
    for (actor, label, seal) in steps {
        let a = match actors.iter().find(|(n, _)| n == actor) {
            Some((_, a)) => *a,
            None => {
                let a = b.actor(actor, ActorKind::Staff);
                actors.push(((*actor).to_owned(), a));
                a
            }
        };
        let s = b.step(a, label);
        b.step_id(s, &format!("S{}", ids.len() + 1));
        let st = b.step_mut(s);
        st.medium = Some(Medium::Paper);
        st.flags.seal = *seal;
        st.work = mins(2.0);
        st.wait = mins(1440.0);
        ids.push(s);
    }
    chain_all(&mut b, &ids);
    b.finish()
}

#[test]
fn e_approval_ignores_reception_stamps_and_official_seals() {
    // 受付印 by the clerk, then filing: no approval.
    let received = stamps(&[
        ("受付担当", "郵送の届出を開封し、受付印を押す", true),
        ("受付担当", "届出書を綴る", false),
    ]);
    let findings = find(&received);
    assert!(
        only(&findings, RuleId::EApproval).is_empty(),
        "{findings:#?}"
    );
    // The seal itself is still a seal-removal candidate.
    assert_eq!(one(&findings, RuleId::Seal).steps, ["S1"]);

    // 収受印 followed by the official seal on the certificate (公印), by different staff: not a
    // chain of approvals either.
    let issued = stamps(&[
        ("文書担当", "収受印を押す", true),
        ("窓口", "証明書を印刷し、公印を押す", true),
    ]);
    assert!(only(&find(&issued), RuleId::EApproval).is_empty());
}

#[test]
fn e_approval_fires_on_a_chief_approval_a_supervisor_seal_and_a_chain() {
    // 課長決裁 on paper: the label says approval.
    let chief = stamps(&[("担当", "課長決裁を受ける", false)]);
    let findings = find(&chief);
    let f = one(&findings, RuleId::EApproval);
    assert_eq!(f.steps, ["S1"]);
    // chain 1 of 3 → 10; 1 day of 3 → 13.3; volume 1,000 → 30 → 53.3
    close(f.score, 53.3);
    // staff: 1,000 × 2 min × 0.5 ÷ 60 = 16.7 h
    close(f.hours.staff, 16.7);
    assert!(
        f.reasons
            .iter()
            .any(|r| r.ja.contains("決裁・承認の語（S1）"))
    );

    // A reception stamp, then the drafter's and the 係長's seals one after the other: the
    // drafter's seal is in a chain, the 係長's is a supervisor's seal; the 受付印 is neither.
    let chain = stamps(&[
        ("受付担当", "受付印を押す", true),
        ("起案者", "起案用紙に押印する", true),
        ("係長", "内容を確認して押印する", true),
    ]);
    let findings = find(&chain);
    let f = one(&findings, RuleId::EApproval);
    assert_eq!(f.steps, ["S2", "S3"]);
    // chain 2 of 3 → 20; 2 days of 3 → 26.7; volume → 30 → 76.7
    close(f.score, 76.7);
    assert!(
        f.reasons
            .iter()
            .any(|r| r.en.contains("a supervisor's seal (S3)")
                && r.en.contains("chain of seals by different staff (S2)")),
        "{:#?}",
        f.reasons
    );
}

#[test]
fn the_top_finding_is_the_largest_saving_and_the_label_says_so() {
    // haisha with a resident seal at the counter: the seal (130 h resident) saves less than
    // RPA (144 h staff) but scores higher; RPA is the top finding because it saves most.
    let mut model = haisha(true);
    model.steps[1].flags.seal = true;
    let findings = find(&model);
    let seal = one(&findings, RuleId::Seal).clone();
    let rpa = one(&findings, RuleId::Rpa).clone();
    assert!(seal.score > rpa.score, "{} vs {}", seal.score, rpa.score);
    assert!(seal.hours.total() < rpa.hours.total());
    let ranked = rank(&[(&model, findings.clone())]);
    let top = ranked[0].top.as_ref().expect("a top finding");
    assert_eq!(top.rule, RuleId::Rpa);
    assert!(
        findings
            .iter()
            .all(|f| f.hours.total() <= top.hours.total())
    );

    let ja = format_ranking(&ranked, Lang::Ja, false);
    assert!(ja.contains("削減時間が最大の候補"), "{ja}");
    assert!(ja.contains("RPA 年 144.0 時間（67.3 点）"), "{ja}");
    let en = format_ranking(&ranked, Lang::En, false);
    assert!(en.contains("Largest saving"), "{en}");
    assert!(en.contains("RPA 144.0 h/yr (score 67.3)"), "{en}");
    assert_eq!(top_heading().en, "Largest saving");
    // The CSV keeps stable ids and gives the top finding's hours last.
    let csv = format_ranking(&ranked, Lang::Ja, true);
    assert!(
        csv.lines()
            .next()
            .is_some_and(|h| h.ends_with("top_title,top_hours"))
    );
    assert!(csv.contains(",rpa,67.3,"), "{csv}");
    assert!(csv.trim_end().ends_with(",144.0"), "{csv}");
}

#[test]
fn japanese_tables_name_rules_in_japanese_and_csv_keeps_ids() {
    let model = haisha(true);
    let findings = find(&model);
    let ja = format_summary(&findings, Lang::Ja);
    for name in ["オンライン申請", "RPA", "AI-OCR", "押印廃止", "電子決裁"] {
        assert!(ja.contains(name), "{name} missing in\n{ja}");
    }
    for id in [" online ", " seal ", " e-approval ", " ai-ocr "] {
        assert!(!ja.contains(id), "{id} in\n{ja}");
    }
    let en = format_summary(&findings, Lang::En);
    assert!(
        en.contains("Seal removal") && en.contains("Electronic approval"),
        "{en}"
    );
    let pairs = realised(&findings, &model, &model, &analysis_of(&model));
    assert!(format_realised(&pairs, Lang::Ja).contains("押印廃止"));
    assert!(format_details(&findings, Lang::Ja).contains("電子決裁 —"));
    let csv = format_csv(&findings, Lang::Ja);
    assert!(
        csv.contains(",seal,") && csv.contains(",e-approval,"),
        "{csv}"
    );
}

#[test]
fn no_output_ever_shows_negative_zero() {
    // Sums over nothing are −0.0 in Rust; a work time of −0.0 would also flow through.
    let mut model = haisha(true);
    model.steps[3].work = Some(nagare_model::Minutes {
        p50: -0.0,
        p90: None,
    });
    let nothing = digital_only();
    for volume in [None, Some(1200.0)] {
        model.process.volume_per_year = volume;
        let findings = find(&model);
        let ranked = rank(&[(&model, findings.clone()), (&nothing, Vec::new())]);
        let texts = [
            serde_json::to_string(&findings).expect("json"),
            serde_json::to_string(&ranked).expect("json"),
            format_summary(&findings, Lang::Ja),
            format_details(&findings, Lang::En),
            format_csv(&findings, Lang::En),
            format_ranking(&ranked, Lang::Ja, false),
            format_ranking(&ranked, Lang::En, true),
        ];
        for text in &texts {
            assert!(!text.contains("-0.0") && !text.contains("-0,"), "{text}");
        }
        for f in &findings {
            for x in [f.hours.staff, f.hours.resident, f.score] {
                assert!(!x.is_sign_negative(), "{f:#?}");
            }
        }
    }
    let (staff, resident) = procedure_hours(&[]);
    assert!(staff.is_sign_positive() && resident.is_sign_positive());
}

// ----------------------------------------------------------------------------------------------
// Office visits come from the graph's presence analysis

/// Returns the findings with v(s) and the presence of the graph's analysis, and that analysis.
fn find_analysed(model: &Model) -> (Vec<Finding>, nagare_graph::Analysis) {
    let analysis = nagare_graph::analyze(model, &nagare_graph::Settings::default());
    let findings = nagare_candidates::find(model, &analysis, &CandidateSettings::default());
    (findings, analysis)
}

#[test]
fn a_send_back_at_the_counter_is_the_same_visit_as_in_the_metrics() {
    // haisha without the plate, and the counter (S3) sends 20% back to the submission (S2):
    // v(S2) = v(S3) = 1 / 0.8 = 1.25, but the resident is still at the counter, so it is one
    // visit per case (docs/metrics.md: "also across a send-back at the counter").
    let mut model = haisha(false);
    let (s2, s3, s4) = (1, 2, 3);
    let (n2, n3, n4) = (
        model.flow.node_of_step(s2).expect("S2"),
        model.flow.node_of_step(s3).expect("S3"),
        model.flow.node_of_step(s4).expect("S4"),
    );
    for e in &mut model.flow.edges {
        if e.from == n3 && e.to == n4 {
            e.probability = 0.8;
        }
    }
    model.flow.edges.push(nagare_model::Edge {
        from: n3,
        to: n2,
        probability: 0.2,
        label: None,
        kind: nagare_model::EdgeKind::SendBack,
        span: Span::default(),
    });
    let (findings, analysis) = find_analysed(&model);
    close(analysis.step_visits[s2], 1.25);
    close(analysis.metrics.visits.expected, 1.0);
    close(analysis.presence[s2].visit_starts, 1.0);
    close(analysis.presence[s2].present, 1.25);
    let f = one(&findings, RuleId::Online);
    // The criterion reads the graph's visits: 1.0 of 1.0 removable → 20 points.
    close(points(f, "visits"), 20.0);
    let visits = f
        .criteria
        .iter()
        .find(|c| c.id == "visits")
        .expect("visits criterion");
    assert!(
        visits.why.en.starts_with("1.0 of 1.0 office visits"),
        "{}",
        visits.why.en
    );
    // resident: 1,200 × 0.5 × (30 min travel × 1 visit + 15 min wait × v(S2) 1.25) ÷ 60
    //         = 600 × 48.75 ÷ 60 = 487.5 h (travel once per visit, not once per pass of S2)
    close(f.hours.resident, 487.5);
}

#[test]
fn a_visit_begun_by_the_clerk_saves_its_travel_at_the_resident_step() {
    // 窓口 (S1, in person) calls the resident in and types; the resident (S2, visit) signs:
    // the graph begins the visit at S1, and its travel is shown at S2.
    let mut b = ModelBuilder::new("書かない窓口")
        .id("kakanai")
        .volume(600.0);
    let resident = b.actor("住民", ActorKind::Resident);
    let counter = b.actor("窓口", ActorKind::Staff);
    let s1 = b.step(counter, "聞き取って入力する");
    let s2 = b.step(resident, "確かめて署名する");
    b.step_id(s1, "S1");
    b.step_id(s2, "S2");
    b.step_mut(s1).medium = Some(Medium::InPerson);
    b.step_mut(s1).work = mins(8.0);
    b.step_mut(s2).flags.visit = true;
    b.step_mut(s2).work = mins(2.0);
    b.step_mut(s2).wait = mins(10.0);
    chain_all(&mut b, &[s1, s2]);
    let model = b.finish();
    let (findings, analysis) = find_analysed(&model);
    close(analysis.metrics.visits.expected, 1.0);
    close(analysis.presence[s1].visit_starts, 1.0);
    assert_eq!(analysis.presence[s1].same_visit, vec![s1, s2]);
    assert!(analysis.presence[s1].counter);
    let f = one(&findings, RuleId::Online);
    close(points(f, "visits"), 20.0);
    // resident at S2: 600 × 0.5 × (30 travel + 2 work + 10 wait) ÷ 60 = 210 h; none at S1
    let at = |key: &str| {
        f.hours
            .per_step
            .iter()
            .find(|p| p.step == key)
            .map(|p| p.resident_hours)
    };
    close(at("S2").expect("S2 saving"), 210.0);
    assert_eq!(at("S1"), None);
    close(f.hours.resident, 210.0);
}

/// Returns the graph's analysis of `model` with the default settings.
fn analysis_of(model: &Model) -> nagare_graph::Analysis {
    nagare_graph::analyze(model, &nagare_graph::Settings::default())
}
