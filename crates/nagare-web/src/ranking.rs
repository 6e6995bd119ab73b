//! The ranking page `/ranking` (issue #7): procedures ordered by the hours their As-Is
//! candidates would save per year, then every finding of every ranked procedure; and its CSV
//! download `/candidates.csv` (the candidates stage's own ranking CSV).
//!
//! The ranking itself is the candidates stage's (computed once per reload in `state`); this
//! module only picks what to show. Procedures with a file in error are left out, as on the
//! portfolio, and the page says so.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use askama::Template;
use nagare::candidates::{Finding, RankedProcedure};
use nagare::model::Model;

use crate::download;
use crate::i18n::{self, Lang};
use crate::pages::{Chrome, PageQuery, excluded_note, folder_page, process_href};
use crate::state::{AppState, Entry, Snapshot};
use crate::views::{self, encode_segment};

/// One procedure in the ranking table.
#[derive(Debug)]
pub struct RankRow {
    pub rank: usize,
    /// The procedure's folder name, for the anchor of its findings below the table.
    pub anchor: String,
    pub title: String,
    /// The ranked variant's process page (empty if the file is gone).
    pub href: String,
    pub staff_hours: String,
    pub resident_hours: String,
    /// Staff + resident: the ranking key, so the order can be read off the table.
    pub total_hours: String,
    pub findings: usize,
    /// Rule names in the page's language, in rule order.
    pub rules: String,
    /// The finding with the largest saving: rule, title, hours and score (empty without one).
    pub top_rule: String,
    pub top_title: String,
    pub top_hours: String,
    pub top_score: String,
}

/// A step a finding concerns, linked to its row on the process page.
#[derive(Debug)]
pub struct StepLink {
    pub label: String,
    pub href: String,
}

/// One finding below the table.
#[derive(Debug)]
pub struct RankedFinding {
    pub rule: String,
    pub title: String,
    pub score: String,
    pub hours: String,
    pub resident_hours: String,
    pub steps: Vec<StepLink>,
    pub reasons: Vec<String>,
    /// Blockers (一部オンライン…) and prerequisites, as on the process page.
    pub caveats: Vec<String>,
}

/// One procedure's findings below the table.
#[derive(Debug)]
pub struct ProcedureFindings {
    pub anchor: String,
    pub title: String,
    pub href: String,
    pub findings: Vec<RankedFinding>,
}

#[derive(Template)]
#[template(path = "ranking.html")]
struct RankingPage {
    page: Chrome,
    /// The column title of the largest-saving finding, from the candidates stage.
    top_heading: String,
    rows: Vec<RankRow>,
    details: Vec<ProcedureFindings>,
    /// Why some procedures are left out (empty when none are).
    excluded_note: String,
}

/// Returns the ranked entry of `name`: the variant the candidates stage ranked.
fn ranked_entry<'s>(
    snapshot: &'s Snapshot,
    name: &str,
    ranked: &RankedProcedure,
) -> Option<&'s Entry> {
    snapshot
        .procedures
        .get(name)?
        .entries
        .iter()
        .find(|e| e.output.model.process.variant == ranked.variant)
        .map(AsRef::as_ref)
}

/// Returns the anchor of a procedure's findings (`findings-<encoded name>`).
fn anchor(name: &str) -> String {
    format!("findings-{}", encode_segment(name))
}

/// Returns the steps of `finding` as links to their rows on the process page at `base`.
fn step_links(finding: &Finding, model: &Model, base: &str) -> Vec<StepLink> {
    finding
        .steps
        .iter()
        .map(|key| {
            let step = model.steps.iter().find(|s| &s.key == key);
            let label = match step {
                Some(s) => match s.id.as_deref() {
                    Some(id) => format!("{id} {}", s.label),
                    None => s.label.clone(),
                },
                None => key.clone(),
            };
            StepLink {
                label,
                href: if base.is_empty() {
                    String::new()
                } else {
                    format!("{base}#row-{}", encode_segment(key))
                },
            }
        })
        .collect()
}

