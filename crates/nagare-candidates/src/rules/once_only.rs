//! Once only (ワンスオンリー): the resident is asked for what the city already holds (a gov-held
//! document filled in or attached) or writes the same field on more than one document.

use std::collections::{BTreeMap, BTreeSet};

use nagare_model::{DocRole, StepId};
use nagare_syntax::Text;

use super::{Score, annual_hours, as_f64, count_en, no_volume_note, num, round1, savings};
use crate::context::Ctx;
use crate::finding::{Finding, HoursSaved, RuleId};

/// Per resident step: items asked (fields written, plus one per attachment) and how many of them
/// are redundant (gov-held, a field already written on another document, or an attachment
/// already handed in at an earlier step).
struct Asked {
    items: usize,
    redundant: usize,
    gov_held_docs: BTreeSet<usize>,
    repeated_fields: BTreeSet<String>,
    /// Attachments (not gov-held) already handed in at an earlier step: DOMAIN.md §6 counts an
    /// attachment asked twice as once-only, like a field.
    repeated_attachments: BTreeSet<usize>,
}

/// Walks the resident steps in declaration order: a field repeats when an earlier step of the
/// same case wrote it on another document, or the same document at another step (a second copy
/// of the form); an attachment repeats when an earlier step of the same case handed it in. Alternative branches (counter or post) are not
/// the same case ([`Ctx::same_case`]).
fn asked(ctx: &Ctx<'_>) -> BTreeMap<StepId, Asked> {
    // Earlier writings of each field (step, document) and hand-ins of each attachment.
    let mut written: BTreeMap<String, Vec<(StepId, usize)>> = BTreeMap::new();
    let mut attached: BTreeMap<usize, Vec<StepId>> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for (s, step) in ctx.model.steps.iter().enumerate() {
        if !ctx.is_resident(s) {
            continue;
        }
        let mut entry = Asked {
            items: 0,
            redundant: 0,
            gov_held_docs: BTreeSet::new(),
            repeated_fields: BTreeSet::new(),
            repeated_attachments: BTreeSet::new(),
        };
        for u in &step.docs {
            let gov_held = ctx.doc_gov_held(u.doc);
            match u.role {
                DocRole::Fill => {
                    for field in ctx.use_fields(u) {
                        let field = field.trim().to_owned();
                        if field.is_empty() {
                            continue;
                        }
                        entry.items += 1;
                        let before = written.entry(field.clone()).or_default();
                        // An earlier writing in the same case, on another document or at
                        // another step (a second copy of the form), makes this one redundant.
                        let repeat = before
                            .iter()
                            .any(|&(e, d)| (d != u.doc || e != s) && ctx.same_case(e, s));
                        if !before.contains(&(s, u.doc)) {
                            before.push((s, u.doc));
                        }
                        if gov_held {
                            entry.redundant += 1;
                        } else if repeat {
                            entry.redundant += 1;
                            entry.repeated_fields.insert(field);
                        }
                    }
                    if gov_held {
                        entry.gov_held_docs.insert(u.doc);
                    }
                }
                DocRole::Attach => {
                    entry.items += 1;
                    let before = attached.entry(u.doc).or_default();
                    let repeat = before.iter().any(|&e| e != s && ctx.same_case(e, s));
                    before.push(s);
                    if gov_held {
                        entry.redundant += 1;
                        entry.gov_held_docs.insert(u.doc);
                    } else if repeat && entry.repeated_attachments.insert(u.doc) {
                        entry.redundant += 1;
                    }
                }
                DocRole::Read | DocRole::Produce => {}
            }
        }
        // A physical item handed over (a number plate) is part of the step's work that stays:
        // count it as one more thing asked, so the redundant share is not the whole step.
        if step.item.is_some() && entry.items > 0 {
            entry.items += 1;
        }
        if entry.items > 0 {
            out.insert(s, entry);
        }
    }
    out
}

/// Returns the resident steps that ask for something redundant.
pub(super) fn detect(ctx: &Ctx<'_>) -> BTreeSet<StepId> {
    asked(ctx)
        .into_iter()
        .filter(|(_, a)| a.redundant > 0)
        .map(|(s, _)| s)
        .collect()
}

