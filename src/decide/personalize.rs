//! Personalization: next channel (Thompson sampling on a persona's channel posterior plus the
//! lead's own history), message variant (LinUCB on persona and stage), send time (Thompson
//! sampling over the next day's hours, learned per local hour of the week) and tone.
//!
//! What it is for: the pure choice functions the shard decider calls with the current snapshot
//! and its seeded generator.
//! What it is not: learning (the learner updates the bandits from response examples).

use rand::Rng;

use crate::event::{Channel, JourneyStage, MessageVariant};
use crate::lead::{hour_of_week, LeadState};
use crate::text::EmotionalState;

use super::example::VARIANT_CONTEXT;
use super::snapshot::ModelSnapshot;
use super::types::{ArmBelief, Tone, CONTACT_CHANNELS};
#[cfg(doc)]
use crate::learn::bandit::HourOfWeekThompson;
use crate::learn::bandit::{ArmEstimate, BetaPosterior, WEEK_HOURS};

const HOUR_MS: i64 = 3_600_000;

/// Bit mask of the contact channels still allowed for `state` (0 when none is).
pub fn channel_mask(state: &LeadState) -> u32 {
    let mut mask = 0;
    for (arm, ch) in CONTACT_CHANNELS.iter().enumerate() {
        let blocked = state.unsubscribed_from(*ch) || (state.opted_out() && *ch == Channel::Sms);
        if !blocked {
            mask |= 1 << arm;
        }
    }
    mask
}

/// The bandit slot of a persona (the last slot is the global one).
pub fn slot(snapshot: &ModelSnapshot, persona: Option<u8>) -> usize {
    let global = snapshot.channel.len().saturating_sub(1);
    persona.map_or(global, |p| usize::from(p).min(global))
}

/// Chooses the next channel arm among `mask` and the belief behind it: Thompson sampling from a
/// Beta posterior per arm whose prior mean blends the persona's channel posterior with the
/// response model's probability for this lead (`response`), with `prior_strength`
/// pseudo-counts, plus the lead's own labelled (successes, failures) on that arm.
pub fn choose_channel<R: Rng + ?Sized>(
    snapshot: &ModelSnapshot,
    persona: Option<u8>,
    response: &[f64; 4],
    lead_arms: &[(f32, f32); 4],
    mask: u32,
    prior_strength: f64,
    rng: &mut R,
) -> (usize, ArmBelief) {
    let Some(bandit) = snapshot.channel.get(slot(snapshot, persona)) else {
        return (0, ArmBelief::default());
    };
    let mask = if mask == 0 { 1 } else { mask };
    let mut best: Option<(usize, f64, BetaPosterior)> = None;
    for arm in 0..CONTACT_CHANNELS.len() {
        if mask & (1 << arm) == 0 {
            continue;
        }
        let population = bandit.posterior(arm).mean();
        let model = response
            .get(arm)
            .copied()
            .filter(|p| p.is_finite())
            .unwrap_or(population);
        let prior = (0.5 * (population + model)).clamp(0.01, 0.99);
        let (s, f) = lead_arms.get(arm).copied().unwrap_or((0.0, 0.0));
        let post = BetaPosterior::new(
            prior * prior_strength + f64::from(s),
            (1.0 - prior) * prior_strength + f64::from(f),
        );
        let draw = post.sample(rng);
        if best.is_none_or(|b| draw > b.1) {
            best = Some((arm, draw, post));
        }
    }
    best.map_or((0, ArmBelief::default()), |(arm, draw, post)| {
        (
            arm,
            ArmBelief {
                estimate: post.mean(),
                uncertainty: post.std(),
                score: draw,
            },
        )
    })
}

/// Successes an unprompted contact (the lead got in touch on a channel without a touch on it
/// within the response horizon) weighs in the channel choice: the one it counts as in the
/// lead's labelled evidence, plus `UNPROMPTED_WEIGHT - 1`. A lead that texts on its own says
/// more about the channel it likes than one answer to a touch does (an answer on a channel the
/// lead does not prefer is common, contact it starts there is rare). Measured in
/// docs/evaluation.md ("Channel regret: what bounds it").
pub const UNPROMPTED_WEIGHT: f32 = 6.0;

