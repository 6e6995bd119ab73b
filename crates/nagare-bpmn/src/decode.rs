//! Turns the raw bytes of a BPMN file into text: checks the XML declaration and decodes the
//! declared encoding (UTF-8, ISO-8859-1/US-ASCII, or none, which means UTF-8).
//!
//! Decoding happens before XML parsing so that the parser always sees UTF-8 and so that a
//! file with bytes that do not match its declaration is refused with the exact byte offset
//! instead of producing garbled labels.

use crate::BpmnError;
use crate::error::NotXmlKind;

/// Returns the document as text, or an error naming what is wrong with its bytes.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, BpmnError> {
    let (bytes, bom_len) = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => (rest, 3),
        [0xFE, 0xFF, ..] | [0xFF, 0xFE, ..] => {
            return Err(BpmnError::UnsupportedEncoding {
                encoding: "UTF-16".to_owned(),
            });
        }
        _ => (bytes, 0),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(BpmnError::Empty);
    }
    not_xml(bytes)?;
    let encoding = match declaration(bytes)? {
        Some(decl) => decl.encoding,
        None => None,
    };
    let encoding = encoding.unwrap_or_else(|| "UTF-8".to_owned());
    match encoding.to_ascii_lowercase().as_str() {
        "utf-8" | "utf8" => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.to_owned()),
            Err(error) => Err(BpmnError::InvalidUtf8 {
                offset: error.valid_up_to() + bom_len,
                line: line_of(bytes, error.valid_up_to()),
            }),
        },
        "us-ascii" | "ascii" => match bytes.iter().position(|b| !b.is_ascii()) {
            None => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
            Some(offset) => Err(BpmnError::InvalidAscii {
                offset: offset + bom_len,
                line: line_of(bytes, offset),
            }),
        },
        // ISO-8859-1 maps every byte to the Unicode code point of the same value.
        "iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1" => {
            Ok(bytes.iter().map(|&b| char::from(b)).collect())
        }
        _ => Err(BpmnError::UnsupportedEncoding { encoding }),
    }
}

/// Refuses a file whose first non-blank character is not `<`: every XML document starts with a
/// declaration, a comment or an element. Saying "not XML" (and what it looks like) helps more
/// than the XML parser's complaint about the first line.
fn not_xml(bytes: &[u8]) -> Result<(), BpmnError> {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    if bytes.get(start) == Some(&b'<') {
        return Ok(());
    }
    // Only the head is inspected: enough to recognise a `.flow` header, cheap on large files.
    let head = String::from_utf8_lossy(&bytes[start..bytes.len().min(start + 4096)]);
    let first: String = head.lines().next().unwrap_or("").chars().take(30).collect();
    let flow_line = |line: &str| {
        let line = line.trim_start();
        [
            "業務:",
            "業務：",
            "流れ:",
            "流れ：",
            "担当:",
            "担当：",
            "process:",
            "flow:",
            "actors:",
        ]
        .iter()
        .any(|keyword| line.starts_with(keyword))
    };
    let looks_like = if head.lines().any(flow_line) {
        NotXmlKind::Flow
    } else if head.starts_with(['{', '[']) {
        NotXmlKind::Json
    } else {
        NotXmlKind::Other
    };
    Err(BpmnError::NotXml {
        start: first.trim_end().to_owned(),
        looks_like,
    })
}

/// Returns the 1-based line of byte `offset`.
pub(crate) fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes.iter().take(offset).filter(|&&b| b == b'\n').count() + 1
}

/// What the XML declaration says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Declaration {
    pub(crate) version: String,
    pub(crate) encoding: Option<String>,
}

