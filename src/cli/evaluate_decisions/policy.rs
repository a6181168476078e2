//! The outbound policy the evaluation drives the simulator with: the engine's latest decision
//! for the lead chooses channel, variant and hour; every touch is scored against the oracle.
//!
//! The engine is asked twice per touch: when the touch is planned (its time is the engine's
//! recommended slot among the 24 hours from when the touch is due, asked at the previous touch
//! with the engine's clock set to that time) and again when its time comes (channel and variant from a fresh decision, as an agent acting on
//! the latest decision would; planning alone decided each touch two days ahead, before the
//! answer to the previous one was known).
//! What it is for: closing the loop (decisions change what the simulated agent does, the
//! simulated lead's response teaches the models) and measuring regret: for each touch, the
//! oracle's best response probability over the four channels (same hour and variant) minus the
//! chosen channel's, and the same for uniform random choice (best minus the channels' mean).
//! What it is not: a policy for production (the engine emits decisions; agents act on them).

use std::cell::RefCell;
use std::rc::Rc;

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

use super::reference::References;
use crate::event::MessageVariant;
use crate::sim::{
    hour_of_week, ContactChannel, OutboundPolicy, Touch, TouchContext, World, DAY_MS, HOUR_MS,
};

/// What the engine last decided for a lead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// Channel.
    pub channel: ContactChannel,
    /// Variant.
    pub variant: MessageVariant,
    /// Hour of day, UTC.
    pub hour: u8,
}

/// Regret of channel choices, touch by touch.
#[derive(Debug, Clone, Default)]
pub struct RegretLog {
    /// Per touch: (regret of the chosen channel, expected regret of a uniform random channel,
    /// touch index within its lead).
    pub touches: Vec<(f64, f64, u32)>,
    /// Sum of the oracle's response probability of the touches as made (channel, variant, hour).
    pub achieved: f64,
    /// Touches after a lead's welcome touch (with the engine driving, every touch's channel is
    /// its decision at touch time, the welcome touch's too).
    pub from_decision: u64,
    /// Reference channel policies scored on the same touches, and the send-time score.
    pub references: References,
}

/// Something that plans a lead's next touch at a time (the engine, asked for a fresh decision).
pub trait Planner: std::fmt::Debug {
    /// The plan for lead `lead` (world index) at `now_ms`, if the engine knows the lead.
    fn plan(&mut self, lead: u32, now_ms: i64) -> Option<Plan>;

    /// The recommended send time (`send_at_ms`) of a touch due from `from_ms`: the engine's
    /// decision as if asked at `from_ms`, without moving its clock.
    fn slot(&mut self, lead: u32, from_ms: i64) -> Option<i64>;
}

/// The planner shared between the evaluation loop and the policy.
pub type SharedPlanner = Rc<RefCell<dyn Planner>>;

/// Drives the simulated agent from the engine's decisions (or a fixed cadence, as a baseline).
#[derive(Debug)]
pub struct EvalPolicy {
    plans: Option<SharedPlanner>,
    oracle: World,
    regret: Rc<RefCell<RegretLog>>,
    rng: Pcg64Mcg,
    cadence: crate::sim::CadencePolicy,
    /// Per lead, the first candidate hour (epoch ms) of the window its next touch's time was
    /// chosen in (the engine's 24 hours from when the touch was due).
    windows: rustc_hash::FxHashMap<u32, i64>,
}

const INTERVAL_MS: i64 = 2 * DAY_MS;
const GIVE_UP_AFTER: u32 = 12;

impl EvalPolicy {
    /// A policy following `plans` (or the simulator's default cadence when `None`), scoring
    /// touches against `oracle` (a copy of the simulated world) into `regret`.
    pub fn new(
        plans: Option<SharedPlanner>,
        oracle: World,
        regret: Rc<RefCell<RegretLog>>,
        seed: u64,
    ) -> Self {
        Self {
            plans,
            oracle,
            regret,
            rng: Pcg64Mcg::seed_from_u64(seed),
            cadence: crate::sim::CadencePolicy::default(),
            windows: rustc_hash::FxHashMap::default(),
        }
    }
}