/// The lead's channel evidence for the choice: its labelled (successes, failures) per arm
/// with each unprompted contact weighing [`UNPROMPTED_WEIGHT`] successes.
pub fn channel_evidence(arms: [(f32, f32); 4], unprompted: [f32; 4]) -> [(f32, f32); 4] {
    let mut out = arms;
    for (a, u) in out.iter_mut().zip(unprompted) {
        a.0 += (UNPROMPTED_WEIGHT - 1.0) * u.max(0.0);
    }
    out
}

/// The touch channels (arms, in [`CONTACT_CHANNELS`] order) an answer on `arm` can be
/// answering: an email may answer an email, a video message or a call (leads write back about
/// a video or a call, and ask by email to stop being called); an SMS reply, a video view or a
/// call only their own channel. An answer with none of these touched within the response
/// horizon is unprompted contact.
pub fn prompting_arms(arm: usize) -> &'static [usize] {
    const EMAIL: usize = 0;
    const CALL: usize = 2;
    const VIDEO: usize = 3;
    const ALL: [usize; 4] = [0, 1, 2, 3];
    match arm {
        EMAIL => &[EMAIL, CALL, VIDEO],
        a => ALL.get(a..=a).unwrap_or(&[]),
    }
}

/// The variant bandit's context: bias, persona one-hot (5 slots), stage level, negative mood.
pub fn variant_context(persona: Option<u8>, state: &LeadState) -> [f64; VARIANT_CONTEXT] {
    let mut x = [0.0; VARIANT_CONTEXT];
    x[0] = 1.0;
    if let Some(p) = persona {
        x[1 + usize::from(p).min(4)] = 1.0;
    }
    x[6] = state.stage().index() as f64 / (JourneyStage::COUNT - 1) as f64;
    let counts = state.emotion_counts();
    let total: f64 = counts.iter().map(|&c| f64::from(c)).sum();
    if total > 0.0 {
        let neg: f64 = EmotionalState::ALL
            .iter()
            .filter(|e| e.is_negative())
            .map(|e| f64::from(counts[*e as usize]))
            .sum();
        x[7] = neg / total;
    }
    x
}

/// Chooses the message variant for a context.
pub fn choose_variant(
    snapshot: &ModelSnapshot,
    context: &[f64; VARIANT_CONTEXT],
) -> (MessageVariant, ArmBelief) {
    let (arm, est) = snapshot.variant.choose(context, u32::MAX);
    (
        MessageVariant::ALL[arm.min(MessageVariant::COUNT - 1)],
        ArmBelief {
            estimate: est.mean,
            uncertainty: est.width,
            score: est.ucb,
        },
    )
}

/// Hour-of-day buckets of a lead's own send-time evidence (3 hours each, local time).
pub const HOUR_BUCKETS: usize = 8;

/// The bucket of a lead's own send-hour evidence that a (local) hour of the week falls in.
pub fn hour_bucket(hour_of_week: u16) -> usize {
    usize::from(hour_of_week % 24) * HOUR_BUCKETS / 24
}

/// Hours ahead the send time is chosen among: the next good slot within a day.
pub const SEND_WINDOW_HOURS: usize = 24;

/// The pseudo-count strength of the persona's send-time posterior per hour:
/// `50 x prior_strength`.
pub fn send_time_strength(prior_strength: f64) -> f64 {
    prior_strength * 50.0
}

/// The local hour of the week (0 = Monday 00:00) of `ts_ms` for a lead `utc_offset_min` from
/// UTC (UTC when unknown).
pub fn local_hour_of_week(ts_ms: i64, utc_offset_min: Option<i16>) -> u16 {
    let local = ts_ms.saturating_add(i64::from(utc_offset_min.unwrap_or(0)) * 60_000);
    // hour_of_week is below 168.
    hour_of_week(local) as u16
}

/// A recommended send time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SendTime {
    /// When, epoch ms: the start of a whole hour in the lead's local time, within the next
    /// [`SEND_WINDOW_HOURS`].
    pub at_ms: i64,
    /// Its hour of day, UTC (the hour it falls in, for zones that are not whole hours from UTC).
    pub hour_utc: u8,
    /// Its hour of the week in the lead's local time (UTC when the time zone is unknown).
    pub local_hour_of_week: u16,
    /// The send-time bandit's belief about that hour.
    pub belief: ArmBelief,
}

