//! The Page-Hinkley test (Page, 1954), a CUSUM chart on deviations from a fading running mean,
//! with River 0.26's semantics.
//!
//! What it is for: detecting an increase and/or decrease in the mean of a real-valued stream with
//! `O(1)` state.
//! What it is not: a detector with a statistical guarantee on false alarms (see ADWIN for that);
//! `threshold` is in the units of the signal and needs tuning.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::learn::params::{invalid, parse_value};
use crate::learn::{DriftDetector, Hyperparams, ParamError};

/// Which direction of change [`PageHinkley`] signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageHinkleyMode {
    /// Increases of the mean only (River's `"up"`).
    Up,
    /// Decreases of the mean only (River's `"down"`).
    Down,
    /// Either direction (River's `"both"`).
    Both,
}

impl FromStr for PageHinkleyMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "up" => Ok(Self::Up),
            "down" => Ok(Self::Down),
            "both" => Ok(Self::Both),
            other => Err(format!("`{other}` is not one of up, down, both")),
        }
    }
}

impl fmt::Display for PageHinkleyMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Up => "up",
            Self::Down => "down",
            Self::Both => "both",
        })
    }
}

/// Hyperparameters of [`PageHinkley`]; `Default` gives River 0.26's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PageHinkleyParams {
    /// No drift is signalled before this many values (River's `min_instances=30`).
    pub min_instances: u32,
    /// Magnitude of change tolerated per value (River's `delta=0.005`).
    pub delta: f64,
    /// The cumulative deviation that signals drift, lambda (River's `threshold=50.0`).
    pub threshold: f64,
    /// Forgetting factor of the cumulative sums, in [0, 1] (River's `alpha=1 - 0.0001`).
    pub alpha: f64,
    /// Direction(s) of change to signal (River's `mode="both"`).
    pub mode: PageHinkleyMode,
}

impl Default for PageHinkleyParams {
    fn default() -> Self {
        Self {
            min_instances: 30,
            delta: 0.005,
            threshold: 50.0,
            alpha: 1.0 - 0.0001,
            mode: PageHinkleyMode::Both,
        }
    }
}

impl Hyperparams for PageHinkleyParams {
    const LEARNER: &'static str = "page_hinkley";
    const KEYS: &'static [&'static str] = &["min_instances", "delta", "threshold", "alpha", "mode"];

    fn set(&mut self, key: &str, value: &str) -> Result<(), ParamError> {
        match key {
            "min_instances" => self.min_instances = parse_value(key, value)?,
            "delta" => self.delta = parse_value(key, value)?,
            "threshold" => self.threshold = parse_value(key, value)?,
            "alpha" => self.alpha = parse_value(key, value)?,
            "mode" => self.mode = parse_value(key, value)?,
            _ => return Err(Self::unknown_key(key)),
        }
        Ok(())
    }
}

impl PageHinkleyParams {
    /// Checks the hyperparameters and builds a fresh detector.
    ///
    /// # Errors
    /// [`ParamError::InvalidValue`] when `delta` or `threshold` is negative or not finite, or
    /// `alpha` is outside [0, 1].
    pub fn build(self) -> Result<PageHinkley, ParamError> {
        if !(self.delta.is_finite() && self.delta >= 0.0) {
            return Err(invalid("delta", self.delta, "must be finite and >= 0"));
        }
        if !(self.threshold.is_finite() && self.threshold >= 0.0) {
            return Err(invalid(
                "threshold",
                self.threshold,
                "must be finite and >= 0",
            ));
        }
        if !(0.0..=1.0).contains(&self.alpha) {
            return Err(invalid("alpha", self.alpha, "must be in [0, 1]"));
        }
        Ok(PageHinkley::with_params(self))
    }
}

/// The Page-Hinkley drift detector, matching River 0.26's `drift.PageHinkley` update for update.
///
/// With `m_t` the running mean of the values so far, the cumulative sums
/// `U_t = alpha U_{t-1} + (x_t - m_t) - delta` and `L_t = alpha L_{t-1} + (x_t - m_t) + delta` are
/// compared with their extremes: an increase is signalled when `U_t - min U > threshold`, a
/// decrease when `max L - L_t > threshold` (`max L` starts at -1, as in River). Nothing is signalled
/// before `min_instances` values. Like River, the update after a detection starts from scratch.
///
/// Deliberate difference from River: non-finite values are ignored (River's state would become
/// NaN).
///
/// # Examples
/// ```
/// use leadstream::learn::drift::PageHinkley;
/// use leadstream::learn::DriftDetector;
///
/// let mut ph = PageHinkley::default();
/// let mut detections = Vec::new();
/// for i in 0..400 {
///     // The mean jumps from 0 to 5 at index 200.
///     let x = if i < 200 { f64::from(i % 3) - 1.0 } else { 5.0 + f64::from(i % 3) - 1.0 };
///     if ph.update(x) {
///         detections.push(i);
///     }
/// }
/// assert_eq!(detections, vec![209]); // River 0.26 gives 209 too
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageHinkley {
    params: PageHinkleyParams,
    /// Values seen since the last reset, as f64 like River's `stats.Mean.n`.
    n: f64,
    mean: f64,
    sum_increase: f64,
    sum_decrease: f64,
    min_increase: f64,
    max_decrease: f64,
    n_detections: u64,
    drift: bool,
}

