//! Electronic approval (電子決裁): staff approval steps done on paper (a paper medium, a seal, or
//! a paper document passed along the chain).

use std::collections::BTreeSet;

use nagare_model::{DocRole, Medium, StepId};
use nagare_syntax::Text;

use super::{Score, annual_hours, keys, no_volume_note, num, round1, savings};
use crate::context::Ctx;
use crate::finding::{Finding, HoursSaved, RuleId};

/// Words in a step label that mean an approval (決裁, 承認…).
const APPROVAL_WORDS: &[&str] = &[
    "決裁", "承認", "回議", "供覧", "合議", "approv", "sign-off", "sign off",
];

/// Returns the staff approval steps handled on paper.
pub(super) fn detect(ctx: &Ctx<'_>) -> BTreeSet<StepId> {
    ctx.model
        .steps
        .iter()
        .enumerate()
        .filter(|(s, step)| {
            if !ctx.is_staff(*s) || step.medium.is_some_and(Medium::is_digital) {
                return false;
            }
            let label = step.label.to_lowercase();
            let approval = APPROVAL_WORDS.iter().any(|w| label.contains(w));
            let paper = step.medium == Some(Medium::Paper)
                || step.flags.seal
                || step.docs.iter().any(|u| {
                    matches!(u.role, DocRole::Read | DocRole::Produce)
                        && ctx.doc_medium(u.doc).is_some_and(|m| m.is_paper())
                });
            (approval && paper) || (step.flags.seal && step.medium == Some(Medium::Paper))
        })
        .map(|(s, _)| s)
        .collect()
}

/// Returns the e-approval finding, if any approval is on paper.
pub(super) fn finding(ctx: &Ctx<'_>) -> Option<Finding> {
    let steps = detect(ctx);
    if steps.is_empty() {
        return None;
    }
    let w = &ctx.settings.e_approval;
    let wait_days: f64 = steps.iter().map(|&s| ctx.wait(s) * ctx.v(s) / 1440.0).sum();
    let mut score = Score::default();
    score.add(
        "chain",
        Text::new("紙の決裁の段数", "paper approvals in the chain"),
        w.chain,
        super::as_f64(steps.len()) / w.chain_full.max(1.0),
        Text::new(
            format!(
                "紙の決裁 {} 段（{} 段で満点）",
                steps.len(),
                num(w.chain_full, 0)
            ),
            format!(
                "{} paper approval(s) (full at {})",
                steps.len(),
                num(w.chain_full, 0)
            ),
        ),
    );
    score.add(
        "wait",
        Text::new("決裁待ち", "waiting for approval"),
        w.wait,
        wait_days / w.wait_full_days.max(0.1),
        Text::new(
            format!(
                "決裁待ち 1 件あたり {} 日（{} 日で満点）",
                num(wait_days, 1),
                num(w.wait_full_days, 0)
            ),
            format!(
                "{} days waiting per case (full at {})",
                num(wait_days, 1),
                num(w.wait_full_days, 0)
            ),
        ),
    );
    super::volume_criterion(&mut score, ctx, w.volume);

    let per_step: Vec<(StepId, f64, f64)> = steps
        .iter()
        .map(|&s| {
            (
                s,
                annual_hours(ctx, ctx.work(s) * ctx.v(s) * w.work_cut),
                0.0,
            )
        })
        .collect();
    let staff: f64 = per_step.iter().map(|p| p.1).sum();
    let formula = if ctx.volume().is_some() {
        Text::new(
            format!(
                "職員: 件数 × Σ v(s)·作業(s) × 削減割合 {}（印刷・持ち回り・保管）。待ち時間の短縮はリードタイムの効果で、時間には含めない",
                num(w.work_cut, 2)
            ),
            format!(
                "staff: volume × Σ v(s)·work(s) × cut {} (printing, carrying, filing). Shorter waits improve lead time and are not counted as hours",
                num(w.work_cut, 2)
            ),
        )
    } else {
        no_volume_note()
    };
    Some(Finding {
        rule: RuleId::EApproval,
        process: ctx.model.process.id.clone(),
        steps: steps.iter().map(|&s| ctx.key(s)).collect(),
        title: Text::new("決裁を電子化する", "Move approvals to electronic approval"),
        score: score.total(),
        criteria: score.criteria,
        reasons: vec![Text::new(
            format!(
                "紙の決裁（{}）で 1 件あたり {} 日待つ",
                keys(ctx, steps.iter().copied()),
                num(wait_days, 1)
            ),
            format!(
                "paper approvals ({}) wait {} days per case",
                keys(ctx, steps.iter().copied()),
                num(wait_days, 1)
            ),
        )],
        hours: HoursSaved {
            staff: round1(staff),
            resident: 0.0,
            formula,
            per_step: savings(ctx, per_step),
        },
        prerequisites: vec![Text::new(
            "文書管理・電子決裁システム",
            "a document management and e-approval system",
        )],
        blockers: Vec::new(),
        extent: None,
        difficulty: None,
    })
}
