//! Normalised text and cue matching, shared by the cue detectors of this module.
//!
//! What it is for: one pass that lowercases a message, drops apostrophes ("don't" -> "dont"),
//! turns every other non-alphanumeric character into a space and pads the result with spaces;
//! then a scan over its words that finds every cue phrase of a [`CueIndex`] on word boundaries
//! and says whether a negator came in the few words before it. Cue lists are indexed by first
//! word once per process, so a scan costs one hash lookup per word of the message instead of
//! one substring search per cue.
//! What it is not: a tokenizer for sentiment (VADER tokenizes on its own) or for readability.

use std::collections::HashMap;

/// A message in the normalised form the cue lists are written in.
#[derive(Debug, Clone)]
pub(crate) struct Normalized {
    text: String,
}

/// Words that negate a cue when they appear shortly before it ("not interested" is a cue of its
/// own, but "not worried" negates "worried"). Written in normalised form.
const NEGATORS: [&str; 17] = [
    "not", "no", "never", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant",
    "cannot", "wont", "without", "hardly", "nothing", "stopped",
];

/// How many words before a cue are searched for a negator.
const NEGATION_WINDOW: usize = 3;

/// Cue phrases (normalised, e.g. `"stop texting"`) with a value each, indexed by first word.
#[derive(Debug)]
pub(crate) struct CueIndex<T: 'static> {
    by_first_word: HashMap<&'static str, Vec<(&'static str, T)>>,
}

impl<T: Copy> CueIndex<T> {
    /// Indexes `cues`. A phrase listed twice matches twice.
    pub(crate) fn new(cues: impl IntoIterator<Item = (&'static str, T)>) -> Self {
        let mut by_first_word: HashMap<&'static str, Vec<(&'static str, T)>> = HashMap::new();
        for (cue, value) in cues {
            let first = cue.split(' ').next().unwrap_or(cue);
            by_first_word.entry(first).or_default().push((cue, value));
        }
        Self { by_first_word }
    }
}

impl Normalized {
    /// Normalises `raw`: lowercase, apostrophes dropped, other punctuation as spaces, runs of
    /// spaces collapsed, one space at each end.
    pub(crate) fn new(raw: &str) -> Self {
        let mut text = String::with_capacity(raw.len() + 2);
        text.push(' ');
        for ch in raw.chars() {
            if ch == '\'' || ch == '\u{2019}' || ch == '\u{2018}' {
                continue;
            }
            if ch.is_alphanumeric() {
                text.extend(ch.to_lowercase());
            } else if !text.ends_with(' ') {
                text.push(' ');
            }
        }
        if !text.ends_with(' ') {
            text.push(' ');
        }
        Self { text }
    }

    /// The normalised text, starting and ending with a space.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Calls `on_match(value, negated)` for every occurrence of every cue of `index`, in text
    /// order; `negated` is whether one of the [`NEGATION_WINDOW`] words before the occurrence
    /// is a negator. Overlapping cues all match ("so excited" and "excited").
    pub(crate) fn scan<T: Copy>(&self, index: &CueIndex<T>, mut on_match: impl FnMut(T, bool)) {
        let text = self.text.as_str();
        let bytes = text.as_bytes();
        // Negator flags of the last NEGATION_WINDOW words, as a ring.
        let mut recent = [false; NEGATION_WINDOW];
        let mut word_no = 0_usize;
        let mut start = 1;
        while let Some(len) = text.get(start..).and_then(|rest| rest.find(' ')) {
            let (Some(word), Some(rest)) = (text.get(start..start + len), text.get(start..)) else {
                break;
            };
            if let Some(candidates) = index.by_first_word.get(word) {
                let negated = recent.contains(&true);
                for &(cue, value) in candidates {
                    if rest.starts_with(cue) && bytes.get(start + cue.len()) == Some(&b' ') {
                        on_match(value, negated);
                    }
                }
            }
            recent[word_no % NEGATION_WINDOW] = NEGATORS.contains(&word);
            word_no += 1;
            start += len + 1;
        }
    }
}

/// Whether `cue` is written the way [`Normalized`] writes text, so it can match at all.
#[cfg(test)]
pub(crate) fn is_normalized_cue(cue: &str) -> bool {
    !cue.is_empty() && Normalized::new(cue).as_str().trim() == cue
}

#[cfg(test)]
mod tests {
    use super::{CueIndex, Normalized};

    /// `(affirmed, negated)` counts of each cue of `cues` in `text`.
    fn counts(text: &str, cues: &[&'static str]) -> Vec<(usize, usize)> {
        let index = CueIndex::new(cues.iter().enumerate().map(|(i, c)| (*c, i)));
        let mut out = vec![(0, 0); cues.len()];
        Normalized::new(text).scan(&index, |i, negated| {
            if negated {
                out[i].1 += 1;
            } else {
                out[i].0 += 1;
            }
        });
        out
    }

    #[test]
    fn normalises_case_apostrophes_and_punctuation() {
        let n = Normalized::new("Don't   STOP, texting-me!!");
        assert_eq!(n.as_str(), " dont stop texting me ");
        assert_eq!(Normalized::new("").as_str(), " ");
    }

    #[test]
    fn matches_only_whole_words() {
        let c = counts(
            "Stopwatch texting? stop texting now",
            &["stop texting", "stop", "text"],
        );
        assert_eq!(c, [(1, 0), (1, 0), (0, 0)]);
    }

    #[test]
    fn overlapping_cues_all_match() {
        let c = counts("we are so excited", &["so excited", "excited"]);
        assert_eq!(c, [(1, 0), (1, 0)]);
    }

    #[test]
    fn negation_window_covers_three_words() {
        let c = counts(
            "I am not at all worried, but worried about price",
            &["worried"],
        );
        assert_eq!(c, [(1, 1)]);
        let c = counts("not one two three worried", &["worried"]);
        assert_eq!(c, [(1, 0)]);
    }

    proptest::proptest! {
        /// The indexed scan finds exactly the occurrences a plain substring search finds.
        #[test]
        fn scan_agrees_with_substring_search(
            words in proptest::collection::vec(0_usize..6, 0..30),
            cue_words in proptest::collection::vec(
                proptest::collection::vec(0_usize..6, 1..4),
                1..6,
            ),
        ) {
            const VOCAB: [&str; 6] = ["not", "stop", "texting", "me", "so", "excited"];
            let text: Vec<&str> = words.iter().map(|&w| VOCAB[w]).collect();
            let text = text.join(" ");
            let cues: Vec<&'static str> = cue_words
                .iter()
                .map(|ws| {
                    let cue = ws.iter().map(|&w| VOCAB[w]).collect::<Vec<_>>().join(" ");
                    // Cue lists are 'static; leaking a few test strings is harmless.
                    &*Box::leak(cue.into_boxed_str())
                })
                .collect();
            let got: Vec<usize> = counts(&text, &cues).iter().map(|(a, n)| a + n).collect();
            let norm = Normalized::new(&text);
            let expected: Vec<usize> = cues
                .iter()
                .map(|cue| {
                    let needle = format!(" {cue} ");
                    (0..norm.as_str().len())
                        .filter(|&i| norm.as_str().get(i..).is_some_and(|r| r.starts_with(&needle)))
                        .count()
                })
                .collect();
            proptest::prop_assert_eq!(got, expected);
        }
    }
}