impl Default for PageHinkley {
    fn default() -> Self {
        Self::with_params(PageHinkleyParams::default())
    }
}

impl PageHinkley {
    fn with_params(params: PageHinkleyParams) -> Self {
        Self {
            params,
            n: 0.0,
            mean: 0.0,
            sum_increase: 0.0,
            sum_decrease: 0.0,
            min_increase: f64::INFINITY,
            max_decrease: -1.0,
            n_detections: 0,
            drift: false,
        }
    }

    /// The hyperparameters this detector was built with.
    pub fn params(&self) -> &PageHinkleyParams {
        &self.params
    }

    /// Running mean of the values since the last reset.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Number of drifts detected since the detector was built.
    pub fn n_detections(&self) -> u64 {
        self.n_detections
    }

    fn reset(&mut self) {
        *self = Self {
            n_detections: self.n_detections,
            ..Self::with_params(self.params)
        };
    }
}

impl DriftDetector for PageHinkley {
    fn update(&mut self, x: f64) -> bool {
        if self.drift {
            self.reset();
        }
        if !x.is_finite() {
            return false;
        }
        let p = self.params;
        self.n += 1.0;
        // River's stats.Mean update, operation for operation.
        self.mean += (1.0 / self.n) * (x - self.mean);
        let dev = x - self.mean;
        self.sum_increase = p.alpha * self.sum_increase + dev - p.delta;
        self.sum_decrease = p.alpha * self.sum_decrease + dev + p.delta;
        self.min_increase = self.min_increase.min(self.sum_increase);
        self.max_decrease = self.max_decrease.max(self.sum_decrease);
        if self.n >= f64::from(p.min_instances) {
            let up = self.sum_increase - self.min_increase > p.threshold;
            let down = self.max_decrease - self.sum_decrease > p.threshold;
            self.drift = match p.mode {
                PageHinkleyMode::Up => up,
                PageHinkleyMode::Down => down,
                PageHinkleyMode::Both => up || down,
            };
        }
        if self.drift {
            self.n_detections += 1;
        }
        self.drift
    }

    fn drift_detected(&self) -> bool {
        self.drift
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_rivers_and_params_validate() {
        let p = PageHinkleyParams::default();
        assert_eq!((p.min_instances, p.delta, p.threshold), (30, 0.005, 50.0));
        assert_eq!((p.alpha, p.mode), (0.9999, PageHinkleyMode::Both));
        let mut p = PageHinkleyParams::default();
        p.set("mode", "down").unwrap();
        p.set("threshold", "10").unwrap();
        assert_eq!((p.mode, p.threshold), (PageHinkleyMode::Down, 10.0));
        assert!(p.set("mode", "sideways").is_err());
        assert!(p.set("lambda", "1").is_err());
        for (key, value) in [("alpha", "1.5"), ("delta", "-1"), ("threshold", "inf")] {
            let mut p = PageHinkleyParams::default();
            p.set(key, value).unwrap();
            assert!(p.build().is_err(), "{key}={value} must be refused");
        }
    }

    #[test]
    fn hand_computed_first_steps() {
        let mut ph = PageHinkleyParams {
            min_instances: 1,
            threshold: 0.5,
            ..Default::default()
        }
        .build()
        .unwrap();
        assert!(!ph.update(1.0)); // mean 1, dev 0: U = -0.005, L = 0.005
                                  // mean 2, dev 1: U = 0.9999 * -0.005 + 1 - 0.005 = 0.990005; U - min U = 0.995005 > 0.5.
        assert!(ph.update(3.0));
        assert_eq!(ph.mean(), 2.0);
        assert!(!ph.update(3.0)); // fresh start after the detection
        assert_eq!(ph.mean(), 3.0);
        assert_eq!(ph.n_detections(), 1);
    }

    #[test]
    fn modes_pick_the_direction() {
        let run = |mode, jump: f64| {
            let mut ph = PageHinkleyParams {
                mode,
                ..Default::default()
            }
            .build()
            .unwrap();
            (0..300).any(|i| ph.update(if i < 100 { 0.0 } else { jump }))
        };
        assert!(run(PageHinkleyMode::Up, 10.0));
        assert!(!run(PageHinkleyMode::Up, -10.0));
        assert!(run(PageHinkleyMode::Down, -10.0));
        assert!(!run(PageHinkleyMode::Down, 10.0));
        assert!(run(PageHinkleyMode::Both, -10.0));
    }

    #[test]
    fn nothing_before_min_instances() {
        let mut ph = PageHinkleyParams {
            min_instances: 50,
            threshold: 1.0,
            ..Default::default()
        }
        .build()
        .unwrap();
        for i in 0..49 {
            assert!(!ph.update(f64::from(i) * 100.0));
        }
        assert!(ph.update(1e6));
    }
}
