//! The engine's configuration: config/leadstream.toml, environment variables and flags.
//!
//! What it is for: one typed, documented [`Config`] with defaults for every key (named
//! `default_*` functions saying where each value comes from), unknown keys rejected, and
//! validation that names the offending key. Precedence: flags, then `LEADSTREAM_*` environment
//! variables (both handled by the CLI, which calls [`Config::apply`]), then the file, then the
//! defaults. The `[kafka]` table is passed verbatim to librdkafka.
//! What it is not: the CLI parser.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::decide::DecideConfig;
use crate::event::DecodeConfig;
use crate::lead::LeadConfig;
use crate::pipeline::engine::EngineSettings;
use crate::pipeline::error::PipelineError;
use crate::pipeline::kafka_config::{KafkaSettings, Topics};
use crate::sim::SimConfig;

mod overrides;
mod sections;
mod state;

pub use overrides::Overrides;
pub use sections::{
    DeliverySection, EngineSection, OutputSection, SimulatorSection, TopicsSection,
};
pub use state::StateSection;

/// Everything `leadstream run` reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Kafka bootstrap servers (`HOST:PORT,...`); empty runs the embedded pipeline.
    #[serde(default)]
    pub brokers: String,
    /// Consumer group id.
    #[serde(default = "sections::default_group")]
    pub group: String,
    /// Address for the Prometheus `/metrics` endpoint (e.g. `127.0.0.1:9464`); empty: none.
    #[serde(default)]
    pub metrics_addr: String,
    /// Threads and batching.
    #[serde(default)]
    pub engine: EngineSection,
    /// The simulator used as the source when neither Kafka nor an input file is given.
    #[serde(default)]
    pub simulator: SimulatorSection,
    /// Optional JSONL files written by the embedded sink.
    #[serde(default)]
    pub output: OutputSection,
    /// Topic names and creation.
    #[serde(default)]
    pub topics: TopicsSection,
    /// Commit cadence and drain limits.
    #[serde(default)]
    pub delivery: DeliverySection,
    /// Lead state settings.
    #[serde(default)]
    pub lead: LeadConfig,
    /// Decision-making settings (docs/decisions.md).
    #[serde(default)]
    pub decide: DecideConfig,
    /// Durable state: the model registry's directory and snapshot schedule (docs/models.md).
    #[serde(default)]
    pub state: StateSection,
    /// librdkafka settings, passed through verbatim (values may be strings, numbers or booleans).
    #[serde(default)]
    pub kafka: BTreeMap<String, toml::Value>,
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
default_from_serde!(Config);

