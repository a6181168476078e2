//! Per-batch counters: count locally while processing a batch, emit once at its end.
//!
//! What it is for: keeping metric calls out of the per-record path (STYLE rule 5). A worker
//! owns one [`PipelineBatch`], [`LeadBatch`] and [`LatencyBatch`], bumps plain integers per
//! record, and calls `flush()` after each batch (or every few milliseconds); a flush emits the
//! typed events and resets the counts, keeping allocations for the next batch.
//! What it is not: thread-safe; each worker has its own.
//!
//! # Examples
//! ```
//! use leadstream::telemetry::{PipelineBatch, labels::{RiskLevel, Source}};
//!
//! let mut batch = PipelineBatch::new(Source::Kafka);
//! for _ in 0..3 {
//!     batch.consumed(1);
//!     batch.decoded(1);
//!     batch.decision();
//! }
//! batch.rejected("malformed_json");
//! batch.alert(RiskLevel::High);
//! assert_eq!(batch.pending(), 3 + 3 + 3 + 1 + 1);
//! batch.flush();
//! assert_eq!(batch.pending(), 0);
//! ```

use std::time::Duration;

use super::events::{
    BanditArmsSelected, CampaignMilestones, ChurnAlertsEmitted, DeadLettered, DecisionsEmitted,
    EventsConsumed, EventsDecoded, EventsRejected, InterventionsRecommended, LatencyMetric,
    MessageEmotions, TelemetryEvent,
};
use super::labels::{RiskLevel, Source, Stage};
use super::latency::LatencyHistogram;

/// Counts per label value (a short list searched linearly: label sets are small and bounded).
/// It allocates only the first time a value is seen.
#[derive(Debug, Clone, Default)]
pub struct LabelCounts<K> {
    entries: Vec<(K, u64)>,
}

impl<K: Copy + Eq> LabelCounts<K> {
    /// An empty set of counts.
    pub fn new() -> Self {
        Self {
            entries: Vec::new(),
        }
    }

    /// Adds `n` to the count of `key`.
    pub fn add(&mut self, key: K, n: u64) {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, c)) => *c += n,
            None => self.entries.push((key, n)),
        }
    }

    /// The current count of `key`.
    pub fn get(&self, key: K) -> u64 {
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0, |(_, c)| *c)
    }

    /// Sum of all counts.
    pub fn total(&self) -> u64 {
        self.entries.iter().map(|(_, c)| c).sum()
    }

    /// Calls `f` with every non-zero count and resets them to zero (keys are kept, so the next
    /// batch does not allocate).
    pub fn drain_nonzero(&mut self, mut f: impl FnMut(K, u64)) {
        for (k, c) in &mut self.entries {
            if *c > 0 {
                f(*k, *c);
                *c = 0;
            }
        }
    }
}

/// Pipeline counts of one batch: consumed, decoded, rejected by reason, decisions, alerts by
/// risk level, dead letters.
#[derive(Debug, Clone)]
pub struct PipelineBatch {
    source: Source,
    consumed: u64,
    decoded: u64,
    decisions: u64,
    dead_letters: u64,
    rejected: LabelCounts<&'static str>,
    alerts: [u64; 5],
}

impl PipelineBatch {
    /// Empty counts for events from `source`.
    pub fn new(source: Source) -> Self {
        Self {
            source,
            consumed: 0,
            decoded: 0,
            decisions: 0,
            dead_letters: 0,
            rejected: LabelCounts::new(),
            alerts: [0; 5],
        }
    }

    /// `n` events were read.
    pub fn consumed(&mut self, n: u64) {
        self.consumed += n;
    }

    /// `n` events were decoded.
    pub fn decoded(&mut self, n: u64) {
        self.decoded += n;
    }

    /// One event was rejected for `reason` (`DecodeError::reason`).
    pub fn rejected(&mut self, reason: &'static str) {
        self.rejected.add(reason, 1);
    }

    /// One decision was emitted.
    pub fn decision(&mut self) {
        self.decisions += 1;
    }

    /// One churn alert at `level` was emitted.
    pub fn alert(&mut self, level: RiskLevel) {
        // RiskLevel::ALL lists the 5 levels in order, so the index is in range.
        if let Some(slot) = RiskLevel::ALL
            .iter()
            .position(|l| *l == level)
            .and_then(|i| self.alerts.get_mut(i))
        {
            *slot += 1;
        }
    }

    /// One record went to the dead-letter sink.
    pub fn dead_letter(&mut self) {
        self.dead_letters += 1;
    }

    /// Everything counted since the last flush (all kinds added up).
    pub fn pending(&self) -> u64 {
        self.consumed
            + self.decoded
            + self.decisions
            + self.dead_letters
            + self.rejected.total()
            + self.alerts.iter().sum::<u64>()
    }

    /// Emits the counts and resets them. Zero counts are not emitted.
    pub fn flush(&mut self) {
        if self.consumed > 0 {
            EventsConsumed {
                source: self.source,
                count: self.consumed,
            }
            .emit();
        }
        if self.decoded > 0 {
            EventsDecoded {
                count: self.decoded,
            }
            .emit();
        }
        if self.decisions > 0 {
            DecisionsEmitted {
                count: self.decisions,
            }
            .emit();
        }
        if self.dead_letters > 0 {
            DeadLettered {
                count: self.dead_letters,
            }
            .emit();
        }
        self.rejected
            .drain_nonzero(|reason, count| EventsRejected { reason, count }.emit());
        for (level, count) in RiskLevel::ALL.iter().zip(self.alerts.iter_mut()) {
            if *count > 0 {
                ChurnAlertsEmitted {
                    level: *level,
                    count: *count,
                }
                .emit();
                *count = 0;
            }
        }
        self.consumed = 0;
        self.decoded = 0;
        self.decisions = 0;
        self.dead_letters = 0;
    }
}

