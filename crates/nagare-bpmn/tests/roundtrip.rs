//! Export then import: the same counts, step labels and actors; exported files are well-formed.

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
