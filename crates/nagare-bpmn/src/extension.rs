//! The nagare extension namespace: what BPMN 2.0 cannot say about a nagare model (actor kinds,
//! step media, times, documents, flags, exact probabilities, the process header), written into
//! `extensionElements` on export and read back on import.
//!
//! Other tools ignore (and bpmn.io keeps) elements of foreign namespaces inside
//! `extensionElements`, so the file stays valid BPMN while a nagare → BPMN → nagare round trip
//! keeps the metrics. Every element and attribute is optional on import: a file edited by hand
//! or by another tool loses only what was removed, never the whole import.

use std::fmt::Write as _;

use nagare_model::{
    Actor, ActorKind, DocMedium, DocRole, DocUse, Document, Edge, EdgeKind, Endpoint, Medium,
    Minutes, Model, Process, Removal, Step, StepKind, Transcription, Variant,
};
use nagare_syntax::Span;
use quick_xml::escape::escape;

use crate::dom::{Element, Ns};

/// The namespace of nagare's extension elements (a URN: nothing is fetched from it).
pub(crate) const NAGARE_NS: &str = "urn:nagare:bpmn:1";

/// Returns `value` for an XML attribute: the shortest text that reads back as the same `f64`.
///
/// Rust's `Display` for `f64` is deterministic and round-trips exactly, which is what a
/// lossless round trip needs; a fixed number of decimals would change 1/3 into 0.333333.
fn float(value: f64) -> String {
    format!("{value}")
}

fn attr(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, " {name}=\"{}\"", escape(value));
}

fn flag(out: &mut String, name: &str, on: bool) {
    if on {
        attr(out, name, "true");
    }
}

/// Returns the `extensionElements` content of the process: header, documents, removals.
pub(crate) fn process(model: &Model, indent: &str) -> String {
    let p = &model.process;
    let mut out = String::new();
    let _ = write!(out, "{indent}<nagare:process");
    attr(&mut out, "id", &p.id);
    attr(&mut out, "variant", p.variant.as_str());
    if let Some(volume) = p.volume_per_year {
        attr(&mut out, "volume", &float(volume));
    }
    if let Some(department) = &p.department {
        attr(&mut out, "department", department);
    }
    if let Some(basis) = &p.legal_basis {
        attr(&mut out, "legalBasis", basis);
    }
    flag(&mut out, "nationalPriority", p.national_priority);
    if let Some(fee) = p.fee_yen {
        attr(&mut out, "fee", &float(fee));
    }
    flag(&mut out, "onlinePayment", p.online_payment);
    if p.notes.is_empty() {
        out.push_str(" />\n");
    } else {
        out.push_str(">\n");
        for note in &p.notes {
            let _ = writeln!(out, "{indent}  <nagare:note>{}</nagare:note>", escape(note));
        }
        let _ = writeln!(out, "{indent}</nagare:process>");
    }
    for document in &model.documents {
        let _ = write!(out, "{indent}<nagare:document");
        attr(&mut out, "name", &document.name);
        attr(&mut out, "medium", doc_medium_name(document.medium));
        flag(&mut out, "govHeld", document.gov_held);
        fields(&mut out, &document.fields, indent, "document");
    }
    for removal in &model.removed {
        let _ = write!(out, "{indent}<nagare:removed");
        attr(&mut out, "steps", &removal.step_ids.join(" "));
        attr(&mut out, "reason", &removal.reason);
        out.push_str(" />\n");
    }
    out
}

/// Closes an element either empty or with one `<nagare:field>` per field.
fn fields(out: &mut String, fields: &[String], indent: &str, element: &str) {
    if fields.is_empty() {
        out.push_str(" />\n");
        return;
    }
    out.push_str(">\n");
    for field in fields {
        let _ = writeln!(
            out,
            "{indent}  <nagare:field>{}</nagare:field>",
            escape(field)
        );
    }
    let _ = writeln!(out, "{indent}</nagare:{element}>");
}

/// Returns the `extensionElements` content of an actor's lane.
pub(crate) fn actor(actor: &Actor, indent: &str) -> String {
    let mut out = String::new();
    let _ = write!(out, "{indent}<nagare:actor");
    attr(&mut out, "name", &actor.name);
    attr(&mut out, "kind", actor_kind_name(actor.kind));
    if let Some(department) = &actor.department {
        attr(&mut out, "department", department);
    }
    out.push_str(" />\n");
    out
}

