//! A background model in training beside a supervised live model, and its running comparison
//! with the live model on the labels both have seen.
//!
//! What it is for: the state the drift supervisor keeps per background (the model, why and
//! when it started, the paired losses over the recent window, the winning streak) and the
//! statistics its promotion test reads (relative gain and paired z over the recent window).
//! What it is not: the promotion rule itself or when backgrounds start (see `supervisor`).

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::supervisor::{RetrainReason, COMPARE_WINDOW};

/// A background model and its comparison with the live model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Background<M> {
    pub(super) model: M,
    pub(super) reason: RetrainReason,
    pub(super) started_ts: i64,
    pub(super) n: u64,
    pub(super) loss_live: f64,
    pub(super) loss_bg: f64,
    /// The last [`COMPARE_WINDOW`] paired differences (live loss minus background loss) with
    /// their running sum and sum of squares.
    pub(super) recent: VecDeque<f64>,
    pub(super) recent_sum: f64,
    pub(super) recent_sum2: f64,
    /// The live model's losses on the same labels, with their running sum (for the gain).
    /// Not saved, nor is `streak`: model sets are postcard records read by position, so new
    /// fields would make every saved set with a running background unreadable (and this
    /// build's sets unreadable to the previous build). After a restore the gain is 0 until the
    /// window has refilled, so a promotion waits up to [`COMPARE_WINDOW`] labels longer.
    #[serde(skip)]
    pub(super) recent_live: VecDeque<f64>,
    #[serde(skip)]
    pub(super) recent_live_sum: f64,
    /// Labels in a row on which the background has passed the promotion tests.
    #[serde(skip)]
    pub(super) streak: u64,
}

impl<M> Background<M> {
    pub(super) fn push_recent(&mut self, d: f64, live_loss: f64) {
        if self.recent.len() == COMPARE_WINDOW {
            if let Some(old) = self.recent.pop_front() {
                self.recent_sum -= old;
                self.recent_sum2 -= old * old;
            }
        }
        self.recent.push_back(d);
        self.recent_sum += d;
        self.recent_sum2 += d * d;
        if self.recent_live.len() == COMPARE_WINDOW {
            if let Some(old) = self.recent_live.pop_front() {
                self.recent_live_sum -= old;
            }
        }
        self.recent_live.push_back(live_loss);
        self.recent_live_sum += live_loss;
    }

    /// The background's relative gain over the recent window: one minus its mean loss over the
    /// live model's (0 until the live losses cover the window, e.g. after a restore from a
    /// state saved before they were kept).
    pub(super) fn recent_gain(&self) -> f64 {
        let n = self.recent.len();
        if n == 0 || self.recent_live.len() != n || self.recent_live_sum <= 0.0 {
            return 0.0;
        }
        self.recent_sum / self.recent_live_sum
    }

    /// The paired z statistic of the live model's excess loss over the recent window.
    pub(super) fn recent_z(&self) -> f64 {
        let n = self.recent.len() as f64;
        if n < 2.0 {
            return 0.0;
        }
        let mean = self.recent_sum / n;
        let var = ((self.recent_sum2 - n * mean * mean) / (n - 1.0)).max(0.0);
        let se = (var / n).sqrt();
        if se > 0.0 {
            mean / se
        } else if mean > 0.0 {
            f64::INFINITY
        } else {
            0.0
        }
    }
}
