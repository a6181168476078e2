//! Text intelligence: what a lead's free text says, computed in-process from pure functions.
//!
//! What it is for: turning one message (an email or SMS reply, a call transcript) into
//! [`TextSignals`]: VADER sentiment ([`sentiment`]), one of ten emotional states with a confidence
//! ([`emotion`]), readability ([`readability`]), persuasion cues ([`persuasion`]), length metrics
//! ([`length`]) and churn cues ([`cues`]); plus call ([`voice`]) and video ([`video`]) engagement
//! from metadata.
//! What it is not: no IO, no network, no model downloads, no per-lead memory. Volatility and trend
//! across a lead's messages belong to lead state, which feeds on these signals.

pub mod cues;
pub mod emotion;
mod emotion_cues;
pub mod error;
pub mod length;
pub mod persuasion;
pub mod readability;
pub mod sentiment;
mod tokens;
pub mod video;
pub mod voice;

use serde::Serialize;

pub use cues::ChurnCues;
pub use emotion::EmotionalState;
pub use error::TextError;
pub use length::LengthMetrics;
pub use persuasion::PersuasionCues;
pub use readability::Readability;
pub use sentiment::Sentiment;

/// Every signal computed from one message.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TextSignals {
    /// VADER sentiment scores.
    pub sentiment: Sentiment,
    /// The most likely of the ten emotional states.
    pub emotion: EmotionalState,
    /// How sure the emotion pick is, in `[0, 1]`.
    pub emotion_confidence: f64,
    /// Flesch reading ease and Flesch-Kincaid grade.
    pub readability: Readability,
    /// Urgency, scarcity, social proof, personalization, call to action, questions.
    pub persuasion: PersuasionCues,
    /// Characters, words, sentences.
    pub length: LengthMetrics,
    /// Unsubscribe intent, competitor mention, price objection.
    pub cues: ChurnCues,
}

/// Computes every text signal for one message. Total: any `&str`, including the empty string,
/// gives finite signals.
///
/// # Examples
/// ```
/// use leadstream::text::{analyze, EmotionalState};
///
/// let signals = analyze("Please stop texting me, not interested.");
/// assert!(signals.cues.unsubscribe_intent);
/// assert!(signals.sentiment.compound < 0.0);
/// assert_ne!(signals.emotion, EmotionalState::Excited);
/// ```
pub fn analyze(text: &str) -> TextSignals {
    let norm = tokens::Normalized::new(text);
    let sentiment = sentiment::score(text);
    let (emotion, emotion_confidence) = emotion::classify_normalized(&norm, text, &sentiment);
    TextSignals {
        sentiment,
        emotion,
        emotion_confidence,
        readability: readability::measure(text),
        persuasion: persuasion::detect_normalized(&norm, text),
        length: length::measure(text),
        cues: cues::detect_normalized(&norm),
    }
}
