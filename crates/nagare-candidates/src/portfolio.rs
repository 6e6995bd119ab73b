//! Portfolio ranking: which procedures first? Orders procedures by the hours their findings save
//! per year, counting each step once when several findings concern it.

use std::collections::BTreeMap;

use nagare_model::{Model, Variant};
use nagare_syntax::Text;
use serde::{Deserialize, Serialize};

use crate::finding::{Finding, RuleId};
use crate::rules::round1;

/// One procedure in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedProcedure {
    /// 1-based position.
    pub rank: usize,
    /// The process id (`shugaku-enjo`).
    pub process: String,
    pub name: String,
    /// The variant the findings come from (as-is, or can-be).
    pub variant: Variant,
    pub volume_per_year: Option<f64>,
    /// Staff hours saved per year, each step counted once (the largest saving of any finding).
    pub staff_hours: f64,
    /// Resident hours saved per year, counted the same way.
    pub resident_hours: f64,
    /// Staff + resident: the ranking key.
    pub total_hours: f64,
    /// The rules that fired, in rule order.
    pub rules: Vec<RuleId>,
    pub findings: usize,
    /// The finding with the largest saving: most hours per year (staff + resident, as the
    /// finding reports them), ties by score, then rule order; `None` without findings. Label it
    /// with [`top_heading`].
    pub top: Option<Finding>,
}

/// Returns the column label of [`RankedProcedure::top`], the same in every renderer (table,
/// spreadsheet, viewer) so that the label and the rule agree.
#[must_use]
pub fn top_heading() -> Text {
    Text::new("削減時間が最大の候補", "Largest saving")
}

/// Returns the finding with the largest saving (see [`RankedProcedure::top`]).
fn largest_saving(findings: &[Finding]) -> Option<&Finding> {
    findings.iter().max_by(|a, b| {
        a.hours
            .total()
            .total_cmp(&b.hours.total())
            .then(a.score.total_cmp(&b.score))
            // On a full tie prefer the earlier rule (max_by keeps the last maximum).
            .then(b.rule.cmp(&a.rule))
    })
}

/// Returns (staff, resident) hours per year of a procedure's findings: for each step the largest
/// saving any finding claims, summed, so online application and RPA on the same re-keying step
/// are not counted twice.
#[must_use]
pub fn procedure_hours(findings: &[Finding]) -> (f64, f64) {
    let mut by_step: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for saving in findings.iter().flat_map(|f| &f.hours.per_step) {
        let entry = by_step.entry(saving.step.as_str()).or_insert((0.0, 0.0));
        entry.0 = entry.0.max(saving.staff_hours);
        entry.1 = entry.1.max(saving.resident_hours);
    }
    let staff = by_step.values().map(|v| v.0).sum();
    let resident = by_step.values().map(|v| v.1).sum();
    (round1(staff), round1(resident))
}

/// Returns the procedures ordered by hours saved per year (highest first; ties by the top
/// finding's score, then process id), each with its finding of largest saving.
///
/// Callers must pass only models without errors (`Compilation::has_errors() == false`) and
/// their findings: a model with errors may be partial (steps dropped, times missing), and its
/// hours would rank it wrongly. This function cannot tell, so it ranks what it is given.
#[must_use]
pub fn rank(portfolio: &[(&Model, Vec<Finding>)]) -> Vec<RankedProcedure> {
    let mut ranked: Vec<RankedProcedure> = portfolio
        .iter()
        .map(|(model, findings)| {
            let (staff, resident) = procedure_hours(findings);
            let mut rules: Vec<RuleId> = findings.iter().map(|f| f.rule).collect();
            rules.sort_unstable();
            rules.dedup();
            // The ranking is by hours, so the finding named for a procedure is the one that
            // saves most (the label says so: "largest saving"), not the best-scoring one.
            let top = largest_saving(findings).cloned();
            RankedProcedure {
                rank: 0,
                process: model.process.id.clone(),
                name: model.process.name.clone(),
                variant: model.process.variant,
                volume_per_year: model.process.volume_per_year,
                staff_hours: staff,
                resident_hours: resident,
                total_hours: round1(staff + resident),
                rules,
                findings: findings.len(),
                top,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        let score = |r: &RankedProcedure| r.top.as_ref().map_or(0.0, |f| f.score);
        b.total_hours
            .total_cmp(&a.total_hours)
            .then(score(b).total_cmp(&score(a)))
            .then(a.process.cmp(&b.process))
    });
    for (i, r) in ranked.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    ranked
}
