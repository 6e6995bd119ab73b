//! Prints a [`Model`] as `.flow` text (docs/dsl.md), so that an imported BPMN diagram becomes a
//! file city staff can read and edit.
//!
//! A BPMN graph need not be structured, so the printer writes the flow as a chain of steps with
//! explicit jumps (`→ S3`) and one-line branches (`もし 不備あり 10%: → S1`); a parallel block is
//! written as `並行:` when each branch is structured (steps, nested `もし`, send-backs within the
//! branch, nested blocks), and otherwise as a choice between its branches with a comment saying
//! so. What the text cannot say is also returned as [`Notes`], which the importer reports.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use nagare_model::{ActorKind, DocMedium, EdgeKind, Model, Node, NodeId, Variant};

use crate::attributes::{number, one_line, step_attributes};

/// Returns `model` as `.flow` source text in Japanese keywords.
#[must_use]
pub fn to_flow_text(model: &Model) -> String {
    print(model).0
}

/// What the printed text could not say the way the model does; the importer turns each into
/// a warning, so that nothing is changed or dropped silently.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Notes {
    /// The flow starts on several paths: a choosing step (`X…`) was added.
    pub several_starts: bool,
    /// Parallel blocks written as a choice between their branches.
    pub parallel_as_choice: usize,
    /// Steps written as comment lines (`id actor: label`), unreachable from the start.
    pub unreachable: Vec<String>,
}

/// Returns `model` as `.flow` text, with what the text could not express.
pub(crate) fn print(model: &Model) -> (String, Notes) {
    let mut out = String::new();
    out.push_str(&header(model));
    let mut printer = Printer::new(model);
    printer.chain(nagare_model::Flow::START, None);
    let reachable = reachable(model);
    // Steps that are jump targets but not yet printed.
    for step in 0..model.steps.len() {
        if let Some(node) = model.flow.node_of_step(step)
            && reachable.contains(&node)
            && !printer.emitted.contains(&node)
        {
            printer.chain(node, None);
        }
    }
    // No path from the start reaches these: the DSL refuses unreachable steps, so they are kept
    // as comments for the user to place.
    for (step, s) in model.steps.iter().enumerate() {
        if model
            .flow
            .node_of_step(step)
            .is_none_or(|node| !reachable.contains(&node))
        {
            let line = format!(
                "{} {}: {}",
                printer.ids[step],
                model.actors.get(s.actor).map_or("?", |a| a.name.as_str()),
                one_line(&s.label)
            );
            let _ = writeln!(
                printer.out,
                "  # 開始から到達しない工程 / unreachable from the start: {line}"
            );
            printer.notes.unreachable.push(line);
        }
    }
    out.push_str("\n流れ:\n");
    out.push_str(&printer.out);
    (out, printer.notes)
}

/// Returns the nodes reachable from the start.
fn reachable(model: &Model) -> BTreeSet<NodeId> {
    let mut seen = BTreeSet::from([nagare_model::Flow::START]);
    let mut todo = vec![nagare_model::Flow::START];
    while let Some(node) = todo.pop() {
        for edge in model.flow.outgoing(node) {
            if seen.insert(edge.to) {
                todo.push(edge.to);
            }
        }
    }
    seen
}

fn header(model: &Model) -> String {
    let mut out = String::new();
    let process = &model.process;
    let _ = writeln!(out, "業務: {}", safe(&process.name));
    if !process.id.is_empty()
        && process
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        let _ = writeln!(out, "ID: {}", process.id);
    }
    let variant = match process.variant {
        Variant::AsIs => "As-Is",
        Variant::CanBe => "Can-Be",
        Variant::ToBe => "To-Be",
    };
    let _ = writeln!(out, "版: {variant}");
    if let Some(volume) = process.volume_per_year {
        let _ = writeln!(out, "件数: {}/年", number(volume));
    }
    if let Some(department) = &process.department {
        let _ = writeln!(out, "担当課: {}", safe(department));
    }
    if let Some(basis) = &process.legal_basis {
        let _ = writeln!(out, "根拠: {}", safe(basis));
    }
    for note in &process.notes {
        let _ = writeln!(out, "備考: {}", safe(note));
    }
    if process.national_priority {
        out.push_str("重点: はい\n");
    }
    if let Some(fee) = process.fee_yen {
        let _ = writeln!(out, "手数料: {}円", number(fee));
    }
    if process.online_payment {
        out.push_str("オンライン決済: はい\n");
    }
    out.push_str("\n担当:\n");
    for actor in &model.actors {
        let kind = match actor.kind {
            ActorKind::Resident => "住民",
            ActorKind::Staff => "職員",
            ActorKind::External => "外部",
            ActorKind::System => "システム",
            ActorKind::Rpa => "RPA",
        };
        let _ = write!(out, "  {}: {kind}", actor_name(&actor.name));
        if let Some(department) = &actor.department {
            let _ = write!(out, " ({})", safe(department));
        }
        out.push('\n');
    }
    if !model.documents.is_empty() {
        out.push_str("\n書類:\n");
        for document in &model.documents {
            let medium = match document.medium {
                DocMedium::PaperForm => "紙",
                DocMedium::Handwritten => "手書き",
                DocMedium::Printed => "印刷",
                DocMedium::Pdf => "PDF",
                DocMedium::Data => "データ",
            };
            let _ = write!(out, "  {}: {medium}", actor_name(&document.name));
            if document.gov_held {
                out.push_str(", 行政保有");
            }
            if !document.fields.is_empty() {
                let _ = write!(out, " [{}]", document.fields.join(", "));
            }
            out.push('\n');
        }
    }
    out
}

