//! Label joining of the shard decider: pending snapshots per lead, their resolution by
//! outcomes or horizons, lead snapshots, stage changes and campaign endings.
//!
//! What it is for: the delayed-label half of [`ShardDecider`] (see the label definitions in
//! `shard`'s module documentation and docs/decisions.md), kept apart from the decision half.
//! What it is not: the decisions themselves (see `shard`), nor the per-lead memo it reads and
//! updates (see `memo`).

use crate::event::{Channel, Event, EventKind, EventType, JourneyStage};
use crate::lead::{LeadState, N_FEATURES};

use super::campaign::Campaign;
use super::example::{LabelledExample, LeadExample, ResponseExample};
use super::indicators::{self, N_INDICATORS};
// `shard` names the memo through this module.
pub(super) use super::memo::LeadMemo;
use super::memo::OpenTouch;
use super::pending::Handle;
use super::persona_features::PERSONA_DIM;
use super::personalize;
use super::shard::{lead_key, DecisionOutputs, ShardDecider, PERSONA_MIN_RESPONSES};
use super::types::{DecideEvent, Milestone, CONTACT_CHANNELS};

/// A lead snapshot waiting for its label. What the lead does after it is kept in the lead's
/// memo ([`super::memo::SinceSnapshot`]), not here: every event of the lead updates that, and
/// reading seven slab slots scattered over megabytes for it cost a cache miss each.
#[derive(Debug, Clone)]
pub(super) struct PendingLead {
    pub(super) key: u64,
    /// Whether the lead had responded within the churn horizon before the snapshot: only an
    /// engaged lead can churn by falling silent (a lead that never answered did not leave).
    pub(super) engaged_before: bool,
    pub(super) stage: JourneyStage,
    pub(super) example: LeadExample,
}

/// Silence (no response while touched at least twice) at the horizon that makes a snapshot a
/// churn label: the lead went silent within the first half of the horizon and stayed silent.
/// Requiring silence over the whole horizon labelled only leads already gone at the snapshot,
/// so the model learned to spot leads that had left rather than leads about to leave.
pub(super) const SILENCE_MS: i64 = 7 * 86_400_000;

#[derive(Debug, Clone)]
pub(super) struct PendingTouch {
    pub(super) key: u64,
    pub(super) example: ResponseExample,
}

impl ShardDecider {
    /// Forgets these leads, `(tenant_id, lead_id)`: their partitions were revoked and another
    /// shard or instance decides for them now. Their memos, pending snapshots and open touches
    /// go, so nothing is labelled later from what they did before the revocation (it would
    /// read as silence: "not churned", "not answered"); a running retention campaign ends
    /// without an outcome here. Leads this decider never saw are ignored.
    pub fn forget_leads(&mut self, leads: &[(&str, &str)]) {
        for (tenant_id, lead_id) in leads {
            let Some(memo) = self.leads.remove(&lead_key(tenant_id, lead_id)) else {
                continue;
            };
            // Stale handles (answered, expired or evicted) are refused by the slabs.
            for (h, _) in memo.snapshots {
                self.snapshots.remove(h);
            }
            for (h, _) in memo.touches {
                self.touches.remove(h);
            }
            self.counters.leads_forgotten += 1;
        }
    }

