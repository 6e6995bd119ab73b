//! Text measurement, wrapping and escaping for the diagram.
//!
//! We cannot ask a font how wide a string is (no IO, no font files below the CLI), so widths
//! come from East Asian Width: a wide (CJK) character is one em, a narrow one about 0.55 em.
//! That matches Noto Sans CJK closely enough that boxes fit their labels.

use unicode_width::UnicodeWidthChar;

/// Share of an em taken by a narrow (Latin, digit) character.
const NARROW_EM: f64 = 0.55;

/// Characters that must not start a line (Japanese 禁則: closing punctuation, small kana).
const NO_LINE_START: &str =
    "。、，．,.」』）)］]｝}〕〉》】！？!?：:；;ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…";

/// Characters that must not end a line (opening brackets).
const NO_LINE_END: &str = "「『（(［[｛{〔〈《【";

/// Returns the width of `c` in ems (0 for control and combining characters).
#[must_use]
pub fn char_em(c: char) -> f64 {
    match c.width() {
        Some(2) => 1.0,
        Some(1) => NARROW_EM,
        _ => 0.0,
    }
}

/// Returns the width of `text` in pixels at `font_size`.
#[must_use]
pub fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * font_size
}

/// Returns `text` wrapped into lines no wider than `max_width` pixels (at `font_size`), at most
/// `max_lines` lines; a cut-off last line ends with `…`.
///
/// Japanese may break between any two characters; Latin text breaks at spaces when it can.
/// Closing punctuation stays on the line before it, opening brackets move to the next line.
#[must_use]
pub fn wrap(text: &str, max_width: f64, font_size: f64, max_lines: usize) -> Vec<String> {
    let max_em = (max_width / font_size).max(1.0);
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut lines: Vec<String> = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        // Skip spaces at the start of a continuation line.
        if !lines.is_empty() {
            while start < chars.len() && chars[start] == ' ' {
                start += 1;
            }
            if start >= chars.len() {
                break;
            }
        }
        let mut end = start;
        let mut width = 0.0;
        while end < chars.len() && (end == start || width + char_em(chars[end]) <= max_em + 1e-9) {
            width += char_em(chars[end]);
            end += 1;
        }
        if end < chars.len() {
            end = adjust_break(&chars, start, end);
        }
        lines.push(
            chars[start..end]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_owned(),
        );
        start = end;
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            let mut kept: Vec<char> = last.chars().collect();
            while !kept.is_empty() && kept.iter().map(|c| char_em(*c)).sum::<f64>() + 1.0 > max_em {
                kept.pop();
            }
            *last = kept.into_iter().collect::<String>() + "…";
        }
    }
    lines
}

/// Returns a better break position than `end` (exclusive) for the line starting at `start`:
/// at the last space inside a Latin word, and never before closing or after opening punctuation.
fn adjust_break(chars: &[char], start: usize, end: usize) -> usize {
    // "20%" and "3.5" are words too: never leave the sign or the decimals alone on a line.
    let in_word = |i: usize| chars[i].is_ascii_alphanumeric() || matches!(chars[i], '%' | '.');
    // Breaking inside a Latin word: go back to the last space if there is one on this line.
    // Breaking inside a Latin word: go back to where the word starts (after a space, or after
    // Japanese text such as "staff・Environment"), if that leaves something on this line.
    if in_word(end) && in_word(end - 1) {
        if let Some(space) = (start + 1..end).rev().find(|&i| chars[i] == ' ') {
            return space + 1;
        }
        if let Some(word_start) = (start + 1..end).rev().find(|&i| !in_word(i - 1)) {
            return word_start;
        }
    }
    let mut cut = end;
    // Pull one character down so that a closing mark does not start the next line, or push an
    // opening bracket down; give up (keep `end`) if the line would become empty.
    while cut > start + 1
        && (NO_LINE_START.contains(chars[cut]) || NO_LINE_END.contains(chars[cut - 1]))
    {
        cut -= 1;
    }
    if cut == start + 1 { end } else { cut }
}

/// Returns `text` with the five XML special characters escaped, safe in text and attributes.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab/newline are not allowed in XML 1.0.
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Returns `key` as a valid XML/HTML id fragment: ASCII letters, digits, `-` and `_` kept,
/// anything else as `_xHEX_` so that different keys stay different.
#[must_use]
pub fn sanitize_id(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else {
            out.push_str(&format!("_{:x}_", u32::from(c)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_wide_and_narrow() {
        assert!((text_width("申請", 10.0) - 20.0).abs() < 1e-9);
        assert!((text_width("ab", 10.0) - 11.0).abs() < 1e-9);
    }

    #[test]
    fn wraps_japanese_and_keeps_punctuation() {
        let lines = wrap("申請書を記入する。", 80.0, 10.0, 5);
        assert_eq!(lines, vec!["申請書を記入す".to_owned(), "る。".to_owned()]);
        let lines = wrap("あいうえおかきくけ。", 90.0, 10.0, 5);
        // The 。 would start line two: one character comes down with it.
        assert_eq!(
            lines,
            vec!["あいうえおかきく".to_owned(), "け。".to_owned()]
        );
    }

    #[test]
    fn wraps_latin_at_spaces() {
        let lines = wrap("enter the tax system", 60.0, 10.0, 5);
        assert_eq!(lines, vec!["enter the".to_owned(), "tax system".to_owned()]);
    }

    #[test]
    fn breaks_before_a_latin_word_after_japanese() {
        let lines = wrap("staff・Environment Division", 98.0, 11.0, 3);
        assert_eq!(lines, vec!["staff・", "Environment", "Division"]);
    }

    #[test]
    fn keeps_a_percentage_whole() {
        // An edge label: the width cuts between "20" and "%"; the whole number moves down.
        let lines = wrap("児童手当を請求 20%", 99.0, 11.0, 2);
        assert_eq!(lines, vec!["児童手当を請求".to_owned(), "20%".to_owned()]);
    }

    #[test]
    fn truncates_with_ellipsis() {
        let lines = wrap(&"あ".repeat(50), 50.0, 10.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert!(text_width(&lines[1], 10.0) <= 50.0 + 1e-9);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&apos;");
        assert_eq!(sanitize_id("S3"), "S3");
        assert_eq!(sanitize_id("受付 1"), "_53d7__4ed8__20_1");
    }
}
