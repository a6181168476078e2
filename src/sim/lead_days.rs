//! A lead's life between the agent's touches: the daily tick (engagement moves on, the lead may
//! leave), web visits, and unprompted contact on the lead's preferred channel.
//!
//! What it is for: the lead-driven side of the simulation loop, kept apart from touches and
//! responses (see `stream`) and the buying journey (see `journey`) so each file has one job.
//! What it is not: the engagement model itself (see `engagement`).

use rand::Rng;

use super::channel::{ContactChannel, DAY_MS, HOUR_MS};
use super::engagement;
use super::lead_run::Status;
use super::policy::OutboundPolicy;
use super::reactions;
use super::sim_event::SimKind;
use super::stream::{Action, Simulation, MINUTE_MS};
use super::truth::{ChurnKind, Outcome};

/// Share of web visits after which the lead gets in touch unprompted on its preferred channel.
const UNPROMPTED_SHARE: f64 = 0.15;
/// How much more a lead shopping around on a listing portal browses.
const SHOPPING_BROWSE: f64 = 3.0;
/// Daily chance that a lead shopping around on a listing portal leaves (about a week on
/// average).
const SHOPPING_LEAVE_PER_DAY: f64 = 0.12;

impl<P: OutboundPolicy> Simulation<P> {
    /// Once a day per lead in play: engagement moves on, and the lead may leave. Leads leave when
    /// their interest has worn away: the hazard is steep in low engagement, which shows first in
    /// fewer, slower and sourer responses and fewer visits (and, under a `portal-launch` drift,
    /// while shopping around on the portal, which shows in more visits). Leaving does not wait for
    /// a touch (a lead that is no longer contacted still unsubscribes or goes silent).
    pub(super) fn on_tick(&mut self, lead: usize, now: i64) {
        if self.leads[lead].status != Status::Active {
            return;
        }
        let Some(traits) = self.world.traits(lead).copied() else {
            return;
        };
        let e = self.engage(lead, now);
        let effects = self.world.effects_at(now);
        if effects.revive > 0.0
            && self.leads[lead].fading
            && self.rng.random::<f64>() < effects.revive
        {
            // A listing alert brings the lead back, as interested as on arrival.
            let run = &mut self.leads[lead];
            run.fading = false;
            run.engagement = run.engagement.max(run.home);
        }
        let intent = traits.buying_intent * effects.intent;
        let shopping = if self.leads[lead].shopping {
            SHOPPING_LEAVE_PER_DAY
        } else {
            0.0
        };
        let hazard = engagement::churn_hazard(e, 1.0, &effects) * effects.quiet_churn
            + engagement::poach_hazard(e, intent, 1.0, &effects)
            + shopping;
        if self.rng.random::<f64>() < hazard {
            let channel = self.leads[lead]
                .last_channel
                .unwrap_or(ContactChannel::Email);
            self.churn(lead, now, channel, &traits);
        } else {
            self.push(now + DAY_MS, lead as u32, Action::Tick);
        }
    }

    pub(super) fn churn(
        &mut self,
        lead: usize,
        now: i64,
        channel: ContactChannel,
        traits: &super::LeadTraits,
    ) {
        let unsubscribes = self.rng.random::<f64>() < traits.persona.profile().unsubscribe_share;
        let how = match (unsubscribes, channel) {
            (false, _) => ChurnKind::Silent,
            (true, ContactChannel::Sms) => ChurnKind::OptedOut,
            (true, _) => ChurnKind::Unsubscribed,
        };
        let run = &mut self.leads[lead];
        run.outcome = Outcome::Churned { ts: now, how };
        run.status = if how == ChurnKind::Silent {
            Status::Silent
        } else {
            Status::Left
        };
        let delay = self.rng.random_range(MINUTE_MS..6 * HOUR_MS);
        match how {
            ChurnKind::OptedOut => self.emit(now + delay / 10, lead, SimKind::OptedOut),
            ChurnKind::Unsubscribed => self.emit(now + delay, lead, SimKind::Unsubscribed),
            ChurnKind::Silent => {}
        }
    }

