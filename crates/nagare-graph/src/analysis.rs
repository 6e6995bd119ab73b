//! Computes v(s), the lead time and every metric of one model (definitions: docs/metrics.md).

use std::collections::{BTreeMap, BTreeSet};

use nagare_model::{
    ActorKind, DocRole, Document, Endpoint, Flow, Medium, Model, Node, NodeId, Step, StepId,
    StepKind,
};
use nagare_syntax::{Diagnostic, Span, Text};
use petgraph::graph::{DiGraph, NodeIndex};

use crate::graph::{EdgeId, ProcessGraph};
use crate::metrics::{
    Attachments, ByActorKind, Count, DuplicateEntry, HandoffCell, Handwriting, Metrics, PerYear,
    ProcessTime, Ratio, ResidentBurden, StepMetrics, Systems, Transcriptions,
};
use crate::presence::{self, PresenceResult, StepFacts};
use crate::solve::{Row, solve};
use crate::{Analysis, Settings, StepPresence, codes};

/// Probabilities within this of 100% are accepted as written.
const PROBABILITY_TOLERANCE: f64 = 1e-6;
/// Bounds the walk through non-step nodes (splits, joins) between two steps.
const MAX_WALK: usize = 10_000;

pub(crate) fn run(model: &Model, settings: &Settings) -> Analysis {
    let mut ctx = Ctx::new(model);
    let v = ctx.expected_visits();
    let (lead, lead_p90) = ctx.lead_time();
    let presence = ctx.presence(settings);
    let mut metrics = ctx.metrics(&v, settings, &presence);
    metrics.lead_time_minutes = lead;
    metrics.lead_time_p90_minutes = lead_p90.max(lead);
    // DOMAIN.md §4: wait = lead time − process time, activity ratio = process time / lead time.
    // With parallel work the process time can exceed the lead time: the wait is then 0 (never
    // negative) and the ratio above 1 (more than one person-minute of work per elapsed minute).
    let process = metrics.process_time_minutes.total;
    metrics.wait_minutes.total = (lead - process).max(0.0);
    metrics.activity_ratio = if lead > 0.0 {
        (process / lead).max(0.0)
    } else {
        0.0
    };
    tidy_metrics(&mut metrics);
    let step_visits = (0..model.steps.len())
        .map(|s| {
            ctx.node_of_step
                .get(s)
                .copied()
                .flatten()
                .map_or(0.0, |node| tidy(v[node]))
        })
        .collect();
    let presence = step_presence(model, &ctx.node_of_step, &ctx.step_of, &presence);
    Analysis {
        step_visits,
        presence,
        metrics,
        diagnostics: ctx.diagnostics,
    }
}

