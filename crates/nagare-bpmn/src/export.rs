//! Export: a nagare [`Model`] as BPMN 2.0 XML (one collaboration, one pool, one lane per actor)
//! with a `BPMNDiagram` laid out on a lane × order grid, so that bpmn.io or Camunda Modeler can
//! open it. Element ids derive from step keys and node indices: the output is deterministic.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use nagare_model::{ActorKind, EdgeKind, Model, Node, NodeId, StepKind};
use quick_xml::escape::escape;

use crate::attributes::{number, one_line, step_attributes};
use crate::extension;

/// Indentation of the content of a flow element's `extensionElements`.
const EXT_INDENT: &str = "        ";

const TASK: (f64, f64) = (100.0, 80.0);
const GATEWAY: (f64, f64) = (50.0, 50.0);
const EVENT: (f64, f64) = (36.0, 36.0);
const COLUMN: f64 = 150.0;
const ROW: f64 = 120.0;
/// Left of the first column: pool label strip (30) + lane label strip (30) + margin.
const LEFT: f64 = 80.0;
const LANE_X: f64 = 30.0;

/// One BPMN flow node written for a model node (a branching task writes two: task + gateway).
#[derive(Debug, Clone)]
struct Shape {
    id: String,
    /// The BPMN element name (`userTask`, `exclusiveGateway`…).
    element: &'static str,
    name: Option<String>,
    documentation: Option<String>,
    /// nagare's extension elements (step attributes, parallel block ids), already indented.
    extension: Option<String>,
    actor: usize,
    size: (f64, f64),
    /// Grid position: column (order) and row within the lane.
    column: usize,
    row: usize,
    incoming: Vec<String>,
    outgoing: Vec<String>,
}

#[derive(Debug, Clone)]
struct FlowOut {
    id: String,
    source: usize,
    target: usize,
    name: Option<String>,
    /// The model edge's exact kind, probability and label (none for task → gateway flows).
    extension: Option<String>,
}

