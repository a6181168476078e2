//! Persuasion cues: urgency, scarcity, social proof, personalization, call to action, questions.
//!
//! What it is for: describing how a message tries to move its reader (mostly agents' outgoing
//! messages; also what a lead echoes back), as counts of hand-written cue phrases matched on word
//! boundaries (Cialdini's principles, narrowed to real-estate copy).
//! What it is not: a judgement of whether the message works; that is for the learners.

use serde::Serialize;

use super::tokens::Normalized;

/// Persuasion cues found in one message. Counts are cue occurrences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct PersuasionCues {
    /// Time pressure: "today only", "act now", "deadline", "ends soon".
    pub urgency: u16,
    /// Limited supply: "only 2 left", "won't last", "multiple offers", "rare".
    pub scarcity: u16,
    /// Others do it: "other buyers", "most of my clients", "reviews", "sold in".
    pub social_proof: u16,
    /// Addressed to the reader: second-person words ("you", "your").
    pub personalization: u16,
    /// A clear ask: "call me", "reply", "schedule", "book a", "click", "let me know".
    pub call_to_action: bool,
    /// Question marks (runs like "??" count once).
    pub question_count: u16,
    /// Exclamation marks (runs like "!!!" count once).
    pub exclamation_count: u16,
}

/// Time pressure.
const URGENCY: &[&str] = &[
    "today only",
    "act now",
    "act fast",
    "dont wait",
    "hurry",
    "deadline",
    "ends soon",
    "ending soon",
    "limited time",
    "last chance",
    "before its gone",
    "asap",
    "right away",
    "immediately",
    "this weekend only",
    "expires",
    "time sensitive",
    "urgent",
];

/// Limited supply.
const SCARCITY: &[&str] = &[
    "only one left",
    "only 1 left",
    "only two left",
    "only 2 left",
    "only a few",
    "few left",
    "wont last",
    "going fast",
    "selling fast",
    "high demand",
    "multiple offers",
    "rare",
    "exclusive",
    "limited inventory",
    "low inventory",
    "last one",
    "one of a kind",
    "off market",
    "before anyone else",
];

/// Others are doing it.
const SOCIAL_PROOF: &[&str] = &[
    "other buyers",
    "many buyers",
    "most buyers",
    "other families",
    "my clients",
    "our clients",
    "clients love",
    "reviews",
    "five star",
    "5 star",
    "testimonials",
    "recommended",
    "neighbors",
    "sold in",
    "just sold",
    "families like yours",
    "people are",
    "everyone is",
    "trusted by",
    "top rated",
    "best selling",
];

/// Second-person address.
const PERSONAL: &[&str] = &[
    "you", "your", "youre", "yours", "yourself", "youll", "youd", "youve",
];

/// A clear ask.
const CALL_TO_ACTION: &[&str] = &[
    "call me",
    "call us",
    "give me a call",
    "text me",
    "reply",
    "respond",
    "schedule",
    "book a",
    "book your",
    "click",
    "sign up",
    "let me know",
    "reach out",
    "set up a",
    "come see",
    "stop by",
    "register",
    "tap here",
    "visit",
    "lets meet",
    "lets talk",
];

/// Counts runs of `mark` (so "??" is one question).
fn count_runs(text: &str, mark: char) -> u16 {
    let mut runs = 0_u16;
    let mut prev = false;
    for ch in text.chars() {
        let is = ch == mark;
        if is && !prev {
            runs = runs.saturating_add(1);
        }
        prev = is;
    }
    runs
}

/// Saturating `usize` to `u16`.
fn sat(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Detects persuasion cues in one message.
///
/// # Examples
/// ```
/// let p = leadstream::text::persuasion::detect(
///     "Only 2 left at this price! Other buyers are touring today. Call me to book your tour?",
/// );
/// assert_eq!(p.scarcity, 1);
/// assert_eq!(p.social_proof, 1);
/// assert!(p.call_to_action);
/// assert_eq!(p.question_count, 1);
/// ```
pub fn detect(text: &str) -> PersuasionCues {
    detect_normalized(&Normalized::new(text), text)
}

/// [`detect`] over an already normalised message.
pub(crate) fn detect_normalized(norm: &Normalized, raw: &str) -> PersuasionCues {
    PersuasionCues {
        urgency: sat(norm.count_any_affirmed(URGENCY)),
        scarcity: sat(norm.count_any_affirmed(SCARCITY)),
        social_proof: sat(norm.count_any(SOCIAL_PROOF)),
        personalization: sat(norm.count_any(PERSONAL)),
        call_to_action: norm.count_any_affirmed(CALL_TO_ACTION) > 0,
        question_count: count_runs(raw, '?'),
        exclamation_count: count_runs(raw, '!'),
    }
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn plain_message_has_no_cues() {
        let p = detect("The inspection report is attached.");
        assert_eq!(p, super::PersuasionCues::default());
    }

    #[test]
    fn negated_call_to_action_is_not_one() {
        assert!(!detect("No need to reply.").call_to_action);
        assert!(detect("Please reply when free.").call_to_action);
    }

    #[test]
    fn urgency_and_personalization_count_each_occurrence() {
        let p = detect("Act now! Your offer expires today, so you should hurry.");
        assert_eq!(p.urgency, 3);
        assert_eq!(p.personalization, 2);
        assert_eq!(p.exclamation_count, 1);
    }
}
