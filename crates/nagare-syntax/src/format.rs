//! The canonical layout of a `.flow` file (`nagare fmt`).
//!
//! Re-emits every line from its syntax node: two spaces per nesting level, half-width `:`,
//! `[`, `]` and `, `, one space around arrows, keywords, names and labels exactly as written,
//! comments kept (with the spacing before a trailing comment as written, at least two spaces),
//! runs of blank lines collapsed to one. A file with syntax errors is refused, so
//! that no text the parser did not understand can be lost.

use crate::ast::{File, Inline, Stmt};
use crate::{Diagnostic, has_errors, parse};

/// Returns `source` in the canonical layout, or the syntax errors that prevent formatting.
///
/// # Errors
/// Returns the parser's diagnostics when they contain an error.
pub fn format(source: &str) -> Result<String, Vec<Diagnostic>> {
    let (file, diags) = parse(source);
    if has_errors(&diags) || file.not_text {
        return Err(diags);
    }
    Ok(render(&file, source))
}

fn text(source: &str, span: crate::Span) -> &str {
    source.get(span.range()).unwrap_or_default()
}

fn render(file: &File, source: &str) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 8);
    let mut pending_blank = false;
    let mut wrote_any = false;
    for (i, line) in file.lines.iter().enumerate() {
        let body = statement(&line.stmt, source);
        let comment = line.comment.map(|c| text(source, c).trim_end());
        if body.is_none() && comment.is_none() {
            pending_blank = wrote_any;
            continue;
        }
        if pending_blank {
            out.push('\n');
            pending_blank = false;
        }
        let depth = if body.is_some() {
            line.depth
        } else {
            // A comment line takes the depth of the statement it introduces.
            file.lines[i + 1..]
                .iter()
                .find(|l| !matches!(l.stmt, Stmt::Blank))
                .or_else(|| {
                    file.lines[..i]
                        .iter()
                        .rev()
                        .find(|l| !matches!(l.stmt, Stmt::Blank))
                })
                .map_or(0, |l| l.depth)
        };
        for _ in 0..depth {
            out.push_str("  ");
        }
        match (body, comment) {
            (Some(b), Some(c)) => {
                out.push_str(&b);
                for _ in 0..comment_gap(source, line) {
                    out.push(' ');
                }
                out.push_str(c);
            }
            (Some(b), None) => out.push_str(&b),
            (None, Some(c)) => out.push_str(c),
            (None, None) => {}
        }
        out.push('\n');
        wrote_any = true;
    }
    out
}

/// Returns the spaces before a trailing comment: as written (authors align their comments),
/// but at least two.
fn comment_gap(source: &str, line: &crate::ast::Line) -> usize {
    let Some(comment) = line.comment else {
        return 2;
    };
    let before = source
        .get(line.span.start as usize..comment.start as usize)
        .unwrap_or_default();
    let gap = before
        .chars()
        .rev()
        .take_while(|c| c.is_whitespace())
        .count();
    gap.clamp(2, 60)
}

fn statement(stmt: &Stmt, source: &str) -> Option<String> {
    let s = match stmt {
        Stmt::Blank | Stmt::Error => return None,
        Stmt::Header(h) => {
            if h.value.text.is_empty() {
                format!("{}:", h.key_word.text)
            } else {
                after(format!("{}:", h.key_word.text), " ", &h.value.text)
            }
        }
        Stmt::Section(s) => format!("{}:", s.keyword.text),
        Stmt::Actor(a) => after(format!("{}:", a.name.text), " ", &a.rest.text),
        Stmt::Document(d) => {
            let mut s = d.name.text.clone();
            let attrs: Vec<&str> = d.attrs.iter().map(|w| w.text.as_str()).collect();
            // `紙 [氏名]:` is a document named `紙 [氏名]`; without its colon the brackets would
            // become a field list (found by tests/robustness.rs).
            let name_ends_in_bracket = crate::fold(&d.name.text).ends_with(']');
            if !attrs.is_empty() || (d.colon && (d.has_fields || name_ends_in_bracket)) {
                s.push(':');
            }
            for (i, attr) in attrs.iter().enumerate() {
                s = after(s, if i == 0 { " " } else { ", " }, attr);
            }
            if d.has_fields {
                s.push_str(" [");
                for (i, field) in d.fields.iter().enumerate() {
                    s = after(s, if i == 0 { "" } else { ", " }, &field.text);
                }
                s.push(']');
            }
            s
        }
        Stmt::Removal(r) => {
            let ids: Vec<&str> = r.ids.iter().map(|w| w.text.as_str()).collect();
            if r.reason.text.is_empty() {
                format!("{}:", ids.join(" "))
            } else {
                after(format!("{}:", ids.join(" ")), " ", &r.reason.text)
            }
        }
        Stmt::Step(st) => {
            let mut s = String::new();
            if let Some(id) = &st.id {
                s.push_str(&id.text);
                s.push(' ');
            }
            s.push_str(&st.actor.text);
            s.push(':');
            s = after(s, " ", &st.label.text);
            if st.attrs_span.is_some() {
                s.push_str(" [");
                for (i, attr) in st.attrs.iter().enumerate() {
                    s = after(s, if i == 0 { "" } else { ", " }, &attr.text);
                }
                s.push(']');
            }
            s
        }
        Stmt::Branch(b) => {
            let mut s = b.keyword.text.clone();
            if let Some(c) = &b.condition {
                s = after(s, " ", &c.text);
            }
            if let Some(p) = &b.probability {
                s.push(' ');
                s.push_str(text(source, p.span));
            }
            s.push(':');
            match &b.inline {
                Some(Inline::Jump(j)) => s = after(s, " ", &jump(j)),
                Some(Inline::End(e)) => s = after(s, " ", &end(e)),
                None => {}
            }
            s
        }
        Stmt::Jump(j) => jump(j),
        Stmt::End(e) => end(e),
        Stmt::Parallel(p) => format!("{}:", p.keyword.text),
        Stmt::ParBranch(pb) => match &pb.name {
            Some(n) => after(pb.keyword.text.clone(), " ", &n.text) + ":",
            None => format!("{}:", pb.keyword.text),
        },
    };
    Some(s)
}