/// Returns `model` as BPMN 2.0 XML with diagram information; never fails.
#[must_use]
pub fn export(model: &Model) -> String {
    let nodes = &model.flow.nodes;
    let outgoing_real = |n: NodeId| {
        model
            .flow
            .outgoing(n)
            .filter(|e| e.kind != EdgeKind::Parallel)
            .count()
    };
    let actor_count = model.actors.len().max(1);
    let lane_of = lanes_of_nodes(model);
    let columns = columns(model);
    let mut shapes: Vec<Shape> = Vec::new();
    // Model node → (shape receiving its incoming flows, shape sending its outgoing flows).
    let mut ends: Vec<(usize, usize)> = Vec::with_capacity(nodes.len());
    let mut used_ids = BTreeSet::new();
    let mut flows: Vec<FlowOut> = Vec::new();
    for (index, node) in nodes.iter().enumerate() {
        let actor = lane_of[index].min(actor_count - 1);
        let column = columns[index] * 2;
        let mut shape = |id: String, element, name: Option<String>, size, column| {
            let id = unique_id(&id, &mut used_ids);
            shapes.push(Shape {
                id,
                element,
                name,
                documentation: None,
                extension: None,
                actor,
                size,
                column,
                row: 0,
                incoming: Vec::new(),
                outgoing: Vec::new(),
            });
            shapes.len() - 1
        };
        let pair = match node {
            Node::Start => {
                let s = shape("StartEvent_1".to_owned(), "startEvent", None, EVENT, column);
                (s, s)
            }
            Node::End { label, .. } => {
                let s = shape(
                    format!("EndEvent_{index}"),
                    "endEvent",
                    label.as_deref().map(one_line),
                    EVENT,
                    column,
                );
                shapes[s].extension = label
                    .as_deref()
                    .filter(|l| one_line(l) != *l)
                    .map(|l| extension::end(l, EXT_INDENT));
                (s, s)
            }
            Node::Split { block, .. } => {
                let s = shape(
                    format!("Gateway_split_{block}_{index}"),
                    "parallelGateway",
                    None,
                    GATEWAY,
                    column,
                );
                shapes[s].extension = Some(extension::block("split", *block, EXT_INDENT));
                (s, s)
            }
            Node::Join { block, .. } => {
                let s = shape(
                    format!("Gateway_join_{block}_{index}"),
                    "parallelGateway",
                    None,
                    GATEWAY,
                    column,
                );
                shapes[s].extension = Some(extension::block("join", *block, EXT_INDENT));
                (s, s)
            }
            Node::Step { step } => {
                let Some(step) = model.steps.get(*step) else {
                    let s = shape(format!("Task_{index}"), "task", None, TASK, column);
                    ends.push((s, s));
                    continue;
                };
                let key = sanitize(&step.key);
                let branching = outgoing_real(index) >= 2;
                let automated = model
                    .actors
                    .get(step.actor)
                    .is_some_and(|a| matches!(a.kind, ActorKind::System | ActorKind::Rpa));
                let (element, size) = match step.kind {
                    StepKind::Decision if branching => ("exclusiveGateway", GATEWAY),
                    StepKind::Wait => ("intermediateCatchEvent", EVENT),
                    StepKind::Subprocess => ("subProcess", TASK),
                    _ if automated => ("serviceTask", TASK),
                    _ => ("userTask", TASK),
                };
                let prefix = match element {
                    "exclusiveGateway" => "Gateway",
                    "intermediateCatchEvent" => "Event",
                    _ => "Activity",
                };
                let s = shape(
                    format!("{prefix}_{key}"),
                    element,
                    Some(one_line(&step.label)),
                    size,
                    column,
                );
                let attributes = step_attributes(model, step);
                let documentation = (!attributes.is_empty()).then(|| attributes.join(", "));
                let pair = if branching && element != "exclusiveGateway" {
                    // nagare writes a decision as branches under the step that checks; BPMN
                    // needs a gateway after the task.
                    let g = shape(
                        format!("Gateway_{key}"),
                        "exclusiveGateway",
                        None,
                        GATEWAY,
                        column + 1,
                    );
                    let id = unique_id(&format!("Flow_{key}_gateway"), &mut used_ids);
                    flows.push(FlowOut {
                        id,
                        source: s,
                        target: g,
                        name: None,
                        extension: None,
                    });
                    (s, g)
                } else {
                    (s, s)
                };
                shapes[s].documentation = documentation;
                shapes[s].extension = Some(extension::step(model, step, EXT_INDENT));
                pair
            }
        };
        ends.push(pair);
    }
    for (index, edge) in model.flow.edges.iter().enumerate() {
        let (Some(from), Some(to)) = (ends.get(edge.from), ends.get(edge.to)) else {
            continue;
        };
        let branching = outgoing_real(edge.from) >= 2 && edge.kind != EdgeKind::Parallel;
        let label = edge
            .label
            .as_deref()
            .map(one_line)
            .filter(|l| !l.is_empty());
        let name = if branching {
            let percent = format!("({}%)", number(edge.probability * 100.0));
            Some(match label {
                Some(label) => format!("{label} {percent}"),
                None => percent,
            })
        } else {
            label
        };
        let id = unique_id(&format!("Flow_{}", index + 1), &mut used_ids);
        flows.push(FlowOut {
            id,
            source: from.1,
            target: to.0,
            name,
            extension: Some(extension::edge(edge, EXT_INDENT)),
        });
    }
    for flow in &flows {
        shapes[flow.source].outgoing.push(flow.id.clone());
        shapes[flow.target].incoming.push(flow.id.clone());
    }
    // Rows: shapes sharing a lane and a column are stacked.
    let mut taken: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for shape in &mut shapes {
        let slot = taken.entry((shape.actor, shape.column)).or_insert(0);
        shape.row = *slot;
        *slot += 1;
    }
    let mut lane_rows = vec![1usize; actor_count];
    for ((actor, _), rows) in &taken {
        lane_rows[*actor] = lane_rows[*actor].max(*rows);
    }
    let lane_top: Vec<f64> = lane_rows
        .iter()
        .scan(0.0, |y, rows| {
            let top = *y;
            *y += *rows as f64 * ROW;
            Some(top)
        })
        .collect();
    let height: f64 = lane_rows.iter().map(|r| *r as f64 * ROW).sum();
    let max_column = shapes.iter().map(|s| s.column).max().unwrap_or(0);
    let width = LEFT + (max_column + 1) as f64 * COLUMN;
    let centre = |shape: &Shape| -> (f64, f64) {
        (
            LEFT + shape.column as f64 * COLUMN + COLUMN / 2.0,
            lane_top[shape.actor] + shape.row as f64 * ROW + ROW / 2.0,
        )
    };

    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(concat!(
        "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"",
        " xmlns:bpmndi=\"http://www.omg.org/spec/BPMN/20100524/DI\"",
        " xmlns:dc=\"http://www.omg.org/spec/DD/20100524/DC\"",
        " xmlns:di=\"http://www.omg.org/spec/DD/20100524/DI\"",
        " xmlns:nagare=\"urn:nagare:bpmn:1\"",
        " id=\"Definitions_1\" targetNamespace=\"urn:nagare:bpmn\" exporter=\"nagare\"",
    ));
    let _ = writeln!(out, " exporterVersion=\"{}\">", env!("CARGO_PKG_VERSION"));
    let name = escape(one_line(&model.process.name)).into_owned();
    out.push_str("  <bpmn:collaboration id=\"Collaboration_1\">\n");
    let _ = writeln!(
        out,
        "    <bpmn:participant id=\"Participant_1\" name=\"{name}\" processRef=\"Process_1\" />"
    );
    out.push_str("  </bpmn:collaboration>\n");
    let _ = writeln!(
        out,
        "  <bpmn:process id=\"Process_1\" name=\"{name}\" isExecutable=\"false\">"
    );
    let mut documentation = vec![format!("版: {}", model.process.variant.as_str())];
    if let Some(volume) = model.process.volume_per_year {
        documentation.push(format!("件数: {}/年", number(volume)));
    }
    if let Some(department) = &model.process.department {
        documentation.push(format!("担当課: {}", one_line(department)));
    }
    let _ = writeln!(
        out,
        "    <bpmn:documentation>{}</bpmn:documentation>",
        escape(documentation.join(" / "))
    );
    out.push_str("    <bpmn:extensionElements>\n");
    out.push_str(&extension::process(model, "      "));
    out.push_str("    </bpmn:extensionElements>\n");
    out.push_str("    <bpmn:laneSet id=\"LaneSet_1\">\n");
    for lane in 0..actor_count {
        let lane_name = model.actors.get(lane).map_or("", |a| a.name.as_str());
        let _ = writeln!(
            out,
            "      <bpmn:lane id=\"Lane_{}\" name=\"{}\">",
            lane + 1,
            escape(one_line(lane_name))
        );
        if let Some(actor) = model.actors.get(lane) {
            out.push_str("        <bpmn:extensionElements>\n");
            out.push_str(&extension::actor(actor, "          "));
            out.push_str("        </bpmn:extensionElements>\n");
        }
        for shape in shapes.iter().filter(|s| s.actor == lane) {
            let _ = writeln!(
                out,
                "        <bpmn:flowNodeRef>{}</bpmn:flowNodeRef>",
                shape.id
            );
        }
        out.push_str("      </bpmn:lane>\n");
    }
    out.push_str("    </bpmn:laneSet>\n");
    // Shapes in step order first, so that a re-import keeps the steps in order.
    for shape in &shapes {
        let _ = write!(out, "    <bpmn:{} id=\"{}\"", shape.element, shape.id);
        if let Some(name) = &shape.name {
            let _ = write!(out, " name=\"{}\"", escape(name.as_str()));
        }
        out.push_str(">\n");
        if let Some(documentation) = &shape.documentation {
            let _ = writeln!(
                out,
                "      <bpmn:documentation>{}</bpmn:documentation>",
                escape(documentation.as_str())
            );
        }
        if let Some(extension) = &shape.extension {
            out.push_str("      <bpmn:extensionElements>\n");
            out.push_str(extension);
            out.push_str("      </bpmn:extensionElements>\n");
        }
        for flow in &shape.incoming {
            let _ = writeln!(out, "      <bpmn:incoming>{flow}</bpmn:incoming>");
        }
        for flow in &shape.outgoing {
            let _ = writeln!(out, "      <bpmn:outgoing>{flow}</bpmn:outgoing>");
        }
        if shape.element == "intermediateCatchEvent" {
            let _ = writeln!(
                out,
                "      <bpmn:timerEventDefinition id=\"{}_timer\" />",
                shape.id
            );
        }
        let _ = writeln!(out, "    </bpmn:{}>", shape.element);
    }
    for flow in &flows {
        let _ = write!(
            out,
            "    <bpmn:sequenceFlow id=\"{}\" sourceRef=\"{}\" targetRef=\"{}\"",
            flow.id, shapes[flow.source].id, shapes[flow.target].id
        );
        if let Some(name) = &flow.name {
            let _ = write!(out, " name=\"{}\"", escape(name.as_str()));
        }
        match &flow.extension {
            Some(extension) => {
                out.push_str(">\n      <bpmn:extensionElements>\n");
                out.push_str(extension);
                out.push_str("      </bpmn:extensionElements>\n    </bpmn:sequenceFlow>\n");
            }
            None => out.push_str(" />\n"),
        }
    }
    out.push_str("  </bpmn:process>\n");

    // Diagram.
    out.push_str("  <bpmndi:BPMNDiagram id=\"BPMNDiagram_1\">\n");
    out.push_str("    <bpmndi:BPMNPlane id=\"BPMNPlane_1\" bpmnElement=\"Collaboration_1\">\n");
    bounds_shape(
        &mut out,
        "Participant_1",
        (0.0, 0.0, width, height),
        " isHorizontal=\"true\"",
    );
    for lane in 0..actor_count {
        bounds_shape(
            &mut out,
            &format!("Lane_{}", lane + 1),
            (
                LANE_X,
                lane_top[lane],
                width - LANE_X,
                lane_rows[lane] as f64 * ROW,
            ),
            " isHorizontal=\"true\"",
        );
    }
    for shape in &shapes {
        let (cx, cy) = centre(shape);
        let extra = match shape.element {
            "exclusiveGateway" => " isMarkerVisible=\"true\"",
            "subProcess" => " isExpanded=\"false\"",
            _ => "",
        };
        bounds_shape(
            &mut out,
            &shape.id,
            (
                cx - shape.size.0 / 2.0,
                cy - shape.size.1 / 2.0,
                shape.size.0,
                shape.size.1,
            ),
            extra,
        );
    }
    for flow in &flows {
        let (source, target) = (&shapes[flow.source], &shapes[flow.target]);
        let (sx, sy) = centre(source);
        let (tx, ty) = centre(target);
        let start = (sx + source.size.0 / 2.0, sy);
        let end = (tx - target.size.0 / 2.0, ty);
        let mut points = vec![start];
        if (sy - ty).abs() > f64::EPSILON || end.0 < start.0 {
            // Orthogonal route; a flow going back runs below both shapes.
            if end.0 < start.0 {
                let below = sy.max(ty) + ROW / 2.0 - 10.0;
                points.push((start.0 + 15.0, sy));
                points.push((start.0 + 15.0, below));
                points.push((end.0 - 15.0, below));
                points.push((end.0 - 15.0, ty));
            } else {
                let mid = f64::midpoint(start.0, end.0);
                points.push((mid, sy));
                points.push((mid, ty));
            }
        }
        points.push(end);
        let _ = writeln!(
            out,
            "      <bpmndi:BPMNEdge id=\"{}_di\" bpmnElement=\"{}\">",
            flow.id, flow.id
        );
        for (x, y) in points {
            let _ = writeln!(out, "        <di:waypoint x=\"{x:.1}\" y=\"{y:.1}\" />");
        }
        out.push_str("      </bpmndi:BPMNEdge>\n");
    }
    out.push_str("    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n</bpmn:definitions>\n");
    out
}

