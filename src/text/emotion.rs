//! Emotional state: one of ten states a lead's message expresses, with a confidence.
//!
//! What it is for: a coarse reading of how a lead feels (excited, anxious, frustrated...) that
//! lead state tracks and decisions react to. Our own cue lists (see [`super::emotion_cues`];
//! no word-emotion lexicon with a permissive licence exists, and NRC EmoLex is non-commercial
//! only) are matched with negation handling and combined with VADER sentiment and punctuation.
//! What it is not: a trained classifier. Accuracy on our labelled sentences is measured in
//! tests/text_emotion.rs and reported honestly there; treat the state as a hint.

use serde::{Deserialize, Serialize};

use super::emotion_cues::{cues_for, FLIP};
use super::sentiment::Sentiment;
use super::tokens::Normalized;

/// The ten emotional states. The discriminants are stable (`as u8` is a valid compact encoding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum EmotionalState {
    /// Eager, enthusiastic ("love it!", "can't wait").
    Excited = 0,
    /// Optimistic about an outcome ("hopefully", "fingers crossed").
    Hopeful = 1,
    /// Sure of themselves or of the plan ("we're ready", "definitely").
    Confident = 2,
    /// Content with what happened ("thanks, that works", "great service").
    Satisfied = 3,
    /// No clear emotion: logistics, facts, short acknowledgements.
    Neutral = 4,
    /// Does not understand ("what do you mean?", "I'm lost").
    Confused = 5,
    /// Worried or nervous ("worried about rates", "nervous").
    Anxious = 6,
    /// Annoyed or angry ("this is ridiculous", "stop calling").
    Frustrated = 7,
    /// Let down ("unfortunately", "we were hoping for more").
    Disappointed = 8,
    /// Needs something now ("asap", "today", "before Friday").
    Urgent = 9,
}

impl EmotionalState {
    /// Every state, in discriminant order (`ALL[s as usize] == s`).
    pub const ALL: [EmotionalState; 10] = [
        EmotionalState::Excited,
        EmotionalState::Hopeful,
        EmotionalState::Confident,
        EmotionalState::Satisfied,
        EmotionalState::Neutral,
        EmotionalState::Confused,
        EmotionalState::Anxious,
        EmotionalState::Frustrated,
        EmotionalState::Disappointed,
        EmotionalState::Urgent,
    ];

    /// The snake_case name, as serialized (`"excited"`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            EmotionalState::Excited => "excited",
            EmotionalState::Hopeful => "hopeful",
            EmotionalState::Confident => "confident",
            EmotionalState::Satisfied => "satisfied",
            EmotionalState::Neutral => "neutral",
            EmotionalState::Confused => "confused",
            EmotionalState::Anxious => "anxious",
            EmotionalState::Frustrated => "frustrated",
            EmotionalState::Disappointed => "disappointed",
            EmotionalState::Urgent => "urgent",
        }
    }

    /// The state with discriminant `index`, if there is one.
    pub fn from_index(index: usize) -> Option<EmotionalState> {
        Self::ALL.get(index).copied()
    }

    /// Whether the state reads as positive (excited, hopeful, confident, satisfied).
    pub const fn is_positive(self) -> bool {
        matches!(
            self,
            EmotionalState::Excited
                | EmotionalState::Hopeful
                | EmotionalState::Confident
                | EmotionalState::Satisfied
        )
    }

    /// Whether the state reads as negative (confused, anxious, frustrated, disappointed).
    pub const fn is_negative(self) -> bool {
        matches!(
            self,
            EmotionalState::Confused
                | EmotionalState::Anxious
                | EmotionalState::Frustrated
                | EmotionalState::Disappointed
        )
    }
}

impl std::fmt::Display for EmotionalState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Evidence Neutral starts with: a state must beat it to be picked.
const NEUTRAL_BASE: f64 = 0.6;

/// Picks the emotional state of `text` given its VADER `sentiment`; returns the state and a
/// confidence in `[0, 1]` (the state's share of all evidence).
///
/// # Examples
/// ```
/// use leadstream::text::{emotion, sentiment, EmotionalState};
///
/// let text = "We're so excited, we love this house!";
/// let (state, confidence) = emotion::classify(text, &sentiment::score(text));
/// assert_eq!(state, EmotionalState::Excited);
/// assert!(confidence > 0.3 && confidence <= 1.0);
/// ```
pub fn classify(text: &str, sentiment: &Sentiment) -> (EmotionalState, f64) {
    classify_normalized(&Normalized::new(text), text, sentiment)
}

/// [`classify`] over an already normalised message (saves a pass in [`super::analyze`]).
pub(crate) fn classify_normalized(
    norm: &Normalized,
    raw: &str,
    sentiment: &Sentiment,
) -> (EmotionalState, f64) {
    let scores = evidence(norm, raw, sentiment);
    pick(&scores)
}

/// The evidence for each state, indexed by discriminant; all non-negative and finite.
pub(crate) fn evidence(norm: &Normalized, raw: &str, sentiment: &Sentiment) -> [f64; 10] {
    let mut scores = [0.0_f64; 10];
    scores[EmotionalState::Neutral as usize] = NEUTRAL_BASE;
    for state in EmotionalState::ALL {
        for &(cue, weight) in cues_for(state) {
            let affirmed = norm.count_affirmed(cue) as f64;
            let negated = norm.count_negated(cue) as f64;
            scores[state as usize] += weight * affirmed;
            if let Some(flipped) = FLIP[state as usize] {
                scores[flipped as usize] += 0.6 * weight * negated;
            }
        }
    }
    let c = sentiment.compound;
    let exclaims = raw.matches('!').count().min(3) as f64;
    let questions = raw.matches('?').count().min(3) as f64;
    if c >= 0.05 {
        scores[EmotionalState::Satisfied as usize] += 0.3 * c;
        scores[EmotionalState::Excited as usize] += 0.25 * exclaims * c;
    } else if c <= -0.05 {
        scores[EmotionalState::Frustrated as usize] += 0.25 * -c;
        scores[EmotionalState::Disappointed as usize] += 0.25 * -c;
        scores[EmotionalState::Frustrated as usize] += 0.2 * exclaims * -c;
    } else {
        scores[EmotionalState::Neutral as usize] += 0.2;
    }
    scores[EmotionalState::Confused as usize] += 0.15 * questions;
    scores
}

/// The state with the most evidence (ties to the lower discriminant) and its share of the total.
fn pick(scores: &[f64; 10]) -> (EmotionalState, f64) {
    let best = crate::learn::argmax(scores);
    let total: f64 = scores.iter().sum();
    let state = EmotionalState::from_index(best).unwrap_or(EmotionalState::Neutral);
    let confidence = if total > 0.0 {
        (scores[best] / total).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (state, confidence)
}

#[cfg(test)]
mod tests {
    use super::EmotionalState;

    #[test]
    fn all_is_in_discriminant_order() {
        for (i, s) in EmotionalState::ALL.iter().enumerate() {
            assert_eq!(*s as usize, i);
            assert_eq!(EmotionalState::from_index(i), Some(*s));
        }
        assert_eq!(EmotionalState::from_index(10), None);
    }

    #[test]
    fn serializes_as_snake_case_name() {
        for s in EmotionalState::ALL {
            let json = serde_json::to_string(&s).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
            let back: EmotionalState =
                serde_json::from_str(&json).unwrap_or(EmotionalState::Neutral);
            assert_eq!(back, s);
        }
    }
}
