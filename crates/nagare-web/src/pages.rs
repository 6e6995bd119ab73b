//! The HTML pages (portfolio, process, compare, not found) and the live-reload event stream.
//!
//! Every page is an askama template; askama escapes every value. The only unescaped content is
//! SVG produced by the render stage, which escapes the model's text itself (tested with
//! `<script>` labels in `tests/web.rs`).

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use serde::Deserialize;

use crate::engine::{ChangeClass, Comparison, metric};
use crate::i18n::{self, Lang, LangSource, t};
use crate::state::{AppState, Entry, Procedure, Snapshot};
use crate::views::{self, DiagView, StepView, encode_segment, number, percent, signed};

/// Query parameters every page accepts.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub lang: Option<String>,
}

/// What every page shows around its content: language, title, switch, generation.
#[derive(Debug)]
pub struct Chrome {
    pub lang: Lang,
    pub html_lang: &'static str,
    pub title: String,
    pub generation: u64,
    pub switch_href: String,
    pub switch_label: &'static str,
    pub switch_lang: &'static str,
    source: LangSource,
}

impl Chrome {
    fn new(lang: (Lang, LangSource), title: String, generation: u64, path: &str) -> Self {
        let other = match lang.0 {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        };
        Self {
            lang: lang.0,
            html_lang: i18n::code(lang.0),
            title,
            generation,
            switch_href: format!("{path}?lang={}", i18n::code(other)),
            switch_label: match other {
                Lang::Ja => "日本語",
                Lang::En => "English",
            },
            switch_lang: i18n::code(other),
            source: lang.1,
        }
    }

    /// Returns the UI string `key` in the page's language.
    #[must_use]
    pub fn t(&self, key: &'static str) -> &'static str {
        t(key, self.lang)
    }
}

/// Renders `template` as an HTML response; sets the language cookie when `?lang=` chose it.
fn html(template: &impl Template, chrome: &Chrome, status: StatusCode) -> Response {
    match template.render() {
        Ok(body) => {
            let mut response = (status, body).into_response();
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            headers.insert(VARY, HeaderValue::from_static("Cookie, Accept-Language"));
            if chrome.source == LangSource::Query {
                let cookie = format!(
                    "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
                    chrome.html_lang
                );
                if let Ok(value) = HeaderValue::from_str(&cookie) {
                    headers.insert(SET_COOKIE, value);
                }
            }
            response
        }
        Err(error) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("template error: {error}"),
        )
            .into_response(),
    }
}

/// A link to one variant of a procedure, with its error count.
#[derive(Debug)]
pub struct VariantLink {
    pub slug: String,
    pub href: String,
    pub errors: usize,
    pub warnings: usize,
}

fn variant_links(procedure: &Procedure) -> Vec<VariantLink> {
    procedure
        .entries
        .iter()
        .map(|e| VariantLink {
            slug: e.slug.clone(),
            href: process_href(&procedure.name, &e.slug),
            errors: e.error_count(),
            warnings: e.warning_count(),
        })
        .collect()
}

/// Returns the URL of a process page.
#[must_use]
pub fn process_href(procedure: &str, slug: &str) -> String {
    format!("/p/{}/{}", encode_segment(procedure), encode_segment(slug))
}

/// Returns the URL of a compare page.
#[must_use]
pub fn compare_href(procedure: &str) -> String {
    format!("/c/{}", encode_segment(procedure))
}

// ---------------------------------------------------------------------------------------------
// Portfolio

/// The headline metrics of the portfolio table: metric key of the metrics stage, column title,
/// and whether the annual total multiplies the per-case value by the volume.
pub const HEADLINE: &[(&str, &str, bool)] = &[
    ("staff_hours_per_year", "col.hours", false),
    ("visits", "col.visits", true),
    ("paper_touchpoints", "col.paper", true),
    ("handoffs_expected", "col.handoffs", false),
];

/// One headline metric of one procedure.
#[derive(Debug)]
pub struct Cell {
    pub from: String,
    pub to: String,
    pub delta: String,
    pub sort: String,
    pub improved: bool,
    pub worse: bool,
}

