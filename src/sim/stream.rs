//! The simulation loop: a priority queue of pending actions in event time, yielding events one
//! at a time in non-decreasing timestamp order.
//!
//! What it is for: running the world forward (arrivals, the agent's touches from an
//! [`OutboundPolicy`], the lead's responses, visits, appointments, offers, deals, churn, market
//! ticks) without materialising the stream, and recording each lead's real outcome.
//! What it is not: the response model (see `response`, which this draws from) or output
//! formatting (see `sim_event` and the `simulate` command).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::channel::{hour_of_week, ContactChannel, DAY_MS, HOUR_MS};
use super::engagement;
use super::lead_run::{LeadRun, Status};
use super::market::Market;
use super::policy::{CadencePolicy, OutboundPolicy, Touch, TouchContext};
use super::reactions;
use super::response::{mismatch, response_probability};
use super::sim_event::{SimEvent, SimKind};
use super::truth::{Outcome, Truth, TruthDrift, TruthLead, TruthMeta};
use super::world::World;

pub(super) const MINUTE_MS: i64 = 60_000;
/// The earliest a policy's next touch may come after the previous one, so that no policy can
/// stall event time.
pub const MIN_TOUCH_GAP_MS: i64 = 10 * MINUTE_MS;
/// Chance that a lead whose interest is gone answers a touch it otherwise ignores with a
/// request to stop.
const LEAVING_REPLY: f64 = 0.2;
const SOURCES: [&str; 5] = ["portal", "referral", "open_house", "website", "social_ad"];

/// What a queued entry does when its time comes.
#[derive(Debug, Clone, Copy)]
pub(super) enum Action {
    Arrive,
    Touch(Touch),
    Visit,
    Appointment,
    Decide,
    Tick,
    Market(u32),
    Emit(SimKind),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Pending {
    ts: i64,
    pub(super) order: u64,
    lead: u32,
    action: Action,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        (self.ts, self.order) == (other.ts, other.order)
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    /// Reversed, so the max-heap pops the earliest (then first queued) entry.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.ts, other.order).cmp(&(self.ts, self.order))
    }
}

/// A running simulation. Iterate it (or call [`Simulation::next_event`]) to get events in
/// non-decreasing `ts` order; render each with [`SimEvent::render`] against
/// [`Simulation::world`]. After the last event, [`Simulation::truth`] holds every outcome.
///
/// # Examples
/// ```
/// use leadstream::sim::{CadencePolicy, SimConfig, Simulation, World};
/// let world = World::new(SimConfig::new(20, 7, 42)).unwrap();
/// let mut sim = Simulation::new(world, CadencePolicy::default());
/// let mut last = i64::MIN;
/// let mut count = 0;
/// while let Some(ev) = sim.next_event() {
///     assert!(ev.ts >= last);
///     last = ev.ts;
///     count += 1;
/// }
/// assert!(count > 100);
/// assert_eq!(sim.truth().leads.len(), 20);
/// ```
#[derive(Debug)]
pub struct Simulation<P = CadencePolicy> {
    pub(super) world: World,
    pub(super) policy: P,
    pub(super) rng: Pcg64Mcg,
    pub(super) queue: BinaryHeap<Pending>,
    order: u64,
    pub(super) emitted: u64,
    pub(super) leads: Vec<LeadRun>,
    pub(super) markets: Vec<Market>,
}

/// Seeds the event loop's generator apart from the world's, so policies cannot shift traits.
const LOOP_SEED_SALT: u64 = 0x5EED_1EAD_57A7_E000;

impl<P: OutboundPolicy> Simulation<P> {
    /// Starts a simulation of `world` driven by `policy`.
    pub fn new(world: World, policy: P) -> Self {
        let mut rng = Pcg64Mcg::seed_from_u64(world.config().seed ^ LOOP_SEED_SALT);
        let n = world.lead_count();
        let mut sim = Self {
            queue: BinaryHeap::with_capacity(n * 2 + world.area_count()),
            leads: vec![LeadRun::default(); n],
            markets: (0..world.area_count())
                .map(|_| Market::new(&mut rng))
                .collect(),
            world,
            policy,
            rng,
            order: 0,
            emitted: 0,
        };
        for lead in 0..n {
            if let Some(at) = sim.world.arrival(lead) {
                sim.push(at, lead as u32, Action::Arrive);
            }
        }
        let first_tick = sim.world.config().start_ms + 6 * HOUR_MS;
        for area in 0..sim.world.area_count() {
            sim.push(first_tick, u32::MAX, Action::Market(area as u32));
        }
        sim
    }

