//! Where the resident is while a case runs: at the office or not. Presence depends on the path a
//! case took (the same counter step serves a resident who came in person and one who mailed the
//! form), so it is tracked as a small Markov chain over (node, presence) states solved exactly like
//! v(s). Visits, the counters met and the waiting at the office are read off that chain.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use nagare_model::{ActorId, ActorKind, Flow, Medium, NodeId, Step};

use crate::solve::{Row, solve};

/// The resident's situation on entering a node.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Presence {
    /// Not at the office (at home, or the case is in the back office).
    Away,
    /// At the office.
    Here {
        /// The clerk serving the resident now; `None` right after the resident's own step (so
        /// the next clerk receives them).
        serving: Option<ActorId>,
        /// The clerks met so far in this visit (ascending): going back to one of them (市民課 →
        /// 保険年金課 → 市民課) is still the same visit.
        met: Vec<ActorId>,
    },
}

/// Above this many (node, presence) states the clerks met are no longer remembered, so that a
/// flow with very many optional counters cannot blow up the chain.
const MAX_STATES: usize = 100_000;

/// What the presence chain needs to know about a step.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StepFacts {
    pub actor: ActorId,
    pub kind: ActorKind,
    /// A visit can begin here: a resident in person, or a clerk marked in person (not an inspection).
    pub anchor: bool,
    /// Done away from the counter: by mail, phone, fax, e-mail, on screen, or an on-site inspection.
    pub remote: bool,
    /// The step's wait is longer than an office wait: the resident went home in between.
    pub long_wait: bool,
}

impl StepFacts {
    /// Returns the facts of `s` done by an actor of `kind` under the office-wait limit.
    pub fn new(s: &Step, kind: ActorKind, anchor: bool, wait: f64, max_office_wait: f64) -> Self {
        Self {
            actor: s.actor,
            kind,
            anchor,
            // On-screen work (`電子`) is back-office work: a clerk serving the resident on a
            // screen at the counter (書かない窓口) writes `対面`, which makes the step an anchor.
            remote: s.flags.inspection
                || matches!(
                    s.medium,
                    Some(
                        Medium::Mail
                            | Medium::Phone
                            | Medium::Fax
                            | Medium::Email
                            | Medium::Digital
                    )
                ),
            long_wait: wait > max_office_wait,
        }
    }
}

/// The presence chain's results.
#[derive(Debug, Clone, Default)]
pub(crate) struct PresenceResult {
    /// Per node: expected passes per case during which the resident is at the office.
    pub present_v: Vec<f64>,
    /// Per node: expected visits per case that begin on entering it.
    pub starts_v: Vec<f64>,
    /// Expected visit episodes per case.
    pub visits_expected: f64,
    /// Nodes at which a visit can begin.
    pub visit_starts: BTreeSet<NodeId>,
    /// Per node at which a visit can begin: the step nodes where the resident is during a visit
    /// begun there (the node itself included), on any path.
    pub visit_members: BTreeMap<NodeId, BTreeSet<NodeId>>,
    /// Clerks (actors) who serve the resident in person on some path.
    pub counters: BTreeSet<ActorId>,
}

/// Returns the presence on entering a node with `facts` (None: not a step) coming from presence
/// `from`, and whether a visit begins there. Non-step nodes (splits, joins, ends) keep it.
fn enter(from: &Presence, facts: Option<&StepFacts>, remember: bool) -> (Presence, bool) {
    let Some(f) = facts else {
        return (from.clone(), false);
    };
    // Past the state limit the clerks met are forgotten (not merely no longer added), so the
    // states left are at most (node, serving clerk) pairs.
    let met_before = match from {
        Presence::Here { met, .. } if remember && !f.long_wait => met.clone(),
        _ => Vec::new(),
    };
    let with = |mut met: Vec<ActorId>, actor: ActorId| {
        if remember && let Err(at) = met.binary_search(&actor) {
            met.insert(at, actor);
        }
        met
    };
    let clerk = matches!(f.kind, ActorKind::Staff | ActorKind::External);
    if f.anchor {
        let begins = *from == Presence::Away || f.long_wait;
        let to = if clerk {
            Presence::Here {
                serving: Some(f.actor),
                met: with(met_before, f.actor),
            }
        } else {
            Presence::Here {
                serving: None,
                met: met_before,
            }
        };
        return (to, begins);
    }
    // The clerk right after the resident's in-person step receives them; the same clerk's next
    // steps continue the service, and so does a clerk met earlier in this visit; anything else
    // (another section's back office, a system, a wait of days) means the resident has left.
    let continues = match from {
        Presence::Away => false,
        Presence::Here { serving, met } => {
            serving.is_none_or(|a| a == f.actor) || met.binary_search(&f.actor).is_ok()
        }
    };
    if clerk && continues && !f.remote && !f.long_wait {
        (
            Presence::Here {
                serving: Some(f.actor),
                met: with(met_before, f.actor),
            },
            false,
        )
    } else {
        (Presence::Away, false)
    }
}

