//! Import: each BPMN `process` becomes a nagare [`Model`] (lanes → actors, activities → steps,
//! gateways → decisions or parallel blocks, sequence flows → edges).
//!
//! What nagare cannot represent is reported as a warning with a stable code (W09xx) and
//! skipped, never a panic: a city importing a diagram from another tool should get metrics for
//! what can be measured and a list of what was left out.

use std::collections::{BTreeMap, BTreeSet};

use nagare_model::{
    ActorId, ActorKind, EdgeKind, Medium, Model, ModelBuilder, Node, NodeId, StepKind,
};
use nagare_syntax::{Diagnostic, Span, Text};

use crate::count::{Counts, GATEWAYS, SUB_PROCESSES, TASKS, count_tree, is_flow_node};
use crate::dom::Element;
use crate::extension::{self, ExactEdge};
use crate::{BpmnError, decode, dom};

/// The result of importing a BPMN file: one model per process, warnings, and the file's counts.
#[derive(Debug, Clone)]
pub struct Import {
    /// One model per `process`, in file order.
    pub models: Vec<Model>,
    /// What was not imported, was guessed, or cannot be written as `.flow` the way the model
    /// says it (codes W0901–W0913, see docs/bpmn.md).
    pub diagnostics: Vec<Diagnostic>,
    pub counts: Counts,
}

/// Returns the processes of a BPMN 2.0 file as nagare models, with warnings for what was lost.
///
/// # Errors
/// If the bytes are not a readable BPMN 2.0 document (encoding, XML, namespaces, duplicate ids).
pub fn import(xml: &[u8]) -> Result<Import, BpmnError> {
    let text = decode::decode(xml)?;
    let root = dom::parse(&text)?;
    let counts = count_tree(&root);
    let mut diagnostics = Vec::new();
    let mut ids = BTreeSet::new();
    collect_ids(&root, &mut ids);

    let mut participants: BTreeMap<&str, &str> = BTreeMap::new();
    let mut message_flows = 0;
    for collaboration in root.children_named("collaboration") {
        for participant in collaboration.children_named("participant") {
            if let (Some(process), Some(name)) =
                (participant.attr("processRef"), participant.label())
            {
                participants.entry(process.trim()).or_insert(name);
            }
        }
    }
    // Which process holds each element: a message flow must connect pools.
    let mut process_of: BTreeMap<&str, &str> = BTreeMap::new();
    for process in root.children_named("process") {
        let mut inner = BTreeSet::new();
        collect_ids(process, &mut inner);
        for id in inner {
            process_of.insert(id, process.id());
        }
    }
    let pooled: BTreeSet<&str> = root
        .children_named("collaboration")
        .flat_map(|c| c.children_named("participant"))
        .filter_map(|p| p.attr("processRef").map(str::trim))
        .collect();
    for collaboration in root.children_named("collaboration") {
        for flow in collaboration.children_named("messageFlow") {
            message_flows += 1;
            for end in ["sourceRef", "targetRef"] {
                let target = flow.attr(end).unwrap_or("").trim();
                if !ids.contains(target) {
                    diagnostics.push(broken_reference(flow, end, target));
                } else if let Some(process) = process_of.get(target)
                    && !pooled.contains(process)
                {
                    diagnostics.push(dangling_message_flow(flow, end, target, process));
                }
            }
        }
    }
    if message_flows > 0 {
        diagnostics.push(warning(
            "W0901",
            Text::new(
                format!(
                    "メッセージフロー {message_flows} 本は取り込みません（nagare の流れは 1 つの業務の中の順序だけを表します）"
                ),
                format!(
                    "{} not imported (a nagare flow only orders the steps of one process)",
                    nagare_syntax::count_en(message_flows, "message flow", "message flows")
                ),
            ),
        ));
    }
    let mut models = Vec::new();
    for process in root.children_named("process") {
        let named = participants
            .get(process.id())
            .copied()
            .or_else(|| process.label());
        let name = named.unwrap_or_else(|| process.id());
        let model = import_process(process, name, named, &ids, &mut diagnostics);
        if model.steps.is_empty() {
            // A `.flow` needs at least one step (E0212): an empty pool is reported, not written.
            diagnostics.push(warning(
                "W0909",
                Text::new(
                    format!(
                        "{} 行目のプロセス「{name}」には工程（タスク・サブプロセス・判断）がないため取り込みません",
                        process.line
                    ),
                    format!(
                        "line {}: process \"{name}\" has no step (task, sub-process or decision) and is not imported",
                        process.line
                    ),
                ),
            ));
            continue;
        }
        let (_, notes) = crate::flow_text::print(&model);
        diagnostics.extend(text_warnings(name, &notes));
        models.push(model);
    }
    Ok(Import {
        models,
        diagnostics,
        counts,
    })
}

/// Returns a warning for each thing the `.flow` text of a model cannot say as the model does.
fn text_warnings(name: &str, notes: &crate::flow_text::Notes) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !notes.unreachable.is_empty() {
        let list = notes.unreachable.join(" / ");
        out.push(warning(
            "W0910",
            Text::new(
                format!(
                    "プロセス「{name}」の {} 工程は開始から到達できないため、.flow ではコメント行として残します: {list}",
                    notes.unreachable.len()
                ),
                format!(
                    "process \"{name}\": {} cannot be reached from the start and are kept as comment lines in the .flow text: {list}",
                    nagare_syntax::count_en(notes.unreachable.len(), "step", "steps")
                ),
            ),
        ));
    }
    if notes.several_starts {
        out.push(warning(
            "W0911",
            Text::new(
                format!(
                    "プロセス「{name}」は複数の経路から始まります。そのうち 1 つを選ぶものとして取り込み、.flow では選ぶ工程（X…）を加えます"
                ),
                format!(
                    "process \"{name}\" starts on several paths: imported as a choice of one of them; the .flow text adds a choosing step (X…)"
                ),
            ),
        ));
    }
    if notes.parallel_as_choice > 0 {
        let count = notes.parallel_as_choice;
        out.push(warning(
            "W0912",
            Text::new(
                format!(
                    "プロセス「{name}」の並行処理 {count} か所は `並行:` の形で書けないため、.flow では分岐（どれか 1 つ）として書きます。その .flow の指標は BPMN と異なります"
                ),
                format!(
                    "process \"{name}\": {} cannot be written as `parallel:` and become a choice (one branch) in the .flow text; its metrics differ from the BPMN",
                    nagare_syntax::count_en(count, "parallel block", "parallel blocks")
                ),
            ),
        ));
    }
    out
}

fn collect_ids<'a>(element: &'a Element, ids: &mut BTreeSet<&'a str>) {
    if element.ns == dom::Ns::Bpmn
        && let Some(id) = element.attr("id")
    {
        ids.insert(id);
    }
    for child in &element.children {
        collect_ids(child, ids);
    }
}