/// Returns the `extensionElements` content of a step's shape.
pub(crate) fn step(model: &Model, step: &Step, indent: &str) -> String {
    let mut out = String::new();
    let _ = write!(out, "{indent}<nagare:step");
    attr(&mut out, "key", &step.key);
    if let Some(id) = &step.id {
        attr(&mut out, "id", id);
    }
    attr(&mut out, "label", &step.label);
    attr(&mut out, "kind", step_kind_name(step.kind));
    if let Some(medium) = step.medium {
        attr(&mut out, "medium", medium_name(medium));
    }
    for (name, minutes) in [("work", step.work), ("wait", step.wait)] {
        if let Some(minutes) = minutes {
            attr(&mut out, name, &float(minutes.p50));
            if let Some(p90) = minutes.p90 {
                attr(&mut out, &format!("{name}P90"), &float(p90));
            }
        }
    }
    let f = step.flags;
    for (name, on) in [
        ("seal", f.seal),
        ("signature", f.signature),
        ("idCheck", f.id_check),
        ("visit", f.visit),
        ("legalPaper", f.legal_paper),
        ("legalPresence", f.legal_presence),
        ("inspection", f.inspection),
        ("manualCheck", f.manual_check),
    ] {
        flag(&mut out, name, on);
    }
    if let Some(item) = &step.item {
        attr(&mut out, "item", item);
    }
    if let Some(system) = &step.system {
        attr(&mut out, "system", system);
    }
    if let Some(rule) = step.rule_based {
        attr(&mut out, "ruleBased", &rule.to_string());
    }
    if let Some(rate) = step.exception_rate {
        attr(&mut out, "exceptionRate", &float(rate));
    }
    if !step.replaces.is_empty() {
        attr(&mut out, "replaces", &step.replaces.join(" "));
    }
    let mut children = String::new();
    let inner = format!("{indent}  ");
    for doc_use in &step.docs {
        let Some(document) = model.documents.get(doc_use.doc) else {
            continue;
        };
        let _ = write!(children, "{inner}<nagare:doc");
        attr(&mut children, "name", &document.name);
        attr(&mut children, "role", doc_role_name(doc_use.role));
        fields(&mut children, &doc_use.fields, &inner, "doc");
    }
    if let Some(transcription) = &step.transcription {
        let _ = write!(children, "{inner}<nagare:transcription");
        for (side, endpoint) in [("from", &transcription.from), ("to", &transcription.to)] {
            match endpoint {
                Endpoint::Document(doc) => {
                    if let Some(document) = model.documents.get(*doc) {
                        attr(&mut children, &format!("{side}Document"), &document.name);
                    }
                }
                Endpoint::System(system) => {
                    attr(&mut children, &format!("{side}System"), system);
                }
            }
        }
        children.push_str(" />\n");
    }
    if let Some(note) = &step.note {
        let _ = writeln!(
            children,
            "{inner}<nagare:note>{}</nagare:note>",
            escape(note)
        );
    }
    if children.is_empty() {
        out.push_str(" />\n");
    } else {
        out.push_str(">\n");
        out.push_str(&children);
        let _ = writeln!(out, "{indent}</nagare:step>");
    }
    out
}

/// Returns the `extensionElements` content of the sequence flow written for `edge`.
pub(crate) fn edge(edge: &Edge, indent: &str) -> String {
    let mut out = String::new();
    let _ = write!(out, "{indent}<nagare:edge");
    attr(&mut out, "kind", edge_kind_name(edge.kind));
    attr(&mut out, "probability", &float(edge.probability));
    if let Some(label) = &edge.label {
        attr(&mut out, "label", label);
    }
    out.push_str(" />\n");
    out
}

/// Returns the `extensionElements` content of a parallel gateway (`split` or `join`).
pub(crate) fn block(element: &str, block: usize, indent: &str) -> String {
    format!("{indent}<nagare:{element} block=\"{block}\" />\n")
}

/// Returns the `extensionElements` content of an end event with a label.
pub(crate) fn end(label: &str, indent: &str) -> String {
    let mut out = format!("{indent}<nagare:end");
    attr(&mut out, "label", label);
    out.push_str(" />\n");
    out
}

// ---- Reading ----

