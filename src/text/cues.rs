//! Churn cues in a lead's text: unsubscribe intent, competitor mention, price objection.
//!
//! What it is for: explicit statements that a lead is leaving, looking elsewhere or balking at
//! price, which the churn model and alerts use directly. Hand-written phrase lists matched on
//! word boundaries; negation matters ("I'm not working with another agent" is not a competitor
//! mention, "the price isn't too high" is not an objection).
//! What it is not: a legal opt-out detector. A formal STOP keyword is handled by the messaging
//! provider; this flags softer signals too ("not interested").

use std::sync::OnceLock;

use serde::Serialize;

use super::tokens::{CueIndex, Normalized};

/// Churn cues found in one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ChurnCues {
    /// Asks to stop contact or says they are not interested.
    pub unsubscribe_intent: bool,
    /// Mentions another agent, brokerage or listing site (Zillow, Redfin, ...).
    pub competitor_mention: bool,
    /// Objects to price, cost or budget.
    pub price_objection: bool,
}

/// Phrases that carry their own negation or are unambiguous; matched as is.
const UNSUBSCRIBE: &[&str] = &[
    "stop texting",
    "stop calling",
    "stop emailing",
    "stop contacting",
    "stop messaging",
    "remove me",
    "take me off",
    "unsubscribe",
    "opt out",
    "not interested",
    "no longer interested",
    "dont contact me",
    "do not contact me",
    "dont text me",
    "do not text",
    "dont call me",
    "do not call",
    "lose my number",
    "leave me alone",
    "wrong number",
    "please stop",
    "remove us",
    "take us off",
    "no more emails",
    "no more texts",
    "no more calls",
    "no more messages",
    "quit messaging",
    "quit texting",
    "quit calling",
    "quit emailing",
];

/// Other agents, brokerages and listing sites; a negator shortly before cancels the mention.
const COMPETITOR: &[&str] = &[
    "another agent",
    "another realtor",
    "other agent",
    "different agent",
    "different realtor",
    "our agent",
    "my agent",
    "my realtor",
    "our realtor",
    "another broker",
    "another brokerage",
    "other brokerage",
    "already have an agent",
    "already have a realtor",
    "already working with",
    "signed with",
    "listed with",
    "going with",
    "is an agent",
    "is a realtor",
    "zillow",
    "zillows",
    "redfin",
    "redfins",
    "trulia",
    "trulias",
    "realtor com",
    "opendoor",
    "opendoors",
    "offerpad",
    "offerpads",
    "compass",
    "keller williams",
    "coldwell banker",
    "remax",
    "re max",
    "century 21",
    "sothebys",
    "exp realty",
    "fsbo",
    "for sale by owner",
];

/// Price and budget objections; a negator shortly before cancels it.
const PRICE: &[&str] = &[
    "too expensive",
    "too pricey",
    "too much",
    "too high",
    "overpriced",
    "over priced",
    "out of our budget",
    "out of my budget",
    "over our budget",
    "over my budget",
    "above our budget",
    "above my budget",
    "outside our budget",
    "beyond our budget",
    "out of our price range",
    "out of my price range",
    "cant afford",
    "cannot afford",
    "priced out",
    "too steep",
    "is steep",
    "are steep",
    "cant swing",
    "way more than",
    "more than we can",
    "commission is",
    "fees are",
    "cheaper",
    "lower the price",
    "price drop",
    "rates are too",
];

/// Detects churn cues in one message.
///
/// # Examples
/// ```
/// let c = leadstream::text::cues::detect("Saw it cheaper on Zillow, and it's out of our budget.");
/// assert!(c.competitor_mention && c.price_objection && !c.unsubscribe_intent);
///
/// let c = leadstream::text::cues::detect("We are not working with another agent.");
/// assert!(!c.competitor_mention);
/// ```
pub fn detect(text: &str) -> ChurnCues {
    detect_normalized(&Normalized::new(text))
}

/// Which list a phrase comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `self_negating`: the phrase already says "not"/"dont" ("not interested"), so a negator
    /// before it does not cancel it.
    Unsubscribe {
        self_negating: bool,
    },
    Competitor,
    Price,
}

/// Every list, indexed once per process.
fn index() -> &'static CueIndex<Kind> {
    static INDEX: OnceLock<CueIndex<Kind>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let unsubscribe = UNSUBSCRIBE.iter().map(|&cue| {
            let self_negating = ["not ", "no ", "dont ", "do not "]
                .iter()
                .any(|prefix| cue.starts_with(prefix));
            (cue, Kind::Unsubscribe { self_negating })
        });
        let competitor = COMPETITOR.iter().map(|&cue| (cue, Kind::Competitor));
        let price = PRICE.iter().map(|&cue| (cue, Kind::Price));
        CueIndex::new(unsubscribe.chain(competitor).chain(price))
    })
}

/// [`detect`] over an already normalised message.
pub(crate) fn detect_normalized(norm: &Normalized) -> ChurnCues {
    // A bare "stop" counts only as the whole message (the carrier-style STOP keyword); in a
    // sentence it is too often about something else ("which stop is closest").
    let whole_message_stop = matches!(norm.as_str().trim(), "stop" | "stop all" | "unsubscribe");
    let mut cues = ChurnCues {
        unsubscribe_intent: whole_message_stop,
        ..ChurnCues::default()
    };
    norm.scan(index(), |kind, negated| match kind {
        Kind::Unsubscribe { self_negating } if self_negating || !negated => {
            cues.unsubscribe_intent = true;
        }
        Kind::Competitor if !negated => cues.competitor_mention = true,
        Kind::Price if !negated => cues.price_objection = true,
        _ => {}
    });
    cues
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn every_cue_can_match() {
        for list in [super::UNSUBSCRIBE, super::COMPETITOR, super::PRICE] {
            for cue in list {
                assert!(crate::text::tokens::is_normalized_cue(cue), "{cue:?}");
            }
        }
    }

    #[test]
    fn unsubscribe_phrases() {
        for text in [
            "Stop texting me",
            "STOP",
            "please remove me from your list",
            "Not interested, thanks",
            "Take me off this list.",
        ] {
            assert!(detect(text).unsubscribe_intent, "{text}");
        }
        for text in [
            "Don't stop sending listings!",
            "Which stop is closest to the house?",
        ] {
            assert!(!detect(text).unsubscribe_intent, "{text}");
        }
    }

    #[test]
    fn not_interested_is_not_cancelled_by_its_own_negation() {
        assert!(detect("I am really not interested anymore").unsubscribe_intent);
    }

    #[test]
    fn negated_price_objection_is_not_one() {
        assert!(detect("That's way too expensive for us").price_objection);
        assert!(!detect("It's not too expensive, we like it").price_objection);
    }
}
