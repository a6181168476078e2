//! Message length metrics: characters, words, sentences and their ratios.
//!
//! What it is for: the size and shape of a message (a one-word "ok" and a three-paragraph email
//! say different things about engagement), and the word and sentence counts readability uses.
//! What it is not: a tokenizer for sentiment or cue matching.

use serde::Serialize;

/// Size and shape of one message.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct LengthMetrics {
    /// Unicode scalar values (not bytes).
    pub chars: u32,
    /// Whitespace-separated tokens that contain at least one letter or digit.
    pub words: u32,
    /// Sentences: runs of `.`, `!` or `?` that end a token, plus a final unterminated sentence;
    /// at least 1 when there is a word.
    pub sentences: u32,
    /// Mean letters and digits per word (0 without words).
    pub avg_word_len: f64,
    /// `words / sentences` (0 without words).
    pub words_per_sentence: f64,
    /// Share of letters that are upper case, in `[0, 1]` (0 without letters); shouting shows here.
    pub uppercase_ratio: f64,
}

/// Whether a token contains a letter or a digit, i.e. counts as a word.
pub(crate) fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

/// Counts sentences: a token ending in `.`, `!` or `?` (after trailing quotes or brackets) ends
/// one; words after the last terminator make one more.
pub(crate) fn count_sentences(text: &str) -> u32 {
    let mut sentences = 0_u32;
    let mut open = false;
    for token in text.split_whitespace() {
        if is_word(token) {
            open = true;
        }
        let trimmed = token.trim_end_matches(['"', '\'', ')', ']', '\u{201d}', '\u{2019}']);
        if open && trimmed.ends_with(['.', '!', '?']) {
            sentences = sentences.saturating_add(1);
            open = false;
        }
    }
    if open {
        sentences = sentences.saturating_add(1);
    }
    sentences
}

/// Measures one message.
///
/// # Examples
/// ```
/// let m = leadstream::text::length::measure("Hi Anna! Is the house on Elm St. still available?");
/// assert_eq!(m.words, 10);
/// assert_eq!(m.sentences, 3);
/// ```
pub fn measure(text: &str) -> LengthMetrics {
    let mut words = 0_u32;
    let mut word_chars = 0_u64;
    for token in text.split_whitespace().filter(|t| is_word(t)) {
        words = words.saturating_add(1);
        word_chars += token.chars().filter(|c| c.is_alphanumeric()).count() as u64;
    }
    let (mut letters, mut upper) = (0_u64, 0_u64);
    let mut chars = 0_u32;
    for ch in text.chars() {
        chars = chars.saturating_add(1);
        if ch.is_alphabetic() {
            letters += 1;
            if ch.is_uppercase() {
                upper += 1;
            }
        }
    }
    let sentences = count_sentences(text);
    LengthMetrics {
        chars,
        words,
        sentences,
        avg_word_len: ratio(word_chars as f64, f64::from(words)),
        words_per_sentence: ratio(f64::from(words), f64::from(sentences)),
        uppercase_ratio: ratio(upper as f64, letters as f64),
    }
}

/// `num / den`, or 0 when `den` is 0.
fn ratio(num: f64, den: f64) -> f64 {
    if den > 0.0 {
        num / den
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::measure;

    #[test]
    fn empty_text_is_all_zero() {
        let m = measure("   ");
        assert_eq!((m.chars, m.words, m.sentences), (3, 0, 0));
        assert_eq!(m.words_per_sentence, 0.0);
    }

    #[test]
    fn unterminated_last_sentence_counts() {
        let m = measure("Thanks. Call me tomorrow");
        assert_eq!((m.words, m.sentences), (4, 2));
        assert_eq!(m.words_per_sentence, 2.0);
    }

    #[test]
    fn shouting_shows_in_uppercase_ratio() {
        assert_eq!(measure("STOP NOW").uppercase_ratio, 1.0);
        assert_eq!(measure("stop now").uppercase_ratio, 0.0);
    }
}
