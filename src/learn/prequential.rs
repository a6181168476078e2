//! Prequential (test-then-train) evaluation: every sample is first predicted, scored, then learned.
//!
//! What it is for: the one loop that `leadstream eval`, the River conformance tests and benches
//! share, so that accuracy, log loss and ROC AUC mean the same thing everywhere.
//! What it is not: IO or timing. Rows come from memory; the caller reads files and, if it wants
//! a speed figure, times the call to [`evaluate`].

use serde::{Deserialize, Serialize};

use crate::learn::metrics::{Accuracy, LogLoss, Metric, RocAuc};
use crate::learn::{Classifier, MAX_CLASSES};

/// The scores of one prequential run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrequentialReport {
    /// Samples seen.
    pub n: usize,
    /// Share of samples whose most probable class (lowest index on ties) was the true one.
    pub accuracy: f64,
    /// Mean log loss (River's clamp of probabilities to `[1e-15, 1 - 1e-15]`).
    pub log_loss: f64,
    /// Exact ROC AUC of the probability of class 1; `None` unless the model has two classes.
    pub roc_auc: Option<f64>,
}

/// Runs `model` prequentially over `rows` (features, class) in order: `predict_proba_one`, score
/// the prediction, then `learn_one`.
///
/// Rows must have the feature count and class range the model was built for; the CLI checks
/// this when it loads a file. A label outside `0..n_classes()` is scored but never learned, so a
/// bad row cannot make a learner index out of bounds.
///
/// # Examples
/// ```
/// use leadstream::learn::hoeffding::HoeffdingTreeParams;
/// use leadstream::learn::prequential::evaluate;
///
/// let mut tree = HoeffdingTreeParams::default().build(1, 2).unwrap();
/// // Class 1 lies around 10, class 0 around 0.
/// let rows: Vec<([f64; 1], usize)> = (0..400_u32)
///     .map(|i| ([f64::from(i % 2) * 10.0 + f64::from(i % 7) * 0.5], (i % 2) as usize))
///     .collect();
/// let report = evaluate(&mut tree, rows.iter().map(|(x, y)| (&x[..], *y)));
/// assert_eq!(report.n, 400);
/// assert_eq!(report.accuracy, 0.995); // 2 misses in 400
/// assert_eq!(report.roc_auc, Some(0.9962));
/// ```
pub fn evaluate<'a, I>(model: &mut dyn Classifier, rows: I) -> PrequentialReport
where
    I: IntoIterator<Item = (&'a [f64], usize)>,
{
    let n_classes = model.n_classes().min(MAX_CLASSES);
    let mut buf = [0.0_f64; MAX_CLASSES];
    let proba = &mut buf[..n_classes];
    let (mut accuracy, mut log_loss, mut roc_auc) =
        (Accuracy::default(), LogLoss::default(), RocAuc::default());
    let mut n = 0;
    for (x, y) in rows {
        model.predict_proba_one(x, proba);
        accuracy.update(y, proba);
        log_loss.update(y, proba);
        if n_classes == 2 {
            roc_auc.update(y, proba);
        }
        if y < n_classes {
            model.learn_one(x, y);
        }
        n += 1;
    }
    PrequentialReport {
        n,
        accuracy: accuracy.get(),
        log_loss: log_loss.get(),
        roc_auc: (n_classes == 2).then(|| roc_auc.get()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Predicts class 1 with probability `p1` and counts what it learns.
    #[derive(Debug)]
    struct Fixed {
        p1: f64,
        learned: Vec<usize>,
    }

    impl Classifier for Fixed {
        fn n_classes(&self) -> usize {
            2
        }
        fn learn_one(&mut self, _x: &[f64], y: usize) {
            self.learned.push(y);
        }
        fn predict_proba_one(&self, _x: &[f64], proba: &mut [f64]) {
            proba[0] = 1.0 - self.p1;
            proba[1] = self.p1;
        }
    }

    #[test]
    fn scores_before_learning_and_learns_every_row_in_order() {
        let mut model = Fixed {
            p1: 0.75,
            learned: Vec::new(),
        };
        let rows = [([0.0], 1), ([1.0], 0), ([2.0], 1), ([3.0], 1)];
        let report = evaluate(&mut model, rows.iter().map(|(x, y)| (&x[..], *y)));
        assert_eq!(report.n, 4);
        assert_eq!(model.learned, vec![1, 0, 1, 1]);
        assert_eq!(report.accuracy, 0.75);
        let expected_loss = (3.0 * -(0.75_f64).ln() - (0.25_f64).ln()) / 4.0;
        assert!((report.log_loss - expected_loss).abs() < 1e-12);
        // Every score ties: the area is one half.
        assert_eq!(report.roc_auc, Some(0.5));
    }

    #[test]
    fn empty_stream_reports_zero_samples() {
        let mut model = Fixed {
            p1: 0.5,
            learned: Vec::new(),
        };
        let report = evaluate(&mut model, std::iter::empty());
        assert_eq!(report.n, 0);
        assert!(model.learned.is_empty());
    }
}
