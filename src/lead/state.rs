//! What leadstream remembers about one lead: compact, event-time driven, at most 512 bytes.
//!
//! What it is for: folding a lead's events (and the text signals of their free text) into
//! decayed engagement counts, recency, latency and sentiment statistics, emotion, journey stage,
//! hour-of-week responsiveness and churn indicators.
//! What it is not: the key (see `store`), the model features (see `features`) or text analysis
//! (the caller runs [`crate::text::analyze`] and passes the signals in).
//!
//! # Time and late events
//! State moves with event time only. The lead's *watermark* is the newest `ts` applied. An event
//! with `ts >= watermark` is in order: counts decay to `ts`, then the event is added. An event
//! up to `late_tolerance_ms` older than the watermark is *late but applied*: its count
//! contribution is added already decayed to the watermark (so decayed counts equal what in-order
//! arrival would give), recency fields take the maximum, it records no response latency, it
//! adds to an unanswered streak only if no response came after it (and resets one only if no
//! touch came after it), its text updates the sentiment averages and its metrics the call, video
//! and web averages (these are order-sensitive: an approximation within the tolerance), its text
//! replaces the current emotion only if it is newer than the last text seen, and a late
//! `stage_changed` still sets the stage (the agent's word wins). An event older
//! than that is *too late*: it is counted in [`LeadState::late_dropped`] and otherwise ignored,
//! except the irreversible facts (unsubscribed, opted out, deal won or lost) and the lead's UTC
//! offset, which are still recorded because they stay true whenever they happened.
//!
//! Event time is trusted: an event stamped far in the future advances the watermark, and the
//! lead's correct events after it then count as too late. The decoder bounds `ts` to
//! 1970..=9999; sanity limits against a producer's clock belong in the pipeline, which knows
//! the wall clock.

use crate::event::{Channel, Event, EventKind, EventType, JourneyStage};
use crate::text::{EmotionalState, TextSignals};

use super::config::LeadParams;
use super::stats::{HourOfWeek, LatencyStats, SentimentTracker};

/// Marks a timestamp that has not happened.
pub const NEVER: i64 = i64::MIN;
/// Persona slot value before the clustering assigns one.
pub const PERSONA_UNSET: u8 = u8::MAX;
/// The UTC offset of a lead whose time zone no event has given.
const UNKNOWN_OFFSET: i16 = i16::MIN;

mod v1;
pub(crate) use v1::LeadStateV1;

const N_CHANNELS: usize = Channel::COUNT;
const N_TYPES: usize = EventType::COUNT;
const N_EMOTIONS: usize = EmotionalState::ALL.len();

/// Smoothing of the per-lead averages of call, video and web metrics (about the last 5).
const METRIC_ALPHA: f32 = 0.3;

/// How an event was applied to a lead's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// In event-time order (or the lead's first event).
    InOrder,
    /// Older than the watermark but within the tolerance: applied as documented.
    Late,
    /// Older than the tolerance: counted, not applied (irreversible facts excepted).
    TooLate,
    /// Not about a lead (market updates): the lead's state is untouched.
    NotLeadEvent,
    /// Already applied before a restart (its offset is at or below the lead's applied offset):
    /// the state is untouched, so replaying an uncommitted tail does not count it twice.
    Replayed,
}

/// Churn indicators: counters of the signs that a lead is drifting away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct ChurnCounters {
    /// Emails sent since the lead last opened, clicked or replied to one.
    pub unopened_streak: u16,
    /// Outbound touches (any channel) since the lead last responded.
    pub unanswered_touches: u16,
    /// Appointments missed.
    pub missed_appointments: u16,
    /// Messages whose text asked to stop contact or said "not interested".
    pub unsubscribe_cues: u16,
    /// Messages that mentioned another agent or listing site.
    pub competitor_mentions: u16,
    /// Messages that objected to price.
    pub price_objections: u16,
    /// Emails that bounced.
    pub bounces: u16,
    /// Messages with a negative emotion (confused, anxious, frustrated, disappointed).
    pub negative_messages: u16,
}

/// Flags: unsubscribed per channel (bits 0..5), unsubscribed from all, opted out, won, lost.
const FLAG_UNSUB_ALL: u16 = 1 << 8;
const FLAG_OPTED_OUT: u16 = 1 << 9;
const FLAG_WON: u16 = 1 << 10;
const FLAG_LOST: u16 = 1 << 11;