/// Solves the presence chain. `edges` are (from, to, weight) with the weights of v = e + Pᵀv;
/// `facts[node]` describes step nodes; `rank` orders nodes in flow order.
pub(crate) fn analyse(
    node_count: usize,
    edges: &[(NodeId, NodeId, f64)],
    facts: &[Option<StepFacts>],
    rank: &[usize],
) -> PresenceResult {
    let mut out: Vec<Vec<(NodeId, f64)>> = vec![Vec::new(); node_count];
    for &(a, b, w) in edges {
        if a < node_count && b < node_count && w > 0.0 && w.is_finite() {
            out[a].push((b, w));
        }
    }
    let fact = |n: NodeId| facts.get(n).and_then(Option::as_ref);
    // Enumerate the reachable states breadth first, so their numbering is deterministic.
    let mut index: BTreeMap<(NodeId, Presence), usize> = BTreeMap::new();
    let mut states: Vec<(NodeId, Presence)> = Vec::new();
    let mut queue = VecDeque::new();
    let mut result = PresenceResult {
        present_v: vec![0.0; node_count],
        starts_v: vec![0.0; node_count],
        ..PresenceResult::default()
    };
    if node_count == 0 {
        return result;
    }
    let start = (Flow::START, Presence::Away);
    index.insert(start.clone(), 0);
    states.push(start.clone());
    queue.push_back(start);
    // (from state, to state, weight, a visit begins)
    let mut transitions: Vec<(usize, usize, f64, bool)> = Vec::new();
    while let Some((node, p)) = queue.pop_front() {
        let from = index[&(node, p.clone())];
        for &(to, w) in &out[node] {
            let (q, begins) = enter(&p, fact(to), states.len() < MAX_STATES);
            let next = *index.entry((to, q.clone())).or_insert_with(|| {
                states.push((to, q.clone()));
                queue.push_back((to, q));
                states.len() - 1
            });
            transitions.push((from, next, w, begins));
        }
    }
    let mut rows: Vec<Row> = (0..states.len())
        .map(|i| Row {
            constant: if i == 0 { 1.0 } else { 0.0 },
            ..Row::default()
        })
        .collect();
    for &(from, to, w, _) in &transitions {
        rows[to].terms.push((from, w));
    }
    let state_rank: Vec<usize> = states
        .iter()
        .map(|&(n, _)| rank.get(n).copied().unwrap_or(usize::MAX))
        .collect();
    // A loop that never exits is already reported by v(s); its states are 0 here too.
    let (x, _) = solve(&rows, &state_rank);
    for (i, (node, p)) in states.iter().enumerate() {
        let Presence::Here { serving, .. } = p else {
            continue;
        };
        if fact(*node).is_none() {
            continue;
        }
        result.present_v[*node] += x[i];
        if let Some(a) = serving {
            result.counters.insert(*a);
        }
    }
    for &(from, to, w, begins) in &transitions {
        if begins {
            result.visits_expected += x[from] * w;
            result.starts_v[states[to].0] += x[from] * w;
            result.visit_starts.insert(states[to].0);
        }
    }
    result.visit_members = visit_members(&states, &transitions, &fact);
    result
}

