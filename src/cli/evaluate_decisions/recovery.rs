//! Recovery after a scheduled drift: daily series of a model's scores and the time until they
//! return to their pre-drift level.
//!
//! What it is for: the "recovery time after drift, with and without drift-triggered retraining"
//! of issue 5. A series is one value per day of the run, each scored over a trailing window of
//! [`TRAILING_DAYS`] days (shorter than the 5-day table windows, long enough that one value has
//! a few hundred positives at 2000 leads). The pre-drift level is the mean of the daily values
//! of the [`PRE_DRIFT_DAYS`] days before the drift; the recovery time is the number of days
//! after the drift until the first day whose trailing window lies wholly after the drift and
//! which starts [`STAY_DAYS`] daily values in a row within [`RECOVERY_MARGIN`] of that level
//! (`None`: not within the run). One value back in range is not enough: daily values are noisy.
//! What it is not: a statistical test (one seed's daily AUC has a standard error of about 0.03;
//! average recovery times over seeds).

use serde::Serialize;

use crate::learn::metrics::{Metric, RocAuc};
use crate::sim::DAY_MS;

/// Days in the trailing window of each daily value.
pub const TRAILING_DAYS: i64 = 3;
/// How close to the pre-drift level (in AUC) counts as recovered.
pub const RECOVERY_MARGIN: f64 = 0.03;
/// Daily values before the drift whose mean is the pre-drift level.
pub const PRE_DRIFT_DAYS: i64 = 7;
/// Daily values in a row that must be back in range.
pub const STAY_DAYS: usize = 3;

/// One scored sample: (event time, predicted probability, outcome).
pub type Scored = (i64, f64, bool);

/// Daily trailing-window scores of one model and its recovery after the first drift.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DailyScores {
    /// ROC AUC over the trailing window ending at the end of each day of the run (NaN-free:
    /// 0.5 when a window has only one class).
    pub auc: Vec<f64>,
    /// Mean log loss over the same windows (0 for an empty window).
    pub log_loss: Vec<f64>,
    /// Mean daily AUC over the [`PRE_DRIFT_DAYS`] days before the first drift.
    pub pre_drift_auc: Option<f64>,
    /// Mean daily log loss over the same days.
    pub pre_drift_log_loss: Option<f64>,
    /// Lowest daily AUC after the drift.
    pub post_drift_min_auc: Option<f64>,
    /// Days after the drift until the AUC of a wholly post-drift window is back within
    /// [`RECOVERY_MARGIN`] of the pre-drift level (`None` with a drift: not within the run).
    pub recovery_days: Option<u32>,
}

fn score(samples: &[Scored], lo: i64, hi: i64) -> (f64, f64, usize) {
    let mut auc = RocAuc::default();
    let (mut loss, mut n) = (0.0, 0_usize);
    for &(ts, p, y) in samples {
        if ts < lo || ts >= hi {
            continue;
        }
        auc.update(usize::from(y), &[1.0 - p, p]);
        let q = if y { p } else { 1.0 - p };
        loss -= q.clamp(1e-15, 1.0).ln();
        n += 1;
    }
    let mean = if n > 0 { loss / n as f64 } else { 0.0 };
    (auc.get(), mean, n)
}

/// The daily series of `samples` over a run of `days` days from `start_ms`, and the recovery
/// after a drift at `drift_ms` (if any).
pub fn daily(samples: &[Scored], start_ms: i64, days: u32, drift_ms: Option<i64>) -> DailyScores {
    let mut out = DailyScores::default();
    for d in 1..=i64::from(days) {
        let hi = start_ms + d * DAY_MS;
        let (auc, loss, _) = score(samples, hi - TRAILING_DAYS * DAY_MS, hi);
        out.auc.push(auc);
        out.log_loss.push(loss);
    }
    let Some(drift) = drift_ms else {
        return out;
    };
    // Days (1-based, as in the series) whose window ends at or before the drift.
    let end_day = |d: i64| start_ms + d * DAY_MS;
    let pre_days: Vec<usize> = (1..=i64::from(days))
        .filter(|&d| end_day(d) <= drift && end_day(d) > drift - PRE_DRIFT_DAYS * DAY_MS)
        .map(|d| (d - 1) as usize)
        .collect();
    if pre_days.is_empty() {
        return out;
    }
    let mean_of =
        |v: &[f64]| pre_days.iter().filter_map(|&i| v.get(i)).sum::<f64>() / pre_days.len() as f64;
    let pre = mean_of(&out.auc);
    out.pre_drift_auc = Some(pre);
    out.pre_drift_log_loss = Some(mean_of(&out.log_loss));
    let mut min = f64::INFINITY;
    for d in 1..=i64::from(days) {
        let hi = end_day(d);
        if hi <= drift {
            continue;
        }
        let i = (d - 1) as usize;
        let Some(&auc) = out.auc.get(i) else {
            break;
        };
        min = min.min(auc);
        let wholly_after = hi - TRAILING_DAYS * DAY_MS >= drift;
        let stays = out
            .auc
            .get(i..i + STAY_DAYS)
            .is_some_and(|w| w.iter().all(|&a| a >= pre - RECOVERY_MARGIN));
        if wholly_after && out.recovery_days.is_none() && stays {
            out.recovery_days = Some(((hi - drift) as f64 / DAY_MS as f64).ceil() as u32);
        }
    }
    out.post_drift_min_auc = min.is_finite().then_some(min);
    out
}

