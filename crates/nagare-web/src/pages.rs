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
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use serde::Deserialize;

use nagare::diff::{ChangeClass, Diff, StepChange};
use nagare::graph::{Better, format_value};
use nagare::model::Variant;

use crate::engine::metric;
use crate::i18n::{self, Lang, LangSource, t};
use crate::state::{AppState, Entry, Procedure, Snapshot};
use crate::views::{self, DiagView, StepView, encode_segment, number, percent, signed};

/// Query parameters every page accepts.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub lang: Option<String>,
    /// Compare page and its downloads: the variant to compare the As-Is with (default To-Be).
    pub to: Option<String>,
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
    /// Returns the chrome of a page at `path` (the canonical URL, for the language switch).
    pub(crate) fn new(
        lang: (Lang, LangSource),
        title: String,
        generation: u64,
        path: &str,
    ) -> Self {
        let other = match lang.0 {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        };
        Self {
            lang: lang.0,
            html_lang: i18n::code(lang.0),
            title,
            generation,
            switch_href: format!(
                "{path}{}lang={}",
                if path.contains('?') { '&' } else { '?' },
                i18n::code(other)
            ),
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

    /// Returns a finding's score and savings as one sentence, each figure with its unit.
    #[must_use]
    pub fn saving(&self, score: &str, staff: &str, resident: &str) -> String {
        self.t("cand.saving")
            .replace("{score}", score)
            .replace("{staff}", staff)
            .replace("{resident}", resident)
    }

    /// Returns an error count in words (`2 エラー`, `1 error`, `2 errors`).
    #[must_use]
    /// Takes a reference because templates pass their arguments by reference.
    pub fn errors(&self, n: &usize) -> String {
        let key = if *n == 1 {
            "status.error"
        } else {
            "status.errors"
        };
        format!("{n} {}", self.t(key))
    }
}

/// Returns an HTML response with `body`; sets the language cookie when `?lang=` chose it.
fn page_response(body: Bytes, lang: (Lang, LangSource), status: StatusCode) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(VARY, HeaderValue::from_static("Cookie"));
    if lang.1 == LangSource::Query {
        let cookie = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            i18n::code(lang.0)
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.insert(SET_COOKIE, value);
        }
    }
    response
}

/// Renders `template` as an HTML response (not cached: error and not-found pages).
fn html(template: &impl Template, chrome: &Chrome, status: StatusCode) -> Response {
    match template.render() {
        Ok(body) => page_response(Bytes::from(body), (chrome.lang, chrome.source), status),
        Err(error) => template_error(&error),
    }
}

/// Renders `template`, keeps the page in the snapshot's cache under `key`, and responds.
pub(crate) fn cache_and_respond(
    snapshot: &Snapshot,
    key: String,
    template: &impl Template,
    lang: (Lang, LangSource),
) -> Response {
    match template.render() {
        Ok(body) => {
            let body = Bytes::from(body);
            snapshot.cache_page(key, body.clone());
            page_response(body, lang, StatusCode::OK)
        }
        Err(error) => template_error(&error),
    }
}

/// Returns the page of `key` if it was already rendered for this snapshot.
pub(crate) fn cached(snapshot: &Snapshot, key: &str, lang: (Lang, LangSource)) -> Option<Response> {
    snapshot
        .cached_page(key)
        .map(|body| page_response(body, lang, StatusCode::OK))
}

/// Returns the cache key of a page: its language and canonical path.
pub(crate) fn page_key(lang: Lang, path: &str) -> String {
    format!("{}:{path}", i18n::code(lang))
}

fn template_error(error: &askama::Error) -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("template error: {error}"),
    )
        .into_response()
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
/// whether the column shows the per-case value times the volume (an annual figure), and whether
/// a portfolio total makes sense (a sum of per-case handoffs over procedures does not).
pub const HEADLINE: &[(&str, &str, bool, bool)] = &[
    ("staff_hours_per_year", "col.hours", false, true),
    ("visits.expected", "col.visits", true, true),
    ("paper_touchpoints.expected", "col.paper", true, true),
    (
        "handoffs.between_people.expected",
        "col.handoffs",
        false,
        false,
    ),
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
    /// Where the procedure's name links: the comparison, else its only variant's page.
    pub href: String,
    pub cells: Vec<Cell>,
    pub errors: usize,
    /// Left out of the totals and the ranking because a file has errors.
    pub excluded: bool,
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
    /// Why the totals and the ranking leave some procedures out (empty when none are).
    excluded_note: String,
    refused: Vec<(String, String)>,
    settings_errors: Vec<String>,
    ranking: Vec<RankView>,
}

