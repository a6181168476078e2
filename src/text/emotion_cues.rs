//! The cue lists behind [`super::emotion`]: words and phrases, with weights, for each state.
//!
//! What it is for: our own small, hand-written lexicon for real-estate lead replies (written for
//! this project; NRC EmoLex is non-commercial only and is not used). Cues are in normalised form
//! (lowercase, no apostrophes: "cant wait"), matched on word boundaries; a negator up to three
//! words before a cue sends part of its weight to the state in [`FLIP`] instead.
//! What it is not: exhaustive. Weights are round numbers chosen by hand: 1.0 for a cue that
//! names the state outright, less for weaker hints.

use std::sync::OnceLock;

use super::emotion::EmotionalState;
use super::tokens::CueIndex;

/// Excited: enthusiasm and eagerness.
#[rustfmt::skip]
const EXCITED: &[(&str, f64)] = &[
    ("excited", 1.2), ("so excited", 0.5), ("thrilled", 1.2), ("cant wait", 1.2), ("love it", 1.0),
    ("love this", 1.0), ("love the", 0.8), ("in love", 1.0), ("amazing", 0.8), ("awesome", 0.7),
    ("dream home", 1.0), ("dream house", 1.0), ("wow", 0.8), ("stunning", 0.8), ("perfect", 0.5),
    ("so happy", 0.8), ("yay", 1.0), ("omg", 0.6), ("incredible", 0.8), ("fantastic", 0.6),
    ("absolutely love", 0.6), ("heaven", 1.0), ("blew us away", 1.2), ("blown away", 1.2),
    ("dreamed of", 1.0), ("over the moon", 1.2), ("ecstatic", 1.3), ("pumped", 1.1),
    ("stoked", 1.1), ("picturing", 0.8), ("sign us up", 1.0), ("best day", 1.0),
    ("best saturday", 1.0), ("best news", 1.0), ("cant stop thinking", 1.0), ("everything we", 0.6),
    ("want to go back", 0.7), ("gorgeous", 0.8), ("giddy", 1.2), ("bouncing off the walls", 1.2),
    ("holy cow", 1.0), ("can already see", 0.9), ("woohoo", 1.2), ("lets go see", 0.8),
    ("cant believe", 0.6), ("spectacular", 1.0), ("fabulous", 0.9), ("breathtaking", 1.0),
    ("obsessed", 1.0), ("elated", 1.2), ("overjoyed", 1.2), ("cant contain", 1.1),
    ("pinching ourselves", 1.1), ("bursting", 1.0), ("heart skipped", 1.1), ("jaw dropped", 1.1),
    ("first home", 0.8), ("psyched", 1.1), ("hyped", 1.0), ("this is it", 0.9),
    ("have to have it", 1.0), ("must have", 0.6), ("cant get over", 1.0), ("floored", 1.0),
    ("eek", 0.9), ("eeek", 0.9), ("beyond excited", 0.6), ("dream come true", 1.2),
];

/// Hopeful: optimism about an outcome not yet known.
#[rustfmt::skip]
const HOPEFUL: &[(&str, f64)] = &[
    ("hope", 1.0), ("hoping", 1.0), ("hopefully", 1.1), ("fingers crossed", 1.3),
    ("optimistic", 1.1), ("would be great if", 0.9), ("would love to", 0.6), ("wish", 0.6),
    ("looking forward", 0.8), ("praying", 0.9), ("if all goes well", 1.0), ("could work out", 0.9),
    ("might work", 0.6), ("hope so", 0.6), ("keep an eye out", 0.6), ("good chance", 0.7),
    ("maybe", 0.6), ("perhaps", 0.7), ("chance", 0.6), ("might", 0.4), ("pray", 0.9),
    ("finally be able", 0.8), ("lets see", 0.6), ("with luck", 1.0), ("wishing", 0.8),
    ("someday", 0.8), ("think theres a chance", 0.4), ("take our", 0.3), ("decent shot", 1.0),
    ("a shot", 0.6), ("could be", 0.5), ("wonderful if", 1.0), ("crossing", 0.7), ("we could", 0.5),
    ("fingers", 0.5), ("heres hoping", 1.0), ("assuming", 0.7), ("any luck", 1.0),
    ("room to negotiate", 0.9), ("real shot", 1.0), ("might be able", 0.9), ("hopes", 1.0),
    ("encouraging", 0.9), ("promising", 1.0), ("good sign", 0.9), ("positive sign", 0.9),
    ("on track", 0.6), ("should work out", 1.0), ("best case", 0.8), ("may be", 0.4),
    ("goes through", 0.6),
];

