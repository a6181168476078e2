//! The model topic: every saved model version published, chunked, to a compacted Kafka topic,
//! so a new instance (or one whose local registry is older) starts from the group's latest
//! models.
//!
//! What it is for: [`sync_registry`] at start (read the topic to its end, import the newest
//! complete, intact version when the local registry has none or an older one, falling back to
//! older publications when the newest is incomplete or corrupted) and [`Publisher`] while
//! running (driven by the registry hook). Format and semantics: docs/models.md.
//! What it is not: the local registry (see [`super::ModelRegistry`]), which stays the source of
//! truth of an instance; the topic only carries versions between instances.

mod chunks;
mod publisher;
mod reader;

use rdkafka::ClientConfig;
use tracing::{info, warn};

pub use chunks::{assemble, split, uid_of, ChunkSet, TopicRecord, CHUNK_BYTES};
pub use publisher::{PublishTarget, Publisher, FLUSH_TIMEOUT};

use super::error::RegistryError;
use super::store::ModelRegistry;
use super::version::SaveReason;
use super::version::VersionInfo;
use crate::telemetry::events::{ModelSnapshotLoadFailed, ModelSnapshotSaved, TelemetryEvent};

/// The model topic and how to reach it.
#[derive(Debug, Clone)]
pub struct ModelTopic {
    /// The topic name.
    pub topic: String,
    /// Consumer settings (brokers and pass-through settings; the reader adds its own).
    pub consumer: ClientConfig,
    /// Producer settings.
    pub producer: ClientConfig,
}

/// What the start did with the model topic.
#[derive(Debug)]
pub struct TopicStart {
    /// The version imported from the topic and made active, if any.
    pub imported: Option<VersionInfo>,
    /// This instance's id.
    pub instance: String,
    /// The slot the publisher writes first (not the one holding this instance's newest
    /// complete version).
    pub first_slot: char,
}

impl ModelTopic {
    /// The topic's records as compaction leaves them (newest per key), in key order.
    ///
    /// # Errors
    /// [`RegistryError::Kafka`] if the topic cannot be read.
    pub fn records(&self) -> Result<Vec<TopicRecord>, RegistryError> {
        reader::read_newest(&self.consumer, &self.topic)
    }

    /// Every publication in the topic, newest first (complete or not).
    ///
    /// # Errors
    /// [`RegistryError::Kafka`] if the topic cannot be read.
    pub fn read(&self) -> Result<Vec<ChunkSet>, RegistryError> {
        Ok(assemble(self.records()?))
    }

    /// A publisher of `registry`'s versions, first writing `start.first_slot`.
    ///
    /// # Errors
    /// As [`Publisher::start`].
    pub fn publisher(
        &self,
        registry: &ModelRegistry,
        start: &TopicStart,
    ) -> Result<Publisher, RegistryError> {
        Publisher::start(
            PublishTarget {
                topic: self.topic.clone(),
                producer: self.producer.clone(),
                instance: start.instance.clone(),
                first_slot: start.first_slot,
            },
            registry.clone(),
        )
    }
}

/// At start: reads `topic` and, when its newest intact publication is newer (by creation time;
/// equal CRC-32 counts as the same snapshot) than `registry`'s active version, or the registry
/// has none, imports it as the active version (reason `topic_import`) and prunes to `keep`.
/// Publications newer than the one used that are incomplete or corrupted are skipped with a
/// warning and counted in `leadstream_model_snapshot_load_failures_total{reason}`.
///
/// # Errors
/// [`RegistryError::Kafka`] if the topic cannot be read; IO errors of the registry.
pub fn sync_registry(
    topic: &ModelTopic,
    registry: &ModelRegistry,
    keep: usize,
) -> Result<TopicStart, RegistryError> {
    let instance = registry.instance_id()?;
    let sets = topic.read()?;
    let own_newest = sets
        .iter()
        .find(|s| s.instance == instance && s.bytes().is_ok());
    let first_slot = match own_newest.map(|s| s.slot.as_str()) {
        Some("a") => 'b',
        _ => 'a',
    };
    let local = match registry.active_id() {
        Ok(Some(id)) => registry.info(&id).ok(),
        _ => registry.list().ok().and_then(|v| v.into_iter().last()),
    };
    let mut imported = None;
    for set in &sets {
        if let Some(l) = &local {
            if set.created_at_ms <= l.created_at_ms || set.crc() == l.checksum {
                info!(topic = %topic.topic, local = %l.id, published = %set.uid,
                    "Local model version is as new as the model topic's; kept.");
                break;
            }
        }
        match set
            .bytes()
            .and_then(|bytes| registry.import_published(&bytes, &set.uid, set.created_at_ms, keep))
        {
            Ok(v) => {
                info!(topic = %topic.topic, version = %v.id, published = %set.uid,
                    samples = v.samples_seen, "Model version imported from the model topic.");
                ModelSnapshotSaved {
                    reason: SaveReason::TopicImport.as_str(),
                }
                .emit();
                imported = Some(v);
                break;
            }
            Err(e) => {
                warn!(topic = %topic.topic, published = %set.uid, reason = e.reason(), error = %e,
                    "Model topic version unusable; falling back to an older one.");
                ModelSnapshotLoadFailed { reason: e.reason() }.emit();
            }
        }
    }
    Ok(TopicStart {
        imported,
        instance,
        first_slot,
    })
}