/// One procedure in the candidates ranking.
#[derive(Debug)]
pub struct RankView {
    pub rank: usize,
    pub title: String,
    pub href: String,
    pub staff_hours: String,
    pub resident_hours: String,
    pub total_hours: String,
    pub top: String,
    pub findings: usize,
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

/// Returns the decimals a headline column prints, by the metrics stage's rule for its unit:
/// hours with one, annual counts as integers, per-case expectations with two.
fn decimals(key: &str) -> usize {
    match key {
        "staff_hours_per_year" => 1,
        "handoffs.between_people.expected" => 2,
        _ => 0,
    }
}

fn cell(from: Option<f64>, to: Option<f64>, decimals: usize) -> Cell {
    let show = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| views::fixed(v, decimals));
    let (delta, improved, worse) = match (from, to) {
        (Some(f), Some(t)) => {
            let d = views::fixed(t - f, decimals);
            // A rise that rounds to zero prints `0`, unsigned, as `fixed` prints a fall.
            let rounds_to_zero = d.chars().all(|c| matches!(c, '0' | '.' | ','));
            let signed = if t > f && !rounds_to_zero {
                format!("+{d}")
            } else {
                d
            };
            (format!("{signed} ({})", percent(f, t)), t < f, t > f)
        }
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
    folder_page(
        &state,
        &query,
        &headers,
        "/",
        "portfolio.title",
        portfolio_page,
    )
}

/// Serves a page about the whole folder (no path parameters) at `path`: from the cache of the
/// current snapshot, else built by `build` and cached.
pub(crate) fn folder_page<T: Template>(
    state: &AppState,
    query: &PageQuery,
    headers: &HeaderMap,
    path: &str,
    title_key: &'static str,
    build: impl FnOnce(&Snapshot, Chrome) -> T,
) -> Response {
    let snapshot = state.snapshot();
    let lang = i18n::negotiate(query.lang.as_deref(), headers);
    let key = page_key(lang.0, path);
    if let Some(response) = cached(&snapshot, &key, lang) {
        return response;
    }
    let chrome = Chrome::new(
        lang,
        t(title_key, lang.0).to_owned(),
        snapshot.generation,
        path,
    );
    let page = build(&snapshot, chrome);
    cache_and_respond(&snapshot, key, &page, lang)
}

/// Returns the note under a folder page that says how many procedures with errors were left
/// out of its totals (empty when none was).
pub(crate) fn excluded_note(excluded: usize, lang: Lang) -> String {
    if excluded == 0 {
        String::new()
    } else {
        t("portfolio.excluded", lang).replace("{n}", &excluded.to_string())
    }
}

fn portfolio_page(snapshot: &Snapshot, page: Chrome) -> PortfolioPage {
    let lang = page.lang;
    let mut totals_from = vec![None::<f64>; HEADLINE.len()];
    let mut totals_to = vec![None::<f64>; HEADLINE.len()];
    let rows = snapshot
        .procedures
        .values()
        .map(|procedure| {
            // Without a pair, a lone As-Is fills the As-Is column and a lone To-Be (or Can-Be)
            // the To-Be column: a To-Be drafted before its As-Is must not read as the As-Is.
            let (from, to) = match procedure.pair.as_ref() {
                Some(p) => (Some(Arc::clone(&p.from)), Some(Arc::clone(&p.to))),
                None => match procedure.of_variant(Variant::AsIs) {
                    Some(e) => (Some(Arc::clone(e)), None),
                    None => (None, procedure.entries.first().cloned()),
                },
            };
            let counted = !procedure.has_errors();
            let cells = HEADLINE
                .iter()
                .enumerate()
                .map(|(i, (key, _, annual, _))| {
                    // A model the compiler could only partly read has no trustworthy
                    // figures: its row shows the errors, not numbers.
                    let value = |e: &Option<Arc<Entry>>| {
                        e.as_ref()
                            .filter(|_| counted)
                            .and_then(|e| headline_value(e, key, *annual))
                    };
                    let (f, t) = (value(&from), value(&to));
                    // A procedure with one side only counts as unchanged in both totals, so the
                    // totals' difference is the effect of the procedures that have both.
                    if let Some(v) = f.or(t) {
                        *totals_from[i].get_or_insert(0.0) += v;
                        *totals_to[i].get_or_insert(0.0) += t.unwrap_or(v);
                    }
                    cell(f, t, decimals(key))
                })
                .collect();
            let volume = from
                .as_ref()
                .or(to.as_ref())
                .and_then(|e| e.output.model.process.volume_per_year);
            PortfolioRow {
                name: procedure.name.clone(),
                title: procedure.title().to_owned(),
                volume: volume.map_or_else(|| "—".to_owned(), number),
                volume_sort: format!("{:.3}", volume.unwrap_or(-1.0)),
                variants: variant_links(procedure),
                compare: procedure
                    .pair
                    .as_ref()
                    .map(|_| compare_href(&procedure.name)),
                href: match procedure.pair {
                    Some(_) => compare_href(&procedure.name),
                    None => from
                        .as_ref()
                        .or(to.as_ref())
                        .map_or_else(String::new, |e| process_href(&procedure.name, &e.slug)),
                },
                cells,
                errors: procedure.entries.iter().map(|e| e.error_count()).sum(),
                excluded: !counted,
            }
        })
        .collect::<Vec<_>>();
    let excluded = rows.iter().filter(|r| r.excluded).count();
    let totals = totals_from
        .iter()
        .zip(&totals_to)
        .zip(HEADLINE)
        .map(|((f, t), (key, _, _, summable))| {
            if *summable {
                cell(*f, *t, decimals(key))
            } else {
                // A sum of per-case values means nothing: the cell stays empty.
                Cell {
                    from: String::new(),
                    to: String::new(),
                    delta: String::new(),
                    sort: String::new(),
                    improved: false,
                    worse: false,
                }
            }
        })
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
        excluded_note: excluded_note(excluded, lang),
        headline: HEADLINE.iter().map(|(_, col, _, _)| t(col, lang)).collect(),
        rows,
        totals,
        error_files,
        refused: snapshot.refused.clone(),
        ranking: snapshot
            .ranking
            .iter()
            .filter(|(_, r)| r.findings > 0)
            .map(|(name, r)| RankView {
                rank: r.rank,
                title: snapshot
                    .procedures
                    .get(name)
                    .map_or_else(|| r.name.clone(), |p| p.title().to_owned()),
                href: snapshot.procedures.get(name).map_or_else(String::new, |p| {
                    p.entries
                        .iter()
                        .find(|e| e.output.model.process.variant == r.variant)
                        .map_or_else(String::new, |e| {
                            format!("{}#candidates", process_href(name, &e.slug))
                        })
                }),
                staff_hours: views::fixed1(r.staff_hours),
                resident_hours: views::fixed1(r.resident_hours),
                total_hours: views::fixed1(r.total_hours),
                top: r
                    .top
                    .as_ref()
                    .map(|f| f.title.get(lang).to_owned())
                    .unwrap_or_default(),
                findings: r.findings,
            })
            .collect(),
        settings_errors: snapshot
            .settings_errors
            .iter()
            .map(|e| e.get(lang).to_owned())
            .collect(),
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
    /// The value with its unit, formatted by the metrics stage.
    pub value: String,
}

/// An improvement candidate for display.
#[derive(Debug)]
pub struct FindingView {
    pub rule: String,
    pub title: String,
    pub score: String,
    pub hours: String,
    pub resident_hours: String,
    pub reasons: Vec<String>,
    pub caveats: Vec<String>,
    /// The concerned step keys, space-separated (for "show all").
    pub steps: String,
    /// The same keys one by one, each a button that shows its box in the diagram.
    pub step_keys: Vec<String>,
}

#[derive(Template)]
#[template(path = "process.html")]
struct ProcessPage {
    page: Chrome,
    slug: String,
    process_name: String,
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
    let key = page_key(lang.0, &base);
    if let Some(response) = cached(&snapshot, &key, lang) {
        return response;
    }
    let model = &entry.output.model;
    let title = format!("{} ({})", proc_.title(), entry.slug);
    let chrome = Chrome::new(lang, title, snapshot.generation, &base);
    let choice = lang;
    let lang = lang.0;
    let page = ProcessPage {
        slug: slug.clone(),
        process_name: proc_.title().to_owned(),
        file: entry.file.display.clone(),
        volume: model
            .process
            .volume_per_year
            .map(|v| format!("{}{}", number(v), t("unit.per_year", lang))),
        department: model.process.department.clone(),
        siblings: variant_links(proc_),
        compare: proc_.pair.as_ref().map(|_| compare_href(&procedure)),
        diags: views::diagnostics(
            &entry.output.diagnostics,
            &entry.source,
            &entry.file.display,
            lang,
        ),
        has_errors: entry.error_count() > 0,
        svg: Some(entry.output.svg.get(lang).clone()),
        handoff_svg: Some(prefix_ids(entry.output.handoff_svg.get(lang), "hm-")),
        steps: views::steps(model, lang),
        metrics: entry
            .output
            .metrics
            .iter()
            .map(|m| MetricView {
                key: m.key.to_owned(),
                label: m.label.get(lang).to_owned(),
                value: format_value(m.value, m.unit, lang),
            })
            .collect(),
        candidates: Some(
            entry
                .output
                .candidates
                .iter()
                .map(|f| FindingView {
                    rule: f.rule.name().get(lang).to_owned(),
                    title: f.title.get(lang).to_owned(),
                    score: views::fixed1(f.score),
                    hours: views::fixed1(f.hours.staff),
                    resident_hours: views::fixed1(f.hours.resident),
                    reasons: f.reasons.iter().map(|r| r.get(lang).to_owned()).collect(),
                    caveats: f
                        .blockers
                        .iter()
                        .map(|b| b.text.get(lang).to_owned())
                        .chain(f.prerequisites.iter().map(|p| p.get(lang).to_owned()))
                        .collect(),
                    steps: f.steps.join(" "),
                    step_keys: f.steps.clone(),
                })
                .collect(),
        ),
        base,
        page: chrome,
    };
    cache_and_respond(&snapshot, key, &page, choice)
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
    pub from: String,
    pub to: String,
    pub delta: String,
    pub pct: String,
    pub from_bar: String,
    pub to_bar: String,
    /// `better`, `worse` or `same`: also spelled out in `trend_text`, not only coloured.
    pub trend: &'static str,
}

/// A step change for display, linked to its boxes in both diagrams.
#[derive(Debug)]
pub struct ChangeView {
    pub css: &'static str,
    pub icon: &'static str,
    pub tag: String,
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
    /// Every variant the As-Is can be compared with (more than one when a Can-Be exists).
    targets: Vec<VariantLink>,
    /// `?to=…` when this is not the default comparison, for the download links.
    to_query: String,
    process_name: String,
    base: String,
    from: SideView,
    to: SideView,
    summary: String,
    similarity: String,
    kpis: Vec<KpiView>,
    changes: Vec<ChangeView>,
    diags: Vec<DiagView>,
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
    // `?to=` picks another variant; the canonical URL (cache key, language switch, downloads)
    // carries it only when it is not the default comparison.
    let to_query = match query.to.as_deref() {
        Some(slug) if proc_.pair.as_ref().is_none_or(|p| p.to.slug != slug) => {
            format!("?to={}", encode_segment(slug))
        }
        _ => String::new(),
    };
    let canonical = format!("{base}{to_query}");
    let title = format!("{} — {}", proc_.title(), t("compare.title", lang.0));
    let chrome = Chrome::new(lang, title, snapshot.generation, &canonical);
    if query.to.is_some() && proc_.pair_to(query.to.as_deref()).is_none() {
        return not_found_page(&snapshot, lang);
    }
    let Some(pair) = proc_.pair_to(query.to.as_deref()) else {
        let page = MissingPage {
            page: chrome,
            process_name: proc_.title().to_owned(),
            siblings: variant_links(proc_),
        };
        return html(&page, &page.page, StatusCode::NOT_FOUND);
    };
    let key = page_key(lang.0, &canonical);
    if let Some(response) = cached(&snapshot, &key, lang) {
        return response;
    }
    let choice = lang;
    let lang = lang.0;
    let c = &pair.comparison;
    let targets = proc_
        .pairs
        .iter()
        .map(|p| VariantLink {
            slug: p.to.slug.clone(),
            href: if proc_.pair.as_ref().is_some_and(|d| Arc::ptr_eq(d, p)) {
                base.clone()
            } else {
                format!("{base}?to={}", encode_segment(&p.to.slug))
            },
            errors: p.to.error_count(),
            warnings: p.to.warning_count(),
        })
        .collect();
    let side = |entry: &Entry, svg: &str, name: &'static str| SideView {
        name,
        slug: entry.slug.clone(),
        href: process_href(&procedure, &entry.slug),
        svg: Some(prefix_ids(svg, &format!("{name}-"))),
        steps: views::steps(&entry.output.model, lang),
        errors: entry.error_count(),
    };
    let page = ComparePage {
        targets,
        to_query,
        process_name: proc_.title().to_owned(),
        from: side(&pair.from, c.from_svg.get(lang), "from"),
        to: side(&pair.to, c.to_svg.get(lang), "to"),
        summary: c.diff.summary.get(lang).to_owned(),
        similarity: format!("{:.0}%", c.diff.similarity * 100.0),
        kpis: kpis(&c.diff, lang),
        changes: changes(
            &c.diff,
            lang,
            &pair.from.output.model,
            &pair.to.output.model,
        ),
        diags: views::diagnostics(
            &c.diff.diagnostics,
            &pair.to.source,
            &pair.to.file.display,
            lang,
        ),
        base,
        page: chrome,
    };
    cache_and_respond(&snapshot, key, &page, choice)
}

