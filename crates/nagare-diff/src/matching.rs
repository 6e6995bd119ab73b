//! Step matching between two models, strongest evidence first: the same explicit id, the To-Be
//! file's own links (`置換`, `削除`), then an assignment on label, actor, document and position
//! similarity with a cut-off, and finally merges and splits among what is left.
//!
//! Candidates for the automatic phase come from an inverted index by label bigram, so large models
//! are not compared pair by pair. The assignment is solved exactly (Hungarian algorithm) per
//! connected component of the candidate graph; a component too large for O(n³) falls back to
//! greedy best-first with a total tie-break order (score, then As-Is index, then To-Be index).

use std::collections::HashMap;

use nagare_model::{ActorKind, Model, Removal, Step, StepId};
use nagare_syntax::{Diagnostic, Span, Text};

use crate::text::{Signature, common, containment, signature, similarity};
use crate::types::MatchKind;

/// A pair below this label similarity is never matched automatically, however well actor and
/// position agree: two unrelated tasks of one clerk must stay apart.
pub(crate) const LABEL_FLOOR: f64 = 0.3;
/// The cut-off on the combined score for automatic 1:1 matches.
pub(crate) const CUTOFF: f64 = 0.55;
/// How much of a step's label must reappear in a larger step for a merge or split.
pub(crate) const CONTAINMENT: f64 = 0.45;
/// How many index hits per step are scored in full: the ones sharing the most label bigrams.
/// Models drawn by hand rarely reach it; generated or merged portfolios would otherwise score
/// thousands of pairs per step.
const BLOCK: usize = 24;
/// Components of the candidate graph up to this size (on their smaller side) are solved exactly.
const HUNGARIAN_LIMIT: usize = 150;

/// One model prepared for comparison.
#[derive(Debug)]
pub(crate) struct Side<'m> {
    pub model: &'m Model,
    pub sigs: Vec<Signature>,
    /// The names of the documents each step uses, sorted and deduplicated.
    pub docs: Vec<Vec<&'m str>>,
}

impl<'m> Side<'m> {
    pub(crate) fn new(model: &'m Model) -> Self {
        let sigs = model.steps.iter().map(|s| signature(&s.label)).collect();
        let docs = model
            .steps
            .iter()
            .map(|s| {
                let mut names: Vec<&str> = s
                    .docs
                    .iter()
                    .filter_map(|u| model.documents.get(u.doc).map(|d| d.name.as_str()))
                    .collect();
                names.sort_unstable();
                names.dedup();
                names
            })
            .collect();
        Self { model, sigs, docs }
    }

    pub(crate) fn actor_name(&self, step: StepId) -> &'m str {
        self.model
            .actors
            .get(self.model.steps[step].actor)
            .map_or("", |a| a.name.as_str())
    }

    pub(crate) fn actor_kind(&self, step: StepId) -> ActorKind {
        self.model
            .actors
            .get(self.model.steps[step].actor)
            .map_or(ActorKind::Staff, |a| a.kind)
    }

    #[allow(clippy::cast_precision_loss)] // step counts are far below 2^52
    fn position(&self, step: StepId) -> f64 {
        let n = self.model.steps.len();
        if n <= 1 {
            0.5
        } else {
            step as f64 / (n - 1) as f64
        }
    }

    fn step_by_id(&self, id: &str) -> Option<StepId> {
        self.model
            .steps
            .iter()
            .position(|s| s.id.as_deref() == Some(id))
            .or_else(|| self.model.steps.iter().position(|s| s.key == id))
    }
}