fn warning(code: &str, message: Text) -> Diagnostic {
    Diagnostic::warning(code, Span::default(), message)
}

fn dangling_message_flow(flow: &Element, end: &str, target: &str, process: &str) -> Diagnostic {
    warning(
        "W0902",
        Text::new(
            format!(
                "{} 行目のメッセージフロー `{}` の {end} `{target}` は、どのプール（participant）にも属さないプロセス `{process}` の中にあります",
                flow.line,
                flow.id()
            ),
            format!(
                "line {}: message flow `{}` has {end} `{target}` inside process `{process}`, which belongs to no pool (participant)",
                flow.line,
                flow.id()
            ),
        ),
    )
}

fn broken_reference(element: &Element, attribute: &str, target: &str) -> Diagnostic {
    warning(
        "W0902",
        Text::new(
            format!(
                "{} 行目の `{}`（{}）の {attribute} が存在しない要素 `{target}` を指しています。この参照は無視します",
                element.line,
                element.name,
                element.id()
            ),
            format!(
                "line {}: `{}` ({}) has {attribute} `{target}`, which does not exist; the reference is ignored",
                element.line,
                element.name,
                element.id()
            ),
        ),
    )
}

/// What a top-level BPMN flow node becomes in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role<'a> {
    /// A model node (step, end, split or join).
    Node(NodeId),
    /// A start event: the model's single start node.
    Start,
    /// A merge or pass-through gateway: flows run through it.
    Bypass,
    /// An unnamed decision gateway right after a step: its branches leave from that step.
    Absorbed { into: &'a str },
    /// A parallel gateway that both joins and splits: flows enter the join, leave the split.
    JoinSplit { join: NodeId, split: NodeId },
    /// A boundary event: its flows leave from the activity it is attached to.
    Boundary { host: &'a str },
    /// Not imported (an event sub-process).
    Skip,
}

/// A sequence flow between two top-level nodes of one process.
#[derive(Debug, Clone)]
struct Flow<'a> {
    source: &'a str,
    target: &'a str,
    label: Option<String>,
    probability: Option<f64>,
    /// Kind, probability and label exactly as nagare exported them.
    exact: Option<ExactEdge>,
    /// Whether the flow has a name, a condition or is a default flow: the modeller meant a
    /// choice, not BPMN's "every flow is taken".
    named: bool,
}

/// An edge on its way into the model.
#[derive(Debug, Clone)]
struct PendingEdge {
    from: NodeId,
    to: NodeId,
    label: Option<String>,
    probability: Option<f64>,
    exact: Option<ExactEdge>,
}

