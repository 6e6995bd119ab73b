//! BPMN 2.0 interchange, beside the pipeline (BPMN ⇄ **model**): counts the elements of a BPMN
//! file, imports its processes as nagare models and exports a model as BPMN with diagram
//! information. Pure: bytes in, data out; no IO.
//!
//! Export also writes nagare's own semantics (actor kinds, step attributes, exact edges, the
//! process header) in the `urn:nagare:bpmn:1` extension namespace, and import reads them back,
//! so a nagare → BPMN → nagare round trip keeps every metric (docs/bpmn.md).

mod attributes;
mod count;
mod decode;
mod dom;
mod error;
mod export;
mod extension;
mod flow_text;
mod import;

pub use attributes::{one_line, step_attributes};
pub use count::Counts;
pub use error::{BpmnError, NotXmlKind};
pub use export::export;
pub use flow_text::to_flow_text;
pub use import::{Import, import};

/// Returns the element counts of a BPMN 2.0 file (rules: the shared corpus README).
///
/// # Errors
/// If the bytes are not a readable BPMN 2.0 document (encoding, XML, namespaces, duplicate ids).
pub fn count(xml: &[u8]) -> Result<Counts, BpmnError> {
    let text = decode::decode(xml)?;
    let root = dom::parse(&text)?;
    Ok(count::count_tree(&root))
}
