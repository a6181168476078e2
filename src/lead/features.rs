//! Model features: a fixed-length, named vector computed from a lead's state at a given time.
//!
//! What it is for: the dense `[f64; N_FEATURES]` every model consumes, in the order of
//! [`FEATURE_NAMES`] (kept for explanations). Extraction decays counts to `now_ms` without
//! changing the state, allocates nothing, and every value is finite.
//! What it is not: feature scaling or selection (the models' business). Counters are passed
//! through `ln(1 + x)` and shares are in `[0, 1]` so raw magnitudes stay tame.

use crate::event::{Channel, EventType, JourneyStage};
use crate::text::EmotionalState;

use super::config::LeadParams;
use super::state::{LeadState, PERSONA_UNSET};

/// Number of features.
pub const N_FEATURES: usize = 96;

/// Persona slots that get a one-hot feature (the simulator's five personas).
pub const PERSONA_SLOTS: usize = 5;

/// Feature names, in vector order.
pub const FEATURE_NAMES: [&str; N_FEATURES] = [
    "log_hours_since_response",
    "log_hours_since_touch",
    "log_hours_since_created",
    "log_hours_since_last_event",
    "never_responded",
    "awaiting_response",
    "touches_email",
    "touches_sms",
    "touches_call",
    "touches_web",
    "touches_video",
    "responses_email",
    "responses_sms",
    "responses_call",
    "responses_web",
    "responses_video",
    "response_rate_email",
    "response_rate_sms",
    "response_rate_call",
    "response_rate_web",
    "response_rate_video",
    "count_lead_created",
    "count_email_sent",
    "count_email_opened",
    "count_email_clicked",
    "count_email_replied",
    "count_email_bounced",
    "count_sms_sent",
    "count_sms_replied",
    "count_call_completed",
    "count_voicemail",
    "count_web_visit",
    "count_video_sent",
    "count_video_viewed",
    "count_appointment_booked",
    "count_appointment_missed",
    "count_appointment_attended",
    "count_offer_made",
    "count_deal_won",
    "count_deal_lost",
    "count_unsubscribed",
    "count_opted_out",
    "count_stage_changed",
    "count_market_update",
    "latency_mean_log_s",
    "latency_std_log_s",
    "latency_last_log_s",
    "log_latency_count",
    "sentiment_ewma",
    "sentiment_trend",
    "sentiment_volatility",
    "sentiment_last",
    "log_messages",
    "emotion_excited",
    "emotion_hopeful",
    "emotion_confident",
    "emotion_satisfied",
    "emotion_neutral",
    "emotion_confused",
    "emotion_anxious",
    "emotion_frustrated",
    "emotion_disappointed",
    "emotion_urgent",
    "emotion_confidence",
    "emotion_share_positive",
    "emotion_share_negative",
    "stage_level",
    "stage_exploring",
    "stage_engaged",
    "stage_active",
    "stage_negotiating",
    "stage_ready_to_buy",
    "response_share_hour_of_week",
    "response_share_time_of_day",
    "response_peak_hour_share",
    "persona_0",
    "persona_1",
    "persona_2",
    "persona_3",
    "persona_4",
    "log_unopened_streak",
    "log_unanswered_touches",
    "log_missed_appointments",
    "log_unsubscribe_cues",
    "log_competitor_mentions",
    "log_price_objections",
    "log_bounces",
    "log_negative_messages",
    "unsubscribed_any",
    "opted_out",
    "deal_won",
    "deal_lost",
    "avg_talk_ratio",
    "avg_watch_fraction",
    "avg_log_dwell_s",
    "log_events",
];

/// Writes features one after another; the count is checked against [`N_FEATURES`] in tests.
struct Writer<'a> {
    out: &'a mut [f64; N_FEATURES],
    pos: usize,
}

impl Writer<'_> {
    fn push(&mut self, v: f64) {
        if let Some(slot) = self.out.get_mut(self.pos) {
            *slot = if v.is_finite() { v } else { 0.0 };
        }
        self.pos += 1;
    }

    fn flag(&mut self, b: bool) {
        self.push(if b { 1.0 } else { 0.0 });
    }
}

fn log_hours(from: i64, to: i64) -> f64 {
    let ms = to.saturating_sub(from).max(0) as f64;
    (ms / 3_600_000.0).ln_1p()
}

