//! Per-lead state and model features.
//!
//! What it is for: remembering each lead compactly ([`LeadState`], at most 512 bytes), keyed by
//! (tenant_id, lead_id) in a per-shard [`LeadStore`], updated by event time from decoded events
//! and their text signals, and turned into a fixed-length named feature vector
//! ([`features::extract`], [`features::FEATURE_NAMES`]).
//! What it is not: decoding (see [`crate::event`]), text analysis (see [`crate::text`]) or models.
//! Market updates are not lead state: the store reports them as [`Applied::NotLeadEvent`].

mod byte_array;
mod config;
mod error;
pub mod features;
mod key;
mod record;
mod state;
mod stats;
mod store;

pub use config::{
    default_action_half_life_ms, default_channel_half_life_ms, default_late_tolerance_ms,
    LeadConfig, LeadParams,
};
pub use error::LeadConfigError;
pub use features::{extract, FEATURE_NAMES, N_FEATURES};
pub use record::{changelog_key, LeadRecord, LeadRecordRef, NO_OFFSET};
pub use state::{Applied, ChurnCounters, LeadState, NEVER, PERSONA_UNSET};
pub use stats::{
    hour_of_week, HourOfWeek, LatencyStats, SentimentTracker, HOURS_PER_WEEK, SENTIMENT_FAST_ALPHA,
    SENTIMENT_SLOW_ALPHA,
};
pub use store::{LeadStore, StoreCounters};
