//! Facts about one model that several rules share: visits per step, neighbouring steps, office
//! visits (episodes), counters met, fields written, systems and decisions.
//!
//! Everything is computed once per model from the model, the expected visits `v(s)` and the
//! resident's presence per step that the graph stage provides; no rule walks the flow on its own,
//! and what an office visit or a counter is comes from the graph alone, so that `nagare stats`
//! and `nagare candidates` always count the same visits.

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use nagare_graph::StepPresence;
use nagare_model::{
    ActorKind, DocMedium, DocRole, DocUse, EdgeKind, Endpoint, Medium, Model, Node, NodeId, Step,
    StepId, StepKind,
};

use crate::settings::CandidateSettings;

/// Shared, precomputed facts about one model.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    pub model: &'a Model,
    pub settings: &'a CandidateSettings,
    visits: Vec<f64>,
    preds: Vec<Vec<StepId>>,
    succs: Vec<Vec<StepId>>,
    /// Steps at which an office visit can begin (the graph's presence chain), in declaration order.
    pub visit_starts: Vec<StepId>,
    /// For each visit start, the in-person resident steps of the visits begun there (including
    /// the start, when it is one).
    pub visit_members: BTreeMap<StepId, BTreeSet<StepId>>,
    /// Staff steps that serve the resident in person (the city's counters), in declaration order.
    pub counter_steps: Vec<StepId>,
    /// Per step: the graph's presence answer (visits begun, passes at the office, counter).
    presence: Vec<StepPresence>,
    /// Distinct system names: system/RPA actors, `システム=` values and transcription endpoints.
    pub systems: BTreeSet<String>,
    /// Decision points: decision steps and steps with labelled branches.
    pub decisions: usize,
    /// For each parallel branch, the steps inside it (up to its block's join).
    parallel_branches: Vec<(usize, BTreeSet<StepId>)>,
    /// Forward reach of each step asked about so far, as a bitset over steps: found once per
    /// step, so checking every pair of writings of a field is linear per pair, not a search.
    reach: RefCell<BTreeMap<StepId, Rc<Vec<u64>>>>,
    /// [`Self::duplicate_fields`], asked by several rules.
    duplicates: OnceCell<(Vec<String>, usize, BTreeSet<StepId>)>,
}

impl<'a> Ctx<'a> {
    /// Returns the facts of `model`; `visits[s]` is v(s), and a missing entry counts as 1;
    /// `presence[s]` is the graph's presence answer for step `s` (what an office visit is).
    pub fn new(
        model: &'a Model,
        visits: &[f64],
        presence: &[StepPresence],
        settings: &'a CandidateSettings,
    ) -> Self {
        let visits = (0..model.steps.len())
            .map(|s| {
                visits
                    .get(s)
                    .copied()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .unwrap_or(1.0)
            })
            .collect();
        let (preds, succs) = neighbours(model);
        let mut ctx = Self {
            model,
            settings,
            visits,
            preds,
            succs,
            visit_starts: Vec::new(),
            visit_members: BTreeMap::new(),
            counter_steps: Vec::new(),
            presence: presence.to_vec(),
            systems: systems(model),
            decisions: decisions(model),
            parallel_branches: parallel_branches(model),
            reach: RefCell::new(BTreeMap::new()),
            duplicates: OnceCell::new(),
        };
        ctx.find_visits();
        ctx.find_counters();
        ctx
    }

    /// Returns the expected office visits per case that begin at step `s`.
    pub fn visit_starts_at(&self, s: StepId) -> f64 {
        self.presence.get(s).map_or(0.0, |p| p.visit_starts)
    }

    /// Returns the expected passes of step `s` per case during which the resident is at the office.
    pub fn present_at(&self, s: StepId) -> f64 {
        self.presence.get(s).map_or(0.0, |p| p.present)
    }

    /// Returns v(s), the expected executions of step `s` per case.
    pub fn v(&self, s: StepId) -> f64 {
        self.visits.get(s).copied().unwrap_or(1.0)
    }

    /// Returns the annual volume, if stated and positive.
    pub fn volume(&self) -> Option<f64> {
        self.model
            .process
            .volume_per_year
            .filter(|v| v.is_finite() && *v > 0.0)
    }

    /// Returns the step's key.
    pub fn key(&self, s: StepId) -> String {
        self.model.steps[s].key.clone()
    }

