//! The per-shard decider: joins delayed labels for its leads and makes a decision (and, when
//! risk is high enough, an alert) for every lead event, with the latest model snapshot.
//!
//! What it is for: the single-threaded half of decision making, owned by one shard worker next
//! to its lead store. It keeps, per lead, the feature snapshots taken at decision time (bounded,
//! see `pending`), turns outcomes (or their absence by the horizon) into [`LabelledExample`]s
//! for the learner (label joining lives in `labels`), tracks retention campaigns and
//! deduplicates alerts.
//! What it is not: learning (see `learner`) or lead state (the caller applies the event to the
//! lead's state and extracts features before calling [`ShardDecider::on_event`]).
//!
//! Labels (horizons in [`DecideConfig`]):
//! - response: an email, SMS or video sent opens a pending touch; a response on the same channel
//!   (open, click, reply; SMS reply; video view) closes the lead's oldest open touch on it as
//!   positive; the horizon closes it as negative. A completed call is an immediate positive for
//!   the call channel, a voicemail an immediate negative.
//! - churn and journey: at most one lead snapshot per `snapshot_interval_ms`; positive churn if
//!   the lead unsubscribes or opts out before the horizon (labelled at once), or if a lead that
//!   had responded before the snapshot is silent at the horizon for at least 7 days and was
//!   touched at least twice in that silence (silent churn, see `labels`); a won deal
//!   labels it at once as not churned and progressed; otherwise at the horizon, progressed if
//!   the stage advanced.

use std::hash::{BuildHasher, Hasher};

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use rustc_hash::FxHashMap;

use crate::event::{Event, EventType};
use crate::lead::{LeadState, FEATURE_NAMES, N_FEATURES};

use super::alert;
use super::campaign::Campaign;
use super::config::DecideConfig;
use super::example::LabelledExample;
use super::indicators::{self, N_INDICATORS};
use super::labels::{end_campaign, LeadMemo, PendingLead, PendingTouch};
use super::pending::PendingSlab;
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
    /// The identifiers of the last decision (event, tenant, lead), kept by [`clear`](Self::clear)
    /// for the next one to write into: three allocations and frees fewer per event.
    spare_ids: [String; 3],
}