/// Chooses the next touch's hour among the next [`SEND_WINDOW_HOURS`] whole local hours after
/// `now_ms` by Thompson sampling over the lead's local hours of the week: the persona's
/// posterior per hour (pooled with the same hour on other days: [`HourOfWeekThompson`], at
/// most [`send_time_strength`] pseudo-counts) plus the lead's own (successes, failures) of
/// touches sent in that hour's local 3-hour bucket of the day (labelled ones, and open touches
/// unanswered for 24 hours as failures). The snapshot's prepared samplers are used when they
/// were made for this strength (the same draws, computed once per publication).
pub fn choose_send_time<R: Rng + ?Sized>(
    snapshot: &ModelSnapshot,
    persona: Option<u8>,
    lead_hours: &[(f32, f32); HOUR_BUCKETS],
    prior_strength: f64,
    now_ms: i64,
    utc_offset_min: Option<i16>,
    rng: &mut R,
) -> SendTime {
    // The next whole hour in the lead's local time (zones such as UTC+05:30 are not whole hours
    // from UTC), and the candidates every hour after it.
    let offset_ms = i64::from(utc_offset_min.unwrap_or(0)) * 60_000;
    let next_local_hour = now_ms
        .saturating_add(offset_ms)
        .div_euclid(HOUR_MS)
        .saturating_add(1)
        .saturating_mul(HOUR_MS);
    let first = hour_of_week(next_local_hour);
    let slot = slot(snapshot, persona);
    let extra = |h: usize| {
        lead_hours
            .get(hour_bucket(h as u16))
            .map_or((0.0, 0.0), |&(s, f)| (f64::from(s), f64::from(f)))
    };
    let strength = send_time_strength(prior_strength);
    let (k, est) = match (
        snapshot.send_time_prepared.get(slot),
        snapshot.send_time.get(slot),
    ) {
        (Some(prepared), _) if prepared.strength().to_bits() == strength.to_bits() => {
            prepared.choose_next(rng, first, SEND_WINDOW_HOURS, extra)
        }
        (_, Some(bandit)) => bandit.choose_next(rng, first, SEND_WINDOW_HOURS, extra, strength),
        _ => (
            0,
            ArmEstimate {
                mean: 0.0,
                std: 0.0,
                sample: 0.0,
            },
        ),
    };
    // k < 24, so the product fits.
    let at_ms = next_local_hour
        .saturating_add(k as i64 * HOUR_MS)
        .saturating_sub(offset_ms);
    SendTime {
        at_ms,
        hour_utc: (at_ms.div_euclid(HOUR_MS).rem_euclid(24)) as u8,
        // first < 168, so the hour of the week fits a u16.
        local_hour_of_week: ((first + k) % WEEK_HOURS) as u16,
        belief: ArmBelief {
            estimate: est.mean,
            uncertainty: est.std,
            score: est.sample,
        },
    }
}

/// The tone: the lead's mood first (reassure the worried, match the excited), then the variant.
pub fn tone(state: &LeadState, variant: MessageVariant) -> Tone {
    let (emotion, _) = state.emotion();
    if state.sentiment().count() > 0 {
        match emotion {
            EmotionalState::Anxious
            | EmotionalState::Confused
            | EmotionalState::Frustrated
            | EmotionalState::Disappointed => return Tone::Reassuring,
            EmotionalState::Excited | EmotionalState::Urgent => return Tone::Enthusiastic,
            EmotionalState::Hopeful | EmotionalState::Satisfied => return Tone::Warm,
            _ => {}
        }
    }
    match variant {
        MessageVariant::Conservative => Tone::Warm,
        MessageVariant::Professional => Tone::Neutral,
        MessageVariant::Aggressive => Tone::Direct,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::types::CONTACT_CHANNELS;
    use crate::event::Channel;

    #[test]
    fn prompting_arms_follow_the_contact_channel_order() {
        let arm = |c: Channel| CONTACT_CHANNELS.iter().position(|x| *x == c);
        let (email, sms, call, video) = (
            arm(Channel::Email),
            arm(Channel::Sms),
            arm(Channel::Call),
            arm(Channel::Video),
        );
        assert_eq!(
            prompting_arms(email.unwrap_or(9)),
            [email, call, video].map(|a| a.unwrap_or(9))
        );
        for a in [sms, call, video].map(|a| a.unwrap_or(9)) {
            assert_eq!(prompting_arms(a), [a]);
        }
        assert!(prompting_arms(4).is_empty());
    }
}
