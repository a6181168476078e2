//! The cue lists behind [`super::emotion`]: words and phrases, with weights, for each state.
//!
//! What it is for: our own small, hand-written lexicon for real-estate lead replies (written for
//! this project; NRC EmoLex is non-commercial only and is not used). Cues are in normalised form
//! (lowercase, no apostrophes: "cant wait"), matched on word boundaries; a negator up to three
//! words before a cue sends part of its weight to the state in [`FLIP`] instead.
//! What it is not: exhaustive. Weights are round numbers chosen by hand: 1.0 for a cue that
//! names the state outright, less for weaker hints.

use super::emotion::EmotionalState;

/// Excited: enthusiasm and eagerness.
const EXCITED: &[(&str, f64)] = &[
    ("excited", 1.2),
    ("so excited", 0.5),
    ("thrilled", 1.2),
    ("cant wait", 1.2),
    ("love it", 1.0),
    ("love this", 1.0),
    ("love the", 0.8),
    ("in love", 1.0),
    ("amazing", 0.8),
    ("awesome", 0.7),
    ("dream home", 1.0),
    ("dream house", 1.0),
    ("wow", 0.8),
    ("stunning", 0.8),
    ("perfect", 0.5),
    ("so happy", 0.8),
    ("yay", 1.0),
    ("omg", 0.6),
    ("incredible", 0.8),
    ("fantastic", 0.6),
    ("absolutely love", 0.6),
];

/// Hopeful: optimism about an outcome not yet known.
const HOPEFUL: &[(&str, f64)] = &[
    ("hope", 1.0),
    ("hoping", 1.0),
    ("hopefully", 1.1),
    ("fingers crossed", 1.3),
    ("optimistic", 1.1),
    ("would be great if", 0.9),
    ("would love to", 0.6),
    ("wish", 0.6),
    ("maybe this", 0.5),
    ("looking forward", 0.8),
    ("praying", 0.9),
    ("if all goes well", 1.0),
    ("could work out", 0.9),
    ("might work", 0.6),
    ("hope so", 0.6),
    ("keep an eye out", 0.6),
    ("good chance", 0.7),
];

/// Confident: sure of themselves or of the decision.
const CONFIDENT: &[(&str, f64)] = &[
    ("confident", 1.2),
    ("definitely", 0.9),
    ("certainly", 0.7),
    ("ready to", 0.9),
    ("were ready", 1.0),
    ("im ready", 1.0),
    ("sure about", 0.8),
    ("no doubt", 1.0),
    ("pre approved", 0.9),
    ("preapproved", 0.9),
    ("know exactly", 1.1),
    ("made up our mind", 1.1),
    ("made up my mind", 1.1),
    ("decided", 0.8),
    ("lets do it", 1.0),
    ("lets do this", 1.0),
    ("go ahead", 0.7),
    ("cash buyer", 0.8),
    ("all set", 0.6),
    ("absolutely", 0.5),
    ("we got this", 1.0),
    ("committed", 0.8),
    ("move forward", 0.8),
    ("moving forward", 0.8),
    ("full asking", 0.6),
];

/// Satisfied: content with what happened.
const SATISFIED: &[(&str, f64)] = &[
    ("thank you", 0.6),
    ("thanks", 0.5),
    ("appreciate", 0.8),
    ("appreciated", 0.8),
    ("satisfied", 1.2),
    ("happy with", 1.1),
    ("pleased", 1.0),
    ("great job", 1.0),
    ("great service", 1.0),
    ("that works", 0.8),
    ("works for us", 0.8),
    ("works for me", 0.8),
    ("helpful", 0.9),
    ("glad", 0.8),
    ("went well", 0.9),
    ("smooth", 0.8),
    ("good experience", 1.0),
    ("great experience", 1.0),
    ("well done", 0.9),
    ("nice work", 0.9),
    ("exactly what", 0.6),
    ("content", 0.5),
];

/// Confused: does not understand.
const CONFUSED: &[(&str, f64)] = &[
    ("confused", 1.3),
    ("confusing", 1.2),
    ("dont understand", 1.3),
    ("dont get", 0.9),
    ("what do you mean", 1.3),
    ("not sure what", 1.0),
    ("not sure how", 1.0),
    ("not sure if", 0.6),
    ("unclear", 1.1),
    ("lost", 0.6),
    ("im lost", 1.0),
    ("huh", 1.0),
    ("which one", 0.5),
    ("makes no sense", 1.1),
    ("doesnt make sense", 1.1),
    ("how does", 0.6),
    ("how do", 0.5),
    ("what is", 0.4),
    ("what does", 0.6),
    ("can you explain", 1.1),
    ("explain", 0.7),
    ("wait what", 1.1),
    ("clarify", 1.0),
    ("mixed up", 0.8),
    ("no idea", 0.9),
    ("puzzled", 1.2),
];