    pub fn step(&self, s: StepId) -> &'a Step {
        &self.model.steps[s]
    }

    pub fn actor_kind(&self, s: StepId) -> ActorKind {
        self.model
            .actors
            .get(self.model.steps[s].actor)
            .map_or(ActorKind::Staff, |a| a.kind)
    }

    pub fn is_resident(&self, s: StepId) -> bool {
        self.actor_kind(s) == ActorKind::Resident
    }

    pub fn is_staff(&self, s: StepId) -> bool {
        self.actor_kind(s) == ActorKind::Staff
    }

    /// Returns the typical work minutes of a step (0 when not stated).
    pub fn work(&self, s: StepId) -> f64 {
        self.model.steps[s].work.map_or(0.0, |m| m.p50.max(0.0))
    }

    /// Returns the typical wait minutes of a step (0 when not stated).
    pub fn wait(&self, s: StepId) -> f64 {
        self.model.steps[s].wait.map_or(0.0, |m| m.p50.max(0.0))
    }

    /// Returns true if a resident step happens in person at the office.
    pub fn in_person_resident(&self, s: StepId) -> bool {
        let step = &self.model.steps[s];
        self.is_resident(s) && (step.flags.visit || step.medium == Some(Medium::InPerson))
    }

    /// Returns true if a resident step uses an analogue channel: paper, in person, post, fax or
    /// phone, or fills/attaches a paper document.
    pub fn analogue_resident(&self, s: StepId) -> bool {
        if !self.is_resident(s) || self.model.steps[s].kind != StepKind::Task {
            return false;
        }
        let step = &self.model.steps[s];
        let analogue_medium = matches!(
            step.medium,
            Some(Medium::Paper | Medium::InPerson | Medium::Mail | Medium::Fax | Medium::Phone)
        );
        let paper_doc = step.docs.iter().any(|u| {
            matches!(u.role, DocRole::Fill | DocRole::Attach)
                && self.doc_medium(u.doc).is_some_and(DocMedium::is_paper)
        });
        step.flags.visit || analogue_medium || paper_doc
    }

    pub fn doc_medium(&self, doc: usize) -> Option<DocMedium> {
        self.model.documents.get(doc).map(|d| d.medium)
    }

    pub fn doc_name(&self, doc: usize) -> &'a str {
        self.model
            .documents
            .get(doc)
            .map_or("?", |d| d.name.as_str())
    }

    pub fn doc_gov_held(&self, doc: usize) -> bool {
        self.model.documents.get(doc).is_some_and(|d| d.gov_held)
    }

    /// Returns the fields a document use concerns (all of the document's fields when none listed).
    pub fn use_fields(&self, u: &DocUse) -> Vec<String> {
        if u.fields.is_empty() {
            self.model
                .documents
                .get(u.doc)
                .map(|d| d.fields.clone())
                .unwrap_or_default()
        } else {
            u.fields.clone()
        }
    }

    /// Returns each field the resident writes with every writing of it: (step, document) in
    /// declaration order, each pair once (field names compared after trimming; fields in order
    /// of their first writing).
    pub fn resident_writes(&self) -> Vec<(String, Vec<(StepId, usize)>)> {
        let mut out: Vec<(String, Vec<(StepId, usize)>)> = Vec::new();
        for (s, step) in self.model.steps.iter().enumerate() {
            if !self.is_resident(s) {
                continue;
            }
            for u in step.docs.iter().filter(|u| u.role == DocRole::Fill) {
                for field in self.use_fields(u) {
                    let field = field.trim();
                    if field.is_empty() {
                        continue;
                    }
                    let at = (s, u.doc);
                    match out.iter_mut().find(|(f, _)| f == field) {
                        Some((_, writes)) if writes.contains(&at) => {}
                        Some((_, writes)) => writes.push(at),
                        None => out.push((field.to_owned(), vec![at])),
                    }
                }
            }
        }
        out
    }

    /// Returns how many fields the resident writes in one case: each field once, plus each
    /// repeated writing ([`Self::duplicate_fields`]). Forms on alternative branches are not
    /// added up: a case fills only one of them.
    pub fn fields_written(&self) -> usize {
        self.resident_writes().len() + self.duplicate_fields().1
    }

    /// Returns the fields the resident writes more than once in the same case, with the number
    /// of repeated writings and the steps where they are written. A writing repeats a field when
    /// an earlier writing (in declaration order) is at a step of the same case
    /// ([`Self::same_case`]), on another document or at another step (a second copy of the
    /// same form for a second child). Forms on alternative branches (counter or post) are not
    /// both written, so they are no repeat; a send-back repeats a step, which v(s) counts.
    pub fn duplicate_fields(&self) -> (Vec<String>, usize, BTreeSet<StepId>) {
        self.duplicates
            .get_or_init(|| self.find_duplicate_fields())
            .clone()
    }

    fn find_duplicate_fields(&self) -> (Vec<String>, usize, BTreeSet<StepId>) {
        let mut names = Vec::new();
        let mut repeats = 0;
        let mut steps = BTreeSet::new();
        for (field, writes) in self.resident_writes() {
            let mut found = false;
            for (i, &(s, _)) in writes.iter().enumerate() {
                let earlier: Vec<StepId> = writes[..i]
                    .iter()
                    .map(|&(e, _)| e)
                    .filter(|&e| self.same_case(e, s))
                    .collect();
                if !earlier.is_empty() {
                    repeats += 1;
                    found = true;
                    steps.extend(earlier);
                    steps.insert(s);
                }
            }
            if found {
                names.push(field);
            }
        }
        (names, repeats, steps)
    }

    /// Returns true if steps `a` and `b` can both happen in one case: they are the same step,
    /// one follows the other (send-backs aside), or they lie on different branches of one
    /// parallel block. Steps on alternative branches of a decision are never both done.
    pub fn same_case(&self, a: StepId, b: StepId) -> bool {
        if a == b {
            return true;
        }
        if self.reaches(a, b) || self.reaches(b, a) {
            return true;
        }
        self.parallel_branches.iter().any(|(block, steps)| {
            steps.contains(&a)
                && self
                    .parallel_branches
                    .iter()
                    .any(|(other, o)| other == block && o != steps && o.contains(&b))
        })
    }

    /// Returns true if step `to` can be reached from step `from` going forward (send-backs
    /// excluded). Searched on demand: only repeated fields and attachments ask, so a large
    /// model does not pay for a table of every pair.
    fn reaches(&self, from: StepId, to: StepId) -> bool {
        let bits = self.reach_of(from);
        bits.get(to / 64).is_some_and(|w| w & (1 << (to % 64)) != 0)
    }

    /// Returns the steps reachable from `from` (not counting itself unless on a cycle), as a
    /// bitset; searched once per step and kept.
    fn reach_of(&self, from: StepId) -> Rc<Vec<u64>> {
        if let Some(bits) = self.reach.borrow().get(&from) {
            return Rc::clone(bits);
        }
        let n = self.model.steps.len();
        let mut bits = vec![0u64; n.div_ceil(64)];
        let mut stack: Vec<StepId> = self.succs(from).to_vec();
        while let Some(s) = stack.pop() {
            let (word, bit) = (s / 64, 1u64 << (s % 64));
            if s < n && bits[word] & bit == 0 {
                bits[word] |= bit;
                stack.extend(self.succs(s).iter().copied());
            }
        }
        let bits = Rc::new(bits);
        self.reach.borrow_mut().insert(from, Rc::clone(&bits));
        bits
    }

    /// Returns the immediate predecessor steps (send-backs excluded, non-step nodes passed through).
    pub fn preds(&self, s: StepId) -> &[StepId] {
        self.preds.get(s).map_or(&[], Vec::as_slice)
    }

    /// Returns the immediate successor steps (send-backs excluded, non-step nodes passed through).
    pub fn succs(&self, s: StepId) -> &[StepId] {
        self.succs.get(s).map_or(&[], Vec::as_slice)
    }

    /// Returns true if the step is on a rework loop (it runs more than once per case on average).
    pub fn in_rework(&self, s: StepId) -> bool {
        self.v(s) > 1.0 + 1e-9
    }

    /// Returns true if `name` is a spreadsheet (a roster kept in Excel).
    pub fn is_spreadsheet(name: &str) -> bool {
        let lower = name.to_lowercase();
        ["excel", "エクセル", "表計算", "spreadsheet"]
            .iter()
            .any(|w| lower.contains(w))
    }

    /// Returns true if `name` is a declared system or RPA actor (a core system with stable screens).
    pub fn is_declared_system(&self, name: &str) -> bool {
        self.model
            .actors
            .iter()
            .any(|a| a.kind.is_automated() && a.name == name)
    }

    /// Returns the departments of staff actors (distinct, sorted).
    pub fn departments(&self) -> BTreeSet<String> {
        self.model
            .actors
            .iter()
            .filter(|a| a.kind == ActorKind::Staff)
            .filter_map(|a| a.department.clone())
            .collect()
    }

    /// Reads the office visits off the graph's presence chain: the steps where a visit can
    /// begin, and for each the in-person resident steps of the visits begun there.
    fn find_visits(&mut self) {
        for s in 0..self.model.steps.len() {
            let Some(p) = self.presence.get(s) else {
                continue;
            };
            if p.visit_starts <= 0.0 {
                continue;
            }
            self.visit_starts.push(s);
            let members: BTreeSet<StepId> = p
                .same_visit
                .iter()
                .copied()
                .filter(|&m| self.in_person_resident(m))
                .collect();
            self.visit_members.insert(s, members);
        }
    }

    /// Reads the counters off the graph's presence chain: the city's staff steps at which the
    /// resident is served in person on some path. An external actor met in person (a clinic,
    /// the previous municipality) is in the graph's `counters` metric, but no counter of this
    /// city can take over its work, so the one-stop rule does not count it.
    fn find_counters(&mut self) {
        self.counter_steps = (0..self.model.steps.len())
            .filter(|&s| self.is_staff(s) && self.presence.get(s).is_some_and(|p| p.counter))
            .collect();
    }
}

