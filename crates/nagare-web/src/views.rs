//! Plain view data for templates and downloads: formatted numbers, diagnostics with their source
//! excerpt, step attributes in words, URL segments. No HTML here: templates escape everything.

use nagare::model::{DocRole, Endpoint, Medium, Minutes, Model, Step, StepKind};
use nagare::syntax::{Diagnostic, Lang, LineIndex};
use unicode_width::UnicodeWidthChar as _;

use crate::i18n::t;

/// Returns `value` with fixed precision: integers plainly (with thousands separators), else one
/// decimal from 1 up and two below, so the same value always prints the same way.
#[must_use]
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return "—".to_owned();
    }
    let rounded = value.round();
    let text = if (value - rounded).abs() < 0.005 {
        format!("{rounded:.0}")
    } else if value.abs() >= 1.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    };
    let text = if text == "-0" { "0".to_owned() } else { text };
    group_thousands(&text)
}

fn group_thousands(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("−", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Returns `value` with exactly `decimals` decimals and thousands separators; a value that
/// rounds to zero prints without a sign (`0.0`, never `−0.0`).
#[must_use]
pub fn fixed(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "—".to_owned();
    }
    let text = format!("{value:.decimals$}");
    let zero = text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.');
    let text = if zero {
        text.trim_start_matches('-').to_owned()
    } else {
        text
    };
    group_thousands(&text)
}

/// Returns `value` with exactly one decimal and thousands separators (`4,723.0`, as every
/// other hour figure on the pages); a value that rounds to zero prints `0.0`, never `-0.0`.
#[must_use]
pub fn fixed1(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 0.0 || !rounded.is_finite() {
        "0.0".to_owned()
    } else {
        group_thousands(&format!("{rounded:.1}"))
    }
}

/// Returns the signed difference `to − from` (`+3`, `−1.5`, `0`).
#[must_use]
pub fn signed(from: f64, to: f64) -> String {
    let d = to - from;
    let text = number(d);
    if d > 0.0 && text != "0" {
        format!("+{text}")
    } else {
        text
    }
}

/// Returns the relative change as a whole percentage (`−56%`), or `—` when `from` is zero.
#[must_use]
pub fn percent(from: f64, to: f64) -> String {
    if from == 0.0 || !from.is_finite() || !to.is_finite() {
        return "—".to_owned();
    }
    let p = ((to - from) / from.abs() * 100.0).round();
    if p > 0.0 {
        format!("+{p:.0}%")
    } else if p < 0.0 {
        format!("−{:.0}%", -p)
    } else {
        "0%".to_owned()
    }
}

/// Returns a duration in the largest unit that keeps it readable (`15分`, `1.5 h`, `2日`).
#[must_use]
pub fn duration(minutes: f64, lang: Lang) -> String {
    if minutes >= 1440.0 && (minutes / 1440.0).fract() == 0.0 {
        format!("{}{}", number(minutes / 1440.0), t("unit.day", lang))
    } else if minutes >= 60.0 {
        format!("{}{}", number(minutes / 60.0), t("unit.hour", lang))
    } else {
        format!("{}{}", number(minutes), t("unit.minute", lang))
    }
}

fn minutes(m: Minutes, lang: Lang) -> String {
    match m.p90 {
        Some(p90) => format!("{}〜{}", duration(m.p50, lang), duration(p90, lang)),
        None => duration(m.p50, lang),
    }
}

/// A diagnostic ready to show: position, message and the source line with a caret under it.
#[derive(Debug, Clone)]
pub struct DiagView {
    pub is_error: bool,
    pub code: String,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// Spaces as wide as the line number, so the caret line's gutter lines up.
    pub line_pad: String,
    pub source_line: String,
    /// The source text before the caret. The page repeats it, invisible, in front of the caret:
    /// spaces would only line up if every font drew a CJK character exactly two spaces wide,
    /// and the fallback fonts do not.
    pub caret_pad: String,
    /// The source text the diagnostic points at and the rest of the line, so the page can
    /// highlight the span in the source line itself.
    pub source_under: String,
    pub source_after: String,
    pub caret: String,
    pub label: String,
    pub notes: Vec<String>,
    pub hints: Vec<String>,
}

/// Returns the diagnostics of `source` (shown as `file`) as view data.
#[must_use]
pub fn diagnostics(diags: &[Diagnostic], source: &str, file: &str, lang: Lang) -> Vec<DiagView> {
    let index = LineIndex::new(source);
    diags
        .iter()
        .map(|d| {
            let span = d.span();
            let start = index.line_col(source, span.start);
            let range = index.line_range(source, start.line);
            let line_text = source.get(range.clone()).unwrap_or_default();
            let col_byte = (span.start as usize).clamp(range.start, range.end) - range.start;
            let end_byte = (span.end as usize).clamp(range.start, range.end) - range.start;
            let before = line_text.get(..col_byte).unwrap_or_default();
            let under = line_text.get(col_byte..end_byte).unwrap_or_default();
            let after = line_text.get(end_byte..).unwrap_or_default();
            let caret_width: usize = under.chars().map(|c| c.width().unwrap_or(0)).sum();
            let notes = d
                .labels
                .iter()
                .skip(1)
                .map(|l| {
                    let lc = index.line_col(source, l.span.start);
                    format!(
                        "{}:{}:{}: {}",
                        file,
                        lc.line,
                        lc.column,
                        l.message.get(lang)
                    )
                })
                .collect();
            DiagView {
                is_error: d.is_error(),
                code: d.code.clone(),
                message: d.message.get(lang).to_owned(),
                file: file.to_owned(),
                line: start.line,
                column: start.column,
                line_pad: " ".repeat(start.line.to_string().len()),
                source_line: line_text.to_owned(),
                caret_pad: before.to_owned(),
                source_under: under.to_owned(),
                source_after: after.to_owned(),
                caret: "^".repeat(caret_width.max(1)),
                label: d
                    .labels
                    .first()
                    .map(|l| l.message.get(lang).to_owned())
                    .unwrap_or_default(),
                notes,
                hints: d.hints.iter().map(|h| h.get(lang).to_owned()).collect(),
            }
        })
        .collect()
}

/// A step as a table row.
#[derive(Debug, Clone)]
pub struct StepView {
    pub key: String,
    pub id: String,
    pub label: String,
    pub actor: String,
    pub attrs: String,
}

/// Returns every step of `model` as rows, in declaration order.
#[must_use]
pub fn steps(model: &Model, lang: Lang) -> Vec<StepView> {
    model
        .steps
        .iter()
        .map(|s| StepView {
            key: s.key.clone(),
            id: s.id.clone().unwrap_or_default(),
            label: s.label.clone(),
            actor: model
                .actors
                .get(s.actor)
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            attrs: step_attributes(model, s, lang).join(", "),
        })
        .collect()
}

/// Returns the attributes of `step` in words (`紙`, `10分`, `待ち 1日`, `押印`…).
#[must_use]
pub fn step_attributes(model: &Model, step: &Step, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let kind = match step.kind {
        StepKind::Task => None,
        StepKind::Decision => Some("attr.decision"),
        StepKind::Wait => Some("attr.waiting"),
        StepKind::Start => Some("attr.start"),
        StepKind::End => Some("attr.end"),
        StepKind::Subprocess => Some("attr.subprocess"),
    };
    out.extend(kind.map(|k| t(k, lang).to_owned()));
    if let Some(medium) = step.medium {
        out.push(t(medium_key(medium), lang).to_owned());
    }
    if let Some(work) = step.work {
        out.push(minutes(work, lang));
    }
    if let Some(wait) = step.wait {
        out.push(format!("{} {}", t("attr.wait", lang), minutes(wait, lang)));
    }
    let doc_name = |id: usize| model.documents.get(id).map_or("?", |d| d.name.as_str());
    for used in &step.docs {
        let role = match used.role {
            DocRole::Fill => "attr.fill",
            DocRole::Read => "attr.read",
            DocRole::Produce => "attr.produce",
            DocRole::Attach => "attr.attach",
        };
        out.push(format!("{}={}", t(role, lang), doc_name(used.doc)));
    }
    if let Some(tr) = &step.transcription {
        let end = |e: &Endpoint| match e {
            Endpoint::Document(d) => doc_name(*d).to_owned(),
            Endpoint::System(s) => s.clone(),
        };
        out.push(format!(
            "{} {}→{}",
            t("attr.transcribe", lang),
            end(&tr.from),
            end(&tr.to)
        ));
    }
    let flags = [
        (step.flags.seal, "attr.seal"),
        (step.flags.signature, "attr.signature"),
        (step.flags.id_check, "attr.id_check"),
        (step.flags.visit, "attr.visit"),
        (step.flags.legal_paper, "attr.legal_paper"),
        (step.flags.legal_presence, "attr.legal_presence"),
        (step.flags.inspection, "attr.inspection"),
        (step.flags.manual_check, "attr.manual_check"),
    ];
    out.extend(
        flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, k)| t(k, lang).to_owned()),
    );
    if let Some(item) = &step.item {
        out.push(format!("{}={item}", t("attr.item", lang)));
    }
    if let Some(system) = &step.system {
        out.push(format!("{}={system}", t("attr.system", lang)));
    }
    if let Some(rule) = step.rule_based {
        out.push(format!("{}={rule}", t("attr.rule_based", lang)));
    }
    if let Some(rate) = step.exception_rate {
        out.push(format!(
            "{} {:.0}%",
            t("attr.exceptions", lang),
            rate * 100.0
        ));
    }
    if !step.replaces.is_empty() {
        out.push(format!(
            "{} {}",
            t("attr.replaces", lang),
            step.replaces.join(" ")
        ));
    }
    if let Some(note) = &step.note {
        out.push(format!("{}={note}", t("attr.note", lang)));
    }
    out
}

