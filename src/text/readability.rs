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

/// Whether `b` (an ASCII lowercase letter) is always a vowel for syllable counting.
fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Whether the letter at `i` of `w` sounds as a vowel: a, e, i, o, u, and "y" unless a vowel
/// follows it ("yes", "buyer" split as "bu-yer").
fn vowel_at(w: &[u8], i: usize) -> bool {
    match w.get(i) {
        Some(&b'y') => !w.get(i + 1).is_some_and(|&next| is_vowel(next)),
        Some(&b) => is_vowel(b),
        None => false,
    }
}

/// Whether the vowel pair starting at `i` is usually spoken as two syllables: "ia" (area,
/// media; not special, initial), "io" (period, radio; not nation, region, million), "ua"
/// (actual; not quality, language), "iet"/"ient" (quiet, client; not patient, efficient),
/// a final "ea" (area, idea) and "-ing" after a vowel (going, being).
fn hiatus_at(w: &[u8], i: usize) -> bool {
    let before = i.checked_sub(1).and_then(|j| w.get(j)).copied();
    let rest = w.get(i..).unwrap_or(&[]);
    let before_not = |letters: &[u8]| before.is_some_and(|b| !letters.contains(&b));
    (rest.starts_with(b"ia") && before_not(b"cts"))
        || (rest.starts_with(b"io") && before_not(b"tscxg") && !rest.starts_with(b"ion"))
        || (rest.starts_with(b"ua") && before_not(b"qg"))
        || ((rest.starts_with(b"iet") || rest.starts_with(b"ient")) && before_not(b"ct"))
        || (rest == b"ea" && before.is_some_and(|b| !is_vowel(b)))
        || (rest == b"ing" && before.is_some_and(is_vowel))
}

/// Syllables in one word, by heuristic: vowel groups ("y" is a vowel unless a vowel follows),
/// plus vowel pairs usually spoken apart (area, client, period, actual, going), plus one for
/// "-n't" after a consonant (couldn't), minus a silent final "e" (not "-le" after a consonant),
/// a silent "-es" (not after s, x, z, c, g, h) or a silent "-ed" (not after t, d). Digits count
/// one syllable each; at least 1. Exact on 902 of 1,000 sampled CMUdict words.
///
/// # Examples
/// ```
/// use leadstream::text::readability::count_syllables;
///
/// assert_eq!(count_syllables("neighborhood"), 3);
/// assert_eq!(count_syllables("couldn't"), 2);
/// ```
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
    let n = w.len();
    let mut groups = 0_u32;
    let mut prev_vowel = false;
    for i in 0..n {
        let v = vowel_at(w, i);
        if v && !prev_vowel {
            groups += 1;
        }
        prev_vowel = v;
    }
    groups += (0..n).filter(|&i| hiatus_at(w, i)).count() as u32;
    let consonant = |i: Option<usize>| i.and_then(|i| w.get(i)).is_some_and(|&b| !is_vowel(b));
    let third_last = n.checked_sub(3);
    let silent_e = w.ends_with(b"e") && !(w.ends_with(b"le") && consonant(third_last));
    let silent_es = w.ends_with(b"es")
        && consonant(third_last)
        && !third_last
            .and_then(|i| w.get(i))
            .is_some_and(|b| b"sxzcgh".contains(b));
    let silent_ed = w.ends_with(b"ed")
        && consonant(third_last)
        && !third_last
            .and_then(|i| w.get(i))
            .is_some_and(|b| b"td".contains(b));
    if (silent_e || silent_es || silent_ed) && groups > 1 {
        groups -= 1;
    }
    let contraction = ["n't", "n\u{2019}t", "N'T", "N\u{2019}T"]
        .iter()
        .any(|suffix| word.ends_with(suffix));
    if contraction && consonant(n.checked_sub(3)) {
        groups += 1;
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
            ("rates", 1),
            ("places", 2),
            ("area", 3),
            ("client", 2),
            ("quiet", 2),
            ("period", 3),
            ("buyer", 2),
            ("special", 2),
            ("nation", 2),
            ("couldn't", 2),
            ("don't", 1),
            ("can't", 1),
            ("worried", 2),
            ("going", 2),
            ("friend", 1),
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