fn import_process(
    process: &Element,
    name: &str,
    named: Option<&str>,
    ids: &BTreeSet<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Model {
    let mut builder = ModelBuilder::new(name).id(&slug(process.id()));
    // A file nagare wrote carries the header in its extension; its documentation only repeats it.
    let from_nagare = extension::read_process(process, builder.model_mut());
    if !from_nagare {
        for documentation in process.children_named("documentation") {
            let note = documentation.text.trim();
            if !note.is_empty() {
                builder.model_mut().process.notes.push(note.to_owned());
            }
        }
        builder.model_mut().process.notes.push(format!(
            "BPMN process `{}` から取り込み / imported from BPMN process `{}`",
            process.id(),
            process.id()
        ));
    }

    // Lanes: the innermost lane listing a node, and lane names in document order.
    let mut lane_of: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    let mut lanes: Vec<Lane<'_>> = Vec::new();
    for set in process.children_named("laneSet") {
        collect_lanes(set, 0, &mut lane_of, &mut lanes);
    }
    name_unnamed_lanes(&mut lanes, named);
    let has_lanes = !lanes.is_empty();

    // Top-level flow nodes and flows.
    let nodes: Vec<&Element> = process
        .children
        .iter()
        .filter(|c| is_flow_node(c))
        .collect();
    let by_id: BTreeMap<&str, &Element> = nodes.iter().map(|n| (n.id(), *n)).collect();
    let mut flows: Vec<Flow<'_>> = Vec::new();
    let defaults: BTreeSet<&str> = nodes
        .iter()
        .filter_map(|n| n.attr("default").map(str::trim))
        .collect();
    for flow in process.children_named("sequenceFlow") {
        let source = flow.attr("sourceRef").unwrap_or("").trim();
        let target = flow.attr("targetRef").unwrap_or("").trim();
        let mut broken = false;
        for (end, id) in [("sourceRef", source), ("targetRef", target)] {
            if !by_id.contains_key(id) {
                broken = true;
                if !ids.contains(id) {
                    diagnostics.push(broken_reference(flow, end, id));
                }
            }
        }
        if broken {
            continue;
        }
        let condition = flow
            .children_named("conditionExpression")
            .map(|c| crate::attributes::one_line(&c.text))
            .find(|t| !t.is_empty());
        let (label, probability) = match flow
            .label()
            .map(|l| split_probability(&crate::attributes::one_line(l)))
        {
            Some((label, probability)) => (label, probability),
            None => (None, None),
        };
        let label = label
            .or(condition)
            .or_else(|| defaults.contains(flow.id()).then(|| "それ以外".to_owned()));
        flows.push(Flow {
            source,
            target,
            label,
            probability,
            exact: extension::read_edge(flow),
            named: flow.label().is_some()
                || flow.children_named("conditionExpression").next().is_some()
                || defaults.contains(flow.id()),
        });
    }
    // Link events are off-page connectors: a throw continues at the catch with the same name.
    let link_name = |node: &&Element| {
        node.children_named("linkEventDefinition")
            .find_map(|d| d.label().map(str::to_owned))
    };
    for throw in nodes.iter().filter(|n| n.is("intermediateThrowEvent")) {
        let Some(name) = link_name(throw) else {
            continue;
        };
        if let Some(catch) = nodes
            .iter()
            .find(|n| n.is("intermediateCatchEvent") && link_name(n).as_deref() == Some(&name))
        {
            flows.push(Flow {
                source: throw.id(),
                target: catch.id(),
                label: None,
                probability: None,
                exact: None,
                named: false,
            });
        }
    }
    let is_link = |node: &Element| node.children_named("linkEventDefinition").next().is_some();
    let outgoing = |id: &str| flows.iter().filter(|f| f.source == id).count();
    let incoming = |id: &str| flows.iter().filter(|f| f.target == id).count();

    // The lane of each node; boundary events take their activity's.
    let node_lane = |node: &Element| -> Option<&str> {
        let id = if node.is("boundaryEvent") {
            node.attr("attachedToRef").unwrap_or("").trim()
        } else {
            node.id()
        };
        lane_of.get(id).map(|(_, lane)| *lane)
    };

    // Actors: the lanes that hold a node, in lane order; names made unique.
    let used_lanes: BTreeSet<&str> = nodes.iter().filter_map(|n| node_lane(n)).collect();
    let mut actor_of_lane: BTreeMap<&str, ActorId> = BTreeMap::new();
    let mut actor_names: BTreeSet<String> = BTreeSet::new();
    for lane in &lanes {
        let lane_name = &lane.name;
        // nagare writes a lane per actor, used or not: keeping them keeps the actor list.
        if !used_lanes.contains(lane.id) && lane.actor.is_none() {
            continue;
        }
        let unique = unique_name(lane_name, &actor_names);
        if unique != *lane_name {
            diagnostics.push(warning(
                "W0907",
                Text::new(
                    format!("レーン名「{lane_name}」が重複しているため「{unique}」とします"),
                    format!(
                        "lane name \"{lane_name}\" is used twice; the second is named \"{unique}\""
                    ),
                ),
            ));
        }
        actor_names.insert(unique.clone());
        let kind = lane
            .actor
            .as_ref()
            .and_then(|a| a.kind)
            .unwrap_or_else(|| guess_kind(&unique));
        let actor = builder.actor(&unique, kind);
        if let Some(info) = &lane.actor {
            builder.model_mut().actors[actor]
                .department
                .clone_from(&info.department);
        }
        actor_of_lane.insert(lane.id, actor);
    }
    let mut default_actor: Option<ActorId> = None;
    let mut fallback_actor = |builder: &mut ModelBuilder| -> ActorId {
        *default_actor.get_or_insert_with(|| {
            // Never a raw process id as an actor name: the pool's name, else a generic one.
            let base = named
                .map(|n| crate::attributes::one_line(n).replace([':', '：'], " "))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "担当1".to_owned());
            let unique = unique_name(&base, &actor_names);
            builder.actor(&unique, guess_kind(&unique))
        })
    };
    // Placeholder actor of steps outside every lane until a neighbour's lane is known.
    const UNSET: ActorId = usize::MAX;

    // Roles.
    let mut roles: BTreeMap<&str, Role<'_>> = BTreeMap::new();
    let mut lane_less: Vec<(usize, &str)> = Vec::new();
    let mut unnamed_decisions = 0;
    let mut blocks = 0;
    // Split and join nodes whose block ids nagare wrote: they are not paired again.
    let mut exact_blocks: BTreeSet<NodeId> = BTreeSet::new();
    for node in &nodes {
        let id = node.id();
        let (ins, outs) = (incoming(id), outgoing(id));
        let label = crate::attributes::one_line(node.label().unwrap_or(id));
        let label = label.as_str();
        let kind = node.name.as_str();
        let step_kind = match kind {
            k if TASKS.contains(&k) => Some(StepKind::Task),
            k if SUB_PROCESSES.contains(&k) || k == "callActivity" => {
                if node.attr("triggeredByEvent") == Some("true") {
                    diagnostics.push(not_imported(
                        node,
                        "イベントサブプロセス",
                        "event sub-process",
                    ));
                    roles.insert(id, Role::Skip);
                    continue;
                }
                if node.children.iter().any(is_flow_node) {
                    diagnostics.push(warning(
                        "W0908",
                        Text::new(
                            format!(
                                "{} 行目のサブプロセス「{label}」は 1 つの工程として取り込みます（中の工程は取り込みません）",
                                node.line
                            ),
                            format!(
                                "line {}: sub-process \"{label}\" is imported as one step (its inner nodes are not)",
                                node.line
                            ),
                        ),
                    ));
                }
                Some(StepKind::Subprocess)
            }
            "intermediateCatchEvent" if !is_link(node) => Some(StepKind::Wait),
            "intermediateThrowEvent" if node.label().is_some() && !is_link(node) => {
                Some(StepKind::Task)
            }
            "exclusiveGateway" | "inclusiveGateway" | "complexGateway" | "eventBasedGateway"
                if outs >= 2 =>
            {
                Some(StepKind::Decision)
            }
            _ => None,
        };
        if let Some(step_kind) = step_kind {
            if step_kind == StepKind::Decision
                && node.label().is_none()
                && let Some(into) = absorbing_step(id, &flows, &by_id, outgoing)
            {
                roles.insert(id, Role::Absorbed { into });
                continue;
            }
            let lane = node_lane(node);
            let actor = match lane.and_then(|l| actor_of_lane.get(l)) {
                Some(actor) => *actor,
                None if !has_lanes => fallback_actor(&mut builder),
                // Resolved below from a neighbour's lane.
                None => UNSET,
            };
            let gateway_label;
            let label = if step_kind == StepKind::Decision && node.label().is_none() {
                unnamed_decisions += 1;
                gateway_label = decision_label(id, &flows, &by_id, unnamed_decisions);
                gateway_label.as_str()
            } else {
                label
            };
            let step = builder.step(actor, label);
            let model_step = builder.step_mut(step);
            model_step.kind = step_kind;
            if matches!(kind, "serviceTask" | "scriptTask" | "businessRuleTask") {
                model_step.medium = Some(Medium::Digital);
            }
            let notes: Vec<&str> = node
                .children_named("documentation")
                .map(|d| d.text.trim())
                .filter(|t| !t.is_empty())
                .collect();
            if !notes.is_empty() {
                model_step.note = Some(notes.join(" / "));
            }
            let mut exact = model_step.clone();
            if extension::read_step(node, builder.model_mut(), &mut exact) {
                *builder.step_mut(step) = exact;
            }
            if actor == UNSET {
                lane_less.push((step, id));
            }
            roles.insert(id, Role::Node(builder.node_of(step)));
            continue;
        }
        let role = match kind {
            "startEvent" => Role::Start,
            "endEvent" => Role::Node(builder.node(Node::End {
                label: extension::read_end(node).or_else(|| node.label().map(str::to_owned)),
                span: Span::default(),
            })),
            "boundaryEvent" => {
                let host = node.attr("attachedToRef").unwrap_or("").trim();
                if by_id.contains_key(host) {
                    diagnostics.push(warning(
                        "W0903",
                        Text::new(
                            format!(
                                "{} 行目の境界イベント「{label}」は、`{host}` からの分岐として取り込みます（確率は推定）",
                                node.line
                            ),
                            format!(
                                "line {}: boundary event \"{label}\" is imported as a branch leaving `{host}` (probability guessed)",
                                node.line
                            ),
                        ),
                    ));
                    Role::Boundary { host }
                } else {
                    diagnostics.push(broken_reference(node, "attachedToRef", host));
                    Role::Skip
                }
            }
            "parallelGateway" if extension::read_block(node).is_some() => {
                let Some((is_split, block)) = extension::read_block(node) else {
                    continue;
                };
                blocks = blocks.max(block + 1);
                let n = builder.node(if is_split {
                    Node::Split {
                        block,
                        span: Span::default(),
                    }
                } else {
                    Node::Join {
                        block,
                        span: Span::default(),
                    }
                });
                exact_blocks.insert(n);
                Role::Node(n)
            }
            "parallelGateway" if outs >= 2 && ins >= 2 => {
                blocks += 2;
                let join = builder.node(Node::Join {
                    block: blocks - 2,
                    span: Span::default(),
                });
                let split = builder.node(Node::Split {
                    block: blocks - 1,
                    span: Span::default(),
                });
                Role::JoinSplit { join, split }
            }
            "parallelGateway" if outs >= 2 => {
                blocks += 1;
                Role::Node(builder.node(Node::Split {
                    block: blocks - 1,
                    span: Span::default(),
                }))
            }
            "parallelGateway" if ins >= 2 => {
                blocks += 1;
                Role::Node(builder.node(Node::Join {
                    block: blocks - 1,
                    span: Span::default(),
                }))
            }
            k if GATEWAYS.contains(&k) || k.starts_with("intermediate") => Role::Bypass,
            _ => Role::Skip,
        };
        roles.insert(id, role);
    }

    // Several flows leaving a task or a start event without a gateway: BPMN takes every one
    // (an implicit parallel split) unless they carry conditions. Unnamed ones become a split;
    // named or conditional ones stay a choice, as the modeller most likely meant. Both warn.
    let mut pending: Vec<PendingEdge> = Vec::new();
    let mut implicit_splits: BTreeMap<&str, NodeId> = BTreeMap::new();
    for node in &nodes {
        let id = node.id();
        // Only flows that lead somewhere count (a flow into a dead-end merge leads nowhere).
        let own: Vec<&Flow<'_>> = flows
            .iter()
            .filter(|f| f.source == id)
            .filter(|f| {
                let mut targets = Vec::new();
                resolve_target(f, &flows, &roles, &mut BTreeSet::new(), &mut targets);
                !targets.is_empty()
            })
            .collect();
        if own.len() < 2 || own.iter().any(|f| f.exact.is_some()) {
            continue;
        }
        let from = match roles.get(id) {
            Some(Role::Start) => START,
            Some(Role::Node(n)) => {
                let model = builder.model_mut();
                match model.flow.nodes.get(*n) {
                    Some(Node::Step { step }) if model.steps[*step].kind != StepKind::Decision => {
                        *n
                    }
                    _ => continue,
                }
            }
            _ => continue,
        };
        let label = crate::attributes::one_line(node.label().unwrap_or(id));
        if own.iter().any(|f| f.named) {
            diagnostics.push(warning(
                "W0913",
                Text::new(
                    format!(
                        "{} 行目の「{label}」からゲートウェイなしで {} 本の流れが出ています。名前か条件があるため、どれか 1 つを選ぶ分岐として取り込みます（BPMN では条件を満たす流れすべてに進みます）",
                        node.line,
                        own.len()
                    ),
                    format!(
                        "line {}: {} flows leave \"{label}\" without a gateway; they are named or conditional, so they are imported as a choice of one (BPMN takes every flow whose condition holds)",
                        node.line,
                        own.len()
                    ),
                ),
            ));
            continue;
        }
        diagnostics.push(warning(
            "W0913",
            Text::new(
                format!(
                    "{} 行目の「{label}」からゲートウェイなしで {} 本の流れが出ています。BPMN ではすべてに進むため、並行の分岐として取り込みます",
                    node.line,
                    own.len()
                ),
                format!(
                    "line {}: {} flows leave \"{label}\" without a gateway; BPMN takes them all, so they are imported as parallel branches",
                    node.line,
                    own.len()
                ),
            ),
        ));
        blocks += 1;
        let split = builder.node(Node::Split {
            block: blocks - 1,
            span: Span::default(),
        });
        implicit_splits.insert(id, split);
        pending.push(PendingEdge {
            from,
            to: split,
            label: None,
            probability: None,
            exact: None,
        });
    }

    // Edges, with pass-through nodes resolved.
    for flow in &flows {
        let source_role = roles.get(flow.source).copied().unwrap_or(Role::Skip);
        let from = match (implicit_splits.get(flow.source), source_role) {
            (Some(split), _) => *split,
            (None, Role::Node(n)) => n,
            (None, Role::Start) => START,
            (None, Role::JoinSplit { split, .. }) => split,
            (None, Role::Absorbed { into } | Role::Boundary { host: into }) => {
                match roles.get(into) {
                    Some(Role::Node(n)) => *n,
                    _ => continue,
                }
            }
            (None, Role::Bypass | Role::Skip) => continue,
        };
        if let Some(Role::Absorbed { into }) = roles.get(flow.target)
            && *into == flow.source
        {
            continue;
        }
        let boundary_label = match source_role {
            Role::Boundary { .. } => by_id
                .get(flow.source)
                .and_then(|b| b.label())
                .map(str::to_owned),
            _ => None,
        };
        let mut targets = Vec::new();
        let mut seen = BTreeSet::new();
        resolve_target(flow, &flows, &roles, &mut seen, &mut targets);
        let direct = targets.len() == 1 && !matches!(source_role, Role::Boundary { .. });
        for (to, label, probability) in targets {
            // An exact edge is one model edge: it holds only when the flow reaches one node.
            let exact = flow.exact.clone().filter(|_| direct);
            pending.push(PendingEdge {
                from,
                to,
                label: boundary_label.clone().or(label),
                probability,
                exact,
            });
        }
    }

    // A gateway that joins and splits is a join immediately followed by a split: without
    // this edge everything after it would be unreachable.
    for role in roles.values() {
        if let Role::JoinSplit { join, split } = role {
            pending.push(PendingEdge {
                from: *join,
                to: *split,
                label: None,
                probability: None,
                exact: None,
            });
        }
    }

    // Steps outside every lane in a process with lanes: take a neighbour's actor.
    for (step, _) in &lane_less {
        let node = builder.node_of(*step);
        let model = builder.model_mut();
        let neighbour = pending
            .iter()
            .filter(|e| e.to == node)
            .map(|e| e.from)
            .chain(pending.iter().filter(|e| e.from == node).map(|e| e.to))
            .find_map(|n| match model.flow.nodes.get(n) {
                Some(Node::Step { step }) if model.steps[*step].actor != UNSET => {
                    Some(model.steps[*step].actor)
                }
                _ => None,
            });
        let actor = match neighbour {
            Some(actor) => actor,
            None => fallback_actor(&mut builder),
        };
        builder.step_mut(*step).actor = actor;
    }
    // A second pass settles chains of lane-less steps.
    for (step, _) in &lane_less {
        if builder.step_mut(*step).actor == UNSET {
            let actor = fallback_actor(&mut builder);
            builder.step_mut(*step).actor = actor;
        }
    }

    // The start: several start events, or none (nodes without incoming flows).
    if !pending.iter().any(|e| e.from == START) {
        let node_count = builder.model_mut().flow.nodes.len();
        let sources: Vec<NodeId> = (1..node_count)
            .filter(|n| !pending.iter().any(|e| e.to == *n))
            .filter(|n| {
                !matches!(
                    builder.model_mut().flow.nodes[*n],
                    Node::End { .. } | Node::Join { .. }
                )
            })
            .collect();
        if !nodes.is_empty() {
            diagnostics.push(warning(
                "W0905",
                Text::new(
                    format!(
                        "プロセス「{name}」に開始イベントがありません。流入のない工程から始まるものとします"
                    ),
                    format!(
                        "process \"{name}\" has no start event; the flow starts at the nodes without incoming flows"
                    ),
                ),
            ));
        }
        for to in sources {
            pending.push(PendingEdge {
                from: START,
                to,
                label: None,
                probability: None,
                exact: None,
            });
        }
    }
    // Dead ends: an implicit end, as after the last statement of a `.flow` file.
    let node_count = builder.model_mut().flow.nodes.len();
    let sinks: Vec<NodeId> = (0..node_count)
        .filter(|n| !pending.iter().any(|e| e.from == *n))
        .filter(|n| !matches!(builder.model_mut().flow.nodes[*n], Node::End { .. }))
        .collect();
    if !sinks.is_empty() {
        let end = builder.end();
        for from in sinks {
            pending.push(PendingEdge {
                from,
                to: end,
                label: None,
                probability: None,
                exact: None,
            });
        }
    }
    if builder.model_mut().actors.is_empty() {
        let _ = fallback_actor(&mut builder);
    }

    finish_edges(&mut builder, pending);
    pair_blocks(builder.model_mut(), diagnostics, name, &exact_blocks);
    builder.finish()
}