/// Returns the combined similarity of As-Is step `i` and To-Be step `j`, and their label
/// similarity alone.
///
/// Weights: label 0.6, actor 0.2 (same name 1, same kind ½), position in the flow 0.1, shared
/// documents 0.1 (Jaccard; left out and the rest rescaled when neither step uses a document, so
/// document-less models are not penalised).
#[allow(clippy::cast_precision_loss)] // document counts are tiny
pub(crate) fn pair_score(a: &Side, i: StepId, b: &Side, j: StepId) -> (f64, f64) {
    let label = similarity(&a.sigs[i], &b.sigs[j]);
    let actor = if a.actor_name(i) == b.actor_name(j) {
        1.0
    } else if a.actor_kind(i) == b.actor_kind(j) {
        0.5
    } else {
        0.0
    };
    let position = 1.0 - (a.position(i) - b.position(j)).abs();
    let (da, db) = (&a.docs[i], &b.docs[j]);
    let score = if da.is_empty() && db.is_empty() {
        (0.6 * label + 0.2 * actor + 0.1 * position) / 0.9
    } else {
        let shared = common(da, db) as f64;
        let union = (da.len() + db.len()) as f64 - shared;
        let jaccard = if union > 0.0 { shared / union } else { 0.0 };
        0.6 * label + 0.2 * actor + 0.1 * position + 0.1 * jaccard
    };
    (score, label)
}

/// A set of As-Is and To-Be steps that correspond.
#[derive(Debug, Clone, Default)]
pub(crate) struct Group {
    pub as_is: Vec<StepId>,
    pub to_be: Vec<StepId>,
    pub links: Vec<(StepId, StepId, MatchKind)>,
}

/// The outcome of matching.
#[derive(Debug, Default)]
pub(crate) struct Matching {
    pub groups: Vec<Group>,
    /// Unmatched As-Is steps with the `削除:` reason, if declared.
    pub removed: Vec<(StepId, Option<String>)>,
    /// Unmatched To-Be steps.
    pub added: Vec<StepId>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Union-find over As-Is steps `0..n_a` followed by To-Be steps.
struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The smaller root wins so that the result does not depend on union order.
        if ra < rb {
            self.0[rb] = ra;
        } else {
            self.0[ra] = rb;
        }
    }
}

/// Returns the groups formed by the connected components of `edges` (As-Is, To-Be pairs), ordered
/// by their smallest member.
fn components(n_a: usize, n_t: usize, edges: &[(StepId, StepId, MatchKind)]) -> Vec<Group> {
    let mut uf = UnionFind((0..n_a + n_t).collect());
    for &(a, t, _) in edges {
        uf.union(a, n_a + t);
    }
    let mut by_root: Vec<Option<usize>> = vec![None; n_a + n_t];
    let mut groups: Vec<Group> = Vec::new();
    let mut member = vec![false; n_a + n_t];
    for &(a, t, _) in edges {
        member[a] = true;
        member[n_a + t] = true;
    }
    for node in (0..n_a + n_t).filter(|&n| member[n]) {
        let root = uf.find(node);
        let index = *by_root[root].get_or_insert_with(|| {
            groups.push(Group::default());
            groups.len() - 1
        });
        if node < n_a {
            groups[index].as_is.push(node);
        } else {
            groups[index].to_be.push(node - n_a);
        }
    }
    for &(a, t, kind) in edges {
        if let Some(index) = by_root[uf.find(a)] {
            groups[index].links.push((a, t, kind));
        }
    }
    groups
}

/// Returns the span of a To-Be step's own id token, when the step has that id and a real span: the
/// step's span starts at its id (`S3 窓口: …`).
fn id_span(step: &Step, id: &str) -> Option<Span> {
    let start = step.span.start as usize;
    let end = start + id.len();
    (step.id.as_deref() == Some(id) && end <= step.span.end as usize).then(|| Span::new(start, end))
}

/// Returns the span of a To-Be step's attribute list (`[置換 S3, …]`): from the end of its label to
/// the end of the step. The model keeps no span per attribute value, so this is as close to the
/// `置換` id as the comparison can point; the whole step when the list cannot be located.
fn attrs_span(step: &Step) -> Span {
    if step.label_span.end > step.label_span.start && step.label_span.end < step.span.end {
        Span::new(step.label_span.end as usize, step.span.end as usize)
    } else {
        step.span
    }
}