/// One procedure in the portfolio.
#[derive(Debug)]
pub struct PortfolioRow {
    pub name: String,
    pub title: String,
    pub volume: String,
    pub volume_sort: String,
    pub variants: Vec<VariantLink>,
    pub compare: Option<String>,
    pub cells: Vec<Cell>,
    pub errors: usize,
}

/// A file with errors, for the list under the table.
#[derive(Debug)]
pub struct ErrorFile {
    pub display: String,
    pub href: String,
    pub errors: usize,
    pub first: String,
}

#[derive(Template)]
#[template(path = "portfolio.html")]
struct PortfolioPage {
    page: Chrome,
    headline: Vec<&'static str>,
    rows: Vec<PortfolioRow>,
    totals: Vec<Cell>,
    error_files: Vec<ErrorFile>,
    refused: Vec<(String, String)>,
    settings_error: Option<String>,
}

/// Returns the headline value of `key` for `entry`, annualised when asked.
fn headline_value(entry: &Entry, key: &str, annual: bool) -> Option<f64> {
    let value = metric(&entry.output, key)?;
    if annual {
        Some(value * entry.output.model.process.volume_per_year?)
    } else {
        Some(value)
    }
}

fn cell(from: Option<f64>, to: Option<f64>) -> Cell {
    let show = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), number);
    let (delta, improved, worse) = match (from, to) {
        (Some(f), Some(t)) => (
            format!("{} ({})", signed(f, t), percent(f, t)),
            t < f,
            t > f,
        ),
        _ => (String::new(), false, false),
    };
    Cell {
        from: show(from),
        to: show(to),
        delta,
        sort: format!("{:.3}", to.or(from).unwrap_or(f64::NEG_INFINITY)),
        improved,
        worse,
    }
}

/// `GET /`: every procedure with its headline metrics and the portfolio totals.
pub async fn portfolio(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let snapshot = state.snapshot();
    let lang = i18n::negotiate(query.lang.as_deref(), &headers);
    let chrome = Chrome::new(
        lang,
        t("portfolio.title", lang.0).to_owned(),
        snapshot.generation,
        "/",
    );
    let page = portfolio_page(&snapshot, chrome);
    html(&page, &page.page, StatusCode::OK)
}

fn portfolio_page(snapshot: &Snapshot, page: Chrome) -> PortfolioPage {
    let lang = page.lang;
    let mut totals_from = vec![None::<f64>; HEADLINE.len()];
    let mut totals_to = vec![None::<f64>; HEADLINE.len()];
    let rows = snapshot
        .procedures
        .values()
        .map(|procedure| {
            let from = procedure
                .pair
                .as_ref()
                .map(|p| Arc::clone(&p.from))
                .or_else(|| procedure.entries.first().cloned());
            let to = procedure.pair.as_ref().map(|p| Arc::clone(&p.to));
            let cells = HEADLINE
                .iter()
                .enumerate()
                .map(|(i, (key, _, annual))| {
                    let f = from.as_ref().and_then(|e| headline_value(e, key, *annual));
                    let t = to.as_ref().and_then(|e| headline_value(e, key, *annual));
                    if let Some(f) = f {
                        *totals_from[i].get_or_insert(0.0) += f;
                        // A procedure without a To-Be counts as unchanged in the To-Be total.
                        *totals_to[i].get_or_insert(0.0) += t.unwrap_or(f);
                    }
                    cell(f, t)
                })
                .collect();
            let volume = from.as_ref().and_then(|e| e.output.model.process.volume_per_year);
            PortfolioRow {
                name: procedure.name.clone(),
                title: procedure.title().to_owned(),
                volume: volume.map_or_else(|| "—".to_owned(), number),
                volume_sort: format!("{:.3}", volume.unwrap_or(-1.0)),
                variants: variant_links(procedure),
                compare: procedure.pair.as_ref().map(|_| compare_href(&procedure.name)),
                cells,
                errors: procedure.entries.iter().map(|e| e.error_count()).sum(),
            }
        })
        .collect();
    let totals = totals_from
        .iter()
        .zip(&totals_to)
        .map(|(f, t)| cell(*f, *t))
        .collect();
    let error_files = snapshot
        .entries()
        .filter(|e| e.error_count() > 0)
        .map(|e| ErrorFile {
            display: e.file.display.clone(),
            href: format!("{}#diagnostics", process_href(&e.file.procedure, &e.slug)),
            errors: e.error_count(),
            first: e
                .output
                .diagnostics
                .iter()
                .find(|d| d.is_error())
                .map(|d| d.message.get(lang).to_owned())
                .unwrap_or_default(),
        })
        .collect();
    PortfolioPage {
        headline: HEADLINE.iter().map(|(_, col, _)| t(col, lang)).collect(),
        rows,
        totals,
        error_files,
        refused: snapshot.refused.clone(),
        settings_error: snapshot.settings_error.clone(),
        page,
    }
}