/// The drift's cost against a twin run without it (same seed): the mean daily AUC deficit over
/// the wholly post-drift days, and the days after the drift until the drifted run's AUC stays
/// within [`RECOVERY_MARGIN`] of the twin's for [`STAY_DAYS`] days in a row (`None`: not within
/// the run). Unlike the pre-drift level, the twin also shows how far the model would have come
/// meanwhile without the drift (the churn model is still maturing at day 30).
pub fn against_twin(drifted: &[f64], twin: &[f64], drift_day: f64) -> (f64, Option<u32>) {
    let first = (drift_day + TRAILING_DAYS as f64).ceil() as usize;
    let n = drifted.len().min(twin.len());
    let gap: Vec<f64> = (first.max(1)..=n)
        .filter_map(|d| Some(twin.get(d - 1)? - drifted.get(d - 1)?))
        .collect();
    let deficit = if gap.is_empty() {
        0.0
    } else {
        gap.iter().sum::<f64>() / gap.len() as f64
    };
    let recovered = (0..gap.len())
        .find(|&i| {
            gap.get(i..i + STAY_DAYS)
                .is_some_and(|w| w.iter().all(|&g| g <= RECOVERY_MARGIN))
        })
        .map(|i| ((first.max(1) + i) as f64 - drift_day).ceil() as u32);
    (deficit, recovered)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores that rank perfectly except between `bad_from` and `bad_to` (days), where they
    /// are reversed.
    fn samples(bad_from: i64, bad_to: i64) -> Vec<Scored> {
        let mut v = Vec::new();
        for h in 0..(20 * 24) {
            let ts = h * DAY_MS / 24;
            let y = h % 5 == 0;
            let day = ts / DAY_MS;
            let good = !(bad_from..bad_to).contains(&day);
            let p = if y == good { 0.8 } else { 0.2 };
            v.push((ts, p, y));
        }
        v
    }

    #[test]
    fn recovery_is_counted_from_the_drift_to_the_first_good_post_drift_window() {
        let s = samples(10, 14);
        let r = daily(&s, 0, 20, Some(10 * DAY_MS));
        assert_eq!(r.auc.len(), 20);
        assert_eq!(r.pre_drift_auc, Some(1.0));
        assert_eq!(r.post_drift_min_auc, Some(0.0));
        // Bad days 10..14; the first wholly good trailing window ends at day 17.
        assert_eq!(r.recovery_days, Some(7));
    }

    #[test]
    fn one_good_day_in_a_bad_stretch_is_not_recovery() {
        // Bad from day 10 to 30, except days 16-18: one wholly good trailing window (day 19).
        let mut s = samples(10, 30);
        for x in &mut s {
            if (16..19).contains(&(x.0 / DAY_MS)) {
                x.1 = if x.2 { 0.8 } else { 0.2 };
            }
        }
        let r = daily(&s, 0, 20, Some(10 * DAY_MS));
        assert_eq!(r.recovery_days, None);
    }

    #[test]
    fn against_a_twin_recovery_is_when_the_gap_closes() {
        let twin = vec![0.7; 20];
        let mut drifted = twin.clone();
        for (d, v) in drifted.iter_mut().enumerate().skip(10).take(5) {
            *v = 0.5 + 0.01 * d as f64;
        }
        // Days 11..15 (1-based) are low; day 16 on are back.
        let (deficit, days) = against_twin(&drifted, &twin, 10.0);
        assert_eq!(days, Some(6));
        assert!(deficit > 0.0);
        let (_, never) = against_twin(&[0.5; 20], &twin, 10.0);
        assert_eq!(never, None);
    }

    #[test]
    fn a_model_that_never_recovers_has_no_recovery_time() {
        let s = samples(10, 30);
        let r = daily(&s, 0, 20, Some(10 * DAY_MS));
        assert_eq!(r.recovery_days, None);
        assert!(daily(&s, 0, 20, None).recovery_days.is_none());
    }
}
