//! Imports every file of the shared BPMN corpus, prints it as `.flow`, compiles that text and
//! checks that nothing is lost silently: every top-level activity of the BPMN is a step of the
//! model, every step stays reachable in the printed text (never a comment), and the text
//! compiles without errors. `cargo test -p nagare-bpmn --test survey -- --nocapture` prints
//! the per-file table.
#![allow(clippy::disallowed_methods)] // Tests and benches read their fixture files; the code under test does not.
#![allow(clippy::unwrap_used)] // In tests a panic is the failure report.

use std::path::{Path, PathBuf};

use nagare_model::{LowerOptions, StepKind};
use quick_xml::events::Event;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/bpmn");
    if dir.join("expected.json").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the BPMN corpus is missing at {} and CI is set",
        dir.display()
    );
    eprintln!("SKIPPED: the BPMN corpus is missing at {}", dir.display());
    None
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "bpmn" || e == "xml") {
            out.push(path);
        }
    }
}

const ACTIVITIES: &[&[u8]] = &[
    b"task",
    b"userTask",
    b"serviceTask",
    b"sendTask",
    b"receiveTask",
    b"manualTask",
    b"businessRuleTask",
    b"scriptTask",
    b"subProcess",
    b"transaction",
    b"adHocSubProcess",
    b"callActivity",
];

/// Returns the number of task-like nodes directly inside each top-level `process`, in file
/// order: activities (sub-process contents are reported by W0908; event sub-processes, by
/// W0901, are not counted) and named intermediate throw events other than links, which the
/// importer makes task steps of.
fn top_level_activities(xml: &[u8]) -> Vec<usize> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut counts = Vec::new();
    let mut depth = 0usize;
    let mut process_depth: Option<usize> = None;
    // A named throw event being read: its depth, and whether it is a link.
    let mut throw: Option<(usize, bool)> = None;
    let mut buf = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(_) => return counts,
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name();
                let name = name.as_ref();
                if name == b"process" && depth == 1 && process_depth.is_none() {
                    counts.push(0);
                    if !empty {
                        process_depth = Some(depth);
                    }
                } else if process_depth.is_some_and(|d| d + 1 == depth)
                    && ACTIVITIES.contains(&name)
                {
                    let event_sub = e.attributes().flatten().any(|a| {
                        a.key.local_name().as_ref() == b"triggeredByEvent"
                            && a.value.as_ref() == b"true"
                    });
                    if !event_sub && let Some(last) = counts.last_mut() {
                        *last += 1;
                    }
                } else if process_depth.is_some_and(|d| d + 1 == depth)
                    && name == b"intermediateThrowEvent"
                    && e.attributes().flatten().any(|a| {
                        a.key.local_name().as_ref() == b"name"
                            && !a.value.as_ref().iter().all(u8::is_ascii_whitespace)
                    })
                {
                    if empty {
                        if let Some(last) = counts.last_mut() {
                            *last += 1;
                        }
                    } else {
                        throw = Some((depth, false));
                    }
                } else if name == b"linkEventDefinition"
                    && let Some((_, link)) = throw.as_mut()
                {
                    *link = true;
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if let Some((at, link)) = throw
                    && at == depth
                {
                    if !link && let Some(last) = counts.last_mut() {
                        *last += 1;
                    }
                    throw = None;
                }
                if process_depth == Some(depth) {
                    process_depth = None;
                }
            }
            Event::Eof => return counts,
            _ => {}
        }
        buf.clear();
    }
}

#[derive(Debug, Default)]
struct Row {
    activities: usize,
    activity_steps: usize,
    steps: usize,
    commented: usize,
    compiled_steps: usize,
    errors: usize,
    warnings: usize,
    import_warnings: usize,
}

#[test]
fn nothing_is_lost_silently_in_the_corpus() {
    let Some(dir) = corpus() else { return };
    let mut files = Vec::new();
    files_under(&dir, &mut files);
    let mut failures = Vec::new();
    let mut total = Row::default();
    println!(
        "{:<90} {:>4} {:>4} {:>5} {:>4} {:>5} {:>4} {:>4} {:>4}",
        "file", "act", "actS", "steps", "cmt", "compS", "err", "warn", "impW"
    );
    for path in &files {
        let file = path.strip_prefix(&dir).unwrap().display().to_string();
        let bytes = std::fs::read(path).unwrap();
        let Ok(import) = nagare_bpmn::import(&bytes) else {
            continue;
        };
        let activities = top_level_activities(&bytes);
        let mut row = Row {
            import_warnings: import.diagnostics.len(),
            ..Row::default()
        };
        row.activities = activities.iter().sum();
        for model in &import.models {
            row.steps += model.steps.len();
            row.activity_steps += model
                .steps
                .iter()
                .filter(|s| matches!(s.kind, StepKind::Task | StepKind::Subprocess))
                .count();
            let text = nagare_bpmn::to_flow_text(model);
            let commented = text
                .lines()
                .filter(|l| l.contains("unreachable from the start:"))
                .count();
            row.commented += commented;
            let (ast, mut diagnostics) = nagare_syntax::parse(&text);
            let (lowered, lower) = nagare_model::lower(&ast, &text, &LowerOptions::default());
            diagnostics.extend(lower);
            row.compiled_steps += lowered.steps.len();
            row.errors += diagnostics.iter().filter(|d| d.is_error()).count();
            row.warnings += diagnostics.iter().filter(|d| !d.is_error()).count();
            // Steps the printer adds (a choice for several starts) are written with X ids.
            let added = text.lines().filter(|l| l.starts_with("  X")).count();
            if lowered.steps.len() + commented != model.steps.len() + added {
                failures.push(format!(
                    "{file}: process {}: {} steps imported, {} in the compiled text\n{text}",
                    model.process.name,
                    model.steps.len(),
                    lowered.steps.len()
                ));
            }
            if added > 0
                && !import.diagnostics.iter().any(|d| {
                    matches!(d.code.as_str(), "W0911" | "W0912")
                        && d.message.en.contains(&model.process.name)
                })
            {
                failures.push(format!(
                    "{file}: process {}: a choosing step was added without W0911/W0912\n{text}",
                    model.process.name
                ));
            }
            if commented > 0
                && !import
                    .diagnostics
                    .iter()
                    .any(|d| d.code == "W0910" && d.message.en.contains(&model.process.name))
            {
                failures.push(format!(
                    "{file}: process {}: {commented} step(s) written as comments\n{text}",
                    model.process.name
                ));
            }
            if diagnostics.iter().any(nagare_syntax::Diagnostic::is_error) {
                failures.push(format!(
                    "{file}: process {}: the printed text does not compile: {:?}\n{text}",
                    model.process.name,
                    diagnostics
                        .iter()
                        .filter(|d| d.is_error())
                        .collect::<Vec<_>>()
                ));
            }
        }
        if row.activities != row.activity_steps {
            failures.push(format!(
                "{file}: {} activities and named events in the BPMN, {} task steps imported",
                row.activities, row.activity_steps
            ));
        }
        println!(
            "{:<90} {:>4} {:>4} {:>5} {:>4} {:>5} {:>4} {:>4} {:>4}",
            file,
            row.activities,
            row.activity_steps,
            row.steps,
            row.commented,
            row.compiled_steps,
            row.errors,
            row.warnings,
            row.import_warnings
        );
        total.activities += row.activities;
        total.activity_steps += row.activity_steps;
        total.steps += row.steps;
        total.commented += row.commented;
        total.compiled_steps += row.compiled_steps;
        total.errors += row.errors;
        total.warnings += row.warnings;
        total.import_warnings += row.import_warnings;
    }
    println!("TOTAL {total:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
