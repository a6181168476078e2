//! Voice: speaking pace, talk-to-listen ratio and interruptions from call metadata.
//!
//! What it is for: coaching signals for agents from a completed call's numbers (no audio).
//! What it is not: speech recognition or diarization; it trusts the word counts it is given.
//!
//! Healthy bands (rules of thumb, not laws; tune per team):
//! - Pace: [`PACE_MIN_WPM`]..=[`PACE_MAX_WPM`] words per minute. Conversational English runs at
//!   roughly 120-160 wpm (the US National Center for Voice and Speech gives ~150 wpm as the
//!   conversational average); we widen it a little on both sides so only clear outliers hint.
//! - Agent talk share: [`TALK_SHARE_MIN`]..=[`TALK_SHARE_MAX`] of the words. Gong Labs' published
//!   analysis of recorded B2B sales calls (2017) found the best closers talk about 43% of the
//!   time and lower performers 65% or more; below about a third the agent is not leading.
//! - Interruptions: more than [`INTERRUPTIONS_MAX_PER_MIN`] per minute is flagged (our own
//!   threshold: one every 30 seconds is already frequent in a one-to-one call).

use serde::Serialize;

use super::error::{non_negative, TextError};

/// Slowest healthy pace, words per minute.
pub const PACE_MIN_WPM: f64 = 110.0;
/// Fastest healthy pace, words per minute.
pub const PACE_MAX_WPM: f64 = 170.0;
/// Lowest healthy share of the call's words spoken by the agent.
pub const TALK_SHARE_MIN: f64 = 0.35;
/// Highest healthy share of the call's words spoken by the agent.
pub const TALK_SHARE_MAX: f64 = 0.65;
/// Most interruptions per minute before a hint.
pub const INTERRUPTIONS_MAX_PER_MIN: f64 = 2.0;

/// What is known about one completed call.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CallMetadata {
    /// Call length in seconds (> 0).
    pub duration_secs: f64,
    /// Words the agent spoke.
    pub agent_words: u32,
    /// Words the lead spoke.
    pub lead_words: u32,
    /// Times one side cut the other off.
    pub interruptions: u32,
    /// Seconds the agent was speaking, when the call platform reports it.
    pub agent_talk_secs: Option<f64>,
    /// Seconds the lead was speaking, when the call platform reports it.
    pub lead_talk_secs: Option<f64>,
}

/// Hints for the agent when a number is outside its healthy band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CoachingHints {
    /// Agent pace above [`PACE_MAX_WPM`].
    pub slow_down: bool,
    /// Agent pace below [`PACE_MIN_WPM`].
    pub speed_up: bool,
    /// Agent talk share above [`TALK_SHARE_MAX`].
    pub listen_more: bool,
    /// Agent talk share below [`TALK_SHARE_MIN`].
    pub lead_the_call: bool,
    /// Interruptions above [`INTERRUPTIONS_MAX_PER_MIN`].
    pub interrupt_less: bool,
}

impl CoachingHints {
    /// Whether any hint is raised.
    pub fn any(&self) -> bool {
        self.slow_down
            || self.speed_up
            || self.listen_more
            || self.lead_the_call
            || self.interrupt_less
    }

    /// The raised hints as short sentences for an agent.
    pub fn messages(&self) -> impl Iterator<Item = &'static str> {
        [
            (
                self.slow_down,
                "Slow down: you spoke faster than 170 words per minute.",
            ),
            (
                self.speed_up,
                "Pick up the pace: you spoke slower than 110 words per minute.",
            ),
            (
                self.listen_more,
                "Listen more: you spoke over 65% of the words.",
            ),
            (
                self.lead_the_call,
                "Lead the call: you spoke under 35% of the words.",
            ),
            (
                self.interrupt_less,
                "Interrupt less: more than 2 interruptions a minute.",
            ),
        ]
        .into_iter()
        .filter_map(|(raised, text)| raised.then_some(text))
    }
}