fn jump(j: &crate::ast::Jump) -> String {
    after(j.arrow.to_string(), " ", &j.target.text)
}

fn end(e: &crate::ast::End) -> String {
    match &e.label {
        Some(l) => after(format!("{}:", e.keyword.text), " ", &l.text),
        None => e.keyword.text.clone(),
    }
}

/// Appends `sep` and then `piece` to `s`.
///
/// A `#` (or `＃`) after white space starts a comment, so a piece the parser read as text because it
/// began with `#` right after `:`, `,` or an arrow gets the separator without its space:
/// `住民:#1 を書く` stays a label instead of becoming a comment.
fn after(mut s: String, sep: &str, piece: &str) -> String {
    if piece.starts_with(['#', '＃']) {
        s.push_str(sep.trim_end());
    } else {
        s.push_str(sep);
    }
    s.push_str(piece);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_is_idempotent() {
        let src = "業務：テスト\n\n\n担当:\n住民：住民  # 申請者\n流れ:\n    S1 住民：書く［紙、10分］\n      もし 不備 10%：→S1\n";
        let once = format(src).expect("no syntax errors");
        assert_eq!(
            once,
            "業務: テスト\n\n担当:\n  住民: 住民  # 申請者\n流れ:\n  S1 住民: 書く [紙, 10分]\n    もし 不備 10%: → S1\n"
        );
        assert_eq!(format(&once).expect("still valid"), once);
    }

    #[test]
    fn text_starting_with_a_hash_stays_text() {
        // `#` starts a comment only after white space, so `:#` and `→#` are text and the
        // formatter must not put a space before them (found by tests/robustness.rs).
        let src = "業務:#1\n担当:\n  住民: 住民\n流れ:\n  S1 住民:# 申請書に記入する [紙]\n    もし 不備 10%: →#S1\n  終了:#完了\n";
        let once = format(src).expect("no syntax errors");
        assert_eq!(
            once,
            "業務:#1\n担当:\n  住民: 住民\n流れ:\n  S1 住民:# 申請書に記入する [紙]\n    もし 不備 10%: →#S1\n  終了:#完了\n"
        );
        assert_eq!(parse(&once).1, parse(src).1);
    }

    #[test]
    fn a_document_name_ending_in_brackets_keeps_its_colon() {
        let src = "業務: x\n書類:\n 紙 [氏名, 住所]:\n  申請書: 紙 [氏名]\n";
        let once = format(src).expect("no syntax errors");
        assert!(once.contains("  紙 [氏名, 住所]:\n"), "{once}");
        let doc = |s: &str| match &parse(s).0.lines[2].stmt {
            Stmt::Document(d) => (d.name.text.clone(), d.fields.len()),
            other => panic!("{other:?}"),
        };
        assert_eq!(doc(&once), doc(src));
        assert_eq!(doc(src), ("紙 [氏名, 住所]".to_owned(), 0));
    }

    #[test]
    fn refuses_files_with_syntax_errors() {
        let src = "業務: テスト\n流れ:\n  S1 住民: 書く [紙, 10分\n";
        let errors = format(src).expect_err("unclosed bracket");
        assert!(errors.iter().any(|d| d.code == "E0103"));
    }
}
