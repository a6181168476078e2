//! The tables of config/leadstream.toml below the top level, each key with its documented
//! default (a named `default_*` function saying where the value comes from).
//!
//! What it is for: `[engine]`, `[simulator]`, `[output]`, `[topics]` and `[delivery]`.
//! What it is not: validation (see [`Config::validate`](super::Config::validate)).

use std::path::PathBuf;

use serde::Deserialize;

use crate::event::default_max_bytes;

/// Two shard workers: one per core on the 2-core machines this was sized on.
const fn default_shards() -> usize {
    2
}
/// Any fixed seed makes runs reproducible; 42 by convention.
const fn default_model_seed() -> u64 {
    42
}
/// 256 records per batch amortizes a channel hand-off (~100 ns) to under 1 ns per record.
const fn default_batch_size() -> usize {
    256
}
/// 16 batches per channel: enough to absorb bursts, small enough that backpressure is prompt.
const fn default_channel_batches() -> usize {
    16
}
/// Models a few milliseconds old at most (docs/ARCHITECTURE: "a snapshot at most a few ms old").
const fn default_publish_every_ms() -> u64 {
    5
}
/// The simulator's default world for a first run: 1000 leads over 30 days.
const fn default_sim_leads() -> u32 {
    1000
}
const fn default_sim_days() -> u32 {
    30
}
const fn default_sim_seed() -> u64 {
    42
}
const fn default_sim_tenants() -> u32 {
    1
}
const fn default_true() -> bool {
    true
}
/// Four partitions: room for up to four instances in one group.
const fn default_partitions() -> i32 {
    4
}
/// Single-broker development clusters cannot replicate.
const fn default_replication() -> i32 {
    1
}
/// Commit progress five times a second: bounds duplicates after a crash to ~200 ms of input.
const fn default_commit_interval_ms() -> u64 {
    200
}
/// 30 s to drain in-flight outputs on revocation or shutdown (librdkafka's default
/// `message.timeout.ms` is 300 s; a rebalance should not wait that long).
const fn default_drain_timeout_ms() -> u64 {
    30_000
}
pub(super) fn default_group() -> String {
    "leadstream".into()
}
fn default_events_topic() -> String {
    "lead-events".into()
}
fn default_decisions_topic() -> String {
    "lead-decisions".into()
}
fn default_alerts_topic() -> String {
    "churn-alerts".into()
}
fn default_dead_letter_topic() -> String {
    "lead-events-dlq".into()
}

/// `[engine]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineSection {
    /// Shard worker threads (1..=256).
    #[serde(default = "default_shards")]
    pub shards: usize,
    /// Records per batch between stages (1..=65536).
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// Capacity of each channel in batches (1..=4096).
    #[serde(default = "default_channel_batches")]
    pub channel_batches: usize,
    /// The learner publishes new model snapshots at most this often (1..=60000 ms).
    #[serde(default = "default_publish_every_ms")]
    pub publish_every_ms: u64,
    /// Larger payloads are dead-lettered as `oversize`.
    #[serde(default = "default_max_bytes")]
    pub max_event_bytes: usize,
    /// Seed of the models' random choices (bandit sampling, clustering); shard `i` uses
    /// `seed + 1 + i`.
    #[serde(default = "default_model_seed")]
    pub seed: u64,
}

/// `[simulator]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulatorSection {
    /// Number of leads.
    #[serde(default = "default_sim_leads")]
    pub leads: u32,
    /// Days of simulated time.
    #[serde(default = "default_sim_days")]
    pub days: u32,
    /// Seed.
    #[serde(default = "default_sim_seed")]
    pub seed: u64,
    /// Tenants the leads are spread over.
    #[serde(default = "default_sim_tenants")]
    pub tenants: u32,
}

/// `[output]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSection {
    /// JSONL file of decisions.
    #[serde(default)]
    pub decisions: Option<PathBuf>,
    /// JSONL file of churn alerts.
    #[serde(default)]
    pub alerts: Option<PathBuf>,
    /// JSONL file of dead letters.
    #[serde(default)]
    pub dead_letters: Option<PathBuf>,
}

/// `[topics]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicsSection {
    /// Input events.
    #[serde(default = "default_events_topic")]
    pub events: String,
    /// Personalization decisions.
    #[serde(default = "default_decisions_topic")]
    pub decisions: String,
    /// Churn alerts.
    #[serde(default = "default_alerts_topic")]
    pub alerts: String,
    /// Rejected records.
    #[serde(default = "default_dead_letter_topic")]
    pub dead_letter: String,
    /// Create missing topics at start.
    #[serde(default = "default_true")]
    pub create: bool,
    /// Partitions of created topics.
    #[serde(default = "default_partitions")]
    pub partitions: i32,
    /// Replication factor of created topics.
    #[serde(default = "default_replication")]
    pub replication: i32,
    /// Partitions of the events topic this instance consumes by static assignment (no group
    /// membership, no rebalances; offsets still committed under `group`); empty: the group
    /// subscription assigns them.
    #[serde(default)]
    pub static_partitions: Vec<i32>,
}

/// `[delivery]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySection {
    /// Commit committable offsets at most this often (ms).
    #[serde(default = "default_commit_interval_ms")]
    pub commit_interval_ms: u64,
    /// Wait this long for in-flight outputs on revocation and shutdown (ms).
    #[serde(default = "default_drain_timeout_ms")]
    pub drain_timeout_ms: u64,
}

macro_rules! default_from_serde {
    ($($t:ty),*) => {$(
        impl Default for $t {
            fn default() -> Self {
                // An empty table takes every field's default; this cannot fail.
                toml::from_str("").unwrap_or_else(|_| unreachable!())
            }
        }
    )*};
}
default_from_serde!(
    EngineSection,
    SimulatorSection,
    TopicsSection,
    DeliverySection
);