/// W0601: `置換 id` names no As-Is step.
fn unknown_replaced(step: &Step, id: &str) -> Diagnostic {
    Diagnostic::warning(
        "W0601",
        attrs_span(step),
        Text::new(
            format!("置換先の {id} が As-Is にありません"),
            format!("`replaces {id}`: the As-Is has no step {id}"),
        ),
    )
    .with_label_message(Text::new(
        format!("この手順の「置換 {id}」"),
        format!("`replaces {id}` of this step"),
    ))
    .with_hint(Text::new(
        format!("As-Is の手順 ID を確認するか、置換 から {id} を外してください"),
        format!("check the As-Is step ids, or remove {id} from `replaces`"),
    ))
}

/// W0602: `削除: id` names no As-Is step.
fn unknown_removed(removal: &Removal, id: &str) -> Diagnostic {
    Diagnostic::warning(
        "W0602",
        removal.span,
        Text::new(
            format!("削除する {id} が As-Is にありません"),
            format!("`removed {id}`: the As-Is has no step {id}"),
        ),
    )
    .with_label_message(Text::new(
        format!("{id} はこの削除行にあります"),
        format!("{id} is in this removal line"),
    ))
    .with_hint(Text::new(
        format!("As-Is の手順 ID を確認するか、削除: から {id} を外してください"),
        format!("check the As-Is step ids, or remove {id} from `removed:`"),
    ))
}

/// W0603: `削除: id` while a To-Be step keeps the id or replaces it. The primary span is on that
/// To-Be step (its id token, or its attribute list for `置換`), the removal line is secondary.
fn removed_but_kept(removal: &Removal, id: &str, keeper: Option<(&Step, MatchKind)>) -> Diagnostic {
    let message = Text::new(
        format!("{id} は削除とされていますが、To-Be に同じ ID か置換があります"),
        format!("{id} is declared removed but a To-Be step has its id or replaces it"),
    );
    let removal_label = Text::new(
        format!("ここで {id} を削除としています"),
        format!("{id} is declared removed here"),
    );
    let Some((step, kind)) = keeper else {
        return Diagnostic::warning("W0603", removal.span, message)
            .with_label_message(removal_label)
            .with_hint(Text::new(
                format!("削除: から {id} を外すか、To-Be の {id} を外してください"),
                format!("remove {id} from `removed:` or from the To-Be"),
            ));
    };
    let (span, label, hint) = if kind == MatchKind::Id {
        (
            id_span(step, id).unwrap_or(step.span),
            Text::new(
                format!("To-Be の手順 {id} が同じ ID です"),
                format!("To-Be step {id} has the same id"),
            ),
            Text::new(
                format!("削除: から {id} を外すか、To-Be の手順に別の ID を付けてください"),
                format!("remove {id} from `removed:`, or give the To-Be step another id"),
            ),
        )
    } else {
        (
            attrs_span(step),
            Text::new(
                format!("手順 {} が {id} を置換しています", step.key),
                format!("step {} replaces {id}", step.key),
            ),
            Text::new(
                format!("削除: か 置換 のどちらかから {id} を外してください"),
                format!("remove {id} from `removed:` or from `replaces`"),
            ),
        )
    };
    Diagnostic::warning("W0603", span, message)
        .with_label_message(label)
        .with_secondary(removal.span, removal_label)
        .with_hint(hint)
}