impl DecisionOutputs {
    /// Empties the outputs, keeping their allocations.
    pub fn clear(&mut self) {
        if let Some(d) = self.decision.take() {
            self.spare_ids = [d.event_id, d.tenant_id, d.lead_id];
        }
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
    /// Leads forgotten because their partitions were revoked.
    pub leads_forgotten: u64,
}

/// A fixed-key SipHash of (tenant, lead): the per-lead memory is keyed by this 64-bit hash (a
/// collision between two leads of one shard has probability about n^2 / 2^65).
pub(super) fn lead_key(tenant_id: &str, lead_id: &str) -> u64 {
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
    pub(super) models: ModelReader,
    pub(super) config: DecideConfig,
    pub(super) shard: usize,
    pub(super) rng: Pcg64Mcg,
    pub(super) leads: FxHashMap<u64, LeadMemo>,
    pub(super) touches: PendingSlab<PendingTouch>,
    pub(super) snapshots: PendingSlab<PendingLead>,
    pub(super) campaigns: std::collections::VecDeque<(i64, u64, u64)>,
    pub(super) next_campaign: u64,
    pub(super) counters: DeciderCounters,
    pub(super) scratch: [f64; N_FEATURES],
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
        let point = self.persona_point_by_key(key, state);
        let persona = snapshot
            .personas
            .is_seeded()
            .then(|| snapshot.personas.predict_one(&point) as u8);
        let context = personalize::variant_context(persona, state);
        self.leads.entry(key).or_insert_with(LeadMemo::new);
        self.join_labels(
            key,
            tenant_id,
            lead_id,
            event,
            features,
            persona,
            &context,
            state.utc_offset_min(),
            out,
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
        let point = self.persona_point_by_key(key, state);
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
        let folded = &snapshot.folded;
        // A churn model still warming up does not rate leads: the rate of its labels so far
        // does (an untrained model says about 0.5 for everyone), and it raises no alert.
        let churn_ready = snapshot.churn.labels_learned() >= self.config.churn_warmup_labels;
        let churn = if churn_ready {
            folded.churn(&snapshot.churn, features)
        } else {
            snapshot.churn.base_rate()
        };
        let risk = self.config.risk_level(churn);
        let progression = folded.journey.probability(features);
        let mut response = [0.0; 4];
        for (arm, p) in response.iter_mut().enumerate() {
            *p = folded.response(arm, features);
        }
        let mask = personalize::channel_mask(state);
        let strength = self.config.prior_strength;
        let (arms, hours) = self.leads.get(&key).map_or(
            ([(0.0, 0.0); 4], [(0.0, 0.0); personalize::HOUR_BUCKETS]),
            |m| {
                let (mut arms, mut hours) =
                    (personalize::channel_evidence(m.arms, m.unprompted), m.hours);
                self.add_unanswered(m, ts, &mut arms, &mut hours);
                (arms, hours)
            },
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
        let send = personalize::choose_send_time(
            snapshot,
            persona,
            &hours,
            strength,
            ts,
            state.utc_offset_min(),
            &mut self.rng,
        );
        let mut top_features = [FeatureContribution::default(); TOP_FEATURES];
        if let Some(model) = folded.response.get(arm) {
            model.contributions(features, &mut self.scratch);
            top_contributions(&self.scratch, features, &mut top_features);
        }
        let contactable = mask != 0;
        let [mut event_id_owned, mut tenant_id_owned, mut lead_id_owned] =
            std::mem::take(&mut out.spare_ids);
        for (owned, id) in [
            (&mut event_id_owned, event_id),
            (&mut tenant_id_owned, tenant_id),
            (&mut lead_id_owned, lead_id),
        ] {
            owned.clear();
            owned.push_str(id);
        }
        out.decision = Some(Decision {
            event_id: event_id_owned,
            tenant_id: tenant_id_owned,
            lead_id: lead_id_owned,
            event_ts_ms: ts,
            channel: CONTACT_CHANNELS[arm.min(3)],
            contactable,
            send_at_ms: send.at_ms,
            send_hour_utc: send.hour_utc,
            send_local_hour_of_week: send.local_hour_of_week,
            utc_offset_minutes: state.utc_offset_min(),
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
                send_time: send.belief,
            },
            model_versions: snapshot.versions,
            latency_from_event_ms: None,
            latency_from_receipt_us: None,
        });
        self.counters.decisions += 1;
        let alertable = !event_id.is_empty()
            && churn_ready
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
        } else if risk <= RiskLevel::Low && !event_id.is_empty() {
            // A campaign whose lead re-engaged and is back to low risk is recovered (on an
            // event: `decide_now` has no outputs to carry the campaign's end).
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
            .folded
            .churn_logistic
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

/// The `TOP_FEATURES` largest contributions by magnitude, without allocating: one pass keeping
/// the leaders sorted (on equal magnitudes the lower index ranks first, as repeated selection of
/// the strict maximum would; this runs for every decision, so it must not rescan the features
/// once per place). Once the leaders are set, a block of features none of which beats the last
/// leader is skipped whole (one branch per block instead of one unpredictable branch per
/// feature).
fn top_contributions(
    parts: &[f64; N_FEATURES],
    values: &[f64; N_FEATURES],
    out: &mut [FeatureContribution; TOP_FEATURES],
) {
    const BLOCK: usize = 8;
    let mut top = [0usize; TOP_FEATURES];
    let mut magnitude = [0.0f64; TOP_FEATURES];
    let mut filled = 0;
    for (block, chunk) in parts.chunks(BLOCK).enumerate() {
        if filled == TOP_FEATURES {
            // The per-feature test below, for the whole block at once (without short-circuit,
            // so it compiles to vector compares; NaN beats nothing in either).
            let last = magnitude[TOP_FEATURES - 1];
            let any_beats = chunk.iter().fold(false, |any, p| any | (p.abs() > last));
            if !any_beats {
                continue;
            }
        }
        for (k, p) in chunk.iter().enumerate() {
            let i = block * BLOCK + k;
            let m = p.abs();
            // The common case once the leaders are set: not among them (NaN never is).
            let beats_last = m > magnitude[TOP_FEATURES - 1];
            if filled == TOP_FEATURES && !beats_last {
                continue;
            }
            let at = (0..filled).find(|&j| m > magnitude[j]).unwrap_or(filled);
            if at >= TOP_FEATURES {
                continue;
            }
            let last = filled.min(TOP_FEATURES - 1);
            top.copy_within(at..last, at + 1);
            magnitude.copy_within(at..last, at + 1);
            top[at] = i;
            magnitude[at] = m;
            filled = (filled + 1).min(TOP_FEATURES);
        }
    }
    for (slot, &i) in out.iter_mut().zip(&top[..filled]) {
        *slot = FeatureContribution {
            feature: FEATURE_NAMES[i],
            value: values[i],
            contribution: parts[i],
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    /// The previous implementation (selection of the strict maximum, once per place).
    fn reference(
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

    #[test]
    fn top_contributions_match_repeated_selection() {
        let mut rng = Pcg64Mcg::seed_from_u64(7);
        for round in 0..2000 {
            let mut parts = [0.0; N_FEATURES];
            let mut values = [0.0; N_FEATURES];
            for (p, v) in parts.iter_mut().zip(values.iter_mut()) {
                // Some rounds draw from few distinct magnitudes, so ties are common.
                *p = if round % 3 == 0 {
                    f64::from(rng.random_range(-3i32..=3))
                } else {
                    rng.random_range(-5.0..5.0)
                };
                *v = rng.random_range(0.0..1.0);
            }
            let (mut ours, mut theirs) = (
                [FeatureContribution::default(); TOP_FEATURES],
                [FeatureContribution::default(); TOP_FEATURES],
            );
            top_contributions(&parts, &values, &mut ours);
            reference(&parts, &values, &mut theirs);
            assert_eq!(ours, theirs, "round {round}");
        }
    }
}
