//! Changes of the flow's shape (handoffs, visits, lanes, surviving edges) and the similarity score.

use std::collections::{BTreeMap, HashSet};

use nagare_model::{Model, Node, StepId};

use crate::classify::{has_visit, round4};
use crate::matching::{Matching, Side};
use crate::types::{ChangeClass, HandoffChange, StepChange, Structural};

/// Returns the step-to-step edges of `model`: step `s` → step `t` when a flow edge leads from `s`
/// to `t` directly or only through split/join nodes. Sorted and deduplicated.
pub(crate) fn step_edges(model: &Model) -> Vec<(StepId, StepId)> {
    let nodes = &model.flow.nodes;
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for e in &model.flow.edges {
        if e.from < nodes.len() && e.to < nodes.len() {
            out_edges[e.from].push(e.to);
        }
    }
    let n_steps = model.steps.len();
    let mut result = Vec::new();
    let mut seen = vec![false; nodes.len()];
    for (n, node) in nodes.iter().enumerate() {
        let Node::Step { step: from } = node else {
            continue;
        };
        // Walk through non-step nodes (split, join) until steps or ends are reached.
        let mut stack: Vec<usize> = out_edges[n].clone();
        let mut touched = Vec::new();
        while let Some(x) = stack.pop() {
            if seen[x] {
                continue;
            }
            seen[x] = true;
            touched.push(x);
            match &nodes[x] {
                // A node naming a step the model lacks would be a lowering bug; skip it
                // rather than index out of bounds later.
                Node::Step { step } if *step < n_steps && *from < n_steps => {
                    result.push((*from, *step));
                }
                Node::Step { .. } => {}
                Node::Split { .. } | Node::Join { .. } => stack.extend(&out_edges[x]),
                Node::Start | Node::End { .. } => {}
            }
        }
        for x in touched {
            seen[x] = false;
        }
    }
    result.sort_unstable();
    result.dedup();
    result
}

/// Returns the handoffs of a model by (from actor, to actor) name.
fn handoffs(side: &Side, edges: &[(StepId, StepId)]) -> BTreeMap<(String, String), usize> {
    let mut map = BTreeMap::new();
    for &(s, t) in edges {
        let (x, y) = (side.actor_name(s), side.actor_name(t));
        if x != y {
            *map.entry((x.to_owned(), y.to_owned())).or_insert(0) += 1;
        }
    }
    map
}

fn lanes(side: &Side) -> Vec<String> {
    let mut used: Vec<String> = (0..side.model.steps.len())
        .map(|s| side.actor_name(s).to_owned())
        .collect();
    used.sort();
    used.dedup();
    used
}