/// Matches the steps of `a` (As-Is) and `b` (To-Be).
pub(crate) fn match_steps(a: &Side, b: &Side) -> Matching {
    let (n_a, n_t) = (a.model.steps.len(), b.model.steps.len());
    let mut diagnostics = Vec::new();

    // Phase 1: the same explicit id.
    let mut explicit: Vec<(StepId, StepId, MatchKind)> = Vec::new();
    let mut id_index: HashMap<&str, StepId> = HashMap::new();
    for (i, step) in a.model.steps.iter().enumerate() {
        if let Some(id) = step.id.as_deref() {
            id_index.entry(id).or_insert(i);
        }
    }
    for (j, step) in b.model.steps.iter().enumerate() {
        if let Some(&i) = step.id.as_deref().and_then(|id| id_index.get(id)) {
            explicit.push((i, j, MatchKind::Id));
        }
    }

    // Phase 2: the To-Be file's links.
    for (j, step) in b.model.steps.iter().enumerate() {
        for id in &step.replaces {
            match a.step_by_id(id) {
                Some(i) if !explicit.iter().any(|&(x, y, _)| x == i && y == j) => {
                    explicit.push((i, j, MatchKind::Link));
                }
                Some(_) => {}
                None => diagnostics.push(unknown_replaced(step, id)),
            }
        }
    }
    let mut in_explicit = vec![false; n_a];
    let mut t_explicit = vec![false; n_t];
    for &(i, j, _) in &explicit {
        in_explicit[i] = true;
        t_explicit[j] = true;
    }

    let mut removed_reason: Vec<Option<Option<String>>> = vec![None; n_a];
    for removal in &b.model.removed {
        for id in &removal.step_ids {
            match a.step_by_id(id) {
                None => diagnostics.push(unknown_removed(removal, id)),
                Some(i) if in_explicit[i] => {
                    // The To-Be step that keeps the id or replaces it: where the conflict shows.
                    let keeper = explicit
                        .iter()
                        .find(|&&(x, _, _)| x == i)
                        .map(|&(_, j, kind)| (&b.model.steps[j], kind));
                    diagnostics.push(removed_but_kept(removal, id, keeper));
                }
                Some(i) => {
                    if removed_reason[i].is_none() {
                        let reason =
                            Some(removal.reason.trim().to_owned()).filter(|r| !r.is_empty());
                        removed_reason[i] = Some(reason);
                    }
                }
            }
        }
    }

    // Phase 3: assignment of the remaining steps.
    let free_a: Vec<StepId> = (0..n_a)
        .filter(|&i| !in_explicit[i] && removed_reason[i].is_none())
        .collect();
    let free_t: Vec<StepId> = (0..n_t).filter(|&j| !t_explicit[j]).collect();
    let candidates = candidates(a, &free_a, b, &free_t);
    let auto = assign(n_a, n_t, &candidates);

    let mut edges = explicit;
    edges.extend(auto.iter().map(|&(i, j)| (i, j, MatchKind::Auto)));
    let mut groups = components(n_a, n_t, &edges);

    // Phase 4: merges and splits among the leftovers.
    merge_and_split(a, b, &mut groups, &removed_reason);

    let mut a_done = vec![false; n_a];
    let mut t_done = vec![false; n_t];
    for g in &groups {
        g.as_is.iter().for_each(|&i| a_done[i] = true);
        g.to_be.iter().for_each(|&j| t_done[j] = true);
    }
    let removed = (0..n_a)
        .filter(|&i| !a_done[i])
        .map(|i| (i, removed_reason[i].clone().flatten()))
        .collect();
    let added = (0..n_t).filter(|&j| !t_done[j]).collect();
    Matching {
        groups,
        removed,
        added,
        diagnostics,
    }
}

/// Returns how many steps may share a bigram before the bigram stops proposing candidates: common
/// endings (`する`) would otherwise pair every step with every other in a large model. Pairs that
/// only share such bigrams are far below the label floor anyway.
fn stop_limit(n: usize) -> usize {
    64.max(n.isqrt() * 4)
}

/// An inverted index from label bigram to steps.
struct BigramIndex {
    postings: HashMap<u64, Vec<StepId>>,
    limit: usize,
}