const START: NodeId = nagare_model::Flow::START;

/// A lane on its way to becoming an actor.
#[derive(Debug, Clone)]
struct Lane<'a> {
    id: &'a str,
    /// The actor name: the lane's `name`, else filled in by [`name_unnamed_lanes`].
    name: String,
    /// What nagare wrote about the actor, for a file it exported.
    actor: Option<extension::ActorInfo>,
}

/// Appends every lane of `set` (nested ones too) and records the innermost lane of each node.
fn collect_lanes<'a>(
    set: &'a Element,
    depth: usize,
    lane_of: &mut BTreeMap<&'a str, (usize, &'a str)>,
    lanes: &mut Vec<Lane<'a>>,
) {
    for lane in set.children_named("lane") {
        let actor = extension::read_actor(lane);
        // An actor name ends at the first colon in a `.flow` file, so colons cannot stay.
        let name = actor
            .as_ref()
            .and_then(|a| a.name.as_deref())
            .or_else(|| lane.label())
            .map(|n| crate::attributes::one_line(n).replace([':', '：'], " "))
            .unwrap_or_default();
        lanes.push(Lane {
            id: lane.id(),
            name,
            actor,
        });
        for node_ref in lane.children_named("flowNodeRef") {
            let node = node_ref.text.trim();
            if lane_of.get(node).is_none_or(|(d, _)| *d < depth) {
                lane_of.insert(node, (depth, lane.id()));
            }
        }
        for child in lane.children_named("childLaneSet") {
            collect_lanes(child, depth + 1, lane_of, lanes);
        }
    }
}

