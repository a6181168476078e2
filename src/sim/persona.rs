//! The five hidden personas of simulated leads and the behaviour profile of each.
//!
//! What it is for: one table of numbers that makes a first-time buyer behave unlike an investor
//! (channels, hours, tone, intent, churn, how they leave, how much they buy for), so that
//! persona recovery and personalization have something real to find.
//! What it is not: the sampling of one lead's traits (see `traits`) or the response model
//! (see `response`).

use serde::{Deserialize, Serialize};

/// A lead's hidden persona.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Persona {
    /// Buying a first home: many questions, anxious, likes a soft tone, texts in the evening.
    FirstTimeBuyer,
    /// Buying to rent or resell: fast, businesslike, weekday mornings, tolerates pressure.
    Investor,
    /// A growing family that needs more room: evenings and weekends, video tours, hopeful.
    UpsizingFamily,
    /// Selling a large home for a smaller one: phone and email, mornings, dislikes pressure.
    Downsizer,
    /// Moving from another region: far time zones, video and calls, urgent timelines.
    Relocator,
}

impl Persona {
    /// Every persona, in index order.
    pub const ALL: [Persona; 5] = [
        Persona::FirstTimeBuyer,
        Persona::Investor,
        Persona::UpsizingFamily,
        Persona::Downsizer,
        Persona::Relocator,
    ];

    /// The persona's position in [`Persona::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The wire name used in ground truth.
    pub const fn as_str(self) -> &'static str {
        match self {
            Persona::FirstTimeBuyer => "first_time_buyer",
            Persona::Investor => "investor",
            Persona::UpsizingFamily => "upsizing_family",
            Persona::Downsizer => "downsizer",
            Persona::Relocator => "relocator",
        }
    }

    /// The behaviour profile of this persona.
    pub const fn profile(self) -> &'static PersonaProfile {
        &PROFILES[self.index()]
    }
}

/// The numbers that drive one persona's behaviour. All probabilities are in `[0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PersonaProfile {
    /// Share of the population with this persona.
    pub share: f64,
    /// Response probability on the preferred channel, in the active window, best tone, intent 0.5.
    pub base_response: f64,
    /// How the preferred channel is drawn: weights over [`ContactChannel::ALL`](crate::sim::ContactChannel::ALL).
    pub channel_weights: [f64; 4],
    /// Centre of the active window, local hour.
    pub active_center: u8,
    /// Multiplier on responsiveness on Saturdays and Sundays (local time).
    pub weekend_factor: f64,
    /// Multiplier on responsiveness per message variant (conservative, professional, aggressive).
    pub variant_affinity: [f64; 3],
    /// Mean and spread of the churn propensity.
    pub churn: (f64, f64),
    /// Mean and spread of the buying intent.
    pub intent: (f64, f64),
    /// Share of churners who unsubscribe or opt out rather than go silent.
    pub unsubscribe_share: f64,
    /// Time-zone offsets (hours from UTC) the persona's leads live in.
    pub tz_offsets: &'static [i8],
    /// Spontaneous web visits per day at buying intent 1.
    pub visits_per_day: f64,
    /// Typical deal amount.
    pub deal_amount: f64,
    /// Probability that a reply asks something or hesitates (confused, anxious) whatever the mood.
    pub doubt: f64,
}

const US_ZONES: &[i8] = &[-8, -7, -6, -5, -5, -5];
const FAR_ZONES: &[i8] = &[0, 1, -3, 8, 10, -10, 5];

/// Indexed by [`Persona::index`]. Shares sum to 1.
const PROFILES: [PersonaProfile; 5] = [
    PersonaProfile {
        share: 0.30,
        base_response: 0.55,
        channel_weights: [0.30, 0.50, 0.05, 0.15],
        active_center: 20,
        weekend_factor: 1.1,
        variant_affinity: [1.15, 0.95, 0.45],
        churn: (0.45, 0.35),
        intent: (0.45, 0.30),
        unsubscribe_share: 0.35,
        tz_offsets: US_ZONES,
        visits_per_day: 0.9,
        deal_amount: 320_000.0,
        doubt: 0.35,
    },
    PersonaProfile {
        share: 0.15,
        base_response: 0.60,
        channel_weights: [0.55, 0.10, 0.35, 0.00],
        active_center: 9,
        weekend_factor: 0.5,
        variant_affinity: [0.70, 1.10, 1.10],
        churn: (0.35, 0.30),
        intent: (0.65, 0.25),
        unsubscribe_share: 0.60,
        tz_offsets: US_ZONES,
        visits_per_day: 1.4,
        deal_amount: 540_000.0,
        doubt: 0.05,
    },
    PersonaProfile {
        share: 0.25,
        base_response: 0.50,
        channel_weights: [0.15, 0.30, 0.05, 0.50],
        active_center: 21,
        weekend_factor: 1.6,
        variant_affinity: [1.05, 1.05, 0.60],
        churn: (0.40, 0.30),
        intent: (0.55, 0.30),
        unsubscribe_share: 0.30,
        tz_offsets: US_ZONES,
        visits_per_day: 1.0,
        deal_amount: 610_000.0,
        doubt: 0.15,
    },
    PersonaProfile {
        share: 0.15,
        base_response: 0.50,
        channel_weights: [0.45, 0.00, 0.50, 0.05],
        active_center: 10,
        weekend_factor: 0.9,
        variant_affinity: [1.20, 0.90, 0.30],
        churn: (0.30, 0.30),
        intent: (0.40, 0.25),
        unsubscribe_share: 0.55,
        tz_offsets: US_ZONES,
        visits_per_day: 0.4,
        deal_amount: 430_000.0,
        doubt: 0.20,
    },
    PersonaProfile {
        share: 0.15,
        base_response: 0.55,
        channel_weights: [0.20, 0.05, 0.30, 0.45],
        active_center: 14,
        weekend_factor: 1.0,
        variant_affinity: [0.85, 1.10, 0.95],
        churn: (0.50, 0.35),
        intent: (0.70, 0.25),
        unsubscribe_share: 0.40,
        tz_offsets: FAR_ZONES,
        visits_per_day: 1.2,
        deal_amount: 480_000.0,
        doubt: 0.15,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_and_weights_are_distributions() {
        let total: f64 = PROFILES.iter().map(|p| p.share).sum();
        assert!((total - 1.0).abs() < 1e-9);
        for p in &PROFILES {
            let w: f64 = p.channel_weights.iter().sum();
            assert!((w - 1.0).abs() < 1e-9, "{p:?}");
        }
    }
}
