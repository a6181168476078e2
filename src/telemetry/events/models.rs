//! Model events: rolling performance, samples learned, drift, retraining, versions and bandit
//! arm selections.
//!
//! What it is for: the instrumentation API of the learners' owners (`src/decide`, the pipeline's
//! learner threads).
//! What it is not: the metrics computation itself (see `crate::learn::metrics`).
//!
//! `model`, `detector`, `reason`, `bandit` and `arm` are `&'static str`: names fixed in code,
//! so their value sets are bounded.

use super::TelemetryEvent;
use crate::telemetry::names;

/// A model's rolling prequential scores. `None` leaves a score unchanged (e.g. AUC before both
/// classes were seen).
#[derive(Debug, Clone, Copy)]
pub struct ModelPerformance {
    /// The model's name (e.g. "churn").
    pub model: &'static str,
    /// Rolling accuracy, 0 to 1.
    pub accuracy: Option<f64>,
    /// Rolling log loss, nats.
    pub log_loss: Option<f64>,
    /// Rolling ROC AUC, 0 to 1.
    pub roc_auc: Option<f64>,
}

impl TelemetryEvent for ModelPerformance {
    fn emit(self) {
        let model = self.model;
        if let Some(v) = self.accuracy {
            metrics::gauge!(names::MODEL_ACCURACY, "model" => model).set(v);
        }
        if let Some(v) = self.log_loss {
            metrics::gauge!(names::MODEL_LOG_LOSS, "model" => model).set(v);
        }
        if let Some(v) = self.roc_auc {
            metrics::gauge!(names::MODEL_ROC_AUC, "model" => model).set(v);
        }
    }
}

/// A model learned from `count` labelled samples.
#[derive(Debug, Clone, Copy)]
pub struct SamplesLearned {
    /// The model's name.
    pub model: &'static str,
    /// How many samples.
    pub count: u64,
}

impl TelemetryEvent for SamplesLearned {
    fn emit(self) {
        metrics::counter!(names::MODEL_SAMPLES_LEARNED, "model" => self.model)
            .increment(self.count);
    }
}

/// A drift detector fired on a model's error stream.
#[derive(Debug, Clone, Copy)]
pub struct DriftDetected {
    /// The model's name.
    pub model: &'static str,
    /// The detector ("adwin", "page_hinkley").
    pub detector: &'static str,
}

impl TelemetryEvent for DriftDetected {
    fn emit(self) {
        metrics::counter!(
            names::MODEL_DRIFT_DETECTIONS,
            "model" => self.model,
            "detector" => self.detector
        )
        .increment(1);
    }
}

impl DriftDetected {
    /// Creates this series at zero without counting a detection (call at start-up for every
    /// model and detector in use, so `increase()` has data before the first drift).
    pub fn start_at_zero(self) {
        metrics::counter!(
            names::MODEL_DRIFT_DETECTIONS,
            "model" => self.model,
            "detector" => self.detector
        )
        .increment(0);
    }
}

/// A retrained model replaced the serving one, which is now at `version`.
#[derive(Debug, Clone, Copy)]
pub struct ModelRetrained {
    /// The model's name.
    pub model: &'static str,
    /// Why ("drift" or "degradation").
    pub reason: &'static str,
    /// The new serving version.
    pub version: u64,
}

impl TelemetryEvent for ModelRetrained {
    fn emit(self) {
        metrics::counter!(
            names::MODEL_RETRAININGS,
            "model" => self.model,
            "reason" => self.reason
        )
        .increment(1);
        ModelVersion {
            model: self.model,
            version: self.version,
        }
        .emit();
    }
}

impl ModelRetrained {
    /// Creates the retraining series of this model and reason at zero without counting a
    /// retraining or touching the version gauge (call at start-up).
    pub fn start_at_zero(self) {
        metrics::counter!(
            names::MODEL_RETRAININGS,
            "model" => self.model,
            "reason" => self.reason
        )
        .increment(0);
    }
}

/// The serving version of a model (emit at start-up and after any swap).
#[derive(Debug, Clone, Copy)]
pub struct ModelVersion {
    /// The model's name.
    pub model: &'static str,
    /// The serving version.
    pub version: u64,
}

impl TelemetryEvent for ModelVersion {
    fn emit(self) {
        metrics::gauge!(names::MODEL_VERSION, "model" => self.model).set(self.version as f64);
    }
}

/// A bandit chose `arm` `count` times.
#[derive(Debug, Clone, Copy)]
pub struct BanditArmsSelected {
    /// The bandit ("channel", "variant").
    pub bandit: &'static str,
    /// The arm ("email", "sms", ...).
    pub arm: &'static str,
    /// How many selections.
    pub count: u64,
}

impl TelemetryEvent for BanditArmsSelected {
    fn emit(self) {
        metrics::counter!(
            names::BANDIT_ARM_SELECTIONS,
            "bandit" => self.bandit,
            "arm" => self.arm
        )
        .increment(self.count);
    }
}

/// Model snapshots written to the registry for one reason.
#[derive(Debug, Clone, Copy)]
pub struct ModelSnapshotSaved {
    /// Why (`initial`, `periodic`, `shutdown`, `drift_retrain`, `shadow_promotion`,
    /// `topic_import`).
    pub reason: &'static str,
}

impl TelemetryEvent for ModelSnapshotSaved {
    fn emit(self) {
        metrics::counter!(names::MODEL_SNAPSHOTS_SAVED, "reason" => self.reason).increment(1);
    }
}

/// A model snapshot could not be loaded and was skipped.
#[derive(Debug, Clone, Copy)]
pub struct ModelSnapshotLoadFailed {
    /// Why (`corrupted`, `incompatible`, `missing`, `incomplete`: a model-topic chunk set).
    pub reason: &'static str,
}

impl TelemetryEvent for ModelSnapshotLoadFailed {
    fn emit(self) {
        metrics::counter!(names::MODEL_SNAPSHOT_LOAD_FAILURES, "reason" => self.reason)
            .increment(1);
    }
}

/// The engine attached a model registry: its snapshot, failure and rollback counters start at
/// zero, so dashboards show 0 rather than no data until the first one happens (Prometheus
/// practice for counters with a known, bounded label set).
#[derive(Debug, Clone, Copy)]
pub struct ModelRegistryAttached;

impl TelemetryEvent for ModelRegistryAttached {
    fn emit(self) {
        for reason in [
            "initial",
            "periodic",
            "shutdown",
            "drift_retrain",
            "shadow_promotion",
            "topic_import",
        ] {
            metrics::counter!(names::MODEL_SNAPSHOTS_SAVED, "reason" => reason).increment(0);
        }
        for reason in ["corrupted", "incompatible", "missing", "incomplete"] {
            metrics::counter!(names::MODEL_SNAPSHOT_LOAD_FAILURES, "reason" => reason).increment(0);
        }
        metrics::counter!(names::MODEL_ROLLBACKS).increment(0);
    }
}

/// A rollback was applied to the running engine.
#[derive(Debug, Clone, Copy)]
pub struct ModelRolledBack;

impl TelemetryEvent for ModelRolledBack {
    fn emit(self) {
        metrics::counter!(names::MODEL_ROLLBACKS).increment(1);
    }
}
