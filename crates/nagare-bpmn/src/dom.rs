//! A small namespace-resolved element tree of a BPMN document.
//!
//! BPMN files are small (kilobytes to a few megabytes) and every consumer here needs random
//! access (references by id, lanes listing nodes declared later), so a tree is simpler and safer
//! than streaming. Prefixes are resolved to namespaces while reading because every tool writes
//! them differently (`semantic:`, `model:`, `bpmn2:`, `bpmn:`, or the default namespace).

use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::BpmnError;
use crate::decode::line_of;

/// The BPMN 2.0 semantic model namespace.
pub(crate) const BPMN_MODEL: &str = "http://www.omg.org/spec/BPMN/20100524/MODEL";

/// Guards against stack exhaustion in the recursive consumers on hostile input.
const MAX_DEPTH: usize = 256;

/// Which namespace an element is in, as far as this crate cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    /// The BPMN semantic model.
    Bpmn,
    /// nagare's own extension elements (see `extension.rs`).
    Nagare,
    /// Diagram interchange, vendor extensions, or no namespace: never read for semantics.
    Other,
}

/// One element with its unprefixed attributes, character data and children.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub(crate) ns: Ns,
    pub(crate) name: String,
    /// Attributes without a prefix (BPMN's own), by local name.
    pub(crate) attrs: BTreeMap<String, String>,
    /// Character data directly inside the element (text, CDATA and references).
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
    /// 1-based line of the start tag, for messages.
    pub(crate) line: usize,
}

impl Element {
    /// Returns true for a BPMN element named `name`.
    pub(crate) fn is(&self, name: &str) -> bool {
        self.ns == Ns::Bpmn && self.name == name
    }

    /// Returns the attribute `name`, if present.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    /// Returns the `id` attribute, or an empty string.
    pub(crate) fn id(&self) -> &str {
        self.attr("id").unwrap_or("")
    }

    /// Returns the BPMN children named `name`.
    pub(crate) fn children_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.is(name))
    }

    /// Returns the trimmed `name` attribute, if not blank.
    pub(crate) fn label(&self) -> Option<&str> {
        self.attr("name").map(str::trim).filter(|n| !n.is_empty())
    }
}

/// Parses `text` into a tree and checks what every consumer relies on: well-formed XML, bound
/// prefixes, a BPMN `definitions` root and unique BPMN ids.
pub(crate) fn parse(text: &str) -> Result<Element, BpmnError> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut lines = LineCounter::default();
    loop {
        let position = reader.buffer_position();
        let event = reader.read_resolved_event();
        let (resolved, event) = match event {
            Ok(pair) => pair,
            Err(error) => {
                let offset = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return Err(BpmnError::Xml {
                    line: line_of(text.as_bytes(), offset.min(text.len())),
                    message: error.to_string(),
                });
            }
        };
        let line = lines.line_at(
            text.as_bytes(),
            usize::try_from(position).unwrap_or(usize::MAX),
        );
        let ns = match &resolved {
            ResolveResult::Bound(ns) if ns.as_ref() == BPMN_MODEL.as_bytes() => Ns::Bpmn,
            ResolveResult::Bound(ns) if ns.as_ref() == crate::extension::NAGARE_NS.as_bytes() => {
                Ns::Nagare
            }
            ResolveResult::Unknown(prefix) => {
                return Err(BpmnError::UnboundPrefix {
                    prefix: String::from_utf8_lossy(prefix).into_owned(),
                    line,
                });
            }
            _ => Ns::Other,
        };
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(BpmnError::TooDeep { line });
                }
                let element = element(&reader, &start, ns, line)?;
                stack.push(element);
            }
            Event::Empty(start) => {
                let element = element(&reader, &start, ns, line)?;
                attach(&mut stack, &mut root, element, line)?;
            }
            Event::End(_) => {
                if let Some(element) = stack.pop() {
                    attach(&mut stack, &mut root, element, line)?;
                }
            }
            Event::Text(text_event) => {
                if let Some(top) = stack.last_mut() {
                    let content = text_event.xml_content().map_err(|e| BpmnError::Xml {
                        line,
                        message: e.to_string(),
                    })?;
                    top.text.push_str(&content);
                }
            }
            Event::CData(cdata) => {
                if let Some(top) = stack.last_mut() {
                    let content = cdata.xml_content().map_err(|e| BpmnError::Xml {
                        line,
                        message: e.to_string(),
                    })?;
                    top.text.push_str(&content);
                }
            }
            Event::GeneralRef(reference) => {
                let resolved_char = reference.resolve_char_ref().map_err(|e| BpmnError::Xml {
                    line,
                    message: e.to_string(),
                })?;
                let replacement = match resolved_char {
                    Some(c) => c.to_string(),
                    None => {
                        let name = reference.xml_content().map_err(|e| BpmnError::Xml {
                            line,
                            message: e.to_string(),
                        })?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(value) => value.to_owned(),
                            None => {
                                return Err(BpmnError::Xml {
                                    line,
                                    message: format!("unknown entity `&{name};`"),
                                });
                            }
                        }
                    }
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&replacement);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(BpmnError::Xml {
            line: open.line,
            message: format!("element `{}` is not closed", open.name),
        });
    }
    let Some(root) = root else {
        return Err(BpmnError::NoRootElement);
    };
    if !root.is("definitions") {
        return Err(BpmnError::NotBpmn {
            root: root.name.clone(),
        });
    }
    check_unique_ids(&root)?;
    Ok(root)
}