// ---------------------------------------------------------------------------------------------
// Process

/// A metric row for display.
#[derive(Debug)]
pub struct MetricView {
    pub key: String,
    pub label: String,
    pub value: String,
    pub unit: String,
}

/// An improvement candidate for display.
#[derive(Debug)]
pub struct FindingView {
    pub rule: String,
    pub score: String,
    pub hours: String,
    pub reasons: Vec<String>,
    pub caveats: Vec<String>,
    pub steps: String,
}

#[derive(Template)]
#[template(path = "process.html")]
struct ProcessPage {
    page: Chrome,
    procedure: String,
    slug: String,
    process_name: String,
    variant: &'static str,
    file: String,
    volume: Option<String>,
    department: Option<String>,
    siblings: Vec<VariantLink>,
    compare: Option<String>,
    base: String,
    diags: Vec<DiagView>,
    has_errors: bool,
    svg: Option<String>,
    handoff_svg: Option<String>,
    steps: Vec<StepView>,
    metrics: Vec<MetricView>,
    candidates: Option<Vec<FindingView>>,
}

/// `GET /p/{procedure}/{variant}`: one variant's diagram, metrics, diagnostics and candidates.
pub async fn process(
    State(state): State<AppState>,
    Path((procedure, slug)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let snapshot = state.snapshot();
    let lang = i18n::negotiate(query.lang.as_deref(), &headers);
    let Some(proc_) = snapshot.procedures.get(&procedure) else {
        return not_found_page(&snapshot, lang);
    };
    let Some(entry) = proc_.entry(&slug) else {
        return not_found_page(&snapshot, lang);
    };
    let base = process_href(&procedure, &slug);
    let model = &entry.output.model;
    let title = format!("{} ({})", proc_.title(), entry.slug);
    let chrome = Chrome::new(lang, title, snapshot.generation, &base);
    let lang = lang.0;
    let page = ProcessPage {
        procedure: procedure.clone(),
        slug: slug.clone(),
        process_name: proc_.title().to_owned(),
        variant: entry.variant.as_str(),
        file: entry.file.display.clone(),
        volume: model
            .process
            .volume_per_year
            .map(|v| format!("{}{}", number(v), t("unit.per_year", lang))),
        department: model.process.department.clone(),
        siblings: variant_links(proc_),
        compare: proc_.pair.as_ref().map(|_| compare_href(&procedure)),
        diags: views::diagnostics(&entry.output.diagnostics, &entry.source, &entry.file.display, lang),
        has_errors: entry.error_count() > 0,
        svg: entry.output.svg.clone(),
        handoff_svg: entry
            .output
            .handoff_svg
            .as_deref()
            .map(|s| prefix_ids(s, "hm-")),
        steps: views::steps(model, lang),
        metrics: entry
            .output
            .metrics
            .iter()
            .map(|m| MetricView {
                key: m.key.clone(),
                label: m.label.get(lang).to_owned(),
                value: number(m.value),
                unit: m.unit.get(lang).to_owned(),
            })
            .collect(),
        candidates: entry.output.candidates.as_ref().map(|list| {
            list.iter()
                .map(|f| FindingView {
                    rule: f.rule.get(lang).to_owned(),
                    score: number(f.score),
                    hours: f.hours_saved.map_or_else(|| "—".to_owned(), number),
                    reasons: f.reasons.iter().map(|r| r.get(lang).to_owned()).collect(),
                    caveats: f.caveats.iter().map(|r| r.get(lang).to_owned()).collect(),
                    steps: f.steps.join(" "),
                })
                .collect()
        }),
        base,
        page: chrome,
    };
    html(&page, &page.page, StatusCode::OK)
}

// ---------------------------------------------------------------------------------------------
// Compare

/// One side (As-Is or To-Be) of a comparison.
#[derive(Debug)]
pub struct SideView {
    /// `from` or `to`: names the diagram in element ids, data attributes and download URLs.
    pub name: &'static str,
    pub slug: String,
    pub href: String,
    pub svg: Option<String>,
    pub steps: Vec<StepView>,
    pub errors: usize,
}

/// A KPI row: values, change and two bars (widths in percent of the larger value).
#[derive(Debug)]
pub struct KpiView {
    pub label: String,
    pub unit: String,
    pub from: String,
    pub to: String,
    pub delta: String,
    pub pct: String,
    pub from_bar: String,
    pub to_bar: String,
    pub trend: &'static str,
}

/// A step change for display, linked to its boxes in both diagrams.
#[derive(Debug)]
pub struct ChangeView {
    pub css: &'static str,
    pub icon: &'static str,
    pub tag: &'static str,
    pub from_keys: String,
    pub to_keys: String,
    pub from_labels: String,
    pub to_labels: String,
    pub details: String,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    page: Chrome,
    procedure: String,
    process_name: String,
    base: String,
    from: SideView,
    to: SideView,
    summary: Option<String>,
    similarity: Option<String>,
    kpis: Vec<KpiView>,
    changes: Option<Vec<ChangeView>>,
}

/// `GET /c/{procedure}`: As-Is and To-Be side by side with what changed.
pub async fn compare(
    State(state): State<AppState>,
    Path(procedure): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let snapshot = state.snapshot();
    let lang = i18n::negotiate(query.lang.as_deref(), &headers);
    let Some(proc_) = snapshot.procedures.get(&procedure) else {
        return not_found_page(&snapshot, lang);
    };
    let base = compare_href(&procedure);
    let title = format!("{} — {}", proc_.title(), t("compare.title", lang.0));
    let chrome = Chrome::new(lang, title, snapshot.generation, &base);
    let Some(pair) = &proc_.pair else {
        let page = MissingPage {
            page: chrome,
            process_name: proc_.title().to_owned(),
            siblings: variant_links(proc_),
        };
        return html(&page, &page.page, StatusCode::NOT_FOUND);
    };
    let lang = lang.0;
    let c = &pair.comparison;
    let side = |entry: &Entry, svg: Option<&String>, name: &'static str| SideView {
        name,
        slug: entry.slug.clone(),
        href: process_href(&procedure, &entry.slug),
        svg: svg.map(|s| prefix_ids(s, &format!("{name}-"))),
        steps: views::steps(&entry.output.model, lang),
        errors: entry.error_count(),
    };
    let page = ComparePage {
        procedure: procedure.clone(),
        process_name: proc_.title().to_owned(),
        from: side(&pair.from, c.from_svg.as_ref(), "from"),
        to: side(&pair.to, c.to_svg.as_ref(), "to"),
        summary: c.summary.as_ref().map(|s| s.get(lang).to_owned()),
        similarity: c.similarity.map(|s| format!("{:.0}%", s * 100.0)),
        kpis: kpis(c, lang),
        changes: changes(c, &pair.from, &pair.to, lang),
        base,
        page: chrome,
    };
    html(&page, &page.page, StatusCode::OK)
}

