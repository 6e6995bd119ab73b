//! Realised or remaining: given the As-Is findings and a To-Be, which candidates does the To-Be
//! already carry out?
//!
//! The rule is deliberately simple and explainable. For each As-Is step a finding concerns:
//! 1. listed under the To-Be's `削除:` → gone;
//! 2. else its counterparts are the To-Be steps with the same id or that `置換` it, else the
//!    To-Be steps with the same label and the same actor name;
//! 3. without a counterpart it is gone (an unmatched As-Is step is removed, DOMAIN.md §5);
//! 4. a step with counterparts is resolved when none of them still shows the problem: the same
//!    rule's detection is run on the To-Be (structural only, so volumes and weights do not matter).
//!
//! All steps resolved → realised; some → partly realised; none → remaining.

use std::collections::BTreeSet;

use nagare_graph::Analysis;
use nagare_model::{Model, StepId};
use nagare_syntax::Text;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::finding::{Finding, RuleId};
use crate::rules;
use crate::settings::CandidateSettings;

/// Whether a To-Be carries out a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// 実現済み: every step concerned is gone or no longer shows the problem.
    Realised,
    /// 一部実現: some steps are resolved, some remain.
    Partly,
    /// 未実現: no step concerned is resolved.
    Remaining,
}

impl Status {
    /// Returns the display name.
    #[must_use]
    pub fn name(self) -> Text {
        match self {
            Self::Realised => Text::new("実現済み", "realised"),
            Self::Partly => Text::new("一部実現", "partly realised"),
            Self::Remaining => Text::new("未実現", "remaining"),
        }
    }
}

/// The status of one As-Is finding against a To-Be, with the steps on each side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Realisation {
    pub status: Status,
    /// As-Is step keys that are gone or resolved in the To-Be.
    pub realised_steps: Vec<String>,
    /// As-Is step keys whose To-Be counterpart still shows the problem.
    pub remaining_steps: Vec<String>,
    pub reason: Text,
}

/// Returns each As-Is finding with its status in `to_be` (see the module docs for the rule);
/// `to_be_analysis` is the To-Be's analysis, made with the user's `[metrics]` settings, which
/// says where the resident still meets a counter.
#[must_use]
pub fn realised(
    as_is_findings: &[Finding],
    as_is: &Model,
    to_be: &Model,
    to_be_analysis: &Analysis,
) -> Vec<(Finding, Realisation)> {
    let settings = CandidateSettings::default();
    // Whether a step still shows a problem is structural: v(s) plays no part (all count 1).
    let ctx = Ctx::new(to_be, &[], &to_be_analysis.presence, &settings);
    let mut concerned: Vec<(RuleId, BTreeSet<StepId>)> = Vec::new();
    as_is_findings
        .iter()
        .map(|finding| {
            let still = match concerned.iter().find(|(r, _)| *r == finding.rule) {
                Some((_, set)) => set.clone(),
                None => {
                    let set = rules::concerned(finding.rule, &ctx);
                    concerned.push((finding.rule, set.clone()));
                    set
                }
            };
            let mut done = Vec::new();
            let mut left = Vec::new();
            for key in &finding.steps {
                let resolved = match counterparts(as_is, to_be, key) {
                    None => true,
                    Some(steps) => steps.iter().all(|s| !still.contains(s)),
                };
                if resolved {
                    done.push(key.clone());
                } else {
                    left.push(key.clone());
                }
            }
            let status = if left.is_empty() {
                Status::Realised
            } else if done.is_empty() {
                Status::Remaining
            } else {
                Status::Partly
            };
            let reason = reason(status, &done, &left);
            (
                finding.clone(),
                Realisation {
                    status,
                    realised_steps: done,
                    remaining_steps: left,
                    reason,
                },
            )
        })
        .collect()
}

/// Returns the To-Be steps standing for As-Is step `key`, or `None` if it is gone.
fn counterparts(as_is: &Model, to_be: &Model, key: &str) -> Option<Vec<StepId>> {
    if to_be
        .removed
        .iter()
        .any(|r| r.step_ids.iter().any(|id| id == key))
    {
        return None;
    }
    let by_id: Vec<StepId> = to_be
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.id.as_deref() == Some(key) || s.replaces.iter().any(|r| r == key))
        .map(|(i, _)| i)
        .collect();
    if !by_id.is_empty() {
        return Some(by_id);
    }
    let before = as_is.steps.iter().find(|s| s.key == key)?;
    let actor = as_is.actors.get(before.actor).map(|a| a.name.as_str());
    let by_label: Vec<StepId> = to_be
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.label.trim() == before.label.trim()
                && to_be.actors.get(s.actor).map(|a| a.name.as_str()) == actor
        })
        .map(|(i, _)| i)
        .collect();
    if by_label.is_empty() {
        None
    } else {
        Some(by_label)
    }
}

fn reason(status: Status, done: &[String], left: &[String]) -> Text {
    match status {
        Status::Realised => Text::new(
            format!("To-Be で解消: {}", done.join(", ")),
            format!("resolved in the To-Be: {}", done.join(", ")),
        ),
        Status::Remaining => Text::new(
            format!("To-Be でも残る: {}", left.join(", ")),
            format!("still present in the To-Be: {}", left.join(", ")),
        ),
        Status::Partly => Text::new(
            format!("解消: {} ／ 残る: {}", done.join(", "), left.join(", ")),
            format!(
                "resolved: {}; still present: {}",
                done.join(", "),
                left.join(", ")
            ),
        ),
    }
}