fn log_count(n: u16) -> f64 {
    f64::from(n).ln_1p()
}

/// Computes the features of `state` as seen at `now_ms` into `out`; returns how many were
/// written (always [`N_FEATURES`]). Counts are decayed from the lead's watermark to `now_ms`
/// (no decay if `now_ms` is earlier); times since events are in log hours.
pub fn extract(
    state: &LeadState,
    params: &LeadParams,
    now_ms: i64,
    out: &mut [f64; N_FEATURES],
) -> usize {
    let mut w = Writer { out, pos: 0 };
    let decay = params.decay(now_ms.saturating_sub(state.watermark()));
    let (dc, da) = (f64::from(decay.channel), f64::from(decay.action));

    let created = state.created_ts();
    let last_response = state.last_response_ts();
    w.push(log_hours(last_response.unwrap_or(created), now_ms));
    w.push(log_hours(state.last_touch_ts().unwrap_or(created), now_ms));
    w.push(log_hours(created, now_ms));
    w.push(log_hours(state.watermark(), now_ms));
    w.flag(last_response.is_none());
    w.flag(state.awaiting_response());

    let touches = state.touches();
    let responses = state.responses();
    for ch in Channel::ALL {
        w.push(f64::from(touches[ch.index()]) * dc);
    }
    for ch in Channel::ALL {
        w.push(f64::from(responses[ch.index()]) * dc);
    }
    for ch in Channel::ALL {
        let (t, r) = (
            f64::from(touches[ch.index()]),
            f64::from(responses[ch.index()]),
        );
        w.push((r / (t + 1.0)).min(1.0));
    }
    let actions = state.actions();
    for t in EventType::ALL {
        w.push(f64::from(actions[t.index()]) * da);
    }

    let lat = state.latency();
    w.push(lat.mean_log_s());
    w.push(lat.std_log_s());
    w.push(lat.last_log_s());
    w.push(f64::from(lat.count()).ln_1p());

    let s = state.sentiment();
    w.push(s.ewma());
    w.push(s.trend());
    w.push(s.volatility());
    w.push(s.last());
    w.push(f64::from(s.count()).ln_1p());

    let (emotion, confidence) = state.emotion();
    for e in EmotionalState::ALL {
        w.flag(e == emotion && s.count() > 0);
    }
    w.push(confidence);
    let counts = state.emotion_counts();
    let total: f64 = counts.iter().map(|&c| f64::from(c)).sum();
    let share = |pred: fn(EmotionalState) -> bool| {
        if total <= 0.0 {
            return 0.0;
        }
        EmotionalState::ALL
            .iter()
            .filter(|e| pred(**e))
            .map(|e| f64::from(counts[*e as usize]))
            .sum::<f64>()
            / total
    };
    w.push(share(EmotionalState::is_positive));
    w.push(share(EmotionalState::is_negative));

    let stage = state.stage();
    w.push(stage.index() as f64 / (JourneyStage::COUNT - 1) as f64);
    for st in JourneyStage::ALL {
        w.flag(*st == stage);
    }

    let hours = state.hours();
    w.push(hours.share_near(now_ms));
    w.push(hours.share_time_of_day(now_ms));
    w.push(hours.peak_share());

    let persona = state.persona();
    for slot in 0..PERSONA_SLOTS {
        w.flag(persona != PERSONA_UNSET && usize::from(persona) == slot);
    }

    let c = state.churn();
    for n in [
        c.unopened_streak,
        c.unanswered_touches,
        c.missed_appointments,
        c.unsubscribe_cues,
        c.competitor_mentions,
        c.price_objections,
        c.bounces,
        c.negative_messages,
    ] {
        w.push(log_count(n));
    }
    w.flag(state.unsubscribed_any());
    w.flag(state.opted_out());
    w.flag(state.deal_won());
    w.flag(state.deal_lost());

    let (talk, watch, dwell) = state.engagement_averages();
    w.push(talk);
    w.push(watch / 100.0);
    w.push(dwell);
    w.push(f64::from(state.events()).ln_1p());
    w.pos
}

/// The position of a feature by name (for explanations and tests).
pub fn feature_index(name: &str) -> Option<usize> {
    FEATURE_NAMES.iter().position(|n| *n == name)
}
