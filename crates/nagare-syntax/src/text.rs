//! Character folding (full-width → half-width, compatibility forms) and the folded view of a line
//! that the parser works on, which keeps every character's byte offset in the original text so
//! that spans and messages always point at what the user wrote.

use unicode_normalization::char::decompose_compatible;

use crate::Span;

/// Returns `c` folded for keyword and structure matching: full-width ASCII becomes ASCII, the
/// ideographic space a space, `、` a comma, arrows and dashes their ASCII cousins where one
/// character suffices, and other compatibility characters (half-width katakana, circled digits)
/// their NFKC form when that is a single character. Labels are never folded: only matching is.
#[must_use]
pub fn fold_char(c: char) -> char {
    match c {
        // Full-width ASCII block: `：` `［` `１` `％` … map one to one onto ASCII.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '、' => ',',
        '〜' => '~',
        '−' | '‐' | '‑' | '–' => '-',
        '“' | '”' => '"',
        _ if c.is_ascii() => c,
        // Fast path: kanji, hiragana and katakana have no single-character compatibility form
        // (kana with voicing marks decompose canonically into two characters, which we keep).
        '\u{3041}'..='\u{30FA}' | '\u{4E00}'..='\u{9FFF}' => c,
        _ => {
            let mut out = None;
            let mut count = 0;
            decompose_compatible(c, |d| {
                count += 1;
                out = Some(d);
            });
            match (count, out) {
                (1, Some(d)) => d,
                _ => c,
            }
        }
    }
}

/// Returns `s` folded character by character (see [`fold_char`]).
#[must_use]
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Returns the key under which a name (actor, document, step id) is compared: folded, ASCII
/// lower-cased, with runs of white space collapsed to one space and trimmed. So `窓口`, `窓口 `
/// and `Counter  Clerk` / `counter clerk` each name one thing.
#[must_use]
pub fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars().map(fold_char) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// A folded view of part of a line: folded characters and the original byte offset of each.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seg<'a> {
    pub chars: &'a [char],
    pub offs: &'a [u32],
    /// Byte offset just after the last character (in the original text).
    pub end: u32,
}

impl<'a> Seg<'a> {
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Returns the original byte offset of character `i` (or the end offset for `i == len`).
    pub fn off(&self, i: usize) -> u32 {
        self.offs.get(i).copied().unwrap_or(self.end)
    }

    pub fn span(&self) -> Span {
        Span {
            start: self.off(0),
            end: self.end,
        }
    }

    /// Returns characters `from..to` (clamped).
    pub fn sub(&self, from: usize, to: usize) -> Seg<'a> {
        let to = to.min(self.len());
        let from = from.min(to);
        Seg {
            chars: &self.chars[from..to],
            offs: &self.offs[from..to],
            end: self.off(to),
        }
    }

    pub fn from(&self, from: usize) -> Seg<'a> {
        self.sub(from, self.len())
    }

    pub fn to(&self, to: usize) -> Seg<'a> {
        self.sub(0, to)
    }

    /// Returns the segment without leading and trailing white space.
    pub fn trim(&self) -> Seg<'a> {
        let start = self
            .chars
            .iter()
            .position(|c| !c.is_whitespace())
            .unwrap_or(self.len());
        let end = self
            .chars
            .iter()
            .rposition(|c| !c.is_whitespace())
            .map_or(start, |i| i + 1);
        self.sub(start, end)
    }

    /// Returns the folded text.
    pub fn folded(&self) -> String {
        self.chars.iter().collect()
    }

    /// Returns the index of the first character satisfying `pred`.
    pub fn find(&self, pred: impl Fn(char) -> bool) -> Option<usize> {
        self.chars.iter().position(|&c| pred(c))
    }

    /// Returns the index of the first `:` outside quotes.
    pub fn find_colon(&self) -> Option<usize> {
        let mut quote: Option<char> = None;
        for (i, &c) in self.chars.iter().enumerate() {
            match (quote, c) {
                (None, '"') => quote = Some('"'),
                (None, '「') => quote = Some('」'),
                (Some(q), c) if c == q => quote = None,
                (None, ':') => return Some(i),
                _ => {}
            }
        }
        None
    }

    /// Returns true if the folded, lower-cased text starts with `kw`.
    pub fn starts_with(&self, kw: &str) -> bool {
        let mut it = self.chars.iter().map(char::to_ascii_lowercase);
        kw.chars().all(|k| it.next() == Some(k))
    }
}

/// The folded characters of a source line with their offsets; [`Seg`]s borrow from it.
#[derive(Debug, Clone, Default)]
pub(crate) struct FoldedLine {
    pub chars: Vec<char>,
    pub offs: Vec<u32>,
    pub end: u32,
}

impl FoldedLine {
    /// Returns the folded view of `line`, which starts at byte `base` of the source.
    pub fn new(line: &str, base: usize) -> Self {
        let mut chars = Vec::with_capacity(line.len());
        let mut offs = Vec::with_capacity(line.len());
        for (i, c) in line.char_indices() {
            chars.push(fold_char(c));
            offs.push(to_u32(base + i));
        }
        Self {
            chars,
            offs,
            end: to_u32(base + line.len()),
        }
    }

    pub fn seg(&self) -> Seg<'_> {
        Seg {
            chars: &self.chars,
            offs: &self.offs,
            end: self.end,
        }
    }
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Returns `n` with the English noun in the singular or the plural (`1 step`, `2 steps`), for
/// the English half of a message; Japanese counts need no plural.
#[must_use]
pub fn count_en(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_and_keeps_kanji() {
        assert_eq!(fold("１０分：［紙、電子］"), "10分:[紙,電子]");
        assert_eq!(fold("ｼｽﾃﾑ"), "システム");
        assert_eq!(fold("　→"), " →");
    }

    #[test]
    fn name_keys_ignore_width_case_and_spacing() {
        assert_eq!(name_key(" Counter　 Clerk "), "counter clerk");
        assert_eq!(name_key("Ｓ１"), "s1");
    }

    #[test]
    fn segments_keep_original_offsets() {
        let src = "住民：申請";
        let line = FoldedLine::new(src, 10);
        let seg = line.seg();
        let colon = seg.find_colon().expect("colon");
        assert_eq!(colon, 2);
        assert_eq!(seg.off(colon), 16);
        assert_eq!(seg.from(colon + 1).span(), Span { start: 19, end: 25 });
    }
}
