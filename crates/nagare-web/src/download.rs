//! Downloads: SVG diagrams, and metrics, diffs, candidates and the portfolio as JSON and CSV
//! (XLSX workbooks are in `xlsx.rs`).
//!
//! Each has its own content type and an `attachment` disposition whose file name is derived from
//! the procedure and variant (ASCII fallback plus the exact name per RFC 5987). CSV is UTF-8 with
//! a byte order mark so that Excel, which city staff use, opens Japanese text correctly.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use nagare::graph::Unit;
use nagare::syntax::Lang;

use crate::i18n;
use crate::pages::{HEADLINE, PageQuery, not_found_plain};
use crate::state::{AppState, Entry, Pair};
use crate::views::content_disposition;

const SVG: &str = "image/svg+xml";
const JSON: &str = "application/json";
const CSV: &str = "text/csv; charset=utf-8";

/// Returns `body` as a download named `name`.
fn file(body: String, content_type: &'static str, name: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&content_disposition(name)) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    response
}

fn entry(state: &AppState, procedure: &str, slug: &str) -> Option<Arc<Entry>> {
    state
        .snapshot()
        .procedures
        .get(procedure)?
        .entry(slug)
        .cloned()
}

fn pair(state: &AppState, procedure: &str, query: &PageQuery) -> Option<Arc<Pair>> {
    state
        .snapshot()
        .procedures
        .get(procedure)?
        .pair_to(query.to.as_deref())
        .cloned()
}