/// Returns free text on one line; text with `#` is quoted so it is not read as a comment.
fn safe(text: &str) -> String {
    let text = one_line(text);
    if text.contains(['#', '＃']) {
        format!("「{text}」")
    } else {
        text
    }
}

/// Returns a name usable before a colon (the first colon ends it).
fn actor_name(name: &str) -> String {
    safe(&name.replace([':', '：'], " "))
}

struct Printer<'a> {
    model: &'a Model,
    ids: Vec<String>,
    emitted: BTreeSet<NodeId>,
    out: String,
    synthetic: usize,
    notes: Notes,
    /// The parallel branch each printed step is in (0: outside every block): a jump may only
    /// go back to a step of its own branch (E0406, E0407).
    scope_of: BTreeMap<NodeId, usize>,
    /// The branches being printed, innermost last.
    scopes: Vec<usize>,
    next_scope: usize,
}

impl<'a> Printer<'a> {
    fn new(model: &'a Model) -> Self {
        let taken: BTreeSet<&str> = model.steps.iter().filter_map(|s| s.id.as_deref()).collect();
        let mut next = 1;
        let ids = model
            .steps
            .iter()
            .map(|step| match &step.id {
                Some(id) => id.clone(),
                None => loop {
                    let candidate = format!("S{next}");
                    next += 1;
                    if !taken.contains(candidate.as_str()) {
                        break candidate;
                    }
                },
            })
            .collect();
        Self {
            model,
            ids,
            emitted: BTreeSet::new(),
            out: String::new(),
            synthetic: 0,
            notes: Notes::default(),
            scope_of: BTreeMap::new(),
            scopes: Vec::new(),
            next_scope: 0,
        }
    }

