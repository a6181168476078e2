//! Shadow mode: a candidate version learning beside the live learner, scored on the same labels
//! without affecting decisions, and promoted by `leadstream models promote` or automatically
//! when significantly better.
//!
//! What it is for: trying a version (an older one, an import) on live traffic before it serves.
//! "Significantly better" is the drift supervisor's test: over at least [`MIN_PAIRS`] labels
//! scored by both, the mean of the paired log-loss differences (live minus shadow, summed over
//! the supervised models of each label) is above [`PROMOTE_Z`] standard errors.
//! What it is not: deciding anything; the shadow's predictions are never published.

use crate::decide::{LabelledExample, Learner};

/// Paired labels before a shadow may be promoted automatically.
pub const MIN_PAIRS: u64 = 300;
/// z-score of the paired log-loss difference needed for automatic promotion.
pub const PROMOTE_Z: f64 = 3.0;

/// A shadow candidate and its paired score against the live learner.
#[derive(Debug)]
pub struct Shadow {
    id: String,
    learner: Learner,
    n: u64,
    mean: f64,
    m2: f64,
    loss_live: f64,
    loss_shadow: f64,
}

impl Shadow {
    /// Shadows `learner`, loaded from version `id`.
    pub fn new(id: String, learner: Learner) -> Self {
        Self {
            id,
            learner,
            n: 0,
            mean: 0.0,
            m2: 0.0,
            loss_live: 0.0,
            loss_shadow: 0.0,
        }
    }

    /// The version the shadow was loaded from.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Scores `example` on the live learner and the shadow (before either learns it), then the
    /// shadow learns it. Call before the live learner learns it.
    pub fn observe(&mut self, live: &Learner, example: &LabelledExample) {
        if let (Some(a), Some(b)) = (
            live.supervised_log_loss(example),
            self.learner.supervised_log_loss(example),
        ) {
            let d = a - b;
            self.n += 1;
            let delta = d - self.mean;
            self.mean += delta / self.n as f64;
            self.m2 += delta * (d - self.mean);
            self.loss_live += a;
            self.loss_shadow += b;
        }
        self.learner.learn(example.clone());
    }

    /// Labels scored by both, and the mean log loss of live and shadow over them.
    pub fn score(&self) -> (u64, f64, f64) {
        let n = self.n.max(1) as f64;
        (self.n, self.loss_live / n, self.loss_shadow / n)
    }

    /// Whether the shadow is significantly better than the live learner.
    pub fn significantly_better(&self) -> bool {
        if self.n < MIN_PAIRS {
            return false;
        }
        let sd = (self.m2 / (self.n - 1) as f64).sqrt();
        let se = sd / (self.n as f64).sqrt();
        self.mean > 0.0 && (se == 0.0 || self.mean / se > PROMOTE_Z)
    }

    /// The shadow's learner (to promote it).
    pub fn into_learner(self) -> Learner {
        self.learner
    }
}
