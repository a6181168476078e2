//! Labelled examples: what a shard hands the learner once an outcome is known.
//!
//! What it is for: carrying the feature snapshot taken at decision time together with the label
//! that arrived later (or the negative label its horizon implied), by value, so the learner
//! needs nothing else. Examples are rare next to events (one per touch, one per lead per day).
//! What it is not: how labels are joined (see `pending`).

use crate::lead::N_FEATURES;

use super::indicators::N_INDICATORS;
use super::persona_features::PERSONA_DIM;
use super::types::Intervention;

/// Dimension of the variant bandit's context.
pub const VARIANT_CONTEXT: usize = 8;

/// A labelled example for one of the models.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelledExample {
    /// A touch and whether the lead responded on its channel within the response horizon.
    Response(ResponseExample),
    /// A lead snapshot and what happened within the churn and journey horizons.
    Lead(LeadExample),
    /// A persona observation (unsupervised: no label, learned at once).
    Persona {
        /// Event time of the observation, epoch ms.
        ts: i64,
        /// The lead's behaviour vector.
        point: [f64; PERSONA_DIM],
    },
    /// A finished retention campaign and whether it recovered the lead.
    Intervention {
        /// Event time the campaign ended, epoch ms.
        ts: i64,
        /// The top indicator when the campaign started (the policy's context).
        indicator: usize,
        /// The intervention that was recommended.
        intervention: Intervention,
        /// Whether the lead was recovered.
        recovered: bool,
    },
}

impl LabelledExample {
    /// The event time the example's label became known.
    pub fn ts(&self) -> i64 {
        match self {
            Self::Response(r) => r.label_ts,
            Self::Lead(l) => l.label_ts,
            Self::Persona { ts, .. } | Self::Intervention { ts, .. } => *ts,
        }
    }
}

/// A touch, its context and its outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseExample {
    /// When the touch happened, epoch ms.
    pub touch_ts: i64,
    /// When the label became known (the response, or the horizon), epoch ms.
    pub label_ts: i64,
    /// Lead features right after the touch.
    pub features: [f64; N_FEATURES],
    /// Channel arm (index in [`CONTACT_CHANNELS`](super::CONTACT_CHANNELS)).
    pub channel: usize,
    /// Variant index, if the touch carried one.
    pub variant: Option<usize>,
    /// The variant bandit's context at the touch.
    pub variant_context: [f64; VARIANT_CONTEXT],
    /// Hour of the week of the touch (0 = Monday 00:00) in the lead's local time (UTC when
    /// its time zone is unknown).
    pub hour_of_week: u16,
    /// Persona cluster at the touch, if known.
    pub persona: Option<u8>,
    /// Whether the lead responded within the horizon.
    pub responded: bool,
}

/// A lead snapshot and its outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadExample {
    /// When the snapshot was taken, epoch ms.
    pub snapshot_ts: i64,
    /// When the label became known, epoch ms.
    pub label_ts: i64,
    /// Lead features at the snapshot.
    pub features: [f64; N_FEATURES],
    /// Churn indicators at the snapshot.
    pub indicators: [f64; N_INDICATORS],
    /// Whether the lead churned within the churn horizon.
    pub churned: bool,
    /// Whether the lead's journey stage advanced within the journey horizon.
    pub progressed: bool,
}