impl BigramIndex {
    fn new(side: &Side, steps: &[StepId]) -> Self {
        let mut postings: HashMap<u64, Vec<StepId>> = HashMap::new();
        for &s in steps {
            for &g in &side.sigs[s].bigrams {
                postings.entry(g).or_default().push(s);
            }
        }
        Self {
            postings,
            limit: stop_limit(steps.len()),
        }
    }

    /// Returns the indexed steps sharing the most selective bigrams with `sig` (at most
    /// [`BLOCK`], ties by index), ascending by index. `counts` is scratch space, all zero.
    fn lookup(&self, sig: &Signature, counts: &mut [u32]) -> Vec<StepId> {
        let mut touched = Vec::new();
        for g in &sig.bigrams {
            if let Some(list) = self.postings.get(g).filter(|l| l.len() <= self.limit) {
                for &s in list {
                    if counts[s] == 0 {
                        touched.push(s);
                    }
                    counts[s] += 1;
                }
            }
        }
        let mut ranked: Vec<(u32, StepId)> = touched.iter().map(|&s| (counts[s], s)).collect();
        for &s in &touched {
            counts[s] = 0;
        }
        if ranked.len() > BLOCK {
            ranked.select_nth_unstable_by(BLOCK - 1, |x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
            ranked.truncate(BLOCK);
        }
        let mut out: Vec<StepId> = ranked.into_iter().map(|(_, s)| s).collect();
        out.sort_unstable();
        out
    }
}

/// Returns the candidate pairs (As-Is, To-Be, score) above the cut-off, sorted by As-Is then To-Be.
fn candidates(
    a: &Side,
    free_a: &[StepId],
    b: &Side,
    free_t: &[StepId],
) -> Vec<(StepId, StepId, f64)> {
    let index = BigramIndex::new(a, free_a);
    let mut counts = vec![0u32; a.model.steps.len()];
    let mut out = Vec::new();
    for &j in free_t {
        for i in index.lookup(&b.sigs[j], &mut counts) {
            let (score, label) = pair_score(a, i, b, j);
            if label >= LABEL_FLOOR && score >= CUTOFF {
                out.push((i, j, score));
            }
        }
    }
    out.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)));
    out
}

/// Solves the assignment on the candidate pairs: exactly per connected component when small
/// enough, else greedily. Returns the chosen (As-Is, To-Be) pairs.
fn assign(n_a: usize, n_t: usize, candidates: &[(StepId, StepId, f64)]) -> Vec<(StepId, StepId)> {
    let mut uf = UnionFind((0..n_a + n_t).collect());
    for &(i, j, _) in candidates {
        uf.union(i, n_a + j);
    }
    let mut by_root: HashMap<usize, Vec<(StepId, StepId, f64)>> = HashMap::new();
    for &c in candidates {
        by_root.entry(uf.find(c.0)).or_default().push(c);
    }
    let mut roots: Vec<usize> = by_root.keys().copied().collect();
    roots.sort_unstable();
    let mut chosen = Vec::new();
    for root in roots {
        let component = &by_root[&root];
        let mut rows: Vec<StepId> = component.iter().map(|c| c.0).collect();
        let mut cols: Vec<StepId> = component.iter().map(|c| c.1).collect();
        rows.sort_unstable();
        rows.dedup();
        cols.sort_unstable();
        cols.dedup();
        if rows.len().min(cols.len()) <= HUNGARIAN_LIMIT {
            chosen.extend(hungarian_component(&rows, &cols, component));
        } else {
            chosen.extend(greedy(component));
        }
    }
    chosen.sort_unstable();
    chosen
}

fn greedy(component: &[(StepId, StepId, f64)]) -> Vec<(StepId, StepId)> {
    let mut sorted = component.to_vec();
    sorted.sort_by(|x, y| y.2.total_cmp(&x.2).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1)));
    let mut used_a = std::collections::HashSet::new();
    let mut used_t = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (i, j, _) in sorted {
        if !used_a.contains(&i) && !used_t.contains(&j) {
            used_a.insert(i);
            used_t.insert(j);
            out.push((i, j));
        }
    }
    out
}