/// The state of one lead. See the module documentation for the time semantics.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LeadState {
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
    /// The lead's offset from UTC in minutes ([`UNKNOWN_OFFSET`] until an event gives it).
    utc_offset_min: i16,
}

impl LeadState {
    /// A lead first seen at `ts`: exploring, neutral, nothing counted.
    pub fn new(ts: i64) -> Self {
        Self {
            created_ts: ts,
            watermark: ts,
            last_touch_ts: NEVER,
            last_response_ts: NEVER,
            last_text_ts: NEVER,
            touches: [0.0; N_CHANNELS],
            responses: [0.0; N_CHANNELS],
            actions: [0.0; N_TYPES],
            emotions: [0.0; N_EMOTIONS],
            latency: LatencyStats::default(),
            sentiment: SentimentTracker::default(),
            emotion_confidence: 0.0,
            avg_talk_ratio: 0.0,
            avg_watch_pct: 0.0,
            avg_dwell_log_s: 0.0,
            events: 0,
            late_applied: 0,
            late_dropped: 0,
            churn: ChurnCounters::default(),
            flags: 0,
            hours: HourOfWeek::default(),
            emotion: EmotionalState::Neutral,
            stage: JourneyStage::Exploring,
            persona: PERSONA_UNSET,
            awaiting_response: false,
            utc_offset_min: UNKNOWN_OFFSET,
        }
    }

    /// Applies one event with the signals of its text (if the caller analysed it).
    pub fn apply(
        &mut self,
        event: &Event<'_>,
        signals: Option<&TextSignals>,
        params: &LeadParams,
    ) -> Applied {
        let et = event.event_type();
        if et == EventType::MarketUpdate {
            return Applied::NotLeadEvent;
        }
        let ts = event.ts;
        self.events = self.events.saturating_add(1);
        if ts < self.watermark.saturating_sub(params.late_tolerance_ms()) {
            self.late_dropped = self.late_dropped.saturating_add(1);
            self.apply_facts(event);
            return Applied::TooLate;
        }
        let in_order = ts >= self.watermark;
        // Weight of this event's count contribution at the reference time (the watermark).
        let (w_channel, w_action) = if in_order {
            let f = params.decay(ts.saturating_sub(self.watermark));
            self.decay_all(f.channel, f.action);
            self.watermark = ts;
            (1.0, 1.0)
        } else {
            self.late_applied = self.late_applied.saturating_add(1);
            let f = params.decay(self.watermark.saturating_sub(ts));
            (f.channel, f.action)
        };
        self.created_ts = self.created_ts.min(ts);
        self.actions[et.index()] += w_action;
        if let Some(ch) = event.channel {
            if et.is_outbound() {
                self.touches[ch.index()] += w_channel;
            } else if et.is_lead_response() {
                self.responses[ch.index()] += w_channel;
            }
        }
        if et.is_outbound() {
            self.on_touch(et, ts);
        } else if et.is_lead_response() {
            self.on_response(et, ts, in_order);
        }
        self.apply_kind(event);
        self.apply_facts(event);
        if let Some(s) = signals {
            self.apply_text(s, ts, w_action);
        }
        if in_order {
            Applied::InOrder
        } else {
            Applied::Late
        }
    }

    fn decay_all(&mut self, channel: f32, action: f32) {
        if channel < 1.0 {
            self.touches.iter_mut().for_each(|c| *c *= channel);
            self.responses.iter_mut().for_each(|c| *c *= channel);
        }
        if action < 1.0 {
            self.actions.iter_mut().for_each(|c| *c *= action);
            self.emotions.iter_mut().for_each(|c| *c *= action);
        }
    }

    fn on_touch(&mut self, et: EventType, ts: i64) {
        if ts >= self.last_touch_ts {
            self.last_touch_ts = ts;
            // A touch older than the last response was already answered.
            self.awaiting_response = ts >= self.last_response_ts;
        }
        // A late touch older than the last response was answered: it adds to no streak.
        if ts >= self.last_response_ts {
            self.churn.unanswered_touches = self.churn.unanswered_touches.saturating_add(1);
            if et == EventType::EmailSent {
                self.churn.unopened_streak = self.churn.unopened_streak.saturating_add(1);
            }
        }
    }