/// Parses the XML declaration (`<?xml version="1.0" encoding="…"?>`) strictly, if there is one.
///
/// quick-xml accepts a declaration whose pseudo-attributes are not separated by white space
/// (`version="1.0"encoding="UTF-8"`); XML forbids it and other tools refuse such files, so we do
/// too rather than guess.
pub(crate) fn declaration(bytes: &[u8]) -> Result<Option<Declaration>, BpmnError> {
    let Some(rest) = bytes.strip_prefix(b"<?xml") else {
        return Ok(None);
    };
    if !rest.first().is_some_and(u8::is_ascii_whitespace) {
        // `<?xml-stylesheet …?>` and similar processing instructions are not a declaration.
        return Ok(None);
    }
    let Some(end) = rest.windows(2).position(|w| w == b"?>") else {
        return Err(malformed(
            5,
            "the declaration `<?xml` is not closed by `?>`",
        ));
    };
    let body = &rest[..end];
    let mut pos = 0;
    let mut pairs: Vec<(String, String)> = Vec::new();
    loop {
        let ws_start = pos;
        while body.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        if pos == body.len() {
            break;
        }
        if pos == ws_start {
            return Err(malformed(
                5 + pos,
                "pseudo-attributes must be separated by white space",
            ));
        }
        let name_start = pos;
        while body
            .get(pos)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
        {
            pos += 1;
        }
        let name = String::from_utf8_lossy(&body[name_start..pos]).into_owned();
        if name.is_empty() {
            return Err(malformed(5 + pos, "expected a pseudo-attribute name"));
        }
        while body.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        if body.get(pos) != Some(&b'=') {
            return Err(malformed(5 + pos, "expected `=` after the name"));
        }
        pos += 1;
        while body.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        let Some(&quote) = body.get(pos).filter(|q| **q == b'"' || **q == b'\'') else {
            return Err(malformed(5 + pos, "expected a quoted value"));
        };
        pos += 1;
        let value_start = pos;
        while body.get(pos).is_some_and(|b| *b != quote) {
            pos += 1;
        }
        if pos == body.len() {
            return Err(malformed(5 + pos, "the quoted value is not closed"));
        }
        let value = String::from_utf8_lossy(&body[value_start..pos]).into_owned();
        pos += 1;
        pairs.push((name, value));
    }
    let mut version = None;
    let mut encoding = None;
    for (index, (name, value)) in pairs.into_iter().enumerate() {
        match (index, name.as_str()) {
            (0, "version") => version = Some(value),
            (_, "encoding") if version.is_some() && encoding.is_none() => encoding = Some(value),
            (_, "standalone") if version.is_some() => {}
            _ => {
                return Err(malformed(
                    5,
                    &format!(
                        "unexpected pseudo-attribute `{name}` (allowed: version, encoding, standalone, in this order)"
                    ),
                ));
            }
        }
    }
    let Some(version) = version else {
        return Err(malformed(5, "the declaration has no `version`"));
    };
    Ok(Some(Declaration { version, encoding }))
}

fn malformed(offset: usize, reason: &str) -> BpmnError {
    BpmnError::MalformedDeclaration {
        offset,
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // In tests a panic is the failure report.
mod tests {
    use super::*;

    #[test]
    fn a_flow_file_is_not_xml_and_is_named() {
        let flow = "# 犬の登録\n業務: 犬の登録\n版: As-Is\n\n流れ:\n  S1 住民: 届け出る\n";
        let error = decode(flow.as_bytes()).unwrap_err();
        assert_eq!(
            error,
            BpmnError::NotXml {
                start: "# 犬の登録".to_owned(),
                looks_like: NotXmlKind::Flow
            }
        );
        assert!(error.to_string().contains("nagare check"), "{error}");
        assert!(error.message().ja.contains(".flow"), "{error}");
        let english = "process: Dog registration\nflow:\n  S1 Owner: Apply\n";
        assert!(matches!(
            decode(english.as_bytes()).unwrap_err(),
            BpmnError::NotXml {
                looks_like: NotXmlKind::Flow,
                ..
            }
        ));
        assert!(matches!(
            decode(b"{\"a\": 1}").unwrap_err(),
            BpmnError::NotXml {
                looks_like: NotXmlKind::Json,
                ..
            }
        ));
        assert_eq!(decode(b"  \n <a/>").unwrap(), "  \n <a/>");
    }

    #[test]
    fn latin1_is_transcoded() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>";
        let text = decode(bytes).unwrap();
        assert!(text.ends_with("<a>caf\u{e9}</a>"));
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>\xe4x</a>";
        let error = decode(bytes).unwrap_err();
        assert_eq!(
            error,
            BpmnError::InvalidUtf8 {
                offset: 42,
                line: 2
            }
        );
    }

    #[test]
    fn missing_declaration_means_utf8() {
        assert_eq!(decode("<a>日本</a>".as_bytes()).unwrap(), "<a>日本</a>");
    }

    #[test]
    fn declaration_needs_white_space_between_pseudo_attributes() {
        let error = decode(b"<?xml version=\"1.0\"encoding=\"UTF-8\"?><a/>").unwrap_err();
        assert!(
            matches!(error, BpmnError::MalformedDeclaration { .. }),
            "{error}"
        );
    }

    #[test]
    fn unknown_encoding_is_refused() {
        let error = decode(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a/>").unwrap_err();
        assert_eq!(
            error,
            BpmnError::UnsupportedEncoding {
                encoding: "windows-1252".to_owned()
            }
        );
    }

    #[test]
    fn bom_is_skipped_and_counted_in_offsets() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(b"<a>\xff</a>");
        assert_eq!(
            decode(&bytes).unwrap_err(),
            BpmnError::InvalidUtf8 { offset: 6, line: 1 }
        );
    }
}
