//! Shadow mode: a candidate version learning beside the live learner, scored on the same labels
//! without affecting decisions, and promoted by `leadstream models promote` or automatically
//! when significantly and durably better.
//!
//! What it is for: trying a version (an older one, an import) on live traffic before it serves.
//! "Significantly and durably better" is the drift supervisor's rule: over at least
//! [`MIN_PAIRS`] labels scored by both, the mean of the paired log-loss differences (live minus
//! shadow, summed over the supervised models of each label) is above [`PROMOTE_Z`] standard
//! errors and at least [`MIN_GAIN`] of the live learner's mean loss, on [`SUSTAIN`] labels in a
//! row. (A z test alone, looked at after every label, promotes a shadow a few per cent better
//! by chance sooner or later.)
//! What it is not: deciding anything; the shadow's predictions are never published.

use crate::decide::supervisor::{MIN_GAIN, SUSTAIN};
use crate::decide::{LabelledExample, Learner};

/// Paired labels before a shadow may be promoted automatically.
pub const MIN_PAIRS: u64 = 300;
/// z-score of the paired log-loss difference needed for automatic promotion.
pub const PROMOTE_Z: f64 = 3.0;

/// The paired comparison of two models' losses on the same labels (Welford's running mean and
/// variance of the differences), and how many labels in a row it has passed the promotion test.
#[derive(Debug, Clone, Default)]
struct PairedLosses {
    n: u64,
    mean: f64,
    m2: f64,
    loss_live: f64,
    loss_shadow: f64,
    streak: u64,
}

impl PairedLosses {
    fn push(&mut self, live: f64, shadow: f64) {
        let d = live - shadow;
        self.n += 1;
        let delta = d - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (d - self.mean);
        self.loss_live += live;
        self.loss_shadow += shadow;
        self.streak = if self.passes() { self.streak + 1 } else { 0 };
    }

    /// Significantly better (z above [`PROMOTE_Z`]) by at least [`MIN_GAIN`] of the live loss.
    fn passes(&self) -> bool {
        if self.n < MIN_PAIRS || self.mean <= 0.0 || self.loss_live <= 0.0 {
            return false;
        }
        let gain = self.mean * self.n as f64 / self.loss_live;
        let sd = (self.m2 / (self.n - 1) as f64).sqrt();
        let se = sd / (self.n as f64).sqrt();
        gain >= MIN_GAIN && (se == 0.0 || self.mean / se > PROMOTE_Z)
    }
}

/// A shadow candidate and its paired score against the live learner.
#[derive(Debug)]
pub struct Shadow {
    id: String,
    learner: Learner,
    losses: PairedLosses,
}

impl Shadow {
    /// Shadows `learner`, loaded from version `id`.
    pub fn new(id: String, learner: Learner) -> Self {
        Self {
            id,
            learner,
            losses: PairedLosses::default(),
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
            self.losses.push(a, b);
        }
        self.learner.learn(example.clone());
    }

    /// Labels scored by both, and the mean log loss of live and shadow over them.
    pub fn score(&self) -> (u64, f64, f64) {
        let l = &self.losses;
        let n = l.n.max(1) as f64;
        (l.n, l.loss_live / n, l.loss_shadow / n)
    }

    /// Whether the shadow has been significantly better than the live learner, by at least
    /// [`MIN_GAIN`], on the last [`SUSTAIN`] labels in a row.
    pub fn significantly_better(&self) -> bool {
        self.losses.streak >= SUSTAIN
    }

    /// The shadow's learner (to promote it).
    pub fn into_learner(self) -> Learner {
        self.learner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels until the comparison has passed `SUSTAIN` labels in a row (`None`: not within
    /// `n`), with the shadow's loss `ratio` times the live one's plus alternating noise.
    fn labels_to_promotion(ratio: f64, n: u64, lapse: Option<std::ops::Range<u64>>) -> Option<u64> {
        let mut p = PairedLosses::default();
        for i in 1..=n {
            let live = 0.5 + if i % 2 == 0 { 0.05 } else { -0.05 };
            let shadow = if lapse.as_ref().is_some_and(|r| r.contains(&i)) {
                10.0 * live
            } else {
                ratio * live
            };
            p.push(live, shadow);
            if p.streak >= SUSTAIN {
                return Some(i);
            }
        }
        None
    }

    #[test]
    fn a_clear_gain_is_promoted_after_min_pairs_and_sustain_labels() {
        assert_eq!(
            labels_to_promotion(0.6, 10_000, None),
            Some(MIN_PAIRS + SUSTAIN - 1)
        );
    }

    #[test]
    fn a_small_significant_gain_is_not_promoted() {
        // 5% lower loss with almost no noise: z is huge, the gain under MIN_GAIN.
        assert_eq!(labels_to_promotion(0.95, 20_000, None), None);
    }

    #[test]
    fn a_lapse_restarts_the_count() {
        // Far worse on labels 400-409 (shadow loss ten times the live one), in the middle of a
        // streak: the spread they add fails the z test for a while, and the count restarts.
        let at = labels_to_promotion(0.6, 10_000, Some(400..410));
        assert!(at.is_some_and(|a| a >= 410 + SUSTAIN - 1), "{at:?}");
    }
}
