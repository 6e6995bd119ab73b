//! Electronic approval (電子決裁): staff approvals done on paper.
//!
//! An approval is (1) a staff step whose label says 決裁・承認・回議・供覧・合議 and that is on
//! paper (a paper medium, a seal, or a paper document read or produced), (2) a seal by a
//! supervisor (係長, 課長…: a sign-off), or (3) a seal that is part of a chain of seal steps by
//! different staff actors, one right after the other (起案者 → 係長 → 課長). Stamps that are not
//! approvals never count: a reception or date stamp (受付印, 収受印) or the official seal on an
//! issued document (公印). A step whose medium is digital is already electronic.

use std::collections::{BTreeMap, BTreeSet};

use nagare_model::{DocRole, Medium, StepId};
use nagare_syntax::Text;

use super::{Score, annual_hours, keys, no_volume_note, num, round1, savings};
use crate::context::Ctx;
use crate::finding::{Finding, HoursSaved, RuleId};

/// Words in a step label that mean an approval (決裁, 承認…).
const APPROVAL_WORDS: &[&str] = &[
    "決裁", "承認", "回議", "供覧", "合議", "approv", "sign-off", "sign off",
];

/// Words in a step label that mark a stamp which is not an approval: reception and date stamps
/// (受付印, 収受印, 受領印, 日付印), the official seal on an issued document (公印), a receipt.
const NOT_APPROVAL_WORDS: &[&str] = &[
    "受付",
    "収受",
    "受領",
    "日付印",
    "公印",
    "receipt",
    "received",
];

/// Words in an actor name that mark a supervisor, whose seal is a sign-off.
const SUPERVISOR_WORDS: &[&str] = &[
    "課長",
    "係長",
    "部長",
    "局長",
    "室長",
    "所長",
    "班長",
    "主幹",
    "manager",
    "supervisor",
    "director",
    "head of",
];

/// Why a step counts as a paper approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Why {
    /// The label says 決裁, 承認…
    Word,
    /// A supervisor's seal.
    Supervisor,
    /// A seal in a chain of seals by different staff actors.
    Chain,
}

fn contains_any(text: &str, words: &[&str]) -> bool {
    let lower = text.to_lowercase();
    words.iter().any(|w| lower.contains(w))
}

/// Returns each staff approval step handled on paper, with why it counts.
fn classify(ctx: &Ctx<'_>) -> BTreeMap<StepId, Why> {
    let mut out = BTreeMap::new();
    // Staff seals that may be approvals: not digital, not a reception stamp or official seal.
    let mut sealers = BTreeSet::new();
    for (s, step) in ctx.model.steps.iter().enumerate() {
        if !ctx.is_staff(s) || step.medium.is_some_and(Medium::is_digital) {
            continue;
        }
        let word = contains_any(&step.label, APPROVAL_WORDS);
        if !word && contains_any(&step.label, NOT_APPROVAL_WORDS) {
            continue;
        }
        let paper = step.medium == Some(Medium::Paper)
            || step.flags.seal
            || step.docs.iter().any(|u| {
                matches!(u.role, DocRole::Read | DocRole::Produce)
                    && ctx.doc_medium(u.doc).is_some_and(|m| m.is_paper())
            });
        if word && paper {
            out.insert(s, Why::Word);
        }
        if step.flags.seal {
            sealers.insert(s);
            let supervisor = ctx
                .model
                .actors
                .get(step.actor)
                .is_some_and(|a| contains_any(&a.name, SUPERVISOR_WORDS));
            if supervisor {
                out.entry(s).or_insert(Why::Supervisor);
            }
        }
    }
    for &s in &sealers {
        let actor = ctx.step(s).actor;
        let chained = ctx
            .preds(s)
            .iter()
            .chain(ctx.succs(s))
            .any(|&n| sealers.contains(&n) && ctx.step(n).actor != actor);
        if chained {
            out.entry(s).or_insert(Why::Chain);
        }
    }
    out
}

/// Returns the staff approval steps handled on paper.
pub(super) fn detect(ctx: &Ctx<'_>) -> BTreeSet<StepId> {
    classify(ctx).into_keys().collect()
}

/// Returns a reason saying why the steps count as approvals (by kind, in a fixed order).
fn why_text(ctx: &Ctx<'_>, classes: &BTreeMap<StepId, Why>) -> Text {
    let mut ja = Vec::new();
    let mut en = Vec::new();
    for (kind, label_ja, label_en) in [
        (Why::Word, "決裁・承認の語", "the label says approval"),
        (Why::Supervisor, "上席の押印", "a supervisor's seal"),
        (
            Why::Chain,
            "別の職員による押印の連鎖",
            "a chain of seals by different staff",
        ),
    ] {
        let steps: Vec<StepId> = classes
            .iter()
            .filter(|(_, w)| **w == kind)
            .map(|(s, _)| *s)
            .collect();
        if !steps.is_empty() {
            ja.push(format!(
                "{label_ja}（{}）",
                keys(ctx, steps.iter().copied())
            ));
            en.push(format!("{label_en} ({})", keys(ctx, steps.iter().copied())));
        }
    }
    Text::new(
        format!(
            "決裁とみなした理由: {}。受付印・公印は決裁ではないので含めない",
            ja.join("、")
        ),
        format!(
            "counted as approvals: {}; reception stamps and official seals are not approvals",
            en.join("; ")
        ),
    )
}

/// Returns the e-approval finding, if any approval is on paper.
pub(super) fn finding(ctx: &Ctx<'_>) -> Option<Finding> {
    let classes = classify(ctx);
    if classes.is_empty() {
        return None;
    }
    let steps: BTreeSet<StepId> = classes.keys().copied().collect();
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
                "{} (full at {})",
                super::count_en(steps.len(), "paper approval", "paper approvals"),
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
        reasons: vec![
            Text::new(
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
            ),
            why_text(ctx, &classes),
        ],
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
