//! The streaming pipeline: source -> decode -> route -> shard workers -> sink, with one learner
//! thread, bounded channels everywhere, and at-least-once delivery through Kafka.
//!
//! What it is for: running the engine. [`run_engine`] wires any [`Source`](source::Source) (the
//! simulator, a JSONL file, memory) and any [`Sink`](sink::Sink) (files and counters, Kafka)
//! around N share-nothing [`ShardWorker`]s (each owns its leads' state, per source
//! partition) and one learner thread, through a [`DecisionFactory`]: the decision layer plugs in
//! there. Records travel in batches; rejects become dead letters with their reason and never stop
//! the engine. With Kafka, an input offset is committed only when every output it caused is
//! acknowledged ([`OffsetTracker`]).
//! What it is not: the models or decisions (see the decision layer) and not the CLI.
//!
//! Threads, embedded: the caller's thread runs the source and the router; `shard-i` threads, one
//! `learner`, one `sink`, and a `live` thread drawing the one-line summary when asked. With
//! Kafka ([`run_kafka_engine`]) there is no router: each `shard-i` thread is a consumer in the
//! group and processes its own partitions, and a `consumer-lag` thread reports lag.

mod admin;
pub mod batch;
mod changelog;
pub mod config;
mod decide_stage;
mod engine;
mod error;
mod event_producer;
mod kafka_config;
mod kafka_engine;
mod launch;
mod lead_gauges;
mod lead_snapshot;
mod learner;
mod offsets;
mod restore;
pub mod router;
mod shard;
mod shutdown;
pub mod sink;
pub mod source;
mod stage;
mod stats;

pub use admin::{ensure_changelog_topic, ensure_model_topic, ensure_topics};
pub use decide_stage::{DecideFactory, DecideLearner, DecideStage};
pub use engine::{run_engine, run_engine_with_state, EngineSettings, LeadDurability};
pub use error::PipelineError;
pub use event_producer::{CountDeliveries, DeliveryCounts, EventProducer};
pub use kafka_config::{KafkaSettings, Topics};
pub use kafka_engine::run_kafka_engine;
pub use launch::{launch, Presentation};
pub use lead_snapshot::{encode_chunks, LeadSnapshotDir, CHUNK_RECORDS};
pub use learner::run_learner;
pub use offsets::OffsetTracker;
pub use router::{shard_for, Router};
pub use shard::{ShardLinks, ShardMessage, ShardWorker, SnapshotPart, MAX_BACKLOG};
pub use shutdown::Shutdown;
pub use stage::{DecisionFactory, DecisionStage, LearnStage, StageOutputs, Timing};
pub use stats::{PipelineStats, Summary};
