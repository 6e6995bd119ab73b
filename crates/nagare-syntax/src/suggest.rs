//! "Did you mean …?" for misspelt names and keywords.

use crate::text::name_key;

/// How many candidates are compared at most: keeps a huge, broken file linear in time.
const MAX_CANDIDATES: usize = 5_000;

/// Returns the candidate closest to `word`, if one is close enough to be a likely typo.
///
/// Compares folded keys (so width and case do not count) by normalised Damerau–Levenshtein
/// similarity; a candidate that contains the word, or is contained in it, also counts (a clerk
/// often writes `税務` for the actor `税務担当`). Ties go to the earlier candidate.
#[must_use]
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let key = name_key(word);
    if key.is_empty() {
        return None;
    }
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates.into_iter().take(MAX_CANDIDATES) {
        let ckey = name_key(candidate);
        if ckey.is_empty() || ckey == key {
            continue;
        }
        let mut score = strsim::normalized_damerau_levenshtein(&key, &ckey);
        let shorter = key.chars().count().min(ckey.chars().count());
        if shorter >= 2 && (ckey.contains(&key) || key.contains(&ckey)) {
            score = score.max(0.6);
        }
        if score >= 0.5 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let actors = ["住民", "窓口", "税務担当", "税務システム"];
        assert_eq!(did_you_mean("税務", actors), Some("税務担当"));
        assert_eq!(did_you_mean("窓囗", actors), Some("窓口"));
        assert_eq!(
            did_you_mean("minits", ["min", "minutes", "h"]),
            Some("minutes")
        );
        assert_eq!(did_you_mean("全然ちがう名前", actors), None);
    }
}