    /// The world being simulated (for rendering events and oracle queries).
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The policy.
    pub fn policy(&self) -> &P {
        &self.policy
    }

    /// The policy, mutably (e.g. to read a learning policy's statistics).
    pub fn policy_mut(&mut self) -> &mut P {
        &mut self.policy
    }

    /// Ends the simulation, handing back the policy (e.g. a learning policy's final state).
    pub fn into_policy(self) -> P {
        self.policy
    }

    /// Events yielded so far.
    pub fn emitted(&self) -> u64 {
        self.emitted
    }

    /// A lead's outcome so far; `None` for an unknown lead.
    pub fn outcome(&self, lead: usize) -> Option<Outcome> {
        self.leads.get(lead).map(|r| r.outcome)
    }

    /// A lead's latent engagement in `[0, 1]` as of the last thing that happened to it (ground
    /// truth, hidden from policies); `None` for an unknown lead.
    pub fn engagement(&self, lead: usize) -> Option<f64> {
        self.leads.get(lead).map(|r| r.engagement)
    }

    /// The factor the lead's engagement put on the oracle's response probability
    /// ([`World::response_probability`], which is that of a fully engaged lead) at its latest
    /// touch: the simulation drew the response from the product. `None` for an unknown lead.
    pub fn touch_response_factor(&self, lead: usize) -> Option<f64> {
        self.leads.get(lead).map(|r| r.touch_factor)
    }

    /// The next event, or `None` when the window is over.
    pub fn next_event(&mut self) -> Option<SimEvent> {
        while let Some(p) = self.queue.pop() {
            let lead = p.lead as usize;
            match p.action {
                Action::Emit(kind) => {
                    if self.leads.get(lead).is_some_and(|r| r.drops(&kind)) {
                        continue;
                    }
                    let seq = self.emitted;
                    self.emitted += 1;
                    let lead = (p.lead != u32::MAX).then_some(p.lead);
                    return Some(SimEvent {
                        seq,
                        ts: p.ts,
                        lead,
                        kind,
                    });
                }
                Action::Arrive => self.on_arrive(lead, p.ts),
                Action::Touch(t) => self.on_touch(lead, p.ts, t),
                Action::Visit => self.on_visit(lead, p.ts),
                Action::Appointment => self.on_appointment(lead, p.ts),
                Action::Decide => self.on_decide(lead, p.ts),
                Action::Tick => self.on_tick(lead, p.ts),
                Action::Market(area) => self.on_market(area, p.ts),
            }
        }
        None
    }

    /// The ground truth: every lead's traits and outcome (final once the stream is exhausted),
    /// and the drift schedule.
    pub fn truth(&self) -> Truth {
        let w = &self.world;
        let c = w.config();
        let leads = w
            .all_traits()
            .iter()
            .zip(&self.leads)
            .enumerate()
            .map(|(i, (t, run))| TruthLead {
                lead_id: w.lead_id(i).unwrap_or_default().to_string(),
                tenant_id: w
                    .tenant_of(i)
                    .and_then(|t| w.tenant_id(t))
                    .unwrap_or_default()
                    .to_string(),
                persona: t.persona,
                preferred_channel: t.preferred_channel,
                tz_offset_hours: t.tz_offset_hours,
                active_start_hour: t.active_start_hour,
                active_hours: t.active_hours,
                churn_propensity: t.churn_propensity,
                buying_intent: t.buying_intent,
                created_ts: w.arrival(i).unwrap_or_default(),
                disengaged_ts: run.disengaged_at,
                outcome: run.outcome,
            })
            .collect();
        Truth {
            meta: TruthMeta {
                seed: c.seed,
                leads: c.leads,
                days: c.days,
                tenants: c.tenants,
                start_ms: c.start_ms,
                end_ms: w.end_ms(),
                events: self.emitted,
            },
            drifts: w
                .schedule()
                .events()
                .iter()
                .map(|&(drift, ts)| TruthDrift { drift, ts })
                .collect(),
            leads,
        }
    }

