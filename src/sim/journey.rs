//! The buying journey of a simulated lead: progress towards a deal, stage changes, showings
//! (booked, attended or missed), offers, and deals won or lost.
//!
//! What it is for: the conversion side of the simulation loop, kept apart from touches and
//! churn (see `stream`) so each file has one job.
//! What it is not: anything a policy sees; stage changes reach the agent only as events.

use rand::Rng;

use crate::event::JourneyStage;

use super::channel::{DAY_MS, HOUR_MS};
use super::lead_run::Status;
use super::policy::OutboundPolicy;
use super::sim_event::SimKind;
use super::stream::{Action, Simulation};
use super::truth::Outcome;

const MINUTE_MS: i64 = 60_000;

impl<P: OutboundPolicy> Simulation<P> {
    /// Adds progress towards a deal; crossing thresholds moves the stage and books a showing.
    pub(super) fn advance(&mut self, lead: usize, now: i64, gain: f64) {
        let run = &mut self.leads[lead];
        run.progress += gain;
        if run.progress >= 1.0 && run.stage == JourneyStage::Exploring {
            run.stage = JourneyStage::Engaged;
            self.emit(
                now + HOUR_MS,
                lead,
                SimKind::StageChanged {
                    stage: JourneyStage::Engaged,
                },
            );
        }
        let run = &mut self.leads[lead];
        if run.progress >= 2.5 && !run.appointment_pending && !run.offer_pending {
            run.appointment_pending = true;
            let raise = run.stage < JourneyStage::Active;
            run.stage = run.stage.max(JourneyStage::Active);
            let Some(traits) = self.world.traits(lead) else {
                return;
            };
            let days = self.rng.random_range(1..5);
            let local_peak =
                i64::from(traits.peak_local_hour()) - i64::from(traits.tz_offset_hours);
            let at = (now.div_euclid(DAY_MS) + days) * DAY_MS + local_peak.rem_euclid(24) * HOUR_MS;
            let booked = now + 30 * MINUTE_MS;
            self.emit(booked, lead, SimKind::AppointmentBooked { at });
            if raise {
                self.emit(
                    booked,
                    lead,
                    SimKind::StageChanged {
                        stage: JourneyStage::Active,
                    },
                );
            }
            self.push(at, lead as u32, Action::Appointment);
        }
    }

    pub(super) fn on_appointment(&mut self, lead: usize, now: i64) {
        let effects = self.world.effects_at(now);
        let Some(traits) = self.world.traits(lead).copied() else {
            return;
        };
        self.engage(lead, now);
        let run = &mut self.leads[lead];
        run.appointment_pending = false;
        match run.status {
            Status::Active => {}
            Status::Silent => {
                self.emit(now, lead, SimKind::AppointmentMissed);
                return;
            }
            _ => return,
        }
        let intent = traits.buying_intent * effects.intent;
        let p_attend = (0.45 + 0.5 * intent - 0.3 * run.annoyance + 0.5 * (run.engagement - 0.6))
            .clamp(0.05, 0.95);
        if self.rng.random::<f64>() >= p_attend {
            run.progress = (run.progress - 1.0).max(1.5);
            run.setback = true;
            self.emit(now, lead, SimKind::AppointmentMissed);
            return;
        }
        run.progress += 1.0 + intent;
        let offer = run.progress >= 4.0 && !run.offer_pending;
        self.emit(now + HOUR_MS, lead, SimKind::AppointmentAttended);
        if offer {
            self.leads[lead].offer_pending = true;
            self.leads[lead].stage = JourneyStage::Negotiating;
            let at = now + self.rng.random_range(DAY_MS..3 * DAY_MS);
            let amount =
                traits.persona.profile().deal_amount * (0.8 + 0.4 * self.rng.random::<f64>());
            let amount = (amount / 1000.0).round() * 1000.0;
            self.emit(at, lead, SimKind::OfferMade { amount });
            self.emit(
                at,
                lead,
                SimKind::StageChanged {
                    stage: JourneyStage::Negotiating,
                },
            );
            let decide = at + self.rng.random_range(3 * DAY_MS..10 * DAY_MS);
            self.push(decide, lead as u32, Action::Decide);
        }
    }

    pub(super) fn on_decide(&mut self, lead: usize, now: i64) {
        let effects = self.world.effects_at(now);
        let Some(traits) = self.world.traits(lead).copied() else {
            return;
        };
        let run = &mut self.leads[lead];
        run.offer_pending = false;
        if run.status != Status::Active {
            return;
        }
        let intent = traits.buying_intent * effects.intent;
        if self.rng.random::<f64>() < 0.3 + 0.6 * intent {
            run.status = Status::Converted;
            run.stage = JourneyStage::ReadyToBuy;
            run.outcome = Outcome::Converted { ts: now };
            let amount =
                traits.persona.profile().deal_amount * (0.85 + 0.3 * self.rng.random::<f64>());
            let amount = (amount / 1000.0).round() * 1000.0;
            self.emit(
                now,
                lead,
                SimKind::StageChanged {
                    stage: JourneyStage::ReadyToBuy,
                },
            );
            self.emit(now, lead, SimKind::DealWon { amount });
        } else {
            const REASONS: [&str; 4] = [
                "outbid",
                "financing_fell_through",
                "inspection_issues",
                "seller_withdrew",
            ];
            let reason = REASONS[self.rng.random_range(0..REASONS.len())];
            run.progress = 2.0;
            run.stage = JourneyStage::Active;
            run.setback = true;
            run.annoyance = (run.annoyance + 0.2).min(1.0);
            self.emit(now, lead, SimKind::DealLost { reason });
            self.emit(
                now,
                lead,
                SimKind::StageChanged {
                    stage: JourneyStage::Active,
                },
            );
        }
    }
}
