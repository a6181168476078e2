//! The per-shard decider: joins delayed labels for its leads and makes a decision (and, when
//! risk is high enough, an alert) for every lead event, with the latest model snapshot.
//!
//! What it is for: the single-threaded half of decision making, owned by one shard worker next
//! to its lead store. It keeps, per lead, the feature snapshots taken at decision time (bounded,
//! see `pending`), turns outcomes (or their absence by the horizon) into [`LabelledExample`]s
//! for the learner, tracks retention campaigns and deduplicates alerts.
//! What it is not: learning (see `learner`) or lead state (the caller applies the event to the
//! lead's state and extracts features before calling [`ShardDecider::on_event`]).
//!
//! Labels (horizons in [`DecideConfig`]):
//! - response: an email, SMS or video sent opens a pending touch; a response on the same channel
//!   (open, click, reply; SMS reply; video view) closes the lead's oldest open touch on it as
//!   positive; the horizon closes it as negative. A completed call is an immediate positive for
//!   the call channel, a voicemail an immediate negative.
//! - churn and journey: at most one lead snapshot per `snapshot_interval_ms`; positive churn if
//!   the lead unsubscribes, opts out or is lost before the horizon (labelled at once), or if it
//!   was touched at least twice and never responded by the horizon (silent churn); a won deal
//!   labels it at once as not churned and progressed; otherwise at the horizon, progressed if
//!   the stage advanced.

use std::hash::{BuildHasher, Hasher};

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use rustc_hash::FxHashMap;

use crate::event::{Channel, Event, EventKind, EventType, JourneyStage};
use crate::lead::{LeadState, FEATURE_NAMES, N_FEATURES};

use super::alert;
use super::campaign::Campaign;
use super::config::DecideConfig;
use super::example::{LabelledExample, LeadExample, ResponseExample};
use super::indicators::{self, N_INDICATORS};
use super::models::{ModelInput, Supervisable};
use super::pending::{Handle, PendingSlab};
use super::persona_features::{self, PERSONA_DIM};
use super::personalize;
use super::snapshot::{ModelReader, ModelSnapshot};
use super::types::{
    ChurnAlert, DecideEvent, Decision, Explanation, FeatureContribution, Milestone, RiskLevel,
    CONTACT_CHANNELS, TOP_FEATURES,
};

/// Open touches remembered per lead; an older one is dropped (and counted) beyond this.
pub const MAX_OPEN_TOUCHES: usize = 4;
/// Lead snapshots pending per lead (a horizon of 14 days at one snapshot per 2 days).
pub const MAX_OPEN_SNAPSHOTS: usize = 7;
/// Responses a lead needs before its behaviour vector is a persona observation.
pub const PERSONA_MIN_RESPONSES: u32 = 3;

/// What one call produced; reuse it across calls (call [`DecisionOutputs::clear`]).
#[derive(Debug, Default)]
pub struct DecisionOutputs {
    /// The decision for the event (every lead event gets one).
    pub decision: Option<Decision>,
    /// A churn alert, when risk is high enough and the lead's last alert allows another.
    pub alert: Option<ChurnAlert>,
    /// Labelled examples for the learner.
    pub examples: Vec<LabelledExample>,
    /// Stage changes and campaign milestones.
    pub events: Vec<DecideEvent>,
}

impl DecisionOutputs {
    /// Empties the outputs, keeping their allocations.
    pub fn clear(&mut self) {
        self.decision = None;
        self.alert = None;
        self.examples.clear();
        self.events.clear();
    }
}

/// Counts of what a shard decider did (flush them to metrics per batch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeciderCounters {
    /// Decisions made.
    pub decisions: u64,
    /// Alerts emitted.
    pub alerts: u64,
    /// Alerts suppressed by deduplication.
    pub alerts_deduplicated: u64,
    /// Response examples emitted.
    pub response_examples: u64,
    /// Lead (churn and journey) examples emitted.
    pub lead_examples: u64,
    /// Open touches dropped because a lead had too many.
    pub touches_dropped: u64,
    /// Lead snapshots dropped because a lead had too many.
    pub snapshots_dropped: u64,
    /// Campaigns started.
    pub campaigns: u64,
}

#[derive(Debug, Clone)]
struct PendingLead {
    key: u64,
    example: LeadExample,
    stage: JourneyStage,
    touches: u16,
    responded: bool,
}

#[derive(Debug, Clone)]
struct PendingTouch {
    key: u64,
    example: ResponseExample,
}

