//! Settings of decision making and learning, with documented defaults, checked once.
//!
//! What it is for: the horizons of delayed labels, alerting thresholds and dedup, memory bounds,
//! bandit and retraining settings. Every default is a named `const fn` saying where its value
//! comes from.
//! What it is not: model hyperparameters of the learning core (those keep River's defaults).

use serde::{Deserialize, Serialize};

use super::error::DecideError;
use super::types::RiskLevel;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Response horizon: 48 hours. A touch with no response on its channel by then is a negative
/// label for the response model and the bandits (most opens and replies come within a day; a
/// shorter horizon lets the next touch, typically two days later, learn from the last one).
pub const fn default_response_horizon_ms() -> i64 {
    2 * DAY_MS
}
/// Churn horizon: 14 days. A lead snapshot is labelled churned if the lead unsubscribes or opts
/// out within it, or, having responded within the 14 days before the snapshot, stays silent
/// through it while touched at least twice (a lead that never answered did not leave).
pub const fn default_churn_horizon_ms() -> i64 {
    14 * DAY_MS
}
/// Journey horizon: 14 days, the same snapshot; labelled positive if the stage advanced.
pub const fn default_journey_horizon_ms() -> i64 {
    14 * DAY_MS
}
/// Campaign horizon: 14 days for a retention campaign to re-engage the lead.
pub const fn default_campaign_horizon_ms() -> i64 {
    14 * DAY_MS
}
/// One lead snapshot (churn, journey, persona) per lead per two days at most (up to seven
/// pending per lead over the 14-day horizon).
pub const fn default_snapshot_interval_ms() -> i64 {
    2 * DAY_MS
}
/// At most 200 000 pending labelled snapshots per shard (about 170 MB at 96 features); beyond,
/// the oldest is dropped and counted.
pub const fn default_max_pending() -> usize {
    200_000
}
/// Calibrated churn probability thresholds between the five levels (very low | low | medium |
/// high | critical): 0.04, 0.10, 0.20, 0.35 (set from the simulator's 14-day churn base rate
/// of a few percent, so "critical" is about ten times the base rate).
pub const fn default_risk_thresholds() -> [f64; 4] {
    [0.04, 0.10, 0.20, 0.35]
}
/// The churn model rates leads (and raises alerts) once it has learned from 1000 labelled lead
/// snapshots; before, a lead's churn probability is the smoothed rate of the labels seen so far.
/// An untrained model scores everyone about 0.5, which the default thresholds call critical:
/// without this a fresh engine alerted every lead as critical for the first churn horizon.
pub const fn default_churn_warmup_labels() -> u64 {
    1000
}
/// Alerts from `high` up.
pub const fn default_alert_min_level() -> RiskLevel {
    RiskLevel::High
}
/// A lead gets another alert at the same or a lower level only after 72 hours.
pub const fn default_alert_cooldown_ms() -> i64 {
    3 * DAY_MS
}
/// Population prior strength (pseudo-counts) under one lead's own channel evidence.
pub const fn default_prior_strength() -> f64 {
    1.0
}
/// Per-update discount of the channel and send-time bandits: evidence halves after about
/// 7 000 updates, so a dead channel is noticed within days at simulator rates.
pub const fn default_bandit_discount() -> f64 {
    0.9999
}
/// LinUCB exploration (Li et al. use 0.1 to 1; small because rewards are rare).
pub const fn default_linucb_alpha() -> f64 {
    0.3
}
/// Five personas (the number; the simulator has five).
pub const fn default_personas() -> usize {
    5
}
/// Retrain in the background on drift (off only to measure what it brings).
pub const fn default_retrain_on_drift() -> bool {
    true
}
/// Rolling performance worse than the best seen by more than 5% starts a background model.
pub const fn default_degradation() -> f64 {
    0.05
}
/// Models are published every 256 labelled examples.
pub const fn default_publish_every() -> u64 {
    256
}

