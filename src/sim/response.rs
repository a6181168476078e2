//! The response model: how likely a lead is to respond to a touch, and how badly a touch fits.
//!
//! What it is for: pure functions of (lead traits, channel, hour of week, variant, drift effects)
//! that the simulation draws from and that an evaluator can query as the oracle (best channel,
//! regret). No randomness, no state.
//! What it is not: the simulation loop (see `stream`), which adds what history does (churn,
//! progress towards a deal).

use crate::event::MessageVariant;

use super::channel::{local_hour_of_week, ContactChannel};
use super::drift::Effects;
use super::traits::LeadTraits;

/// Responsiveness on a channel other than the preferred one.
const OFF_CHANNEL: f64 = 0.4;
/// Responsiveness outside the active window during the local day (08:00-21:59).
const OFF_HOURS_DAY: f64 = 0.55;
/// Responsiveness at night.
const OFF_HOURS_NIGHT: f64 = 0.12;
/// The highest response probability the model gives.
const MAX_RESPONSE: f64 = 0.95;

/// The preferred channel of a lead once `pref-shift` drifts have applied.
pub fn effective_preferred(traits: &LeadTraits, effects: &Effects) -> ContactChannel {
    traits.preferred_channel.rotated(effects.pref_shift)
}

/// Multiplier for the hour: 1 in the lead's active window, less in the day, far less at night;
/// scaled by the persona's weekend factor on local Saturdays and Sundays.
pub fn hour_factor(traits: &LeadTraits, utc_hour_of_week: u16) -> f64 {
    let local = local_hour_of_week(utc_hour_of_week, traits.tz_offset_hours);
    // local < 168, so the hour of day fits a u8.
    let hour = (local % 24) as u8;
    let base = if traits.is_active_hour(hour) {
        1.0
    } else if (8..22).contains(&hour) {
        OFF_HOURS_DAY
    } else {
        OFF_HOURS_NIGHT
    };
    let weekend = local / 24 >= 5;
    if weekend {
        base * traits.persona.profile().weekend_factor
    } else {
        base
    }
}

/// The probability that the lead responds (opens, replies, picks up, watches) to a touch on
/// `channel` with `variant` sent at UTC hour of week `utc_hour_of_week` under `effects`.
///
/// This is the simulator's oracle: the simulation draws responses from exactly this value.
pub fn response_probability(
    traits: &LeadTraits,
    channel: ContactChannel,
    utc_hour_of_week: u16,
    variant: MessageVariant,
    effects: &Effects,
) -> f64 {
    let profile = traits.persona.profile();
    let on_channel = if channel == effective_preferred(traits, effects) {
        1.0
    } else {
        OFF_CHANNEL
    };
    let intent = traits.buying_intent * effects.intent;
    let p = profile.base_response
        * on_channel
        * hour_factor(traits, utc_hour_of_week)
        * profile.variant_affinity[variant.index()]
        * (0.6 + 0.8 * intent)
        * effects.channel[channel.index()];
    p.clamp(0.0, MAX_RESPONSE)
}

/// The best `(channel, variant)` for a lead at an hour under `effects`, with its probability.
/// Ties go to the earlier channel and variant in index order.
pub fn best_touch(
    traits: &LeadTraits,
    utc_hour_of_week: u16,
    effects: &Effects,
) -> (ContactChannel, MessageVariant, f64) {
    let mut best = (ContactChannel::Email, MessageVariant::Conservative, -1.0);
    for channel in ContactChannel::ALL {
        for &variant in MessageVariant::ALL {
            let p = response_probability(traits, channel, utc_hour_of_week, variant, effects);
            if p > best.2 {
                best = (channel, variant, p);
            }
        }
    }
    best
}

/// How badly a touch fits the lead, in `[0, 1]`: 0 for the ideal touch (preferred channel, best
/// variant, active weekday hour), towards 1 for a touch the lead barely notices. Ignores channel
/// outages: a dead channel annoys nobody, it just does not arrive.
pub fn mismatch(
    traits: &LeadTraits,
    channel: ContactChannel,
    utc_hour_of_week: u16,
    variant: MessageVariant,
    effects: &Effects,
) -> f64 {
    let undisturbed = Effects {
        channel: [1.0; 4],
        ..*effects
    };
    let p = response_probability(traits, channel, utc_hour_of_week, variant, &undisturbed);
    let profile = traits.persona.profile();
    let best_variant = profile.variant_affinity.iter().copied().fold(0.0, f64::max);
    let intent = traits.buying_intent * effects.intent;
    let ideal = (profile.base_response * best_variant * (0.6 + 0.8 * intent)).min(MAX_RESPONSE);
    if ideal <= 0.0 {
        return 1.0;
    }
    (1.0 - p / ideal).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::persona::Persona;

    fn lead() -> LeadTraits {
        LeadTraits {
            persona: Persona::Investor,
            preferred_channel: ContactChannel::Email,
            tz_offset_hours: -5,
            active_start_hour: 8,
            active_hours: 4,
            churn_propensity: 0.3,
            buying_intent: 0.7,
        }
    }

    /// Monday 14:00 UTC is 09:00 in UTC-5, inside the 08:00-12:00 window.
    const MONDAY_14_UTC: u16 = 14;

    #[test]
    fn preferred_channel_in_window_is_best() {
        let t = lead();
        let (c, v, p) = best_touch(&t, MONDAY_14_UTC, &Effects::NONE);
        assert_eq!(c, ContactChannel::Email);
        assert_ne!(v, MessageVariant::Conservative);
        let sms = response_probability(&t, ContactChannel::Sms, MONDAY_14_UTC, v, &Effects::NONE);
        assert!(p > 2.0 * sms, "{p} vs {sms}");
        let night = response_probability(&t, c, 7, v, &Effects::NONE);
        assert!(p > 5.0 * night);
        assert!(mismatch(&t, c, MONDAY_14_UTC, v, &Effects::NONE) < 1e-9);
        assert!(mismatch(&t, ContactChannel::Sms, 7, v, &Effects::NONE) > 0.9);
    }

    #[test]
    fn drift_effects_move_the_oracle() {
        let t = lead();
        let mut e = Effects::NONE;
        e.channel[ContactChannel::Email.index()] = 0.04;
        let (c, _, _) = best_touch(&t, MONDAY_14_UTC, &e);
        assert_ne!(c, ContactChannel::Email);
        let shifted = Effects {
            pref_shift: 1,
            ..Effects::NONE
        };
        let (c, _, _) = best_touch(&t, MONDAY_14_UTC, &shifted);
        assert_eq!(c, ContactChannel::Sms);
    }
}