    /// Advances event time to `event_time_ms`: pending snapshots whose horizon passed become
    /// examples, and campaigns past their horizon end.
    pub fn on_watermark(&mut self, event_time_ms: i64, out: &mut DecisionOutputs) {
        while let Some((deadline, h, t)) = self.touches.pop_expired(event_time_ms) {
            let mut example = t.example;
            example.label_ts = deadline;
            if let Some(m) = self.leads.get_mut(&t.key) {
                m.forget_touch(h);
                record_arm(&mut m.arms, example.channel, false);
                record_hour(&mut m.hours, example.hour_of_week, false);
            }
            self.counters.response_examples += 1;
            out.examples.push(LabelledExample::Response(example));
        }
        while let Some((deadline, h, p)) = self.snapshots.pop_expired(event_time_ms) {
            // A pending snapshot's handle is always in its lead's memo (the memo drops a handle
            // only with the slab's value, and memos are never dropped); the fallbacks to the
            // snapshot's own stage and to nothing done since it are for release builds only.
            let memo = self.leads.get(&p.key);
            let since = memo.and_then(|m| m.since_snapshot(h));
            debug_assert!(
                since.is_some(),
                "pending snapshot {h:?} missing from its lead's memo"
            );
            let stage = memo.map_or(p.stage, |m| m.stage);
            let since = since.unwrap_or_default();
            let silent_since = since.silent_since(p.example.snapshot_ts);
            let churned = since.touches_since_response >= 2
                && deadline.saturating_sub(silent_since)
                    >= SILENCE_MS.min(self.config.churn_horizon_ms)
                && p.engaged_before;
            self.emit_lead(p, deadline, churned, Some(stage), out);
        }
        while let Some(&(deadline, key, id)) = self.campaigns.front() {
            if deadline > event_time_ms {
                break;
            }
            self.campaigns.pop_front();
            let ended = self.leads.get_mut(&key).and_then(|m| {
                if m.campaign.as_ref().is_some_and(|c| c.id == id) {
                    m.campaign.take()
                } else {
                    None
                }
            });
            if let Some(c) = ended {
                let recovered = c.reengaged();
                end_campaign(c, deadline, recovered, out);
            }
        }
    }

