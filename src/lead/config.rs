//! Settings of lead state: out-of-order tolerance and decay half-lives, checked once.
//!
//! What it is for: a [`LeadConfig`] the operator writes, turned into [`LeadParams`] (validated,
//! with decay rates precomputed) that the update path uses without further checks.
//! What it is not: per-lead data.

use super::error::LeadConfigError;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Default out-of-order tolerance: 10 minutes, about the worst reordering expected across Kafka
/// partitions and producer retries for one lead's events.
pub const fn default_late_tolerance_ms() -> i64 {
    10 * 60 * 1_000
}

/// Default half-life of per-channel engagement counts: 7 days (a week of silence halves them;
/// nurture cadences are weekly).
pub const fn default_channel_half_life_ms() -> i64 {
    7 * DAY_MS
}

/// Default half-life of per-action counts and the emotion histogram: 14 days (buying journeys
/// run for months; two weeks keeps a month of history visible).
pub const fn default_action_half_life_ms() -> i64 {
    14 * DAY_MS
}

/// Lead state settings as written by the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadConfig {
    /// Events at most this much older than the lead's newest event are still applied
    /// (default [`default_late_tolerance_ms`]); older ones are counted and dropped.
    #[serde(default = "default_late_tolerance_ms")]
    pub late_tolerance_ms: i64,
    /// Half-life of per-channel touch and response counts (default
    /// [`default_channel_half_life_ms`]).
    #[serde(default = "default_channel_half_life_ms")]
    pub channel_half_life_ms: i64,
    /// Half-life of per-action counts and the emotion histogram (default
    /// [`default_action_half_life_ms`]).
    #[serde(default = "default_action_half_life_ms")]
    pub action_half_life_ms: i64,
}

impl Default for LeadConfig {
    fn default() -> Self {
        Self {
            late_tolerance_ms: default_late_tolerance_ms(),
            channel_half_life_ms: default_channel_half_life_ms(),
            action_half_life_ms: default_action_half_life_ms(),
        }
    }
}

impl LeadConfig {
    /// Validates the settings and precomputes decay rates.
    ///
    /// # Errors
    /// [`LeadConfigError`] if the tolerance is negative or a half-life is not positive.
    pub fn build(&self) -> Result<LeadParams, LeadConfigError> {
        if self.late_tolerance_ms < 0 {
            return Err(LeadConfigError::Invalid {
                field: "late_tolerance_ms",
                value: self.late_tolerance_ms,
                reason: "must be >= 0",
            });
        }
        for (field, value) in [
            ("channel_half_life_ms", self.channel_half_life_ms),
            ("action_half_life_ms", self.action_half_life_ms),
        ] {
            if value <= 0 {
                return Err(LeadConfigError::Invalid {
                    field,
                    value,
                    reason: "must be > 0",
                });
            }
        }
        Ok(LeadParams {
            config: *self,
            channel_rate: std::f64::consts::LN_2 / self.channel_half_life_ms as f64,
            action_rate: std::f64::consts::LN_2 / self.action_half_life_ms as f64,
        })
    }
}

/// Checked settings with precomputed decay rates (per millisecond).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeadParams {
    config: LeadConfig,
    channel_rate: f64,
    action_rate: f64,
}

impl Default for LeadParams {
    fn default() -> Self {
        let config = LeadConfig::default();
        Self {
            config,
            channel_rate: std::f64::consts::LN_2 / config.channel_half_life_ms as f64,
            action_rate: std::f64::consts::LN_2 / config.action_half_life_ms as f64,
        }
    }
}

/// Multipliers that decay counts over one time step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DecayFactors {
    pub(crate) channel: f32,
    pub(crate) action: f32,
}

impl LeadParams {
    /// The settings these params were built from.
    pub const fn config(&self) -> LeadConfig {
        self.config
    }

    /// The out-of-order tolerance in milliseconds.
    pub const fn late_tolerance_ms(&self) -> i64 {
        self.config.late_tolerance_ms
    }

    /// Decay multipliers for a step of `dt_ms` (`<= 0` gives 1: no decay, never growth).
    pub(crate) fn decay(&self, dt_ms: i64) -> DecayFactors {
        if dt_ms <= 0 {
            return DecayFactors {
                channel: 1.0,
                action: 1.0,
            };
        }
        let dt = dt_ms as f64;
        DecayFactors {
            channel: (-self.channel_rate * dt).exp() as f32,
            action: (-self.action_rate * dt).exp() as f32,
        }
    }
}
