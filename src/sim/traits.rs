//! The hidden traits of one simulated lead, and how they are drawn.
//!
//! What it is for: the per-lead ground truth that drives behaviour (persona, preferred channel,
//! time zone and active hours, churn propensity, buying intent) and that evaluations score
//! against.
//! What it is not: what happens to the lead over time (see `stream`) or how traits turn into
//! response probabilities (see `response`).

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::channel::ContactChannel;
use super::persona::Persona;

/// The hidden traits of one lead. Nothing here is visible in the event stream directly.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LeadTraits {
    /// The persona.
    pub persona: Persona,
    /// The channel the lead responds to best (before any `pref-shift` drift).
    pub preferred_channel: ContactChannel,
    /// Offset of the lead's time zone from UTC, in hours.
    pub tz_offset_hours: i8,
    /// First local hour of the active window (0-23).
    pub active_start_hour: u8,
    /// Length of the active window in hours (the window may wrap past midnight).
    pub active_hours: u8,
    /// Propensity to churn, in `[0, 1]`: scales the per-touch hazard of leaving.
    pub churn_propensity: f64,
    /// Buying intent, in `[0, 1]`: scales responsiveness, progress towards a deal and its odds.
    pub buying_intent: f64,
}

impl LeadTraits {
    /// Draws a lead's traits from the population model.
    pub fn sample<R: Rng + ?Sized>(rng: &mut R) -> Self {
        let persona = pick_persona(rng.random::<f64>());
        let profile = persona.profile();
        let preferred_channel = pick_weighted(&profile.channel_weights, rng.random::<f64>());
        let zones = profile.tz_offsets;
        let tz_offset_hours = zones[rng.random_range(0..zones.len())];
        let active_hours: u8 = rng.random_range(3..=6);
        let jitter: i16 = rng.random_range(-2..=2);
        let start = i16::from(profile.active_center) + jitter - i16::from(active_hours / 2);
        // rem_euclid keeps the hour in 0..24.
        let active_start_hour = start.rem_euclid(24) as u8;
        let churn_propensity = spread(profile.churn, rng);
        let buying_intent = spread(profile.intent, rng);
        Self {
            persona,
            preferred_channel,
            tz_offset_hours,
            active_start_hour,
            active_hours,
            churn_propensity,
            buying_intent,
        }
    }

    /// Whether a local hour of the day falls in the lead's active window.
    pub fn is_active_hour(&self, local_hour: u8) -> bool {
        let since_start =
            (i16::from(local_hour) - i16::from(self.active_start_hour)).rem_euclid(24);
        since_start < i16::from(self.active_hours)
    }

    /// A local hour in the middle of the active window.
    pub fn peak_local_hour(&self) -> u8 {
        (self.active_start_hour + self.active_hours / 2) % 24
    }
}

fn pick_persona(u: f64) -> Persona {
    let mut acc = 0.0;
    for persona in Persona::ALL {
        acc += persona.profile().share;
        if u < acc {
            return persona;
        }
    }
    Persona::Relocator
}

fn pick_weighted(weights: &[f64; 4], u: f64) -> ContactChannel {
    let mut acc = 0.0;
    for (channel, w) in ContactChannel::ALL.iter().zip(weights) {
        acc += w;
        if u < acc {
            return *channel;
        }
    }
    ContactChannel::Email
}

/// A value around `mean`, triangular on `mean ± spread`, kept inside `[0.02, 0.98]`.
fn spread<R: Rng + ?Sized>((mean, spread): (f64, f64), rng: &mut R) -> f64 {
    let v = mean + spread * (rng.random::<f64>() - rng.random::<f64>());
    v.clamp(0.02, 0.98)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    #[test]
    fn active_window_wraps_past_midnight() {
        let mut t = LeadTraits::sample(&mut Pcg64Mcg::seed_from_u64(1));
        t.active_start_hour = 22;
        t.active_hours = 4;
        assert!(t.is_active_hour(23) && t.is_active_hour(0) && t.is_active_hour(1));
        assert!(!t.is_active_hour(2) && !t.is_active_hour(21));
        assert_eq!(t.peak_local_hour(), 0);
    }

    #[test]
    fn sampled_traits_are_in_range_and_personas_all_occur() {
        let mut rng = Pcg64Mcg::seed_from_u64(7);
        let mut seen = [0usize; 5];
        for _ in 0..2000 {
            let t = LeadTraits::sample(&mut rng);
            seen[t.persona.index()] += 1;
            assert!((0.0..=1.0).contains(&t.churn_propensity));
            assert!((0.0..=1.0).contains(&t.buying_intent));
            assert!(t.active_start_hour < 24 && (3..=6).contains(&t.active_hours));
        }
        assert!(seen.iter().all(|&n| n > 150), "{seen:?}");
    }
}