#[derive(Debug, Clone)]
struct LeadMemo {
    touches: [Handle; MAX_OPEN_TOUCHES],
    snapshots: [Handle; MAX_OPEN_SNAPSHOTS],
    /// The lead's own labelled (successes, failures) per channel arm.
    arms: [(f32, f32); 4],
    /// The lead's own labelled (successes, failures) per 3-hour bucket of the send hour (UTC).
    hours: [(f32, f32); personalize::HOUR_BUCKETS],
    last_snapshot_ts: i64,
    stage: JourneyStage,
    last_alert: Option<(RiskLevel, i64)>,
    campaign: Option<Campaign>,
}

impl LeadMemo {
    fn new() -> Self {
        Self {
            touches: [Handle::NONE; MAX_OPEN_TOUCHES],
            snapshots: [Handle::NONE; MAX_OPEN_SNAPSHOTS],
            arms: [(0.0, 0.0); 4],
            hours: [(0.0, 0.0); personalize::HOUR_BUCKETS],
            last_snapshot_ts: i64::MIN,
            stage: JourneyStage::Exploring,
            last_alert: None,
            campaign: None,
        }
    }
}

/// A fixed-key SipHash of (tenant, lead): the per-lead memory is keyed by this 64-bit hash (a
/// collision between two leads of one shard has probability about n^2 / 2^65).
fn lead_key(tenant_id: &str, lead_id: &str) -> u64 {
    let mut h =
        std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
            .build_hasher();
    h.write(tenant_id.as_bytes());
    h.write_u8(0xff);
    h.write(lead_id.as_bytes());
    h.finish()
}

/// The decider of one shard.
#[derive(Debug)]
pub struct ShardDecider {
    models: ModelReader,
    config: DecideConfig,
    shard: usize,
    rng: Pcg64Mcg,
    leads: FxHashMap<u64, LeadMemo>,
    touches: PendingSlab<PendingTouch>,
    snapshots: PendingSlab<PendingLead>,
    campaigns: std::collections::VecDeque<(i64, u64, u64)>,
    next_campaign: u64,
    counters: DeciderCounters,
    scratch: [f64; N_FEATURES],
}

