//! A simulated lead's latent engagement: how interested it still is, in `[0, 1]`, and how that
//! moves over time and with every touch.
//!
//! What it is for: the hidden state behind both what a lead shows (how often it opens, clicks
//! and replies, how fast and how warmly, how often it browses, whether it turns up to showings)
//! and whether it leaves. Real leads disengage before they leave; here the churn hazard is a
//! steep function of low engagement, so the fall is visible in behaviour first.
//! What it is not: the response model of a fully engaged lead (see `response`, the oracle for
//! channel choice) or the loop that applies it (see `stream`).
//!
//! The dynamics (per lead, evolved lazily whenever something happens to the lead):
//! - a settled lead's engagement is a random walk (`sigma = 0.03` per square-root day) pulled
//!   back towards its level on arrival;
//! - at each touch the lead may start to *fade* (it found another agent, put the move on hold):
//!   more likely with churn propensity, with a badly fitting touch, with over-contact and under
//!   a market shock. A fading lead's engagement drifts down by about 0.03-0.06 a day, so it takes
//!   one to three weeks to wear away;
//! - each touch moves it: a touch that fits the lead (right channel, hour and tone) lifts it a
//!   little, a badly fitting one lowers it, and a touch less than a day after the previous one
//!   lowers it further; a response to a well fitting touch lifts it, and may stop a fade (a good
//!   conversation wins the lead back).

use rand::Rng;
use rand_distr::StandardNormal;

use super::channel::DAY_MS;
use super::drift::Effects;
use super::traits::LeadTraits;

/// Below this a lead counts as disengaging (ground truth `disengaged_ts`).
pub const DISENGAGED: f64 = 0.35;
/// Below this a reply may say the lead wants out ("please take me off your list").
pub(crate) const LEAVING: f64 = 0.3;

/// Random-walk volatility per square-root day.
const SIGMA_PER_SQRT_DAY: f64 = 0.03;
/// Pull of a settled lead back to its level, per day.
const REVERSION_PER_DAY: f64 = 0.08;
/// Downward drift per day of a fading lead, at churn propensity 0 (more with propensity).
const FADE_PER_DAY: f64 = 0.03;
/// Per-touch chance of starting to fade at propensity 1 and an ideal touch.
const FADE_ONSET: f64 = 0.045;
/// Lift of an ideal touch; the lift shrinks and turns into a loss as the fit worsens.
const TOUCH_FIT_LIFT: f64 = 0.01;
/// Loss of the worst-fitting touch, scaled by churn propensity (uncommitted leads tire fastest).
const TOUCH_MISFIT_LOSS: f64 = 0.03;
/// Loss of a touch within a day of the previous one.
const OVER_CONTACT_LOSS: f64 = 0.05;
/// Lift of a response, scaled by how well the touch fit.
const RESPONSE_LIFT: f64 = 0.02;
/// Chance that a response to an ideal touch stops a fade.
const WIN_BACK: f64 = 0.25;
/// Scale of the per-touch churn hazard (see [`churn_hazard`]).
const HAZARD_SCALE: f64 = 0.15;

/// A lead's engagement on arrival: high, lower for uncommitted leads, higher for keen buyers.
pub(crate) fn initial<R: Rng + ?Sized>(traits: &LeadTraits, rng: &mut R) -> f64 {
    let noise: f64 = rng.sample(StandardNormal);
    (0.85 - 0.15 * traits.churn_propensity + 0.15 * (traits.buying_intent - 0.5) + 0.05 * noise)
        .clamp(0.5, 1.0)
}

/// Engagement `dt_ms` later for a lead whose level on arrival was `home`, fading or not (see
/// the module documentation).
pub(crate) fn evolve<R: Rng + ?Sized>(
    engagement: f64,
    home: f64,
    fading: bool,
    dt_ms: i64,
    traits: &LeadTraits,
    rng: &mut R,
) -> f64 {
    if dt_ms <= 0 {
        return engagement;
    }
    let days = dt_ms as f64 / DAY_MS as f64;
    let drift = if fading {
        -FADE_PER_DAY * (1.0 + traits.churn_propensity) * days
    } else {
        (home - engagement) * (1.0 - (-REVERSION_PER_DAY * days).exp())
    };
    let noise: f64 = rng.sample(StandardNormal);
    (engagement + drift + SIGMA_PER_SQRT_DAY * days.sqrt() * noise).clamp(0.0, 1.0)
}

/// The chance that a touch with `misfit` (see [`super::mismatch`]) starts a fade.
pub(crate) fn fade_onset(
    misfit: f64,
    over_contact: bool,
    traits: &LeadTraits,
    effects: &Effects,
) -> f64 {
    let pressure = if over_contact { 2.0 } else { 1.0 };
    (FADE_ONSET * traits.churn_propensity * (0.4 + 1.2 * misfit) * pressure * effects.churn)
        .min(1.0)
}

/// The chance that a response to a touch with `misfit` stops a fade.
pub(crate) fn win_back(misfit: f64) -> f64 {
    WIN_BACK * (1.0 - misfit).max(0.0)
}

