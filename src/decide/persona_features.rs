//! The behaviour vector personas are clustered on, computed from lead state and the decider's
//! own labelled channel evidence for the lead.
//!
//! What it is for: a small, unit-free description of how a lead behaves (how much it browses,
//! how often it doubts, which channels it answers on) that the online k-means groups into
//! personas, with names for readable centroid descriptions.
//! What it is not: the model features (see [`crate::lead::features`]).
//!
//! # Why these six dimensions
//! Measured on the simulator (2000 leads, 60 days, seeds 5-10; docs/evaluation.md): the
//! response hour of day (as a circular mean), the weekend share of responses and the shares of
//! negative and positive moods barely differ between the simulated personas (per-persona means
//! of the hour's cosine 0.00-0.07 against a spread of 0.17; weekend share 0.27-0.29 for every
//! persona), because web visits, most of a lead's responses, come at any hour. As dimensions
//! they only added noise to the distances: dropping them raised the adjusted Rand index
//! against the true personas from 0.103 to 0.118 (mean over the six seeds).

use crate::event::EventType;
use crate::lead::LeadState;
use crate::text::EmotionalState;

use super::shard::ShardDecider;

/// Dimension of the persona vector.
pub const PERSONA_DIM: usize = 6;

/// Names of the persona vector's dimensions (for centroid descriptions).
pub const PERSONA_FEATURE_NAMES: [&str; PERSONA_DIM] = [
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

/// Writes the persona vector of `state` into `out`; `arms` is the lead's own labelled
/// (answered, unanswered) touches per contact channel (the decider's evidence, which counts
/// unprompted contact as an answer).
///
/// The channel dimensions are the smoothed answer rates `(s + 0.5) / (s + f + 2)` of that
/// evidence. They were the lead state's decayed responses per decayed touch, which counted any
/// response on a channel whether or not it answered a touch and put a lead with one lucky
/// answer at the same rate as one with ten: with the labelled rates the adjusted Rand index
/// against the simulator's personas rose from 0.076 to 0.103 (mean over seeds 5-10, 2000 leads,
/// 60 days, before the dimensions were cut to six). Raw channel counts, call or video
/// engagement, response latency and message count lowered it earlier, as they mostly reflect
/// what the bandits chose to try.
pub fn compute(state: &LeadState, arms: &[(f32, f32); 4], out: &mut [f64; PERSONA_DIM]) {
    out[0] = f64::from(state.actions()[EventType::WebVisit.index()]).ln_1p();
    let emotions = state.emotion_counts();
    let all: f64 = emotions.iter().map(|&e| f64::from(e)).sum::<f64>();
    let doubt: f64 = [EmotionalState::Confused, EmotionalState::Anxious]
        .iter()
        .map(|e| f64::from(emotions[*e as usize]))
        .sum();
    out[1] = if all > 1e-9 { doubt / all } else { 0.0 };
    for (slot, &(s, f)) in out[2..].iter_mut().zip(arms) {
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
    fn channel_dimensions_follow_the_lead_s_own_answers() {
        let state = LeadState::new(0);
        let mut out = [0.0; PERSONA_DIM];
        compute(&state, &[(0.0, 0.0); 4], &mut out);
        assert!(
            out[2..].iter().all(|&r| (r - 0.25).abs() < 1e-12),
            "{out:?}"
        );
        compute(
            &state,
            &[(0.0, 6.0), (5.0, 1.0), (0.0, 0.0), (1.0, 1.0)],
            &mut out,
        );
        assert!(out[3] > 0.6 && out[2] < 0.1, "{out:?}");
        assert!((out[4] - 0.25).abs() < 1e-12 && (out[5] - 0.375).abs() < 1e-12);
    }
}