    pub(super) fn push(&mut self, ts: i64, lead: u32, action: Action) {
        if ts >= self.world.end_ms() {
            return;
        }
        self.order += 1;
        self.queue.push(Pending {
            ts,
            order: self.order,
            lead,
            action,
        });
    }

    pub(super) fn emit(&mut self, ts: i64, lead: usize, kind: SimKind) {
        self.push(ts, lead as u32, Action::Emit(kind));
    }

    fn context(&self, lead: usize, now: i64) -> TouchContext {
        let run = &self.leads[lead];
        TouchContext {
            lead: lead as u32,
            tenant: self.world.tenant_of(lead).unwrap_or(0) as u32,
            now,
            created_at: self.world.arrival(lead).unwrap_or(now),
            touches: run.touches,
            responses: run.responses,
            unanswered_streak: run.unanswered,
            last_channel: run.last_channel,
            last_response_ts: run.last_response_ts,
            stage: run.stage,
        }
    }

    fn schedule_next_touch(&mut self, lead: usize, now: i64, earliest: i64) {
        let ctx = self.context(lead, now);
        if let Some(mut t) = self.policy.next_touch(&ctx) {
            t.at = t.at.max(earliest);
            self.push(t.at, lead as u32, Action::Touch(t));
        }
    }

    /// Evolves the lead's engagement to `now` and records when it first falls below the
    /// disengaging threshold; returns it.
    pub(super) fn engage(&mut self, lead: usize, now: i64) -> f64 {
        let Some(traits) = self.world.traits(lead).copied() else {
            return 0.0;
        };
        let run = &mut self.leads[lead];
        let e = engagement::evolve(
            run.engagement,
            run.home,
            run.fading,
            now - run.engagement_ts,
            &traits,
            &mut self.rng,
        );
        run.engagement = e;
        run.engagement_ts = run.engagement_ts.max(now);
        if e < engagement::DISENGAGED && run.disengaged_at.is_none() {
            run.disengaged_at = Some(now);
        }
        e
    }

    fn on_arrive(&mut self, lead: usize, now: i64) {
        if let Some(traits) = self.world.traits(lead).copied() {
            let run = &mut self.leads[lead];
            run.engagement = engagement::initial(&traits, &mut self.rng);
            run.home = run.engagement;
            run.engagement_ts = now;
        }
        self.leads[lead].status = Status::Active;
        let source = SOURCES[self.rng.random_range(0..SOURCES.len())];
        let utc_offset_min = self
            .world
            .traits(lead)
            .map(|t| i16::from(t.tz_offset_hours) * 60);
        self.emit(
            now,
            lead,
            SimKind::LeadCreated {
                source,
                utc_offset_min,
            },
        );
        self.schedule_next_touch(lead, now, now);
        self.schedule_visit(lead, now);
        self.push(now + DAY_MS, lead as u32, Action::Tick);
    }