/// Returns the nagare extension element `name` of a BPMN element, if it has one.
pub(crate) fn find<'a>(element: &'a Element, name: &str) -> Option<&'a Element> {
    element
        .children_named("extensionElements")
        .flat_map(|e| e.children.iter())
        .find(|c| c.ns == Ns::Nagare && c.name == name)
}

/// Returns every nagare extension element `name` of a BPMN element, in document order.
fn find_all<'a>(element: &'a Element, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
    element
        .children_named("extensionElements")
        .flat_map(|e| e.children.iter())
        .filter(move |c| c.ns == Ns::Nagare && c.name == name)
}

fn nagare_children<'a>(element: &'a Element, name: &'a str) -> impl Iterator<Item = &'a Element> {
    element
        .children
        .iter()
        .filter(move |c| c.ns == Ns::Nagare && c.name == name)
}

fn text_children(element: &Element, name: &str) -> Vec<String> {
    nagare_children(element, name)
        .map(|c| c.text.clone())
        .collect()
}

fn number(element: &Element, name: &str) -> Option<f64> {
    element
        .attr(name)
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite())
}

fn is_true(element: &Element, name: &str) -> bool {
    element.attr(name).is_some_and(|v| v.trim() == "true")
}

fn owned(element: &Element, name: &str) -> Option<String> {
    element.attr(name).map(str::to_owned)
}

