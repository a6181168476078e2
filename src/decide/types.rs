//! The outputs of decision making: [`Decision`] (for every lead event) and [`ChurnAlert`] (when
//! risk is high enough), with their vocabularies. Their JSON shape is documented in
//! docs/decisions.md.
//!
//! What it is for: the typed, serializable contract between the deciders and the sinks.
//! What it is not: how decisions are made (see `shard`) or learned (see `learner`).

use serde::{Deserialize, Serialize, Serializer};

use crate::event::{Channel, JourneyStage, MessageVariant};

/// Serializes a vocabulary value by its wire name.
fn wire<S: Serializer, T: std::fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// A model output (probability, estimate, contribution, feature value) as it goes on the wire:
/// in single precision, the shortest form that reads back as the same `f32` (at most 9
/// significant digits, usually 7 or 8), so a decision is not padded with 17-digit numbers whose
/// last 9 digits mean nothing. Finite values outside `f32`'s range keep double precision;
/// NaN and infinities are `null`, as for any float.
fn single<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    let narrow = *v as f32;
    if narrow.is_finite() || !v.is_finite() {
        s.serialize_f32(narrow)
    } else {
        s.serialize_f64(*v)
    }
}

fn single_array<S: Serializer>(v: &[f64; 4], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeTuple;
    let mut t = s.serialize_tuple(v.len())?;
    for x in v {
        t.serialize_element(&Single(*x))?;
    }
    t.end()
}

/// An `f64` serialized by [`single`].
struct Single(f64);

impl Serialize for Single {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        single(&self.0, s)
    }
}

/// Latencies go on the wire rounded to a thousandth of their unit (a microsecond for
/// milliseconds, a nanosecond for microseconds): finer digits are clock noise.
fn round_latency(v: f64) -> f64 {
    (v * 1e3).round() / 1e3
}

/// How many top features an explanation lists.
pub const TOP_FEATURES: usize = 3;

macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $w:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $w)] $v),+
        }
        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// How many values there are.
            pub const COUNT: usize = Self::ALL.len();
            /// The wire name.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$v => $w),+ }
            }
            /// The position in [`ALL`](Self::ALL).
            pub const fn index(self) -> usize {
                self as usize
            }
            /// The value at `i` (clamped to the last).
            pub fn from_index(i: usize) -> Self {
                Self::ALL[i.min(Self::COUNT - 1)]
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum! {
    /// Churn risk level, from the calibrated churn probability and the thresholds of
    /// [`DecideConfig::risk_thresholds`](super::DecideConfig).
    RiskLevel {
        /// Below the first threshold.
        VeryLow = "very_low",
        /// Below the second threshold.
        Low = "low",
        /// Below the third threshold.
        Medium = "medium",
        /// Below the fourth threshold.
        High = "high",
        /// At or above the fourth threshold.
        Critical = "critical",
    }
}

named_enum! {
    /// How soon an intervention should happen.
    Urgency {
        /// Whenever convenient (within two weeks).
        Low = "low",
        /// Within a week.
        Normal = "normal",
        /// Within three days.
        Elevated = "elevated",
        /// Within a day.
        High = "high",
        /// Now.
        Immediate = "immediate",
    }
}

named_enum! {
    /// What an agent can do to keep a lead.
    Intervention {
        /// The agent calls the lead personally.
        PersonalCall = "personal_call",
        /// Send useful content (guides, checklists).
        ValueContent = "value_content",
        /// Send a local market report.
        MarketReport = "market_report",
        /// Alert on price drops in the lead's search.
        PriceDropAlert = "price_drop_alert",
        /// Send a personal video message.
        VideoMessage = "video_message",
        /// A re-engagement offer (free valuation, consultation).
        ReengagementOffer = "reengagement_offer",
        /// Pause the contact cadence for a while.
        PauseCadence = "pause_cadence",
        /// Move to another channel.
        SwitchChannel = "switch_channel",
        /// Hand the lead to a manager or senior agent.
        EscalateToManager = "escalate_to_manager",
        /// Ask the lead what they need (a short survey).
        Survey = "survey",
    }
}

named_enum! {
    /// A sign that a lead is drifting away, computed from lead state (each valued in `[0, 1]`).
    Indicator {
        /// Long silence since the last response.
        DecliningEngagement = "declining_engagement",
        /// Sentiment falling or negative.
        NegativeSentimentTrend = "negative_sentiment_trend",
        /// The last response took much longer than usual.
        RisingResponseLatency = "rising_response_latency",
        /// Appointments missed.
        MissedAppointments = "missed_appointments",
        /// Emails sent and not opened, in a row.
        UnopenedStreak = "unopened_streak",
        /// Many recent touches, few responses.
        ChannelFatigue = "channel_fatigue",
        /// Messages asking to stop or saying "not interested".
        UnsubscribeCues = "unsubscribe_cues",
        /// An old lead stuck in an early journey stage.
        StalledJourney = "stalled_journey",
        /// Messages mentioning another agent or site.
        CompetitorMentions = "competitor_mentions",
        /// Messages objecting to price.
        PriceObjections = "price_objections",
    }
}

named_enum! {
    /// The tone a message should take.
    Tone {
        /// Calm, explaining, for anxious or confused leads.
        Reassuring = "reassuring",
        /// Friendly and personal.
        Warm = "warm",
        /// Businesslike.
        Neutral = "neutral",
        /// Short and to the point.
        Direct = "direct",
        /// Energetic, for excited or urgent leads.
        Enthusiastic = "enthusiastic",
    }
}

/// The four channels the agent can contact a lead on (bandit arms, in this order).
pub const CONTACT_CHANNELS: [Channel; 4] =
    [Channel::Email, Channel::Sms, Channel::Call, Channel::Video];

/// A bandit's belief about the arm it chose.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ArmBelief {
    /// Estimated success probability (posterior mean, or ridge estimate for LinUCB).
    #[serde(serialize_with = "single")]
    pub estimate: f64,
    /// Uncertainty: posterior standard deviation (Thompson) or confidence width (LinUCB).
    #[serde(serialize_with = "single")]
    pub uncertainty: f64,
    /// The value the choice maximised: the Thompson draw, or the upper confidence bound.
    #[serde(serialize_with = "single")]
    pub score: f64,
}

