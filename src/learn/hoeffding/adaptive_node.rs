//! Nodes of the Hoeffding Adaptive Tree: the error monitor every node carries (ADWIN plus a
//! running error rate), leaves with their error-weighted vote, and branches that may hold an
//! alternate subtree.
//!
//! What it is for: the per-node state and arithmetic of River's `AdaLeafClassifier` and
//! `AdaBranchClassifier`.
//! What it is not: the tree walk, splits, switches (see `adaptive.rs`).

use serde::{Deserialize, Serialize};

use super::leaf::LeafLearner;
use super::params::TreeConfig;
use crate::learn::drift::Adwin;
use crate::learn::{DriftDetector, MAX_CLASSES};

/// What one error observation did to a node's monitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorChange {
    /// No drift.
    Stable,
    /// ADWIN detected a change and the error rate went down: the rate was reset.
    Improved,
    /// ADWIN detected a change and the error rate did not go down.
    Worsened,
}

/// ADWIN over a node's 0/1 errors, and the running error rate since the last reset.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ErrorMonitor {
    adwin: Adwin,
    /// Number of errors observed since the last reset (River's `Mean.n`).
    pub(crate) n: f64,
    /// Error rate since the last reset.
    pub(crate) rate: f64,
}

impl ErrorMonitor {
    pub(crate) fn new(adwin: Adwin) -> Self {
        Self {
            adwin,
            n: 0.0,
            rate: 0.0,
        }
    }

    /// Restarts the running error rate (River replaces the `Mean` by a fresh clone).
    pub(crate) fn reset_rate(&mut self) {
        self.n = 0.0;
        self.rate = 0.0;
    }

    /// Observes one error indicator (0 or 1). On an improving drift the rate is reset here; on
    /// a worsening one the caller decides.
    pub(crate) fn observe(&mut self, error: f64) -> ErrorChange {
        let old = self.rate;
        let drift = self.adwin.update(error);
        self.n += 1.0;
        self.rate += (error - self.rate) / self.n;
        if !drift {
            ErrorChange::Stable
        } else if old > self.rate {
            self.reset_rate();
            ErrorChange::Improved
        } else {
            ErrorChange::Worsened
        }
    }
}

/// A leaf of the adaptive tree.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AdaLeaf {
    pub(crate) learner: LeafLearner,
    pub(crate) monitor: ErrorMonitor,
}

impl AdaLeaf {
    /// The class the leaf predicts for `x`, `None` when it knows no class yet (River's `None`).
    pub(crate) fn predicted_class(&self, cfg: &TreeConfig, x: &[f64]) -> Option<usize> {
        if !self.learner.has_stats() {
            return None;
        }
        let mut buf = [0.0; MAX_CLASSES];
        let dist = &mut buf[..cfg.n_classes];
        self.learner.predict(cfg, x, dist);
        self.learner.argmax_known(dist)
    }

    /// Adds the leaf's vote for `x` to `acc`: its class distribution divided by
    /// `sum * error_rate²` (River's weighting; unscaled when that factor is 0).
    pub(crate) fn add_vote(&self, cfg: &TreeConfig, x: &[f64], acc: &mut [f64]) {
        if !self.learner.has_stats() {
            return;
        }
        let mut buf = [0.0; MAX_CLASSES];
        let dist = &mut buf[..cfg.n_classes];
        self.learner.predict(cfg, x, dist);
        let sum: f64 = dist.iter().sum();
        let factor = sum * self.monitor.rate * self.monitor.rate;
        let scale = if factor == 0.0 || factor.is_nan() {
            1.0
        } else {
            1.0 / factor
        };
        for (a, d) in acc.iter_mut().zip(dist.iter()) {
            *a += d * scale;
        }
    }
}

/// A numeric binary test of the adaptive tree, with its error monitor and optional alternate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AdaBranch {
    pub(crate) feature: u32,
    pub(crate) threshold: f64,
    /// `x[feature] <= threshold` goes to `children[0]`, anything else (NaN too) to `children[1]`.
    pub(crate) children: [u32; 2],
    /// Depth of the leaf this branch replaced.
    pub(crate) depth: u32,
    pub(crate) monitor: ErrorMonitor,
    /// Arena index of the alternate subtree grown since the last worsening drift (always a leaf:
    /// as in River, its first split replaces this branch).
    pub(crate) alternate: Option<u32>,
}

impl AdaBranch {
    /// Which child `x` goes to.
    #[inline]
    pub(crate) fn branch_of(&self, x: &[f64]) -> usize {
        let v = x.get(self.feature as usize).copied().unwrap_or(f64::NAN);
        if v <= self.threshold {
            0
        } else {
            1
        }
    }
}

/// A slot of the adaptive tree's arena.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum AdaNode {
    Leaf(AdaLeaf),
    Branch(AdaBranch),
    /// A slot freed by a switch or a pruned alternate, reusable.
    Free,
}
