//! Reply templates: sentences a simulated lead writes back, each tagged with the emotion it
//! expresses, and the choice of emotion from the lead's situation.
//!
//! What it is for: giving replies real sentiment and emotion (written for this project, not taken
//! from any lexicon or corpus), so text models see signals that correlate with outcomes.
//! What it is not: the text analysis itself (see [`crate::text`]).

use crate::text::EmotionalState;

/// The templates of one emotion.
#[derive(Debug, Clone, Copy)]
pub struct TemplateSet {
    /// The emotion every sentence in the set expresses.
    pub emotion: EmotionalState,
    /// The sentences.
    pub sentences: &'static [&'static str],
}

/// Every template, grouped by emotion, in [`EmotionalState::ALL`] order.
pub const TEMPLATES: [TemplateSet; 10] = [
    TemplateSet {
        emotion: EmotionalState::Excited,
        sentences: &[
            "We love this house!! Can we see it this weekend?",
            "Wow, that kitchen is amazing. I can't wait to see it in person!",
            "This is exactly what we have been dreaming of, so excited!",
            "Just watched the video tour and we are thrilled. Let's do it!",
            "Amazing listing! My partner is over the moon about the garden.",
            "Yes yes yes! That one is perfect, please book a showing.",
        ],
    },
    TemplateSet {
        emotion: EmotionalState::Hopeful,
        sentences: &[
            "Hopefully the sellers will consider our offer, fingers crossed.",
            "We are hoping something like this comes up closer to the school.",
            "That sounds promising. I hope the price comes down a little.",
            "Looking forward to seeing more options like this one.",
            "If the inspection goes well, I think this could work for us.",
            "Fingers crossed the bank approves us this week.",
        ],
    },
    TemplateSet {
        emotion: EmotionalState::Confident,
        sentences: &[
            "We are pre-approved and ready to move forward.",
            "I know what I want: three bedrooms, good light, under budget. Let's go.",
            "Definitely interested. Send me the disclosures and we will decide.",
            "We have financing in place and can close quickly.",
            "I'm certain about the neighbourhood, just need the right property.",
            "Absolutely, put in the offer at asking price.",
        ],
    },
    TemplateSet {
        emotion: EmotionalState::Satisfied,
        sentences: &[
            "Thanks, that was really helpful.",
            "Great service as always, thank you for the quick answers.",
            "Thank you, the showing went well and we appreciate your time.",
            "That works for us, thanks for setting it up.",
            "Perfect, thanks for the market report, very useful.",
            "We are happy with how things are going, thank you.",
        ],
    },
    TemplateSet {
        emotion: EmotionalState::Neutral,
        sentences: &[
            "Ok, received.",
            "What time is the showing on Saturday?",
            "Please send the listing details to this address.",
            "I will check with my wife and get back to you.",
            "Noted. Is parking included?",
            "Can you send the HOA fees for that one?",
        ],
    },
    TemplateSet {
        emotion: EmotionalState::Confused,
        sentences: &[
            "Sorry, I don't understand what earnest money is. What do you mean?",
            "I'm a bit lost with all these forms, which one do I sign first?",
            "Not sure what the difference is between pre-qualified and pre-approved?",
            "Which listing was this about? I'm confused.",
            "I don't get how closing costs are calculated, can you explain?",
            "Wait, is the open house today or next week?",
        ],
    },
    TemplateSet {
        emotion: EmotionalState::Anxious,
        sentences: &[
            "I'm worried about rates going up before we can lock in.",
            "Honestly we are nervous about overpaying in this market.",
            "What if the appraisal comes in low? That scares me a bit.",
            "I'm anxious about selling our place in time to buy.",
            "We are concerned the inspection will find something bad.",
            "I'm stressed about the budget, is this a safe choice?",
        ],
    },
    TemplateSet {
        emotion: EmotionalState::Frustrated,
        sentences: &[
            "This is ridiculous, I already told you we are not interested in condos.",
            "Please stop calling me at work.",
            "Too many messages. I am annoyed, reduce the emails please.",
            "Why do I keep getting listings way over my budget? Frustrating.",
            "I asked twice for the disclosures and still nothing. Terrible.",
            "Stop texting me so late, seriously.",
        ],
    },
    TemplateSet {
        emotion: EmotionalState::Disappointed,
        sentences: &[
            "Unfortunately the house was smaller than the photos suggested.",
            "We were hoping for more, the showing was a letdown.",
            "Too bad we lost that one, we really liked it.",
            "Sadly none of these fit what we need.",
            "A bit disappointed that the sellers would not negotiate at all.",
            "That's a shame, we missed out again.",
        ],
    },
    TemplateSet {
        emotion: EmotionalState::Urgent,
        sentences: &[
            "We need to move by the end of the month, please call asap.",
            "Can we see it today? Our lease ends Friday.",
            "Urgent: the relocation date moved up, we must find something this week.",
            "Please send the offer paperwork immediately, we want it before the deadline.",
            "Need an answer today, we have another offer to decide on.",
            "Call me right away, we have to decide before Monday.",
        ],
    },
];