    fn on_touch(&mut self, lead: usize, now: i64, touch: Touch) {
        if !self.leads[lead].contactable() {
            return;
        }
        // The policy may change the channel and variant, not the time (the touch is due now).
        let touch = Touch {
            at: touch.at,
            ..self.policy.revise(&self.context(lead, now), touch)
        };
        let Some(traits) = self.world.traits(lead).copied() else {
            return;
        };
        let effects = self.world.effects_at(now);
        let how = hour_of_week(now);
        let p = response_probability(&traits, touch.channel, how, touch.variant, &effects);
        let misfit = mismatch(&traits, touch.channel, how, touch.variant, &effects);
        let intent = traits.buying_intent * effects.intent;
        let ctx = self.context(lead, now);
        let e = self.engage(lead, now);
        let factor = engagement::response_factor(e);
        let p = (p * factor).min(1.0);
        let run = &mut self.leads[lead];
        run.touch_factor = factor;
        // Uncommitted leads are annoyed faster by touches that do not fit them.
        let irritation = 0.15 * misfit * traits.churn_propensity;
        run.annoyance = (run.annoyance * 0.85 + irritation).min(1.0);
        let active = run.status == Status::Active;
        let responded = active && self.rng.random::<f64>() < p;
        let run = &mut self.leads[lead];
        let crowded = engagement::over_contact(run.last_touch_ts.map(|t| now - t));
        run.engagement = engagement::after_touch(run.engagement, misfit, crowded, &traits);
        let onset = engagement::fade_onset(misfit, crowded, &traits, &effects);
        if active && !run.fading && self.rng.random::<f64>() < onset {
            run.fading = true;
        }
        if responded {
            run.engagement = engagement::after_response(run.engagement, misfit);
            if run.fading && self.rng.random::<f64>() < engagement::win_back(misfit) {
                run.fading = false;
            }
        }
        run.last_touch_ts = Some(now);
        run.touches += 1;
        run.last_channel = Some(touch.channel);
        if responded {
            run.responses += 1;
            run.unanswered = 0;
            run.last_response_ts = Some(now);
        } else {
            run.unanswered += 1;
        }
        if touch.channel == ContactChannel::Call {
            if responded {
                let kind = reactions::call(
                    &mut self.rng,
                    &traits,
                    &mut self.leads[lead],
                    misfit,
                    intent,
                    touch.variant,
                );
                self.emit(now, lead, kind);
            } else {
                let duration_s = (20.0 + 40.0 * self.rng.random::<f64>()).round();
                self.emit(
                    now,
                    lead,
                    SimKind::Voicemail {
                        duration_s,
                        variant: touch.variant,
                    },
                );
            }
        } else {
            self.emit(
                now,
                lead,
                SimKind::Sent {
                    channel: touch.channel,
                    variant: touch.variant,
                },
            );
        }
        if responded {
            self.respond(lead, now, touch, misfit, intent);
        } else if active && e < engagement::LEAVING && self.rng.random::<f64>() < LEAVING_REPLY {
            let (at, kind) = reactions::leaving_reply(&mut self.rng, now, touch.channel);
            self.emit(at, lead, kind);
        }
        self.policy.observe(&ctx, &touch, responded);
        if self.leads[lead].contactable() {
            self.schedule_next_touch(lead, now, now + MIN_TOUCH_GAP_MS);
        }
    }

    fn respond(&mut self, lead: usize, now: i64, touch: Touch, misfit: f64, intent: f64) {
        let Some(traits) = self.world.traits(lead).copied() else {
            return;
        };
        let listings = super::world::LISTINGS_PER_AREA as u32;
        let run = &mut self.leads[lead];
        let reply = reactions::respond(
            &mut self.rng,
            &traits,
            run,
            &reactions::Stimulus {
                now,
                touch,
                misfit,
                intent,
            },
            listings,
        );
        for (ts, kind) in reply.events.into_iter().flatten() {
            self.emit(ts, lead, kind);
        }
        self.advance(lead, reply.last_ts, 0.8 * (0.3 + intent) * (1.5 - misfit));
    }

    fn on_market(&mut self, area: u32, now: i64) {
        let shock = self.world.effects_at(now).intent < 1.0;
        let Some(m) = self.markets.get_mut(area as usize) else {
            return;
        };
        m.step(shock, &mut self.rng);
        let (rate, inventory, price_index) = m.published();
        self.push(
            now,
            u32::MAX,
            Action::Emit(SimKind::MarketUpdate {
                area,
                rate,
                inventory,
                price_index,
            }),
        );
        self.push(now + DAY_MS, u32::MAX, Action::Market(area));
    }
}

impl<P: OutboundPolicy> Iterator for Simulation<P> {
    type Item = SimEvent;

    fn next(&mut self) -> Option<SimEvent> {
        self.next_event()
    }
}
