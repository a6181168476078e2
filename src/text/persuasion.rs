//! Persuasion cues: urgency, scarcity, social proof, personalization, call to action, questions.
//!
//! What it is for: describing how a message tries to move its reader (mostly agents' outgoing
//! messages; also what a lead echoes back), as counts of hand-written cue phrases matched on word
//! boundaries (Cialdini's principles, narrowed to real-estate copy).
//! What it is not: a judgement of whether the message works; that is for the learners.

use std::sync::OnceLock;

use serde::Serialize;

use super::tokens::{CueIndex, Normalized};

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
    /// A clear ask: "call me", "please reply", "schedule a", "book your", "click here",
    /// "let me know".
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
    "please reply",
    "reply yes",
    "reply to this",
    "reply with",
    "just reply",
    "please respond",
    "schedule a",
    "schedule your",
    "book a",
    "book your",
    "click here",
    "click the",
    "click below",
    "sign up",
    "let me know",
    "reach out",
    "set up a",
    "come see",
    "stop by",
    "register now",
    "register for",
    "tap here",
    "visit our",
    "visit the",
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

/// Which cue list a phrase comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Urgency,
    Scarcity,
    SocialProof,
    Personal,
    CallToAction,
}

/// Every list, indexed once per process.
fn index() -> &'static CueIndex<Kind> {
    static INDEX: OnceLock<CueIndex<Kind>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let lists: [(&[&'static str], Kind); 5] = [
            (URGENCY, Kind::Urgency),
            (SCARCITY, Kind::Scarcity),
            (SOCIAL_PROOF, Kind::SocialProof),
            (PERSONAL, Kind::Personal),
            (CALL_TO_ACTION, Kind::CallToAction),
        ];
        CueIndex::new(
            lists
                .into_iter()
                .flat_map(|(list, kind)| list.iter().map(move |&cue| (cue, kind))),
        )
    })
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
    // Negation cancels urgency, scarcity and calls to action ("no need to reply", "no rush");
    // social proof and second-person address count either way.
    let mut counts = [0_usize; 5];
    let mut call_to_action = false;
    norm.scan(index(), |kind, negated| match kind {
        Kind::Urgency if !negated => counts[0] += 1,
        Kind::Scarcity if !negated => counts[1] += 1,
        Kind::SocialProof => counts[2] += 1,
        Kind::Personal => counts[3] += 1,
        Kind::CallToAction if !negated => call_to_action = true,
        _ => {}
    });
    PersuasionCues {
        urgency: sat(counts[0]),
        scarcity: sat(counts[1]),
        social_proof: sat(counts[2]),
        personalization: sat(counts[3]),
        call_to_action,
        question_count: count_runs(raw, '?'),
        exclamation_count: count_runs(raw, '!'),
    }
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn every_cue_can_match() {
        for list in [
            super::URGENCY,
            super::SCARCITY,
            super::SOCIAL_PROOF,
            super::PERSONAL,
            super::CALL_TO_ACTION,
        ] {
            for cue in list {
                assert!(crate::text::tokens::is_normalized_cue(cue), "{cue:?}");
            }
        }
    }

    #[test]
    fn plain_message_has_no_cues() {
        let p = detect("The inspection report is attached.");
        assert_eq!(p, super::PersuasionCues::default());
    }

    #[test]
    fn negated_call_to_action_is_not_one() {
        assert!(!detect("No need to reply.").call_to_action);
        assert!(detect("Please reply when free.").call_to_action);
        assert!(!detect("Sorry for the late reply, our schedule is packed.").call_to_action);
    }

    #[test]
    fn urgency_and_personalization_count_each_occurrence() {
        let p = detect("Act now! Your offer expires today, so you should hurry.");
        assert_eq!(p.urgency, 3);
        assert_eq!(p.personalization, 2);
        assert_eq!(p.exclamation_count, 1);
    }
}