/// Confident: sure of themselves or of the decision.
#[rustfmt::skip]
const CONFIDENT: &[(&str, f64)] = &[
    ("confident", 1.2), ("definitely", 0.9), ("certainly", 0.7), ("ready to", 0.9),
    ("were ready", 1.0), ("im ready", 1.0), ("sure about", 0.8), ("no doubt", 1.0),
    ("pre approved", 0.9), ("preapproved", 0.9), ("know exactly", 1.1), ("made up our mind", 1.1),
    ("made up my mind", 1.1), ("decided", 0.8), ("lets do it", 1.0), ("lets do this", 1.0),
    ("go ahead", 0.7), ("cash buyer", 0.8), ("all set", 0.6), ("absolutely", 0.5),
    ("we got this", 1.0), ("committed", 0.8), ("move forward", 0.8), ("moving forward", 0.8),
    ("full asking", 0.6), ("cash buyers", 0.8), ("can close", 0.6), ("not budging", 1.2),
    ("locked", 0.7), ("this is the one", 1.2), ("minds are made up", 1.2), ("mind is made up", 1.2),
    ("trust me", 1.0), ("well win", 1.1), ("for sure", 0.9), ("certain", 0.8), ("seen enough", 1.0),
    ("funds are", 0.6), ("no question", 1.0), ("write it up", 0.9), ("submit the offer", 0.7),
    ("lets go", 0.8), ("final offer", 1.0), ("take it or leave it", 1.2), ("i know how", 1.0),
    ("no contingencies", 1.0), ("comfortably", 0.9), ("were sure", 1.0), ("as is", 0.4),
    ("weve run the numbers", 0.9), ("not going above", 1.1), ("period", 0.5), ("all in", 1.0),
    ("done my research", 1.1), ("done our research", 1.1), ("go in strong", 1.1),
    ("can handle", 0.9), ("solid", 0.7), ("no worries", 0.6), ("easily", 0.6),
    ("strong offer", 0.9), ("firm", 0.6), ("bring it on", 1.1), ("weve got this", 1.0),
];

/// Satisfied: content with what happened.
#[rustfmt::skip]
const SATISFIED: &[(&str, f64)] = &[
    ("thank you", 0.6), ("thanks", 0.5), ("appreciate", 0.8), ("appreciated", 0.8),
    ("satisfied", 1.2), ("happy with", 1.1), ("pleased", 1.0), ("great job", 1.0),
    ("great service", 1.0), ("that works", 0.8), ("works for us", 0.8), ("works for me", 0.8),
    ("helpful", 0.9), ("glad", 0.8), ("went well", 0.9), ("smooth", 0.8), ("good experience", 1.0),
    ("great experience", 1.0), ("well done", 0.9), ("nice work", 0.9), ("exactly what", 0.6),
    ("content", 0.5), ("recommend you", 1.0), ("easy for us", 1.0), ("painless", 1.0),
    ("good call", 1.0), ("thank", 0.5), ("perfectly", 0.6), ("handled", 0.5), ("grateful", 1.0),
    ("turned out", 0.6), ("loving the new", 1.0), ("made this", 0.5), ("answers it", 0.8),
    ("answers my", 0.8), ("above and beyond", 1.2), ("fine job", 1.0), ("all good", 0.8),
    ("time works", 0.8), ("went fine", 1.0), ("nothing to report", 0.7), ("looks good", 0.8),
    ("no complaints", 1.1), ("worked out", 0.9), ("pleasure", 0.9), ("good to go", 0.8),
    ("sorted", 0.8), ("resolved", 0.8), ("much better", 0.6), ("love working", 1.0),
];