/// Names the lanes without a `name`: a raw id such as `sid-744AEFB3-…` means nothing to city
/// staff, so a lone unnamed lane takes the pool's (or process's) name, and the others are
/// numbered `担当1`, `担当2`… in document order.
fn name_unnamed_lanes(lanes: &mut [Lane<'_>], pool: Option<&str>) {
    let unnamed = lanes.iter().filter(|l| l.name.is_empty()).count();
    let pool = pool
        .map(|p| crate::attributes::one_line(p).replace([':', '：'], " "))
        .filter(|p| !p.is_empty());
    let mut number = 0;
    for lane in lanes.iter_mut().filter(|l| l.name.is_empty()) {
        lane.name = match &pool {
            Some(pool) if unnamed == 1 => pool.clone(),
            _ => {
                number += 1;
                format!("担当{number}")
            }
        };
    }
}

/// Returns the step an unnamed decision gateway belongs to: its only predecessor, if that is an
/// activity whose only outgoing flow leads to the gateway (nagare writes a decision as branches
/// under the step that checks, and exports it as that task followed by a gateway).
fn absorbing_step<'a>(
    gateway: &str,
    flows: &[Flow<'a>],
    by_id: &BTreeMap<&str, &Element>,
    outgoing: impl Fn(&str) -> usize,
) -> Option<&'a str> {
    let mut incoming = flows.iter().filter(|f| f.target == gateway);
    let only = incoming.next()?;
    if incoming.next().is_some() || outgoing(only.source) != 1 {
        return None;
    }
    let source = by_id.get(only.source)?;
    let is_activity = TASKS.contains(&source.name.as_str())
        || SUB_PROCESSES.contains(&source.name.as_str())
        || source.name == "callActivity";
    is_activity.then_some(only.source)
}