    /// The lead's current browsing rate, web visits a day (`None` for an unknown lead).
    fn visit_rate(&self, lead: usize, now: i64) -> Option<f64> {
        let traits = self.world.traits(lead)?;
        let intent = traits.buying_intent * self.world.effects_at(now).intent;
        let interest = engagement::response_factor(self.leads[lead].engagement);
        let shopping = if self.leads[lead].shopping {
            SHOPPING_BROWSE
        } else {
            1.0
        };
        Some(traits.persona.profile().visits_per_day * (0.15 + intent) * interest * shopping)
    }

    pub(super) fn schedule_visit(&mut self, lead: usize, now: i64) {
        let Some(per_day) = self.visit_rate(lead, now) else {
            return;
        };
        let u: f64 = self.rng.random::<f64>();
        let gap_days = -(1.0 - u).ln() / per_day.max(1e-3);
        // Capped at the window's length (at most 3650 days), so the product fits an i64.
        let gap = (gap_days.min(3650.0) * DAY_MS as f64) as i64;
        self.push(now + gap.max(MINUTE_MS), lead as u32, Action::Visit);
    }

    pub(super) fn on_visit(&mut self, lead: usize, now: i64) {
        if self.leads[lead].status != Status::Active {
            return;
        }
        self.engage(lead, now);
        let kind = reactions::visit(&mut self.rng, super::world::LISTINGS_PER_AREA as u32);
        self.emit(now, lead, kind);
        self.maybe_start_shopping(lead, now);
        self.leads[lead].progress += 0.04;
        if self.rng.random::<f64>() < UNPROMPTED_SHARE {
            self.unprompted(lead, now);
        }
        self.schedule_visit(lead, now);
    }

    /// Under a `portal-launch` drift, a visit may start the lead shopping around on the
    /// portal (the portal's agents contact its most active users): the chance grows with the
    /// browsing rate. Without the drift no random number is drawn, so runs without it are the
    /// same as before it existed.
    fn maybe_start_shopping(&mut self, lead: usize, now: i64) {
        let portal = self.world.effects_at(now).portal;
        if portal <= 0.0 || self.leads[lead].shopping {
            return;
        }
        let Some(rate) = self.visit_rate(lead, now) else {
            return;
        };
        if self.rng.random::<f64>() < (portal * rate.min(3.0)).min(1.0) {
            self.leads[lead].shopping = true;
        }
    }

    /// After browsing, a lead sometimes gets in touch unprompted, on the channel it likes best
    /// (it texts, writes, calls in or watches a video tour): how a real agent learns that a
    /// lead prefers texting.
    fn unprompted(&mut self, lead: usize, now: i64) {
        let Some(traits) = self.world.traits(lead).copied() else {
            return;
        };
        let effects = self.world.effects_at(now);
        let channel = super::response::effective_preferred(&traits, &effects);
        // A dead channel does not carry the lead's own messages either.
        if self.rng.random::<f64>() >= effects.channel[channel.index()] {
            return;
        }
        let intent = traits.buying_intent * effects.intent;
        let at = now + self.rng.random_range(MINUTE_MS..30 * MINUTE_MS);
        let kind = match channel {
            ContactChannel::Call => reactions::call(
                &mut self.rng,
                &traits,
                &mut self.leads[lead],
                0.0,
                intent,
                crate::event::MessageVariant::Conservative,
            ),
            ContactChannel::Video => SimKind::VideoViewed {
                watch_pct: (40.0 + 60.0 * intent).round(),
                replays: 0,
            },
            ContactChannel::Email | ContactChannel::Sms => {
                let (text, emotion) = reactions::reply_text(
                    &mut self.rng,
                    &traits,
                    &mut self.leads[lead],
                    0.0,
                    intent,
                );
                SimKind::Replied {
                    channel,
                    text,
                    emotion,
                }
            }
        };
        self.emit(at, lead, kind);
    }
}