/// Anxious: worried or nervous.
const ANXIOUS: &[(&str, f64)] = &[
    ("worried", 1.3),
    ("worry", 1.1),
    ("worrying", 1.1),
    ("nervous", 1.3),
    ("anxious", 1.3),
    ("scared", 1.2),
    ("afraid", 1.1),
    ("concerned", 1.0),
    ("concern", 0.8),
    ("stressed", 1.1),
    ("stress", 0.9),
    ("stressful", 1.0),
    ("overwhelmed", 1.1),
    ("what if", 1.0),
    ("risky", 0.9),
    ("cant afford", 0.8),
    ("fear", 1.0),
    ("uneasy", 1.1),
    ("keeps me up", 1.1),
    ("losing sleep", 1.1),
    ("panic", 1.0),
    ("unsure", 0.6),
    ("hesitant", 0.8),
    ("rates go up", 0.6),
    ("terrified", 1.3),
];

/// Frustrated: annoyed, angry, fed up.
const FRUSTRATED: &[(&str, f64)] = &[
    ("frustrated", 1.3),
    ("frustrating", 1.3),
    ("annoyed", 1.3),
    ("annoying", 1.2),
    ("ridiculous", 1.2),
    ("fed up", 1.3),
    ("sick of", 1.2),
    ("tired of", 1.0),
    ("stop calling", 1.2),
    ("stop texting", 1.2),
    ("stop emailing", 1.2),
    ("leave me alone", 1.3),
    ("waste of time", 1.2),
    ("wasting my time", 1.2),
    ("again", 0.3),
    ("still no", 0.9),
    ("still waiting", 1.0),
    ("no one", 0.6),
    ("nobody", 0.6),
    ("never responded", 1.0),
    ("never called", 1.0),
    ("unacceptable", 1.3),
    ("angry", 1.2),
    ("wtf", 1.2),
    ("seriously", 0.6),
    ("how many times", 1.2),
    ("spam", 0.9),
    ("enough", 0.5),
];

/// Disappointed: let down.
const DISAPPOINTED: &[(&str, f64)] = &[
    ("disappointed", 1.4),
    ("disappointing", 1.3),
    ("unfortunately", 1.0),
    ("let down", 1.2),
    ("too bad", 1.0),
    ("shame", 0.9),
    ("sad", 0.9),
    ("bummed", 1.2),
    ("expected more", 1.1),
    ("hoped for", 0.6),
    ("fell through", 1.2),
    ("didnt get", 0.8),
    ("lost the", 0.8),
    ("outbid", 1.0),
    ("not what we", 0.7),
    ("wish it", 0.5),
    ("oh well", 1.0),
    ("underwhelming", 1.2),
    ("not as", 0.5),
    ("smaller than", 0.6),
    ("missed out", 1.0),
    ("heartbroken", 1.3),
    ("passed on", 0.5),
    ("no longer", 0.4),
];

/// Urgent: needs something now.
const URGENT: &[(&str, f64)] = &[
    ("asap", 1.4),
    ("urgent", 1.4),
    ("urgently", 1.4),
    ("right away", 1.2),
    ("immediately", 1.2),
    ("right now", 1.0),
    ("today", 0.7),
    ("tonight", 0.7),
    ("by tomorrow", 0.9),
    ("tomorrow", 0.4),
    ("as soon as possible", 1.4),
    ("need to move", 1.0),
    ("deadline", 1.0),
    ("before friday", 0.8),
    ("before the weekend", 0.8),
    ("end of the day", 0.9),
    ("quickly", 0.8),
    ("hurry", 1.1),
    ("time sensitive", 1.3),
    ("emergency", 1.2),
    ("cant wait any longer", 0.6),
    ("running out of time", 1.2),
    ("need an answer", 1.0),
    ("call me now", 1.2),
    ("lease ends", 0.9),
    ("closing is", 0.4),
];

/// Where a negated cue's weight goes ("not worried" hints at confident), by discriminant.
pub(crate) const FLIP: [Option<EmotionalState>; 10] = [
    Some(EmotionalState::Disappointed), // not excited
    Some(EmotionalState::Disappointed), // not hopeful
    Some(EmotionalState::Anxious),      // not confident
    Some(EmotionalState::Disappointed), // not satisfied
    None,
    Some(EmotionalState::Confident), // not confused
    Some(EmotionalState::Confident), // not worried
    Some(EmotionalState::Satisfied), // not frustrated
    Some(EmotionalState::Satisfied), // not disappointed
    None,                            // not urgent: no emotion of its own
];

/// The cues of `state` (Neutral has none: it wins by default).
pub(crate) fn cues_for(state: EmotionalState) -> &'static [(&'static str, f64)] {
    match state {
        EmotionalState::Excited => EXCITED,
        EmotionalState::Hopeful => HOPEFUL,
        EmotionalState::Confident => CONFIDENT,
        EmotionalState::Satisfied => SATISFIED,
        EmotionalState::Neutral => &[],
        EmotionalState::Confused => CONFUSED,
        EmotionalState::Anxious => ANXIOUS,
        EmotionalState::Frustrated => FRUSTRATED,
        EmotionalState::Disappointed => DISAPPOINTED,
        EmotionalState::Urgent => URGENT,
    }
}
