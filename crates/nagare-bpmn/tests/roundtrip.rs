//! Export then import: the same counts, step labels and actors; exported files are well-formed.
#![allow(clippy::disallowed_methods)] // Tests and benches read their fixture files; the code under test does not.
#![allow(clippy::unwrap_used)] // In tests a panic is the failure report.

use nagare_model::{ActorKind, EdgeKind, Medium, Minutes, Model, ModelBuilder, Node, StepKind};
use nagare_syntax::Span;

/// A 廃車申告-like flow with a send-back, a parallel block, a wait and XML-special labels.
fn sample() -> Model {
    let mut b = ModelBuilder::new("軽自動車税 <廃車> & \"申告\"").id("haisha");
    let resident = b.actor("住民", ActorKind::Resident);
    let counter = b.actor("窓口", ActorKind::Staff);
    let system = b.actor("税務システム", ActorKind::System);
    let s1 = b.step(resident, "廃車申告書に記入する");
    b.step_id(s1, "S1");
    b.step_mut(s1).medium = Some(Medium::Paper);
    b.step_mut(s1).work = Some(Minutes {
        p50: 10.0,
        p90: None,
    });
    let s2 = b.step(resident, "窓口へ提出する");
    b.step_mut(s2).flags.visit = true;
    let s3 = b.step(counter, "記載内容を確認する <A&B>");
    b.step_mut(s3).flags.id_check = true;
    let s4 = b.step(system, "税務システムに入力する");
    let s5 = b.step(counter, "台帳を更新する");
    let s6 = b.step(counter, "決裁を待つ");
    b.step_mut(s6).kind = StepKind::Wait;
    let s7 = b.step(counter, "通知する");
    let [n1, n2, n3, n4, n5, n6, n7] = [s1, s2, s3, s4, s5, s6, s7].map(|s| b.node_of(s));
    let split = b.node(Node::Split {
        block: 0,
        span: Span::default(),
    });
    let join = b.node(Node::Join {
        block: 0,
        span: Span::default(),
    });
    let end = b.end();
    b.chain(&[0, n1, n2, n3]);
    b.edge(n3, n1, EdgeKind::SendBack, 0.1);
    b.model_mut().flow.edges.last_mut().unwrap().label = Some("不備あり".to_owned());
    b.edge(n3, split, EdgeKind::Branch, 0.9);
    b.edge(split, n4, EdgeKind::Parallel, 1.0);
    b.edge(split, n5, EdgeKind::Parallel, 1.0);
    b.edge(n4, join, EdgeKind::Parallel, 1.0);
    b.edge(n5, join, EdgeKind::Parallel, 1.0);
    b.chain(&[join, n6, n7, end]);
    b.finish()
}

fn labels_and_actors(model: &Model) -> Vec<(String, String)> {
    model
        .steps
        .iter()
        .map(|s| (s.label.clone(), model.actors[s.actor].name.clone()))
        .collect()
}

/// Reads every event with end-name checks: fails on malformed XML.
fn assert_well_formed(xml: &str) {
    let mut reader = quick_xml::reader::NsReader::from_str(xml);
    reader.config_mut().check_end_names = true;
    loop {
        match reader.read_resolved_event() {
            Ok((quick_xml::name::ResolveResult::Unknown(p), _)) => {
                panic!("unbound prefix {}", String::from_utf8_lossy(&p))
            }
            Ok((_, quick_xml::events::Event::Eof)) => break,
            Ok(_) => {}
            Err(e) => panic!("malformed at {}: {e}", reader.buffer_position()),
        }
    }
}

#[test]
fn export_import_keeps_counts_labels_and_actors() {
    let model = sample();
    let xml = nagare_bpmn::export(&model);
    assert_well_formed(&xml);
    assert_eq!(xml, nagare_bpmn::export(&model), "export is deterministic");
    let first = nagare_bpmn::count(xml.as_bytes()).unwrap();
    assert_eq!(first.pools, 1);
    assert_eq!(first.lanes, 3);
    assert_eq!(first.tasks, 6);
    assert_eq!(first.events, 3, "start, wait, end");
    assert_eq!(first.gateways, 3, "decision after S3, split, join");
    assert_eq!(first.cycles, 1, "the send-back S3 → S1");
    let import = nagare_bpmn::import(xml.as_bytes()).unwrap();
    assert_eq!(import.models.len(), 1);
    let back = &import.models[0];
    assert_eq!(back.process.name, model.process.name);
    assert_eq!(labels_and_actors(back), labels_and_actors(&model));
    let kinds: Vec<_> = back.actors.iter().map(|a| a.kind).collect();
    assert_eq!(
        kinds,
        [ActorKind::Resident, ActorKind::Staff, ActorKind::System]
    );
    assert_eq!(back.steps[5].kind, StepKind::Wait);
    // The decision keeps its probabilities and the send-back its kind.
    let send_back = back
        .flow
        .edges
        .iter()
        .find(|e| e.kind == EdgeKind::SendBack)
        .expect("a send-back edge");
    assert_eq!(send_back.label.as_deref(), Some("不備あり"));
    assert!((send_back.probability - 0.1).abs() < 1e-9);
    let again = nagare_bpmn::export(back);
    assert_eq!(nagare_bpmn::count(again.as_bytes()).unwrap(), first);
}

