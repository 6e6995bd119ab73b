//! Seal removal (押印廃止): seals (判子) that no law requires. A seal on a step marked `法定紙`
//! (legal paper original) is reported as a blocker, not as a candidate. Signatures are not
//! flagged: the national seal-removal review kept signatures where a person's intent must be shown.
//!
//! Hours are estimated (resident: bringing and affixing the seal, and the return trip of those
//! who forget it; staff: stamping) and weigh most in the score, so that a seal saving little time
//! does not outrank findings that save much.

use std::collections::BTreeSet;

use nagare_model::StepId;
use nagare_syntax::Text;

use super::{Score, annual_hours, keys, lin_share, no_volume_note, num, round1, savings};
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
#[allow(clippy::too_many_lines)] // one criterion after another; splitting hides the score's shape
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

    // Hours per step: the resident's trouble with the seal (and a second trip for those who
    // forget it on an office visit), the staff's stamping. Other actors' seals (an employer's
    // certificate) save the city and the resident nothing measurable here.
    let travel = ctx.settings.travel_minutes;
    let per_step: Vec<(StepId, f64, f64)> = steps
        .iter()
        .map(|&s| {
            if ctx.is_resident(s) {
                let forgotten = if ctx.in_person_resident(s) {
                    w.return_visit_rate * travel
                } else {
                    0.0
                };
                let minutes = ctx.v(s) * (w.resident_minutes + forgotten);
                (s, 0.0, annual_hours(ctx, minutes))
            } else if ctx.is_staff(s) {
                // Stamping cannot save more than the step's work (0 when not stated, as in
                // every other rule).
                let stamp = w.staff_minutes.min(ctx.work(s));
                (s, annual_hours(ctx, ctx.v(s) * stamp), 0.0)
            } else {
                (s, 0.0, 0.0)
            }
        })
        .collect();
    let staff: f64 = per_step.iter().map(|p| p.1).sum();
    let resident_hours: f64 = per_step.iter().map(|p| p.2).sum();
    let total = staff + resident_hours;

    let mut score = Score::default();
    score.add(
        "hours",
        Text::new("年間削減時間", "hours saved a year"),
        w.hours,
        lin_share(total, 0.0, w.hours_full),
        if ctx.volume().is_some() {
            Text::new(
                format!(
                    "職員と住民で年 {} 時間（{} 時間で満点）",
                    num(total, 1),
                    num(w.hours_full, 0)
                ),
                format!(
                    "{} h a year, staff and residents (full at {} h)",
                    num(total, 1),
                    num(w.hours_full, 0)
                ),
            )
        } else {
            Text::new(
                "件数が書かれていないため 0 点",
                "no annual volume stated: 0 points",
            )
        },
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
                    "住民に押印を求めている（{}）: 判子を用意させ、オンライン申請を妨げる",
                    keys(ctx, resident.iter().copied())
                ),
                format!(
                    "residents must bring a seal ({}), which also keeps the application on paper",
                    keys(ctx, resident.iter().copied())
                ),
            )
        },
    );
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
            format!(
                "{} (full at {})",
                super::count_en(steps.len(), "seal", "seals"),
                num(w.count_full, 0)
            ),
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

    let mut reasons = vec![Text::new(
        format!(
            "押印（{}）に法的な根拠が書かれていない: 押印を廃止すればオンライン化・電子決裁の妨げがなくなる",
            keys(ctx, steps.iter().copied())
        ),
        format!(
            "the seals ({}) have no stated legal basis: dropping them removes an obstacle to online application and e-approval",
            keys(ctx, steps.iter().copied())
        ),
    )];
    let wait_days: f64 = steps
        .iter()
        .filter(|&&s| ctx.is_staff(s))
        .map(|&s| ctx.wait(s) * ctx.v(s) / 1440.0)
        .sum();
    if wait_days > 0.0 {
        reasons.push(Text::new(
            format!(
                "押印待ち 1 件あたり {} 日は、押印だけやめても紙の回付が残るので減らない（電子決裁で減る）",
                num(wait_days, 1)
            ),
            format!(
                "the {} days per case waiting for seals remain while the paper still travels: e-approval removes them",
                num(wait_days, 1)
            ),
        ));
    }
    let formula = if ctx.volume().is_some() {
        Text::new(
            format!(
                "住民: 件数 × Σ v(s)·(押印の手間 {} 分 + 来庁する手順では押印忘れの再来庁 {}% × 移動 {} 分)。職員: 件数 × Σ v(s)·押印の手間 {} 分（手順の作業時間まで。未記入は 0）。押印待ち（決裁待ち）は電子決裁の効果で、ここでは数えない",
                num(w.resident_minutes, 1),
                num(w.return_visit_rate * 100.0, 0),
                num(travel, 0),
                num(w.staff_minutes, 1)
            ),
            format!(
                "resident: volume × Σ v(s)·(seal trouble {} min + on office visits a return trip for the {}% who forget the seal × {} min travel). Staff: volume × Σ v(s)·stamping {} min (at most the step's work; 0 when not stated). Waits for seals (approval waits) are e-approval's gain and are not counted here",
                num(w.resident_minutes, 1),
                num(w.return_visit_rate * 100.0, 0),
                num(travel, 0),
                num(w.staff_minutes, 1)
            ),
        )
    } else {
        no_volume_note()
    };
    Some(Finding {
        rule: RuleId::Seal,
        process: ctx.model.process.id.clone(),
        steps: steps.iter().map(|&s| ctx.key(s)).collect(),
        title: Text::new("根拠のない押印をやめる", "Drop seals that no law requires"),
        score: score.total(),
        criteria: score.criteria,
        reasons,
        hours: HoursSaved {
            staff: round1(staff),
            resident: round1(resident_hours),
            formula,
            per_step: savings(ctx, per_step),
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
