//! Byte spans into the original source text, and their conversion to line/column for display.

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` in the original (un-normalised) source text.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// Returns a span from `start` to `end` (clamped so that `start <= end`).
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Self { start, end }
    }

    /// Returns an empty span at `offset`.
    #[must_use]
    pub fn at(offset: usize) -> Self {
        Self::new(offset, offset)
    }

    /// Returns the smallest span covering both.
    #[must_use]
    pub fn join(self, other: Self) -> Self {
        Self {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Returns the span as a `usize` range for slicing.
    #[must_use]
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// A 1-based line and column; the column counts characters (not bytes), as editors do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Maps byte offsets to line/column. Built once per source; lookups are a binary search.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Returns the index of `source`'s line starts (`\n`, `\r\n` and lone `\r` end a line).
    #[must_use]
    pub fn new(source: &str) -> Self {
        let bytes = source.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Self { line_starts }
    }

    /// Returns the 1-based line and character column of byte `offset` in `source`.
    #[must_use]
    pub fn line_col(&self, source: &str, offset: u32) -> LineCol {
        let offset = (offset as usize).min(source.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        // `offset` may fall inside a multi-byte character after clamping: count whole chars before it.
        let column = source
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        LineCol {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// Returns the byte range of the 1-based `line`, without its line terminator.
    #[must_use]
    pub fn line_range(&self, source: &str, line: u32) -> std::ops::Range<usize> {
        let i = (line.max(1) as usize - 1).min(self.line_starts.len() - 1);
        let start = self.line_starts[i];
        let mut end = self.line_starts.get(i + 1).copied().unwrap_or(source.len());
        let bytes = source.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }

    #[must_use]
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = "業務: テスト\n住民：申請";
        let idx = LineIndex::new(src);
        let colon = src.find('：').expect("full-width colon present");
        let lc = idx.line_col(src, u32::try_from(colon).expect("small"));
        assert_eq!(lc, LineCol { line: 2, column: 3 });
        assert_eq!(&src[idx.line_range(src, 1)], "業務: テスト");
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let src = "a\r\nb\rc";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.line_col(src, 5), LineCol { line: 3, column: 1 });
        assert_eq!(&src[idx.line_range(src, 1)], "a");
    }
}