#[test]
fn corpus_models_survive_export_and_reimport() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/bpmn/miwg");
    if !dir.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "BPMN corpus missing at {}",
            dir.display()
        );
        eprintln!("SKIPPED: the BPMN corpus is missing at {}", dir.display());
        return;
    }
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "bpmn"))
    {
        let Ok(import) = nagare_bpmn::import(&std::fs::read(path).unwrap()) else {
            continue;
        };
        for model in &import.models {
            let xml = nagare_bpmn::export(model);
            assert_well_formed(&xml);
            let back = nagare_bpmn::import(xml.as_bytes()).unwrap();
            assert_eq!(back.models.len(), 1);
            assert_eq!(
                labels_and_actors(&back.models[0]),
                labels_and_actors(model),
                "{}",
                path.display()
            );
            let again = nagare_bpmn::export(&back.models[0]);
            assert_eq!(
                nagare_bpmn::count(again.as_bytes()).unwrap(),
                nagare_bpmn::count(xml.as_bytes()).unwrap(),
                "{}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} models checked");
}

#[test]
fn the_extension_brings_back_attributes_kinds_and_exact_edges() {
    let mut model = sample();
    model.actors[0].name = "請求者".to_owned();
    model.steps[1].wait = Some(Minutes {
        p50: 20.0,
        p90: Some(45.0),
    });
    model.steps[2].exception_rate = Some(1.0 / 3.0);
    model.process.volume_per_year = Some(1200.0);
    model.process.department = Some("税務課".to_owned());
    let xml = nagare_bpmn::export(&model);
    assert!(xml.contains("xmlns:nagare=\"urn:nagare:bpmn:1\""), "{xml}");
    assert!(xml.contains("<nagare:actor name=\"請求者\" kind=\"resident\" />"));
    let back = nagare_bpmn::import(xml.as_bytes())
        .unwrap()
        .models
        .remove(0);
    assert_eq!(back.actors, model.actors);
    assert_eq!(back.process.volume_per_year, Some(1200.0));
    assert_eq!(back.process.department.as_deref(), Some("税務課"));
    for (before, after) in model.steps.iter().zip(&back.steps) {
        assert_eq!(after.medium, before.medium, "{}", before.label);
        assert_eq!(after.work, before.work, "{}", before.label);
        assert_eq!(after.wait, before.wait, "{}", before.label);
        assert_eq!(after.flags, before.flags, "{}", before.label);
        assert_eq!(after.exception_rate, before.exception_rate);
        assert_eq!(after.note, before.note, "no attributes in 備考");
        assert_eq!(after.id, before.id);
    }
    let edges = |m: &Model| {
        m.flow
            .edges
            .iter()
            .map(|e| (e.kind, e.probability, e.label.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(edges(&back), edges(&model));
}

#[test]
fn without_the_extension_lanes_are_guessed_and_named() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <collaboration id="co"><participant id="pa" name="戸籍証明" processRef="p"/></collaboration>
  <process id="p">
    <laneSet id="ls">
      <lane id="sid-744AEFB3-0001" name="請求者"><flowNodeRef>a</flowNodeRef></lane>
      <lane id="sid-744AEFB3-0002"><flowNodeRef>b</flowNodeRef></lane>
      <lane id="sid-744AEFB3-0003" name="市民課"><flowNodeRef>c</flowNodeRef></lane>
    </laneSet>
    <startEvent id="s"/>
    <task id="a" name="請求書を書く"/>
    <task id="b" name="受け付ける"/>
    <task id="c" name="交付する"/>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
    <sequenceFlow id="f2" sourceRef="a" targetRef="b"/>
    <sequenceFlow id="f3" sourceRef="b" targetRef="c"/>
    <sequenceFlow id="f4" sourceRef="c" targetRef="e"/>
  </process>
</definitions>"#;
    let model = nagare_bpmn::import(xml.as_bytes())
        .unwrap()
        .models
        .remove(0);
    let actors: Vec<_> = model
        .actors
        .iter()
        .map(|a| (a.name.as_str(), a.kind))
        .collect();
    assert_eq!(
        actors,
        [
            ("請求者", ActorKind::Resident),
            ("戸籍証明", ActorKind::Staff),
            ("市民課", ActorKind::Staff)
        ]
    );
}

#[test]
fn parallel_branches_are_named_after_their_first_step() {
    let text = nagare_bpmn::to_flow_text(&sample());
    assert!(
        text.contains("  並行:\n    分岐 税務システムに入力する:\n"),
        "{text}"
    );
    assert!(!text.contains("分岐 1:"), "{text}");
}