impl Config {
    /// Parses TOML text (`origin` names the file in errors) and validates it.
    ///
    /// # Errors
    /// [`PipelineError::Config`] naming the key that is unknown, mistyped or out of range.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, PipelineError> {
        let config: Self =
            toml::from_str(text).map_err(|e| PipelineError::Config(format!("{origin}: {e}")))?;
        config.validate()?;
        Ok(config)
    }

    /// Reads and validates a file.
    ///
    /// # Errors
    /// [`PipelineError::Io`] if it cannot be read; [`PipelineError::Config`] if it is invalid.
    pub fn load(path: &Path) -> Result<Self, PipelineError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| PipelineError::io(format!("reading config {}", path.display()), e))?;
        Self::from_toml(&text, &path.display().to_string())
    }
    /// Checks ranges and relations, naming the key on failure.
    ///
    /// # Errors
    /// [`PipelineError::Config`] naming the first invalid key.
    pub fn validate(&self) -> Result<(), PipelineError> {
        let bad = |key: &str, why: String| Err(PipelineError::Config(format!("`{key}` {why}")));
        let e = &self.engine;
        if !(1..=256).contains(&e.shards) {
            return bad(
                "engine.shards",
                format!("must be in 1..=256, got {}", e.shards),
            );
        }
        if !(1..=65_536).contains(&e.batch_size) {
            return bad(
                "engine.batch_size",
                format!("must be in 1..=65536, got {}", e.batch_size),
            );
        }
        if !(1..=4096).contains(&e.channel_batches) {
            return bad(
                "engine.channel_batches",
                format!("must be in 1..=4096, got {}", e.channel_batches),
            );
        }
        if !(1..=60_000).contains(&e.publish_every_ms) {
            return bad(
                "engine.publish_every_ms",
                format!("must be in 1..=60000, got {}", e.publish_every_ms),
            );
        }
        if e.max_event_bytes == 0 {
            return bad("engine.max_event_bytes", "must be at least 1".into());
        }
        if let Err(err) = self.lead.build() {
            return bad("lead", format!("is invalid: {err}"));
        }
        if let Err(err) = self.decide.validate() {
            return bad("decide", format!("is invalid: {err}"));
        }
        if let Err(err) = self.sim_config().validate() {
            return bad("simulator", format!("is invalid: {err}"));
        }
        let t = &self.topics;
        for (key, name) in [
            ("topics.events", &t.events),
            ("topics.decisions", &t.decisions),
            ("topics.alerts", &t.alerts),
            ("topics.dead_letter", &t.dead_letter),
        ] {
            if name.is_empty() || name.len() > 249 {
                return bad(key, "must be 1 to 249 characters".into());
            }
        }
        if t.partitions < 1 {
            return bad(
                "topics.partitions",
                format!("must be at least 1, got {}", t.partitions),
            );
        }
        if t.replication < 1 {
            return bad(
                "topics.replication",
                format!("must be at least 1, got {}", t.replication),
            );
        }
        if let Some(p) = t.static_partitions.iter().find(|&&p| p < 0) {
            return bad(
                "topics.static_partitions",
                format!("must list partition numbers (0 or more), got {p}"),
            );
        }
        let mut listed = t.static_partitions.clone();
        listed.sort_unstable();
        if let Some(w) = listed.windows(2).find(|w| w[0] == w[1]) {
            return bad(
                "topics.static_partitions",
                format!("lists partition {} twice", w[0]),
            );
        }
        if self.delivery.commit_interval_ms == 0 {
            return bad("delivery.commit_interval_ms", "must be at least 1".into());
        }
        if !(1..=86_400).contains(&self.state.model_snapshot_secs) {
            return bad(
                "state.model_snapshot_secs",
                format!(
                    "must be in 1..=86400, got {}",
                    self.state.model_snapshot_secs
                ),
            );
        }
        if self.state.changelog_flush_ms > 60_000 {
            return bad(
                "state.changelog_flush_ms",
                format!(
                    "must be in 0..=60000, got {}",
                    self.state.changelog_flush_ms
                ),
            );
        }
        if self.state.lead_snapshot_secs > 86_400 {
            return bad(
                "state.lead_snapshot_secs",
                format!(
                    "must be in 0..=86400, got {}",
                    self.state.lead_snapshot_secs
                ),
            );
        }
        if self.group.is_empty() {
            return bad("group", "must not be empty".into());
        }
        for (k, v) in &self.kafka {
            if matches!(v, toml::Value::Array(_) | toml::Value::Table(_)) {
                return bad(
                    &format!("kafka.{k}"),
                    "must be a string, number or boolean".into(),
                );
            }
        }
        if !self.metrics_addr.is_empty()
            && self.metrics_addr.parse::<std::net::SocketAddr>().is_err()
        {
            return bad(
                "metrics_addr",
                format!("is not HOST:PORT: {:?}", self.metrics_addr),
            );
        }
        Ok(())
    }

    /// Whether Kafka is configured (non-empty `brokers`).
    pub fn uses_kafka(&self) -> bool {
        !self.brokers.trim().is_empty()
    }

    /// The engine layout (lead settings validated by [`Config::validate`]).
    ///
    /// # Errors
    /// [`PipelineError::Config`] if the lead settings are invalid.
    pub fn engine_settings(&self) -> Result<EngineSettings, PipelineError> {
        let lead = self
            .lead
            .build()
            .map_err(|e| PipelineError::Config(format!("`lead` is invalid: {e}")))?;
        Ok(EngineSettings {
            shards: self.engine.shards,
            batch_size: self.engine.batch_size,
            channel_batches: self.engine.channel_batches,
            publish_every: Duration::from_millis(self.engine.publish_every_ms),
            decode: DecodeConfig {
                max_bytes: self.engine.max_event_bytes,
            },
            lead,
            progress: None,
            source: crate::telemetry::labels::Source::Simulator,
        })
    }

    /// The simulator source's configuration.
    pub fn sim_config(&self) -> SimConfig {
        let s = &self.simulator;
        let mut c = SimConfig::new(s.leads, s.days, s.seed);
        c.tenants = s.tenants;
        c
    }

    /// The model topic, when models are published (Kafka, a state directory, a topic name).
    pub fn model_topic(&self) -> Option<crate::registry::topic::ModelTopic> {
        if !self.uses_kafka() || self.state.dir.is_none() || self.state.model_topic.is_empty() {
            return None;
        }
        let kafka = self.kafka_settings();
        Some(crate::registry::topic::ModelTopic {
            topic: self.state.model_topic.clone(),
            consumer: kafka.base(),
            producer: kafka.producer(),
        })
    }

    /// The Kafka settings.
    pub fn kafka_settings(&self) -> KafkaSettings {
        let client = self
            .kafka
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), v)
            })
            .collect();
        KafkaSettings {
            brokers: self.brokers.clone(),
            group: self.group.clone(),
            topics: Topics {
                events: self.topics.events.clone(),
                decisions: self.topics.decisions.clone(),
                alerts: self.topics.alerts.clone(),
                dead_letter: self.topics.dead_letter.clone(),
                changelog: self.state.changelog_topic.clone(),
            },
            create_topics: self.topics.create,
            partitions: self.topics.partitions,
            replication: self.topics.replication,
            static_partitions: self.topics.static_partitions.clone(),
            commit_interval_ms: self.delivery.commit_interval_ms,
            drain_timeout_ms: self.delivery.drain_timeout_ms,
            client,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_file_parses_and_matches_defaults() {
        let text = include_str!("../../../config/leadstream.toml");
        let c = Config::from_toml(text, "config/leadstream.toml");
        assert_eq!(c.ok(), Some(Config::default()));
    }

    #[test]
    fn unknown_and_invalid_keys_are_named() {
        let err = Config::from_toml("[engine]\nshardz = 3\n", "f")
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.contains("shardz")),
            "{err:?}"
        );
        let err = Config::from_toml("[engine]\nshards = 0\n", "f")
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.contains("engine.shards")),
            "{err:?}"
        );
        let err = Config::from_toml("[engine]\nshards = \"two\"\n", "f")
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.contains("shards")),
            "{err:?}"
        );
        for bad in ["[-1]", "[0, 2, 0]", "\"0,1\""] {
            let err = Config::from_toml(&format!("[topics]\nstatic_partitions = {bad}\n"), "f")
                .err()
                .map(|e| e.to_string());
            assert!(
                err.as_deref()
                    .is_some_and(|e| e.contains("static_partitions")),
                "{bad}: {err:?}"
            );
        }
        let err = Config::from_toml("[state]\nchangelog_flush_ms = 60001\n", "f")
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("state.changelog_flush_ms")),
            "{err:?}"
        );
        let ok = Config::from_toml("[state]\nchangelog_flush_ms = 0\n", "f");
        assert_eq!(ok.ok().map(|c| c.state.changelog_flush_ms), Some(0));
        let ok = Config::from_toml("[topics]\nstatic_partitions = [1, 0]\n", "f");
        assert_eq!(
            ok.ok().map(|c| c.kafka_settings().static_partitions),
            Some(vec![1, 0])
        );
        let err = Config::from_toml("[kafka]\n\"x\" = [1]\n", "f")
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.contains("kafka.x")),
            "{err:?}"
        );
    }

    #[test]
    fn overrides_win_and_kafka_table_passes_through() {
        let mut c = Config::from_toml(
            "brokers = \"a:1\"\n[kafka]\n\"fetch.wait.max.ms\" = 10\n\"enable.idempotence\" = false\n",
            "f",
        )
        .unwrap_or_default();
        let o = Overrides {
            brokers: Some("b:2".into()),
            events_topic: Some("ev".into()),
            kafka: vec![("client.id".into(), "x".into())],
            ..Overrides::default()
        };
        assert!(c.apply(&o).is_ok());
        let k = c.kafka_settings();
        assert_eq!(k.brokers, "b:2");
        assert_eq!(k.topics.events, "ev");
        assert_eq!(
            k.client.get("fetch.wait.max.ms").map(String::as_str),
            Some("10")
        );
        assert_eq!(
            k.client.get("enable.idempotence").map(String::as_str),
            Some("false")
        );
        assert_eq!(k.client.get("client.id").map(String::as_str), Some("x"));
        let bad = Overrides {
            shards: Some(0),
            ..Overrides::default()
        };
        assert!(c.apply(&bad).is_err());
    }
}