fn words(element: &Element, name: &str) -> Vec<String> {
    element
        .attr(name)
        .map(|v| v.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Applies the process header, documents and removals of `process` to `model`; returns true if
/// the process carries nagare's header (its notes then replace the BPMN documentation).
pub(crate) fn read_process(process: &Element, model: &mut Model) -> bool {
    let Some(header) = find(process, "process") else {
        return false;
    };
    let p: &mut Process = &mut model.process;
    if let Some(id) = header.attr("id").filter(|id| !id.trim().is_empty()) {
        id.clone_into(&mut p.id);
    }
    if let Some(variant) = header.attr("variant").and_then(variant) {
        p.variant = variant;
    }
    p.volume_per_year = number(header, "volume");
    p.department = owned(header, "department");
    p.legal_basis = owned(header, "legalBasis");
    p.national_priority = is_true(header, "nationalPriority");
    p.fee_yen = number(header, "fee");
    p.online_payment = is_true(header, "onlinePayment");
    p.notes = text_children(header, "note");
    for document in find_all(process, "document") {
        let Some(name) = document.attr("name") else {
            continue;
        };
        model.documents.push(Document {
            name: name.to_owned(),
            medium: document
                .attr("medium")
                .and_then(doc_medium)
                .unwrap_or_default(),
            fields: text_children(document, "field"),
            gov_held: is_true(document, "govHeld"),
            span: Span::default(),
        });
    }
    for removal in find_all(process, "removed") {
        model.removed.push(Removal {
            step_ids: words(removal, "steps"),
            reason: removal.attr("reason").unwrap_or("").to_owned(),
            span: Span::default(),
        });
    }
    true
}

/// What a lane's `nagare:actor` says.
#[derive(Debug, Clone)]
pub(crate) struct ActorInfo {
    pub(crate) name: Option<String>,
    pub(crate) kind: Option<ActorKind>,
    pub(crate) department: Option<String>,
}

/// Returns the actor written on a lane, if any.
pub(crate) fn read_actor(lane: &Element) -> Option<ActorInfo> {
    let actor = find(lane, "actor")?;
    Some(ActorInfo {
        name: owned(actor, "name").filter(|n| !n.trim().is_empty()),
        kind: actor.attr("kind").and_then(actor_kind),
        department: owned(actor, "department"),
    })
}

/// Applies a shape's `nagare:step` to `step`; returns false if the shape has none.
pub(crate) fn read_step(element: &Element, model: &Model, step: &mut Step) -> bool {
    let Some(ext) = find(element, "step") else {
        return false;
    };
    if let Some(key) = ext.attr("key").filter(|k| !k.trim().is_empty()) {
        key.clone_into(&mut step.key);
    }
    step.id = owned(ext, "id");
    if let Some(id) = &step.id {
        step.key.clone_from(id);
    }
    if let Some(label) = ext.attr("label").filter(|l| !l.trim().is_empty()) {
        label.clone_into(&mut step.label);
    }
    if let Some(kind) = ext.attr("kind").and_then(step_kind) {
        step.kind = kind;
    }
    step.medium = ext.attr("medium").and_then(medium);
    let minutes = |name: &str| {
        number(ext, name).map(|p50| Minutes {
            p50,
            p90: number(ext, &format!("{name}P90")),
        })
    };
    step.work = minutes("work");
    step.wait = minutes("wait");
    let f = &mut step.flags;
    f.seal = is_true(ext, "seal");
    f.signature = is_true(ext, "signature");
    f.id_check = is_true(ext, "idCheck");
    f.visit = is_true(ext, "visit");
    f.legal_paper = is_true(ext, "legalPaper");
    f.legal_presence = is_true(ext, "legalPresence");
    f.inspection = is_true(ext, "inspection");
    f.manual_check = is_true(ext, "manualCheck");
    step.item = owned(ext, "item");
    step.system = owned(ext, "system");
    step.rule_based = ext
        .attr("ruleBased")
        .and_then(|v| v.trim().parse::<u8>().ok())
        .filter(|r| (1..=5).contains(r));
    step.exception_rate = number(ext, "exceptionRate").filter(|r| (0.0..=1.0).contains(r));
    step.replaces = words(ext, "replaces");
    step.docs = nagare_children(ext, "doc")
        .filter_map(|d| {
            let doc = model.document_by_name(d.attr("name")?)?;
            Some(DocUse {
                doc,
                role: d.attr("role").and_then(doc_role)?,
                fields: text_children(d, "field"),
                span: Span::default(),
            })
        })
        .collect();
    step.transcription = nagare_children(ext, "transcription").next().and_then(|t| {
        let endpoint = |side: &str| {
            if let Some(name) = t.attr(&format!("{side}Document")) {
                model.document_by_name(name).map(Endpoint::Document)
            } else {
                owned(t, &format!("{side}System")).map(Endpoint::System)
            }
        };
        Some(Transcription {
            from: endpoint("from")?,
            to: endpoint("to")?,
            span: Span::default(),
        })
    });
    step.note = nagare_children(ext, "note").next().map(|n| n.text.clone());
    true
}

/// An edge's kind, probability and label exactly as nagare wrote them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExactEdge {
    pub(crate) kind: EdgeKind,
    pub(crate) probability: f64,
    pub(crate) label: Option<String>,
}

/// Returns the `nagare:edge` of a sequence flow, if it has a valid one.
pub(crate) fn read_edge(flow: &Element) -> Option<ExactEdge> {
    let ext = find(flow, "edge")?;
    Some(ExactEdge {
        kind: ext.attr("kind").and_then(edge_kind)?,
        probability: number(ext, "probability").filter(|p| (0.0..=1.0).contains(p))?,
        label: owned(ext, "label"),
    })
}

/// Returns `(is_split, block)` for a parallel gateway written by nagare.
pub(crate) fn read_block(gateway: &Element) -> Option<(bool, usize)> {
    let (is_split, ext) = match (find(gateway, "split"), find(gateway, "join")) {
        (Some(ext), None) => (true, ext),
        (None, Some(ext)) => (false, ext),
        _ => return None,
    };
    let block = ext.attr("block")?.trim().parse().ok()?;
    Some((is_split, block))
}

/// Returns the exact label of an end event written by nagare.
pub(crate) fn read_end(event: &Element) -> Option<String> {
    find(event, "end").and_then(|e| owned(e, "label"))
}

// ---- Names: the kebab-case names of the model's serde form, so JSON and BPMN agree ----

fn variant(name: &str) -> Option<Variant> {
    [Variant::AsIs, Variant::CanBe, Variant::ToBe]
        .into_iter()
        .find(|v| v.as_str() == name.trim())
}

const ACTOR_KINDS: [(ActorKind, &str); 5] = [
    (ActorKind::Resident, "resident"),
    (ActorKind::Staff, "staff"),
    (ActorKind::External, "external"),
    (ActorKind::System, "system"),
    (ActorKind::Rpa, "rpa"),
];

/// Returns the name of an actor kind in the extension (`resident`, `staff`…).
pub(crate) fn actor_kind_name(kind: ActorKind) -> &'static str {
    ACTOR_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("staff", |(_, n)| n)
}