/// Returns the label of an unnamed decision gateway: a raw id (`Gateway_0x7f…`) means nothing
/// to city staff, so the names of its outgoing flows (for an event-based gateway, of the events
/// it waits for), else `判断N` (Nth unnamed decision).
fn decision_label(
    gateway: &str,
    flows: &[Flow<'_>],
    by_id: &BTreeMap<&str, &Element>,
    number: usize,
) -> String {
    let outgoing = || flows.iter().filter(|f| f.source == gateway);
    let mut names: Vec<String> = outgoing()
        .filter_map(|f| f.label.clone())
        .filter(|l| !l.is_empty())
        .collect();
    if names.is_empty()
        && by_id
            .get(gateway)
            .is_some_and(|g| g.is("eventBasedGateway"))
    {
        names = outgoing()
            .filter_map(|f| by_id.get(f.target).and_then(|t| t.label()))
            .map(crate::attributes::one_line)
            .filter(|l| !l.is_empty())
            .collect();
    }
    let joined = names.join("・");
    if names.is_empty() || joined.chars().count() > 40 {
        format!("判断{number}")
    } else {
        format!("判断（{joined}）")
    }
}

/// Resolves the target of `flow` into model nodes, running through pass-through nodes.
fn resolve_target<'a>(
    flow: &Flow<'a>,
    flows: &[Flow<'a>],
    roles: &BTreeMap<&str, Role<'a>>,
    seen: &mut BTreeSet<&'a str>,
    out: &mut Vec<(NodeId, Option<String>, Option<f64>)>,
) {
    match roles.get(flow.target).copied().unwrap_or(Role::Skip) {
        Role::Node(n) => out.push((n, flow.label.clone(), flow.probability)),
        Role::JoinSplit { join, .. } => out.push((join, flow.label.clone(), flow.probability)),
        Role::Absorbed { into } => {
            if let Some(Role::Node(n)) = roles.get(into) {
                out.push((*n, flow.label.clone(), flow.probability));
            }
        }
        Role::Bypass => {
            if !seen.insert(flow.target) {
                return;
            }
            for next in flows.iter().filter(|f| f.source == flow.target) {
                let mut before = Vec::new();
                resolve_target(next, flows, roles, seen, &mut before);
                for (to, label, probability) in before {
                    out.push((
                        to,
                        flow.label.clone().or(label),
                        match (flow.probability, probability) {
                            (Some(a), Some(b)) => Some(a * b),
                            (a, b) => a.or(b),
                        },
                    ));
                }
            }
        }
        Role::Start | Role::Boundary { .. } | Role::Skip => {}
    }
}

/// Adds the edges with their kinds and probabilities; marks back edges as send-backs.
fn finish_edges(builder: &mut ModelBuilder, pending: Vec<PendingEdge>) {
    let nodes = builder.model_mut().flow.nodes.clone();
    let mut by_source: BTreeMap<NodeId, Vec<usize>> = BTreeMap::new();
    for (index, edge) in pending.iter().enumerate() {
        if edge.exact.is_none() {
            by_source.entry(edge.from).or_default().push(index);
        }
    }
    let mut exact_edges = BTreeSet::new();
    for edge in &pending {
        if let Some(exact) = &edge.exact {
            exact_edges.insert(builder.model_mut().flow.edges.len());
            builder.edge(edge.from, edge.to, exact.kind, exact.probability);
            if let Some(last) = builder.model_mut().flow.edges.last_mut() {
                last.label.clone_from(&exact.label);
            }
            continue;
        }
        let siblings = &by_source[&edge.from];
        let is_split = matches!(nodes[edge.from], Node::Split { .. });
        let into_join = matches!(nodes[edge.to], Node::Join { .. });
        let (kind, probability) = if is_split || (into_join && siblings.len() == 1) {
            (EdgeKind::Parallel, 1.0)
        } else if siblings.len() == 1 {
            (
                EdgeKind::Sequence,
                edge.probability.unwrap_or(1.0).clamp(0.0, 1.0),
            )
        } else {
            let known: f64 = siblings
                .iter()
                .filter_map(|i| pending[*i].probability)
                .sum();
            let unknown = siblings
                .iter()
                .filter(|i| pending[**i].probability.is_none())
                .count();
            // Rounded percentages (3 × 33.3%) are scaled so that the branches cover every case.
            if unknown == 0 && known > 0.0 && (known - 1.0).abs() < 0.02 {
                let p = edge.probability.unwrap_or(0.0) / known;
                builder.edge(edge.from, edge.to, EdgeKind::Branch, p);
                if let Some(last) = builder.model_mut().flow.edges.last_mut() {
                    last.label.clone_from(&edge.label);
                }
                continue;
            }
            let share = if unknown == 0 {
                0.0
            } else {
                (1.0 - known).max(0.0) / unknown as f64
            };
            (EdgeKind::Branch, edge.probability.unwrap_or(share))
        };
        builder.edge(edge.from, edge.to, kind, probability);
        if let Some(last) = builder.model_mut().flow.edges.last_mut() {
            last.label.clone_from(&edge.label);
        }
    }
    mark_send_backs(builder.model_mut(), &exact_edges);
}

/// Marks edges that close a cycle in a depth-first walk from the start as send-backs (差戻し).
fn mark_send_backs(model: &mut Model, exact: &BTreeSet<usize>) {
    let count = model.flow.nodes.len();
    let mut state = vec![0u8; count]; // 0 new, 1 on the stack, 2 done
    let mut back = BTreeSet::new();
    let mut stack: Vec<(NodeId, usize)> = vec![(START, 0)];
    state[START] = 1;
    let edges: Vec<(NodeId, NodeId)> = model.flow.edges.iter().map(|e| (e.from, e.to)).collect();
    while let Some((node, next)) = stack.last().copied() {
        let out: Vec<usize> = (0..edges.len()).filter(|i| edges[*i].0 == node).collect();
        if let Some(&edge) = out.get(next) {
            if let Some(top) = stack.last_mut() {
                top.1 += 1;
            }
            let target = edges[edge].1;
            match state[target] {
                0 => {
                    state[target] = 1;
                    stack.push((target, 0));
                }
                1 => {
                    back.insert(edge);
                }
                _ => {}
            }
        } else {
            state[node] = 2;
            stack.pop();
        }
    }
    for edge in back {
        if model.flow.edges[edge].kind != EdgeKind::Parallel && !exact.contains(&edge) {
            model.flow.edges[edge].kind = EdgeKind::SendBack;
        }
    }
}

/// Gives each split the block id of the join its branches meet at first, where one exists.
fn pair_blocks(
    model: &mut Model,
    diagnostics: &mut Vec<Diagnostic>,
    name: &str,
    exact: &BTreeSet<NodeId>,
) {
    let splits: Vec<NodeId> = (0..model.flow.nodes.len())
        .filter(|n| matches!(model.flow.nodes[*n], Node::Split { .. }) && !exact.contains(n))
        .collect();
    let mut paired_joins: BTreeSet<NodeId> = exact.clone();
    for split in splits {
        let branches: Vec<NodeId> = model.flow.outgoing(split).map(|e| e.to).collect();
        // Breadth-first distance from each branch to every join it reaches.
        let reach: Vec<BTreeMap<NodeId, usize>> = branches
            .iter()
            .map(|start| joins_reached(model, *start))
            .collect();
        let candidate = reach.first().and_then(|first| {
            first
                .iter()
                .filter(|(join, _)| !paired_joins.contains(*join))
                .filter(|(join, _)| reach.iter().all(|r| r.contains_key(*join)))
                .min_by_key(|(join, distance)| (**distance, **join))
                .map(|(join, _)| *join)
        });
        match candidate {
            Some(join) => {
                paired_joins.insert(join);
                if let (Node::Split { block, .. }, Node::Join { block: join_block, .. }) =
                    (&model.flow.nodes[split], &model.flow.nodes[join])
                {
                    let block = *block;
                    let _ = join_block;
                    if let Node::Join { block: b, .. } = &mut model.flow.nodes[join] {
                        *b = block;
                    }
                }
            }
            None => match join_where_branches_meet(model, split) {
                Some((end, true)) => {
                    // The new join and end are the last nodes; no other split may take the join.
                    paired_joins.insert(model.flow.nodes.len() - 2);
                    diagnostics.push(warning(
                        "W0904",
                        Text::new(
                            format!(
                                "プロセス「{name}」の並行分岐は合流せずにそれぞれ終了します。すべての分岐が終わるまで待つ合流を置き、1 つの終了「{end}」にまとめます"
                            ),
                            format!(
                                "process \"{name}\": the branches of a parallel split end separately; they are joined (the process waits for all of them) before one end \"{end}\""
                            ),
                        ),
                    ));
                }
                Some((meet, _)) => {
                    // The new join is the last node; no other split may take it.
                    paired_joins.insert(model.flow.nodes.len() - 1);
                    diagnostics.push(warning(
                    "W0904",
                    Text::new(
                        format!(
                            "プロセス「{name}」の並行分岐に対応する並行ゲートウェイの合流がありません。分岐が最初に出会う「{meet}」の直前で合流するものとします"
                        ),
                        format!(
                            "process \"{name}\": a parallel split has no matching parallel join; its branches are joined where they first meet, before \"{meet}\""
                        ),
                    ),
                    ));
                }
                None => diagnostics.push(warning(
                    "W0904",
                    Text::new(
                        format!(
                            "プロセス「{name}」の並行分岐に対応する合流が見つかりません。並行ブロックは閉じられません"
                        ),
                        format!(
                            "process \"{name}\": a parallel split has no matching join; the parallel block stays open"
                        ),
                    ),
                )),
            },
        }
    }
}

/// Closes the block of `split` with a new join just before the first node every branch
/// reaches (an inclusive merge after a parallel split, or branches drawn straight into one
/// task): BPMN waits there for the branches that run, and nagare needs a join to say so.
/// Branches that never meet but each end are joined before one end instead. Returns the name
/// of the node after the join and whether the branches ended, or `None` (model unchanged).
fn join_where_branches_meet(model: &mut Model, split: NodeId) -> Option<(String, bool)> {
    let Node::Split { block, .. } = model.flow.nodes[split] else {
        return None;
    };
    let branches: Vec<NodeId> = model.flow.outgoing(split).map(|e| e.to).collect();
    if branches.len() < 2 {
        return None;
    }
    let reach: Vec<BTreeMap<NodeId, usize>> = branches
        .iter()
        .map(|start| forward_distances(model, *start))
        .collect();
    let meet = reach
        .first()?
        .keys()
        .copied()
        .filter(|n| *n != split)
        .filter(|n| reach.iter().all(|r| r.contains_key(n)));
    let meet = meet.min_by_key(|n| (reach.iter().filter_map(|r| r.get(n)).max().copied(), *n));
    let inside = forward_distances(model, split);
    let Some(meet) = meet else {
        return join_before_the_ends(model, block, &inside).map(|end| (end, true));
    };
    // The edges that arrive at the meeting point from inside the block enter the join.
    let join = model.flow.nodes.len();
    model.flow.nodes.push(Node::Join {
        block,
        span: Span::default(),
    });
    for edge in &mut model.flow.edges {
        if edge.to == meet && edge.kind != EdgeKind::SendBack && inside.contains_key(&edge.from) {
            edge.to = join;
            if edge.kind == EdgeKind::Sequence {
                edge.kind = EdgeKind::Parallel;
            }
        }
    }
    model.flow.edges.push(nagare_model::Edge {
        from: join,
        to: meet,
        probability: 1.0,
        label: None,
        kind: EdgeKind::Sequence,
        span: Span::default(),
    });
    let name = match &model.flow.nodes[meet] {
        Node::Step { step } => model.steps[*step].label.clone(),
        Node::End { label, .. } => label.clone().unwrap_or_else(|| "終了".to_owned()),
        _ => "合流".to_owned(),
    };
    Some((name, false))
}

/// Closes the block of `split` whose branches run to ends of their own (BPMN finishes when
/// every branch has): the edges into those ends enter a new join, followed by one end that
/// keeps their labels. Returns the end's label, or `None` (model unchanged) when there is no
/// end or a path leaves the block by a send-back.
fn join_before_the_ends(
    model: &mut Model,
    block: usize,
    inside: &BTreeMap<NodeId, usize>,
) -> Option<String> {
    let ends: Vec<NodeId> = inside
        .keys()
        .copied()
        .filter(|n| matches!(model.flow.nodes[*n], Node::End { .. }))
        .collect();
    // A send-back out of the block would make the join wait for a branch that left it.
    let leaves = inside.keys().any(|n| {
        model
            .flow
            .outgoing(*n)
            .any(|e| e.kind == EdgeKind::SendBack && !inside.contains_key(&e.to))
    });
    if ends.is_empty() || leaves {
        return None;
    }
    let mut labels: Vec<String> = Vec::new();
    for end in &ends {
        if let Node::End {
            label: Some(label), ..
        } = &model.flow.nodes[*end]
            && !labels.contains(label)
        {
            labels.push(label.clone());
        }
    }
    let label = (!labels.is_empty()).then(|| labels.join(" / "));
    let join = model.flow.nodes.len();
    model.flow.nodes.push(Node::Join {
        block,
        span: Span::default(),
    });
    let end = model.flow.nodes.len();
    model.flow.nodes.push(Node::End {
        label: label.clone(),
        span: Span::default(),
    });
    for edge in &mut model.flow.edges {
        if ends.contains(&edge.to) && inside.contains_key(&edge.from) {
            edge.to = join;
            if edge.kind == EdgeKind::Sequence {
                edge.kind = EdgeKind::Parallel;
            }
        }
    }
    model.flow.edges.push(nagare_model::Edge {
        from: join,
        to: end,
        probability: 1.0,
        label: None,
        kind: EdgeKind::Sequence,
        span: Span::default(),
    });
    Some(label.unwrap_or_else(|| "終了".to_owned()))
}

/// Returns the breadth-first distance from `start` to every node it reaches without send-backs.
fn forward_distances(model: &Model, start: NodeId) -> BTreeMap<NodeId, usize> {
    let mut found = BTreeMap::from([(start, 0)]);
    let mut frontier = vec![start];
    let mut distance = 0;
    while !frontier.is_empty() {
        distance += 1;
        let mut next = Vec::new();
        for node in frontier {
            for edge in model.flow.outgoing(node) {
                if edge.kind != EdgeKind::SendBack && !found.contains_key(&edge.to) {
                    found.insert(edge.to, distance);
                    next.push(edge.to);
                }
            }
        }
        frontier = next;
    }
    found
}

fn joins_reached(model: &Model, start: NodeId) -> BTreeMap<NodeId, usize> {
    let mut found = BTreeMap::new();
    let mut seen = BTreeSet::from([start]);
    let mut frontier = vec![start];
    let mut distance = 0;
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for node in frontier {
            if matches!(model.flow.nodes[node], Node::Join { .. }) {
                found.entry(node).or_insert(distance);
            }
            for edge in model.flow.outgoing(node) {
                if edge.kind != EdgeKind::SendBack && seen.insert(edge.to) {
                    next.push(edge.to);
                }
            }
        }
        frontier = next;
        distance += 1;
    }
    found
}

