//! Label similarity for Japanese-first step labels: NFKC normalisation, character bigrams and
//! content tokens, compared with Dice and containment.
//!
//! Japanese labels have no spaces, so words cannot be split cheaply; character bigrams catch
//! shared compounds (`申請`, `受付`) and a second measure over *content tokens* (every character
//! except hiragana, and whole words of English labels) catches rewordings that keep the kanji but
//! change the okurigana or one kanji of a compound (`申請書を受け付ける` / `申請を受理する`).

use unicode_normalization::UnicodeNormalization;

/// Marks the start of a label in its bigrams, so that one-character labels still have a token.
const START: char = '\u{2}';
/// Marks the end of a label in its bigrams.
const END: char = '\u{3}';

/// The precomputed comparison form of one label.
#[derive(Debug, Clone, Default)]
pub(crate) struct Signature {
    /// The normalised label (for equality and display-independent comparison).
    pub norm: String,
    /// Distinct character bigrams including start/end markers, sorted.
    pub bigrams: Vec<u64>,
    /// Distinct content tokens (see [`content_tokens`]), sorted.
    pub content: Vec<u32>,
}

/// Returns `label` normalised for comparison: NFKC (full-width → half-width), lower case, and
/// without spaces or punctuation, which staff use inconsistently.
pub(crate) fn normalise(label: &str) -> String {
    label
        .nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !is_noise(*c))
        .collect()
}

fn is_noise(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(
            c,
            '、' | '。'
                | '・'
                | '「'
                | '」'
                | '『'
                | '』'
                | '【'
                | '】'
                | '〜'
                | '〈'
                | '〉'
                | '《'
                | '》'
        )
}

fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309f}').contains(&c)
}

fn pair(a: char, b: char) -> u64 {
    (u64::from(u32::from(a)) << 32) | u64::from(u32::from(b))
}

/// Words too common in English labels to say what a step is about.
const STOP_WORDS: [&str; 18] = [
    "a", "an", "the", "and", "or", "to", "of", "in", "on", "for", "with", "by", "into", "from",
    "at", "as", "is", "it",
];

/// Returns a content token for an ASCII word: an FNV-1a hash with the top bit set, so it can
/// never equal a character token (code points stay below 2^21).
fn word_token(word: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in word.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h | 0x8000_0000
}

/// Returns the content tokens of a lower-cased label: each character that carries meaning in
/// Japanese (kanji, katakana, other non-ASCII letters, not hiragana) and each ASCII word that is
/// not a stop word. Letters of English words are not tokens on their own: any two English labels
/// share most letters.
fn content_tokens(lower: &str) -> Vec<u32> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in lower.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            if !STOP_WORDS.contains(&word.as_str()) {
                tokens.push(word_token(&word));
            }
            word.clear();
        }
        if !c.is_ascii() && !is_hiragana(c) && !is_noise(c) {
            tokens.push(u32::from(c));
        }
    }
    tokens.sort_unstable();
    tokens.dedup();
    tokens
}

/// Returns the comparison form of `label`.
pub(crate) fn signature(label: &str) -> Signature {
    let lower: String = label.nfkc().flat_map(char::to_lowercase).collect();
    let norm = normalise(&lower);
    let chars: Vec<char> = std::iter::once(START)
        .chain(norm.chars())
        .chain(std::iter::once(END))
        .collect();
    let mut bigrams: Vec<u64> = chars.windows(2).map(|w| pair(w[0], w[1])).collect();
    bigrams.sort_unstable();
    bigrams.dedup();
    Signature {
        content: content_tokens(&lower),
        norm,
        bigrams,
    }
}

/// Returns the size of the intersection of two sorted, deduplicated slices.
pub(crate) fn common<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[allow(clippy::cast_precision_loss)] // label sizes are far below 2^52
fn dice<T: Ord>(a: &[T], b: &[T]) -> Option<f64> {
    if a.is_empty() && b.is_empty() {
        return None;
    }
    Some(2.0 * common(a, b) as f64 / (a.len() + b.len()) as f64)
}

#[allow(clippy::cast_precision_loss)] // label sizes are far below 2^52
fn contained<T: Ord>(part: &[T], whole: &[T]) -> Option<f64> {
    if part.is_empty() {
        return None;
    }
    Some(common(part, whole) as f64 / part.len() as f64)
}

/// Averages the two measures, using only the bigram one when neither label has content
/// characters (an all-hiragana label).
fn combine(bigram: Option<f64>, content: Option<f64>) -> f64 {
    match (bigram, content) {
        (Some(b), Some(c)) => f64::midpoint(b, c),
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => 1.0,
    }
}

/// Returns the similarity of two labels, 0–1 (1 for equal normalised labels).
pub(crate) fn similarity(a: &Signature, b: &Signature) -> f64 {
    if a.norm == b.norm {
        return 1.0;
    }
    let content = if a.content.is_empty() && b.content.is_empty() {
        None
    } else {
        dice(&a.content, &b.content)
    };
    combine(dice(&a.bigrams, &b.bigrams), content)
}

/// Returns how much of `part`'s label is found in `whole`'s, 0–1: used to recognise a step that
/// was folded into a larger one (merge) or cut out of one (split).
pub(crate) fn containment(part: &Signature, whole: &Signature) -> f64 {
    let content = if part.content.is_empty() {
        None
    } else {
        contained(&part.content, &whole.content)
    };
    combine(contained(&part.bigrams, &whole.bigrams), content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_width_case_and_punctuation() {
        assert_eq!(normalise("ＡＢＣ　申請、確認。"), "abc申請確認");
        assert_eq!(normalise("（様式１）"), "様式1");
    }

    #[test]
    fn equal_after_normalisation_is_one() {
        assert!(
            (similarity(&signature("申請書を確認"), &signature("申請書を確認。")) - 1.0).abs()
                < 1e-12
        );
    }

    #[test]
    fn rewording_scores_between_unrelated_and_equal() {
        let reworded = similarity(
            &signature("申請書を受け付ける"),
            &signature("申請を受理する"),
        );
        let unrelated = similarity(
            &signature("申請書を受け付ける"),
            &signature("通知書を郵送する"),
        );
        assert!(reworded > 0.4, "{reworded}");
        assert!(unrelated < 0.3, "{unrelated}");
    }

    #[test]
    fn one_character_labels_compare() {
        assert!(similarity(&signature("受"), &signature("受")) > 0.99);
        assert!(similarity(&signature("受"), &signature("付")) < 0.01);
    }

    #[test]
    fn english_labels_compare_by_words_not_letters() {
        let a = signature("Send the owner a link to the e-receipt");
        let b = signature("Collect the fee and issue a stamped receipt");
        assert!(containment(&a, &b) < 0.45, "{}", containment(&a, &b));
        let c = signature("Mail the dog tag");
        let d = signature("Hand over the dog tag");
        assert!(similarity(&c, &d) > 0.5, "{}", similarity(&c, &d));
    }

    #[test]
    fn containment_is_asymmetric() {
        let part = signature("内容を審査する");
        let whole = signature("申請を受け付けて内容を審査する");
        assert!(containment(&part, &whole) > 0.9);
        assert!(containment(&whole, &part) < 0.6);
    }
}
