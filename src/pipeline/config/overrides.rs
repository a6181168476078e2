//! Flag and environment overrides of the configuration file.
//!
//! What it is for: the values `leadstream run` takes from flags (each with a `LEADSTREAM_*`
//! environment variable, handled by clap), applied over the file before validation.
//! What it is not: parsing (the CLI does that).

use std::path::PathBuf;

use super::Config;
use crate::pipeline::error::PipelineError;

/// Values from flags or the environment that override the file (each `None` leaves it alone).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--brokers` / `LEADSTREAM_BROKERS`.
    pub brokers: Option<String>,
    /// `--group` / `LEADSTREAM_GROUP`.
    pub group: Option<String>,
    /// `--events-topic` / `LEADSTREAM_EVENTS_TOPIC`.
    pub events_topic: Option<String>,
    /// `--decisions-topic` / `LEADSTREAM_DECISIONS_TOPIC`.
    pub decisions_topic: Option<String>,
    /// `--alerts-topic` / `LEADSTREAM_ALERTS_TOPIC`.
    pub alerts_topic: Option<String>,
    /// `--dead-letter-topic` / `LEADSTREAM_DEAD_LETTER_TOPIC`.
    pub dead_letter_topic: Option<String>,
    /// `--shards` / `LEADSTREAM_SHARDS`.
    pub shards: Option<usize>,
    /// `--metrics-addr` / `LEADSTREAM_METRICS_ADDR`.
    pub metrics_addr: Option<String>,
    /// `--leads`.
    pub leads: Option<u32>,
    /// `--days`.
    pub days: Option<u32>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--decisions-out`.
    pub decisions_out: Option<PathBuf>,
    /// `--alerts-out`.
    pub alerts_out: Option<PathBuf>,
    /// `--dead-letters-out`.
    pub dead_letters_out: Option<PathBuf>,
    /// `--state-dir` / `LEADSTREAM_STATE_DIR`.
    pub state_dir: Option<PathBuf>,
    /// `--kafka KEY=VALUE` (repeatable): librdkafka settings added to `[kafka]`.
    pub kafka: Vec<(String, String)>,
    /// `--changelog-topic` (`[state] changelog_topic`).
    pub changelog_topic: Option<String>,
    /// `--changelog-flush-ms` (`[state] changelog_flush_ms`).
    pub changelog_flush_ms: Option<u64>,
    /// `--static-partitions` / `LEADSTREAM_STATIC_PARTITIONS` (`[topics] static_partitions`).
    pub static_partitions: Option<Vec<i32>>,
    /// `--model-topic` (`[state] model_topic`).
    pub model_topic: Option<String>,
}

impl Config {
    /// Applies flag and environment overrides, then validates again.
    ///
    /// # Errors
    /// [`PipelineError::Config`] if an override makes the configuration invalid.
    pub fn apply(&mut self, o: &Overrides) -> Result<(), PipelineError> {
        let set = |slot: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                slot.clone_from(v);
            }
        };
        set(&mut self.brokers, &o.brokers);
        set(&mut self.group, &o.group);
        set(&mut self.metrics_addr, &o.metrics_addr);
        set(&mut self.topics.events, &o.events_topic);
        set(&mut self.topics.decisions, &o.decisions_topic);
        set(&mut self.topics.alerts, &o.alerts_topic);
        set(&mut self.topics.dead_letter, &o.dead_letter_topic);
        if let Some(v) = o.shards {
            self.engine.shards = v;
        }
        if let Some(v) = o.leads {
            self.simulator.leads = v;
        }
        if let Some(v) = o.days {
            self.simulator.days = v;
        }
        if let Some(v) = o.seed {
            self.simulator.seed = v;
        }
        for (slot, v) in [
            (&mut self.output.decisions, &o.decisions_out),
            (&mut self.output.alerts, &o.alerts_out),
            (&mut self.output.dead_letters, &o.dead_letters_out),
        ] {
            if v.is_some() {
                slot.clone_from(v);
            }
        }
        set(&mut self.state.changelog_topic, &o.changelog_topic);
        if let Some(v) = o.changelog_flush_ms {
            self.state.changelog_flush_ms = v;
        }
        if let Some(v) = &o.static_partitions {
            self.topics.static_partitions.clone_from(v);
        }
        set(&mut self.state.model_topic, &o.model_topic);
        if o.state_dir.is_some() {
            self.state.dir.clone_from(&o.state_dir);
        }
        for (k, v) in &o.kafka {
            self.kafka.insert(k.clone(), toml::Value::String(v.clone()));
        }
        self.validate()
    }
}