impl ComparePage {
    /// Returns both sides, As-Is first, for the template's loop.
    fn sides(&self) -> [&SideView; 2] {
        [&self.from, &self.to]
    }
}

fn kpis(diff: &Diff, lang: Lang) -> Vec<KpiView> {
    diff.metric_deltas
        .iter()
        .filter(|d| d.as_is.is_some() || d.to_be.is_some())
        .map(|d| {
            let (f, t) = (d.as_is.unwrap_or(0.0), d.to_be.unwrap_or(0.0));
            let max = f.abs().max(t.abs());
            let bar = |v: f64| {
                if max > 0.0 {
                    format!("{:.1}", v.abs() / max * 100.0)
                } else {
                    "0.0".to_owned()
                }
            };
            let show = |v: Option<f64>| {
                v.map_or_else(|| "—".to_owned(), |v| format_value(v, d.unit, lang))
            };
            let trend = match (d.improved, d.better) {
                (Some(true), _) => "better",
                (Some(false), _) => "worse",
                (None, Better::Neutral) if d.change.is_some_and(|c| c != 0.0) => "neutral",
                _ => "same",
            };
            KpiView {
                label: d.label.get(lang).to_owned(),
                from: show(d.as_is),
                to: show(d.to_be),
                delta: d
                    .change
                    .map_or_else(String::new, |c| signed_value(c, d.unit, lang)),
                pct: match d.percent {
                    Some(p) => percent(100.0, 100.0 + p),
                    None => "—".to_owned(),
                },
                from_bar: bar(f),
                to_bar: bar(t),
                trend,
            }
        })
        .collect()
}

