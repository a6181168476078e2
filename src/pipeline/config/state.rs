//! `[state]`: where durable state lives and how often models are snapshotted.
//!
//! What it is for: the model registry's keys (`dir`, `model_snapshot_secs`, `keep_versions`),
//! the compacted topic models are published to (`model_topic`), the lead-state changelog topic
//! (`changelog_topic`) and how often a lead's changelog record is written (`changelog_flush_ms`),
//! and the embedded lead-state snapshot interval (`lead_snapshot_secs`).
//! Without `dir` nothing is persisted (as before issue 7).
//! What it is not: the registry (see [`crate::registry`]).

use std::path::PathBuf;

use serde::Deserialize;

/// Once a minute: a crash loses at most a minute of learning, at a cost of one snapshot
/// (a few hundred KB, a few ms; see BENCHMARKS.md) per minute.
const fn default_model_snapshot_secs() -> u64 {
    60
}

/// Twenty versions: at the default interval, the last twenty minutes of learning plus any
/// promotions, a few MB on disk.
const fn default_keep_versions() -> usize {
    20
}

/// Twice a minute: a killed embedded run loses at most 30 s of lead state, for a pause of a
/// few ms per shard per snapshot (measured in BENCHMARKS.md).
const fn default_lead_snapshot_secs() -> u64 {
    30
}

/// Once a second: a lead updated many times in a second costs one changelog record (2-3x fewer
/// records at 1,000-5,000 events/s in BENCHMARKS.md, "Changelog caching"), and commits wait at
/// most a second longer. Kafka Streams flushes its record cache on every commit, 30 s by
/// default; we keep commit lag (and the tail replayed after a crash) short.
const fn default_changelog_flush_ms() -> u64 {
    1000
}

/// Named like the changelog: one compacted topic per deployment, shared by the group.
fn default_model_topic() -> String {
    "leadstream.models".into()
}

/// `[state]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateSection {
    /// State directory: models go to `DIR/models/` (docs/models.md), embedded lead-state
    /// snapshots to `DIR/leads/` (docs/pipeline.md). None: no persistence.
    #[serde(default)]
    pub dir: Option<PathBuf>,
    /// Periodic model snapshot interval, seconds (1..=86400).
    #[serde(default = "default_model_snapshot_secs")]
    pub model_snapshot_secs: u64,
    /// Model versions kept in the registry (0 keeps all).
    #[serde(default = "default_keep_versions")]
    pub keep_versions: usize,
    /// Kafka mode: the compacted topic holding every lead's newest state, co-partitioned with
    /// the events topic; empty: no changelog (lead state is rebuilt from uncommitted input only).
    #[serde(default = "default_changelog_topic")]
    pub changelog_topic: String,
    /// Kafka mode: a lead's changelog record is written at most once per this many
    /// milliseconds, holding its newest state (0: after every batch that updated it; at most
    /// 60000). The offsets of its inputs are committed only after the record, so commits lag
    /// by up to this much more; outputs are not delayed.
    #[serde(default = "default_changelog_flush_ms")]
    pub changelog_flush_ms: u64,
    /// Kafka mode with `dir`: the compacted topic every saved model version is published to
    /// (chunked) and a new instance warm-starts from (docs/models.md); empty: not used.
    #[serde(default = "default_model_topic")]
    pub model_topic: String,
    /// Embedded mode with `dir`: lead-state snapshot interval, seconds (0: only when the run
    /// ends; at most 86400).
    #[serde(default = "default_lead_snapshot_secs")]
    pub lead_snapshot_secs: u64,
}

/// Kafka Streams names changelogs `<application>-<store>-changelog`; ours is fixed and short.
fn default_changelog_topic() -> String {
    "leadstream.lead-state".into()
}

impl Default for StateSection {
    fn default() -> Self {
        Self {
            dir: None,
            model_snapshot_secs: default_model_snapshot_secs(),
            keep_versions: default_keep_versions(),
            changelog_topic: default_changelog_topic(),
            changelog_flush_ms: default_changelog_flush_ms(),
            model_topic: default_model_topic(),
            lead_snapshot_secs: default_lead_snapshot_secs(),
        }
    }
}