/// Returns the presence chain's answer per step (indexed by `StepId`), for the rules that need to
/// know what a visit is (the candidates): the same answer `visits` and `counters` are made of.
fn step_presence(
    model: &Model,
    node_of_step: &[Option<NodeId>],
    step_of: &[Option<StepId>],
    presence: &PresenceResult,
) -> Vec<StepPresence> {
    (0..model.steps.len())
        .map(|s| {
            let Some(node) = node_of_step.get(s).copied().flatten() else {
                return StepPresence::default();
            };
            let kind = actor_kind(model, &model.steps[s]);
            let present = tidy(presence.present_v.get(node).copied().unwrap_or(0.0));
            StepPresence {
                visit_starts: tidy(presence.starts_v.get(node).copied().unwrap_or(0.0)),
                present,
                counter: matches!(kind, ActorKind::Staff | ActorKind::External) && present > 0.0,
                same_visit: presence
                    .visit_members
                    .get(&node)
                    .map(|nodes| {
                        let mut steps: Vec<StepId> = nodes
                            .iter()
                            .filter_map(|&n| step_of.get(n).copied().flatten())
                            .collect();
                        steps.sort_unstable();
                        steps.dedup();
                        steps
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// A step reached from another through non-step nodes, with the probability of that path.
#[derive(Debug, Clone, Copy)]
struct Transition {
    to: NodeId,
    weight: f64,
}

struct Ctx<'a> {
    model: &'a Model,
    pg: ProcessGraph,
    /// Per edge: probability of taking it when leaving its source (split edges 1; cut edges 0).
    prob: Vec<f64>,
    /// Per edge: its weight in v = e_start + Pᵀv (edges into a join divided by the branch count).
    flow_w: Vec<f64>,
    /// Per node: the join closing the innermost well-formed parallel block containing it.
    horizon: Vec<Option<NodeId>>,
    /// Per split node: its join, if the block is well formed.
    split_join: Vec<Option<NodeId>>,
    /// Per node: on a cycle of edges with positive probability.
    cyclic: Vec<bool>,
    step_of: Vec<Option<StepId>>,
    node_of_step: Vec<Option<NodeId>>,
    rank: Vec<usize>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    fn new(model: &'a Model) -> Self {
        let pg = ProcessGraph::new(model);
        let n = pg.node_count();
        let mut step_of = vec![None; n];
        let mut node_of_step = vec![None; model.steps.len()];
        for (node, kind) in model.flow.nodes.iter().enumerate() {
            if let Node::Step { step } = kind
                && *step < model.steps.len()
            {
                step_of[node] = Some(*step);
                if node_of_step[*step].is_none() {
                    node_of_step[*step] = Some(node);
                }
            }
        }
        let mut rank = vec![0; n];
        for (i, &node) in pg.topological_order().iter().enumerate() {
            rank[node] = i;
        }
        let mut ctx = Self {
            model,
            prob: vec![0.0; model.flow.edges.len()],
            flow_w: vec![0.0; model.flow.edges.len()],
            horizon: vec![None; n],
            split_join: vec![None; n],
            cyclic: vec![false; n],
            step_of,
            node_of_step,
            rank,
            diagnostics: Vec::new(),
            pg,
        };
        ctx.probabilities();
        ctx.cut_closed_loops();
        ctx.blocks();
        ctx
    }

    fn is_split(&self, node: NodeId) -> bool {
        matches!(self.model.flow.nodes.get(node), Some(Node::Split { .. }))
    }

    fn step(&self, node: NodeId) -> Option<&'a Step> {
        self.step_of[node].map(|s| &self.model.steps[s])
    }

    fn node_span(&self, node: NodeId) -> Span {
        match self.model.flow.nodes.get(node) {
            Some(Node::Step { step }) => self
                .model
                .steps
                .get(*step)
                .map_or_else(Span::default, |s| s.span),
            Some(Node::End { span, .. } | Node::Split { span, .. } | Node::Join { span, .. }) => {
                *span
            }
            _ => Span::default(),
        }
    }

    fn node_name(&self, node: NodeId) -> String {
        match self.step(node) {
            Some(s) => s.id.clone().unwrap_or_else(|| s.label.clone()),
            None => format!("#{node}"),
        }
    }

    /// Sanitises edge probabilities: non-finite or negative → 0; a split's edges each carry the
    /// whole case; other nodes' shares are rescaled to add up to 1 (with a warning if they did not).
    fn probabilities(&mut self) {
        for node in 0..self.pg.node_count() {
            let out = self.pg.outgoing(node).to_vec();
            if out.is_empty() {
                continue;
            }
            if self.is_split(node) {
                for e in out {
                    self.prob[e] = 1.0;
                }
                continue;
            }
            let raw: Vec<f64> = out
                .iter()
                .map(|&e| {
                    let p = self.model.flow.edges[e].probability;
                    if p.is_finite() && p > 0.0 { p } else { 0.0 }
                })
                .collect();
            let sum: f64 = raw.iter().sum();
            #[allow(clippy::cast_precision_loss)] // out-degrees are tiny
            let equal = 1.0 / out.len() as f64;
            for (i, &e) in out.iter().enumerate() {
                self.prob[e] = if sum > 0.0 { raw[i] / sum } else { equal };
            }
            if (sum - 1.0).abs() > PROBABILITY_TOLERANCE && self.pg.is_reachable(node) {
                let name = self.node_name(node);
                let pct = sum * 100.0;
                self.diagnostics.push(
                    Diagnostic::warning(
                        codes::PROBABILITIES_NOT_100,
                        self.node_span(node),
                        Text::new(
                            format!("「{name}」から先の確率の合計が {pct:.1}% です（100% になるよう按分して計算します）"),
                            format!("the probabilities leaving `{name}` add up to {pct:.1}% (they are rescaled to 100%)"),
                        ),
                    )
                    .with_hint(Text::new(
                        "分岐の確率の合計を 100% にしてください",
                        "make the branch probabilities add up to 100%",
                    )),
                );
            }
        }
    }

    /// Finds loops no case can leave (every edge out of the loop has probability 0), reports
    /// them, and cuts their back edges so that every later computation stays finite.
    fn cut_closed_loops(&mut self) {
        let n = self.pg.node_count();
        let mut g: DiGraph<(), EdgeId> = DiGraph::with_capacity(n, self.prob.len());
        for _ in 0..n {
            g.add_node(());
        }
        for e in 0..self.prob.len() {
            if let Some((a, b)) = self.pg.ends(e)
                && self.prob[e] > 0.0
            {
                g.add_edge(NodeIndex::new(a), NodeIndex::new(b), e);
            }
        }
        let mut comps: Vec<Vec<NodeId>> = petgraph::algo::kosaraju_scc(&g)
            .into_iter()
            .map(|c| {
                let mut c: Vec<NodeId> = c.into_iter().map(NodeIndex::index).collect();
                c.sort_unstable();
                c
            })
            .collect();
        comps.sort();
        for comp in comps {
            let inside: BTreeSet<NodeId> = comp.iter().copied().collect();
            let mut cyclic = comp.len() > 1;
            let mut exits = false;
            let mut internal = Vec::new();
            for &node in &comp {
                for &e in self.pg.outgoing(node) {
                    if self.prob[e] <= 0.0 {
                        continue;
                    }
                    let Some((_, to)) = self.pg.ends(e) else {
                        continue;
                    };
                    if inside.contains(&to) {
                        cyclic |= to == node;
                        internal.push(e);
                    } else {
                        exits = true;
                    }
                }
            }
            if cyclic {
                for &node in &comp {
                    self.cyclic[node] = true;
                }
            }
            if !cyclic || exits {
                continue;
            }
            let cut: Vec<EdgeId> = internal
                .iter()
                .copied()
                .filter(|&e| self.pg.is_back_edge(e))
                .collect();
            for &e in &cut {
                self.prob[e] = 0.0;
            }
            if comp.iter().any(|&c| self.pg.is_reachable(c)) {
                self.report_closed_loop(&comp, &cut);
            }
        }
    }

    fn report_closed_loop(&mut self, comp: &[NodeId], cut: &[EdgeId]) {
        let steps: Vec<NodeId> = comp
            .iter()
            .copied()
            .filter(|&c| self.step_of[c].is_some())
            .collect();
        let first = steps.first().copied().unwrap_or(comp[0]);
        let path: Vec<String> = steps.iter().map(|&s| self.node_name(s)).collect();
        let mut path_text = path.join(" → ");
        if let Some(head) = path.first() {
            path_text.push_str(" → ");
            path_text.push_str(head);
        }
        let mut d = Diagnostic::error(
            codes::LOOP_NEVER_EXITS,
            self.node_span(first),
            Text::new(
                format!("このループから抜け出す道がありません: {path_text}"),
                format!("no case can ever leave this loop: {path_text}"),
            ),
        )
        .with_label_message(Text::new("ループの始まり", "the loop starts here"));
        for &s in steps.iter().skip(1) {
            d = d.with_secondary(
                self.node_span(s),
                Text::new("ループ内の工程", "a step of the loop"),
            );
        }
        for &e in cut {
            d = d.with_secondary(
                self.model.flow.edges[e].span,
                Text::new(
                    "この差戻しは必ず起こる扱いになっています",
                    "this jump back is always taken",
                ),
            );
        }
        self.diagnostics.push(d.with_hint(Text::new(
            "差戻しの確率を 100% 未満にするか、ループの外へ進む分岐を加えてください（指標はこの差戻しが起こらないものとして計算しています）",
            "give the send-back a probability below 100% or add a branch that leaves the loop (metrics are computed as if the jump back were never taken)",
        )));
    }

    /// Finds the parallel blocks: innermost join of every node, split → join, join weights.
    fn blocks(&mut self) {
        let mut blocks = self.pg.parallel_blocks(self.model);
        // Larger regions first so that inner blocks overwrite their nodes' horizon.
        blocks.sort_by_key(|b| std::cmp::Reverse(b.inside.len()));
        for b in &blocks {
            let k = self.pg.outgoing(b.split).len();
            if let Some(join) = b.join {
                #[allow(clippy::cast_precision_loss)] // out-degrees are tiny
                let share = if k > 0 { 1.0 / k as f64 } else { 1.0 };
                for &e in self.pg.incoming(join) {
                    // A join fires once per case although each branch enters it.
                    self.flow_w[e] = self.prob[e] * share;
                }
            }
            if b.well_formed {
                self.split_join[b.split] = b.join;
                for &node in &b.inside {
                    self.horizon[node] = b.join;
                }
            } else {
                if self.cyclic[b.split] && k > 0 {
                    // Branches that do not join but loop back would multiply the case without
                    // bound; share the case between them instead (warned below).
                    #[allow(clippy::cast_precision_loss)] // out-degrees are tiny
                    let share = 1.0 / k as f64;
                    for &e in self.pg.outgoing(b.split) {
                        self.prob[e] = share;
                    }
                }
                if !self.pg.is_reachable(b.split) {
                    continue;
                }
                self.diagnostics.push(
                    Diagnostic::warning(
                        codes::PARALLEL_MALFORMED,
                        self.node_span(b.split),
                        Text::new(
                            "並行ブロックの分岐が合流点を通らずに終わるか、分岐の前に戻っています（リードタイムは分岐の合計で概算します）",
                            "a branch of this parallel block ends or goes back without reaching its join (the lead time adds the branches up instead)",
                        ),
                    )
                    .with_hint(Text::new(
                        "並行ブロックの中から 終了 や ブロック外への → を取り除いてください",
                        "remove `end` and jumps out of the block from its branches",
                    )),
                );
            }
        }
        let join_targets: BTreeSet<NodeId> = blocks.iter().filter_map(|b| b.join).collect();
        for e in 0..self.prob.len() {
            let to_join = self
                .pg
                .ends(e)
                .is_some_and(|(_, to)| join_targets.contains(&to));
            if !to_join {
                self.flow_w[e] = self.prob[e];
            }
        }
    }

    /// Returns v per node: the exact solution of v = e_start + Pᵀv.
    fn expected_visits(&mut self) -> Vec<f64> {
        let n = self.pg.node_count();
        let rows: Vec<Row> = (0..n)
            .map(|m| Row {
                constant: if m == Flow::START { 1.0 } else { 0.0 },
                terms: self
                    .pg
                    .incoming(m)
                    .iter()
                    .filter(|&&e| self.flow_w[e] > 0.0)
                    .filter_map(|&e| self.pg.ends(e).map(|(from, _)| (from, self.flow_w[e])))
                    .collect(),
                max_of: Vec::new(),
            })
            .collect();
        let (v, singular) = solve(&rows, &self.rank);
        self.report_singular(&singular);
        v
    }

    /// Returns (lead time, lead time with p90 durations) in minutes.
    fn lead_time(&mut self) -> (f64, f64) {
        if self.pg.node_count() == 0 {
            return (0.0, 0.0);
        }
        let total_rows = self.time_rows(elapsed);
        let (total, singular) = solve(&total_rows, &self.rank);
        self.report_singular(&singular);
        let p90_rows = self.time_rows(elapsed_p90);
        let (p90, _) = solve(&p90_rows, &self.rank);
        (total[Flow::START], p90[Flow::START])
    }

    /// Builds T(n) = dur(n) + Σ p·T(succ), where a split takes the longest branch plus T(join),
    /// and the innermost join counts 0.
    fn time_rows(&self, dur: impl Fn(&Step) -> f64) -> Vec<Row> {
        (0..self.pg.node_count())
            .map(|node| {
                let constant = self.step(node).map_or(0.0, &dur);
                if let Some(join) = self.split_join[node] {
                    let branches: Vec<NodeId> = self
                        .pg
                        .outgoing(node)
                        .iter()
                        .filter_map(|&e| self.pg.ends(e).map(|(_, to)| to))
                        .filter(|&to| to != join)
                        .collect();
                    return Row {
                        constant,
                        terms: vec![(join, 1.0)],
                        max_of: branches,
                    };
                }
                let terms = self
                    .pg
                    .outgoing(node)
                    .iter()
                    .filter(|&&e| self.prob[e] > 0.0)
                    .filter_map(|&e| self.pg.ends(e).map(|(_, to)| (to, self.prob[e])))
                    .filter(|&(to, _)| Some(to) != self.horizon[node])
                    .collect();
                Row {
                    constant,
                    terms,
                    max_of: Vec::new(),
                }
            })
            .collect()
    }

    fn report_singular(&mut self, singular: &[NodeId]) {
        let already = self
            .diagnostics
            .iter()
            .any(|d| d.code == codes::LOOP_NEVER_EXITS);
        let reachable: Vec<NodeId> = singular
            .iter()
            .copied()
            .filter(|&n| self.pg.is_reachable(n))
            .collect();
        if already || reachable.is_empty() {
            return;
        }
        let path: Vec<String> = reachable
            .iter()
            .filter(|&&n| self.step_of[n].is_some())
            .map(|&n| self.node_name(n))
            .collect();
        self.diagnostics.push(Diagnostic::error(
            codes::LOOP_NEVER_EXITS,
            self.node_span(reachable[0]),
            Text::new(
                format!(
                    "このループの通過回数の期待値が発散します: {}",
                    path.join(", ")
                ),
                format!(
                    "the expected passes through this loop are unbounded: {}",
                    path.join(", ")
                ),
            ),
        ));
    }

    /// Returns the steps reached from `from` through splits and joins, with path probabilities.
    fn transitions(&self, from: NodeId) -> Vec<Transition> {
        let mut result = Vec::new();
        let mut stack: Vec<(EdgeId, f64)> = self
            .pg
            .outgoing(from)
            .iter()
            .rev()
            .map(|&e| (e, 1.0))
            .collect();
        let mut seen = BTreeSet::new();
        let mut budget = MAX_WALK;
        while let Some((e, w)) = stack.pop() {
            let Some((_, to)) = self.pg.ends(e) else {
                continue;
            };
            let weight = w * self.prob[e];
            match self.model.flow.nodes.get(to) {
                Some(Node::Step { .. }) if self.step_of[to].is_some() => {
                    result.push(Transition { to, weight });
                }
                Some(Node::Split { .. } | Node::Join { .. } | Node::Start) => {
                    if budget == 0 || !seen.insert(to) {
                        continue;
                    }
                    budget -= 1;
                    for &next in self.pg.outgoing(to).iter().rev() {
                        stack.push((next, weight));
                    }
                }
                _ => {}
            }
        }
        result
    }

    #[allow(clippy::too_many_lines)] // one pass per metric, in the order of docs/metrics.md
    fn metrics(&self, v: &[f64], settings: &Settings, presence: &PresenceResult) -> Metrics {
        let model = self.model;
        let steps: Vec<(NodeId, &Step)> = (0..self.pg.node_count())
            .filter_map(|n| self.step(n).map(|s| (n, s)))
            .collect();
        let kind_of = |s: &Step| actor_kind(model, s);
        let mut m = Metrics {
            volume_per_year: model
                .process
                .volume_per_year
                .filter(|x| x.is_finite() && *x >= 0.0),
            ..Metrics::default()
        };
        let mut trans: BTreeMap<NodeId, Vec<Transition>> = BTreeMap::new();
        trans.insert(Flow::START, self.transitions(Flow::START));
        for &(n, _) in &steps {
            trans.insert(n, self.transitions(n));
        }

        // Steps, by actor kind; process time.
        let mut sm = StepMetrics::default();
        let mut by = ByActorKind::default();
        let mut pt = ProcessTime::default();
        let mut counted_v = 0.0;
        let mut counted_n = 0usize;
        let mut digital_v = 0.0;
        let mut digital_n = 0usize;
        let mut automated_v = 0.0;
        for &(n, s) in &steps {
            let kind = kind_of(s);
            let w = work(s) * v[n];
            pt.total += w;
            match kind {
                ActorKind::Resident => pt.resident += w,
                ActorKind::Staff => pt.staff += w,
                ActorKind::External => pt.external += w,
                ActorKind::System | ActorKind::Rpa => pt.automated += w,
            }
            if !is_work_step(s) {
                continue;
            }
            sm.structural += 1;
            sm.expected += v[n];
            let slot = match kind {
                ActorKind::Resident => &mut by.resident,
                ActorKind::Staff => &mut by.staff,
                ActorKind::External => &mut by.external,
                ActorKind::System => &mut by.system,
                ActorKind::Rpa => &mut by.rpa,
            };
            slot.structural += 1;
            slot.expected += v[n];
            counted_n += 1;
            counted_v += v[n];
            if kind.is_automated() {
                automated_v += v[n];
            }
            if kind.is_automated() || s.medium.is_some_and(Medium::is_digital) {
                digital_n += 1;
                digital_v += v[n];
            }
        }
        sm.by_actor_kind = by;
        m.steps = sm;
        m.process_time_minutes = pt;
        #[allow(clippy::cast_precision_loss)] // step counts are far below 2^52
        {
            m.digital_ratio = Ratio {
                structural: ratio(digital_n as f64, counted_n as f64),
                expected: ratio(digital_v, counted_v),
            };
        }
        m.automation_rate = ratio(automated_v, counted_v);

        // Decisions.
        for &(n, s) in &steps {
            if s.kind == StepKind::Decision || self.pg.outgoing(n).len() >= 2 {
                m.decisions.structural += 1;
                m.decisions.expected += v[n];
            }
        }

        // Handoffs and the actor matrix; system switches.
        let mut cells: BTreeMap<(usize, usize), (usize, f64)> = BTreeMap::new();
        let mut switches = Count::default();
        for &(n, s) in &steps {
            for t in &trans[&n] {
                let Some(target) = self.step(t.to) else {
                    continue;
                };
                let expected = v[n] * t.weight;
                if target.actor != s.actor {
                    m.handoffs.structural += 1;
                    m.handoffs.expected += expected;
                    if !kind_of(s).is_automated() && !kind_of(target).is_automated() {
                        m.handoffs.between_people.structural += 1;
                        m.handoffs.between_people.expected += expected;
                    }
                    let cell = cells.entry((s.actor, target.actor)).or_insert((0, 0.0));
                    cell.0 += 1;
                    cell.1 += expected;
                } else if let (Some(a), Some(b)) = (system_of(model, s), system_of(model, target))
                    && a != b
                {
                    switches.structural += 1;
                    switches.expected += expected;
                }
            }
        }
        m.handoffs.matrix = cells
            .into_iter()
            .map(|((a, b), (count, expected))| HandoffCell {
                from: actor_name(model, a),
                to: actor_name(model, b),
                count,
                expected: tidy(expected),
            })
            .collect();

        // Paper touchpoints and seals.
        for &(n, s) in &steps {
            if is_paper_touch(model, s) {
                m.paper_touchpoints.structural += 1;
                m.paper_touchpoints.expected += v[n];
            }
            if s.flags.seal || s.flags.signature {
                m.seals.structural += 1;
                m.seals.expected += v[n];
            }
            m.seals.seal += usize::from(s.flags.seal);
            m.seals.signature += usize::from(s.flags.signature);
        }

        // Presence at the office (path-dependent): visits, counters, resident waiting there.
        let mut resident_wait_present = 0.0;
        for &(n, s) in &steps {
            let pv = presence.present_v[n];
            if pv <= 0.0 {
                continue;
            }
            // A wait of days on a return visit is spent at home, not in the office.
            if wait(s) <= settings.max_office_wait_minutes {
                resident_wait_present += pv * wait(s);
            }
            if kind_of(s) != ActorKind::Resident {
                // The resident waits while the clerk works at the counter.
                resident_wait_present += pv * work(s);
            }
        }
        m.visits.expected = presence.visits_expected;
        m.visits.structural = presence.visit_starts.len();
        // DOMAIN.md §4: counters are the distinct *staff* actors met in person. An external
        // actor met in person (the previous town's office, a clinic) is part of a visit but not
        // a counter of this city, which is also what the one-stop candidate counts.
        m.counter_actors = presence
            .counters
            .iter()
            .filter(|&&a| {
                model
                    .actors
                    .get(a)
                    .is_some_and(|x| x.kind == ActorKind::Staff)
            })
            .map(|&a| actor_name(model, a))
            .collect();
        m.counters = m.counter_actors.len();
        m.wait_minutes.resident_present = resident_wait_present;

        // Handwriting and duplicate entry.
        let mut hw = Handwriting::default();
        // Per field name: the nodes of the resident's fills that write it (first writing first).
        let mut field_uses: Vec<(String, Vec<NodeId>)> = Vec::new();
        let mut gov_fields: Vec<String> = Vec::new();
        for &(n, s) in &steps {
            if kind_of(s) != ActorKind::Resident {
                continue;
            }
            let mut fills_here = false;
            for u in &s.docs {
                let Some(doc) = model.documents.get(u.doc) else {
                    continue;
                };
                let fields = use_fields(doc, &u.fields);
                if u.role == DocRole::Fill {
                    fills_here = true;
                    hw.fields.structural += fields.len();
                    #[allow(clippy::cast_precision_loss)] // field counts are tiny
                    {
                        hw.fields.expected += v[n] * fields.len() as f64;
                    }
                    if doc.medium.is_paper() {
                        hw.fields_on_paper += fields.len();
                    }
                    // `use_fields` lists each field once, in the document's order.
                    for f in &fields {
                        match field_uses.iter_mut().find(|(name, _)| name == f) {
                            Some(entry) => entry.1.push(n),
                            None => field_uses.push((f.clone(), vec![n])),
                        }
                    }
                }
                if doc.gov_held && matches!(u.role, DocRole::Fill | DocRole::Attach) {
                    let asked = if fields.is_empty() {
                        vec![doc.name.clone()]
                    } else {
                        fields.iter().map(|f| format!("{}.{f}", doc.name)).collect()
                    };
                    for a in asked {
                        if !gov_fields.contains(&a) {
                            gov_fields.push(a);
                        }
                    }
                }
            }
            if fills_here {
                hw.steps.structural += 1;
                hw.steps.expected += v[n];
            }
        }
        m.handwriting = hw;
        // A field counts as supplied again only when one case can write it twice: fills on
        // alternative branches of a decision (郵送 or 窓口) are not a duplicate for anyone.
        let repeated: Vec<(String, usize)> = field_uses
            .iter()
            .filter(|(_, nodes)| nodes.len() > 1)
            .map(|(f, nodes)| (f.clone(), self.most_on_one_case(nodes)))
            .filter(|(_, c)| *c > 1)
            .collect();
        m.duplicate_entry = DuplicateEntry {
            repeated: repeated.iter().map(|(_, c)| c - 1).sum(),
            gov_held: gov_fields.len(),
            total: 0,
            repeated_fields: repeated.iter().map(|(f, _)| f.clone()).collect(),
            gov_held_fields: gov_fields,
        };
        m.duplicate_entry.total = m.duplicate_entry.repeated + m.duplicate_entry.gov_held;

        // Transcriptions.
        m.transcriptions = self.transcriptions(&steps, v);

        // Attachments.
        let mut attached = BTreeSet::new();
        for &(_, s) in &steps {
            for u in &s.docs {
                if u.role == DocRole::Attach && u.doc < model.documents.len() {
                    attached.insert(u.doc);
                }
            }
        }
        m.attachments = Attachments {
            total: attached.len(),
            gov_held: attached
                .iter()
                .filter(|&&d| model.documents[d].gov_held)
                .count(),
        };

        // Systems.
        let mut names: Vec<String> = Vec::new();
        let mut add = |name: &str| {
            let name = name.trim();
            if !name.is_empty() && !names.iter().any(|x| x == name) {
                names.push(name.to_owned());
            }
        };
        for a in &model.actors {
            if a.kind == ActorKind::System {
                add(&a.name);
            }
        }
        for &(_, s) in &steps {
            if let Some(sys) = &s.system {
                add(sys);
            }
            if let Some(t) = &s.transcription {
                for end in [&t.from, &t.to] {
                    if let Endpoint::System(name) = end {
                        add(name);
                    }
                }
            }
        }
        m.systems = Systems {
            distinct: names.len(),
            switches,
            names,
        };

        // Resident burden, workload, digital completion, annual values.
        let travel = m.visits.expected * settings.travel_minutes_per_visit;
        m.resident_burden_minutes = ResidentBurden {
            work: pt.resident,
            wait: resident_wait_present,
            travel,
            total: pt.resident + resident_wait_present + travel,
        };
        m.digital_completion = self.digital_completion();
        if let Some(volume) = m.volume_per_year {
            let hours = pt.staff * volume / 60.0;
            m.staff_hours_per_year = Some(hours);
            m.fte = Some(hours / settings.hours_per_fte);
            m.per_year = Some(PerYear {
                handoffs: m.handoffs.expected * volume,
                paper_touchpoints: m.paper_touchpoints.expected * volume,
                visits: m.visits.expected * volume,
                transcriptions: m.transcriptions.expected * volume,
                seals: m.seals.expected * volume,
                resident_hours: m.resident_burden_minutes.total * volume / 60.0,
                staff_hours: hours,
            });
        }
        m
    }

    /// Returns the resident's presence at the office along every path (see `presence.rs`): a
    /// resident step in person or a clerk step marked so begins or continues a visit; the clerk
    /// right after it and that clerk's following steps are at the counter with the resident.
    fn presence(&self, settings: &Settings) -> PresenceResult {
        let model = self.model;
        let n = self.pg.node_count();
        let facts: Vec<Option<StepFacts>> = (0..n)
            .map(|node| {
                self.step(node).map(|s| {
                    StepFacts::new(
                        s,
                        actor_kind(model, s),
                        is_visit_anchor(model, s),
                        wait(s),
                        settings.max_office_wait_minutes,
                    )
                })
            })
            .collect();
        let edges: Vec<(NodeId, NodeId, f64)> = (0..self.flow_w.len())
            .filter_map(|e| self.pg.ends(e).map(|(a, b)| (a, b, self.flow_w[e])))
            .collect();
        presence::analyse(n, &edges, &facts, &self.rank)
    }

    /// Returns how many of `nodes` (a node listed twice counts twice) one case can pass, loops
    /// not repeated: the most along a path, where every branch of a parallel block adds up.
    fn most_on_one_case(&self, nodes: &[NodeId]) -> usize {
        let n = self.pg.node_count();
        let mut own = vec![0usize; n];
        for &node in nodes {
            if let Some(o) = own.get_mut(node) {
                *o += 1;
            }
        }
        let mut best = vec![0usize; n];
        for &node in self.pg.topological_order().iter().rev() {
            let succ = || {
                self.pg
                    .outgoing(node)
                    .iter()
                    .filter(|&&e| self.prob[e] > 0.0 && !self.pg.is_back_edge(e))
                    .filter_map(|&e| self.pg.ends(e).map(|(_, to)| to))
            };
            let after = if let Some(join) = self.split_join[node] {
                succ()
                    .filter(|&to| to != join)
                    .map(|to| best[to])
                    .sum::<usize>()
                    + best[join]
            } else {
                succ()
                    .map(|to| {
                        if Some(to) == self.horizon[node] {
                            0
                        } else {
                            best[to]
                        }
                    })
                    .max()
                    .unwrap_or(0)
            };
            best[node] = own[node] + after;
        }
        best.get(Flow::START).copied().unwrap_or(0)
    }

    fn transcriptions(&self, steps: &[(NodeId, &Step)], v: &[f64]) -> Transcriptions {
        let model = self.model;
        let mut t = Transcriptions::default();
        // Fields written per node (any actor), for the inferred transcriptions.
        let mut written: BTreeMap<NodeId, Vec<(String, bool)>> = BTreeMap::new();
        for &(n, s) in steps {
            for u in &s.docs {
                if let Some(doc) = model.documents.get(u.doc)
                    && u.role == DocRole::Fill
                {
                    for f in use_fields(doc, &u.fields) {
                        written
                            .entry(n)
                            .or_default()
                            .push((f, doc.medium.is_paper()));
                    }
                }
            }
        }
        for &(n, s) in steps {
            let by_people = !actor_kind(model, s).is_automated();
            if let Some(tr) = &s.transcription {
                t.structural += 1;
                t.expected += v[n];
                if by_people {
                    t.by_people.structural += 1;
                    t.by_people.expected += v[n];
                }
                let from_paper = match &tr.from {
                    Endpoint::Document(d) => {
                        model.documents.get(*d).is_some_and(|d| d.medium.is_paper())
                    }
                    Endpoint::System(_) => false,
                };
                if from_paper {
                    t.from_paper += 1;
                } else {
                    t.from_system += 1;
                }
                continue;
            }
            // Inferred: a clerk keys into a system fields someone already wrote upstream.
            let kind = actor_kind(model, s);
            if !matches!(kind, ActorKind::Staff | ActorKind::External) || s.system.is_none() {
                continue;
            }
            let Some(mine) = written.get(&n) else {
                continue;
            };
            let upstream = self.ancestors(n);
            let source = mine.iter().find_map(|(f, _)| {
                upstream.iter().find_map(|a| {
                    written
                        .get(a)
                        .and_then(|list| list.iter().find(|(g, _)| g == f))
                        .map(|(_, paper)| *paper)
                })
            });
            if let Some(paper) = source {
                t.structural += 1;
                t.expected += v[n];
                t.by_people.structural += 1;
                t.by_people.expected += v[n];
                if paper {
                    t.from_paper += 1;
                } else {
                    t.from_system += 1;
                }
            }
        }
        t
    }

    /// Returns the nodes from which `node` is reached without following a back edge.
    fn ancestors(&self, node: NodeId) -> Vec<NodeId> {
        let mut seen = vec![false; self.pg.node_count()];
        let mut stack = vec![node];
        let mut out = Vec::new();
        seen[node] = true;
        while let Some(at) = stack.pop() {
            for &e in self.pg.incoming(at) {
                if self.pg.is_back_edge(e) {
                    continue;
                }
                if let Some((from, _)) = self.pg.ends(e)
                    && !seen[from]
                {
                    seen[from] = true;
                    out.push(from);
                    stack.push(from);
                }
            }
        }
        out.sort_by_key(|&a| std::cmp::Reverse(self.rank[a]));
        out
    }

    /// Returns true if a case can go from start to end with no paper, in-person, mail or fax
    /// step (every branch of a parallel block must manage it).
    fn digital_completion(&self) -> bool {
        let n = self.pg.node_count();
        if n == 0 {
            return false;
        }
        let bad: Vec<bool> = (0..n)
            .map(|node| {
                // Presence needs no test of its own: every path on which the resident is at the
                // office passes the in-person step where the visit began.
                self.step(node).is_some_and(|s| {
                    is_paper_touch(self.model, s)
                        || matches!(
                            s.medium,
                            Some(Medium::InPerson | Medium::Mail | Medium::Fax)
                        )
                        || s.flags.visit
                })
            })
            .collect();
        let mut ok = vec![false; n];
        let order: Vec<NodeId> = self.pg.topological_order().iter().rev().copied().collect();
        // Least fixed point; monotone (false → true), so it settles within a few sweeps.
        for _ in 0..=n {
            let mut changed = false;
            for &node in &order {
                if ok[node] || bad[node] {
                    continue;
                }
                let reach = |to: NodeId| Some(to) == self.horizon[node] || ok[to];
                let value = if let Some(join) = self.split_join[node] {
                    self.pg
                        .outgoing(node)
                        .iter()
                        .filter_map(|&e| self.pg.ends(e).map(|(_, to)| to))
                        .all(|to| to == join || ok[to])
                        && ok[join]
                } else if matches!(self.model.flow.nodes[node], Node::End { .. }) {
                    true
                } else {
                    let out = self.pg.outgoing(node);
                    let live: Vec<NodeId> = out
                        .iter()
                        .filter(|&&e| self.prob[e] > 0.0)
                        .filter_map(|&e| self.pg.ends(e).map(|(_, to)| to))
                        .collect();
                    // A step with nowhere to go ends the case there.
                    (out.is_empty() && self.step_of[node].is_some()) || live.into_iter().any(reach)
                };
                if value {
                    ok[node] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        ok[Flow::START]
    }
}

fn actor_kind(model: &Model, s: &Step) -> ActorKind {
    model
        .actors
        .get(s.actor)
        .map_or(ActorKind::Staff, |a| a.kind)
}

fn actor_name(model: &Model, actor: usize) -> String {
    model
        .actors
        .get(actor)
        .map_or_else(|| format!("#{actor}"), |a| a.name.clone())
}

/// Returns true for steps that count as work (task, decision, subprocess).
fn is_work_step(s: &Step) -> bool {
    matches!(
        s.kind,
        StepKind::Task | StepKind::Decision | StepKind::Subprocess
    )
}

fn minutes(m: Option<nagare_model::Minutes>) -> f64 {
    m.map_or(0.0, |m| {
        if m.p50.is_finite() && m.p50 > 0.0 {
            m.p50
        } else {
            0.0
        }
    })
}

/// Returns the work minutes of one execution (a waiting step does no work).
fn work(s: &Step) -> f64 {
    if s.kind == StepKind::Wait {
        0.0
    } else {
        minutes(s.work)
    }
}

/// Returns the waiting minutes of one execution (all of a waiting step's time).
fn wait(s: &Step) -> f64 {
    if s.kind == StepKind::Wait {
        minutes(s.work) + minutes(s.wait)
    } else {
        minutes(s.wait)
    }
}

fn elapsed(s: &Step) -> f64 {
    minutes(s.work) + minutes(s.wait)
}

/// Returns the pessimistic elapsed minutes: p90 where a range is given (`10〜20分`), else p50.
fn elapsed_p90(s: &Step) -> f64 {
    let p90 = |m: Option<nagare_model::Minutes>| {
        m.map_or(0.0, |m| {
            let x = m.p90.unwrap_or(m.p50);
            if x.is_finite() && x > 0.0 { x } else { 0.0 }
        })
    };
    p90(s.work) + p90(s.wait)
}

/// Returns true if the step is on paper, uses a paper document, or re-keys from or into one.
fn is_paper_touch(model: &Model, s: &Step) -> bool {
    let paper_doc = |d: usize| model.documents.get(d).is_some_and(|d| d.medium.is_paper());
    s.medium == Some(Medium::Paper)
        || s.docs.iter().any(|u| paper_doc(u.doc))
        || s.transcription.as_ref().is_some_and(|t| {
            [&t.from, &t.to]
                .into_iter()
                .any(|e| matches!(e, Endpoint::Document(d) if paper_doc(*d)))
        })
}

/// Returns true for steps at which a visit can begin: a resident in person, or a clerk marked
/// as meeting the resident in person (not an on-site inspection, which is not a visit).
fn is_visit_anchor(model: &Model, s: &Step) -> bool {
    let in_person = s.medium == Some(Medium::InPerson) || s.flags.visit;
    match actor_kind(model, s) {
        ActorKind::Resident => in_person,
        ActorKind::Staff | ActorKind::External => in_person && !s.flags.inspection,
        ActorKind::System | ActorKind::Rpa => false,
    }
}

/// Returns the system a step works in: `system=`, else the transcription's target system, else
/// the actor itself when it is a system.
fn system_of<'m>(model: &'m Model, s: &'m Step) -> Option<&'m str> {
    if let Some(sys) = &s.system {
        return Some(sys.trim());
    }
    if let Some(t) = &s.transcription
        && let Endpoint::System(name) = &t.to
    {
        return Some(name.trim());
    }
    model
        .actors
        .get(s.actor)
        .filter(|a| a.kind == ActorKind::System)
        .map(|a| a.name.trim())
}

/// Returns the fields a document use concerns (all of the document's when none are listed).
fn use_fields(doc: &Document, fields: &[String]) -> Vec<String> {
    let list = if fields.is_empty() {
        &doc.fields
    } else {
        fields
    };
    let mut out: Vec<String> = Vec::new();
    for f in list {
        let f = f.trim();
        if !f.is_empty() && !out.iter().any(|x| x == f) {
            out.push(f.to_owned());
        }
    }
    out
}

fn ratio(part: f64, whole: f64) -> f64 {
    if whole > 0.0 { part / whole } else { 0.0 }
}

/// Returns `x` rounded to 6 decimals (stable output across platforms), 0 if not finite.
pub(crate) fn tidy(x: f64) -> f64 {
    if x.is_finite() {
        let r = (x * 1e6).round() / 1e6;
        if r == 0.0 { 0.0 } else { r }
    } else {
        0.0
    }
}

fn tidy_count(c: &mut Count) {
    c.expected = tidy(c.expected);
}

fn tidy_metrics(m: &mut Metrics) {
    let s = &mut m.steps;
    s.expected = tidy(s.expected);
    for c in [
        &mut s.by_actor_kind.resident,
        &mut s.by_actor_kind.staff,
        &mut s.by_actor_kind.external,
        &mut s.by_actor_kind.system,
        &mut s.by_actor_kind.rpa,
        &mut m.decisions,
        &mut m.paper_touchpoints,
        &mut m.visits,
        &mut m.handwriting.steps,
        &mut m.handwriting.fields,
        &mut m.systems.switches,
        &mut m.handoffs.between_people,
        &mut m.transcriptions.by_people,
    ] {
        tidy_count(c);
    }
    for x in [
        &mut m.handoffs.expected,
        &mut m.transcriptions.expected,
        &mut m.seals.expected,
        &mut m.process_time_minutes.total,
        &mut m.process_time_minutes.resident,
        &mut m.process_time_minutes.staff,
        &mut m.process_time_minutes.external,
        &mut m.process_time_minutes.automated,
        &mut m.lead_time_minutes,
        &mut m.lead_time_p90_minutes,
        &mut m.wait_minutes.total,
        &mut m.wait_minutes.resident_present,
        &mut m.activity_ratio,
        &mut m.resident_burden_minutes.total,
        &mut m.resident_burden_minutes.work,
        &mut m.resident_burden_minutes.wait,
        &mut m.resident_burden_minutes.travel,
        &mut m.digital_ratio.structural,
        &mut m.digital_ratio.expected,
        &mut m.automation_rate,
    ] {
        *x = tidy(*x);
    }
    for x in [
        &mut m.staff_hours_per_year,
        &mut m.fte,
        &mut m.volume_per_year,
    ]
    .into_iter()
    .flatten()
    {
        *x = tidy(*x);
    }
    if let Some(y) = &mut m.per_year {
        for x in [
            &mut y.handoffs,
            &mut y.paper_touchpoints,
            &mut y.visits,
            &mut y.transcriptions,
            &mut y.seals,
            &mut y.resident_hours,
            &mut y.staff_hours,
        ] {
            *x = tidy(*x);
        }
    }
}