/// Signals from one call.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct VoiceSignals {
    /// Agent words per minute of agent speaking time (estimated when not reported, see
    /// [`analyze_call`]).
    pub agent_wpm: f64,
    /// Lead words per minute of lead speaking time (same estimate).
    pub lead_wpm: f64,
    /// Agent talk over lead talk (time when reported, else words); 0 when neither spoke,
    /// and capped at 100 when the lead said nothing.
    pub talk_to_listen: f64,
    /// Agent share of the talking, in `[0, 1]` (0.5 when neither spoke).
    pub agent_talk_share: f64,
    /// Interruptions per minute of call.
    pub interruptions_per_minute: f64,
    /// Hints when a number is outside its band.
    pub hints: CoachingHints,
}

/// Cap on [`VoiceSignals::talk_to_listen`] so a silent lead gives a finite number.
const MAX_TALK_TO_LISTEN: f64 = 100.0;

/// Computes the signals of one call. Without reported talk times, each side's speaking time is
/// estimated as the call duration split by word share, which makes both paces equal to the
/// call's overall words per minute.
///
/// # Errors
/// [`TextError::ZeroDuration`] when the duration is 0, [`TextError::NotFiniteNonNegative`] when
/// a time is NaN, infinite or negative.
///
/// # Examples
/// ```
/// use leadstream::text::voice::{analyze_call, CallMetadata};
///
/// let call = CallMetadata { duration_secs: 300.0, agent_words: 600, lead_words: 150,
///                           interruptions: 3, ..CallMetadata::default() };
/// let v = analyze_call(&call).unwrap();
/// assert_eq!(v.agent_wpm, 150.0);
/// assert_eq!(v.agent_talk_share, 0.8);
/// assert!(v.hints.listen_more && !v.hints.slow_down);
/// ```
pub fn analyze_call(call: &CallMetadata) -> Result<VoiceSignals, TextError> {
    let duration = non_negative("duration_secs", call.duration_secs)?;
    if duration == 0.0 {
        return Err(TextError::ZeroDuration(duration));
    }
    let agent_words = f64::from(call.agent_words);
    let lead_words = f64::from(call.lead_words);
    let total_words = agent_words + lead_words;
    let (agent_secs, lead_secs) = match (call.agent_talk_secs, call.lead_talk_secs) {
        (Some(a), Some(l)) => (
            non_negative("agent_talk_secs", a)?,
            non_negative("lead_talk_secs", l)?,
        ),
        _ if total_words > 0.0 => (
            duration * agent_words / total_words,
            duration * lead_words / total_words,
        ),
        _ => (0.0, 0.0),
    };
    let per_minute = |words: f64, secs: f64| if secs > 0.0 { words * 60.0 / secs } else { 0.0 };
    let agent_wpm = per_minute(agent_words, agent_secs);
    let lead_wpm = per_minute(lead_words, lead_secs);
    let talk = agent_secs + lead_secs;
    let agent_talk_share = if talk > 0.0 { agent_secs / talk } else { 0.5 };
    let talk_to_listen = if lead_secs > 0.0 {
        (agent_secs / lead_secs).min(MAX_TALK_TO_LISTEN)
    } else if agent_secs > 0.0 {
        MAX_TALK_TO_LISTEN
    } else {
        0.0
    };
    let interruptions_per_minute = f64::from(call.interruptions) * 60.0 / duration;
    let agent_spoke = call.agent_words > 0;
    let hints = CoachingHints {
        slow_down: agent_spoke && agent_wpm > PACE_MAX_WPM,
        speed_up: agent_spoke && agent_wpm < PACE_MIN_WPM,
        listen_more: talk > 0.0 && agent_talk_share > TALK_SHARE_MAX,
        lead_the_call: talk > 0.0 && agent_talk_share < TALK_SHARE_MIN,
        interrupt_less: interruptions_per_minute > INTERRUPTIONS_MAX_PER_MIN,
    };
    Ok(VoiceSignals {
        agent_wpm,
        lead_wpm,
        talk_to_listen,
        agent_talk_share,
        interruptions_per_minute,
        hints,
    })
}