/// Returns the once-only finding, if anything is asked twice or already held.
pub(super) fn finding(ctx: &Ctx<'_>) -> Option<Finding> {
    let asked = asked(ctx);
    let steps: BTreeSet<StepId> = asked
        .iter()
        .filter(|(_, a)| a.redundant > 0)
        .map(|(s, _)| *s)
        .collect();
    if steps.is_empty() {
        return None;
    }
    let w = &ctx.settings.once_only;
    let gov_held: BTreeSet<usize> = asked
        .values()
        .flat_map(|a| a.gov_held_docs.iter().copied())
        .collect();
    let (repeated, repeats, _) = ctx.duplicate_fields();
    let gov_names: Vec<&str> = gov_held.iter().map(|&d| ctx.doc_name(d)).collect();
    // Attachments handed in again: one repeat per later step, like a field on a later document.
    let attach_repeats: usize = asked.values().map(|a| a.repeated_attachments.len()).sum();
    let again: BTreeSet<usize> = asked
        .values()
        .flat_map(|a| a.repeated_attachments.iter().copied())
        .collect();
    let again_names: Vec<&str> = again.iter().map(|&d| ctx.doc_name(d)).collect();
    let all_repeats = repeats + attach_repeats;

    let mut score = Score::default();
    score.add(
        "gov_held",
        Text::new("行政保有情報の要求", "gov-held information asked"),
        w.gov_held,
        as_f64(gov_held.len()) / w.gov_held_full.max(1.0),
        if gov_held.is_empty() {
            Text::new(
                format!(
                    "市が保有する書類は求めていない（{} 件で満点）",
                    num(w.gov_held_full, 0)
                ),
                format!(
                    "no document the city holds is asked for (full at {})",
                    num(w.gov_held_full, 0)
                ),
            )
        } else {
            Text::new(
                format!(
                    "市が保有する書類 {} 件（{}）を住民に求めている（{} 件で満点）",
                    gov_held.len(),
                    gov_names.join("、"),
                    num(w.gov_held_full, 0)
                ),
                format!(
                    "{} the city holds ({}) asked from the resident (full at {})",
                    count_en(gov_held.len(), "document", "documents"),
                    gov_names.join(", "),
                    num(w.gov_held_full, 0)
                ),
            )
        },
    );
    score.add(
        "duplicates",
        Text::new("重複記入", "fields asked twice"),
        w.duplicates,
        as_f64(all_repeats) / w.duplicates_full.max(1.0),
        if attach_repeats == 0 {
            Text::new(
                format!(
                    "{} 項目を複数の書類に書く（重複 {repeats} 回、{} 回で満点）",
                    repeated.len(),
                    num(w.duplicates_full, 0)
                ),
                format!(
                    "{} written on several documents ({}, full at {})",
                    count_en(repeated.len(), "field", "fields"),
                    count_en(repeats, "repeat", "repeats"),
                    num(w.duplicates_full, 0)
                ),
            )
        } else {
            Text::new(
                format!(
                    "{} 項目を複数の書類に書き（重複 {repeats} 回）、添付書類を {attach_repeats} 回出し直す（計 {all_repeats} 回、{} 回で満点）",
                    repeated.len(),
                    num(w.duplicates_full, 0)
                ),
                format!(
                    "{} written on several documents ({}) and attachments handed in again {} (total {all_repeats}, full at {})",
                    count_en(repeated.len(), "field", "fields"),
                    count_en(repeats, "repeat", "repeats"),
                    count_en(attach_repeats, "time", "times"),
                    num(w.duplicates_full, 0)
                ),
            )
        },
    );
    super::volume_criterion(&mut score, ctx, w.volume);

    let mut reasons = Vec::new();
    if !gov_held.is_empty() {
        reasons.push(Text::new(
            format!(
                "「{}」は市が保有している: 情報連携で確認し、提出を求めない",
                gov_names.join("」「")
            ),
            format!(
                "the city already holds {}: check it by data linkage instead of asking",
                gov_names.join(", ")
            ),
        ));
    }
    if !repeated.is_empty() {
        reasons.push(Text::new(
            format!("同じ項目（{}）を何度も書かせている", repeated.join("、")),
            format!(
                "the same fields ({}) are asked more than once",
                repeated.join(", ")
            ),
        ));
    }
    if !again.is_empty() {
        reasons.push(Text::new(
            format!(
                "一度出した添付書類（{}）をもう一度出させている",
                again_names.join("、")
            ),
            format!(
                "attachments already handed in ({}) are asked for again",
                again_names.join(", ")
            ),
        ));
    }

    // The redundant share of each step's work goes away (writing or fetching what is redundant).
    let per_step: Vec<(StepId, f64, f64)> = steps
        .iter()
        .map(|&s| {
            let a = &asked[&s];
            let share = as_f64(a.redundant) / as_f64(a.items.max(1));
            (s, 0.0, annual_hours(ctx, ctx.work(s) * ctx.v(s) * share))
        })
        .collect();
    let resident: f64 = per_step.iter().map(|p| p.2).sum();
    let formula = if ctx.volume().is_some() {
        Text::new(
            "住民: 件数 × Σ v(s)·作業(s) × (不要な項目 ÷ 求める項目)。項目 = 記入欄 1 つ、添付書類 1 通、または渡す現物 1 つ。職員の確認時間は見積もらない",
            "resident: volume × Σ v(s)·work(s) × (redundant items ÷ items asked); an item is one field written, one attachment or one physical item handed over. Staff checking time is not estimated",
        )
    } else {
        no_volume_note()
    };
    Some(Finding {
        rule: RuleId::OnceOnly,
        process: ctx.model.process.id.clone(),
        steps: steps.iter().map(|&s| ctx.key(s)).collect(),
        title: Text::new(
            "市が持つ情報・一度出した情報を求めない（ワンスオンリー）",
            "Stop asking for what the city holds or was already given (once only)",
        ),
        score: score.total(),
        criteria: score.criteria,
        reasons,
        hours: HoursSaved {
            staff: 0.0,
            resident: round1(resident),
            formula,
            per_step: savings(ctx, per_step),
        },
        prerequisites: prerequisites(
            !gov_held.is_empty(),
            !repeated.is_empty(),
            !again.is_empty(),
        ),
        blockers: Vec::new(),
        extent: None,
        difficulty: None,
    })
}

/// Returns what must be in place: data linkage for gov-held information, merged forms for
/// repeated fields, attachments shared between sections for those handed in again.
fn prerequisites(gov_held: bool, fields: bool, attachments: bool) -> Vec<Text> {
    let mut out = Vec::new();
    if gov_held {
        out.push(Text::new(
            "庁内の情報連携（住民記録・税情報などの参照権限）",
            "data linkage inside the city (access to resident and tax records)",
        ));
    }
    if fields {
        out.push(Text::new(
            "申請書の項目を整理し、一度書いた項目を引き継ぐ",
            "merge the forms so a field written once is carried over",
        ));
    }
    if attachments {
        out.push(Text::new(
            "一度受け取った添付書類を課の間で共有する",
            "share attachments received once between sections",
        ));
    }
    out
}