    fn outgoing(&self, node: NodeId) -> Vec<&'a nagare_model::Edge> {
        self.model.flow.outgoing(node).collect()
    }

    /// Returns the jump target text for `node`: a step id, `終了`, or the first step after it.
    fn target(&self, node: NodeId, depth: usize) -> String {
        match self.model.flow.nodes.get(node) {
            Some(Node::Step { step }) => format!("→ {}", self.ids[*step]),
            Some(Node::End {
                label: Some(label), ..
            }) => format!("終了: {}", safe(label)),
            Some(Node::Split { .. } | Node::Join { .. } | Node::Start) if depth < 64 => {
                match self.outgoing(node).first() {
                    Some(edge) => self.target(edge.to, depth + 1),
                    None => "終了".to_owned(),
                }
            }
            _ => "終了".to_owned(),
        }
    }

    /// Writes the statements from `node` on until the path ends, meets printed statements, or
    /// reaches `stop` (the join of a flattened parallel block).
    fn chain(&mut self, mut node: NodeId, stop: Option<NodeId>) {
        for _ in 0..=self.model.flow.nodes.len() {
            if Some(node) == stop {
                return;
            }
            if self.emitted.contains(&node) && node != nagare_model::Flow::START {
                let target = self.target(node, 0);
                let _ = writeln!(self.out, "  {target}");
                return;
            }
            self.emitted.insert(node);
            match self.model.flow.nodes.get(node) {
                None => return,
                Some(Node::End { label, .. }) => {
                    match label {
                        Some(label) => {
                            let _ = writeln!(self.out, "  終了: {}", safe(label));
                        }
                        None => self.out.push_str("  終了\n"),
                    }
                    return;
                }
                Some(Node::Start | Node::Join { .. }) => {
                    let outs = self.outgoing(node);
                    match outs.as_slice() {
                        [] => {
                            self.out.push_str("  終了\n");
                            return;
                        }
                        [only] => node = only.to,
                        several => {
                            // One start in nagare: a choosing step keeps every path reachable.
                            self.out.push_str(
                                "  # 開始イベントが複数あるため、経路を選ぶ工程を加えています / several start events: a choosing step was added\n",
                            );
                            self.notes.several_starts = true;
                            self.synthetic_step("開始の経路を選ぶ");
                            node = self.branches(several);
                        }
                    }
                }
                Some(Node::Split { block, .. }) => match self.parallel(node, *block, "  ") {
                    Some(next) => node = next,
                    None => {
                        // Not a plain block: written as a choice between the branches so that
                        // every step stays reachable; the comment says what was lost.
                        let outs = self.outgoing(node);
                        self.out.push_str(
                            "  # 並行処理が単純な形でないため、分岐として書いています / complex parallel block written as a choice\n",
                        );
                        match outs.as_slice() {
                            [] => {
                                self.out.push_str("  終了\n");
                                return;
                            }
                            [only] => node = only.to,
                            several => {
                                self.notes.parallel_as_choice += 1;
                                self.synthetic_step("並行処理の分岐");
                                node = self.branches(several);
                            }
                        }
                    }
                },
                Some(Node::Step { step }) => {
                    let step = *step;
                    self.step_line(step, "  ");
                    let outs = self.outgoing(node);
                    match outs.as_slice() {
                        [] => {
                            self.out.push_str("  終了\n");
                            return;
                        }
                        [only] => node = only.to,
                        several => node = self.branches(several),
                    }
                }
            }
        }
    }

    /// Writes a decision step that is not in the model (for constructs the DSL cannot express).
    fn synthetic_step(&mut self, label: &str) {
        self.synthetic += 1;
        let taken: BTreeSet<&str> = self.ids.iter().map(String::as_str).collect();
        let mut n = self.synthetic;
        while taken.contains(format!("X{n}").as_str()) {
            n += 1;
        }
        let actor = self
            .model
            .actors
            .first()
            .map_or_else(|| "?".to_owned(), |a| actor_name(&a.name));
        let _ = writeln!(self.out, "  X{n} {actor}: {label}  [判断]");
    }

    fn step_line(&mut self, step: usize, indent: &str) {
        let s = &self.model.steps[step];
        let actor = self
            .model
            .actors
            .get(s.actor)
            .map_or_else(|| "?".to_owned(), |a| actor_name(&a.name));
        let mut label = safe(&s.label);
        if label.ends_with(']') || label.ends_with('］') {
            // A trailing bracket would be read as attributes.
            label = format!("「{label}」");
        }
        if let Some(node) = self.model.flow.node_of_step(step) {
            let scope = self.scopes.last().copied().unwrap_or(0);
            self.scope_of.insert(node, scope);
        }
        let _ = write!(self.out, "{indent}{} {actor}: {label}", self.ids[step]);
        let attributes = step_attributes(self.model, s);
        if !attributes.is_empty() {
            let _ = write!(self.out, "  [{}]", attributes.join(", "));
        }
        self.out.push('\n');
    }

    /// Writes one branch line per outgoing edge but the continuation; returns where to go on.
    fn branches(&mut self, edges: &[&nagare_model::Edge]) -> NodeId {
        // Continue with the last forward edge; the others become one-line branches.
        let continuation = edges
            .iter()
            .rposition(|e| e.kind != EdgeKind::SendBack && !self.emitted.contains(&e.to))
            .unwrap_or(edges.len() - 1);
        if let [first, second] = edges {
            let other = if continuation == 0 { *second } else { *first };
            let last = edges[continuation];
            // Nesting one branch so that it falls through to the other keeps the decision
            // structured. It is required when the other path opens a parallel block (a jump
            // into a parallel branch is refused by the DSL, E0407), and it keeps both branch
            // labels where a one-line jump plus fall-through would drop one.
            for (nested, next) in [(other, last), (last, other)] {
                if let Some(next) = self.nest(nested, next) {
                    return next;
                }
            }
        }
        if let Some(next) = self.merge(edges) {
            return next;
        }
        let mut lines = Vec::new();
        for (index, edge) in edges.iter().enumerate() {
            if index == continuation {
                continue;
            }
            let condition = condition(edge, index + 1);
            let target = self.target(edge.to, 0);
            let target = if target.starts_with('→') {
                target
            } else {
                "終了".to_owned()
            };
            // Parallel edges all carry 1.0; written as a choice they share the cases equally.
            let probability = if edge.kind == EdgeKind::Parallel {
                1.0 / edges.len() as f64
            } else {
                edge.probability
            };
            lines.push(format!(
                "    もし {condition} {}%: {target}",
                number(probability * 100.0)
            ));
        }
        let last = edges[continuation];
        if last.label.as_deref().is_some_and(|l| !l.trim().is_empty())
            && last.kind != EdgeKind::Parallel
        {
            // A labelled continuation keeps its label as an empty branch that falls through;
            // without a percentage it takes exactly the cases the other branches leave.
            lines.push(format!("    もし {}:", condition(last, edges.len())));
        } else if lines.len() > 1 {
            // Several もし lines must cover every case: the continuation is the それ以外.
            let target = self.target(last.to, 0);
            let target = if target.starts_with('→') {
                target
            } else {
                "終了".to_owned()
            };
            lines.push(format!("    それ以外: {target}"));
        }
        for line in lines {
            self.out.push_str(&line);
            self.out.push('\n');
        }
        last.to
    }

    /// Writes `nested` as a `もし` branch whose body runs until it falls through to `next`'s
    /// target (or ends), then `next`'s label as an empty branch; returns where to go on, or
    /// `None` (and writes nothing) when that shape does not fit.
    fn nest(&mut self, nested: &nagare_model::Edge, next: &nagare_model::Edge) -> Option<NodeId> {
        if matches!(nested.kind, EdgeKind::SendBack | EdgeKind::Parallel)
            || next.kind == EdgeKind::SendBack
            || nested.to == next.to
            || self.emitted.contains(&nested.to)
            || self.emitted.contains(&next.to)
        {
            return None;
        }
        let opens_parallel = matches!(
            self.model.flow.nodes.get(nested.to),
            Some(Node::Split { .. })
        );
        let saved = (self.out.len(), self.emitted.clone());
        let _ = writeln!(
            self.out,
            "    もし {} {}%:",
            condition(nested, 1),
            number(nested.probability * 100.0)
        );
        // A body that ends (終了) instead of meeting `next` is only taken for a parallel
        // block, which has no other way to be written; elsewhere it could swallow steps that
        // `next` also reaches.
        match self.region(nested.to, next.to, "      ", false) {
            Some(true) => {}
            Some(false) if opens_parallel => {}
            _ => {
                self.out.truncate(saved.0);
                self.emitted = saved.1;
                return None;
            }
        }
        if next.label.as_deref().is_some_and(|l| !l.trim().is_empty()) {
            let _ = writeln!(self.out, "    もし {}:", condition(next, 2));
        }
        Some(next.to)
    }

    /// Writes every edge as a `もし` branch with a nested body when all the bodies meet again at
    /// one node (the first one, from the last edge, that every branch reaches); returns that
    /// node, or `None` (and writes nothing) when the branches do not meet that way. This is what
    /// lets branches that meet at a parallel block be written without a jump into it.
    fn merge(&mut self, edges: &[&nagare_model::Edge]) -> Option<NodeId> {
        if edges.len() < 2
            || edges.iter().any(|e| {
                matches!(e.kind, EdgeKind::SendBack | EdgeKind::Parallel)
                    || self.emitted.contains(&e.to)
            })
        {
            return None;
        }
        // Branches written with a percentage must leave a share (≥ 0%) for the last one.
        let given: f64 = edges[..edges.len() - 1].iter().map(|e| e.probability).sum();
        if given > 1.0 + 1e-9 {
            return None;
        }
        let reach: Vec<Vec<NodeId>> = edges.iter().map(|e| self.forward_from(e.to)).collect();
        let last = reach.last()?;
        let meet = *last
            .iter()
            .find(|n| !self.emitted.contains(n) && reach.iter().all(|r| r.contains(n)))?;
        let saved = (self.out.len(), self.emitted.clone());
        let count = edges.len();
        for (index, edge) in edges.iter().enumerate() {
            // The last branch takes exactly what the others leave, so rounding cannot break
            // the 100% rule (E0403).
            let line = match (index + 1 == count, edge.label.is_some()) {
                (false, _) => format!(
                    "    もし {} {}%:",
                    condition(edge, index + 1),
                    number(edge.probability * 100.0)
                ),
                (true, true) => format!("    もし {}:", condition(edge, index + 1)),
                (true, false) => "    それ以外:".to_owned(),
            };
            self.out.push_str(&line);
            self.out.push('\n');
            if edge.to != meet && self.region(edge.to, meet, "      ", false) != Some(true) {
                self.out.truncate(saved.0);
                self.emitted = saved.1;
                return None;
            }
        }
        Some(meet)
    }

    /// Returns the nodes reachable from `node` without send-backs, nearest first.
    fn forward_from(&self, node: NodeId) -> Vec<NodeId> {
        let mut order = vec![node];
        let mut seen = BTreeSet::from([node]);
        let mut next = 0;
        while let Some(&current) = order.get(next) {
            next += 1;
            for edge in self.model.flow.outgoing(current) {
                if edge.kind != EdgeKind::SendBack && seen.insert(edge.to) {
                    order.push(edge.to);
                }
            }
        }
        order
    }

    /// Writes a `並行:` block at `indent` if every branch is a structured region ending at the
    /// split's join; returns the join, or `None` (and writes nothing) when it is not.
    fn parallel(&mut self, split: NodeId, block: usize, indent: &str) -> Option<NodeId> {
        let saved = (self.out.len(), self.emitted.clone());
        let result = self.parallel_inner(split, block, indent);
        if result.is_none() {
            self.out.truncate(saved.0);
            self.emitted = saved.1;
        }
        result
    }

    fn parallel_inner(&mut self, split: NodeId, block: usize, indent: &str) -> Option<NodeId> {
        let nodes = &self.model.flow.nodes;
        // The join: the node of the same block that every branch must reach.
        let join = (0..nodes.len())
            .find(|n| matches!(nodes[*n], Node::Join { block: b, .. } if b == block))?;
        self.emitted.insert(split);
        let _ = writeln!(self.out, "{indent}並行:");
        let inner = format!("{indent}    ");
        for edge in self.outgoing(split) {
            // A branch keeps its own name (a BPMN flow name, a `分岐 name:`); an unnamed one
            // is named after its first step, as a person would; else left unnamed.
            let named = edge
                .label
                .as_deref()
                .map(branch_name)
                .filter(|n| !n.is_empty());
            let name = match (named, nodes.get(edge.to)) {
                (Some(name), _) => format!(" {name}"),
                (None, Some(Node::Step { step })) => {
                    format!(" {}", branch_name(&self.model.steps[*step].label))
                }
                _ => String::new(),
            };
            let _ = writeln!(self.out, "{indent}  分岐{name}:");
            if edge.to != join {
                self.next_scope += 1;
                self.scopes.push(self.next_scope);
                let written = self.region(edge.to, join, &inner, true);
                self.scopes.pop();
                written?;
            }
        }
        Some(join)
    }

    /// Writes the statements from `node` up to (not including) `stop` as nested, structured
    /// text: plain steps, a step with one `もし` whose nested block falls through to the other
    /// edge's target, and parallel blocks. Returns whether the region met `stop` (`false`: it
    /// ended with `終了`), or `None` for anything else; the caller then restores the output.
    fn region(
        &mut self,
        mut node: NodeId,
        stop: NodeId,
        indent: &str,
        in_parallel: bool,
    ) -> Option<bool> {
        for _ in 0..=self.model.flow.nodes.len() {
            if node == stop {
                return Some(true);
            }
            if self.emitted.contains(&node) {
                return None;
            }
            match self.model.flow.nodes.get(node)? {
                Node::Step { step } => {
                    let step = *step;
                    self.emitted.insert(node);
                    self.step_line(step, indent);
                    let outs = self.outgoing(node);
                    match outs.as_slice() {
                        [only] => match self.jump_back(only) {
                            // A path that goes back ends here, like one that ends.
                            Some(jump) => {
                                let _ = writeln!(self.out, "{indent}{jump}");
                                return Some(false);
                            }
                            None => node = only.to,
                        },
                        [first, second]
                            if self.jump_back(first).is_some()
                                || self.jump_back(second).is_some() =>
                        {
                            // A send-back within the branch is a one-line branch; the other
                            // edge continues.
                            let (back, next) = if self.jump_back(first).is_some() {
                                (*first, *second)
                            } else {
                                (*second, *first)
                            };
                            if self.jump_back(next).is_some() {
                                return None;
                            }
                            let jump = self.jump_back(back)?;
                            let _ = writeln!(
                                self.out,
                                "{indent}  もし {} {}%: {jump}",
                                condition(back, 1),
                                number(back.probability * 100.0)
                            );
                            if next.label.as_deref().is_some_and(|l| !l.trim().is_empty()) {
                                let _ =
                                    writeln!(self.out, "{indent}  もし {}:", condition(next, 2));
                            }
                            node = next.to;
                        }
                        [first, second] => {
                            // The edge to the stop (or the later one) continues; the other nests.
                            let (nested, next) = if first.to == stop {
                                (*second, *first)
                            } else {
                                (*first, *second)
                            };
                            if nested.kind == EdgeKind::SendBack || next.kind == EdgeKind::SendBack
                            {
                                return None;
                            }
                            let saved = (self.out.len(), self.emitted.clone());
                            let _ = writeln!(
                                self.out,
                                "{indent}  もし {} {}%:",
                                condition(nested, 1),
                                number(nested.probability * 100.0)
                            );
                            let deeper = format!("{indent}    ");
                            if nested.to != next.to
                                && self
                                    .region(nested.to, next.to, &deeper, in_parallel)
                                    .is_none()
                            {
                                // The nested path does not meet the other one: both paths
                                // become bodies that run on to `stop`.
                                self.out.truncate(saved.0);
                                self.emitted = saved.1;
                                return self.both_to_stop(first, second, stop, indent, in_parallel);
                            }
                            if next.label.as_deref().is_some_and(|l| !l.trim().is_empty()) {
                                let _ =
                                    writeln!(self.out, "{indent}  もし {}:", condition(next, 2));
                            }
                            node = next.to;
                        }
                        _ => return None,
                    }
                }
                Node::Split { block, .. } => {
                    let join = self.parallel_inner(node, *block, indent)?;
                    self.emitted.insert(join);
                    let outs = self.outgoing(join);
                    let [only] = outs.as_slice() else { return None };
                    node = only.to;
                }
                Node::End { label, .. } if !in_parallel => {
                    self.emitted.insert(node);
                    match label {
                        Some(label) => {
                            let _ = writeln!(self.out, "{indent}終了: {}", safe(label));
                        }
                        None => {
                            let _ = writeln!(self.out, "{indent}終了");
                        }
                    }
                    return Some(false);
                }
                _ => return None,
            }
        }
        None
    }
}

