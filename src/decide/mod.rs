//! Decisions that learn: churn risk and interventions, personalization by bandits, personas,
//! journey stages, delayed-label learning and drift-triggered retraining.
//!
//! What it is for: the two halves of the single-writer, many-reader design of
//! shared/ARCHITECTURE.md. A [`ShardDecider`] per shard makes a [`Decision`] for every lead event
//! (and a [`ChurnAlert`] when risk is high) with the latest [`ModelSnapshot`], and joins delayed
//! outcomes into [`LabelledExample`]s; one [`Learner`] learns from all shards' examples and
//! publishes snapshots that the deciders read lock-free through a [`ModelReader`].
//! What it is not: lead state or features (see [`crate::lead`]), transport (the pipeline), or
//! the learning algorithms themselves (see [`crate::learn`]).
//!
//! The output contract (JSON of [`Decision`] and [`ChurnAlert`]) is documented in
//! docs/decisions.md, with horizons, thresholds and indicator definitions.

pub mod alert;
mod background;
pub mod campaign;
mod config;
mod error;
mod example;
pub mod indicators;
mod json_writer;
mod labels;
mod learner;
mod learner_state;
mod memo;
pub mod models;
mod pending;
pub mod persona_features;
pub mod personalize;
mod shard;
mod snapshot;
pub mod supervisor;
mod types;

pub use campaign::Campaign;
pub use config::*;
pub use error::DecideError;
pub use example::{LabelledExample, LeadExample, ResponseExample, VARIANT_CONTEXT};
pub use learner::{Learner, LearnerCounters, LearnerEvent};
pub use learner_state::{LearnerState, RollingScores};
pub use shard::{
    DeciderCounters, DecisionOutputs, ShardDecider, MAX_OPEN_SNAPSHOTS, MAX_OPEN_TOUCHES,
    PERSONA_MIN_RESPONSES,
};
pub use snapshot::{ModelReader, ModelSnapshot};
pub use supervisor::{RetrainReason, Retraining, SupervisorEvent, SupervisorState};
pub use types::*;
