//! leadstream: a streaming online-learning engine for nurturing sales leads.
//!
//! Data flows one way: source -> decode ([`event`]) -> lead state and features ([`lead`], [`text`])
//! -> models ([`learn`]) -> decisions -> sink. The learning core ([`learn`]) knows nothing of
//! events, Kafka or time; the command-line front ends live in [`cli`].
#![warn(missing_docs, unreachable_pub, missing_debug_implementations)]

pub mod cli;
pub mod decide;
pub mod event;
pub mod lead;
pub mod learn;
pub mod persist;
pub mod pipeline;
pub mod registry;
pub mod sim;
pub mod telemetry;
pub mod text;