/// One feature's part in a prediction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FeatureContribution {
    /// Feature name (from [`crate::lead::FEATURE_NAMES`]).
    pub feature: &'static str,
    /// The feature's value.
    #[serde(serialize_with = "single")]
    pub value: f64,
    /// Its additive contribution to the model's logit (logistic member of the model).
    #[serde(serialize_with = "single")]
    pub contribution: f64,
}

impl Default for FeatureContribution {
    fn default() -> Self {
        Self {
            feature: "",
            value: 0.0,
            contribution: 0.0,
        }
    }
}

/// One churn indicator's part in an alert.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IndicatorContribution {
    /// The indicator.
    pub indicator: Indicator,
    /// Its value in `[0, 1]`.
    #[serde(serialize_with = "single")]
    pub value: f64,
    /// Its additive contribution to the indicator model's churn logit (weight times value).
    #[serde(serialize_with = "single")]
    pub contribution: f64,
}

/// The version of every model that took part in a decision (each starts at 1 and increases with
/// every published update or promoted retraining).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ModelVersions {
    /// Churn ensemble (Hoeffding adaptive tree + logistic regression, calibrated).
    pub churn: u64,
    /// Response model (one logistic regression per channel).
    pub response: u64,
    /// Journey progression model.
    pub journey: u64,
    /// Channel bandit.
    pub channel_bandit: u64,
    /// Variant bandit.
    pub variant_bandit: u64,
    /// Send-time model.
    pub send_time: u64,
    /// Persona clustering.
    pub personas: u64,
    /// Intervention policy.
    pub interventions: u64,
}

/// Why a decision was made.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Explanation {
    /// Features that most moved the response model for the chosen channel (largest |contribution|).
    pub top_features: [FeatureContribution; TOP_FEATURES],
    /// The channel bandit's belief about the chosen channel.
    pub channel: ArmBelief,
    /// The variant bandit's belief about the chosen variant.
    pub variant: ArmBelief,
    /// The send-time model's belief about the chosen hour.
    pub send_time: ArmBelief,
}

/// A personalization decision: what to do next for a lead, made on each of its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// The input event's id (for de-duplication downstream).
    pub event_id: String,
    /// Tenant.
    pub tenant_id: String,
    /// Lead.
    pub lead_id: String,
    /// The input event's time, epoch ms.
    pub event_ts_ms: i64,
    /// Next channel to use.
    #[serde(serialize_with = "wire")]
    pub channel: Channel,
    /// Whether any channel is still allowed (false after unsubscribing from every channel).
    pub contactable: bool,
    /// When to send next, epoch ms: the start of the chosen hour among the next 24 after the
    /// event.
    pub send_at_ms: i64,
    /// The hour of day of `send_at_ms`, UTC.
    pub send_hour_utc: u8,
    /// The hour of the week of `send_at_ms` in the lead's time zone (0 = Monday 00:00-00:59;
    /// UTC when the time zone is unknown).
    pub send_local_hour_of_week: u16,
    /// The lead's offset from UTC in minutes (`null`: unknown, send times are planned in UTC).
    pub utc_offset_minutes: Option<i16>,
    /// Message variant.
    #[serde(serialize_with = "wire")]
    pub variant: MessageVariant,
    /// Tone of the message.
    pub tone: Tone,
    /// Persona cluster id (stable), or `None` before the clustering is seeded.
    pub persona: Option<u8>,
    /// Journey stage.
    #[serde(serialize_with = "wire")]
    pub journey_stage: JourneyStage,
    /// Probability that the lead moves to a later stage within the journey horizon.
    #[serde(serialize_with = "single")]
    pub progression_probability: f64,
    /// Probability of a response to the next touch on email, SMS, call, video.
    #[serde(serialize_with = "single_array")]
    pub response_probability: [f64; 4],
    /// Calibrated probability of churn within the churn horizon.
    #[serde(serialize_with = "single")]
    pub churn_probability: f64,
    /// Churn risk level.
    pub risk_level: RiskLevel,
    /// Why.
    pub explanation: Explanation,
    /// Versions of the models used.
    pub model_versions: ModelVersions,
    /// Milliseconds from the event's time to the decision (set by the pipeline).
    pub latency_from_event_ms: Option<f64>,
    /// Microseconds from receipt of the event to the decision (set by the pipeline).
    pub latency_from_receipt_us: Option<f64>,
}

