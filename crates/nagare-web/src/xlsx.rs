//! Excel downloads beside the CSV ones: the portfolio's metrics, the candidates (ranking and
//! findings) and each comparison, built by the `nagare-export` stage (the same workbooks as the
//! CLI). Workbooks are built per request: they are downloads, not pages, and cost milliseconds.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use nagare::candidates::{Finding, RankedProcedure};
use nagare::export::{ExportError, ProcedureFindings};
use nagare::graph::PortfolioRow;
use nagare::model::Variant;
use nagare::syntax::Lang;

use crate::i18n;
use crate::pages::{PageQuery, not_found_plain};
use crate::state::{AppState, Entry, Snapshot};
use crate::views::content_disposition;

/// The registered media type of an Office Open XML workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Returns the workbook `bytes` as a download named `name`, or the export error as a 500.
fn workbook(bytes: Result<Vec<u8>, ExportError>, name: &str, lang: Lang) -> Response {
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(error) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("{}\n", error.message().get(lang)),
            )
                .into_response();
        }
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(XLSX));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&content_disposition(name)) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    response
}

/// The language of a workbook's headers and labels: as for pages.
fn lang(query: &PageQuery, headers: &HeaderMap) -> Lang {
    i18n::negotiate(query.lang.as_deref(), headers).0
}

/// Returns the metrics-stage portfolio row of one file.
fn portfolio_row(procedure: &str, entry: &Entry) -> PortfolioRow {
    PortfolioRow {
        path: entry.file.display.clone(),
        process: procedure.to_owned(),
        name: entry.output.model.process.name.clone(),
        variant: entry.slug.clone(),
        metrics: entry.output.analysis.metrics.clone(),
    }
}

/// `GET /portfolio.xlsx`: every file of the folder with every metric. Files with errors are
/// left out, as in the portfolio's totals (their numbers come from a partly read model).
pub async fn portfolio_xlsx(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let snapshot = state.snapshot();
    let rows: Vec<PortfolioRow> = snapshot
        .procedures
        .values()
        .filter(|p| !p.has_errors())
        .flat_map(|p| p.entries.iter().map(|e| portfolio_row(&p.name, e)))
        .collect();
    let lang = lang(&query, &headers);
    workbook(
        nagare::export::metrics_xlsx(&rows, lang),
        "portfolio-metrics.xlsx",
        lang,
    )
}

/// `GET /p/{procedure}/{variant}/metrics.xlsx`: one file's metrics as the portfolio workbook's
/// row (the same columns, so sheets from several files can be stacked).
pub async fn metrics_xlsx(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let snapshot = state.snapshot();
    let Some(entry) = snapshot
        .procedures
        .get(&procedure)
        .and_then(|p| p.entry(&slug))
    else {
        return not_found_plain();
    };
    let lang = lang(&query, &headers);
    workbook(
        nagare::export::metrics_xlsx(&[portfolio_row(&procedure, entry)], lang),
        &format!("{procedure}-{slug}-metrics.xlsx"),
        lang,
    )
}

/// One procedure's findings with their status in its To-Be, owned for the export's borrows.
struct Owned {
    process: String,
    file: String,
    findings: Vec<Finding>,
    realised: Option<Vec<nagare::candidates::Realisation>>,
}

/// Returns the findings of `entry`, with their status in `to_be` when there is one.
fn owned(process: &str, entry: &Entry, to_be: Option<&Arc<Entry>>) -> Owned {
    let findings = entry.output.candidates.clone();
    let realised = to_be.map(|to| {
        nagare::candidates::realised(
            &findings,
            &entry.output.model,
            &to.output.model,
            &to.output.analysis,
        )
        .into_iter()
        .map(|(_, r)| r)
        .collect()
    });
    Owned {
        process: process.to_owned(),
        file: entry.file.display.clone(),
        findings,
        realised,
    }
}

/// Returns the export's borrowed view of `owned`.
fn borrowed(owned: &[Owned]) -> Vec<ProcedureFindings<'_>> {
    owned
        .iter()
        .map(|o| ProcedureFindings {
            process: &o.process,
            file: &o.file,
            findings: &o.findings,
            realised: o.realised.as_deref(),
        })
        .collect()
}

/// Returns the ranking of `snapshot` (already without procedures in error).
fn ranking(snapshot: &Snapshot) -> Vec<RankedProcedure> {
    snapshot.ranking.iter().map(|(_, r)| r.clone()).collect()
}

/// `GET /candidates.xlsx`: the portfolio's ranking and every ranked procedure's As-Is findings
/// with their status in the To-Be.
pub async fn portfolio_candidates_xlsx(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let snapshot = state.snapshot();
    let owned: Vec<Owned> = snapshot
        .ranking
        .iter()
        .filter_map(|(name, ranked)| {
            let procedure = snapshot.procedures.get(name)?;
            let entry = procedure
                .entries
                .iter()
                .find(|e| e.output.model.process.variant == ranked.variant)?;
            let to_be = procedure.of_variant(Variant::ToBe);
            Some(owned(&ranked.process, entry, to_be))
        })
        .collect();
    let lang = lang(&query, &headers);
    workbook(
        nagare::export::candidates_xlsx(&ranking(&snapshot), &borrowed(&owned), lang),
        "candidates.xlsx",
        lang,
    )
}

/// `GET /p/{procedure}/{variant}/candidates.xlsx`: one file's findings (status against the
/// To-Be when this is the As-Is and a To-Be exists).
pub async fn candidates_xlsx(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let snapshot = state.snapshot();
    let Some(p) = snapshot.procedures.get(&procedure) else {
        return not_found_plain();
    };
    let Some(entry) = p.entry(&slug) else {
        return not_found_plain();
    };
    let to_be = (entry.variant == Variant::AsIs)
        .then(|| p.of_variant(Variant::ToBe))
        .flatten();
    let owned = [owned(&entry.output.model.process.id, entry, to_be)];
    let ranked =
        nagare::candidates::rank(&[(&entry.output.model, entry.output.candidates.clone())]);
    let lang = lang(&query, &headers);
    workbook(
        nagare::export::candidates_xlsx(&ranked, &borrowed(&owned), lang),
        &format!("{procedure}-{slug}-candidates.xlsx"),
        lang,
    )
}

/// `GET /c/{procedure}/diff.xlsx[?to=…]`: the comparison's metric deltas and step changes.
pub async fn diff_xlsx(
    State(state): State<AppState>,
    Path(procedure): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let snapshot = state.snapshot();
    let Some(pair) = snapshot
        .procedures
        .get(&procedure)
        .and_then(|p| p.pair_to(query.to.as_deref()))
    else {
        return not_found_plain();
    };
    let lang = lang(&query, &headers);
    workbook(
        nagare::export::diff_xlsx(&pair.comparison.diff, lang),
        &format!("{procedure}-{}-{}-diff.xlsx", pair.from.slug, pair.to.slug),
        lang,
    )
}