    fn on_response(&mut self, et: EventType, ts: i64, in_order: bool) {
        if in_order && self.awaiting_response && self.last_touch_ts != NEVER {
            self.latency.push(ts.saturating_sub(self.last_touch_ts));
        }
        if ts >= self.last_response_ts {
            self.last_response_ts = ts;
            self.awaiting_response = self.last_touch_ts > ts;
        }
        // A late response older than the last touch leaves the streaks alone: the touches
        // after it are still unanswered.
        if ts >= self.last_touch_ts {
            self.churn.unanswered_touches = 0;
            if matches!(
                et,
                EventType::EmailOpened | EventType::EmailClicked | EventType::EmailReplied
            ) {
                self.churn.unopened_streak = 0;
            }
        }
        self.hours.record(ts);
        let floor = match et {
            EventType::EmailReplied | EventType::SmsReplied | EventType::CallCompleted => {
                JourneyStage::Engaged
            }
            EventType::AppointmentBooked | EventType::AppointmentAttended => JourneyStage::Active,
            EventType::OfferMade => JourneyStage::Negotiating,
            _ => JourneyStage::Exploring,
        };
        self.stage = self.stage.max(floor);
    }

    fn apply_kind(&mut self, event: &Event<'_>) {
        match &event.kind {
            EventKind::CallCompleted(m) => {
                ewma(&mut self.avg_talk_ratio, m.talk_ratio as f32);
            }
            EventKind::VideoViewed { watch_pct, .. } => {
                ewma(&mut self.avg_watch_pct, *watch_pct as f32);
            }
            EventKind::WebVisit { dwell_s, .. } => {
                ewma(&mut self.avg_dwell_log_s, dwell_s.max(0.0).ln_1p() as f32);
            }
            EventKind::EmailBounced => {
                self.churn.bounces = self.churn.bounces.saturating_add(1);
            }
            EventKind::AppointmentMissed => {
                self.churn.missed_appointments = self.churn.missed_appointments.saturating_add(1);
            }
            EventKind::StageChanged { stage } => self.stage = *stage,
            _ => {}
        }
    }

    /// Irreversible facts, recorded whenever they happened (even too late); the lead's time zone
    /// too (the last one given wins).
    fn apply_facts(&mut self, event: &Event<'_>) {
        match event.kind {
            EventKind::Unsubscribed => {
                self.flags |= match event.channel {
                    Some(ch) => 1 << ch.index(),
                    None => FLAG_UNSUB_ALL,
                };
            }
            EventKind::OptedOut => self.flags |= FLAG_OPTED_OUT,
            EventKind::DealWon { .. } => {
                self.flags |= FLAG_WON;
                self.stage = JourneyStage::ReadyToBuy;
            }
            EventKind::DealLost { .. } => self.flags |= FLAG_LOST,
            EventKind::LeadCreated {
                utc_offset_min: Some(m),
                ..
            } => self.utc_offset_min = m,
            _ => {}
        }
    }

    fn apply_text(&mut self, s: &TextSignals, ts: i64, weight: f32) {
        self.sentiment.push(s.sentiment.compound);
        let conf = if s.emotion_confidence.is_finite() {
            s.emotion_confidence.clamp(0.0, 1.0) as f32
        } else {
            0.0
        };
        self.emotions[s.emotion as usize] += weight;
        if ts >= self.last_text_ts {
            self.last_text_ts = ts;
            self.emotion = s.emotion;
            self.emotion_confidence = conf;
        }
        let c = &mut self.churn;
        let bump = |v: &mut u16, hit: bool| *v = v.saturating_add(u16::from(hit));
        bump(&mut c.unsubscribe_cues, s.cues.unsubscribe_intent);
        bump(&mut c.competitor_mentions, s.cues.competitor_mention);
        bump(&mut c.price_objections, s.cues.price_objection);
        bump(&mut c.negative_messages, s.emotion.is_negative());
    }

    /// Sets the persona slot (from the clustering); [`PERSONA_UNSET`] clears it.
    pub fn set_persona(&mut self, persona: u8) {
        self.persona = persona;
    }
}

fn ewma(avg: &mut f32, x: f32) {
    if x.is_finite() {
        *avg += METRIC_ALPHA * (x - *avg);
    }
}

