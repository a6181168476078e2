//! What the registry records about each version: id, parent, wall-clock creation time, reason,
//! samples seen, per-model versions and rolling metrics at save time, size and checksum.
//!
//! What it is for: `models list` / `models show` and choosing what to load.
//! What it is not: the snapshot bytes (a separate file per version).

use serde::{Deserialize, Serialize};

use crate::decide::{LearnerState, ModelVersions};

/// Why a version was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SaveReason {
    /// The first snapshot of an engine that started cold.
    Initial,
    /// The periodic snapshot.
    Periodic,
    /// The engine stopped.
    Shutdown,
    /// A drift supervisor promoted a retrained model.
    DriftRetrain,
    /// Saved on an operator's request.
    Manual,
    /// A copy of an older version made active by `models rollback`.
    Rollback,
    /// Imported from a file.
    Import,
    /// A shadow candidate promoted (by command or because it was significantly better).
    ShadowPromotion,
    /// Read from the model topic at start (newer than the local versions, or none).
    TopicImport,
}

impl SaveReason {
    /// The reason as written in metadata and metric labels.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Initial => "initial",
            Self::Periodic => "periodic",
            Self::Shutdown => "shutdown",
            Self::DriftRetrain => "drift_retrain",
            Self::Manual => "manual",
            Self::Rollback => "rollback",
            Self::Import => "import",
            Self::ShadowPromotion => "shadow_promotion",
            Self::TopicImport => "topic_import",
        }
    }
}

/// Rolling prequential scores of one supervised model when the version was saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelMetrics {
    /// `churn`, `response` or `journey`.
    pub model: String,
    /// Rolling accuracy (threshold 0.5).
    pub accuracy: Option<f64>,
    /// Rolling log loss (nats); `None` before any label.
    pub log_loss: Option<f64>,
    /// Rolling ROC AUC.
    pub roc_auc: Option<f64>,
    /// Drift generation (1 + promotions).
    pub generation: u64,
}

/// One version's metadata (the `vNNNNNN.json` file beside its snapshot).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionInfo {
    /// The id, `v` and six digits (`v000042`); ordered by number.
    pub id: String,
    /// The number in the id.
    pub number: u64,
    /// The version this one continued from (the active one when it was saved).
    pub parent: Option<String>,
    /// Wall-clock creation time, epoch milliseconds (registry side only).
    pub created_at_ms: i64,
    /// Why it was saved.
    pub reason: SaveReason,
    /// Labelled examples the learner had learned.
    pub samples_seen: u64,
    /// Version of each model inside the snapshot.
    pub model_versions: ModelVersions,
    /// Rolling scores of the supervised models.
    pub metrics: Vec<ModelMetrics>,
    /// Size of the snapshot file, bytes.
    pub size_bytes: u64,
    /// CRC-32 of the whole snapshot file.
    pub checksum: u32,
}

impl VersionInfo {
    /// The id of version `number`.
    pub fn id_of(number: u64) -> String {
        format!("v{number:06}")
    }

    /// The metadata of a new version of `state`.
    pub(super) fn describe(
        number: u64,
        parent: Option<String>,
        created_at_ms: i64,
        reason: SaveReason,
        state: &LearnerState,
        bytes: &[u8],
    ) -> Self {
        let (cg, rg, jg) = state.generations();
        let generations = [cg, rg, jg];
        let c = state.counters();
        let labels = [c.lead, c.response, c.lead];
        let metrics = state
            .rolling_scores()
            .iter()
            .zip(generations)
            .zip(labels)
            .map(
                |(((model, (accuracy, log_loss, roc_auc)), generation), labels)| {
                    // Before any label the rolling scores are placeholders, not measurements.
                    let scored = labels > 0;
                    ModelMetrics {
                        model: (*model).to_owned(),
                        accuracy: accuracy.filter(|_| scored),
                        log_loss: Some(*log_loss).filter(|l| scored && l.is_finite()),
                        roc_auc: roc_auc.filter(|_| scored),
                        generation,
                    }
                },
            )
            .collect();
        Self {
            id: Self::id_of(number),
            number,
            parent,
            created_at_ms,
            reason,
            samples_seen: state.samples_seen(),
            model_versions: state.versions(),
            metrics,
            size_bytes: bytes.len() as u64,
            checksum: crc32fast::hash(bytes),
        }
    }
}
