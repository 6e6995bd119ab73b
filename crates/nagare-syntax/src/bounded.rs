//! Bounded diagnostic lists: a file with hundreds of thousands of mistakes must not hold
//! hundreds of thousands of messages in memory when only the first [`crate::KEEP_DIAGNOSTICS`]
//! (by source position) can ever be shown.
//!
//! Each stage (parser, lowering) compacts its list as it goes and ends it with one summary
//! entry that carries the counts of what it dropped ([`Diagnostic::hidden`]). Dropping keeps
//! exactly the entries that a stable sort by span start followed by a cut would keep, so a
//! later cap (`nagare::MAX_DIAGNOSTICS`, below `KEEP_DIAGNOSTICS`) lists the same diagnostics
//! and the same totals as without compaction.

use crate::{Diagnostic, Hidden, Span, Text};

/// How many diagnostics each stage keeps in full; the rest are only counted. Larger than any
/// display cap, so that compaction never changes what is shown.
pub const KEEP_DIAGNOSTICS: usize = 1_000;

/// Counts of the diagnostics a stage dropped while compacting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overflow {
    hidden: Hidden,
}

impl Overflow {
    /// Returns how many diagnostics were emitted so far: those in `diags` plus those dropped.
    #[must_use]
    pub fn emitted(&self, diags: &[Diagnostic]) -> usize {
        diags.len() + self.hidden.errors + self.hidden.warnings
    }

    /// Drops all but the first [`KEEP_DIAGNOSTICS`] of `diags` once it holds twice as many,
    /// counting what it drops; call it between units of work (lines, statements). Amortised
    /// O(1) per diagnostic.
    pub fn compact(&mut self, diags: &mut Vec<Diagnostic>) {
        if diags.len() >= 2 * KEEP_DIAGNOSTICS {
            self.keep_first(diags, KEEP_DIAGNOSTICS);
        }
    }

    /// Cuts `diags` to [`KEEP_DIAGNOSTICS`] and, if anything was dropped, appends one summary
    /// entry (E0001, or W0001 when only warnings were dropped) placed at `end` (the end of the
    /// source), so that it sorts after every kept entry.
    pub fn finish(mut self, diags: &mut Vec<Diagnostic>, end: usize) {
        self.keep_first(diags, KEEP_DIAGNOSTICS);
        if self.hidden.errors + self.hidden.warnings > 0 {
            diags.push(summary(self.hidden, KEEP_DIAGNOSTICS, Span::at(end)));
        }
    }

    /// Keeps the first `keep` entries by (span start, position in `diags`), in their order.
    fn keep_first(&mut self, diags: &mut Vec<Diagnostic>, keep: usize) {
        if diags.len() <= keep || keep == 0 {
            return;
        }
        let mut keys: Vec<(u32, usize)> = diags
            .iter()
            .enumerate()
            .map(|(i, d)| (d.span().start, i))
            .collect();
        let (_, &mut limit, _) = keys.select_nth_unstable(keep - 1);
        let mut index = 0;
        diags.retain(|d| {
            let key = (d.span().start, index);
            index += 1;
            let kept = key <= limit;
            if !kept {
                let c = d.counts();
                self.hidden.errors += c.errors;
                self.hidden.warnings += c.warnings;
            }
            kept
        });
    }
}

/// Returns the "N more" entry standing for `hidden` diagnostics after the first `limit`.
pub(crate) fn summary(hidden: Hidden, limit: usize, span: Span) -> Diagnostic {
    let (errors, warnings) = (hidden.errors, hidden.warnings);
    let more = errors + warnings;
    let message = Text::new(
        format!(
            "ほかに {more} 件の指摘 (エラー {errors} 件、警告 {warnings} 件) があります (最初の {limit} 件だけを表示しています)"
        ),
        format!(
            "{more} more diagnostics not shown ({errors} error{}, {warnings} warning{}; only the first {limit} are listed)",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        ),
    );
    let mut summary = if errors > 0 {
        Diagnostic::error("E0001", span, message)
    } else {
        Diagnostic::warning("W0001", span, message)
    };
    summary.hidden = Some(hidden);
    summary.with_hint(Text::new(
        "上の指摘を直してからもう一度確認してください",
        "fix the problems above and check again",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(start: usize, warning: bool) -> Diagnostic {
        let text = Text::new("x", "x");
        let span = Span::new(start, start + 1);
        if warning {
            Diagnostic::warning("W0104", span, text)
        } else {
            Diagnostic::error("E0101", span, text)
        }
    }

    #[test]
    fn compaction_keeps_what_a_stable_sort_and_cut_keeps() {
        // Positions out of order with ties, as lowering emits them.
        let all: Vec<Diagnostic> = (0..5 * KEEP_DIAGNOSTICS)
            .map(|i| diag((i * 7919) % 1_234, i % 3 == 0))
            .collect();
        let mut expected = all.clone();
        expected.sort_by_key(|d| d.span().start);
        expected.truncate(KEEP_DIAGNOSTICS);

        let mut overflow = Overflow::default();
        let mut diags = Vec::new();
        for d in all.iter().cloned() {
            diags.push(d);
            overflow.compact(&mut diags);
            assert!(diags.len() < 2 * KEEP_DIAGNOSTICS);
        }
        assert_eq!(overflow.emitted(&diags), all.len());
        overflow.finish(&mut diags, 9_999);
        let summary = diags.pop().expect("a summary entry");
        diags.sort_by_key(|d| d.span().start);
        assert_eq!(diags, expected);
        let hidden = summary.hidden.expect("counts");
        assert_eq!(hidden.errors + hidden.warnings, 4 * KEEP_DIAGNOSTICS);
        let warnings = all.iter().filter(|d| !d.is_error()).count()
            - expected.iter().filter(|d| !d.is_error()).count();
        assert_eq!(hidden.warnings, warnings);
        assert_eq!(summary.span().start, 9_999);
    }

    #[test]
    fn short_lists_are_left_alone() {
        let mut diags: Vec<Diagnostic> = (0..10).rev().map(|i| diag(i, false)).collect();
        let before = diags.clone();
        let mut overflow = Overflow::default();
        overflow.compact(&mut diags);
        overflow.finish(&mut diags, 100);
        assert_eq!(diags, before);
    }
}