/// Lead and model counts of one batch: emotions of messages, interventions, campaign
/// milestones, bandit arm selections.
#[derive(Debug, Clone, Default)]
pub struct LeadBatch {
    emotions: LabelCounts<&'static str>,
    interventions: LabelCounts<(&'static str, &'static str)>,
    milestones: LabelCounts<&'static str>,
    arms: LabelCounts<(&'static str, &'static str)>,
}

impl LeadBatch {
    /// Empty counts.
    pub fn new() -> Self {
        Self::default()
    }

    /// One inbound message was classified as `emotion`.
    pub fn emotion(&mut self, emotion: &'static str) {
        self.emotions.add(emotion, 1);
    }

    /// One intervention of type `intervention` at `urgency` was recommended.
    pub fn intervention(&mut self, intervention: &'static str, urgency: &'static str) {
        self.interventions.add((intervention, urgency), 1);
    }

    /// One retention campaign reached `milestone`.
    pub fn milestone(&mut self, milestone: &'static str) {
        self.milestones.add(milestone, 1);
    }

    /// Bandit `bandit` chose `arm` once.
    pub fn arm_selected(&mut self, bandit: &'static str, arm: &'static str) {
        self.arms.add((bandit, arm), 1);
    }

    /// Everything counted since the last flush.
    pub fn pending(&self) -> u64 {
        self.emotions.total()
            + self.interventions.total()
            + self.milestones.total()
            + self.arms.total()
    }

    /// Emits the counts and resets them.
    pub fn flush(&mut self) {
        self.emotions
            .drain_nonzero(|emotion, count| MessageEmotions { emotion, count }.emit());
        self.interventions
            .drain_nonzero(|(intervention, urgency), count| {
                InterventionsRecommended {
                    intervention,
                    urgency,
                    count,
                }
                .emit()
            });
        self.milestones
            .drain_nonzero(|milestone, count| CampaignMilestones { milestone, count }.emit());
        self.arms
            .drain_nonzero(|(bandit, arm), count| BanditArmsSelected { bandit, arm, count }.emit());
    }
}

/// Per-event latencies of one batch, aggregated in local HdrHistograms (2 significant digits,
/// finer than the exported buckets) and emitted as one observation per distinct value.
#[derive(Debug, Clone)]
pub struct LatencyBatch {
    stages: Vec<LatencyHistogram>,
    event_to_decision: LatencyHistogram,
    receipt_to_decision: LatencyHistogram,
}

impl Default for LatencyBatch {
    fn default() -> Self {
        Self::new()
    }
}

fn batch_histogram() -> LatencyHistogram {
    // Constant, valid bounds: construction cannot fail; fall back to the default if it did.
    LatencyHistogram::with_bounds(super::latency::DEFAULT_MAX_NS, 2).unwrap_or_default()
}

impl LatencyBatch {
    /// Empty histograms for every stage and both end-to-end latencies.
    pub fn new() -> Self {
        Self {
            stages: Stage::ALL.iter().map(|_| batch_histogram()).collect(),
            event_to_decision: batch_histogram(),
            receipt_to_decision: batch_histogram(),
        }
    }

    fn stage_mut(&mut self, stage: Stage) -> Option<&mut LatencyHistogram> {
        let i = Stage::ALL.iter().position(|s| *s == stage)?;
        self.stages.get_mut(i)
    }

    /// One event spent `d` in `stage`.
    pub fn stage(&mut self, stage: Stage, d: Duration) {
        if let Some(h) = self.stage_mut(stage) {
            h.record(d);
        }
    }

    /// One event's decision came `d` after the event's own timestamp.
    pub fn event_to_decision(&mut self, d: Duration) {
        self.event_to_decision.record(d);
    }

    /// One event's decision came `d` after the engine received it.
    pub fn receipt_to_decision(&mut self, d: Duration) {
        self.receipt_to_decision.record(d);
    }

    /// Number of observations since the last flush.
    pub fn pending(&self) -> u64 {
        self.stages.iter().map(LatencyHistogram::len).sum::<u64>()
            + self.event_to_decision.len()
            + self.receipt_to_decision.len()
    }

    /// Emits every observation into the Prometheus histograms and clears the local ones.
    pub fn flush(&mut self) {
        for (stage, h) in Stage::ALL.iter().zip(self.stages.iter_mut()) {
            flush_one(h, LatencyMetric::Stage(*stage));
        }
        flush_one(&mut self.event_to_decision, LatencyMetric::EventToDecision);
        flush_one(
            &mut self.receipt_to_decision,
            LatencyMetric::ReceiptToDecision,
        );
    }
}

fn flush_one(h: &mut LatencyHistogram, metric: LatencyMetric) {
    if h.is_empty() {
        return;
    }
    // One registry lookup per histogram and flush, then one record per distinct value.
    let handle = metric.handle();
    for (ns, count) in h.recorded() {
        handle.record_many(
            ns as f64 * 1e-9,
            usize::try_from(count).unwrap_or(usize::MAX),
        );
    }
    h.clear();
}