/// Decision-making settings as written by the operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideConfig {
    /// See [`default_response_horizon_ms`].
    #[serde(default = "default_response_horizon_ms")]
    pub response_horizon_ms: i64,
    /// See [`default_churn_horizon_ms`].
    #[serde(default = "default_churn_horizon_ms")]
    pub churn_horizon_ms: i64,
    /// See [`default_journey_horizon_ms`].
    #[serde(default = "default_journey_horizon_ms")]
    pub journey_horizon_ms: i64,
    /// See [`default_campaign_horizon_ms`].
    #[serde(default = "default_campaign_horizon_ms")]
    pub campaign_horizon_ms: i64,
    /// See [`default_snapshot_interval_ms`].
    #[serde(default = "default_snapshot_interval_ms")]
    pub snapshot_interval_ms: i64,
    /// See [`default_max_pending`].
    #[serde(default = "default_max_pending")]
    pub max_pending: usize,
    /// See [`default_risk_thresholds`]; must increase strictly within (0, 1).
    #[serde(default = "default_risk_thresholds")]
    pub risk_thresholds: [f64; 4],
    /// See [`default_churn_warmup_labels`]; 0: the model rates leads from the start.
    #[serde(default = "default_churn_warmup_labels")]
    pub churn_warmup_labels: u64,
    /// See [`default_alert_min_level`].
    #[serde(default = "default_alert_min_level")]
    pub alert_min_level: RiskLevel,
    /// See [`default_alert_cooldown_ms`].
    #[serde(default = "default_alert_cooldown_ms")]
    pub alert_cooldown_ms: i64,
    /// See [`default_prior_strength`].
    #[serde(default = "default_prior_strength")]
    pub prior_strength: f64,
    /// See [`default_bandit_discount`].
    #[serde(default = "default_bandit_discount")]
    pub bandit_discount: f64,
    /// See [`default_linucb_alpha`].
    #[serde(default = "default_linucb_alpha")]
    pub linucb_alpha: f64,
    /// See [`default_personas`].
    #[serde(default = "default_personas")]
    pub personas: usize,
    /// See [`default_retrain_on_drift`].
    #[serde(default = "default_retrain_on_drift")]
    pub retrain_on_drift: bool,
    /// See [`default_degradation`].
    #[serde(default = "default_degradation")]
    pub degradation: f64,
    /// See [`default_publish_every`].
    #[serde(default = "default_publish_every")]
    pub publish_every: u64,
}

impl Default for DecideConfig {
    fn default() -> Self {
        Self {
            response_horizon_ms: default_response_horizon_ms(),
            churn_horizon_ms: default_churn_horizon_ms(),
            journey_horizon_ms: default_journey_horizon_ms(),
            campaign_horizon_ms: default_campaign_horizon_ms(),
            snapshot_interval_ms: default_snapshot_interval_ms(),
            max_pending: default_max_pending(),
            risk_thresholds: default_risk_thresholds(),
            churn_warmup_labels: default_churn_warmup_labels(),
            alert_min_level: default_alert_min_level(),
            alert_cooldown_ms: default_alert_cooldown_ms(),
            prior_strength: default_prior_strength(),
            bandit_discount: default_bandit_discount(),
            linucb_alpha: default_linucb_alpha(),
            personas: default_personas(),
            retrain_on_drift: default_retrain_on_drift(),
            degradation: default_degradation(),
            publish_every: default_publish_every(),
        }
    }
}

impl DecideConfig {
    /// Checks every setting; the deciders and learner assume a validated config (and clamp
    /// anything out of range rather than fail).
    ///
    /// # Errors
    /// [`DecideError::Invalid`] naming the first bad setting.
    pub fn validate(&self) -> Result<(), DecideError> {
        let bad = |field: &'static str, value: String, reason: &'static str| {
            Err(DecideError::Invalid {
                field,
                value,
                reason,
            })
        };
        for (field, v) in [
            ("response_horizon_ms", self.response_horizon_ms),
            ("churn_horizon_ms", self.churn_horizon_ms),
            ("journey_horizon_ms", self.journey_horizon_ms),
            ("campaign_horizon_ms", self.campaign_horizon_ms),
            ("snapshot_interval_ms", self.snapshot_interval_ms),
            ("alert_cooldown_ms", self.alert_cooldown_ms),
        ] {
            if v <= 0 {
                return bad(field, v.to_string(), "must be > 0");
            }
        }
        if self.max_pending == 0 || self.max_pending > 50_000_000 {
            return bad(
                "max_pending",
                self.max_pending.to_string(),
                "must be in 1..=50000000",
            );
        }
        let t = self.risk_thresholds;
        if !(t[0] > 0.0 && t[0] < t[1] && t[1] < t[2] && t[2] < t[3] && t[3] < 1.0) {
            return bad(
                "risk_thresholds",
                format!("{t:?}"),
                "must increase strictly within (0, 1)",
            );
        }
        if !(self.prior_strength.is_finite() && self.prior_strength > 0.0) {
            return bad(
                "prior_strength",
                self.prior_strength.to_string(),
                "must be > 0",
            );
        }
        if !(self.bandit_discount > 0.0 && self.bandit_discount <= 1.0) {
            return bad(
                "bandit_discount",
                self.bandit_discount.to_string(),
                "must be in (0, 1]",
            );
        }
        if !(self.linucb_alpha.is_finite() && self.linucb_alpha >= 0.0) {
            return bad(
                "linucb_alpha",
                self.linucb_alpha.to_string(),
                "must be >= 0",
            );
        }
        if !(1..=16).contains(&self.personas) {
            return bad("personas", self.personas.to_string(), "must be in 1..=16");
        }
        if !(self.degradation.is_finite() && self.degradation > 0.0) {
            return bad("degradation", self.degradation.to_string(), "must be > 0");
        }
        if self.publish_every == 0 {
            return bad("publish_every", "0".into(), "must be > 0");
        }
        Ok(())
    }

    /// The risk level of a calibrated churn probability.
    pub fn risk_level(&self, p: f64) -> RiskLevel {
        let level = self.risk_thresholds.iter().filter(|&&t| p >= t).count();
        RiskLevel::from_index(level)
    }
}