impl ComparePage {
    /// Returns both sides, As-Is first, for the template's loop.
    fn sides(&self) -> [&SideView; 2] {
        [&self.from, &self.to]
    }
}

fn kpis(c: &Comparison, lang: Lang) -> Vec<KpiView> {
    c.deltas
        .iter()
        .map(|d| {
            let max = d.from.abs().max(d.to.abs());
            let bar = |v: f64| {
                if max > 0.0 {
                    format!("{:.1}", v.abs() / max * 100.0)
                } else {
                    "0.0".to_owned()
                }
            };
            let trend = if (d.to - d.from).abs() < 1e-9 {
                "same"
            } else if (d.to < d.from) == d.lower_is_better {
                "better"
            } else {
                "worse"
            };
            KpiView {
                label: d.label.get(lang).to_owned(),
                unit: d.unit.get(lang).to_owned(),
                from: number(d.from),
                to: number(d.to),
                delta: signed(d.from, d.to),
                pct: percent(d.from, d.to),
                from_bar: bar(d.from),
                to_bar: bar(d.to),
                trend,
            }
        })
        .collect()
}

fn changes(c: &Comparison, from: &Entry, to: &Entry, lang: Lang) -> Option<Vec<ChangeView>> {
    let labels = |entry: &Entry, keys: &[String]| {
        keys.iter()
            .map(|k| {
                entry
                    .output
                    .model
                    .steps
                    .iter()
                    .find(|s| &s.key == k)
                    .map_or_else(|| k.clone(), |s| s.label.clone())
            })
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let list = c.changes.as_ref()?;
    Some(
        list.iter()
            .filter(|ch| ch.class != ChangeClass::Unchanged)
            .map(|ch| ChangeView {
                css: ch.class.css(),
                icon: ch.class.icon(),
                tag: t(ch.class.tag_key(), lang),
                from_keys: ch.from_keys.join(" "),
                to_keys: ch.to_keys.join(" "),
                from_labels: labels(from, &ch.from_keys),
                to_labels: labels(to, &ch.to_keys),
                details: ch
                    .details
                    .iter()
                    .map(|d| d.get(lang))
                    .collect::<Vec<_>>()
                    .join("; "),
            })
            .collect(),
    )
}

#[derive(Template)]
#[template(path = "missing.html")]
struct MissingPage {
    page: Chrome,
    process_name: String,
    siblings: Vec<VariantLink>,
}

/// Returns `svg` with every element id (and reference to one) prefixed, so that two diagrams in
/// one page never share an id. The render stage derives ids from step keys, which repeat across
/// variants (`step-S1` in both As-Is and To-Be).
#[must_use]
pub fn prefix_ids(svg: &str, prefix: &str) -> String {
    svg.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace("url(#", &format!("url(#{prefix}"))
        .replace("href=\"#", &format!("href=\"#{prefix}"))
}

// ---------------------------------------------------------------------------------------------
// Not found

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage {
    page: Chrome,
}

fn not_found_page(snapshot: &Snapshot, lang: (Lang, LangSource)) -> Response {
    let chrome = Chrome::new(
        lang,
        t("error.not_found", lang.0).to_owned(),
        snapshot.generation,
        "/",
    );
    let page = NotFoundPage { page: chrome };
    html(&page, &page.page, StatusCode::NOT_FOUND)
}

/// The fallback for unknown paths: a 404 page in the visitor's language.
pub async fn not_found(
    State(state): State<AppState>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let lang = i18n::negotiate(query.get("lang").map(String::as_str), &headers);
    not_found_page(&state.snapshot(), lang)
}

/// Returns a plain bilingual 404 for non-page resources (downloads, static files).
#[must_use]
pub fn not_found_plain() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        "見つかりません / not found\n",
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// Live reload

/// `GET /events`: a Server-Sent Events stream; each `reload` event carries the new generation.
/// The first event is the current generation, so a client that reconnects after missing a
/// reload notices it.
pub async fn events(State(state): State<AppState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.subscribe();
    let first = state.snapshot().generation;
    let stream = futures_util::stream::unfold(
        (Some(first), receiver, state),
        |(first, mut receiver, state)| async move {
            if let Some(generation) = first {
                return Some((Ok(reload_event(generation)), (None, receiver, state)));
            }
            let generation = match receiver.recv().await {
                Ok(generation) => generation,
                // Missed some: the current generation is what matters.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    state.snapshot().generation
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            };
            Some((Ok(reload_event(generation)), (None, receiver, state)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn reload_event(generation: u64) -> Event {
    Event::default().event("reload").data(generation.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_ids_and_references() {
        let svg = r##"<svg><g id="step-S1" data-step="S1"><path marker-end="url(#arrow)"/><use href="#x"/></g></svg>"##;
        assert_eq!(
            prefix_ids(svg, "from-"),
            r##"<svg><g id="from-step-S1" data-step="S1"><path marker-end="url(#from-arrow)"/><use href="#from-x"/></g></svg>"##
        );
    }
}