/// Confused: does not understand.
#[rustfmt::skip]
const CONFUSED: &[(&str, f64)] = &[
    ("confused", 1.3), ("confusing", 1.2), ("dont understand", 1.3), ("dont get", 0.9),
    ("what do you mean", 1.3), ("not sure what", 1.0), ("not sure how", 1.0), ("not sure if", 0.6),
    ("unclear", 1.1), ("lost", 0.6), ("im lost", 1.0), ("huh", 1.0), ("which one", 0.5),
    ("makes no sense", 1.1), ("doesnt make sense", 1.1), ("how does", 0.8), ("how do", 0.5),
    ("what is", 0.4), ("what does", 0.6), ("can you explain", 1.1), ("explain", 0.7),
    ("wait what", 1.1), ("clarify", 1.0), ("mixed up", 0.8), ("no idea", 0.9), ("puzzled", 1.2),
    ("which", 0.5), ("i thought", 0.9), ("before or after", 1.0), ("are they not", 0.8),
    ("two different", 0.8), ("says both", 0.9), ("supposed to", 0.6), ("difference between", 0.8),
    ("what was", 0.5), ("which is right", 1.0), ("or yearly", 0.6), ("not following", 1.2),
    ("how come", 1.0), ("whats the point", 1.0), ("or not", 0.7), ("you said", 0.7),
    ("do we need", 0.7), ("do i need", 0.7), ("dont follow", 1.2), ("sorry which", 0.6),
    ("im confused", 0.3), ("same thing as", 1.0), ("or do they", 1.0), ("do we pay", 0.7),
    ("mean for", 0.8), ("lost on", 1.0), ("makes sense", 0.4), ("what about", 0.4),
    ("am i supposed", 1.0), ("should i", 0.4), ("do i", 0.4), ("dont know what", 0.9),
    ("dont know how", 0.9), ("wait", 0.4),
];

/// Anxious: worried or nervous.
#[rustfmt::skip]
const ANXIOUS: &[(&str, f64)] = &[
    ("worried", 1.3), ("worry", 1.1), ("worrying", 1.1), ("nervous", 1.3), ("anxious", 1.3),
    ("scared", 1.2), ("afraid", 1.1), ("concerned", 1.0), ("concern", 0.8), ("stressed", 1.1),
    ("stress", 0.9), ("stressful", 1.0), ("overwhelmed", 1.1), ("what if", 1.0), ("risky", 0.9),
    ("cant afford", 0.8), ("fear", 1.0), ("uneasy", 1.1), ("keeps me up", 1.1),
    ("losing sleep", 1.1), ("panic", 1.0), ("unsure", 0.6), ("hesitant", 0.8), ("rates go up", 0.6),
    ("terrified", 1.3), ("stressing", 1.0), ("stressed out", 0.4), ("freaking out", 1.1),
    ("keeping me up", 1.1), ("nervous about", 0.3), ("cant sleep", 1.2), ("knots", 1.1),
    ("bad sign", 1.1), ("mistake", 0.9), ("running the numbers", 0.9), ("what happens if", 1.0),
    ("is it normal", 0.9), ("only have so much", 0.9), ("tight", 0.5), ("on edge", 1.1),
    ("jittery", 1.1), ("dread", 1.1), ("second guessing", 1.0), ("scares", 1.1), ("scary", 1.0),
    ("a wreck", 1.1), ("stuck with", 0.8), ("money pit", 0.8), ("stretching", 0.8),
    ("biggest fear", 0.6), ("falling apart", 0.8), ("waiting to hear", 0.5), ("keep thinking", 0.6),
    ("what happens to", 1.0), ("feel sick", 1.1), ("sick to my stomach", 1.1),
    ("nervous wreck", 0.4), ("biggest worry", 1.0), ("sweating", 0.9), ("pins and needles", 1.2),
    ("fret", 1.0), ("anxiety", 1.2), ("freaked", 1.0), ("worst case", 0.9),
];

