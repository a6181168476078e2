//! Reference channel policies scored on the engine's own touches, and the send-time score.
//!
//! What it is for: telling how far below random channel regret can go with what is observable,
//! so the engine's figure can be read against a bound rather than against random alone. Each
//! reference chooses a channel at every touch the engine made (same lead, time, hour and
//! variant) and is scored with the same oracle:
//! - **persona's best channel**: knows the lead's true persona and always takes the channel
//!   most of that persona prefer (no learning; what a perfect persona clustering gives a
//!   greedy chooser);
//! - **lead's best channel after k answers**: uniform random until the lead has answered k of
//!   the engine's touches, then the oracle's best channel (what the lead's own answers could
//!   give at best);
//! - **Bayes with the simulator's model**: knows the simulator's structure (one preferred
//!   channel per lead, drawn from the population's mix; 0.4 times the response elsewhere; the
//!   hour and variant factor of each touch) but not the lead; it keeps the exact posterior
//!   over the lead's preferred channel from its own simulated answers (drawn with the oracle's
//!   probability of a fully engaged lead, so it sees more answers than the engine does) and,
//!   in the second form, from the lead's unprompted contact as the engine's rule sees it
//!   (taken to be on the preferred channel, as contact the lead starts is in the simulator),
//!   and takes the most probable channel.
//!
//! The send-time score: for every touch after a lead's first (the first is a welcome touch
//! soon after arrival, not a send-time choice), the oracle's probability for the chosen
//! channel and variant at the touch's hour, against the best and the mean of the 24 hours its
//! time was chosen among (the engine's window, else the touch's UTC day).
//! What it is not: a policy that drives the simulator (the engine's decisions do).

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use rustc_hash::FxHashMap;

use crate::decide::personalize::prompting_arms;
use crate::event::MessageVariant;
use crate::sim::{ContactChannel, Persona, World};

/// The response on a channel other than the preferred one, relative to the preferred
/// (`sim::response`'s `OFF_CHANNEL`).
const OFF_CHANNEL: f64 = 0.4;
/// The lead's answers after which the "best channel after k answers" references know it.
pub const AFTER_ANSWERS: [u32; 2] = [1, 3];
/// Answer horizon of the unprompted-contact rule (the engine's response horizon, 48 h).
const UNPROMPTED_HORIZON_MS: i64 = 48 * 3_600_000;

/// Regret sums of the reference policies over the scored touches.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct ReferenceRegret {
    /// Knows the true persona, takes the channel most of it prefer.
    pub persona_best: f64,
    /// Random until the lead answered k ([`AFTER_ANSWERS`]) touches, then the best channel.
    pub best_after_answers: [f64; 2],
    /// Exact Bayes posterior over the preferred channel from its own simulated answers.
    pub bayes_answers: f64,
    /// The same, also seeing the lead's unprompted contact.
    pub bayes_answers_unprompted: f64,
}

/// One lead's state in the reference policies.
#[derive(Debug, Clone, Copy)]
struct LeadShadow {
    /// Log posterior over the preferred channel, answers only.
    answers: [f64; 4],
    /// Log posterior over the preferred channel, answers and unprompted contact.
    unprompted: [f64; 4],
    /// When the engine last touched the lead on each channel (`i64::MIN`: never).
    last_touch: [i64; 4],
}

/// Send-time regret of fixed hours in hindsight, at the engine's touches.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct FixedHourRegret {
    /// The best single UTC hour for every lead.
    pub utc_hour: f64,
    /// The best UTC hour per true persona.
    pub utc_hour_per_persona: f64,
    /// The best local hour per true persona (in each lead's true time zone).
    pub local_hour_per_persona: f64,
}