fn bounds_shape(out: &mut String, element: &str, (x, y, w, h): (f64, f64, f64, f64), extra: &str) {
    let _ = writeln!(
        out,
        "      <bpmndi:BPMNShape id=\"{element}_di\" bpmnElement=\"{element}\"{extra}>"
    );
    let _ = writeln!(
        out,
        "        <dc:Bounds x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" />"
    );
    out.push_str("      </bpmndi:BPMNShape>\n");
}

/// Returns the actor (lane) of every node: a step's own actor; other nodes take the actor of
/// the nearest step before them (else after them), so that events and gateways sit in the lane
/// of the work they belong to.
fn lanes_of_nodes(model: &Model) -> Vec<usize> {
    let count = model.flow.nodes.len();
    let mut lane: Vec<Option<usize>> = model
        .flow
        .nodes
        .iter()
        .map(|n| match n {
            Node::Step { step } => model.steps.get(*step).map(|s| s.actor),
            _ => None,
        })
        .collect();
    // Propagate forward then backward until nothing changes (bounded by the node count).
    for _ in 0..count {
        let mut changed = false;
        for edge in &model.flow.edges {
            if edge.from < count && edge.to < count {
                if lane[edge.to].is_none() && lane[edge.from].is_some() && edge.to != 0 {
                    lane[edge.to] = lane[edge.from];
                    changed = true;
                }
                if lane[edge.from].is_none() && lane[edge.to].is_some() {
                    lane[edge.from] = lane[edge.to];
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    lane.into_iter().map(|l| l.unwrap_or(0)).collect()
}

/// Returns the grid column of every node: the longest path from the start, ignoring send-backs.
fn columns(model: &Model) -> Vec<usize> {
    let count = model.flow.nodes.len();
    let mut column = vec![0usize; count];
    // Bellman–Ford style relaxation, bounded so that a cycle without send-back marks terminates.
    for _ in 0..count {
        let mut changed = false;
        for edge in &model.flow.edges {
            if edge.kind == EdgeKind::SendBack || edge.from >= count || edge.to >= count {
                continue;
            }
            if column[edge.to] < column[edge.from] + 1 && column[edge.from] + 1 < count {
                column[edge.to] = column[edge.from] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    column
}

/// Returns `key` as an XML NCName fragment (ASCII letters, digits, `_`, `-`, `.`).
fn sanitize(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn unique_id(id: &str, used: &mut BTreeSet<String>) -> String {
    let mut candidate = id.to_owned();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{id}_{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}