    fn emit_lead(
        &mut self,
        p: PendingLead,
        label_ts: i64,
        churned: bool,
        stage_now: Option<JourneyStage>,
        out: &mut DecisionOutputs,
    ) {
        let mut example = p.example;
        example.label_ts = label_ts;
        example.churned = churned;
        if let Some(s) = stage_now {
            example.progressed = example.progressed || s > p.stage;
        }
        self.counters.lead_examples += 1;
        out.examples.push(LabelledExample::Lead(example));
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn join_labels(
        &mut self,
        key: u64,
        tenant_id: &str,
        lead_id: &str,
        event: &Event<'_>,
        features: &[f64; N_FEATURES],
        persona: Option<u8>,
        context: &[f64; super::example::VARIANT_CONTEXT],
        utc_offset_min: Option<i16>,
        out: &mut DecisionOutputs,
    ) {
        let et = event.event_type();
        let ts = event.ts;
        let hour_of_week = personalize::local_hour_of_week(ts, utc_offset_min);
        let arm_of = |ch: Channel| CONTACT_CHANNELS.iter().position(|c| *c == ch);
        let touch = |arm: usize, variant: Option<usize>, responded: bool| ResponseExample {
            touch_ts: ts,
            label_ts: ts,
            features: *features,
            channel: arm,
            variant,
            variant_context: *context,
            hour_of_week,
            persona,
            responded,
        };
        let Some(memo) = self.leads.get_mut(&key) else {
            return;
        };
        match &event.kind {
            EventKind::EmailSent(o) | EventKind::SmsSent(o) | EventKind::VideoSent(o) => {
                if let Some(arm) = event.channel.and_then(arm_of) {
                    if let Some(t) = memo.last_touch_ts.get_mut(arm) {
                        *t = ts;
                    }
                    let variant = o.variant.map(|v| v.index());
                    let deadline = ts.saturating_add(self.config.response_horizon_ms);
                    let h = self.touches.insert(
                        deadline,
                        PendingTouch {
                            key,
                            example: touch(arm, variant, false),
                        },
                    );
                    // Keep the newest open touches; the oldest falls out (counted).
                    if self.touches.remove(memo.oldest_touch()).is_some() {
                        self.counters.touches_dropped += 1;
                    }
                    memo.push_touch(h, OpenTouch::new(ts, arm, hour_of_week));
                }
            }
            EventKind::Voicemail { .. } | EventKind::CallCompleted(_) => {
                let responded = et == EventType::CallCompleted;
                if let Some(arm) = arm_of(Channel::Call) {
                    if let Some(t) = memo.last_touch_ts.get_mut(arm) {
                        *t = ts;
                    }
                    record_arm(&mut memo.arms, arm, responded);
                    record_hour(&mut memo.hours, hour_of_week, responded);
                    self.counters.response_examples += 1;
                    out.examples
                        .push(LabelledExample::Response(touch(arm, None, responded)));
                }
            }
            _ => {}
        }
        let answered = match et {
            EventType::EmailOpened | EventType::EmailClicked | EventType::EmailReplied => {
                Some(Channel::Email)
            }
            EventType::SmsReplied => Some(Channel::Sms),
            EventType::VideoViewed => Some(Channel::Video),
            _ => None,
        };
        if let Some(arm) = answered.and_then(arm_of) {
            // The lead's oldest open touch on that channel.
            let mut matched = false;
            for (h, open) in &mut memo.touches {
                // The memo's copy of the channel spares reading the slab for other channels.
                let hit = *h != Handle::NONE && open.arm() == arm && self.touches.contains(*h);
                if hit {
                    if let Some(t) = self.touches.remove(std::mem::replace(h, Handle::NONE)) {
                        let mut example = t.example;
                        example.responded = true;
                        example.label_ts = ts;
                        record_arm(&mut memo.arms, arm, true);
                        record_hour(&mut memo.hours, example.hour_of_week, true);
                        self.counters.response_examples += 1;
                        out.examples.push(LabelledExample::Response(example));
                    }
                    matched = true;
                    break;
                }
            }
            // A lead that gets in touch unprompted on a channel (texts, writes, watches a tour:
            // no touch that it could be answering within the response horizon) will likely
            // answer there: one success on that arm of its own evidence.
            let horizon = self.config.response_horizon_ms;
            let recent = personalize::prompting_arms(arm).iter().any(|&a| {
                memo.last_touch_ts
                    .get(a)
                    .is_some_and(|&t| t != i64::MIN && ts.saturating_sub(t) <= horizon)
            });
            if !matched && !recent {
                record_arm(&mut memo.arms, arm, true);
                if let Some(u) = memo.unprompted.get_mut(arm) {
                    *u += 1.0;
                }
            }
        }
        let handles = memo.snapshot_handles();
        let touched = et.is_outbound() || et == EventType::CallCompleted;
        let response = et.is_lead_response();
        memo.observe(ts, touched, response);
        // A lost deal is not churn: the lead is still looking (in the simulator it goes back to
        // showings); labelling it churn taught the model that negotiating leads leave.
        let left = matches!(et, EventType::Unsubscribed | EventType::OptedOut);
        if left || et == EventType::DealWon {
            for h in handles {
                if let Some(mut p) = self.snapshots.remove(h) {
                    p.example.progressed = et == EventType::DealWon;
                    self.emit_lead(p, ts, left, None, out);
                }
            }
        }
        // Campaign milestones.
        let Some(memo) = self.leads.get_mut(&key) else {
            return;
        };
        if let Some(c) = memo.campaign.as_mut() {
            let milestone = if et.is_outbound() {
                c.on_touch()
            } else if et.is_lead_response() {
                c.on_response()
            } else {
                None
            };
            if let Some(m) = milestone {
                out.events.push(c.event(ts, m));
            }
            if left || et == EventType::DealWon {
                if let Some(c) = memo.campaign.take() {
                    end_campaign(c, ts, !left, out);
                }
            }
        }
        let _ = (tenant_id, lead_id);
    }

    pub(super) fn track_stage(
        &mut self,
        key: u64,
        stage: JourneyStage,
        ts: i64,
        out: &mut DecisionOutputs,
    ) {
        if let Some(memo) = self.leads.get_mut(&key) {
            if memo.stage != stage {
                out.events.push(DecideEvent::StageChanged {
                    ts,
                    from: memo.stage,
                    to: stage,
                });
                memo.stage = stage;
            }
        }
    }

    pub(super) fn maybe_snapshot(
        &mut self,
        key: u64,
        state: &LeadState,
        features: &[f64; N_FEATURES],
        ts: i64,
        point: [f64; PERSONA_DIM],
        out: &mut DecisionOutputs,
    ) {
        let Some(memo) = self.leads.get_mut(&key) else {
            return;
        };
        let terminal =
            state.deal_won() || state.deal_lost() || personalize::channel_mask(state) == 0;
        let due = memo.last_snapshot_ts == i64::MIN
            || ts.saturating_sub(memo.last_snapshot_ts) >= self.config.snapshot_interval_ms;
        if terminal || !due {
            return;
        }
        let mut ind = [0.0; N_INDICATORS];
        indicators::compute(state, ts, &mut ind);
        let horizon = self
            .config
            .churn_horizon_ms
            .max(self.config.journey_horizon_ms);
        // The oldest of the lead's open snapshots gives way (it is the nearest to its horizon).
        if self.snapshots.remove(memo.oldest_snapshot()).is_some() {
            self.counters.snapshots_dropped += 1;
        }
        let h = self.snapshots.insert(
            ts.saturating_add(horizon),
            PendingLead {
                key,
                example: LeadExample {
                    snapshot_ts: ts,
                    label_ts: ts,
                    features: *features,
                    indicators: ind,
                    churned: false,
                    progressed: false,
                },
                stage: state.stage(),
                engaged_before: state
                    .last_response_ts()
                    .is_some_and(|r| ts.saturating_sub(r) <= self.config.churn_horizon_ms),
            },
        );
        memo.push_snapshot(h);
        memo.last_snapshot_ts = ts;
        if state.hours().total() >= PERSONA_MIN_RESPONSES {
            out.examples.push(LabelledExample::Persona { ts, point });
        }
    }
}

impl ShardDecider {
    /// Counts, for a decision at `now`, each of the lead's open touches that has gone
    /// unanswered for [`UNANSWERED_AFTER_MS`] as a failure of its channel and send hour (its label
    /// comes only at the response horizon, usually after the next decision; most answers come
    /// within hours). Decision evidence only: the learners still get the label at the horizon.
    pub(super) fn add_unanswered(
        &self,
        memo: &LeadMemo,
        now: i64,
        arms: &mut [(f32, f32); 4],
        hours: &mut [(f32, f32); personalize::HOUR_BUCKETS],
    ) {
        for &(h, t) in &memo.touches {
            // The memo's copy first; the slab only for a touch old enough to count (one that
            // was evicted at capacity is still named in the memo).
            if h == Handle::NONE
                || now.saturating_sub(t.touch_ts) < UNANSWERED_AFTER_MS
                || !self.touches.contains(h)
            {
                continue;
            }
            if let Some(a) = arms.get_mut(t.arm()) {
                a.1 += 1.0;
            }
            if let Some(b) = hours.get_mut(personalize::hour_bucket(t.hour_of_week)) {
                b.1 += 1.0;
            }
        }
    }
}

/// An open touch unanswered for this long counts as a failure in the next decision's evidence.
pub(super) const UNANSWERED_AFTER_MS: i64 = 24 * 3_600_000;

/// Adds one labelled outcome to a lead's own channel evidence.
pub(super) fn record_arm(arms: &mut [(f32, f32); 4], arm: usize, success: bool) {
    if let Some(a) = arms.get_mut(arm) {
        if success {
            a.0 += 1.0;
        } else {
            a.1 += 1.0;
        }
    }
}

/// Adds one labelled outcome to a lead's own send-hour evidence.
pub(super) fn record_hour(
    hours: &mut [(f32, f32); personalize::HOUR_BUCKETS],
    hour_of_week: u16,
    success: bool,
) {
    record_arm_slot(
        hours.get_mut(personalize::hour_bucket(hour_of_week)),
        success,
    );
}

fn record_arm_slot(slot: Option<&mut (f32, f32)>, success: bool) {
    if let Some(a) = slot {
        if success {
            a.0 += 1.0;
        } else {
            a.1 += 1.0;
        }
    }
}

pub(super) fn end_campaign(c: Campaign, ts: i64, recovered: bool, out: &mut DecisionOutputs) {
    let milestone = if recovered {
        Milestone::Recovered
    } else {
        Milestone::Lost
    };
    out.events.push(c.event(ts, milestone));
    out.examples.push(LabelledExample::Intervention {
        ts,
        indicator: c.indicator,
        intervention: c.intervention,
        recovered,
    });
}
