//! The rules of DOMAIN.md §6, one module each, and the scoring helpers they share.
//!
//! Each rule has two halves: `detect` (which steps show the problem: structural, independent of
//! weights and volumes, so that [`crate::realised`] can re-run it on a To-Be) and `finding`
//! (score, reasons, hours, blockers).

mod approval;
mod ocr;
mod once_only;
mod one_stop;
mod online;
mod rpa;
mod seal;

use std::collections::BTreeSet;

use nagare_model::{DocRole, StepId};
use nagare_syntax::Text;

use crate::context::Ctx;
use crate::finding::{Contribution, Finding, RuleId, StepSaving};

/// Returns every finding of every rule for the model in `ctx`, unsorted.
pub(crate) fn all(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(online::finding(ctx));
    findings.extend(rpa::findings(ctx));
    findings.extend(ocr::findings(ctx));
    findings.extend(once_only::finding(ctx));
    findings.extend(seal::finding(ctx));
    findings.extend(approval::finding(ctx));
    findings.extend(one_stop::finding(ctx));
    findings
}

/// Returns the steps that still show the problem `rule` looks for (structural detection only).
pub(crate) fn concerned(rule: RuleId, ctx: &Ctx<'_>) -> BTreeSet<StepId> {
    match rule {
        RuleId::Online => online::detect(ctx),
        RuleId::Rpa => rpa::detect(ctx).into_iter().map(|(s, _)| s).collect(),
        RuleId::AiOcr => ocr::detect(ctx),
        RuleId::OnceOnly => once_only::detect(ctx),
        RuleId::Seal => seal::detect(ctx),
        RuleId::EApproval => approval::detect(ctx),
        RuleId::OneStop => one_stop::detect(ctx),
    }
}

/// Returns where `x` lies between `lo` (0) and `hi` (1) on a log scale, clamped.
pub(crate) fn log_share(x: f64, lo: f64, hi: f64) -> f64 {
    if !(x.is_finite() && lo > 0.0 && hi > lo) {
        return if x >= hi && hi > 0.0 { 1.0 } else { 0.0 };
    }
    if x <= lo {
        0.0
    } else if x >= hi {
        1.0
    } else {
        (x / lo).ln() / (hi / lo).ln()
    }
}

/// Returns where `x` lies between `lo` (0) and `hi` (1) on a linear scale, clamped.
pub(crate) fn lin_share(x: f64, lo: f64, hi: f64) -> f64 {
    if !x.is_finite() {
        return 0.0;
    }
    if hi <= lo {
        return if x >= hi { 1.0 } else { 0.0 };
    }
    ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
}

/// Returns `x` rounded to one decimal (every number in a finding is stored this way so that
/// JSON output is stable and matches the table). Never returns −0.0: a sum over nothing is −0.0
/// in Rust, and a small negative rounds to it, and both would print as "-0.0".
pub(crate) fn round1(x: f64) -> f64 {
    if !x.is_finite() {
        return 0.0;
    }
    let rounded = (x * 10.0).round() / 10.0;
    // Adding +0.0 turns −0.0 into +0.0 and leaves every other value unchanged.
    rounded + 0.0
}

