//! Immutable model snapshots and lock-free access to the latest one.
//!
//! What it is for: the single-writer, many-reader seam of shared/ARCHITECTURE.md. The learner
//! publishes an `Arc<ModelSnapshot>` through an atomic pointer swap (`arc-swap`); every shard
//! reads the newest one through a cloned [`ModelReader`] without locks, and learning never
//! blocks prediction.
//! What it is not: persistence or a registry (issue 7).

use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::learn::bandit::{BetaThompson, LinUcb, PreparedThompson};
use crate::learn::cluster::OnlineKMeans;
use crate::learn::logistic::LogisticRegression;

use super::models::{ChurnModel, LogisticModel, ResponseModel};
use super::types::ModelVersions;

/// Every model a decision uses, frozen at one publication.
#[derive(Debug, Clone)]
pub struct ModelSnapshot {
    /// Versions of each model in this snapshot.
    pub versions: ModelVersions,
    /// Publication sequence number (0 for the initial, untrained snapshot).
    pub sequence: u64,
    pub(crate) churn: ChurnModel,
    pub(crate) indicators: LogisticRegression,
    pub(crate) response: ResponseModel,
    pub(crate) journey: LogisticModel,
    /// Channel bandit per persona; the last entry serves leads without a persona.
    pub(crate) channel: Vec<BetaThompson>,
    pub(crate) variant: LinUcb,
    /// Send-time bandit (24 hours of day) per persona; the last entry is global.
    pub(crate) send_time: Vec<BetaThompson>,
    /// `send_time` with its posteriors and samplers prepared for the configured prior strength.
    pub(crate) send_time_prepared: Vec<PreparedThompson>,
    pub(crate) personas: OnlineKMeans,
    /// Intervention bandit per top indicator.
    pub(crate) interventions: Vec<BetaThompson>,
    /// Readable description of each persona centroid.
    pub persona_descriptions: Vec<String>,
}

impl ModelSnapshot {
    /// The persona clustering.
    pub fn personas(&self) -> &OnlineKMeans {
        &self.personas
    }

    /// The churn ensemble.
    pub fn churn(&self) -> &ChurnModel {
        &self.churn
    }

    /// The response model.
    pub fn response(&self) -> &ResponseModel {
        &self.response
    }

    /// The journey progression model.
    pub fn journey(&self) -> &LogisticModel {
        &self.journey
    }

    /// The indicator model.
    pub fn indicators(&self) -> &LogisticRegression {
        &self.indicators
    }

    /// Channel bandit per persona; the last entry is global.
    pub fn channel(&self) -> &[BetaThompson] {
        &self.channel
    }

    /// The variant bandit.
    pub fn variant(&self) -> &LinUcb {
        &self.variant
    }

    /// Send-time bandit per persona; the last entry is global.
    pub fn send_time(&self) -> &[BetaThompson] {
        &self.send_time
    }

    /// Intervention bandit per top indicator.
    pub fn interventions(&self) -> &[BetaThompson] {
        &self.interventions
    }
}

/// Lock-free access to the latest published [`ModelSnapshot`]; cheap to clone, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct ModelReader {
    current: Arc<ArcSwap<ModelSnapshot>>,
}

impl ModelReader {
    pub(crate) fn new(initial: ModelSnapshot) -> Self {
        Self {
            current: Arc::new(ArcSwap::from_pointee(initial)),
        }
    }

    /// The latest snapshot.
    pub fn load(&self) -> Arc<ModelSnapshot> {
        self.current.load_full()
    }

    pub(crate) fn store(&self, snapshot: ModelSnapshot) {
        self.current.store(Arc::new(snapshot));
    }
}
