//! Accuracy: the share of predictions whose most probable class is the true one.
//!
//! What it is for: the headline prequential score, over the whole stream or a rolling window.
//! What it is not: class-weighted (see balanced accuracy elsewhere if ever needed).

use serde::{Deserialize, Serialize};

use super::ring_buffer::RingBuffer;
use super::Metric;
use crate::learn::{argmax, ParamError};

/// Accuracy over every update; the predicted class is the arg-max of `proba` (lowest index on ties).
///
/// # Examples
/// ```
/// use leadstream::learn::metrics::{Accuracy, Metric};
///
/// let mut acc = Accuracy::default();
/// acc.update(1, &[0.2, 0.8]);
/// acc.update(0, &[0.4, 0.6]);
/// assert_eq!(acc.get(), 0.5);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Accuracy {
    correct: u64,
    seen: u64,
}

impl Metric for Accuracy {
    fn update(&mut self, y_true: usize, proba: &[f64]) {
        self.seen += 1;
        self.correct += u64::from(argmax(proba) == y_true);
    }

    fn get(&self) -> f64 {
        if self.seen == 0 {
            0.0
        } else {
            self.correct as f64 / self.seen as f64
        }
    }
}

/// Accuracy over the last `window` updates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollingAccuracy {
    hits: RingBuffer<bool>,
    correct: usize,
}

impl RollingAccuracy {
    /// Accuracy over the last `window` updates.
    ///
    /// # Errors
    /// [`ParamError::InvalidValue`] when `window` is 0.
    pub fn new(window: usize) -> Result<Self, ParamError> {
        Ok(Self {
            hits: RingBuffer::new(window)?,
            correct: 0,
        })
    }
}

impl Metric for RollingAccuracy {
    fn update(&mut self, y_true: usize, proba: &[f64]) {
        let hit = argmax(proba) == y_true;
        self.correct += usize::from(hit);
        if let Some(true) = self.hits.push(hit) {
            self.correct -= 1;
        }
    }

    fn get(&self) -> f64 {
        if self.hits.len() == 0 {
            0.0
        } else {
            self.correct as f64 / self.hits.len() as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_argmax_hits_with_ties_to_the_lowest_class() {
        let mut acc = Accuracy::default();
        assert_eq!(acc.get(), 0.0);
        acc.update(0, &[0.5, 0.5]); // tie -> class 0: hit
        acc.update(1, &[0.5, 0.5]); // tie -> class 0: miss
        acc.update(2, &[0.1, 0.2, 0.7]); // hit
        acc.update(1, &[0.9, 0.1]); // miss
        assert_eq!(acc.get(), 0.5);
    }

    #[test]
    fn rolling_forgets_what_left_the_window() {
        let mut acc = RollingAccuracy::new(2).unwrap();
        acc.update(1, &[0.1, 0.9]); // hit
        assert_eq!(acc.get(), 1.0);
        acc.update(1, &[0.9, 0.1]); // miss
        assert_eq!(acc.get(), 0.5);
        acc.update(0, &[0.9, 0.1]); // hit; the first hit leaves
        assert_eq!(acc.get(), 0.5);
        acc.update(0, &[0.2, 0.8]); // miss; the miss leaves
        assert_eq!(acc.get(), 0.5);
        acc.update(0, &[0.2, 0.8]); // miss; the hit leaves
        assert_eq!(acc.get(), 0.0);
        assert!(RollingAccuracy::new(0).is_err());
    }
}
