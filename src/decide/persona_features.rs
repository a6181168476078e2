//! The behaviour vector personas are clustered on, computed from lead state.
//!
//! What it is for: a small, unit-free description of how a lead behaves (at what time of day it
//! answers, on weekends or not, its mood, how much it browses, which channels it answers on)
//! that the online k-means groups into personas, with names for readable centroid descriptions.
//! What it is not: the model features (see [`crate::lead::features`]).

use crate::event::EventType;
use crate::lead::{LeadState, HOURS_PER_WEEK};
use crate::text::EmotionalState;

use super::shard::ShardDecider;

/// Dimension of the persona vector.
pub const PERSONA_DIM: usize = 11;

/// Names of the persona vector's dimensions (for centroid descriptions).
pub const PERSONA_FEATURE_NAMES: [&str; PERSONA_DIM] = [
    "response_hour_cos",
    "response_hour_sin",
    "weekend_response_share",
    "negative_mood_share",
    "positive_mood_share",
    "log_web_visits",
    "doubt_mood_share",
    "answer_rate_email",
    "answer_rate_sms",
    "answer_rate_call",
    "answer_rate_video",
];

/// Pseudo-counts of the prior under a lead's own channel evidence: one success in four, the
/// population's answer rate per touch, so a lead with no evidence sits at the population.
const ARM_PRIOR: (f64, f64) = (0.5, 1.5);

/// cos and sin of 15 degrees: one hour of day as an angle.
const STEP_COS: f64 = 0.965_925_826_289_068_3;
const STEP_SIN: f64 = 0.258_819_045_102_520_74;

/// Writes the persona vector of `state` into `out`; `arms` is the lead's own labelled
/// (answered, unanswered) touches per contact channel (the decider's evidence, which counts
/// unprompted contact as an answer).
///
/// The channel dimensions are the smoothed answer rates `(s + 0.5) / (s + f + 2)` of that
/// evidence. They were the lead state's decayed responses per decayed touch, which counted web
/// visits' hours and any response on a channel whether or not it answered a touch, and put a
/// lead with one lucky answer at the same rate as one with ten: agreement with the simulator's
/// personas (adjusted Rand index, 2000 leads, 60 days, mean over seeds 5-10) rose from 0.076 to
/// the figure in docs/evaluation.md with the labelled rates. Raw channel counts, call or video
/// engagement, response latency and message count lowered it earlier, as they mostly reflect
/// what the bandits chose to try.
pub fn compute(state: &LeadState, arms: &[(f32, f32); 4], out: &mut [f64; PERSONA_DIM]) {
    // Circular mean of the UTC hour of day of responses, weighted by its concentration. Counts
    // are folded into 24 hours first; the hour angles are stepped by a 15 degree rotation rather
    // than 168 `sin`/`cos` calls (those were 12% of the engine's time).
    let counts = state.hours().counts();
    let mut by_hour = [0.0_f64; 24];
    let (mut total, mut weekend) = (0.0, 0.0);
    for (h, &c) in counts.iter().enumerate().take(HOURS_PER_WEEK) {
        let c = f64::from(c);
        by_hour[h % 24] += c;
        total += c;
        if h / 24 >= 5 {
            weekend += c;
        }
    }
    let (mut cos, mut sin, mut cx, mut sy) = (1.0, 0.0, 0.0, 0.0);
    for c in by_hour {
        cx += c * cos;
        sy += c * sin;
        (cos, sin) = (
            cos * STEP_COS - sin * STEP_SIN,
            sin * STEP_COS + cos * STEP_SIN,
        );
    }
    let norm = total.max(1.0);
    out[0] = cx / norm;
    out[1] = sy / norm;
    out[2] = weekend / norm;
    let emotions = state.emotion_counts();
    let all: f64 = emotions
        .iter()
        .map(|&e| f64::from(e))
        .sum::<f64>()
        .max(1e-9);
    let share = |pred: fn(EmotionalState) -> bool| {
        EmotionalState::ALL
            .iter()
            .filter(|e| pred(**e))
            .map(|e| f64::from(emotions[*e as usize]))
            .sum::<f64>()
            / all
    };
    out[3] = share(EmotionalState::is_negative);
    out[4] = share(EmotionalState::is_positive);
    out[5] = f64::from(state.actions()[EventType::WebVisit.index()]).ln_1p();
    out[6] = share(|e| matches!(e, EmotionalState::Confused | EmotionalState::Anxious));
    for (slot, &(s, f)) in out[7..].iter_mut().zip(arms) {
        let (s, f) = (f64::from(s).max(0.0), f64::from(f).max(0.0));
        *slot = (s + ARM_PRIOR.0) / (s + f + ARM_PRIOR.0 + ARM_PRIOR.1);
    }
    for v in out.iter_mut() {
        if !v.is_finite() {
            *v = 0.0;
        }
    }
}

impl ShardDecider {
    /// The persona vector of a lead of this shard: its state and the decider's own labelled
    /// channel evidence for it (none for a lead the decider has not seen).
    pub fn persona_point(
        &self,
        tenant_id: &str,
        lead_id: &str,
        state: &LeadState,
    ) -> [f64; PERSONA_DIM] {
        self.persona_point_by_key(super::shard::lead_key(tenant_id, lead_id), state)
    }

    pub(super) fn persona_point_by_key(&self, key: u64, state: &LeadState) -> [f64; PERSONA_DIM] {
        let arms = self.leads.get(&key).map_or([(0.0, 0.0); 4], |m| m.arms);
        let mut point = [0.0; PERSONA_DIM];
        compute(state, &arms, &mut point);
        point
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepped_hour_angles_match_sin_and_cos() {
        let (mut cos, mut sin) = (1.0_f64, 0.0_f64);
        for h in 0..24 {
            let angle = std::f64::consts::TAU * f64::from(h) / 24.0;
            assert!((cos - angle.cos()).abs() < 1e-12 && (sin - angle.sin()).abs() < 1e-12);
            (cos, sin) = (
                cos * STEP_COS - sin * STEP_SIN,
                sin * STEP_COS + cos * STEP_SIN,
            );
        }
    }
}
