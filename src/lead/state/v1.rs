//! The lead state as schema 1 wrote it (before the lead's UTC offset was kept), read only to
//! upgrade records written by the previous release.
//!
//! What it is for: a changelog or snapshot written before the upgrade still restores every
//! lead (`persist::decode_upgrading`); the offset starts unknown until the lead's next
//! `lead_created`. What it is not: written anywhere; never change its fields.

use serde::Deserialize;

use super::{
    ChurnCounters, EmotionalState, HourOfWeek, JourneyStage, LatencyStats, LeadState,
    SentimentTracker, N_CHANNELS, N_EMOTIONS, N_TYPES, UNKNOWN_OFFSET,
};

/// [`LeadState`] at schema 1: the same fields in the same order, without `utc_offset_min`.
#[derive(Debug, Deserialize)]
pub(crate) struct LeadStateV1 {
    created_ts: i64,
    watermark: i64,
    last_touch_ts: i64,
    last_response_ts: i64,
    last_text_ts: i64,
    touches: [f32; N_CHANNELS],
    responses: [f32; N_CHANNELS],
    actions: [f32; N_TYPES],
    emotions: [f32; N_EMOTIONS],
    latency: LatencyStats,
    sentiment: SentimentTracker,
    emotion_confidence: f32,
    avg_talk_ratio: f32,
    avg_watch_pct: f32,
    avg_dwell_log_s: f32,
    events: u32,
    late_applied: u32,
    late_dropped: u32,
    churn: ChurnCounters,
    flags: u16,
    hours: HourOfWeek,
    emotion: EmotionalState,
    stage: JourneyStage,
    persona: u8,
    awaiting_response: bool,
}

impl From<LeadStateV1> for LeadState {
    fn from(v: LeadStateV1) -> Self {
        Self {
            created_ts: v.created_ts,
            watermark: v.watermark,
            last_touch_ts: v.last_touch_ts,
            last_response_ts: v.last_response_ts,
            last_text_ts: v.last_text_ts,
            touches: v.touches,
            responses: v.responses,
            actions: v.actions,
            emotions: v.emotions,
            latency: v.latency,
            sentiment: v.sentiment,
            emotion_confidence: v.emotion_confidence,
            avg_talk_ratio: v.avg_talk_ratio,
            avg_watch_pct: v.avg_watch_pct,
            avg_dwell_log_s: v.avg_dwell_log_s,
            events: v.events,
            late_applied: v.late_applied,
            late_dropped: v.late_dropped,
            churn: v.churn,
            flags: v.flags,
            hours: v.hours,
            emotion: v.emotion,
            stage: v.stage,
            persona: v.persona,
            awaiting_response: v.awaiting_response,
            utc_offset_min: UNKNOWN_OFFSET,
        }
    }
}
