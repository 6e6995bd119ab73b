//! Seal removal (押印廃止): seals (判子) that no law requires. A seal on a step marked `法定紙`
//! (legal paper original) is reported as a blocker, not as a candidate. Signatures are not
//! flagged: the national seal-removal review kept signatures where a person's intent must be shown.

use std::collections::BTreeSet;

use nagare_model::StepId;
use nagare_syntax::Text;

use super::{Score, keys, num};
use crate::context::Ctx;
use crate::finding::{Blocker, BlockerKind, Finding, HoursSaved, RuleId};

/// Returns the steps with a seal and no legal paper requirement.
pub(super) fn detect(ctx: &Ctx<'_>) -> BTreeSet<StepId> {
    ctx.model
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.flags.seal && !s.flags.legal_paper)
        .map(|(s, _)| s)
        .collect()
}

/// Returns the seal-removal finding, if any seal lacks a legal basis.
pub(super) fn finding(ctx: &Ctx<'_>) -> Option<Finding> {
    let steps = detect(ctx);
    if steps.is_empty() {
        return None;
    }
    let w = &ctx.settings.seal;
    let all_seals = ctx.model.steps.iter().filter(|s| s.flags.seal).count();
    let resident: Vec<StepId> = steps
        .iter()
        .copied()
        .filter(|&s| ctx.is_resident(s))
        .collect();
    let mut score = Score::default();
    score.add(
        "no_legal_basis",
        Text::new("法的根拠のない押印", "seals without legal basis"),
        w.no_legal_basis,
        super::as_f64(steps.len()) / super::as_f64(all_seals.max(1)),
        Text::new(
            format!(
                "押印 {all_seals} 箇所のうち {} 箇所は法定ではない",
                steps.len()
            ),
            format!(
                "{} of {all_seals} seals have no legal requirement",
                steps.len()
            ),
        ),
    );
    score.add(
        "resident",
        Text::new("住民の押印", "seals asked from residents"),
        w.resident,
        if resident.is_empty() { 0.0 } else { 1.0 },
        if resident.is_empty() {
            Text::new("住民の押印はない", "no seal asked from residents")
        } else {
            Text::new(
                format!(
                    "住民に押印を求めている（{}）",
                    keys(ctx, resident.iter().copied())
                ),
                format!(
                    "residents must bring a seal ({})",
                    keys(ctx, resident.iter().copied())
                ),
            )
        },
    );
    score.add(
        "count",
        Text::new("押印の数", "number of seals"),
        w.count,
        super::as_f64(steps.len()) / w.count_full.max(1.0),
        Text::new(
            format!(
                "押印 {} 箇所（{} 箇所で満点）",
                steps.len(),
                num(w.count_full, 0)
            ),
            format!("{} seal(s) (full at {})", steps.len(), num(w.count_full, 0)),
        ),
    );
    super::volume_criterion(&mut score, ctx, w.volume);

    let blockers: Vec<Blocker> = ctx
        .model
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.flags.seal && s.flags.legal_paper)
        .map(|(s, _)| {
            let key = ctx.key(s);
            Blocker {
                kind: BlockerKind::LegalPaper,
                step: key.clone(),
                text: Text::new(
                    format!("{key}: 法令で押印された紙の原本が必要"),
                    format!("{key}: the law requires a sealed paper original"),
                ),
            }
        })
        .collect();
    Some(Finding {
        rule: RuleId::Seal,
        process: ctx.model.process.id.clone(),
        steps: steps.iter().map(|&s| ctx.key(s)).collect(),
        title: Text::new("根拠のない押印をやめる", "Drop seals that no law requires"),
        score: score.total(),
        criteria: score.criteria,
        reasons: vec![Text::new(
            format!(
                "押印（{}）に法的な根拠が書かれていない: 押印を廃止すればオンライン化・電子決裁の妨げがなくなる",
                keys(ctx, steps.iter().copied())
            ),
            format!(
                "the seals ({}) have no stated legal basis: dropping them removes an obstacle to online application and e-approval",
                keys(ctx, steps.iter().copied())
            ),
        )],
        hours: HoursSaved {
            staff: 0.0,
            resident: 0.0,
            formula: Text::new(
                "見積もらない: 押印をやめても手順は残る（効果はオンライン申請・電子決裁に含む）",
                "not estimated: the step remains without the seal (the gain is counted under online application and e-approval)",
            ),
            per_step: Vec::new(),
        },
        prerequisites: vec![Text::new(
            "押印を定める規則・要綱の改正",
            "amend the rules or guidelines that ask for the seal",
        )],
        blockers,
        extent: None,
        difficulty: None,
    })
}