/// Returns the immediate predecessor and successor steps of every step, passing through start,
/// split, join and end nodes and ignoring send-back edges (a send-back is rework, not order).
fn neighbours(model: &Model) -> (Vec<Vec<StepId>>, Vec<Vec<StepId>>) {
    let n = model.steps.len();
    let mut preds = vec![Vec::new(); n];
    let mut succs = vec![Vec::new(); n];
    for (s, list) in succs.iter_mut().enumerate() {
        if let Some(node) = model.flow.node_of_step(s) {
            *list = reach(model, node, true);
        }
    }
    for (s, list) in preds.iter_mut().enumerate() {
        if let Some(node) = model.flow.node_of_step(s) {
            *list = reach(model, node, false);
        }
    }
    (preds, succs)
}

/// Returns the nearest step nodes forward (or backward) from `node`, in edge order.
fn reach(model: &Model, node: NodeId, forward: bool) -> Vec<StepId> {
    let mut found = Vec::new();
    let mut seen = BTreeSet::from([node]);
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        let next: Vec<NodeId> = model
            .flow
            .edges
            .iter()
            .filter(|e| e.kind != EdgeKind::SendBack)
            .filter_map(|e| {
                if forward && e.from == current {
                    Some(e.to)
                } else if !forward && e.to == current {
                    Some(e.from)
                } else {
                    None
                }
            })
            .collect();
        for m in next.into_iter().rev() {
            if !seen.insert(m) {
                continue;
            }
            match model.flow.nodes.get(m) {
                Some(Node::Step { step }) if !found.contains(step) => found.push(*step),
                Some(Node::Step { .. }) | None => {}
                Some(_) => stack.push(m),
            }
        }
    }
    found.sort_unstable();
    found
}