fn hungarian_component(
    rows: &[StepId],
    cols: &[StepId],
    component: &[(StepId, StepId, f64)],
) -> Vec<(StepId, StepId)> {
    // The smaller side becomes the rows; a missing pair costs 0, i.e. "leave unmatched".
    let transpose = rows.len() > cols.len();
    let (r, c) = if transpose {
        (cols, rows)
    } else {
        (rows, cols)
    };
    let mut cost = vec![vec![0.0; c.len()]; r.len()];
    for &(i, j, score) in component {
        let (x, y) = if transpose { (j, i) } else { (i, j) };
        if let (Ok(ri), Ok(ci)) = (r.binary_search(&x), c.binary_search(&y)) {
            cost[ri][ci] = -score;
        }
    }
    let assignment = hungarian(&cost);
    let mut out = Vec::new();
    for (ri, ci) in assignment.into_iter().enumerate() {
        if ci < c.len() && cost[ri][ci] < 0.0 {
            let (x, y) = (r[ri], c[ci]);
            out.push(if transpose { (y, x) } else { (x, y) });
        }
    }
    out
}

/// Returns, for each row, the column of a minimum-cost assignment (rows ≤ columns).
///
/// The classic O(n²m) shortest-augmenting-path form with potentials (Kuhn–Munkres).
pub(crate) fn hungarian(cost: &[Vec<f64>]) -> Vec<usize> {
    let n = cost.len();
    let m = cost.first().map_or(0, Vec::len);
    if n == 0 || m < n {
        return vec![usize::MAX; n];
    }
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; m + 1];
    let mut p = vec![0usize; m + 1];
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![f64::INFINITY; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0;
            for j in 1..=m {
                if !used[j] {
                    let cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            if j1 == 0 {
                // Only reachable with non-finite costs; stop rather than loop.
                break;
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut answer = vec![usize::MAX; n];
    for j in 1..=m {
        if p[j] != 0 {
            answer[p[j] - 1] = j - 1;
        }
    }
    answer
}

/// Returns the content characters of `whole` that `part` supplies.
fn supplied(part: &Signature, whole: &Signature) -> Vec<u32> {
    part.content
        .iter()
        .filter(|c| whole.content.binary_search(c).is_ok())
        .copied()
        .collect()
}

/// Adds leftover steps to groups as merges (several As-Is → one To-Be) or splits (one As-Is →
/// several To-Be).
///
/// A leftover As-Is step joins the To-Be step that contains most of its label (containment ≥
/// [`CONTAINMENT`]) only if it *explains* part of that label no other member explains: a content
/// character of the To-Be label that the group's other As-Is steps do not have. Without that rule a
/// dropped `申請書を確認する` would be "merged" into a kept `申請書を受け付ける` just for sharing
/// `申請書`. A leftover To-Be step with no group needs two such As-Is steps to form a merge.
/// Splits are the mirror image.
fn merge_and_split(
    a: &Side,
    b: &Side,
    groups: &mut Vec<Group>,
    removed_reason: &[Option<Option<String>>],
) {
    for flip in [false, true] {
        // In the first pass `from` is the As-Is (merges), in the second the To-Be (splits).
        let (from, to) = if flip { (b, a) } else { (a, b) };
        let (n_from, n_to) = (from.model.steps.len(), to.model.steps.len());
        let mut group_of_from: Vec<Option<usize>> = vec![None; n_from];
        let mut group_of_to: Vec<Option<usize>> = vec![None; n_to];
        for (g, group) in groups.iter().enumerate() {
            let (fs, ts) = if flip {
                (&group.to_be, &group.as_is)
            } else {
                (&group.as_is, &group.to_be)
            };
            fs.iter().for_each(|&s| group_of_from[s] = Some(g));
            ts.iter().for_each(|&s| group_of_to[s] = Some(g));
        }
        let leftovers: Vec<StepId> = (0..n_from)
            .filter(|&s| group_of_from[s].is_none())
            .filter(|&s| flip || removed_reason[s].is_none())
            .collect();
        if leftovers.is_empty() {
            continue;
        }
        let all_to: Vec<StepId> = (0..n_to)
            .filter(|&s| !flip || removed_reason[s].is_none())
            .collect();
        let index = BigramIndex::new(to, &all_to);
        let mut counts = vec![0u32; n_to];
        // Proposals: target step → (containment, leftover step).
        let mut proposals: Vec<(StepId, f64, StepId)> = Vec::new();
        for &s in &leftovers {
            let best = index
                .lookup(&from.sigs[s], &mut counts)
                .into_iter()
                .map(|t| (t, containment(&from.sigs[s], &to.sigs[t])))
                .filter(|&(_, c)| c >= CONTAINMENT)
                .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)));
            if let Some((t, c)) = best {
                proposals.push((t, c, s));
            }
        }
        proposals.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(&y.2)));
        let mut k = 0;
        while k < proposals.len() {
            let target = proposals[k].0;
            let end = proposals[k..]
                .iter()
                .position(|p| p.0 != target)
                .map_or(proposals.len(), |n| k + n);
            let members: Vec<StepId> = group_of_to[target].map_or_else(Vec::new, |g| {
                if flip {
                    groups[g].to_be.clone()
                } else {
                    groups[g].as_is.clone()
                }
            });
            let whole = &to.sigs[target];
            let mut covered: Vec<u32> = members
                .iter()
                .flat_map(|&m| supplied(&from.sigs[m], whole))
                .collect();
            let mut accepted = Vec::new();
            for &(_, _, s) in &proposals[k..end] {
                let adds = supplied(&from.sigs[s], whole);
                if adds.iter().any(|c| !covered.contains(c)) {
                    covered.extend(adds);
                    accepted.push(s);
                }
            }
            k = end;
            if members.len() + accepted.len() < 2 || accepted.is_empty() {
                continue;
            }
            let g = *group_of_to[target].get_or_insert_with(|| {
                let mut group = Group::default();
                if flip {
                    group.as_is.push(target);
                } else {
                    group.to_be.push(target);
                }
                groups.push(group);
                groups.len() - 1
            });
            for s in accepted {
                let (i, j) = if flip { (target, s) } else { (s, target) };
                groups[g].links.push((i, j, MatchKind::Auto));
                if flip {
                    groups[g].to_be.push(s);
                } else {
                    groups[g].as_is.push(s);
                }
            }
            groups[g].as_is.sort_unstable();
            groups[g].to_be.sort_unstable();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hungarian_finds_the_global_optimum_where_greedy_does_not() {
        // Greedy takes 0.8 and leaves row 1 alone (1.0 total); the optimum is 0.75 + 0.74.
        let cost = vec![vec![-0.8, -0.75], vec![-0.74, 0.0]];
        assert_eq!(hungarian(&cost), vec![1, 0]);
        let greedy = greedy(&[(0, 0, 0.8), (0, 1, 0.75), (1, 0, 0.74)]);
        assert_eq!(greedy, vec![(0, 0)]);
    }

    #[test]
    fn hungarian_handles_rectangles_and_empty() {
        assert_eq!(hungarian(&[vec![-1.0, -2.0, -0.5]]), vec![1]);
        assert!(hungarian(&[]).is_empty());
    }

    #[test]
    fn greedy_tie_break_is_by_index() {
        let out = greedy(&[(1, 1, 0.7), (0, 1, 0.7), (0, 0, 0.7)]);
        assert_eq!(out, vec![(0, 0), (1, 1)]);
    }
}