/// The reference policies' state and scores.
#[derive(Debug, Clone)]
pub struct References {
    prior: [f64; 4],
    persona_best: [usize; 5],
    leads: FxHashMap<u32, LeadShadow>,
    rng: Pcg64Mcg,
    /// Regret sums so far.
    pub regret: ReferenceRegret,
    /// Per scored touch after a lead's first: (send-time regret of the chosen hour, expected
    /// regret of a uniformly random hour of its window, touch index within the lead).
    pub send_time: Vec<(f64, f64, u32)>,
    /// Send-time regret of each fixed UTC hour per true persona, at the same touches.
    fixed_hour: [[f64; 24]; 5],
    /// Send-time regret of each fixed local hour (in the lead's true time zone) per true
    /// persona, at the same touches.
    fixed_local_hour: [[f64; 24]; 5],
}

/// The channel an answer-like event comes on, as the engine counts unprompted contact (a
/// reply, open, click or view; a completed call is an answered call touch to the engine).
pub(super) fn answered_channel(et: crate::event::EventType) -> Option<crate::sim::ContactChannel> {
    use crate::event::EventType as E;
    use crate::sim::ContactChannel as C;
    match et {
        E::EmailOpened | E::EmailClicked | E::EmailReplied => Some(C::Email),
        E::SmsReplied => Some(C::Sms),
        E::VideoViewed => Some(C::Video),
        _ => None,
    }
}

/// The references' simulated answers use seed 0 whatever the run's seed (deterministic; the
/// figures in docs/evaluation.md were measured so).
impl Default for References {
    fn default() -> Self {
        Self::new(0)
    }
}

impl References {
    /// The references, with their own generator for the simulated answers.
    pub fn new(seed: u64) -> Self {
        let mut prior = [0.0; 4];
        let mut persona_best = [0; 5];
        for persona in Persona::ALL {
            let profile = persona.profile();
            for (p, w) in prior.iter_mut().zip(profile.channel_weights) {
                *p += profile.share * w;
            }
            persona_best[persona.index()] = argmax(&profile.channel_weights);
        }
        Self {
            prior: prior.map(|p: f64| p.max(1e-9).ln()),
            persona_best,
            leads: FxHashMap::default(),
            rng: Pcg64Mcg::seed_from_u64(seed ^ 0x05EE_D0FB_A7E5),
            regret: ReferenceRegret::default(),
            send_time: Vec::new(),
            fixed_hour: [[0.0; 24]; 5],
            fixed_local_hour: [[0.0; 24]; 5],
        }
    }

    fn shadow(&mut self, lead: u32) -> &mut LeadShadow {
        let prior = self.prior;
        self.leads.entry(lead).or_insert(LeadShadow {
            answers: prior,
            unprompted: prior,
            last_touch: [i64::MIN; 4],
        })
    }

    /// Scores the references at one of the engine's touches: `p` is the oracle's probability of
    /// each channel at the touch (its hour and variant), `answers` the lead's answers to the
    /// engine's touches so far, `index` the touch's index within the lead.
    pub fn on_touch(
        &mut self,
        world: &World,
        lead: u32,
        channel: ContactChannel,
        now: i64,
        p: &[f64; 4],
        answers: u32,
    ) {
        let best = p.iter().copied().fold(0.0, f64::max);
        let mean = p.iter().sum::<f64>() / 4.0;
        if let Some(t) = world.traits(lead as usize) {
            let arm = self.persona_best[t.persona.index()];
            self.regret.persona_best += best - p[arm];
        }
        for (k, sum) in AFTER_ANSWERS
            .iter()
            .zip(&mut self.regret.best_after_answers)
        {
            *sum += if answers >= *k { 0.0 } else { best - mean };
        }
        // On the preferred channel the response is `best` (no drift), elsewhere 0.4 of it.
        let on_pref = best;
        let mut draws = [0.0; 2];
        for d in &mut draws {
            *d = self.rng.random::<f64>();
        }
        let shadow = self.shadow(lead);
        let mut regrets = [0.0; 2];
        for (which, post) in [&mut shadow.answers, &mut shadow.unprompted]
            .into_iter()
            .enumerate()
        {
            let arm = argmax(post);
            regrets[which] = best - p[arm];
            let answered = draws[which] < p[arm];
            for (c, lp) in post.iter_mut().enumerate() {
                let q = if c == arm {
                    on_pref
                } else {
                    OFF_CHANNEL * on_pref
                };
                let q = q.clamp(1e-6, 1.0 - 1e-6);
                *lp += if answered { q.ln() } else { (1.0 - q).ln() };
            }
        }
        shadow.last_touch[channel.index()] = now;
        self.regret.bayes_answers += regrets[0];
        self.regret.bayes_answers_unprompted += regrets[1];
    }