/// The situation of a lead when it replies, which decides the emotion of the reply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplyMood {
    /// How well the touch fit the lead, `[0, 1]` (1 = ideal).
    pub fit: f64,
    /// Effective buying intent, `[0, 1]`.
    pub intent: f64,
    /// Accumulated annoyance, `[0, 1]`.
    pub annoyance: f64,
    /// The lead's churn propensity, `[0, 1]`: uncommitted leads complain more.
    pub churn_propensity: f64,
    /// Probability of a doubting reply (confused or anxious) from the persona.
    pub doubt: f64,
    /// Whether the lead is in a hurry (relocators, or a lead close to buying).
    pub hurried: bool,
    /// The lead's latent engagement, `[0, 1]`: disengaged leads reply more sourly.
    pub engagement: f64,
    /// Whether something just went wrong (a lost deal, a missed appointment).
    pub setback: bool,
}

/// Picks the emotion of a reply from the mood and two uniform draws in `[0, 1)`.
pub fn pick_emotion(mood: &ReplyMood, u: f64, v: f64) -> EmotionalState {
    use EmotionalState as E;
    let negative = (0.03
        + 0.9 * mood.annoyance
        + 0.1 * (1.0 - mood.fit)
        + 0.15 * mood.churn_propensity
        + 0.6 * (1.0 - mood.engagement.clamp(0.0, 1.0)).powi(2))
    .min(0.9);
    if mood.setback && u < 0.4 {
        return if v < 0.6 {
            E::Disappointed
        } else {
            E::Frustrated
        };
    }
    if u < negative {
        return if v < 0.7 {
            E::Frustrated
        } else {
            E::Disappointed
        };
    }
    if u < negative + mood.doubt * 0.5 {
        return if v < 0.5 { E::Confused } else { E::Anxious };
    }
    if mood.hurried && v < 0.35 {
        return E::Urgent;
    }
    let positive = 0.2 + 0.7 * mood.intent * mood.fit * mood.engagement.clamp(0.0, 1.0);
    if v < positive {
        // Split the positive emotions by intent: the keenest are excited or confident.
        let w = (v / positive.max(1e-9) + mood.intent) / 2.0;
        return match w {
            w if w > 0.75 => E::Excited,
            w if w > 0.55 => E::Confident,
            w if w > 0.35 => E::Hopeful,
            _ => E::Satisfied,
        };
    }
    E::Neutral
}

/// What a lead whose interest is gone writes before it leaves: every sentence carries an
/// unsubscribe cue (see [`crate::text::cues`]) and reads as frustrated or disappointed.
pub const LEAVING: [(EmotionalState, &str); 6] = [
    (
        EmotionalState::Frustrated,
        "Please stop emailing me, we are not interested anymore.",
    ),
    (
        EmotionalState::Disappointed,
        "Sadly we are no longer interested, please take us off your list.",
    ),
    (
        EmotionalState::Frustrated,
        "Too many messages, this is annoying. Please remove me from this list.",
    ),
    (
        EmotionalState::Disappointed,
        "Sadly we have put the move on hold, so not interested for now.",
    ),
    (
        EmotionalState::Frustrated,
        "I said I'm not interested. No more texts, this is annoying.",
    ),
    (
        EmotionalState::Disappointed,
        "Unfortunately this is not working for us, please stop contacting us.",
    ),
];

/// A leaving sentence with its emotion, chosen by a uniform draw in `[0, 1)`.
pub fn leaving_sentence(u: f64) -> (EmotionalState, &'static str) {
    let i = ((u * LEAVING.len() as f64) as usize).min(LEAVING.len() - 1);
    LEAVING[i]
}

/// A template sentence for an emotion, chosen by a uniform draw in `[0, 1)`.
pub fn sentence(emotion: EmotionalState, u: f64) -> &'static str {
    let set = &TEMPLATES[emotion as usize];
    // u < 1, so the index is in range; min guards u == 1.0 from a careless caller.
    let i = ((u * set.sentences.len() as f64) as usize).min(set.sentences.len() - 1);
    set.sentences[i]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_in_emotion_order_and_varied() {
        for (set, e) in TEMPLATES.iter().zip(EmotionalState::ALL) {
            assert_eq!(set.emotion, e);
            assert!(set.sentences.len() >= 5);
        }
    }

    #[test]
    fn mood_moves_the_emotion_mix() {
        let calm = ReplyMood {
            fit: 1.0,
            intent: 0.9,
            annoyance: 0.0,
            churn_propensity: 0.1,
            doubt: 0.0,
            hurried: false,
            engagement: 1.0,
            setback: false,
        };
        let angry = ReplyMood {
            fit: 0.1,
            annoyance: 1.0,
            churn_propensity: 0.9,
            engagement: 0.2,
            ..calm
        };
        let negative = |m: &ReplyMood| {
            let mut n = 0;
            for i in 0..100 {
                for j in 0..10 {
                    let e = pick_emotion(m, i as f64 / 100.0, j as f64 / 10.0);
                    n += usize::from(matches!(
                        e,
                        EmotionalState::Frustrated | EmotionalState::Disappointed
                    ));
                }
            }
            n
        };
        assert!(negative(&angry) > 3 * negative(&calm));
    }

    #[test]
    fn leaving_sentences_carry_an_unsubscribe_cue_and_a_sour_mood() {
        for (emotion, text) in LEAVING {
            assert!(crate::text::cues::detect(text).unsubscribe_intent, "{text}");
            assert!(emotion.is_negative(), "{text}");
            assert!(crate::text::sentiment::score(text).compound < 0.0, "{text}");
        }
    }
}