fn finding_view(finding: &Finding, model: &Model, base: &str, lang: Lang) -> RankedFinding {
    RankedFinding {
        rule: finding.rule.name().get(lang).to_owned(),
        title: finding.title.get(lang).to_owned(),
        score: views::fixed1(finding.score),
        hours: views::fixed1(finding.hours.staff),
        resident_hours: views::fixed1(finding.hours.resident),
        steps: step_links(finding, model, base),
        reasons: finding
            .reasons
            .iter()
            .map(|r| r.get(lang).to_owned())
            .collect(),
        caveats: finding
            .blockers
            .iter()
            .map(|b| b.text.get(lang).to_owned())
            .chain(finding.prerequisites.iter().map(|p| p.get(lang).to_owned()))
            .collect(),
    }
}

fn ranking_page(snapshot: &Snapshot, page: Chrome) -> RankingPage {
    let lang = page.lang;
    let title_of = |name: &str, ranked: &RankedProcedure| {
        snapshot
            .procedures
            .get(name)
            .map_or_else(|| ranked.name.clone(), |p| p.title().to_owned())
    };
    let base_of = |name: &str, ranked: &RankedProcedure| {
        ranked_entry(snapshot, name, ranked)
            .map_or_else(String::new, |e| process_href(name, &e.slug))
    };
    let rows = snapshot
        .ranking
        .iter()
        .map(|(name, r)| {
            let base = base_of(name, r);
            let top = r.top.as_ref();
            RankRow {
                rank: r.rank,
                anchor: anchor(name),
                title: title_of(name, r),
                href: if base.is_empty() {
                    base
                } else {
                    format!("{base}#candidates")
                },
                staff_hours: views::fixed1(r.staff_hours),
                resident_hours: views::fixed1(r.resident_hours),
                total_hours: views::fixed1(r.total_hours),
                findings: r.findings,
                rules: r
                    .rules
                    .iter()
                    .map(|rule| rule.name().get(lang).to_owned())
                    .collect::<Vec<_>>()
                    .join("・"),
                top_rule: top.map_or_else(String::new, |f| f.rule.name().get(lang).to_owned()),
                top_title: top.map_or_else(String::new, |f| f.title.get(lang).to_owned()),
                top_hours: top.map_or_else(String::new, |f| views::fixed1(f.hours.total())),
                top_score: top.map_or_else(String::new, |f| views::fixed1(f.score)),
            }
        })
        .collect();
    let details = snapshot
        .ranking
        .iter()
        .filter_map(|(name, r)| {
            let entry = ranked_entry(snapshot, name, r)?;
            if entry.output.candidates.is_empty() {
                return None;
            }
            let base = process_href(name, &entry.slug);
            Some(ProcedureFindings {
                anchor: anchor(name),
                title: title_of(name, r),
                findings: entry
                    .output
                    .candidates
                    .iter()
                    .map(|f| finding_view(f, &entry.output.model, &base, lang))
                    .collect(),
                href: format!("{base}#candidates"),
            })
        })
        .collect();
    let excluded = snapshot
        .procedures
        .values()
        .filter(|p| p.has_errors())
        .count();
    RankingPage {
        top_heading: nagare::candidates::top_heading().get(lang).to_owned(),
        rows,
        details,
        excluded_note: excluded_note(excluded, lang),
        page,
    }
}

/// `GET /ranking`: procedures by hours saved per year, then every finding of each.
pub async fn ranking(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    folder_page(
        &state,
        &query,
        &headers,
        "/ranking",
        "ranking.title",
        ranking_page,
    )
}

/// `GET /candidates.csv`: the ranking as the candidates stage writes it (as `nagare candidates
/// --csv` over a folder), with a byte order mark for Excel.
pub async fn candidates_csv(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let snapshot = state.snapshot();
    let ranked: Vec<RankedProcedure> = snapshot.ranking.iter().map(|(_, r)| r.clone()).collect();
    let lang = i18n::negotiate(query.lang.as_deref(), &headers).0;
    let text = nagare::candidates::format_ranking(&ranked, lang, true);
    download::csv_download(&text, "candidates.csv")
}
