//! The `.flow` text printed for imported BPMN parses (and lowers) without errors.
#![allow(clippy::disallowed_methods)] // Tests and benches read their fixture files; the code under test does not.
#![allow(clippy::unwrap_used)] // In tests a panic is the failure report.

fn check(name: &str, model: &nagare_model::Model) {
    let text = nagare_bpmn::to_flow_text(model);
    let (file, mut diagnostics) = nagare_syntax::parse(&text);
    let (lowered, lower_diagnostics) =
        nagare_model::lower(&file, &text, &nagare_model::LowerOptions::default());
    diagnostics.extend(lower_diagnostics);
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{name}:\n{text}\n{errors:#?}");
    // Once lowering is implemented, the steps must come back with their labels.
    if !lowered.steps.is_empty() {
        let labels: Vec<_> = lowered.steps.iter().map(|s| s.label.clone()).collect();
        let expected: Vec<_> = model
            .steps
            .iter()
            .map(|s| nagare_bpmn::one_line(&s.label))
            .collect();
        // Steps the printer had to add (a choice for several starts) are written with X ids.
        let added = text.lines().filter(|l| l.starts_with("  X")).count();
        let unreachable = text
            .lines()
            .filter(|l| l.contains("unreachable from the start:"))
            .count();
        assert_eq!(
            labels.len() + unreachable,
            expected.len() + added,
            "{name}:\n{text}"
        );
        for label in expected
            .iter()
            .filter(|l| !text.contains(&format!(": {l}\n")))
        {
            assert!(labels.contains(label), "{name}: {label} lost\n{text}");
        }
    }
}

#[test]
fn printed_flows_of_the_corpus_parse_without_errors() {
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
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let mut checked = 0;
    for path in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "bpmn"))
    {
        let Ok(import) = nagare_bpmn::import(&std::fs::read(path).unwrap()) else {
            continue;
        };
        for model in &import.models {
            check(&path.display().to_string(), model);
            checked += 1;
        }
    }
    assert!(checked > 10);
}

#[test]
fn a_decision_prints_as_one_line_branches() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <process id="p" name="受付">
    <startEvent id="s"/>
    <task id="a" name="記入する"/>
    <task id="b" name="確認する"/>
    <exclusiveGateway id="g"/>
    <task id="c" name="入力する"/>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
    <sequenceFlow id="f2" sourceRef="a" targetRef="b"/>
    <sequenceFlow id="f3" sourceRef="b" targetRef="g"/>
    <sequenceFlow id="f4" sourceRef="g" targetRef="a" name="不備あり (10%)"/>
    <sequenceFlow id="f5" sourceRef="g" targetRef="c" name="(90%)"/>
    <sequenceFlow id="f6" sourceRef="c" targetRef="e"/>
  </process>
</definitions>"#;
    let import = nagare_bpmn::import(xml.as_bytes()).unwrap();
    let text = nagare_bpmn::to_flow_text(&import.models[0]);
    assert!(text.contains("  S1 受付: 記入する\n  S2 受付: 確認する\n    もし 不備あり 10%: → S1\n  S3 受付: 入力する\n  終了\n"), "{text}");
    check("inline", &import.models[0]);
}
