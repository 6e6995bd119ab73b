//! How a step is named in messages. A step without a user id has an internal key (`n3`) that
//! the user never wrote, so messages name it by its line and label instead.

use nagare_syntax::{LineIndex, Text};

use crate::types::Step;

/// Returns the phrase naming `step` in a message: `手順 S1` / `step S1` when the user gave it an
/// id, else `3 行目の手順「待つ」` / `step “待つ” (line 3)`.
pub(crate) fn step_phrase(step: &Step, source: &str, index: &LineIndex) -> Text {
    match &step.id {
        Some(id) => Text::new(format!("手順 {id}"), format!("step {id}")),
        None => {
            let line = index.line_col(source, step.span.start).line;
            Text::new(
                format!("{line} 行目の手順「{}」", step.label),
                format!("step “{}” (line {line})", step.label),
            )
        }
    }
}

/// Returns the short name of `step` in a path (`S1 → S2`): its id, else its label in quotes.
pub(crate) fn step_short(step: &Step) -> String {
    step.id
        .clone()
        .unwrap_or_else(|| format!("「{}」", step.label))
}

/// Splits a step id into its letter prefix and number (`S12` → `("S", 12)`), if it has that form.
fn prefix_number(id: &str) -> Option<(String, u64)> {
    let key = nagare_syntax::name_key(id);
    let digits = key.find(|c: char| c.is_ascii_digit())?;
    let (prefix, number) = key.split_at(digits);
    let n = number.parse().ok()?;
    Some((prefix.to_owned(), n))
}

/// Returns true if suggesting `candidate` for the unknown id `target` would be a guess rather
/// than a typo fix: both are `prefix + number` with the same prefix, so they differ only in the
/// number (`S9` is not a misspelling of `S1`; it names a step that does not exist).
pub(crate) fn differs_only_in_number(target: &str, candidate: &str) -> bool {
    match (prefix_number(target), prefix_number(candidate)) {
        (Some((a, _)), Some((b, _))) => a == b,
        _ => false,
    }
}

/// Returns the ids in `ids` compressed into ranges, in order: `S1–S8, A1, A3`. At most `limit`
/// entries are listed, then `…`.
pub(crate) fn id_ranges(ids: &[&str], limit: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let start = ids[i];
        let mut end = i;
        if let Some((prefix, mut n)) = prefix_number(start) {
            // Extend the run while the next id is the same prefix with the next number.
            while let Some((p, m)) = ids.get(end + 1).and_then(|s| prefix_number(s)) {
                if p != prefix || m != n + 1 {
                    break;
                }
                n = m;
                end += 1;
            }
        }
        parts.push(match end - i {
            0 => start.to_owned(),
            1 => format!("{start}, {}", ids[end]),
            _ => format!("{start}–{}", ids[end]),
        });
        i = end + 1;
    }
    if parts.len() > limit {
        parts.truncate(limit);
        parts.push("…".to_owned());
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_compress_consecutive_ids() {
        let ids = ["S1", "S2", "S3", "S4", "S6", "S7", "A1", "x-2"];
        assert_eq!(id_ranges(&ids, 10), "S1–S4, S6, S7, A1, x-2");
        assert_eq!(id_ranges(&ids, 2), "S1–S4, S6, S7, …");
        assert_eq!(id_ranges(&[], 10), "");
    }

    #[test]
    fn numbers_of_one_prefix_are_not_typos() {
        assert!(differs_only_in_number("S9", "S1"));
        assert!(differs_only_in_number("Ｓ１１", "S1"));
        assert!(!differs_only_in_number("X1", "S1"));
        assert!(!differs_only_in_number("受付", "S1"));
    }
}