/// Returns a change with its sign and unit, formatted as the values beside it (`+2,000`,
/// `−880 時間`, `0`): the metrics stage's formatter, so a delta never reads differently.
fn signed_value(change: f64, unit: nagare::graph::Unit, lang: Lang) -> String {
    if unit == nagare::graph::Unit::Bool {
        // "yes"/"no" has no sign: show the plain difference.
        return signed(0.0, change);
    }
    let text = format_value(change.abs(), unit, lang);
    // The formatter's rounding decides whether anything is left to sign (no `−0.0`).
    let zero = format_value(0.0, unit, lang);
    if text == zero {
        zero
    } else if change < 0.0 {
        format!("−{text}")
    } else {
        format!("+{text}")
    }
}

/// Returns the main mark of a change: removed, added, or changed (anything substantive).
fn mark(change: &StepChange) -> Option<(&'static str, &'static str)> {
    if change.has(ChangeClass::Removed) {
        Some(("removed", "−"))
    } else if change.has(ChangeClass::Added) {
        Some(("added", "+"))
    } else if change.has(ChangeClass::Unchanged) {
        None
    } else {
        Some(("changed", "△"))
    }
}

/// Returns the user-written id (`S7`) of the step `key` of `model`, if it has one.
fn step_id<'m>(model: &'m nagare::model::Model, key: &str) -> Option<&'m str> {
    model
        .steps
        .iter()
        .find(|s| s.key == key)
        .and_then(|s| s.id.as_deref())
}

