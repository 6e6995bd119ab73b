//! One-stop / 書かない窓口: the resident meets more than one counter, or writes the same fields
//! on several forms. Staff fill the forms from the My Number card and one counter serves all.

use std::collections::BTreeSet;

use nagare_model::{ActorId, DocRole, StepId};
use nagare_syntax::Text;

use super::{Score, annual_hours, as_f64, count_en, no_volume_note, num, round1, savings};
use crate::context::Ctx;
use crate::finding::{Finding, HoursSaved, RuleId};

/// Returns the distinct staff actors met in person, in declaration order of their first counter
/// step.
fn counters(ctx: &Ctx<'_>) -> Vec<ActorId> {
    let mut out = Vec::new();
    for &s in &ctx.counter_steps {
        let actor = ctx.step(s).actor;
        if !out.contains(&actor) {
            out.push(actor);
        }
    }
    out
}

/// Returns the expected passes per case at which the in-person resident step `s` waits at a
/// counter other than the first one met: all its passes when the counter that serves it (the
/// counter step right after it, else right before it) is another actor; without a counter beside
/// it, the passes at which it continues a visit (the graph's presence: passes at the office less
/// the visits begun there), since the first step of a visit is at no later counter.
fn passes_at_later_counter(ctx: &Ctx<'_>, s: StepId, first: Option<ActorId>) -> f64 {
    let beside = |list: &[StepId]| {
        list.iter()
            .copied()
            .find(|n| ctx.counter_steps.contains(n))
            .map(|n| ctx.step(n).actor)
    };
    match beside(ctx.succs(s)).or_else(|| beside(ctx.preds(s))) {
        Some(actor) if Some(actor) != first => ctx.v(s),
        Some(_) => 0.0,
        None => (ctx.present_at(s) - ctx.visit_starts_at(s)).max(0.0),
    }
}

/// Returns the counter steps (when more than one counter) and the steps writing repeated fields.
pub(super) fn detect(ctx: &Ctx<'_>) -> BTreeSet<StepId> {
    let mut steps = BTreeSet::new();
    if counters(ctx).len() > 1 {
        steps.extend(ctx.counter_steps.iter().copied());
    }
    let (_, _, repeated_at) = ctx.duplicate_fields();
    steps.extend(repeated_at);
    steps
}

/// Returns the one-stop finding, if several counters or repeated writing.
pub(super) fn finding(ctx: &Ctx<'_>) -> Option<Finding> {
    let steps = detect(ctx);
    if steps.is_empty() {
        return None;
    }
    let w = &ctx.settings.one_stop;
    let met = counters(ctx);
    let (repeated, repeats, _) = ctx.duplicate_fields();
    let names: Vec<&str> = met
        .iter()
        .filter_map(|&a| ctx.model.actors.get(a).map(|x| x.name.as_str()))
        .collect();

    let mut score = Score::default();
    score.add(
        "counters",
        Text::new("窓口の数", "counters met"),
        w.counters,
        as_f64(met.len().saturating_sub(1)) / (w.counters_full - 1.0).max(1.0),
        Text::new(
            format!(
                "住民が {} か所の窓口に行く（{}。1 か所 0 点、{} か所で満点）",
                met.len(),
                names.join("、"),
                num(w.counters_full, 0)
            ),
            format!(
                "the resident meets {} ({}; 0 for one, full at {})",
                count_en(met.len(), "counter", "counters"),
                names.join(", "),
                num(w.counters_full, 0)
            ),
        ),
    );
    score.add(
        "duplicates",
        Text::new("複数様式への同じ記入", "same fields on several forms"),
        w.duplicates,
        as_f64(repeats) / w.duplicates_full.max(1.0),
        Text::new(
            format!(
                "{} 項目を複数の様式に書く（重複 {repeats} 回、{} 回で満点）",
                repeated.len(),
                num(w.duplicates_full, 0)
            ),
            format!(
                "{} on several forms ({}, full at {})",
                count_en(repeated.len(), "field", "fields"),
                count_en(repeats, "repeat", "repeats"),
                num(w.duplicates_full, 0)
            ),
        ),
    );
    super::volume_criterion(&mut score, ctx, w.volume);

    let mut reasons = Vec::new();
    if met.len() > 1 {
        reasons.push(Text::new(
            format!("住民が窓口を回る: {}", names.join(" → ")),
            format!(
                "the resident goes from counter to counter: {}",
                names.join(" → ")
            ),
        ));
    }
    if !repeated.is_empty() {
        reasons.push(Text::new(
            format!("同じ項目（{}）を様式ごとに書く", repeated.join("、")),
            format!(
                "the same fields ({}) are written on each form",
                repeated.join(", ")
            ),
        ));
    }

    // 書かない窓口: the resident no longer writes at the counter; with one counter, the queues at
    // the later counters go too.
    let mut per_step = Vec::new();
    for (s, step) in ctx.model.steps.iter().enumerate() {
        if !ctx.in_person_resident(s) {
            continue;
        }
        let writes = step.docs.iter().any(|u| u.role == DocRole::Fill);
        let mut minutes = 0.0;
        if writes {
            minutes += ctx.work(s) * ctx.v(s);
        }
        if met.len() > 1 {
            minutes += ctx.wait(s) * passes_at_later_counter(ctx, s, met.first().copied());
        }
        if minutes > 0.0 {
            per_step.push((s, 0.0, annual_hours(ctx, minutes)));
        }
    }
    let resident: f64 = per_step.iter().map(|p: &(StepId, f64, f64)| p.2).sum();
    let formula = if ctx.volume().is_some() {
        Text::new(
            "住民: 件数 × Σ v(s)·(窓口で記入する作業 + 2 か所目以降の窓口での待ち)。職員の時間は見積もらない（職員が記入を代わる。公表事例では窓口時間 約18分→約10分）",
            "resident: volume × Σ v(s)·(writing at the counter + waits at the second and later counters). Staff time is not estimated (staff take over the writing; a published case cut counter time from ~18 to ~10 minutes)",
        )
    } else {
        no_volume_note()
    };
    Some(Finding {
        rule: RuleId::OneStop,
        process: ctx.model.process.id.clone(),
        steps: steps.iter().map(|&s| ctx.key(s)).collect(),
        title: Text::new(
            "ワンストップ窓口・書かない窓口にする",
            "Serve the resident at one counter without writing (one-stop, no-writing counter)",
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
        prerequisites: vec![Text::new(
            "マイナンバーカードから様式を作る窓口支援システムと課の間のデータ共有",
            "a counter system that fills forms from the My Number card, and data shared between sections",
        )],
        blockers: Vec::new(),
        extent: None,
        difficulty: None,
    })
}