fn not_imported(node: &Element, what_ja: &str, what_en: &str) -> Diagnostic {
    warning(
        "W0901",
        Text::new(
            format!(
                "{} 行目の{what_ja}「{}」は取り込みません",
                node.line,
                node.label().unwrap_or_else(|| node.id())
            ),
            format!(
                "line {}: {what_en} \"{}\" is not imported",
                node.line,
                node.label().unwrap_or_else(|| node.id())
            ),
        ),
    )
}

/// Splits a trailing probability off a flow name: `不備あり (10%)` → (`不備あり`, 0.1).
pub(crate) fn split_probability(name: &str) -> (Option<String>, Option<f64>) {
    let trimmed = name.trim();
    let without_paren = trimmed
        .strip_suffix(')')
        .or_else(|| trimmed.strip_suffix('）'))
        .map(str::trim_end);
    let body = without_paren.unwrap_or(trimmed);
    let Some(number_part) = body.strip_suffix('%').or_else(|| body.strip_suffix('％')) else {
        return (Some(trimmed.to_owned()), None);
    };
    let digits_start = number_part
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()
        .map(|(i, _)| i);
    let Some(start) = digits_start else {
        return (Some(trimmed.to_owned()), None);
    };
    let Ok(percent) = number_part[start..].parse::<f64>() else {
        return (Some(trimmed.to_owned()), None);
    };
    let mut rest = number_part[..start].trim_end();
    if without_paren.is_some() {
        match rest.strip_suffix('(').or_else(|| rest.strip_suffix('（')) {
            Some(r) => rest = r.trim_end(),
            None => return (Some(trimmed.to_owned()), None),
        }
    }
    if !(0.0..=100.0).contains(&percent) {
        return (Some(trimmed.to_owned()), None);
    }
    let label = (!rest.is_empty()).then(|| rest.to_owned());
    (label, Some(percent / 100.0))
}