/// Returns the structural changes.
pub(crate) fn structural(a: &Side, b: &Side, matching: &Matching) -> Structural {
    let (ea, eb) = (step_edges(a.model), step_edges(b.model));
    let (ha, hb) = (handoffs(a, &ea), handoffs(b, &eb));
    let mut pairs: Vec<&(String, String)> = ha.keys().chain(hb.keys()).collect();
    pairs.sort();
    pairs.dedup();
    let handoff_changes = pairs
        .into_iter()
        .filter_map(|k| {
            let (x, y) = (
                ha.get(k).copied().unwrap_or(0),
                hb.get(k).copied().unwrap_or(0),
            );
            (x != y).then(|| HandoffChange {
                from: k.0.clone(),
                to: k.1.clone(),
                as_is: x,
                to_be: y,
            })
        })
        .collect();

    // The To-Be steps each As-Is step corresponds to.
    let mut image: Vec<Vec<StepId>> = vec![Vec::new(); a.model.steps.len()];
    for g in &matching.groups {
        for &i in &g.as_is {
            image[i].clone_from(&g.to_be);
        }
    }
    let mut preimage: Vec<Vec<StepId>> = vec![Vec::new(); b.model.steps.len()];
    for g in &matching.groups {
        for &j in &g.to_be {
            preimage[j].clone_from(&g.as_is);
        }
    }
    let to_be_edges: HashSet<(StepId, StepId)> = eb.iter().copied().collect();
    let kept = ea
        .iter()
        .filter(|&&(s, t)| {
            let (is, it) = (&image[s], &image[t]);
            // An edge inside a merge collapses into the merged step: the order is kept.
            is.iter().any(|x| it.contains(x))
                || is
                    .iter()
                    .any(|&x| it.iter().any(|&y| to_be_edges.contains(&(x, y))))
        })
        .count();
    let as_is_edges: HashSet<(StepId, StepId)> = ea.iter().copied().collect();
    let new = eb
        .iter()
        .filter(|&&(s, t)| {
            let (ps, pt) = (&preimage[s], &preimage[t]);
            // An edge between the parts of a split stands for the split step itself.
            !(ps.iter().any(|x| pt.contains(x))
                || ps
                    .iter()
                    .any(|&x| pt.iter().any(|&y| as_is_edges.contains(&(x, y)))))
        })
        .count();

    let visits_removed = (0..a.model.steps.len())
        .filter(|&s| has_visit(a, s) && !image[s].iter().any(|&t| has_visit(b, t)))
        .map(|s| a.model.steps[s].key.clone())
        .collect();
    let visits_added = (0..b.model.steps.len())
        .filter(|&t| has_visit(b, t) && !preimage[t].iter().any(|&s| has_visit(a, s)))
        .map(|t| b.model.steps[t].key.clone())
        .collect();
    let (la, lb) = (lanes(a), lanes(b));
    Structural {
        handoffs_as_is: ha.values().sum(),
        handoffs_to_be: hb.values().sum(),
        handoffs: handoff_changes,
        visits_removed,
        visits_added,
        lanes_removed: la.iter().filter(|l| !lb.contains(l)).cloned().collect(),
        lanes_added: lb.iter().filter(|l| !la.contains(l)).cloned().collect(),
        edges_as_is: ea.len(),
        edges_to_be: eb.len(),
        edges_kept: kept,
        edges_new: new,
    }
}

/// Returns how much of a change's steps count as kept: 1 for unchanged, 0.9 for a rewording,
/// 1 − 0.15 per substantive class (at least 0.3) otherwise, 0 for added and removed steps.
fn kept_weight(change: &StepChange) -> f64 {
    if change.has(ChangeClass::Added) || change.has(ChangeClass::Removed) {
        return 0.0;
    }
    if change.has(ChangeClass::Unchanged) {
        return 1.0;
    }
    let substantive = change.classes.iter().filter(|c| c.is_substantive()).count();
    if substantive == 0 {
        return 0.9;
    }
    #[allow(clippy::cast_precision_loss)] // at most 13 classes
    let w = 1.0 - 0.15 * substantive as f64;
    w.max(0.3)
}

/// Returns the similarity of the two flows, 0–1: the mean of the step part (kept weight of each
/// change times its number of steps, over all steps of both models) and the edge part (the mean of
/// the share of As-Is edges kept and the share of To-Be edges that are not new). Rounded to four
/// decimals.
#[allow(clippy::cast_precision_loss)] // counts are far below 2^52
pub(crate) fn similarity(changes: &[StepChange], n_a: usize, n_t: usize, s: &Structural) -> f64 {
    let steps = if n_a + n_t == 0 {
        1.0
    } else {
        changes
            .iter()
            .map(|c| kept_weight(c) * (c.as_is.len() + c.to_be.len()) as f64)
            .sum::<f64>()
            / (n_a + n_t) as f64
    };
    let share = |part: usize, whole: usize| {
        if whole == 0 {
            1.0
        } else {
            (part as f64 / whole as f64).min(1.0)
        }
    };
    let edges = f64::midpoint(
        share(s.edges_kept, s.edges_as_is),
        share(s.edges_to_be.saturating_sub(s.edges_new), s.edges_to_be),
    );
    round4(f64::midpoint(steps, edges))
}