fn contact(ch: crate::event::Channel) -> ContactChannel {
    match ch {
        crate::event::Channel::Sms => ContactChannel::Sms,
        crate::event::Channel::Call => ContactChannel::Call,
        crate::event::Channel::Video => ContactChannel::Video,
        _ => ContactChannel::Email,
    }
}

/// The contact channel of a decision's channel.
pub fn to_contact(ch: crate::event::Channel) -> ContactChannel {
    contact(ch)
}

impl OutboundPolicy for EvalPolicy {
    fn next_touch(&mut self, ctx: &TouchContext) -> Option<Touch> {
        let Some(plans) = &self.plans else {
            return self.cadence.next_touch(ctx);
        };
        if ctx.unanswered_streak >= GIVE_UP_AFTER {
            return None;
        }
        let plan = plans.borrow_mut().plan(ctx.lead, ctx.now);
        let Some(plan) = plan else {
            // No decision yet (the lead just arrived): a welcome touch, planned on a random
            // channel; `revise` replaces its channel and variant with the engine's decision at
            // touch time (when the engine has seen the lead's arrival).
            let i = rand::Rng::random_range(&mut self.rng, 0..4);
            return Some(Touch {
                at: ctx.now + HOUR_MS / 4,
                channel: ContactChannel::ALL[i],
                variant: MessageVariant::Professional,
            });
        };
        let mut gap = INTERVAL_MS;
        if ctx.unanswered_streak >= 4 {
            gap *= 2;
        }
        let earliest = ctx.now + gap - 12 * HOUR_MS;
        let first = (earliest.div_euclid(HOUR_MS) + 1) * HOUR_MS;
        let slot = plans.borrow_mut().slot(ctx.lead, earliest);
        let at = match slot {
            Some(at) if (first..first + DAY_MS).contains(&at) => {
                self.windows.insert(ctx.lead, first);
                at
            }
            _ => {
                let day = earliest.div_euclid(DAY_MS) * DAY_MS;
                let at = day + i64::from(plan.hour) * HOUR_MS;
                if at < earliest {
                    at + DAY_MS
                } else {
                    at
                }
            }
        };
        Some(Touch {
            at,
            channel: plan.channel,
            variant: plan.variant,
        })
    }

    fn revise(&mut self, ctx: &TouchContext, touch: Touch) -> Touch {
        let Some(plans) = &self.plans else {
            return touch;
        };
        let plan = plans.borrow_mut().plan(ctx.lead, ctx.now);
        plan.map_or(touch, |plan| Touch {
            channel: plan.channel,
            variant: plan.variant,
            ..touch
        })
    }

    fn observe(&mut self, ctx: &TouchContext, touch: &Touch, _responded: bool) {
        let how = hour_of_week(ctx.now);
        let lead = ctx.lead as usize;
        let mut p = [0.0; 4];
        for ch in ContactChannel::ALL {
            p[ch.index()] = self
                .oracle
                .response_probability(lead, ch, how, touch.variant, ctx.now);
        }
        let best = p.iter().copied().fold(0.0, f64::max);
        let mean = p.iter().sum::<f64>() / 4.0;
        let mut log = self.regret.borrow_mut();
        log.achieved += p[touch.channel.index()];
        log.touches
            .push((best - p[touch.channel.index()], best - mean, ctx.touches));
        log.references.on_touch(
            &self.oracle,
            ctx.lead,
            touch.channel,
            ctx.now,
            &p,
            ctx.responses,
        );
        // The hours the touch's time was chosen among: the engine's window, else the touch's
        // UTC day (the welcome touch, the cadence agent).
        let window = self
            .windows
            .remove(&ctx.lead)
            .filter(|first| (*first..first + DAY_MS).contains(&ctx.now))
            .unwrap_or(ctx.now.div_euclid(DAY_MS) * DAY_MS);
        if ctx.touches > 0 {
            log.references.on_send_time(
                &self.oracle,
                ctx.lead,
                (touch.channel, touch.variant),
                window,
                ctx.now,
                ctx.touches,
            );
        }
        if self.plans.is_some() && ctx.touches > 0 {
            log.from_decision += 1;
        }
    }
}