fn medium_key(medium: Medium) -> &'static str {
    match medium {
        Medium::Paper => "medium.paper",
        Medium::Digital => "medium.digital",
        Medium::InPerson => "medium.in_person",
        Medium::Phone => "medium.phone",
        Medium::Mail => "medium.mail",
        Medium::Fax => "medium.fax",
        Medium::Email => "medium.email",
    }
}

/// Returns `segment` percent-encoded for use as one URL path segment (everything but RFC 3986
/// unreserved characters is encoded, so `/`, `?`, `#` and non-ASCII are safe).
#[must_use]
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Returns a `Content-Disposition: attachment` value for `name`: an ASCII fallback `filename`
/// (non-ASCII and quotes replaced by `_`) and the exact name as RFC 5987 `filename*`.
#[must_use]
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '%' | ';' | '/') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        encode_segment(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use nagare::syntax::{Span, Text};

    #[test]
    fn numbers_have_fixed_precision() {
        assert_eq!(number(1200.0), "1,200");
        assert_eq!(number(1234567.0), "1,234,567");
        assert_eq!(number(12.345), "12.3");
        assert_eq!(number(0.126), "0.13");
        assert_eq!(number(-3.0), "−3");
        assert_eq!(number(f64::NAN), "—");
        assert_eq!(fixed1(-0.0), "0.0");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(1820.0, 1), "1,820.0");
        assert_eq!(fixed(-1533.84, 1), "−1,533.8");
        assert_eq!(fixed(4.7, 2), "4.70");
        assert_eq!(fixed(-0.4, 0), "0");
        assert_eq!(fixed1(-0.04), "0.0");
        assert_eq!(fixed1(144.04), "144.0");
        // Hours saved read like every other hour figure: grouped by thousands.
        assert_eq!(fixed1(4723.04), "4,723.0");
        assert_eq!(fixed1(1_234_567.0), "1,234,567.0");
        assert_eq!(signed(9.0, 4.0), "−5");
        assert_eq!(signed(4.0, 9.0), "+5");
        assert_eq!(percent(9.0, 4.0), "−56%");
        assert_eq!(percent(0.0, 4.0), "—");
    }

    #[test]
    fn durations_pick_a_readable_unit() {
        assert_eq!(duration(15.0, Lang::Ja), "15分");
        assert_eq!(duration(90.0, Lang::En), "1.5 h");
        assert_eq!(duration(2880.0, Lang::Ja), "2日");
    }

    #[test]
    fn caret_lines_up_under_wide_characters() {
        let source = "業務: A\n  住民: 申請書 [紙]\n";
        let at = source.find('申').expect("present");
        let d = Diagnostic::error(
            "E1",
            Span::new(at, at + "申請書".len()),
            Text::new("あ", "a"),
        );
        let v = &diagnostics(&[d], source, "p/as-is.flow", Lang::En)[0];
        assert_eq!((v.line, v.column), (2, 7));
        assert_eq!(v.source_line, "  住民: 申請書 [紙]");
        // The pad is the text itself (drawn invisible), so it lines up in any font.
        assert_eq!(v.caret_pad, "  住民: ");
        assert_eq!(v.source_under, "申請書");
        assert_eq!(v.source_after, " [紙]");
        assert_eq!(v.caret, "^^^^^^");
        assert_eq!(v.message, "a");
    }

    #[test]
    fn file_names_are_ascii_safe_with_rfc5987_original() {
        assert_eq!(
            content_disposition("軽自動車 as-is.svg"),
            "attachment; filename=\"____ as-is.svg\"; filename*=UTF-8''%E8%BB%BD%E8%87%AA%E5%8B%95%E8%BB%8A%20as-is.svg"
        );
        assert!(
            content_disposition("a\"b\r\n.csv").starts_with("attachment; filename=\"a_b__.csv\"")
        );
        assert_eq!(encode_segment("../x y"), "..%2Fx%20y");
    }
}
