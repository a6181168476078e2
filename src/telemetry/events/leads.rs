//! Lead events: churn alerts by risk level, interventions, emotions of messages, journey-stage
//! distribution, campaign milestones and the size of lead state.
//!
//! What it is for: the instrumentation API of `src/decide` and of the shard workers.
//! What it is not: a per-lead record. No label ever carries a lead id; labels are risk levels
//! ([`RiskLevel`]) or `&'static str` names fixed in code.

use super::TelemetryEvent;
use crate::telemetry::labels::RiskLevel;
use crate::telemetry::names;

/// `count` churn alerts at `level` were emitted.
#[derive(Debug, Clone, Copy)]
pub struct ChurnAlertsEmitted {
    /// The risk level.
    pub level: RiskLevel,
    /// How many alerts.
    pub count: u64,
}

impl TelemetryEvent for ChurnAlertsEmitted {
    fn emit(self) {
        metrics::counter!(names::CHURN_ALERTS, "risk_level" => self.level.as_str())
            .increment(self.count);
    }
}

/// What a shard's decider discarded since its last report: alerts deduplicated away, open
/// decisions dropped before their outcome was known, leads forgotten on revocation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecisionMemoryDiscarded {
    /// Churn alerts suppressed by the per-lead cooldown.
    pub alerts_deduplicated: u64,
    /// Open touches dropped because a lead had too many.
    pub touches_dropped: u64,
    /// Open lead snapshots dropped because a lead had too many.
    pub snapshots_dropped: u64,
    /// Leads forgotten because their partitions were revoked.
    pub leads_forgotten: u64,
}

impl DecisionMemoryDiscarded {
    /// Registers every series at zero (a shard's first report), so dashboards show 0.
    pub fn start_at_zero() {
        Self::default().record();
    }

    /// Whether there is anything to report.
    pub const fn is_empty(&self) -> bool {
        self.alerts_deduplicated == 0
            && self.touches_dropped == 0
            && self.snapshots_dropped == 0
            && self.leads_forgotten == 0
    }

    fn record(self) {
        metrics::counter!(names::ALERTS_DEDUPLICATED).increment(self.alerts_deduplicated);
        metrics::counter!(names::PENDING_LABELS_DROPPED, "kind" => "touch")
            .increment(self.touches_dropped);
        metrics::counter!(names::PENDING_LABELS_DROPPED, "kind" => "snapshot")
            .increment(self.snapshots_dropped);
        metrics::counter!(names::LEADS_FORGOTTEN).increment(self.leads_forgotten);
    }
}

impl TelemetryEvent for DecisionMemoryDiscarded {
    fn emit(self) {
        if !self.is_empty() {
            self.record();
        }
    }
}

/// `count` interventions of one type and urgency were recommended.
#[derive(Debug, Clone, Copy)]
pub struct InterventionsRecommended {
    /// The intervention type (e.g. "personal_call").
    pub intervention: &'static str,
    /// The urgency level (e.g. "high").
    pub urgency: &'static str,
    /// How many.
    pub count: u64,
}

impl TelemetryEvent for InterventionsRecommended {
    fn emit(self) {
        metrics::counter!(
            names::INTERVENTIONS,
            "intervention" => self.intervention,
            "urgency" => self.urgency
        )
        .increment(self.count);
    }
}

/// `count` inbound messages were classified as `emotion`.
#[derive(Debug, Clone, Copy)]
pub struct MessageEmotions {
    /// The emotional state (e.g. "frustrated").
    pub emotion: &'static str,
    /// How many messages.
    pub count: u64,
}

impl TelemetryEvent for MessageEmotions {
    fn emit(self) {
        metrics::counter!(names::MESSAGE_EMOTIONS, "emotion" => self.emotion).increment(self.count);
    }
}

/// `leads` tracked leads are currently in journey stage `stage` (a gauge: emit the current
/// count of every stage periodically).
#[derive(Debug, Clone, Copy)]
pub struct JourneyStageLeads {
    /// The stage (e.g. "nurture").
    pub stage: &'static str,
    /// Leads in that stage now.
    pub leads: u64,
}

impl TelemetryEvent for JourneyStageLeads {
    fn emit(self) {
        metrics::gauge!(names::LEADS_BY_JOURNEY_STAGE, "journey_stage" => self.stage)
            .set(self.leads as f64);
    }
}

/// `count` retention campaigns reached `milestone`.
#[derive(Debug, Clone, Copy)]
pub struct CampaignMilestones {
    /// The milestone ("started", "contacted", "responded", "reengaged", "recovered", "lost").
    pub milestone: &'static str,
    /// How many campaigns.
    pub count: u64,
}

impl TelemetryEvent for CampaignMilestones {
    fn emit(self) {
        metrics::counter!(names::CAMPAIGN_MILESTONES, "milestone" => self.milestone)
            .increment(self.count);
    }
}

/// How much lead state is held (a gauge: the pipeline sums its shards and emits the total).
#[derive(Debug, Clone, Copy)]
pub struct LeadStateSize {
    /// Leads held in memory.
    pub active_leads: u64,
    /// Estimated bytes held by their state.
    pub memory_bytes: u64,
}

impl TelemetryEvent for LeadStateSize {
    fn emit(self) {
        metrics::gauge!(names::ACTIVE_LEADS).set(self.active_leads as f64);
        metrics::gauge!(names::LEAD_STATE_MEMORY).set(self.memory_bytes as f64);
    }
}

/// Persisted lead state was restored: `leads` states in `seconds`.
#[derive(Debug, Clone, Copy)]
pub struct LeadStateRestored {
    /// States restored.
    pub leads: u64,
    /// Time taken to read and decode them.
    pub seconds: f64,
}

impl TelemetryEvent for LeadStateRestored {
    fn emit(self) {
        metrics::counter!(names::LEADS_RESTORED).increment(self.leads);
        metrics::histogram!(names::LEAD_RESTORE_DURATION).record(self.seconds);
    }
}

/// `count` lead-state changelog records were produced.
#[derive(Debug, Clone, Copy)]
pub struct ChangelogRecordsProduced {
    /// How many.
    pub count: u64,
}

impl TelemetryEvent for ChangelogRecordsProduced {
    fn emit(self) {
        metrics::counter!(names::CHANGELOG_RECORDS).increment(self.count);
    }
}

/// The latest lead-state snapshot did not load (or was missing) and the previous one was used.
#[derive(Debug, Clone, Copy)]
pub struct LeadSnapshotFallback {
    /// Why (`corrupted`, `missing`).
    pub reason: &'static str,
}

impl LeadSnapshotFallback {
    /// Registers the series at zero (a start with a state directory), so dashboards show 0.
    pub fn start_at_zero() {
        for reason in ["corrupted", "missing"] {
            metrics::counter!(names::LEAD_SNAPSHOT_FALLBACKS, "reason" => reason).increment(0);
        }
    }
}

impl TelemetryEvent for LeadSnapshotFallback {
    fn emit(self) {
        metrics::counter!(names::LEAD_SNAPSHOT_FALLBACKS, "reason" => self.reason).increment(1);
    }
}