impl ShardDecider {
    /// A decider for shard `shard`, reading models from `models`, with its own generator seeded
    /// from `seed` and the shard number.
    pub fn new(models: ModelReader, config: &DecideConfig, shard: usize, seed: u64) -> Self {
        let cap = config.max_pending.max(2);
        Self {
            models,
            config: config.clone(),
            shard,
            rng: Pcg64Mcg::seed_from_u64(seed ^ (shard as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            leads: FxHashMap::default(),
            touches: PendingSlab::new(cap / 2),
            snapshots: PendingSlab::new(cap / 2),
            campaigns: std::collections::VecDeque::new(),
            next_campaign: 0,
            counters: DeciderCounters::default(),
            scratch: [0.0; N_FEATURES],
        }
    }

    /// What the decider did so far.
    pub const fn counters(&self) -> DeciderCounters {
        self.counters
    }

    /// Pending (touch, lead) snapshots held, and how many were evicted at capacity.
    pub fn pending(&self) -> (usize, usize, u64) {
        (
            self.touches.len(),
            self.snapshots.len(),
            self.touches.evicted() + self.snapshots.evicted(),
        )
    }

    /// Handles one lead event: joins labels, then writes the decision (and maybe an alert) for
    /// it into `out`. `state` and `features` are the lead's after the event. Market updates and
    /// other events without a lead are ignored.
    pub fn on_event(
        &mut self,
        tenant_id: &str,
        lead_id: &str,
        event: &Event<'_>,
        state: &LeadState,
        features: &[f64; N_FEATURES],
        out: &mut DecisionOutputs,
    ) {
        if event.event_type() == EventType::MarketUpdate {
            return;
        }
        let snapshot = self.models.load();
        let key = lead_key(tenant_id, lead_id);
        let ts = event.ts;
        let mut point = [0.0; PERSONA_DIM];
        persona_features::compute(state, &mut point);
        let persona = snapshot
            .personas
            .is_seeded()
            .then(|| snapshot.personas.predict_one(&point) as u8);
        let context = personalize::variant_context(persona, state);
        self.leads.entry(key).or_insert_with(LeadMemo::new);
        self.join_labels(
            key, tenant_id, lead_id, event, features, persona, &context, out,
        );
        self.track_stage(key, state.stage(), ts, out);
        self.maybe_snapshot(key, state, features, ts, point, out);
        let id = &*event.event_id;
        self.decide(
            &snapshot,
            key,
            tenant_id,
            lead_id,
            (id, ts),
            state,
            features,
            persona,
            &context,
            out,
        );
    }

    /// A fresh decision for a lead at `now_ms` without an event (e.g. when an agent is about to
    /// act): same models and choices as [`on_event`](Self::on_event), no label joining, no
    /// alert; `event_id` is empty. `state` and `features` are the lead's as of `now_ms`.
    pub fn decide_now(
        &mut self,
        tenant_id: &str,
        lead_id: &str,
        now_ms: i64,
        state: &LeadState,
        features: &[f64; N_FEATURES],
    ) -> Option<Decision> {
        let snapshot = self.models.load();
        let key = lead_key(tenant_id, lead_id);
        let mut point = [0.0; PERSONA_DIM];
        persona_features::compute(state, &mut point);
        let persona = snapshot
            .personas
            .is_seeded()
            .then(|| snapshot.personas.predict_one(&point) as u8);
        let context = personalize::variant_context(persona, state);
        let mut out = DecisionOutputs::default();
        self.decide(
            &snapshot,
            key,
            tenant_id,
            lead_id,
            ("", now_ms),
            state,
            features,
            persona,
            &context,
            &mut out,
        );
        self.counters.decisions -= 1;
        out.decision
    }

    /// Advances event time to `event_time_ms`: pending snapshots whose horizon passed become
    /// examples, and campaigns past their horizon end.
    pub fn on_watermark(&mut self, event_time_ms: i64, out: &mut DecisionOutputs) {
        while let Some((deadline, t)) = self.touches.pop_expired(event_time_ms) {
            let mut example = t.example;
            example.label_ts = deadline;
            if let Some(m) = self.leads.get_mut(&t.key) {
                record_arm(&mut m.arms, example.channel, false);
                record_hour(&mut m.hours, example.hour_utc, false);
            }
            self.counters.response_examples += 1;
            out.examples.push(LabelledExample::Response(example));
        }
        while let Some((deadline, p)) = self.snapshots.pop_expired(event_time_ms) {
            let stage = self.leads.get(&p.key).map_or(p.stage, |m| m.stage);
            let churned = p.touches >= 2 && !p.responded;
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
    fn join_labels(
        &mut self,
        key: u64,
        tenant_id: &str,
        lead_id: &str,
        event: &Event<'_>,
        features: &[f64; N_FEATURES],
        persona: Option<u8>,
        context: &[f64; super::example::VARIANT_CONTEXT],
        out: &mut DecisionOutputs,
    ) {
        let et = event.event_type();
        let ts = event.ts;
        let hour_utc = (ts.div_euclid(3_600_000).rem_euclid(24)) as u8;
        let arm_of = |ch: Channel| CONTACT_CHANNELS.iter().position(|c| *c == ch);
        let touch = |arm: usize, variant: Option<usize>, responded: bool| ResponseExample {
            touch_ts: ts,
            label_ts: ts,
            features: *features,
            channel: arm,
            variant,
            variant_context: *context,
            hour_utc,
            persona,
            responded,
        };
        let Some(memo) = self.leads.get_mut(&key) else {
            return;
        };
        match &event.kind {
            EventKind::EmailSent(o) | EventKind::SmsSent(o) | EventKind::VideoSent(o) => {
                if let Some(arm) = event.channel.and_then(arm_of) {
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
                    if self.touches.contains(memo.touches[0]) {
                        self.touches.remove(memo.touches[0]);
                        self.counters.touches_dropped += 1;
                    }
                    memo.touches.rotate_left(1);
                    memo.touches[MAX_OPEN_TOUCHES - 1] = h;
                }
            }
            EventKind::Voicemail { .. } | EventKind::CallCompleted(_) => {
                let responded = et == EventType::CallCompleted;
                if let Some(arm) = arm_of(Channel::Call) {
                    record_arm(&mut memo.arms, arm, responded);
                    record_hour(&mut memo.hours, hour_utc, responded);
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
            for h in memo.touches {
                let hit = self
                    .touches
                    .get_mut(h)
                    .is_some_and(|t| t.example.channel == arm);
                if hit {
                    if let Some(t) = self.touches.remove(h) {
                        let mut example = t.example;
                        example.responded = true;
                        example.label_ts = ts;
                        record_arm(&mut memo.arms, arm, true);
                        record_hour(&mut memo.hours, example.hour_utc, true);
                        self.counters.response_examples += 1;
                        out.examples.push(LabelledExample::Response(example));
                    }
                    break;
                }
            }
        }
        let handles = memo.snapshots;
        let touched = et.is_outbound() || et == EventType::CallCompleted;
        for h in handles {
            if let Some(p) = self.snapshots.get_mut(h) {
                p.responded |= et.is_lead_response();
                p.touches = p.touches.saturating_add(u16::from(touched));
            }
        }
        let left = matches!(
            et,
            EventType::Unsubscribed | EventType::OptedOut | EventType::DealLost
        );
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

    fn track_stage(&mut self, key: u64, stage: JourneyStage, ts: i64, out: &mut DecisionOutputs) {
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

    fn maybe_snapshot(
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
        if self.snapshots.remove(memo.snapshots[0]).is_some() {
            self.counters.snapshots_dropped += 1;
        }
        memo.snapshots.rotate_left(1);
        memo.snapshots[MAX_OPEN_SNAPSHOTS - 1] = self.snapshots.insert(
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
                touches: 0,
                responded: false,
            },
        );
        memo.last_snapshot_ts = ts;
        if state.hours().total() >= PERSONA_MIN_RESPONSES {
            out.examples.push(LabelledExample::Persona { ts, point });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn decide(
        &mut self,
        snapshot: &ModelSnapshot,
        key: u64,
        tenant_id: &str,
        lead_id: &str,
        (event_id, ts): (&str, i64),
        state: &LeadState,
        features: &[f64; N_FEATURES],
        persona: Option<u8>,
        context: &[f64; super::example::VARIANT_CONTEXT],
        out: &mut DecisionOutputs,
    ) {
        let mut input = ModelInput {
            features: *features,
            arm: 0,
        };
        let churn = snapshot.churn.predict(&input);
        let risk = self.config.risk_level(churn);
        let progression = snapshot.journey.predict(&input);
        let mut response = [0.0; 4];
        for (arm, p) in response.iter_mut().enumerate() {
            input.arm = arm;
            *p = snapshot.response.predict(&input);
        }
        let mask = personalize::channel_mask(state);
        let strength = self.config.prior_strength;
        let (arms, hours) = self.leads.get(&key).map_or(
            ([(0.0, 0.0); 4], [(0.0, 0.0); personalize::HOUR_BUCKETS]),
            |m| (m.arms, m.hours),
        );
        let (arm, channel_belief) = personalize::choose_channel(
            snapshot,
            persona,
            &response,
            &arms,
            mask,
            strength,
            &mut self.rng,
        );
        let (variant, variant_belief) = personalize::choose_variant(snapshot, context);
        let (hour, send_at, send_belief) =
            personalize::choose_send_time(snapshot, persona, &hours, strength, ts, &mut self.rng);
        let mut top_features = [FeatureContribution::default(); TOP_FEATURES];
        if let Some(model) = snapshot.response.channel(arm) {
            model.contributions(features, &mut self.scratch);
            top_contributions(&self.scratch, features, &mut top_features);
        }
        let contactable = mask != 0;
        out.decision = Some(Decision {
            event_id: event_id.to_owned(),
            tenant_id: tenant_id.to_owned(),
            lead_id: lead_id.to_owned(),
            event_ts_ms: ts,
            channel: CONTACT_CHANNELS[arm.min(3)],
            contactable,
            send_at_ms: send_at,
            send_hour_utc: hour,
            variant,
            tone: personalize::tone(state, variant),
            persona,
            journey_stage: state.stage(),
            progression_probability: progression,
            response_probability: response,
            churn_probability: churn,
            risk_level: risk,
            explanation: Explanation {
                top_features,
                channel: channel_belief,
                variant: variant_belief,
                send_time: send_belief,
            },
            model_versions: snapshot.versions,
            latency_from_event_ms: None,
            latency_from_receipt_us: None,
        });
        self.counters.decisions += 1;
        let alertable = !event_id.is_empty()
            && risk >= self.config.alert_min_level
            && contactable
            && !state.deal_won()
            && !state.deal_lost();
        if alertable {
            self.alert(
                snapshot,
                key,
                tenant_id,
                lead_id,
                (event_id, ts),
                state,
                features,
                churn,
                risk,
                out,
            );
        } else if risk <= RiskLevel::Low {
            // A campaign whose lead re-engaged and is back to low risk is recovered.
            if let Some(memo) = self.leads.get_mut(&key) {
                if memo.campaign.as_ref().is_some_and(Campaign::reengaged) {
                    if let Some(c) = memo.campaign.take() {
                        end_campaign(c, ts, true, out);
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn alert(
        &mut self,
        snapshot: &ModelSnapshot,
        key: u64,
        tenant_id: &str,
        lead_id: &str,
        (event_id, ts): (&str, i64),
        state: &LeadState,
        features: &[f64; N_FEATURES],
        churn: f64,
        risk: RiskLevel,
        out: &mut DecisionOutputs,
    ) {
        let Some(memo) = self.leads.get_mut(&key) else {
            return;
        };
        if !alert::passes_dedup(memo.last_alert, risk, ts, self.config.alert_cooldown_ms) {
            self.counters.alerts_deduplicated += 1;
            return;
        }
        let previous = memo.last_alert.map(|(l, _)| l);
        memo.last_alert = Some((risk, ts));
        let mut ind = [0.0; N_INDICATORS];
        indicators::compute(state, ts, &mut ind);
        let (ranked, top) = alert::rank_indicators(snapshot, &ind);
        let (intervention, belief) = match &memo.campaign {
            Some(c) => (
                c.intervention,
                snapshot
                    .interventions
                    .get(c.indicator)
                    .map_or_else(Default::default, |b| {
                        let p = b.posterior(c.intervention.index());
                        super::types::ArmBelief {
                            estimate: p.mean(),
                            uncertainty: p.std(),
                            score: p.mean(),
                        }
                    }),
            ),
            None => alert::choose_intervention(snapshot, top, &mut self.rng),
        };
        let campaign_id = match &memo.campaign {
            Some(c) => c.id,
            None => {
                let id = ((self.shard as u64) << 40) | self.next_campaign;
                self.next_campaign += 1;
                let deadline = ts.saturating_add(self.config.campaign_horizon_ms);
                let c = Campaign {
                    id,
                    tenant_id: tenant_id.into(),
                    lead_id: lead_id.into(),
                    started_ts: ts,
                    deadline,
                    indicator: top,
                    intervention,
                    contacted: false,
                    responses: 0,
                };
                out.events.push(c.event(ts, Milestone::Started));
                memo.campaign = Some(c);
                self.campaigns.push_back((deadline, key, id));
                self.counters.campaigns += 1;
                id
            }
        };
        let mut top_features = [FeatureContribution::default(); TOP_FEATURES];
        snapshot
            .churn
            .logistic()
            .contributions(features, &mut self.scratch);
        top_contributions(&self.scratch, features, &mut top_features);
        out.alert = Some(ChurnAlert {
            event_id: event_id.to_owned(),
            tenant_id: tenant_id.to_owned(),
            lead_id: lead_id.to_owned(),
            event_ts_ms: ts,
            risk_level: risk,
            score: churn,
            previous_level: previous,
            indicators: ranked,
            intervention,
            urgency: alert::urgency(risk, previous),
            intervention_belief: belief,
            campaign_id,
            top_features,
            model_versions: snapshot.versions,
            latency_from_event_ms: None,
            latency_from_receipt_us: None,
        });
        self.counters.alerts += 1;
    }
}

/// Adds one labelled outcome to a lead's own channel evidence.
fn record_arm(arms: &mut [(f32, f32); 4], arm: usize, success: bool) {
    if let Some(a) = arms.get_mut(arm) {
        if success {
            a.0 += 1.0;
        } else {
            a.1 += 1.0;
        }
    }
}

/// Adds one labelled outcome to a lead's own send-hour evidence.
fn record_hour(hours: &mut [(f32, f32); personalize::HOUR_BUCKETS], hour_utc: u8, success: bool) {
    record_arm_slot(hours.get_mut(usize::from(hour_utc) / 3), success);
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

fn end_campaign(c: Campaign, ts: i64, recovered: bool, out: &mut DecisionOutputs) {
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

/// The `TOP_FEATURES` largest contributions by magnitude, without allocating.
fn top_contributions(
    parts: &[f64; N_FEATURES],
    values: &[f64; N_FEATURES],
    out: &mut [FeatureContribution; TOP_FEATURES],
) {
    let mut taken = [usize::MAX; TOP_FEATURES];
    for (k, slot) in out.iter_mut().enumerate() {
        let mut best = None;
        for (i, p) in parts.iter().enumerate() {
            if taken[..k].contains(&i) {
                continue;
            }
            if best.is_none_or(|b: usize| p.abs() > parts[b].abs()) {
                best = Some(i);
            }
        }
        if let Some(i) = best {
            taken[k] = i;
            *slot = FeatureContribution {
                feature: FEATURE_NAMES[i],
                value: values[i],
                contribution: parts[i],
            };
        }
    }
}