/// Returns the distinct system names of a model.
fn systems(model: &Model) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = model
        .actors
        .iter()
        .filter(|a| a.kind.is_automated())
        .map(|a| a.name.clone())
        .collect();
    for step in &model.steps {
        if let Some(system) = &step.system {
            names.insert(system.clone());
        }
        if let Some(t) = &step.transcription {
            for e in [&t.from, &t.to] {
                if let Endpoint::System(name) = e {
                    names.insert(name.clone());
                }
            }
        }
    }
    names
}

/// Returns the number of decision points: decision steps and steps with labelled branches.
fn decisions(model: &Model) -> usize {
    (0..model.steps.len())
        .filter(|&s| {
            model.steps[s].kind == StepKind::Decision
                || model.flow.node_of_step(s).is_some_and(|node| {
                    model
                        .flow
                        .outgoing(node)
                        .any(|e| e.kind == EdgeKind::Branch || e.label.is_some())
                })
        })
        .count()
}

/// Returns each parallel branch as (block, steps inside it): the steps reached from the split's
/// outgoing edge before the block's join.
fn parallel_branches(model: &Model) -> Vec<(usize, BTreeSet<StepId>)> {
    let mut out = Vec::new();
    for (node, kind) in model.flow.nodes.iter().enumerate() {
        let Node::Split { block, .. } = kind else {
            continue;
        };
        for edge in model.flow.outgoing(node) {
            let mut steps = BTreeSet::new();
            let mut seen = BTreeSet::from([node]);
            let mut stack = vec![edge.to];
            while let Some(current) = stack.pop() {
                if !seen.insert(current) {
                    continue;
                }
                match model.flow.nodes.get(current) {
                    Some(Node::Join { block: b, .. }) if b == block => continue,
                    Some(Node::Step { step }) => {
                        steps.insert(*step);
                    }
                    _ => {}
                }
                stack.extend(
                    model
                        .flow
                        .outgoing(current)
                        .filter(|e| e.kind != EdgeKind::SendBack)
                        .map(|e| e.to),
                );
            }
            out.push((*block, steps));
        }
    }
    out
}
