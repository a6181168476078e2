//! Churn cues in a lead's text: unsubscribe intent, competitor mention, price objection.
//!
//! What it is for: explicit statements that a lead is leaving, looking elsewhere or balking at
//! price, which the churn model and alerts use directly. Hand-written phrase lists matched on
//! word boundaries; negation matters ("I'm not working with another agent" is not a competitor
//! mention, "the price isn't too high" is not an objection).
//! What it is not: a legal opt-out detector. A formal STOP keyword is handled by the messaging
//! provider; this flags softer signals too ("not interested").

use serde::Serialize;

use super::tokens::Normalized;

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
    "stop",
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
    "zillow",
    "redfin",
    "trulia",
    "realtor com",
    "opendoor",
    "offerpad",
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

/// [`detect`] over an already normalised message.
pub(crate) fn detect_normalized(norm: &Normalized) -> ChurnCues {
    ChurnCues {
        unsubscribe_intent: unsubscribe(norm),
        competitor_mention: norm.count_any_affirmed(COMPETITOR) > 0,
        price_objection: price_objection(norm),
    }
}

/// "stop" alone counts only as the whole message (a carrier-style STOP), or with "please";
/// "dont stop" is not intent.
fn unsubscribe(norm: &Normalized) -> bool {
    let whole_stop = matches!(norm.as_str().trim(), "stop" | "stop all" | "unsubscribe");
    whole_stop
        || UNSUBSCRIBE.iter().filter(|cue| **cue != "stop").any(|cue| {
            // Cues that already say "not"/"dont" must not be cancelled by their own negator.
            let self_negating = cue.starts_with("not ")
                || cue.starts_with("no ")
                || cue.starts_with("dont ")
                || cue.starts_with("do not ");
            if self_negating {
                norm.count(cue) > 0
            } else {
                norm.count_affirmed(cue) > 0
            }
        })
}

/// Price objections. "too much" and "too high" are kept although they can be about something
/// else: in replies to a listing they are nearly always about price.
fn price_objection(norm: &Normalized) -> bool {
    norm.count_any_affirmed(PRICE) > 0
}

#[cfg(test)]
mod tests {
    use super::detect;

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
