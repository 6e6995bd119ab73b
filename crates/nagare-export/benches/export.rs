//! Time to build each workbook from the bundled `models/` (the real export path: table
//! building, formats, widths and the zipped XLSX in memory), so a slow export shows up here.
#![allow(clippy::disallowed_methods)] // Tests and benches read their fixture files; the code under test does not.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use nagare_candidates::{CandidateSettings, Finding, rank};
use nagare_export::{ProcedureFindings, candidates_xlsx, diff_xlsx, metrics_xlsx};
use nagare_graph::{PortfolioRow, Settings};
use nagare_model::{LowerOptions, Model};
use nagare_syntax::Lang;

fn models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
}

/// Returns every model of `models/` (sorted by path) that compiles.
fn models() -> Vec<(PathBuf, Model)> {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(models_dir()).expect("models/").flatten() {
        if let Ok(entries) = std::fs::read_dir(dir.path()) {
            files.extend(
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "flow")),
            );
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let source = std::fs::read_to_string(&path).ok()?;
            let (file, mut diagnostics) = nagare_syntax::parse(&source);
            let name_hint = path
                .parent()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (model, more) = nagare_model::lower(&file, &source, &LowerOptions { name_hint });
            diagnostics.extend(more);
            (!nagare_syntax::has_errors(&diagnostics)).then_some((path, model))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let models = models();
    let settings = Settings::default();
    let rows: Vec<PortfolioRow> = models
        .iter()
        .map(|(path, m)| PortfolioRow {
            path: path.display().to_string(),
            process: m.process.id.clone(),
            name: m.process.name.clone(),
            variant: m.process.variant.as_str().to_owned(),
            metrics: nagare_graph::analyze(m, &settings).metrics,
        })
        .collect();
    c.bench_function("metrics_xlsx/models", |b| {
        b.iter(|| metrics_xlsx(&rows, Lang::Ja).expect("workbook"));
    });

    let as_is: Vec<&(PathBuf, Model)> = models
        .iter()
        .filter(|(p, _)| p.file_name().is_some_and(|n| n == "as-is.flow"))
        .collect();
    let findings: Vec<Vec<Finding>> = as_is
        .iter()
        .map(|(_, m)| {
            let analysis = nagare_graph::analyze(m, &settings);
            nagare_candidates::find(m, &analysis, &CandidateSettings::default())
        })
        .collect();
    let portfolio: Vec<(&Model, Vec<Finding>)> = as_is
        .iter()
        .zip(&findings)
        .map(|((_, m), f)| (m, f.clone()))
        .collect();
    let ranking = rank(&portfolio);
    let files: Vec<String> = as_is.iter().map(|(p, _)| p.display().to_string()).collect();
    let procedures: Vec<ProcedureFindings<'_>> = as_is
        .iter()
        .zip(&findings)
        .zip(&files)
        .map(|(((_, m), f), file)| ProcedureFindings {
            process: &m.process.id,
            file,
            findings: f,
            realised: None,
        })
        .collect();
    c.bench_function("candidates_xlsx/models", |b| {
        b.iter(|| candidates_xlsx(&ranking, &procedures, Lang::Ja).expect("workbook"));
    });

    let find = |name: &str| {
        models
            .iter()
            .find(|(p, _)| p.ends_with(Path::new("keijidosha-haisha").join(name)))
            .map(|(_, m)| m)
            .expect("the haisha model")
    };
    let diff = nagare_diff::diff(find("as-is.flow"), find("to-be.flow"), &settings);
    c.bench_function("diff_xlsx/keijidosha-haisha", |b| {
        b.iter(|| diff_xlsx(&diff, Lang::Ja).expect("workbook"));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
