//! Normalised text for cue matching, shared by the cue detectors of this module.
//!
//! What it is for: one pass that lowercases a message, drops apostrophes ("don't" -> "dont"),
//! turns every other non-alphanumeric character into a space and pads the result with spaces,
//! so a cue phrase written as `" stop texting "` matches on word boundaries with `str::find`,
//! and a negator in the few words before a match can be found.
//! What it is not: a tokenizer for sentiment (VADER tokenizes on its own) or for readability.

/// A message in the normalised form the cue lists are written in.
#[derive(Debug, Clone)]
pub(crate) struct Normalized {
    text: String,
}

/// Words that negate a cue when they appear shortly before it ("not interested" is a cue of its
/// own, but "not worried" negates "worried"). Written in normalised form.
const NEGATORS: [&str; 16] = [
    "not", "no", "never", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant",
    "cannot", "wont", "without", "hardly", "nothing",
];

/// How many words before a cue are searched for a negator.
const NEGATION_WINDOW: usize = 3;

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

    /// Byte offsets of every occurrence of `cue`, where `cue` is a normalised phrase without
    /// the surrounding spaces (e.g. `"stop texting"`).
    fn occurrences<'a>(&'a self, cue: &'a str) -> impl Iterator<Item = usize> + 'a {
        let text = self.text.as_str();
        let mut from = 0;
        std::iter::from_fn(move || {
            while let Some(rel) = text.get(from..).and_then(|rest| rest.find(cue)) {
                let start = from + rel;
                let end = start + cue.len();
                from = start + 1;
                let bounded_left = start > 0 && text.as_bytes().get(start - 1) == Some(&b' ');
                let bounded_right = text.as_bytes().get(end) == Some(&b' ');
                if bounded_left && bounded_right {
                    return Some(start);
                }
            }
            None
        })
    }

    /// Whether one of the [`NEGATION_WINDOW`] words before byte offset `start` is a negator.
    fn negated_at(&self, start: usize) -> bool {
        let before = self.text.get(..start).unwrap_or("");
        before
            .split_whitespace()
            .rev()
            .take(NEGATION_WINDOW)
            .any(|word| NEGATORS.contains(&word))
    }

    /// How many times `cue` occurs, counting every occurrence.
    pub(crate) fn count(&self, cue: &str) -> usize {
        self.occurrences(cue).count()
    }

    /// How many times `cue` occurs without a negator shortly before it.
    pub(crate) fn count_affirmed(&self, cue: &str) -> usize {
        self.occurrences(cue)
            .filter(|&start| !self.negated_at(start))
            .count()
    }

    /// How many times `cue` occurs with a negator shortly before it.
    pub(crate) fn count_negated(&self, cue: &str) -> usize {
        self.occurrences(cue)
            .filter(|&start| self.negated_at(start))
            .count()
    }

    /// Total occurrences of every cue in `cues`.
    pub(crate) fn count_any(&self, cues: &[&str]) -> usize {
        cues.iter().map(|cue| self.count(cue)).sum()
    }

    /// Total non-negated occurrences of every cue in `cues`.
    pub(crate) fn count_any_affirmed(&self, cues: &[&str]) -> usize {
        cues.iter().map(|cue| self.count_affirmed(cue)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::Normalized;

    #[test]
    fn normalises_case_apostrophes_and_punctuation() {
        let n = Normalized::new("Don't   STOP, texting-me!!");
        assert_eq!(n.as_str(), " dont stop texting me ");
    }

    #[test]
    fn matches_only_whole_words() {
        let n = Normalized::new("Stopped texting? stop texting now");
        assert_eq!(n.count("stop texting"), 1);
        assert_eq!(n.count("stop"), 1);
    }

    #[test]
    fn negation_window_covers_three_words() {
        let n = Normalized::new("I am not at all worried, but worried about price");
        assert_eq!(n.count("worried"), 2);
        assert_eq!(n.count_affirmed("worried"), 1);
        assert_eq!(n.count_negated("worried"), 1);
    }
}
