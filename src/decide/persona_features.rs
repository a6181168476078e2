//! The behaviour vector personas are clustered on, computed from lead state.
//!
//! What it is for: a small, unit-free description of how a lead behaves (which channels it
//! answers, at what time of day, on weekends or not, its mood, how much it browses) that the
//! online k-means groups into personas, with names for readable centroid descriptions.
//! What it is not: the model features (see [`crate::lead::features`]).

use crate::event::{Channel, EventType};
use crate::lead::{LeadState, HOURS_PER_WEEK};
use crate::text::EmotionalState;

/// Dimension of the persona vector.
pub const PERSONA_DIM: usize = 12;

/// Names of the persona vector's dimensions (for centroid descriptions).
pub const PERSONA_FEATURE_NAMES: [&str; PERSONA_DIM] = [
    "email_response_rate",
    "sms_response_rate",
    "call_response_rate",
    "video_response_rate",
    "response_hour_cos",
    "response_hour_sin",
    "weekend_response_share",
    "negative_mood_share",
    "positive_mood_share",
    "log_web_visits",
    "call_talk_ratio",
    "video_watch_fraction",
];

/// Writes the persona vector of `state` into `out`.
pub fn compute(state: &LeadState, out: &mut [f64; PERSONA_DIM]) {
    let touches = state.touches();
    let responses = state.responses();
    for (i, ch) in [Channel::Email, Channel::Sms, Channel::Call, Channel::Video]
        .iter()
        .enumerate()
    {
        let (t, r) = (
            f64::from(touches[ch.index()]),
            f64::from(responses[ch.index()]),
        );
        out[i] = (r / (t + 1.0)).min(1.0);
    }
    // Circular mean of the UTC hour of day of responses, weighted by its concentration.
    let counts = state.hours().counts();
    let (mut cx, mut sy, mut total, mut weekend) = (0.0, 0.0, 0.0, 0.0);
    for (h, &c) in counts.iter().enumerate().take(HOURS_PER_WEEK) {
        let c = f64::from(c);
        let angle = std::f64::consts::TAU * (h % 24) as f64 / 24.0;
        cx += c * angle.cos();
        sy += c * angle.sin();
        total += c;
        if h / 24 >= 5 {
            weekend += c;
        }
    }
    let norm = total.max(1.0);
    out[4] = cx / norm;
    out[5] = sy / norm;
    out[6] = weekend / norm;
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
    out[7] = share(EmotionalState::is_negative);
    out[8] = share(EmotionalState::is_positive);
    out[9] = f64::from(state.actions()[EventType::WebVisit.index()]).ln_1p();
    let (talk, watch, _) = state.engagement_averages();
    out[10] = talk;
    out[11] = watch / 100.0;
    for v in out.iter_mut() {
        if !v.is_finite() {
            *v = 0.0;
        }
    }
}
