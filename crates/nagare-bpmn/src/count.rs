//! Counting the semantic elements of a BPMN file, by the rules of the shared corpus README:
//! every `process` at every depth, lanes by `flowNodeRef`, cycles as strongly connected
//! components of the sequence-flow graph.

use std::collections::BTreeMap;

use petgraph::graph::{DiGraph, NodeIndex};
use serde::{Deserialize, Serialize};

use crate::dom::Element;

/// How many of each kind of semantic element a BPMN file holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Every `participant`.
    pub pools: usize,
    /// Every `lane`, nested ones included.
    pub lanes: usize,
    /// `task` and its typed forms (user, service, send, receive, manual, business rule, script).
    pub tasks: usize,
    /// `subProcess`, `transaction`, `adHocSubProcess`.
    pub sub_processes: usize,
    pub call_activities: usize,
    /// Tasks + sub-processes + call activities.
    pub activities: usize,
    /// Start, end, intermediate catch and throw, boundary.
    pub events: usize,
    /// Exclusive, parallel, inclusive, event-based, complex.
    pub gateways: usize,
    pub sequence_flows: usize,
    pub message_flows: usize,
    /// Sequence flows whose source and target lie in different lanes.
    pub handoffs: usize,
    pub data_object_refs: usize,
    pub data_store_refs: usize,
    /// Strongly connected components of more than one node in the sequence-flow graph.
    pub cycles: usize,
    /// `standardLoopCharacteristics` and `multiInstanceLoopCharacteristics`.
    pub loop_markers: usize,
}

pub(crate) const TASKS: &[&str] = &[
    "task",
    "userTask",
    "serviceTask",
    "sendTask",
    "receiveTask",
    "manualTask",
    "businessRuleTask",
    "scriptTask",
];
pub(crate) const SUB_PROCESSES: &[&str] = &["subProcess", "transaction", "adHocSubProcess"];
pub(crate) const EVENTS: &[&str] = &[
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
];
pub(crate) const GATEWAYS: &[&str] = &[
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "eventBasedGateway",
    "complexGateway",
];

/// Returns true for elements that are flow nodes (may be the end of a sequence flow).
pub(crate) fn is_flow_node(element: &Element) -> bool {
    element.ns == crate::dom::Ns::Bpmn
        && (TASKS.contains(&element.name.as_str())
            || SUB_PROCESSES.contains(&element.name.as_str())
            || element.name == "callActivity"
            || EVENTS.contains(&element.name.as_str())
            || GATEWAYS.contains(&element.name.as_str()))
}

/// What the walk collects besides plain tallies.
#[derive(Debug, Default)]
struct Walk<'a> {
    counts: Counts,
    /// Node id → id of its outermost enclosing flow node directly in a process (itself if top).
    top: BTreeMap<&'a str, &'a str>,
    /// Boundary event id → attached activity id.
    attached: BTreeMap<&'a str, &'a str>,
    /// Node id → (lane depth, lane id) of the innermost lane listing it.
    lane: BTreeMap<&'a str, (usize, &'a str)>,
    flows: Vec<(&'a str, &'a str)>,
}

/// Returns the counts of a parsed document.
pub(crate) fn count_tree(root: &Element) -> Counts {
    let mut walk = Walk::default();
    visit(root, &mut walk, false, None);
    let mut counts = walk.counts;
    counts.activities = counts.tasks + counts.sub_processes + counts.call_activities;
    counts.sequence_flows = walk.flows.len();
    counts.handoffs = walk
        .flows
        .iter()
        .filter(
            |(source, target)| match (lane_of(&walk, source), lane_of(&walk, target)) {
                (Some(a), Some(b)) => a != b,
                _ => false,
            },
        )
        .count();
    counts.cycles = cycles(&walk.flows);
    counts
}

/// Returns the lane a node counts in for handoffs (see the corpus README's rules).
fn lane_of<'a>(walk: &Walk<'a>, node: &str) -> Option<&'a str> {
    let mut top = *walk.top.get(node)?;
    if let Some(activity) = walk.attached.get(top) {
        top = walk.top.get(activity).copied()?;
    }
    walk.lane.get(top).map(|(_, lane)| *lane)
}

fn visit<'a>(element: &'a Element, walk: &mut Walk<'a>, in_process: bool, top: Option<&'a str>) {
    if element.ns != crate::dom::Ns::Bpmn {
        return;
    }
    let name = element.name.as_str();
    let counts = &mut walk.counts;
    match name {
        "participant" => counts.pools += 1,
        "messageFlow" => counts.message_flows += 1,
        _ => {}
    }
    if name == "process" {
        for child in &element.children {
            visit(child, walk, true, None);
        }
        return;
    }
    if !in_process {
        for child in &element.children {
            visit(child, walk, false, None);
        }
        return;
    }
    match name {
        n if TASKS.contains(&n) => counts.tasks += 1,
        n if SUB_PROCESSES.contains(&n) => counts.sub_processes += 1,
        "callActivity" => counts.call_activities += 1,
        n if EVENTS.contains(&n) => counts.events += 1,
        n if GATEWAYS.contains(&n) => counts.gateways += 1,
        "dataObjectReference" => counts.data_object_refs += 1,
        "dataStoreReference" => counts.data_store_refs += 1,
        "standardLoopCharacteristics" | "multiInstanceLoopCharacteristics" => {
            counts.loop_markers += 1;
        }
        "laneSet" => {
            visit_lanes(element, walk, 0);
            return;
        }
        "sequenceFlow" => {
            walk.flows.push((
                element.attr("sourceRef").unwrap_or("").trim(),
                element.attr("targetRef").unwrap_or("").trim(),
            ));
            return;
        }
        _ => {}
    }
    let mut inner_top = top;
    if is_flow_node(element) {
        let own = top.unwrap_or_else(|| element.id());
        walk.top.insert(element.id(), own);
        inner_top = Some(own);
        if name == "boundaryEvent"
            && let Some(activity) = element.attr("attachedToRef")
        {
            walk.attached.insert(element.id(), activity.trim());
        }
    }
    for child in &element.children {
        visit(child, walk, true, inner_top);
    }
}

/// Visits a `laneSet` or `childLaneSet`: counts lanes and records the innermost lane of nodes.
fn visit_lanes<'a>(set: &'a Element, walk: &mut Walk<'a>, depth: usize) {
    for lane in set.children_named("lane") {
        walk.counts.lanes += 1;
        for node_ref in lane.children_named("flowNodeRef") {
            let node = node_ref.text.trim();
            let deeper = walk.lane.get(node).is_none_or(|(d, _)| *d < depth);
            if deeper {
                walk.lane.insert(node, (depth, lane.id()));
            }
        }
        for child in lane.children_named("childLaneSet") {
            visit_lanes(child, walk, depth + 1);
        }
    }
}

/// Returns the number of strongly connected components with more than one node.
fn cycles(flows: &[(&str, &str)]) -> usize {
    let mut graph: DiGraph<(), ()> = DiGraph::new();
    let mut index: BTreeMap<&str, NodeIndex> = BTreeMap::new();
    for (source, target) in flows {
        let a = *index.entry(source).or_insert_with(|| graph.add_node(()));
        let b = *index.entry(target).or_insert_with(|| graph.add_node(()));
        graph.add_edge(a, b, ());
    }
    petgraph::algo::tarjan_scc(&graph)
        .iter()
        .filter(|scc| scc.len() > 1)
        .count()
}