/// Tracks line numbers incrementally: events arrive in order, so counting from the start of the
/// text each time would make parsing quadratic.
#[derive(Debug, Default)]
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    /// Returns the 1-based line of `offset`, which must not be before the previous call's.
    fn line_at(&mut self, bytes: &[u8], offset: usize) -> usize {
        let offset = offset.min(bytes.len());
        if offset >= self.offset {
            self.line += bytes[self.offset..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.offset = offset;
        }
        self.line + 1
    }
}

fn element(
    reader: &NsReader<&[u8]>,
    start: &BytesStart<'_>,
    ns: Ns,
    line: usize,
) -> Result<Element, BpmnError> {
    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut attrs = BTreeMap::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| BpmnError::Xml {
            line,
            message: e.to_string(),
        })?;
        let key = attribute.key;
        if key.as_namespace_binding().is_some() {
            continue;
        }
        let (resolved, local) = reader.resolve_attribute(key);
        if let ResolveResult::Unknown(prefix) = resolved {
            return Err(BpmnError::UnboundPrefix {
                prefix: String::from_utf8_lossy(&prefix).into_owned(),
                line,
            });
        }
        if key.prefix().is_some() {
            continue;
        }
        let value = attribute.unescape_value().map_err(|e| BpmnError::Xml {
            line,
            message: e.to_string(),
        })?;
        attrs.insert(
            String::from_utf8_lossy(local.as_ref()).into_owned(),
            value.into_owned(),
        );
    }
    Ok(Element {
        ns,
        name,
        attrs,
        text: String::new(),
        children: Vec::new(),
        line,
    })
}

fn attach(
    stack: &mut [Element],
    root: &mut Option<Element>,
    element: Element,
    line: usize,
) -> Result<(), BpmnError> {
    if let Some(parent) = stack.last_mut() {
        parent.children.push(element);
        Ok(())
    } else if root.is_none() {
        *root = Some(element);
        Ok(())
    } else {
        Err(BpmnError::Xml {
            line,
            message: "more than one root element".to_owned(),
        })
    }
}

/// Refuses two BPMN elements with the same id: references would be ambiguous.
fn check_unique_ids(root: &Element) -> Result<(), BpmnError> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut todo = vec![root];
    while let Some(element) = todo.pop() {
        if element.ns == Ns::Bpmn
            && let Some(id) = element.attr("id")
        {
            if let Some(&first) = seen.get(id) {
                let (first_line, second_line) = if first <= element.line {
                    (first, element.line)
                } else {
                    (element.line, first)
                };
                return Err(BpmnError::DuplicateId {
                    id: id.to_owned(),
                    first_line,
                    second_line,
                });
            }
            seen.insert(id, element.line);
        }
        // Extension content is vendor data: its ids are not BPMN ids.
        if !element.is("extensionElements") {
            todo.extend(element.children.iter().rev());
        }
    }
    Ok(())
}