impl Decision {
    /// Records the latencies (the pipeline knows the clocks; the decider does not).
    pub fn set_latency(&mut self, from_event_ms: f64, from_receipt_us: f64) {
        self.latency_from_event_ms = Some(round_latency(from_event_ms));
        self.latency_from_receipt_us = Some(round_latency(from_receipt_us));
    }
}

/// A churn alert: a lead at risk, why, and what to do, at most one per lead per level and
/// cooldown (see [`DecideConfig::alert_cooldown_ms`](super::DecideConfig)).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChurnAlert {
    /// The input event's id.
    pub event_id: String,
    /// Tenant.
    pub tenant_id: String,
    /// Lead.
    pub lead_id: String,
    /// The input event's time, epoch ms.
    pub event_ts_ms: i64,
    /// Risk level.
    pub risk_level: RiskLevel,
    /// Calibrated probability of churn within the churn horizon.
    #[serde(serialize_with = "single")]
    pub score: f64,
    /// The level of this lead's previous alert, if any.
    pub previous_level: Option<RiskLevel>,
    /// All ten indicators, largest contribution first.
    pub indicators: [IndicatorContribution; Indicator::COUNT],
    /// The recommended intervention.
    pub intervention: Intervention,
    /// How urgent it is.
    pub urgency: Urgency,
    /// The intervention policy's belief that this intervention recovers the lead.
    pub intervention_belief: ArmBelief,
    /// The retention campaign this alert started or continues.
    pub campaign_id: u64,
    /// Features that most moved the churn model's logistic member.
    pub top_features: [FeatureContribution; TOP_FEATURES],
    /// Versions of the models used.
    pub model_versions: ModelVersions,
    /// Milliseconds from the event's time to the alert (set by the pipeline).
    pub latency_from_event_ms: Option<f64>,
    /// Microseconds from receipt of the event to the alert (set by the pipeline).
    pub latency_from_receipt_us: Option<f64>,
}

impl ChurnAlert {
    /// Records the latencies.
    pub fn set_latency(&mut self, from_event_ms: f64, from_receipt_us: f64) {
        self.latency_from_event_ms = Some(round_latency(from_event_ms));
        self.latency_from_receipt_us = Some(round_latency(from_receipt_us));
    }
}

/// A milestone of a retention campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// The campaign started (with an alert).
    Started,
    /// The lead was contacted after the alert.
    Contacted,
    /// The lead responded.
    Responded,
    /// The lead responded repeatedly (three responses).
    Reengaged,
    /// The campaign ended with the lead kept.
    Recovered,
    /// The campaign ended with the lead gone (left, or silent until the campaign horizon).
    Lost,
}

impl Milestone {
    /// The wire name (as serialized).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Started => "started",
            Self::Contacted => "contacted",
            Self::Responded => "responded",
            Self::Reengaged => "reengaged",
            Self::Recovered => "recovered",
            Self::Lost => "lost",
        }
    }
}

/// Something the decider observed that downstream systems may want as an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DecideEvent {
    /// A lead's journey stage changed.
    StageChanged {
        /// When, epoch ms.
        ts: i64,
        /// Stage before.
        #[serde(serialize_with = "wire")]
        from: JourneyStage,
        /// Stage after.
        #[serde(serialize_with = "wire")]
        to: JourneyStage,
    },
    /// A retention campaign reached a milestone.
    Campaign {
        /// When, epoch ms.
        ts: i64,
        /// Tenant.
        tenant_id: String,
        /// Lead.
        lead_id: String,
        /// The campaign.
        campaign_id: u64,
        /// The milestone.
        milestone: Milestone,
        /// The intervention the campaign runs.
        intervention: Intervention,
    },
}
