//! Message signals end to end through `text::analyze`: totality on arbitrary input, and the
//! cue detectors (churn, persuasion) on realistic replies, including negation.

use leadstream::text::{analyze, cues, persuasion, EmotionalState};
use proptest::prelude::*;

proptest! {
    #[test]
    fn analyze_is_total_and_in_range(text in any::<String>()) {
        let s = analyze(&text);
        prop_assert!((-1.0..=1.0).contains(&s.sentiment.compound));
        for share in [s.sentiment.positive, s.sentiment.negative, s.sentiment.neutral] {
            prop_assert!((0.0..=1.0).contains(&share));
        }
        prop_assert!((0.0..=1.0).contains(&s.emotion_confidence));
        prop_assert!(s.readability.flesch_reading_ease.is_finite());
        prop_assert!(s.readability.flesch_kincaid_grade.is_finite());
        prop_assert_eq!(s.length.chars as usize, text.chars().count());
        prop_assert!(s.length.sentences <= s.length.words);
        prop_assert!((0.0..=1.0).contains(&s.length.uppercase_ratio));
    }

    #[test]
    fn analyze_ignores_case_for_cues(text in "[a-z ]{0,40}") {
        let lower = analyze(&text);
        let upper = analyze(&text.to_uppercase());
        prop_assert_eq!(lower.cues, upper.cues);
        prop_assert_eq!(lower.persuasion, upper.persuasion);
    }
}

#[test]
fn unsubscribe_intent_in_realistic_replies() {
    let yes = [
        "Please stop texting me.",
        "STOP",
        "Remove me from your list please",
        "not interested thanks",
        "We're no longer interested, please take me off your emails",
        "Do not contact me again.",
        "Wrong number, lose my number",
        "unsubscribe",
    ];
    let no = [
        "Please don't stop sending listings, we love them!",
        "Is the bus stop close to the house?",
        "We're interested in the condo on 5th.",
        "Can you remove the old photos from the listing?",
        "I'm not uninterested, just busy.",
    ];
    for text in yes {
        assert!(cues::detect(text).unsubscribe_intent, "missed: {text}");
    }
    for text in no {
        assert!(
            !cues::detect(text).unsubscribe_intent,
            "false alarm: {text}"
        );
    }
}

#[test]
fn competitor_mentions_respect_negation() {
    let yes = [
        "We found it on Zillow first.",
        "Redfin has it listed for less.",
        "We already have an agent, sorry.",
        "Going with another agent who knows the area.",
        "My cousin is with Keller Williams.",
    ];
    let no = [
        "We aren't working with another agent.",
        "We never used Zillow.",
        "Your photos are better than anything else out there.",
    ];
    for text in yes {
        assert!(cues::detect(text).competitor_mention, "missed: {text}");
    }
    for text in no {
        assert!(
            !cues::detect(text).competitor_mention,
            "false alarm: {text}"
        );
    }
}

#[test]
fn price_objections_respect_negation() {
    let yes = [
        "That's way too expensive for us.",
        "It's out of our budget.",
        "We can't afford that payment.",
        "Overpriced for the area.",
        "Your commission is too high.",
    ];
    let no = [
        "It's not too expensive, we can make it work.",
        "The price is fine.",
        "We can afford a little more if needed.",
    ];
    for text in yes {
        assert!(cues::detect(text).price_objection, "missed: {text}");
    }
    for text in no {
        assert!(!cues::detect(text).price_objection, "false alarm: {text}");
    }
}

#[test]
fn persuasion_cues_in_agent_messages() {
    let pushy = persuasion::detect(
        "Hi Sam, only 2 left in this building and other buyers are touring today! \
         Act now: call me to book your showing. Don't you want your dream home?",
    );
    assert!(pushy.urgency >= 1);
    assert!(pushy.scarcity >= 1);
    assert!(pushy.social_proof >= 1);
    assert!(pushy.personalization >= 2);
    assert!(pushy.call_to_action);
    assert_eq!(pushy.question_count, 1);
    assert_eq!(pushy.exclamation_count, 1);

    let plain = persuasion::detect("The HOA meets on the first Monday of each month.");
    assert_eq!(plain, persuasion::PersuasionCues::default());
}

#[test]
fn negation_moves_emotion() {
    let worried = analyze("We are worried about the rates.");
    let not_worried = analyze("We are not worried about the rates.");
    assert_eq!(worried.emotion, EmotionalState::Anxious);
    assert_ne!(not_worried.emotion, EmotionalState::Anxious);
}

#[test]
fn empty_and_whitespace_messages_are_neutral() {
    for text in ["", "   ", "\n", "..."] {
        let s = analyze(text);
        assert_eq!(s.emotion, EmotionalState::Neutral, "{text:?}");
        assert_eq!(s.sentiment.compound, 0.0);
        assert_eq!(s.length.words, 0);
        assert_eq!(s.cues, cues::ChurnCues::default());
    }
}