/// Read access, used by feature extraction and tests.
impl LeadState {
    /// Earliest event time seen for this lead.
    pub const fn created_ts(&self) -> i64 {
        self.created_ts
    }
    /// Newest event time applied; decayed counts are stated as of this time.
    pub const fn watermark(&self) -> i64 {
        self.watermark
    }
    /// Time of the last outbound touch, if any.
    pub const fn last_touch_ts(&self) -> Option<i64> {
        opt_ts(self.last_touch_ts)
    }
    /// Time of the last response by the lead, if any.
    pub const fn last_response_ts(&self) -> Option<i64> {
        opt_ts(self.last_response_ts)
    }
    /// Decayed outbound touches per channel (index by [`Channel::index`]), as of the watermark.
    pub const fn touches(&self) -> &[f32; N_CHANNELS] {
        &self.touches
    }
    /// Decayed responses per channel, as of the watermark.
    pub const fn responses(&self) -> &[f32; N_CHANNELS] {
        &self.responses
    }
    /// Decayed count per event type (index by [`EventType::index`]), as of the watermark.
    pub const fn actions(&self) -> &[f32; N_TYPES] {
        &self.actions
    }
    /// Decayed count of messages per emotional state (index by `EmotionalState as usize`).
    pub const fn emotion_counts(&self) -> &[f32; N_EMOTIONS] {
        &self.emotions
    }
    /// Response latency statistics.
    pub const fn latency(&self) -> &LatencyStats {
        &self.latency
    }
    /// Sentiment average, trend and volatility.
    pub const fn sentiment(&self) -> &SentimentTracker {
        &self.sentiment
    }
    /// The emotional state of the newest message, and its confidence.
    pub fn emotion(&self) -> (EmotionalState, f64) {
        (self.emotion, f64::from(self.emotion_confidence))
    }
    /// The journey stage.
    pub const fn stage(&self) -> JourneyStage {
        self.stage
    }
    /// The persona slot ([`PERSONA_UNSET`] if none).
    pub const fn persona(&self) -> u8 {
        self.persona
    }
    /// The lead's offset from UTC in minutes, if an event gave it (`lead_created`).
    pub const fn utc_offset_min(&self) -> Option<i16> {
        if self.utc_offset_min == UNKNOWN_OFFSET {
            None
        } else {
            Some(self.utc_offset_min)
        }
    }
    /// When in the week the lead responds.
    pub const fn hours(&self) -> &HourOfWeek {
        &self.hours
    }
    /// Churn indicator counters.
    pub const fn churn(&self) -> &ChurnCounters {
        &self.churn
    }
    /// Averages (EWMA) of talk ratio, video watch percent and `ln(1 + web dwell seconds)`.
    pub fn engagement_averages(&self) -> (f64, f64, f64) {
        (
            f64::from(self.avg_talk_ratio),
            f64::from(self.avg_watch_pct),
            f64::from(self.avg_dwell_log_s),
        )
    }
    /// Events seen (applied, late or dropped).
    pub const fn events(&self) -> u32 {
        self.events
    }
    /// Late events applied within the tolerance.
    pub const fn late_applied(&self) -> u32 {
        self.late_applied
    }
    /// Events older than the tolerance, dropped.
    pub const fn late_dropped(&self) -> u32 {
        self.late_dropped
    }
    /// Whether the lead unsubscribed from `channel` (or from everything).
    pub const fn unsubscribed_from(&self, channel: Channel) -> bool {
        self.flags & (1 << channel as u16) != 0 || self.flags & FLAG_UNSUB_ALL != 0
    }
    /// Whether the lead unsubscribed from any channel.
    pub const fn unsubscribed_any(&self) -> bool {
        self.flags & (FLAG_UNSUB_ALL | 0xff) != 0
    }
    /// Whether the lead opted out of contact.
    pub const fn opted_out(&self) -> bool {
        self.flags & FLAG_OPTED_OUT != 0
    }
    /// Whether a deal was won.
    pub const fn deal_won(&self) -> bool {
        self.flags & FLAG_WON != 0
    }
    /// Whether a deal was lost.
    pub const fn deal_lost(&self) -> bool {
        self.flags & FLAG_LOST != 0
    }
    /// Whether the last outbound touch is still unanswered.
    pub const fn awaiting_response(&self) -> bool {
        self.awaiting_response
    }
}

const fn opt_ts(ts: i64) -> Option<i64> {
    if ts == NEVER {
        None
    } else {
        Some(ts)
    }
}
