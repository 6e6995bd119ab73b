//! Downloads: SVG diagrams, and metrics, diffs, candidates and the portfolio as JSON and CSV.
//!
//! Each has its own content type and an `attachment` disposition whose file name is derived from
//! the procedure and variant (ASCII fallback plus the exact name per RFC 5987). CSV is UTF-8 with
//! a byte order mark so that Excel, which city staff use, opens Japanese text correctly.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::pages::{HEADLINE, not_found_plain};
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

fn pair(state: &AppState, procedure: &str) -> Option<Arc<Pair>> {
    state.snapshot().procedures.get(procedure)?.pair.clone()
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

/// `GET /p/{procedure}/{variant}/diagram.svg`
pub async fn diagram_svg(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
) -> Response {
    match entry(&state, &procedure, &slug).and_then(|e| e.output.svg.clone()) {
        Some(svg) => file(svg, SVG, &format!("{procedure}-{slug}.svg")),
        None => not_found_plain(),
    }
}

/// `GET /p/{procedure}/{variant}/handoffs.svg`
pub async fn handoff_svg(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
) -> Response {
    match entry(&state, &procedure, &slug).and_then(|e| e.output.handoff_svg.clone()) {
        Some(svg) => file(svg, SVG, &format!("{procedure}-{slug}-handoffs.svg")),
        None => not_found_plain(),
    }
}

/// `GET /p/{procedure}/{variant}/metrics.json`: the metrics plus the diagnostics.
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
        "volume_per_year": e.output.model.process.volume_per_year,
        "metrics": e.output.metrics,
        "diagnostics": e.output.diagnostics,
    });
    file(
        pretty(&body),
        JSON,
        &format!("{procedure}-{slug}-metrics.json"),
    )
}

/// `GET /p/{procedure}/{variant}/metrics.csv`
pub async fn metrics_csv(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
) -> Response {
    let Some(e) = entry(&state, &procedure, &slug) else {
        return not_found_plain();
    };
    let mut rows = vec![strings(&["key", "指標", "metric", "value", "単位", "unit"])];
    rows.extend(e.output.metrics.iter().map(|m| {
        vec![
            m.key.clone(),
            m.label.ja.clone(),
            m.label.en.clone(),
            plain(m.value),
            m.unit.ja.clone(),
            m.unit.en.clone(),
        ]
    }));
    file(csv(&rows), CSV, &format!("{procedure}-{slug}-metrics.csv"))
}

/// `GET /p/{procedure}/{variant}/candidates.json`
pub async fn candidates_json(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
) -> Response {
    match entry(&state, &procedure, &slug) {
        Some(e) if e.output.candidates.is_some() => file(
            pretty(&json!({
                "procedure": procedure,
                "variant": e.slug,
                "candidates": e.output.candidates,
            })),
            JSON,
            &format!("{procedure}-{slug}-candidates.json"),
        ),
        _ => not_found_plain(),
    }
}

/// `GET /p/{procedure}/{variant}/candidates.csv`
pub async fn candidates_csv(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
) -> Response {
    let Some(list) = entry(&state, &procedure, &slug).and_then(|e| e.output.candidates.clone())
    else {
        return not_found_plain();
    };
    let mut rows = vec![strings(&[
        "種類", "kind", "score", "hours_saved_per_year", "steps", "理由", "reasons",
    ])];
    rows.extend(list.iter().map(|f| {
        vec![
            f.rule.ja.clone(),
            f.rule.en.clone(),
            plain(f.score),
            f.hours_saved.map(plain).unwrap_or_default(),
            f.steps.join(" "),
            f.reasons.iter().map(|r| r.ja.as_str()).collect::<Vec<_>>().join(" / "),
            f.reasons.iter().map(|r| r.en.as_str()).collect::<Vec<_>>().join(" / "),
        ]
    }));
    file(csv(&rows), CSV, &format!("{procedure}-{slug}-candidates.csv"))
}

/// `GET /c/{procedure}/from.svg`: the As-Is diagram with the diff marks.
pub async fn compare_from_svg(
    State(state): State<AppState>,
    Path(procedure): Path<String>,
) -> Response {
    match pair(&state, &procedure) {
        Some(p) => match &p.comparison.from_svg {
            Some(svg) => file(svg.clone(), SVG, &format!("{procedure}-{}-diff.svg", p.from.slug)),
            None => not_found_plain(),
        },
        None => not_found_plain(),
    }
}

/// `GET /c/{procedure}/to.svg`: the To-Be diagram with the diff marks.
pub async fn compare_to_svg(
    State(state): State<AppState>,
    Path(procedure): Path<String>,
) -> Response {
    match pair(&state, &procedure) {
        Some(p) => match &p.comparison.to_svg {
            Some(svg) => file(svg.clone(), SVG, &format!("{procedure}-{}-diff.svg", p.to.slug)),
            None => not_found_plain(),
        },
        None => not_found_plain(),
    }
}

/// `GET /c/{procedure}/diff.json`
pub async fn diff_json(State(state): State<AppState>, Path(procedure): Path<String>) -> Response {
    let Some(p) = pair(&state, &procedure) else {
        return not_found_plain();
    };
    let c = &p.comparison;
    let body = json!({
        "procedure": procedure,
        "from": p.from.slug,
        "to": p.to.slug,
        "summary": c.summary,
        "similarity": c.similarity,
        "metric_deltas": c.deltas,
        "changes": c.changes,
        "diff": c.raw,
    });
    file(pretty(&body), JSON, &format!("{procedure}-diff.json"))
}

/// `GET /c/{procedure}/diff.csv`: metric deltas, then step changes.
pub async fn diff_csv(State(state): State<AppState>, Path(procedure): Path<String>) -> Response {
    let Some(p) = pair(&state, &procedure) else {
        return not_found_plain();
    };
    let c = &p.comparison;
    let mut rows = vec![strings(&[
        "section", "key", "指標", "metric", "from", "to", "delta",
    ])];
    rows.extend(c.deltas.iter().map(|d| {
        vec![
            "metric".to_owned(),
            d.key.clone(),
            d.label.ja.clone(),
            d.label.en.clone(),
            plain(d.from),
            plain(d.to),
            plain(d.to - d.from),
        ]
    }));
    for change in c.changes.iter().flatten() {
        rows.push(vec![
            "step".to_owned(),
            change.class.css().to_owned(),
            change.details.iter().map(|d| d.ja.as_str()).collect::<Vec<_>>().join(" / "),
            change.details.iter().map(|d| d.en.as_str()).collect::<Vec<_>>().join(" / "),
            change.from_keys.join(" "),
            change.to_keys.join(" "),
            String::new(),
        ]);
    }
    file(csv(&rows), CSV, &format!("{procedure}-diff.csv"))
}

/// `GET /portfolio.json`: every file with its metrics and error count.
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
                "summary": p.pair.as_ref().and_then(|pair| pair.comparison.summary.clone()),
            })
        })
        .collect();
    file(
        pretty(&json!({ "procedures": procedures })),
        JSON,
        "portfolio.json",
    )
}

/// `GET /portfolio.csv`: one row per file with the headline metrics.
pub async fn portfolio_csv(State(state): State<AppState>) -> Response {
    let snapshot = state.snapshot();
    let mut header = strings(&["procedure", "name", "variant", "file", "errors", "volume_per_year"]);
    header.extend(HEADLINE.iter().map(|(key, _, _)| (*key).to_owned()));
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
            row.extend(HEADLINE.iter().map(|(key, _, _)| {
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