fn actor_kind(name: &str) -> Option<ActorKind> {
    ACTOR_KINDS
        .iter()
        .find(|(_, n)| *n == name.trim())
        .map(|(k, _)| *k)
}

const DOC_MEDIA: [(DocMedium, &str); 5] = [
    (DocMedium::PaperForm, "paper-form"),
    (DocMedium::Handwritten, "handwritten"),
    (DocMedium::Printed, "printed"),
    (DocMedium::Pdf, "pdf"),
    (DocMedium::Data, "data"),
];

fn doc_medium_name(medium: DocMedium) -> &'static str {
    DOC_MEDIA
        .iter()
        .find(|(m, _)| *m == medium)
        .map_or("paper-form", |(_, n)| n)
}

fn doc_medium(name: &str) -> Option<DocMedium> {
    DOC_MEDIA
        .iter()
        .find(|(_, n)| *n == name.trim())
        .map(|(m, _)| *m)
}

const STEP_KINDS: [(StepKind, &str); 6] = [
    (StepKind::Task, "task"),
    (StepKind::Decision, "decision"),
    (StepKind::Wait, "wait"),
    (StepKind::Start, "start"),
    (StepKind::End, "end"),
    (StepKind::Subprocess, "subprocess"),
];

fn step_kind_name(kind: StepKind) -> &'static str {
    STEP_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("task", |(_, n)| n)
}

fn step_kind(name: &str) -> Option<StepKind> {
    STEP_KINDS
        .iter()
        .find(|(_, n)| *n == name.trim())
        .map(|(k, _)| *k)
}

const MEDIA: [(Medium, &str); 7] = [
    (Medium::Paper, "paper"),
    (Medium::Digital, "digital"),
    (Medium::InPerson, "in-person"),
    (Medium::Phone, "phone"),
    (Medium::Mail, "mail"),
    (Medium::Fax, "fax"),
    (Medium::Email, "email"),
];

fn medium_name(medium: Medium) -> &'static str {
    MEDIA
        .iter()
        .find(|(m, _)| *m == medium)
        .map_or("paper", |(_, n)| n)
}

fn medium(name: &str) -> Option<Medium> {
    MEDIA
        .iter()
        .find(|(_, n)| *n == name.trim())
        .map(|(m, _)| *m)
}

const DOC_ROLES: [(DocRole, &str); 4] = [
    (DocRole::Fill, "fill"),
    (DocRole::Read, "read"),
    (DocRole::Produce, "produce"),
    (DocRole::Attach, "attach"),
];

fn doc_role_name(role: DocRole) -> &'static str {
    DOC_ROLES
        .iter()
        .find(|(r, _)| *r == role)
        .map_or("read", |(_, n)| n)
}

fn doc_role(name: &str) -> Option<DocRole> {
    DOC_ROLES
        .iter()
        .find(|(_, n)| *n == name.trim())
        .map(|(r, _)| *r)
}

const EDGE_KINDS: [(EdgeKind, &str); 5] = [
    (EdgeKind::Sequence, "sequence"),
    (EdgeKind::Branch, "branch"),
    (EdgeKind::SendBack, "send-back"),
    (EdgeKind::Jump, "jump"),
    (EdgeKind::Parallel, "parallel"),
];

fn edge_kind_name(kind: EdgeKind) -> &'static str {
    EDGE_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("sequence", |(_, n)| n)
}

fn edge_kind(name: &str) -> Option<EdgeKind> {
    EDGE_KINDS
        .iter()
        .find(|(_, n)| *n == name.trim())
        .map(|(k, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_serde_names_and_read_back() {
        for (kind, name) in ACTOR_KINDS {
            assert_eq!(actor_kind(name), Some(kind));
        }
        for (kind, name) in EDGE_KINDS {
            assert_eq!(edge_kind(name), Some(kind));
            assert_eq!(edge_kind_name(kind), name);
        }
        for (medium_value, name) in MEDIA {
            assert_eq!(medium(name), Some(medium_value));
        }
        assert_eq!(variant("to-be"), Some(Variant::ToBe));
        assert_eq!(actor_kind("robot"), None);
    }

    #[test]
    fn floats_read_back_exactly() {
        for value in [1.0 / 3.0, 0.1, 15000.0, 2.5e-7] {
            assert_eq!(float(value).parse::<f64>().ok(), Some(value));
        }
    }
}
