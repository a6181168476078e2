//! Readability: Flesch reading ease and Flesch-Kincaid grade level of a message.
//!
//! What it is for: how hard a message is to read, for agents' outgoing copy and for profiling
//! leads' replies. Formulas from Flesch (1948) and Kincaid et al. (1975); syllables come from a
//! vowel-group heuristic (cross-checked against Python `textstat` in tests/text_readability.rs).
//! What it is not: a dictionary-based syllable counter; expect a syllable or so of error on
//! unusual words, which moves the scores of very short messages most.

use serde::Serialize;

use super::length::{count_sentences, is_word};

/// Readability scores of one message. All zero when the message has no words.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Readability {
    /// `206.835 - 1.015 * words/sentences - 84.6 * syllables/words`; higher is easier
    /// (60-70 is plain English; can go below 0 or above 100).
    pub flesch_reading_ease: f64,
    /// `0.39 * words/sentences + 11.8 * syllables/words - 15.59`: the US school grade.
    pub flesch_kincaid_grade: f64,
    /// Total syllables counted by the heuristic.
    pub syllables: u32,
    /// Mean syllables per word.
    pub syllables_per_word: f64,
}

/// Measures one message.
///
/// # Examples
/// ```
/// let r = leadstream::text::readability::measure("The cat sat on the mat.");
/// assert_eq!(r.syllables, 6);
/// assert!((r.flesch_reading_ease - 116.145).abs() < 1e-9);
/// ```
pub fn measure(text: &str) -> Readability {
    let mut words = 0_u32;
    let mut syllables = 0_u32;
    for token in text.split_whitespace().filter(|t| is_word(t)) {
        words = words.saturating_add(1);
        syllables = syllables.saturating_add(count_syllables(token));
    }
    let sentences = count_sentences(text);
    if words == 0 || sentences == 0 {
        return Readability::default();
    }
    let wps = f64::from(words) / f64::from(sentences);
    let spw = f64::from(syllables) / f64::from(words);
    Readability {
        flesch_reading_ease: 206.835 - 1.015 * wps - 84.6 * spw,
        flesch_kincaid_grade: 0.39 * wps + 11.8 * spw - 15.59,
        syllables,
        syllables_per_word: spw,
    }
}

/// Whether `b` (an ASCII lowercase letter) is a vowel for syllable counting.
fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// Syllables in one word: vowel groups, minus a silent final "e" (but not "-le" after a
/// consonant) and a silent "-es"/"-ed" ending; digits count one syllable per digit; at least 1.
pub fn count_syllables(word: &str) -> u32 {
    let mut buf = [0_u8; 48];
    let mut len = 0;
    let mut digits = 0_u32;
    for ch in word.chars() {
        if ch.is_ascii_digit() {
            digits += 1;
        } else if ch.is_alphabetic() && len < buf.len() {
            // Non-ASCII letters count as consonants; accents are rare in lead replies.
            buf[len] = if ch.is_ascii() {
                ch.to_ascii_lowercase() as u8
            } else {
                b'x'
            };
            len += 1;
        }
    }
    let w = &buf[..len];
    if w.is_empty() {
        return digits.max(1);
    }
    if w.len() <= 3 {
        return 1 + digits;
    }
    let mut groups = 0_u32;
    let mut prev_vowel = false;
    for &b in w {
        let v = is_vowel(b);
        if v && !prev_vowel {
            groups += 1;
        }
        prev_vowel = v;
    }
    let n = w.len();
    let consonant = |i: usize| w.get(i).is_some_and(|&b| !is_vowel(b));
    let silent_e = w.ends_with(b"e") && !(w.ends_with(b"le") && consonant(n.wrapping_sub(3)));
    let silent_es_ed = (w.ends_with(b"es") || w.ends_with(b"ed"))
        && !matches!(w.get(n.wrapping_sub(3)), Some(b't' | b'd'))
        && consonant(n.wrapping_sub(3));
    if (silent_e || silent_es_ed) && groups > 1 {
        groups -= 1;
    }
    groups.max(1) + digits
}

#[cfg(test)]
mod tests {
    use super::{count_syllables, measure};

    #[test]
    fn syllable_heuristic_on_common_words() {
        let cases = [
            ("the", 1),
            ("house", 1),
            ("table", 2),
            ("available", 4),
            ("interested", 4),
            ("wanted", 2),
            ("closed", 1),
            ("mortgage", 2),
            ("neighborhood", 3),
            ("beautiful", 3),
        ];
        for (word, expected) in cases {
            assert_eq!(count_syllables(word), expected, "{word}");
        }
    }

    #[test]
    fn longer_words_read_harder() {
        let easy = measure("We can see it now. It is a big red house.");
        let hard = measure("Comprehensive amortization considerations necessitate deliberation.");
        assert!(easy.flesch_reading_ease > hard.flesch_reading_ease);
        assert!(easy.flesch_kincaid_grade < hard.flesch_kincaid_grade);
    }

    #[test]
    fn no_words_gives_zeros() {
        assert_eq!(measure("?!"), super::Readability::default());
    }
}