/// Whether a touch `since_last_ms` after the previous one (`None` for the first) is
/// over-contact.
pub(crate) fn over_contact(since_last_ms: Option<i64>) -> bool {
    since_last_ms.is_some_and(|gap| gap < DAY_MS)
}

/// Engagement after a touch with `misfit`, over-contact or not.
pub(crate) fn after_touch(
    engagement: f64,
    misfit: f64,
    over_contact: bool,
    traits: &LeadTraits,
) -> f64 {
    let fit = 1.0 - misfit;
    let mut e = engagement + TOUCH_FIT_LIFT * fit
        - TOUCH_MISFIT_LOSS * misfit * misfit * (0.5 + traits.churn_propensity);
    if over_contact {
        e -= OVER_CONTACT_LOSS;
    }
    e.clamp(0.0, 1.0)
}

/// Engagement after the lead responded to a touch with `misfit`.
pub(crate) fn after_response(engagement: f64, misfit: f64) -> f64 {
    (engagement + RESPONSE_LIFT * (1.0 - misfit)).clamp(0.0, 1.0)
}

/// Multiplier on the oracle's response probability (and on clicks, replies and visits): a
/// lead goes quiet as its interest wears away, `1.2 / (1 + exp(-(e - 0.55) / 0.08))`: about
/// 1.15 at 0.8, 1.04 at 0.7, 0.6 at 0.55, 0.26 at 0.45 and 0.09 at the disengaging threshold.
pub fn response_factor(engagement: f64) -> f64 {
    1.2 / (1.0 + (-(engagement - 0.55) / 0.08).exp())
}

/// Probability that a lead leaves within `days` (checked daily): a daily hazard steep in low
/// engagement, `0.15 / (1 + exp((e - 0.25) / 0.05))` (0.3% at 0.45, 1.8% at the disengaging
/// threshold 0.35, 7.5% at 0.25, 13% at 0.15), times the drift's churn multiplier, integrated
/// over the days. A disengaged lead lingers a week or two, quieter and sourer, before it goes.
pub(crate) fn churn_hazard(engagement: f64, days: f64, effects: &Effects) -> f64 {
    let per_day = HAZARD_SCALE / (1.0 + ((engagement - 0.25) / 0.05).exp()) * effects.churn;
    1.0 - (-per_day * days.max(0.0)).exp()
}

/// Probability that a competitor poaches the lead within `days` under a `poaching` drift: a
/// daily hazard growing with intent and engagement (the keen, active leads are the ones a
/// competitor reaches), 0 without the drift.
pub(crate) fn poach_hazard(engagement: f64, intent: f64, days: f64, effects: &Effects) -> f64 {
    let per_day = effects.poach * (intent * engagement).clamp(0.0, 1.0).powi(2);
    1.0 - (-per_day * days.max(0.0)).exp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{ContactChannel, Persona};
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    fn lead(propensity: f64) -> LeadTraits {
        LeadTraits {
            persona: Persona::Investor,
            preferred_channel: ContactChannel::Email,
            tz_offset_hours: -5,
            active_start_hour: 8,
            active_hours: 4,
            churn_propensity: propensity,
            buying_intent: 0.5,
        }
    }

    #[test]
    fn fading_leads_wear_away_and_settled_ones_hold() {
        let mean_after = |t: &LeadTraits, fading: bool| {
            let mut rng = Pcg64Mcg::seed_from_u64(3);
            let mut total = 0.0;
            for _ in 0..500 {
                let mut x = 0.8;
                for _ in 0..14 {
                    x = evolve(x, 0.8, fading, DAY_MS, t, &mut rng);
                }
                total += x;
            }
            total / 500.0
        };
        let (settled, fading) = (mean_after(&lead(0.5), false), mean_after(&lead(0.5), true));
        assert!((settled - 0.8).abs() < 0.05, "{settled}");
        assert!(fading < 0.3, "{fading}");
        let shock = Effects {
            churn: 2.0,
            ..Effects::NONE
        };
        let t = lead(0.5);
        assert!(
            fade_onset(0.9, false, &t, &Effects::NONE)
                > 2.0 * fade_onset(0.0, false, &t, &Effects::NONE)
        );
        assert!(
            fade_onset(0.5, true, &t, &shock) > 3.0 * fade_onset(0.5, false, &t, &Effects::NONE)
        );
    }

    #[test]
    fn bad_touches_and_over_contact_cost_engagement() {
        let t = lead(0.5);
        assert!(after_touch(0.6, 0.0, false, &t) > 0.6);
        assert!(after_touch(0.6, 0.9, false, &t) < 0.6);
        assert!(after_touch(0.6, 0.0, true, &t) < 0.6);
        assert!(over_contact(Some(DAY_MS / 4)) && !over_contact(Some(2 * DAY_MS)));
        assert!(
            churn_hazard(0.2, 2.0, &Effects::NONE) > 100.0 * churn_hazard(0.8, 2.0, &Effects::NONE)
        );
        assert!(response_factor(0.8) > 3.0 * response_factor(DISENGAGED));
    }
}