fn changes(
    diff: &Diff,
    lang: Lang,
    from: &nagare::model::Model,
    to: &nagare::model::Model,
) -> Vec<ChangeView> {
    // Each step with its id, as in the steps tables and the diagrams (`S7 書類を確認する`).
    let labels = |steps: &[nagare::diff::StepRef], model: &nagare::model::Model| {
        steps
            .iter()
            .map(|s| match step_id(model, &s.key) {
                Some(id) => format!("{id} {}", s.label),
                None => s.label.clone(),
            })
            .collect::<Vec<_>>()
            .join(" / ")
    };
    diff.changes
        .iter()
        .filter_map(|ch| {
            let (css, icon) = mark(ch)?;
            let tag = ch
                .classes
                .iter()
                .map(|c| c.label().get(lang).to_owned())
                .collect::<Vec<_>>()
                .join("・");
            let mut details = ch.detail.get(lang).to_owned();
            // A detail that only repeats the tag (`追加`) says nothing more.
            if details == tag {
                details.clear();
            }
            if let Some(reason) = ch.reason.as_deref().filter(|r| !details.contains(*r)) {
                if !details.is_empty() {
                    details.push_str(" — ");
                }
                details.push_str(reason);
            }
            Some(ChangeView {
                css,
                icon,
                tag,
                from_keys: ch.as_is_keys().join(" "),
                to_keys: ch.to_be_keys().join(" "),
                from_labels: labels(&ch.as_is, from),
                to_labels: labels(&ch.to_be, to),
                details,
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "missing.html")]
struct MissingPage {
    page: Chrome,
    process_name: String,
    siblings: Vec<VariantLink>,
}

/// Returns `svg` with every element id (and every reference to one: `url(#…)`, `href="#…"`,
/// `aria-labelledby`) prefixed, so that two diagrams in one page never share an id. The render
/// stage derives ids from step keys, which repeat across variants (`step-S1` in both).
#[must_use]
pub fn prefix_ids(svg: &str, prefix: &str) -> String {
    let replaced = svg
        .replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace("url(#", &format!("url(#{prefix}"))
        .replace("href=\"#", &format!("href=\"#{prefix}"));
    let labelled = prefix_id_list(&replaced, "aria-labelledby=\"", prefix);
    prefix_id_list(&labelled, "aria-describedby=\"", prefix)
}

/// Returns `text` with each id in the space-separated values of `attribute` prefixed.
fn prefix_id_list(text: &str, attribute: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(at) = rest.find(attribute) {
        let (head, tail) = rest.split_at(at + attribute.len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        let ids: Vec<String> = tail[..end]
            .split_whitespace()
            .map(|id| format!("{prefix}{id}"))
            .collect();
        out.push_str(&ids.join(" "));
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
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
pub async fn events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
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
    Event::default()
        .event("reload")
        .data(generation.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_ids_and_references() {
        let svg = r##"<svg aria-labelledby="t d"><g id="step-S1" data-step="S1"><path marker-end="url(#arrow)"/><use href="#x"/></g></svg>"##;
        assert_eq!(
            prefix_ids(svg, "from-"),
            r##"<svg aria-labelledby="from-t from-d"><g id="from-step-S1" data-step="S1"><path marker-end="url(#from-arrow)"/><use href="#from-x"/></g></svg>"##
        );
    }
}