/// Formats a number with thousands separators and `decimals` decimals (`1,200`, `3.5`).
pub(crate) fn num(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_owned(), Some(f.to_owned())),
        None => (text.clone(), None),
    };
    // A value that rounds to zero prints without a sign ("-0.0" reads as a loss).
    let all_zero = text.chars().all(|c| matches!(c, '-' | '0' | '.'));
    let (sign, digits) = match int.strip_prefix('-') {
        Some(d) => (if all_zero { "" } else { "-" }, d.to_owned()),
        None => ("", int),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

pub(crate) use nagare_syntax::count_en;

/// Returns a comma-separated list of step keys.
pub(crate) fn keys(ctx: &Ctx<'_>, steps: impl IntoIterator<Item = StepId>) -> String {
    steps
        .into_iter()
        .map(|s| ctx.key(s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Collects criterion contributions and turns them into a 0–100 score.
#[derive(Debug, Default)]
pub(crate) struct Score {
    pub criteria: Vec<Contribution>,
}

impl Score {
    /// Adds criterion `id` worth `weight` points, of which `share` (0–1) is given.
    pub fn add(&mut self, id: &str, label: Text, weight: f64, share: f64, why: Text) {
        let share = if share.is_finite() {
            share.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.criteria.push(Contribution {
            id: id.to_owned(),
            label,
            points: round1(weight * share),
            max: weight,
            why,
        });
    }

    /// Adds a contribution whose points are computed by the rule (e.g. a penalty that depends on
    /// the other criteria); `max` is the most it can take away (negative) or give.
    pub fn add_points(&mut self, id: &str, label: Text, max: f64, points: f64, why: Text) {
        self.criteria.push(Contribution {
            id: id.to_owned(),
            label,
            points: round1(points),
            max: round1(max),
            why,
        });
    }

    /// Returns the sum of the points given so far.
    pub fn points(&self) -> f64 {
        self.criteria.iter().map(|c| c.points).sum()
    }

    /// Returns the score: the points' sum scaled so that the positive weights add up to 100,
    /// clamped to 0–100 (with the default weights the scale factor is exactly 1).
    pub fn total(&self) -> f64 {
        let positive: f64 = self.criteria.iter().map(|c| c.max.max(0.0)).sum();
        if positive <= 0.0 {
            return 0.0;
        }
        let raw: f64 = self.criteria.iter().map(|c| c.points).sum();
        round1((100.0 * raw / positive).clamp(0.0, 100.0))
    }
}

/// Returns the volume criterion shared by several rules (log scale of cases per year).
pub(crate) fn volume_criterion(score: &mut Score, ctx: &Ctx<'_>, weight: f64) {
    let lo = ctx.settings.online.volume_min;
    let hi = ctx.settings.online.volume_full;
    let label = Text::new("件数", "volume");
    match ctx.volume() {
        Some(v) => score.add(
            "volume",
            label,
            weight,
            log_share(v, lo, hi),
            Text::new(
                format!(
                    "年 {} 件（{} 件未満 0 点、{} 件で満点、対数）",
                    num(v, 0),
                    num(lo, 0),
                    num(hi, 0)
                ),
                format!(
                    "{} cases a year (0 below {}, full at {}, log scale)",
                    num(v, 0),
                    num(lo, 0),
                    num(hi, 0)
                ),
            ),
        ),
        None => score.add(
            "volume",
            label,
            weight,
            0.0,
            Text::new(
                "件数が書かれていないため 0 点",
                "no annual volume stated: 0 points",
            ),
        ),
    }
}

/// Returns annual hours from minutes per case (0 when the volume is unknown).
pub(crate) fn annual_hours(ctx: &Ctx<'_>, minutes_per_case: f64) -> f64 {
    ctx.volume().map_or(0.0, |v| v * minutes_per_case / 60.0)
}

/// Returns per-step savings rounded, dropping steps that save nothing.
pub(crate) fn savings(ctx: &Ctx<'_>, per_step: Vec<(StepId, f64, f64)>) -> Vec<StepSaving> {
    per_step
        .into_iter()
        .filter(|(_, staff, resident)| *staff > 0.0 || *resident > 0.0)
        .map(|(s, staff, resident)| StepSaving {
            step: ctx.key(s),
            staff_hours: round1(staff),
            resident_hours: round1(resident),
        })
        .collect()
}

/// Returns the text used when the volume is unknown and hours cannot be estimated.
pub(crate) fn no_volume_note() -> Text {
    Text::new(
        "件数が書かれていないため時間は見積もれない",
        "no annual volume stated, so hours cannot be estimated",
    )
}

/// Returns the resident steps' document uses with `role`.
pub(crate) fn resident_uses<'a>(
    ctx: &Ctx<'a>,
    role: DocRole,
) -> Vec<(StepId, &'a nagare_model::DocUse)> {
    ctx.model
        .steps
        .iter()
        .enumerate()
        .filter(|(s, _)| ctx.is_resident(*s))
        .flat_map(|(s, step)| step.docs.iter().map(move |u| (s, u)))
        .filter(|(_, u)| u.role == role)
        .collect()
}

/// Converts a count to f64 for ratios (counts here are far below 2^52).
#[allow(clippy::cast_precision_loss)]
pub(crate) fn as_f64(n: usize) -> f64 {
    n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_share_is_zero_below_and_one_at_the_top() {
        assert!((log_share(50.0, 50.0, 1000.0)).abs() < 1e-12);
        assert!((log_share(1000.0, 50.0, 1000.0) - 1.0).abs() < 1e-12);
        // ln(1200/50)/ln(20) > 1 → clamped.
        assert!((log_share(1200.0, 50.0, 1000.0) - 1.0).abs() < 1e-12);
        // ln(200/50)/ln(1000/50) = ln 4 / ln 20 = 0.46276
        assert!((log_share(200.0, 50.0, 1000.0) - 0.462_756).abs() < 1e-5);
    }

    #[test]
    fn round1_never_gives_negative_zero() {
        let empty: f64 = Vec::<f64>::new().iter().sum();
        assert!(empty.is_sign_negative(), "Rust sums nothing to −0.0");
        for x in [empty, -0.0, -0.04, -0.000_1, 0.0] {
            let r = round1(x);
            assert!(r == 0.0 && r.is_sign_positive(), "{x} → {r}");
            assert_eq!(format!("{r:.1}"), "0.0");
        }
        assert!((round1(-0.06) + 0.1).abs() < 1e-12);
        assert!((round1(12.34) - 12.3).abs() < 1e-12);
    }

    #[test]
    fn num_groups_thousands() {
        assert_eq!(num(1200.0, 0), "1,200");
        assert_eq!(num(1_234_567.891, 1), "1,234,567.9");
        assert_eq!(num(-5.0, 0), "-5");
        assert_eq!(num(12.0, 1), "12.0");
        assert_eq!(num(-0.0, 1), "0.0");
        assert_eq!(num(-0.04, 1), "0.0");
    }

    #[test]
    fn score_scales_to_the_positive_weights() {
        let mut score = Score::default();
        score.add("a", Text::new("a", "a"), 50.0, 1.0, Text::new("", ""));
        score.add("b", Text::new("b", "b"), 150.0, 0.5, Text::new("", ""));
        score.add("p", Text::new("p", "p"), -20.0, 1.0, Text::new("", ""));
        // (50 + 75 − 20) / 200 × 100 = 52.5
        assert!((score.total() - 52.5).abs() < 1e-9);
    }
}