    /// Records an answer-like contact of `lead` on `channel` at `ts` (a reply, open or view):
    /// unprompted, by the engine's rule (`personalize::prompting_arms`), when the engine had
    /// not touched the lead within the response horizon on a channel it could be answering,
    /// and then taken to be on the preferred channel (the simulator's rule for contact the
    /// lead starts; an answer to an older touch that passes the rule misleads it, as it
    /// misleads the engine).
    pub fn on_inbound(&mut self, lead: u32, channel: ContactChannel, ts: i64) {
        let shadow = self.shadow(lead);
        let prompted = prompting_arms(channel.index()).iter().any(|&a| {
            shadow.last_touch.get(a).is_some_and(|&last| {
                last != i64::MIN && ts.saturating_sub(last) <= UNPROMPTED_HORIZON_MS
            })
        });
        if prompted {
            return;
        }
        for (c, lp) in shadow.unprompted.iter_mut().enumerate() {
            if c != channel.index() {
                *lp = f64::NEG_INFINITY;
            }
        }
        if shadow.unprompted.iter().all(|lp| *lp == f64::NEG_INFINITY) {
            shadow.unprompted[channel.index()] = 0.0;
        }
    }

    /// Scores the send time of a touch at `now` after the lead's first: the oracle's
    /// probability of its channel and variant at the touch's hour against the 24 hours from
    /// `window` (epoch ms of the first candidate hour: the hours the time was chosen among).
    pub fn on_send_time(
        &mut self,
        world: &World,
        lead: u32,
        (channel, variant): (ContactChannel, MessageVariant),
        window: i64,
        now: i64,
        index: u32,
    ) {
        let hour_ms = crate::sim::HOUR_MS;
        // By UTC hour of day: each appears once in 24 consecutive hours.
        let mut hours = [0.0; 24];
        for k in 0..24 {
            let at = window + k * hour_ms;
            let p = world.response_probability(
                lead as usize,
                channel,
                crate::sim::hour_of_week(at),
                variant,
                now,
            );
            hours[at.div_euclid(hour_ms).rem_euclid(24) as usize] = p;
        }
        let best = hours.iter().copied().fold(0.0, f64::max);
        let mean = hours.iter().sum::<f64>() / 24.0;
        let chosen = hours[now.div_euclid(hour_ms).rem_euclid(24) as usize];
        self.send_time.push((best - chosen, best - mean, index));
        if let Some(t) = world.traits(lead as usize) {
            let persona = t.persona.index();
            for (utc_hour, p) in hours.iter().enumerate() {
                self.fixed_hour[persona][utc_hour] += best - p;
                let local = (utc_hour as i64 + i64::from(t.tz_offset_hours)).rem_euclid(24);
                self.fixed_local_hour[persona][local as usize] += best - p;
            }
        }
    }

    /// Send-time regret of the best fixed hour in hindsight: one UTC hour for everyone, one
    /// per true persona (what a perfect persona clustering with a settled hour posterior gives
    /// when the engine plans in UTC), and one local hour per true persona (the same, planning
    /// in each lead's true time zone, as the engine does with the simulator's offsets).
    pub fn best_fixed_hours(&self) -> FixedHourRegret {
        let min = |v: &[f64; 24]| v.iter().copied().fold(f64::INFINITY, f64::min);
        let mut all = [0.0; 24];
        for row in &self.fixed_hour {
            for (a, r) in all.iter_mut().zip(row) {
                *a += r;
            }
        }
        FixedHourRegret {
            utc_hour: min(&all),
            utc_hour_per_persona: self.fixed_hour.iter().map(min).sum(),
            local_hour_per_persona: self.fixed_local_hour.iter().map(min).sum(),
        }
    }
}

fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, x) in v.iter().enumerate() {
        if *x > v[best] {
            best = i;
        }
    }
    best
}
