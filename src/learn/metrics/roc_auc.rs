//! Exact binary ROC AUC: the probability that a random positive scores above a random negative.
//!
//! What it is for: ranking quality of the probability of class 1, over the whole stream (all
//! scores kept, `O(n)` memory) or a rolling window (a ring buffer allocated once). The area is
//! computed when [`Metric::get`] is called, by sorting a copy of the scores: `O(n log n)` per call.
//! What it is not: River's approximate `ROCAUC` (fixed thresholds); ties count one half, as in
//! the Mann-Whitney U statistic.

use serde::{Deserialize, Serialize};

use super::ring_buffer::RingBuffer;
use super::Metric;
use crate::learn::ParamError;

/// One scored sample: the probability of class 1 and whether the true class is 1.
type Scored = (f64, bool);

fn scored(y_true: usize, proba: &[f64]) -> Scored {
    let score = proba.get(1).copied().unwrap_or(0.0);
    // NaN scores rank lowest, so a broken prediction cannot poison the area.
    let score = if score.is_nan() {
        f64::NEG_INFINITY
    } else {
        score
    };
    (score, y_true == 1)
}

/// The exact area under the ROC curve of `samples` (sorted in place). 0 when either class is
/// missing, as River returns.
fn exact_auc(samples: &mut [Scored]) -> f64 {
    samples.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let (mut negatives_below, mut area) = (0_u64, 0.0_f64);
    let mut start = 0;
    while start < samples.len() {
        let mut end = start;
        let (mut pos, mut neg) = (0_u64, 0_u64);
        while end < samples.len() && samples[end].0 == samples[start].0 {
            if samples[end].1 {
                pos += 1;
            } else {
                neg += 1;
            }
            end += 1;
        }
        area += pos as f64 * (negatives_below as f64 + 0.5 * neg as f64);
        negatives_below += neg;
        start = end;
    }
    let positives = samples.len() as u64 - negatives_below;
    if positives == 0 || negatives_below == 0 {
        return 0.0;
    }
    area / (positives as f64 * negatives_below as f64)
}

/// Exact ROC AUC over every update, scoring each sample by `proba[1]`.
///
/// # Examples
/// River's `metrics.ROCAUC` doc example, whose exact answer is 0.75:
/// ```
/// use leadstream::learn::metrics::{Metric, RocAuc};
///
/// let mut auc = RocAuc::default();
/// for (y, p1) in [(0, 0.1), (0, 0.4), (1, 0.35), (1, 0.8)] {
///     auc.update(y, &[1.0 - p1, p1]);
/// }
/// assert_eq!(auc.get(), 0.75);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RocAuc {
    samples: Vec<Scored>,
}

impl Metric for RocAuc {
    fn update(&mut self, y_true: usize, proba: &[f64]) {
        self.samples.push(scored(y_true, proba));
    }

    fn get(&self) -> f64 {
        exact_auc(&mut self.samples.clone())
    }
}

/// Exact ROC AUC over the last `window` updates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollingRocAuc {
    samples: RingBuffer<Scored>,
}

impl RollingRocAuc {
    /// ROC AUC over the last `window` updates.
    ///
    /// # Errors
    /// [`ParamError::InvalidValue`] when `window` is 0.
    pub fn new(window: usize) -> Result<Self, ParamError> {
        Ok(Self {
            samples: RingBuffer::new(window)?,
        })
    }
}

impl Metric for RollingRocAuc {
    fn update(&mut self, y_true: usize, proba: &[f64]) {
        self.samples.push(scored(y_true, proba));
    }

    fn get(&self) -> f64 {
        exact_auc(&mut self.samples.values().to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(metric: &mut impl Metric, pairs: &[(usize, f64)]) {
        for &(y, p1) in pairs {
            metric.update(y, &[1.0 - p1, p1]);
        }
    }

    #[test]
    fn perfect_reversed_and_tied_rankings() {
        let mut auc = RocAuc::default();
        feed(&mut auc, &[(0, 0.1), (0, 0.2), (1, 0.8), (1, 0.9)]);
        assert_eq!(auc.get(), 1.0);
        let mut auc = RocAuc::default();
        feed(&mut auc, &[(1, 0.1), (0, 0.9)]);
        assert_eq!(auc.get(), 0.0);
        // All tied: every positive-negative pair counts one half.
        let mut auc = RocAuc::default();
        feed(
            &mut auc,
            &[(1, 0.5), (0, 0.5), (1, 0.5), (0, 0.5), (0, 0.5)],
        );
        assert_eq!(auc.get(), 0.5);
    }

    #[test]
    fn hand_computed_pairs_with_a_tie() {
        // Positives 0.3, 0.6; negatives 0.3, 0.1, 0.7. Pairs won: 0.3 beats 0.1, ties 0.3 (one
        // half); 0.6 beats 0.3 and 0.1. (1 + 0.5 + 2) / 6.
        let mut auc = RocAuc::default();
        feed(
            &mut auc,
            &[(1, 0.3), (0, 0.3), (0, 0.1), (1, 0.6), (0, 0.7)],
        );
        assert!((auc.get() - 3.5 / 6.0).abs() < 1e-15);
    }

    #[test]
    fn one_class_only_gives_zero_like_river() {
        let mut auc = RocAuc::default();
        assert_eq!(auc.get(), 0.0);
        feed(&mut auc, &[(0, 0.1), (0, 0.5)]);
        assert_eq!(auc.get(), 0.0);
    }

    #[test]
    fn rolling_uses_only_the_window() {
        let mut auc = RollingRocAuc::new(2).unwrap();
        feed(&mut auc, &[(1, 0.1), (0, 0.9)]);
        assert_eq!(auc.get(), 0.0);
        feed(&mut auc, &[(1, 0.95)]); // window: (0, 0.9), (1, 0.95)
        assert_eq!(auc.get(), 1.0);
        assert!(RollingRocAuc::new(0).is_err());
    }

    #[test]
    fn nan_scores_rank_lowest() {
        let mut auc = RocAuc::default();
        auc.update(1, &[0.5, f64::NAN]);
        auc.update(0, &[0.5, 0.2]);
        assert_eq!(auc.get(), 0.0);
    }
}