/// Frustrated: annoyed, angry, fed up.
#[rustfmt::skip]
const FRUSTRATED: &[(&str, f64)] = &[
    ("frustrated", 1.3), ("frustrating", 1.3), ("annoyed", 1.3), ("annoying", 1.2),
    ("ridiculous", 1.2), ("fed up", 1.3), ("sick of", 1.2), ("tired of", 1.0),
    ("stop calling", 1.2), ("stop texting", 1.2), ("stop emailing", 1.2), ("leave me alone", 1.3),
    ("waste of time", 1.2), ("wasting my time", 1.2), ("again", 0.3), ("still no", 0.9),
    ("still waiting", 1.0), ("no one", 0.9), ("nobody", 0.9), ("never responded", 1.0),
    ("never called", 1.0), ("unacceptable", 1.3), ("angry", 1.2), ("wtf", 1.2), ("seriously", 0.6),
    ("how many times", 1.2), ("spam", 0.9), ("enough", 0.5), ("third time", 1.1),
    ("second time", 0.8), ("no response", 1.0), ("havent heard back", 1.0), ("no reply", 0.9),
    ("still nothing", 1.2), ("still havent", 1.0), ("five times", 0.9), ("getting old", 1.2),
    ("in a row", 0.8), ("quit", 0.9), ("i said", 0.8), ("i told you", 1.0), ("nobody seems", 0.6),
    ("every time", 0.6), ("why does", 0.6), ("why do", 0.5), ("why is", 0.5), ("keep asking", 0.9),
    ("a week ago", 0.6), ("again and again", 1.0), ("not interested", 0.8),
    ("for the last time", 1.2), ("last time", 0.6), ("goalposts", 1.0), ("keeps", 0.5),
    ("didnt work", 0.8), ("enough with", 1.1), ("no one picks up", 1.1), ("four times", 0.9),
    ("three times", 0.7), ("so hard to", 0.9), ("straight answer", 1.0), ("wasted", 1.0),
    ("ghosted", 1.2), ("absurd", 1.1), ("chasing", 0.9), ("come on", 0.9), ("give me a break", 1.1),
    ("no one answers", 1.1), ("run around", 1.0), ("runaround", 1.0), ("excuses", 0.9),
    ("irritated", 1.2), ("irritating", 1.2), ("pissed", 1.2), ("done with", 0.8), ("im done", 0.9),
];

/// Disappointed: let down.
#[rustfmt::skip]
const DISAPPOINTED: &[(&str, f64)] = &[
    ("disappointed", 1.4), ("disappointing", 1.3), ("unfortunately", 1.0), ("let down", 1.2),
    ("too bad", 1.0), ("shame", 0.9), ("sad", 0.9), ("bummed", 1.2), ("expected more", 1.1),
    ("hoped for", 0.6), ("fell through", 1.2), ("didnt get", 0.8), ("lost the", 0.8),
    ("outbid", 1.0), ("not what we", 0.7), ("wish it", 0.5), ("oh well", 1.0),
    ("underwhelming", 1.2), ("not as", 0.5), ("smaller than", 0.8), ("missed out", 1.0),
    ("heartbroken", 1.3), ("passed on", 0.5), ("no longer", 0.4), ("than expected", 0.9),
    ("than the photos", 0.6), ("already sold", 1.0), ("sold already", 1.0), ("nothing like", 0.9),
    ("really wanted", 1.0), ("lost out", 1.1), ("never find", 0.9), ("expected", 0.6),
    ("there goes", 1.1), ("came in low", 0.9), ("way under", 0.8), ("wasnt meant", 1.0),
    ("pity", 1.0), ("letdown", 1.2), ("so close", 1.0), ("went with", 0.5), ("square one", 1.1),
    ("shame about", 0.5), ("backs onto", 0.4), ("sketchy", 0.8), ("sketchier", 0.9),
    ("counting on", 1.0), ("crushed", 1.2), ("gutted", 1.2), ("devastated", 1.2),
    ("looked better", 0.9), ("deflated", 1.2), ("regret", 1.0), ("wish we had", 1.0),
    ("sadly", 1.0), ("no luck", 1.0), ("didnt work out", 1.1), ("fell short", 1.1),
    ("in person", 0.3),
];

