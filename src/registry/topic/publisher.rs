//! Publishing saved model versions to the model topic from a thread of its own.
//!
//! What it is for: the registry hook hands over each saved version's metadata
//! ([`Publisher::publish`] never waits on the broker); the publisher thread reads the version's
//! verified snapshot from the registry, splits it into chunks, produces them into the slot not
//! holding its newest complete version and waits for every acknowledgement. Versions queued
//! while it works are skipped for the newest. One publication takes at most [`FLUSH_TIMEOUT`].
//! Dropping the publisher lets the publication in progress finish, publishes what is queued
//! (the shutdown snapshot) and waits for it: at most twice [`FLUSH_TIMEOUT`] in all.
//! What it is not: the record format (see [`super::chunks`]) nor the warm start.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver, Sender, TrySendError};
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::{ClientConfig, ClientContext};
use tracing::{info, warn};

use super::chunks::{split, TopicRecord, CHUNK_BYTES};
use crate::registry::store::ModelRegistry;
use crate::registry::version::VersionInfo;

/// Longest wait for a chunk set's acknowledgements (also at shutdown).
pub const FLUSH_TIMEOUT: Duration = Duration::from_secs(15);
/// Versions waiting for the publisher thread (one per save; the newest is published).
const QUEUE: usize = 8;

#[derive(Debug, Default)]
struct Acks {
    delivered: AtomicU64,
    failed: AtomicU64,
}

#[derive(Debug, Clone, Default)]
struct AckContext(Arc<Acks>);

impl ClientContext for AckContext {}

impl ProducerContext for AckContext {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        match result {
            Ok(_) => self.0.delivered.fetch_add(1, Ordering::Relaxed),
            Err(_) => self.0.failed.fetch_add(1, Ordering::Relaxed),
        };
    }
}

/// Where and as whom versions are published.
#[derive(Debug, Clone)]
pub struct PublishTarget {
    /// The topic.
    pub topic: String,
    /// Producer settings (brokers and pass-through settings).
    pub producer: ClientConfig,
    /// This instance's id (the first part of every key).
    pub instance: String,
    /// The slot to write first (`a` or `b`): the one not holding this instance's newest
    /// complete version.
    pub first_slot: char,
}

/// Handle of the publisher thread.
#[derive(Debug)]
pub struct Publisher {
    tx: Option<Sender<VersionInfo>>,
    thread: Option<JoinHandle<()>>,
}

impl Publisher {
    /// Starts the publisher thread for versions of `registry`.
    ///
    /// # Errors
    /// [`crate::registry::RegistryError::Kafka`] if the producer cannot be created;
    /// `Io` if the thread cannot start.
    pub fn start(
        target: PublishTarget,
        registry: ModelRegistry,
    ) -> Result<Self, crate::registry::RegistryError> {
        let acks = AckContext::default();
        let producer: ThreadedProducer<AckContext> = target
            .producer
            .create_with_context(acks.clone())
            .map_err(|source| crate::registry::RegistryError::Kafka {
                context: format!("creating the producer of {}", target.topic),
                source,
            })?;
        let (tx, rx) = bounded(QUEUE);
        let thread = std::thread::Builder::new()
            .name("model-publisher".into())
            .spawn(move || run(&target, &registry, &producer, &acks, &rx))
            .map_err(|e| crate::registry::RegistryError::io("spawning", "model-publisher", e))?;
        Ok(Self {
            tx: Some(tx),
            thread: Some(thread),
        })
    }

    /// Queues `version` for publication; never waits. A full queue drops it (a newer save
    /// follows) with a warning.
    pub fn publish(&self, version: &VersionInfo) {
        let Some(tx) = &self.tx else { return };
        if let Err(TrySendError::Full(v)) = tx.try_send(version.clone()) {
            warn!(version = %v.id, "Model topic publisher busy; version not published.");
        }
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(
    target: &PublishTarget,
    registry: &ModelRegistry,
    producer: &ThreadedProducer<AckContext>,
    acks: &AckContext,
    rx: &Receiver<VersionInfo>,
) {
    let mut slot = target.first_slot;
    while let Ok(mut version) = rx.recv() {
        while let Ok(newer) = rx.try_recv() {
            version = newer;
        }
        if publish_one(target, registry, producer, acks, slot, &version) {
            slot = if slot == 'a' { 'b' } else { 'a' };
        }
    }
}

/// Produces one version's chunks into `slot`; whether every chunk was acknowledged.
fn publish_one(
    target: &PublishTarget,
    registry: &ModelRegistry,
    producer: &ThreadedProducer<AckContext>,
    acks: &AckContext,
    slot: char,
    version: &VersionInfo,
) -> bool {
    let started = Instant::now();
    let bytes = match registry.snapshot_bytes(&version.id) {
        Ok(b) => b,
        Err(e) => {
            warn!(version = %version.id, error = %e, "Model version not published: snapshot unreadable.");
            return false;
        }
    };
    let records = split(&target.instance, slot, version, &bytes, CHUNK_BYTES);
    let before = (
        acks.0.delivered.load(Ordering::Relaxed),
        acks.0.failed.load(Ordering::Relaxed),
    );
    // One deadline for the whole publication: chunks waiting for queue space and the final
    // flush share it.
    let deadline = started + FLUSH_TIMEOUT;
    let left = || deadline.saturating_duration_since(Instant::now());
    for r in &records {
        if let Err(e) = send(producer, &target.topic, r, deadline) {
            warn!(version = %version.id, topic = %target.topic, error = %e,
                "Model version not published: a chunk was refused.");
            let _ = producer.flush(left());
            return false;
        }
    }
    let flushed = producer.flush(left());
    let delivered = acks.0.delivered.load(Ordering::Relaxed) - before.0;
    let failed = acks.0.failed.load(Ordering::Relaxed) - before.1;
    if flushed.is_err() || failed > 0 || delivered < records.len() as u64 {
        warn!(version = %version.id, topic = %target.topic, delivered, failed,
            chunks = records.len(), "Model version not completely published; the other slot keeps the previous one.");
        return false;
    }
    info!(version = %version.id, topic = %target.topic, slot = %slot, chunks = records.len(),
        bytes = bytes.len(), ms = started.elapsed().as_secs_f64() * 1e3,
        "Model version published to the model topic.");
    true
}

fn send(
    producer: &ThreadedProducer<AckContext>,
    topic: &str,
    r: &TopicRecord,
    deadline: Instant,
) -> Result<(), rdkafka::error::KafkaError> {
    let mut headers = OwnedHeaders::new_with_capacity(r.headers.len());
    for (k, v) in &r.headers {
        headers = headers.insert(Header {
            key: k,
            value: Some(v.as_bytes()),
        });
    }
    let mut record = BaseRecord::to(topic)
        .key(r.key.as_bytes())
        .payload(r.value.as_slice())
        .headers(headers);
    loop {
        match producer.send(record) {
            Ok(()) => return Ok(()),
            Err((e, back)) => {
                let full = matches!(
                    e,
                    rdkafka::error::KafkaError::MessageProduction(
                        rdkafka::types::RDKafkaErrorCode::QueueFull
                    )
                );
                if !full || Instant::now() > deadline {
                    return Err(e);
                }
                record = back;
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}