/// Returns one CSV field, quoted when needed (RFC 4180), with formula-looking text defused so a
/// label such as `=HYPERLINK(…)` stays text when the file is opened in a spreadsheet.
fn csv_field(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// Returns a CSV document (BOM, CRLF line ends) of `rows`.
fn csv(rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    for row in rows {
        let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Returns a number for CSV/JSON with fixed precision (machine-readable: no separators).
fn plain(value: f64) -> String {
    format!("{value:.3}")
}

/// The language of a download's own text (SVG legends, CSV labels): as for pages.
fn lang(query: &PageQuery, headers: &HeaderMap) -> Lang {
    i18n::negotiate(query.lang.as_deref(), headers).0
}

/// `GET /p/{procedure}/{variant}/diagram.svg`
pub async fn diagram_svg(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    match entry(&state, &procedure, &slug) {
        Some(e) => file(
            e.output.svg.get(lang(&query, &headers)).clone(),
            SVG,
            &format!("{procedure}-{slug}.svg"),
        ),
        None => not_found_plain(),
    }
}

/// `GET /p/{procedure}/{variant}/handoffs.svg`
pub async fn handoff_svg(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    match entry(&state, &procedure, &slug) {
        Some(e) => file(
            e.output.handoff_svg.get(lang(&query, &headers)).clone(),
            SVG,
            &format!("{procedure}-{slug}-handoffs.svg"),
        ),
        None => not_found_plain(),
    }
}

/// `GET /p/{procedure}/{variant}/metrics.json`: the metrics stage's full result (every metric,
/// the flat rows, expected visits per step) plus the diagnostics.
pub async fn metrics_json(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
) -> Response {
    let Some(e) = entry(&state, &procedure, &slug) else {
        return not_found_plain();
    };
    let body = json!({
        "procedure": procedure,
        "variant": e.slug,
        "file": e.file.display,
        "process": e.output.model.process.name,
        "rows": e.output.metrics,
        "metrics": e.output.analysis.metrics,
        "step_visits": e.output.analysis.step_visits,
        "diagnostics": e.output.diagnostics,
    });
    file(
        pretty(&body),
        JSON,
        &format!("{procedure}-{slug}-metrics.json"),
    )
}

/// `GET /p/{procedure}/{variant}/metrics.csv`: one row per metric, labels in both languages.
pub async fn metrics_csv(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
) -> Response {
    let Some(e) = entry(&state, &procedure, &slug) else {
        return not_found_plain();
    };
    let mut rows = vec![strings(&["key", "指標", "metric", "value", "unit"])];
    rows.extend(e.output.metrics.iter().map(|m| {
        vec![
            m.key.to_owned(),
            m.label.ja.clone(),
            m.label.en.clone(),
            plain(m.value),
            unit_name(m.unit),
        ]
    }));
    file(csv(&rows), CSV, &format!("{procedure}-{slug}-metrics.csv"))
}

/// Returns the serde name of a unit (`per_case`, `hours`…).
fn unit_name(unit: Unit) -> String {
    serde_json::to_value(unit)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// `GET /p/{procedure}/{variant}/candidates.json`
pub async fn candidates_json(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
) -> Response {
    match entry(&state, &procedure, &slug) {
        Some(e) => file(
            pretty(&json!({
                "procedure": procedure,
                "variant": e.slug,
                "candidates": e.output.candidates,
            })),
            JSON,
            &format!("{procedure}-{slug}-candidates.json"),
        ),
        None => not_found_plain(),
    }
}

/// `GET /p/{procedure}/{variant}/candidates.csv`: the candidates stage's own CSV (as the CLI).
pub async fn candidates_csv(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(e) = entry(&state, &procedure, &slug) else {
        return not_found_plain();
    };
    let text = nagare::candidates::format_csv(&e.output.candidates, lang(&query, &headers));
    csv_download(&text, &format!("{procedure}-{slug}-candidates.csv"))
}

/// Returns CSV `text` written by a pipeline stage as a download named `name`: with a byte order
/// mark and CRLF line ends, like the viewer's own CSV files.
pub fn csv_download(text: &str, name: &str) -> Response {
    file(
        format!(
            "\u{feff}{}",
            text.replace("\r\n", "\n").replace('\n', "\r\n")
        ),
        CSV,
        name,
    )
}

/// `GET /c/{procedure}/from.svg`: the As-Is diagram with the diff marks.
pub async fn compare_from_svg(
    State(state): State<AppState>,
    Path(procedure): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    match pair(&state, &procedure, &query) {
        Some(p) => file(
            p.comparison.from_svg.get(lang(&query, &headers)).clone(),
            SVG,
            &format!("{procedure}-{}-vs-{}.svg", p.from.slug, p.to.slug),
        ),
        None => not_found_plain(),
    }
}

/// `GET /c/{procedure}/to.svg`: the To-Be diagram with the diff marks.
pub async fn compare_to_svg(
    State(state): State<AppState>,
    Path(procedure): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    match pair(&state, &procedure, &query) {
        Some(p) => file(
            p.comparison.to_svg.get(lang(&query, &headers)).clone(),
            SVG,
            &format!("{procedure}-{}-vs-{}.svg", p.to.slug, p.from.slug),
        ),
        None => not_found_plain(),
    }
}

/// `GET /c/{procedure}/diff.json`: the diff stage's result as is.
pub async fn diff_json(
    State(state): State<AppState>,
    Path(procedure): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let Some(p) = pair(&state, &procedure, &query) else {
        return not_found_plain();
    };
    let body = json!({
        "procedure": procedure,
        "from": p.from.file.display,
        "to": p.to.file.display,
        "diff": p.comparison.diff,
    });
    file(
        pretty(&body),
        JSON,
        &format!("{procedure}-{}-{}-diff.json", p.from.slug, p.to.slug),
    )
}

/// `GET /c/{procedure}/diff.csv`: metric deltas, then step changes.
pub async fn diff_csv(
    State(state): State<AppState>,
    Path(procedure): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let Some(p) = pair(&state, &procedure, &query) else {
        return not_found_plain();
    };
    let d = &p.comparison.diff;
    let opt = |v: Option<f64>| v.map(plain).unwrap_or_default();
    let mut rows = vec![strings(&[
        "section", "key", "ja", "en", "as_is", "to_be", "change", "percent",
    ])];
    rows.extend(d.metric_deltas.iter().map(|m| {
        vec![
            "metric".to_owned(),
            m.key.clone(),
            m.label.ja.clone(),
            m.label.en.clone(),
            opt(m.as_is),
            opt(m.to_be),
            opt(m.change),
            opt(m.percent),
        ]
    }));
    for change in &d.changes {
        let classes: Vec<&str> = change.classes.iter().map(|c| c.as_str()).collect();
        rows.push(vec![
            "step".to_owned(),
            classes.join(" "),
            change.detail.ja.clone(),
            change.detail.en.clone(),
            change.as_is_keys().join(" "),
            change.to_be_keys().join(" "),
            String::new(),
            String::new(),
        ]);
    }
    file(
        csv(&rows),
        CSV,
        &format!("{procedure}-{}-{}-diff.csv", p.from.slug, p.to.slug),
    )
}

/// `GET /portfolio.json`: every file with its metric rows and error count.
pub async fn portfolio_json(State(state): State<AppState>) -> Response {
    let snapshot = state.snapshot();
    let procedures: Vec<serde_json::Value> = snapshot
        .procedures
        .values()
        .map(|p| {
            json!({
                "procedure": p.name,
                "name": p.title(),
                "variants": p.entries.iter().map(|e| json!({
                    "variant": e.slug,
                    "file": e.file.display,
                    "errors": e.error_count(),
                    "warnings": e.warning_count(),
                    "volume_per_year": e.output.model.process.volume_per_year,
                    "metrics": e.output.metrics,
                })).collect::<Vec<_>>(),
                "summary": p.pair.as_ref().map(|pair| pair.comparison.diff.summary.clone()),
            })
        })
        .collect();
    file(
        pretty(&json!({ "procedures": procedures })),
        JSON,
        "portfolio.json",
    )
}

/// `GET /portfolio.csv`: one row per file with the headline metrics (per case, as computed).
pub async fn portfolio_csv(State(state): State<AppState>) -> Response {
    let snapshot = state.snapshot();
    let mut header = strings(&[
        "procedure",
        "name",
        "variant",
        "file",
        "errors",
        "volume_per_year",
    ]);
    header.extend(HEADLINE.iter().map(|(key, _, _, _)| (*key).to_owned()));
    let mut rows = vec![header];
    for p in snapshot.procedures.values() {
        for e in &p.entries {
            let mut row = vec![
                p.name.clone(),
                p.title().to_owned(),
                e.slug.clone(),
                e.file.display.clone(),
                e.error_count().to_string(),
                e.output
                    .model
                    .process
                    .volume_per_year
                    .map(plain)
                    .unwrap_or_default(),
            ];
            row.extend(HEADLINE.iter().map(|(key, _, _, _)| {
                crate::engine::metric(&e.output, key)
                    .map(plain)
                    .unwrap_or_default()
            }));
            rows.push(row);
        }
    }
    file(csv(&rows), CSV, "portfolio.csv")
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn pretty(value: &serde_json::Value) -> String {
    // Serialising a `Value` cannot fail; fall back to compact form just in case.
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("住民"), "住民");
        let doc = csv(&[strings(&["a", "b"])]);
        assert!(doc.starts_with('\u{feff}') && doc.ends_with("a,b\r\n"));
    }
}