/// Urgent: needs something now.
#[rustfmt::skip]
const URGENT: &[(&str, f64)] = &[
    ("asap", 1.4), ("urgent", 1.4), ("urgently", 1.4), ("right away", 1.2), ("immediately", 1.2),
    ("right now", 1.0), ("today", 0.7), ("tonight", 0.7), ("by tomorrow", 0.9), ("tomorrow", 0.4),
    ("as soon as possible", 1.4), ("need to move", 1.0), ("deadline", 1.0), ("before friday", 0.8),
    ("before the weekend", 0.8), ("end of the day", 0.9), ("quickly", 0.8), ("hurry", 1.1),
    ("time sensitive", 1.3), ("emergency", 1.2), ("cant wait any longer", 0.6),
    ("running out of time", 1.2), ("need an answer", 1.0), ("call me now", 1.2),
    ("lease ends", 0.9), ("closing is", 0.4), ("need to", 0.4), ("have to", 0.4),
    ("or we lose", 1.0), ("relocating", 0.5), ("within the hour", 1.3), ("expires", 0.8),
    ("before 3", 0.6), ("before noon", 0.9), ("must", 0.6), ("movers", 0.8),
    ("still dont have", 0.5), ("out by", 0.7), ("by monday", 0.9), ("come monday", 0.8),
    ("moves on", 0.7), ("other side is waiting", 1.0), ("in an hour", 0.9), ("by the 1st", 0.8),
    ("by end of day", 1.0), ("by tonight", 1.1), ("answer by", 0.9), ("lease is ending", 0.9),
    ("need a place", 0.6), ("overnight", 0.9), ("this afternoon", 0.8), ("decide now", 1.0),
    ("respond quickly", 1.0), ("closing is tomorrow", 1.0), ("the moment", 0.8), ("24 hours", 1.0),
    ("48 hours", 1.0), ("hours to", 0.7), ("at noon", 0.5), ("its a must", 0.9),
    ("first thing", 0.8), ("this morning", 0.6), ("within", 0.5), ("before it", 0.4),
    ("cant wait long", 1.0),
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

/// Every cue of every state, indexed once per process.
pub(crate) fn index() -> &'static CueIndex<(EmotionalState, f64)> {
    static INDEX: OnceLock<CueIndex<(EmotionalState, f64)>> = OnceLock::new();
    INDEX.get_or_init(|| {
        CueIndex::new(EmotionalState::ALL.into_iter().flat_map(|state| {
            cues_for(state)
                .iter()
                .map(move |&(cue, weight)| (cue, (state, weight)))
        }))
    })
}

/// The cues of `state` (Neutral has none: it wins by default).
fn cues_for(state: EmotionalState) -> &'static [(&'static str, f64)] {
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

#[cfg(test)]
mod tests {
    use super::{cues_for, EmotionalState, FLIP};
    use crate::text::tokens::is_normalized_cue;

    #[test]
    fn every_cue_can_match_and_has_a_positive_weight() {
        for state in EmotionalState::ALL {
            for &(cue, weight) in cues_for(state) {
                assert!(is_normalized_cue(cue), "{state}: {cue:?} is not normalised");
                assert!(
                    weight > 0.0 && weight <= 2.0,
                    "{state}: {cue:?} weight {weight}"
                );
            }
        }
    }

    #[test]
    fn negation_flips_to_a_different_state() {
        for state in EmotionalState::ALL {
            assert_ne!(FLIP[state as usize], Some(state));
        }
    }
}
