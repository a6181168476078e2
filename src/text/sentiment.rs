//! Sentiment: VADER (Hutto & Gilbert, ICWSM-14) through the `vader-parity` crate.
//!
//! What it is for: the four VADER scores of a message, with VADER's negation, intensifier, caps,
//! punctuation, "but", idiom and emoji rules. `vader-parity` reimplements Python vaderSentiment
//! 3.3.2 over its own vendored lexicon (MIT, see docs/licences.md); tests/text_vader_parity.rs
//! checks it against the Python package.
//! What it is not: a sentence splitter or a custom lexicon; scores are per whole message.

use std::sync::OnceLock;

use serde::Serialize;
use vader_parity::SentimentIntensityAnalyzer;

/// VADER scores of one message.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Sentiment {
    /// Normalised composite score in `[-1, 1]` (4 decimals, as VADER prints it).
    pub compound: f64,
    /// Share of positive weight in `[0, 1]` (3 decimals).
    pub positive: f64,
    /// Share of negative weight in `[0, 1]` (3 decimals).
    pub negative: f64,
    /// Share of neutral weight in `[0, 1]` (3 decimals).
    pub neutral: f64,
}

/// The lexicon is parsed once per process (about 11,000 lines) and only read afterwards.
fn analyzer() -> &'static SentimentIntensityAnalyzer {
    static ANALYZER: OnceLock<SentimentIntensityAnalyzer> = OnceLock::new();
    ANALYZER.get_or_init(SentimentIntensityAnalyzer::new)
}

/// Scores one message with VADER. Total: every `&str` gives scores; text with nothing
/// scoreable is neutral (`compound == 0`, `neutral == 1`).
///
/// # Examples
/// ```
/// let s = leadstream::text::sentiment::score("VADER is smart, handsome, and funny.");
/// assert_eq!(s.compound, 0.8316);
/// assert_eq!(s.positive, 0.746);
/// ```
pub fn score(text: &str) -> Sentiment {
    let s = analyzer().polarity_scores(text);
    Sentiment {
        compound: s.compound,
        positive: s.pos,
        negative: s.neg,
        neutral: s.neu,
    }
}