/// Returns the actor kind a lane name suggests (システム → system, 住民 → resident…).
pub(crate) fn guess_kind(name: &str) -> ActorKind {
    let lower = name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    // A section of the city hall (市民課, 住民記録係) names residents but is staff.
    let section = [
        "課",
        "係",
        "室",
        "部",
        "局",
        "班",
        "担当",
        "窓口",
        "センター",
    ]
    .iter()
    .any(|suffix| lower.trim_end().ends_with(suffix));
    if has(&["rpa", "ロボット", "robot"]) {
        ActorKind::Rpa
    } else if has(&["システム", "system", "server", "サーバ"]) {
        ActorKind::System
    } else if has(&[
        "外部",
        "他機関",
        "業者",
        "銀行",
        "external",
        "bank",
        "supplier",
        "vendor",
    ]) {
        ActorKind::External
    } else if !section
        && has(&[
            "住民",
            "申請者",
            "請求者",
            "届出人",
            "届出者",
            "申出人",
            "申出者",
            "申告者",
            "利用者",
            "保護者",
            "納税者",
            "世帯主",
            "来庁者",
            "市民",
            "区民",
            "町民",
            "村民",
            "県民",
            "本人",
            "applicant",
            "customer",
            "citizen",
            "resident",
            "client",
            "claimant",
            "requester",
            "顧客",
        ])
    {
        ActorKind::Resident
    } else {
        ActorKind::Staff
    }
}

fn unique_name(name: &str, taken: &BTreeSet<String>) -> String {
    if !taken.contains(name) {
        return name.to_owned();
    }
    (2..)
        .map(|n| format!("{name} ({n})"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| name.to_owned())
}

/// Returns a process id usable as a nagare `ID:` (letters, digits, `-`, `_`).
fn slug(id: &str) -> String {
    let slug: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() {
        "process".to_owned()
    } else {
        slug
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // In tests a panic is the failure report.
mod tests {
    use super::*;

    #[test]
    fn probabilities_are_split_off_flow_names() {
        assert_eq!(
            split_probability("不備あり (10%)"),
            (Some("不備あり".to_owned()), Some(0.1))
        );
        assert_eq!(split_probability("(90%)"), (None, Some(0.9)));
        assert_eq!(
            split_probability("yes 25％"),
            (Some("yes".to_owned()), Some(0.25))
        );
        assert_eq!(split_probability("no"), (Some("no".to_owned()), None));
        assert_eq!(split_probability("(%)"), (Some("(%)".to_owned()), None));
        assert_eq!(split_probability("300%"), (Some("300%".to_owned()), None));
    }

    #[test]
    fn lane_names_suggest_kinds() {
        assert_eq!(guess_kind("税務システム"), ActorKind::System);
        assert_eq!(guess_kind("申請者"), ActorKind::Resident);
        assert_eq!(guess_kind("Customer"), ActorKind::Resident);
        assert_eq!(guess_kind("窓口"), ActorKind::Staff);
        assert_eq!(guess_kind("RPA"), ActorKind::Rpa);
        for resident in [
            "請求者",
            "住民",
            "市民",
            "Applicant",
            "Citizen",
            "届出人",
            "保護者",
        ] {
            assert_eq!(guess_kind(resident), ActorKind::Resident, "{resident}");
        }
        assert_eq!(guess_kind("市民課"), ActorKind::Staff);
        assert_eq!(guess_kind("住民記録係"), ActorKind::Staff);
    }

    fn lane(name: &str) -> Lane<'static> {
        Lane {
            id: "sid-744AEFB3-0000",
            name: name.to_owned(),
            actor: None,
        }
    }

    #[test]
    fn unnamed_lanes_take_the_pool_name_or_a_number_never_the_id() {
        let mut lanes = [lane("窓口"), lane("")];
        name_unnamed_lanes(&mut lanes, Some("転入届"));
        assert_eq!(lanes[1].name, "転入届");
        let mut lanes = [lane(""), lane(""), lane("窓口")];
        name_unnamed_lanes(&mut lanes, Some("転入届"));
        assert_eq!(
            lanes.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
            ["担当1", "担当2", "窓口"]
        );
        let mut lanes = [lane("")];
        name_unnamed_lanes(&mut lanes, None);
        assert_eq!(lanes[0].name, "担当1");
    }
}