impl Printer<'_> {
    /// Writes the two edges leaving a step as two `もし` bodies that each run on to `stop` (or
    /// end); returns whether the region met `stop`, or `None` when a body does neither.
    fn both_to_stop(
        &mut self,
        first: &nagare_model::Edge,
        second: &nagare_model::Edge,
        stop: NodeId,
        indent: &str,
        in_parallel: bool,
    ) -> Option<bool> {
        let deeper = format!("{indent}    ");
        let _ = writeln!(
            self.out,
            "{indent}  もし {} {}%:",
            condition(first, 1),
            number(first.probability * 100.0)
        );
        let a = self.region(first.to, stop, &deeper, in_parallel)?;
        // The second body takes exactly what the first leaves (E0403 cannot come from rounding).
        if second
            .label
            .as_deref()
            .is_some_and(|l| !l.trim().is_empty())
        {
            let _ = writeln!(self.out, "{indent}  もし {}:", condition(second, 2));
        } else if second.to != stop {
            let _ = writeln!(self.out, "{indent}  それ以外:");
        }
        let b = self.region(second.to, stop, &deeper, in_parallel)?;
        Some(a || b)
    }

    /// Returns `→ id` when `edge` goes back to a printed step of the branch being printed
    /// (a jump the DSL accepts there), else `None`.
    fn jump_back(&self, edge: &nagare_model::Edge) -> Option<String> {
        let Some(Node::Step { step }) = self.model.flow.nodes.get(edge.to) else {
            return None;
        };
        let scope = self.scopes.last().copied().unwrap_or(0);
        (self.emitted.contains(&edge.to) && self.scope_of.get(&edge.to) == Some(&scope))
            .then(|| format!("→ {}", self.ids[*step]))
    }
}

/// Returns the condition text of a branch edge (its label, else `条件N`).
fn condition(edge: &nagare_model::Edge, index: usize) -> String {
    edge.label
        .as_deref()
        .map(|l| safe(l).replace([':', '：'], " "))
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| format!("条件{index}"))
}

/// Returns a parallel branch name from a step label: its first words, without colons.
fn branch_name(label: &str) -> String {
    let name: String = safe(label)
        .replace([':', '：'], " ")
        .chars()
        .take(20)
        .collect();
    name.trim().to_owned()
}
