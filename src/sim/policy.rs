//! The simulated agent's outbound policy: when to contact a lead next, on which channel, with
//! which message variant.
//!
//! What it is for: a pluggable seam ([`OutboundPolicy`]) so a learning policy (a bandit) can
//! drive the simulation, and the default [`CadencePolicy`], a plain fixed-cadence agent.
//! What it is not: the lead's side (see `response` and `stream`). A policy sees only what a real
//! agent would see ([`TouchContext`]), never the hidden traits.

use crate::event::{JourneyStage, MessageVariant};

use super::channel::{ContactChannel, DAY_MS, HOUR_MS};

/// What the agent knows about a lead when deciding the next touch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TouchContext {
    /// Index of the lead in the world (stable; `World::lead_id` gives its id).
    pub lead: u32,
    /// Index of the lead's tenant.
    pub tenant: u32,
    /// The current event time (ms).
    pub now: i64,
    /// When the lead was created.
    pub created_at: i64,
    /// Touches made so far.
    pub touches: u32,
    /// Touches that got a response.
    pub responses: u32,
    /// Consecutive touches without a response, up to now.
    pub unanswered_streak: u32,
    /// The last touch's channel, if any.
    pub last_channel: Option<ContactChannel>,
    /// When the lead last responded to a touch.
    pub last_response_ts: Option<i64>,
    /// The journey stage the agent has set.
    pub stage: JourneyStage,
}

/// One outbound touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Touch {
    /// When to make it (ms); times before `TouchContext::now` are moved to `now`.
    pub at: i64,
    /// The channel.
    pub channel: ContactChannel,
    /// The message variant.
    pub variant: MessageVariant,
}

/// Decides the agent's touches. One required method; learning policies also override
/// [`observe`](OutboundPolicy::observe).
pub trait OutboundPolicy {
    /// The next touch for the lead in `ctx`, or `None` to stop contacting it.
    fn next_touch(&mut self, ctx: &TouchContext) -> Option<Touch>;

    /// Called once per touch, when it is made, with whether the lead responded. The event
    /// stream shows the response later (after a realistic delay); handing it over at once keeps
    /// the policy interface simple. The default ignores it.
    fn observe(&mut self, _ctx: &TouchContext, _touch: &Touch, _responded: bool) {}

    /// Called when a scheduled touch is about to be made (its time has come), with the context
    /// as of then: the policy may change its channel and variant (not its time) with what it
    /// learned since it planned it. The default keeps the touch as planned.
    fn revise(&mut self, _ctx: &TouchContext, touch: Touch) -> Touch {
        touch
    }
}

impl<P: OutboundPolicy + ?Sized> OutboundPolicy for Box<P> {
    fn next_touch(&mut self, ctx: &TouchContext) -> Option<Touch> {
        (**self).next_touch(ctx)
    }

    fn observe(&mut self, ctx: &TouchContext, touch: &Touch, responded: bool) {
        (**self).observe(ctx, touch, responded);
    }

    fn revise(&mut self, ctx: &TouchContext, touch: Touch) -> Touch {
        (**self).revise(ctx, touch)
    }
}

/// A typical drip cadence: every two days, rotating channels (email most often), professional
/// tone, sending at one of a few office hours (UTC, since the agent does not know the lead's
/// zone). Backs off after unanswered touches and gives up after a long silence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CadencePolicy {
    /// Days between touches while the lead responds.
    pub interval_days: i64,
    /// Unanswered touches after which the interval doubles.
    pub backoff_after: u32,
    /// Unanswered touches after which the agent stops.
    pub give_up_after: u32,
}

impl Default for CadencePolicy {
    fn default() -> Self {
        Self {
            interval_days: 2,
            backoff_after: 4,
            give_up_after: 12,
        }
    }
}

/// The channel rotation of the default cadence: email every other touch.
const ROTATION: [ContactChannel; 6] = [
    ContactChannel::Email,
    ContactChannel::Sms,
    ContactChannel::Email,
    ContactChannel::Call,
    ContactChannel::Email,
    ContactChannel::Video,
];

/// UTC hours the default agent sends at (office hours in US time zones).
const SEND_HOURS_UTC: [i64; 5] = [14, 16, 18, 20, 22];

impl OutboundPolicy for CadencePolicy {
    fn next_touch(&mut self, ctx: &TouchContext) -> Option<Touch> {
        if ctx.unanswered_streak >= self.give_up_after {
            return None;
        }
        let mut gap = self.interval_days.max(1) * DAY_MS;
        if ctx.unanswered_streak >= self.backoff_after {
            gap *= 2;
        }
        // The first touch is the welcome email, soon after the lead arrives.
        if ctx.touches == 0 {
            return Some(Touch {
                at: ctx.now + HOUR_MS / 4,
                channel: ContactChannel::Email,
                variant: MessageVariant::Professional,
            });
        }
        let spread = (ctx.lead as usize).wrapping_add(ctx.touches as usize);
        let channel = ROTATION[spread % ROTATION.len()];
        let day = (ctx.now + gap).div_euclid(DAY_MS) * DAY_MS;
        let hour = SEND_HOURS_UTC[spread.wrapping_mul(7) % SEND_HOURS_UTC.len()];
        Some(Touch {
            at: (day + hour * HOUR_MS).max(ctx.now),
            channel,
            variant: MessageVariant::Professional,
        })
    }
}