/// Returns, per node where a visit begins, the step nodes reached while that visit lasts: the
/// states reachable from a state entered with a new visit, through transitions that keep the
/// resident at the office without beginning another visit.
fn visit_members<'f>(
    states: &[(NodeId, Presence)],
    transitions: &[(usize, usize, f64, bool)],
    fact: &impl Fn(NodeId) -> Option<&'f StepFacts>,
) -> BTreeMap<NodeId, BTreeSet<NodeId>> {
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); states.len()];
    let mut entered = BTreeSet::new();
    for &(from, to, _, begins) in transitions {
        if begins {
            entered.insert(to);
        } else if matches!(states[to].1, Presence::Here { .. }) {
            next[from].push(to);
        }
    }
    let mut members: BTreeMap<NodeId, BTreeSet<NodeId>> = BTreeMap::new();
    for &first in &entered {
        let set = members.entry(states[first].0).or_default();
        let mut seen = BTreeSet::from([first]);
        let mut stack = vec![first];
        while let Some(i) = stack.pop() {
            let node = states[i].0;
            if fact(node).is_some() {
                set.insert(node);
            }
            for &j in &next[i] {
                if seen.insert(j) {
                    stack.push(j);
                }
            }
        }
    }
    members
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(actor: ActorId, kind: ActorKind, anchor: bool) -> Option<StepFacts> {
        Some(StepFacts {
            actor,
            kind,
            anchor,
            remote: false,
            long_wait: false,
        })
    }

    #[test]
    fn many_optional_counters_stay_bounded() {
        // A resident at the office, then 40 optional counters of different clerks in a row:
        // 2^40 sets of clerks met, unless the state limit holds.
        let k = 40;
        let mut edges = vec![(0, 1, 1.0)];
        let mut f = vec![None, facts(0, ActorKind::Resident, true)];
        let mut prev = 1;
        for i in 0..k {
            let (decide, counter, merge) = (f.len(), f.len() + 1, f.len() + 2);
            f.push(facts(0, ActorKind::Resident, true));
            f.push(facts(i + 1, ActorKind::Staff, false));
            f.push(facts(0, ActorKind::Resident, true));
            edges.extend([
                (prev, decide, 1.0),
                (decide, counter, 0.5),
                (decide, merge, 0.5),
                (counter, merge, 1.0),
            ]);
            prev = merge;
        }
        let n = f.len();
        let rank: Vec<usize> = (0..n).collect();
        let r = analyse(n, &edges, &f, &rank);
        // One visit (all in one run), every counter met with probability 1/2.
        assert!((r.visits_expected - 1.0).abs() < 1e-9);
        assert_eq!(r.counters.len(), k);
        for i in 0..k {
            assert!((r.present_v[3 + 3 * i] - 0.5).abs() < 1e-9);
        }
    }

    #[test]
    fn a_visit_lists_its_steps_and_a_back_office_step_ends_it() {
        // start(0) → resident(1, in person) → clerk A(2) → clerk B(3, back office) →
        // resident(4, in person: a second visit) → clerk A(5) → end(6).
        let edges = [
            (0, 1, 1.0),
            (1, 2, 1.0),
            (2, 3, 1.0),
            (3, 4, 1.0),
            (4, 5, 1.0),
            (5, 6, 1.0),
        ];
        let f = vec![
            None,
            facts(0, ActorKind::Resident, true),
            facts(1, ActorKind::Staff, false),
            facts(2, ActorKind::Staff, false),
            facts(0, ActorKind::Resident, true),
            facts(1, ActorKind::Staff, false),
            None,
        ];
        let r = analyse(7, &edges, &f, &[0, 1, 2, 3, 4, 5, 6]);
        assert!((r.visits_expected - 2.0).abs() < 1e-12);
        assert_eq!(r.starts_v, vec![0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        assert_eq!(r.present_v, vec![0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0]);
        assert_eq!(
            r.visit_members,
            BTreeMap::from([(1, BTreeSet::from([1, 2])), (4, BTreeSet::from([4, 5]))])
        );
    }

    #[test]
    fn counter_step_is_present_only_after_an_in_person_path() {
        // start(0) → decide(1) → {online(2) 30%, visit(3) 70%} → counter(4) → end(5).
        let edges = [
            (0, 1, 1.0),
            (1, 2, 0.3),
            (1, 3, 0.7),
            (2, 4, 1.0),
            (3, 4, 1.0),
            (4, 5, 1.0),
        ];
        let f = vec![
            None,
            facts(0, ActorKind::Resident, false),
            facts(0, ActorKind::Resident, false),
            facts(0, ActorKind::Resident, true),
            facts(1, ActorKind::Staff, false),
            None,
        ];
        let r = analyse(6, &edges, &f, &[0, 1, 2, 3, 4, 5]);
        assert!((r.visits_expected - 0.7).abs() < 1e-12);
        assert!((r.present_v[4] - 0.7).abs() < 1e-12);
        assert_eq!(r.counters.into_iter().collect::<Vec<_>>(), vec![1]);
    }
}
