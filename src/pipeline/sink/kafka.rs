//! The Kafka sink: produces decisions, alerts and dead letters to their topics and acknowledges
//! input offsets only on the broker's delivery reports.
//!
//! What it is for: at-least-once output. Every record is keyed by lead (`tenant_id/lead_id`) and
//! its JSON carries the input `event_id`; a dead letter's value is the original bytes with the
//! reason, error and source topic/partition/offset in headers. Each delivery report acknowledges
//! one output of its input record in the [`OffsetTracker`]; a failed delivery stops the engine
//! without committing that record.
//! What it is not: the consumer or the commit (see the Kafka source).

use std::sync::Arc;
use std::time::Duration;

use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::ClientContext;

use super::{SharedSink, Sink};
use crate::pipeline::batch::{Origin, OutputBatch, OutputKind};
use crate::pipeline::error::PipelineError;
use crate::pipeline::kafka_config::KafkaSettings;
use crate::pipeline::offsets::OffsetTracker;
use crate::pipeline::stats::{add, PipelineStats};
use crate::telemetry::events::{ErrorOccurred, TelemetryEvent};
use crate::telemetry::labels::ErrorKind;

/// Delivery reports go to the tracker.
#[derive(Debug)]
pub struct DeliveryContext {
    tracker: Arc<OffsetTracker>,
    stats: Arc<PipelineStats>,
}

impl ClientContext for DeliveryContext {}

impl ProducerContext for DeliveryContext {
    type DeliveryOpaque = Box<Option<Origin>>;

    fn delivery(&self, result: &DeliveryResult<'_>, origin: Self::DeliveryOpaque) {
        match (result, *origin) {
            (Ok(_), Some(origin)) => {
                self.tracker.ack(origin);
                add(&self.stats.delivered, 1);
            }
            (Ok(_), None) => add(&self.stats.delivered, 1),
            (Err((e, _)), Some(origin)) => {
                ErrorOccurred {
                    kind: ErrorKind::Delivery,
                    count: 1,
                }
                .emit();
                tracing::error!(error = %e, partition = origin.partition, offset = origin.offset, "Output delivery failed.");
                self.tracker.fail(origin, e.to_string());
            }
            (Err((e, _)), None) => tracing::error!(error = %e, "Output delivery failed."),
        }
    }
}

/// Produces outputs to the decisions, alerts and dead-letter topics: from its own thread (batches
/// received over the sink channel) and, through [`Sink::shared`], from the shard workers.
#[derive(Debug)]
pub struct KafkaSink {
    outputs: Arc<KafkaOutputs>,
    flush_timeout: Duration,
}

/// The producer and where each kind of output goes: what the sink thread and the shards share.
pub struct KafkaOutputs {
    producer: ThreadedProducer<DeliveryContext>,
    topics: [String; 4],
    events_topic: String,
    tracker: Arc<OffsetTracker>,
}

impl std::fmt::Debug for KafkaOutputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KafkaOutputs")
            .field("topics", &self.topics)
            .finish_non_exhaustive()
    }
}

impl KafkaSink {
    /// A producer for `settings`' output topics, acknowledging into `tracker`.
    ///
    /// # Errors
    /// [`PipelineError::Kafka`] if the producer cannot be created.
    pub fn new(
        settings: &KafkaSettings,
        tracker: Arc<OffsetTracker>,
        stats: Arc<PipelineStats>,
    ) -> Result<Self, PipelineError> {
        let context = DeliveryContext {
            tracker: Arc::clone(&tracker),
            stats,
        };
        let producer = settings
            .producer()
            .create_with_context(context)
            .map_err(|e| PipelineError::kafka("creating the producer", e))?;
        let t = &settings.topics;
        Ok(Self {
            outputs: Arc::new(KafkaOutputs {
                producer,
                topics: [
                    t.decisions.clone(),
                    t.alerts.clone(),
                    t.dead_letter.clone(),
                    t.changelog.clone(),
                ],
                events_topic: t.events.clone(),
                tracker,
            }),
            flush_timeout: Duration::from_millis(settings.drain_timeout_ms),
        })
    }
}

impl KafkaOutputs {
    fn send(
        &self,
        mut record: BaseRecord<'_, [u8], [u8], Box<Option<Origin>>>,
    ) -> Result<(), PipelineError> {
        loop {
            match self.producer.send(record) {
                Ok(()) => return Ok(()),
                Err((
                    rdkafka::error::KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull),
                    back,
                )) => {
                    // Backpressure: wait for deliveries to free the queue.
                    record = back;
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err((e, _)) => return Err(PipelineError::kafka("producing an output", e)),
            }
        }
    }
}

impl Sink for KafkaSink {
    fn write(&mut self, batch: &OutputBatch, stats: &PipelineStats) -> Result<(), PipelineError> {
        SharedSink::write(&*self.outputs, batch, stats)
    }

    fn finish(&mut self, _stats: &PipelineStats) -> Result<(), PipelineError> {
        self.outputs
            .producer
            .flush(self.flush_timeout)
            .map_err(|e| PipelineError::kafka("flushing outputs", e))?;
        match self.outputs.tracker.failure() {
            Some(why) => Err(PipelineError::Delivery(why)),
            None => Ok(()),
        }
    }

    fn shared(&self) -> Option<Arc<dyn SharedSink>> {
        Some(Arc::clone(&self.outputs) as Arc<dyn SharedSink>)
    }
}

impl SharedSink for KafkaOutputs {
    fn write(&self, batch: &OutputBatch, _stats: &PipelineStats) -> Result<(), PipelineError> {
        let produced = self.produce(batch);
        if let Err(e) = &produced {
            // Whichever thread wrote, the engine stops without committing and reports this.
            self.tracker.stop(e.to_string());
        }
        produced
    }
}

impl KafkaOutputs {
    fn produce(&self, batch: &OutputBatch) -> Result<(), PipelineError> {
        for (meta, key, payload) in batch.iter() {
            let Some(topic) = self.topics.get(meta.kind.index()) else {
                continue;
            };
            let record = BaseRecord::with_opaque_to(topic, Box::new(meta.origin)).payload(payload);
            let record = if meta.kind == OutputKind::DeadLetter {
                let partition = meta
                    .origin
                    .map(|o| o.partition.to_string())
                    .unwrap_or_default();
                let offset = meta
                    .origin
                    .map(|o| o.offset.to_string())
                    .unwrap_or_default();
                let headers = OwnedHeaders::new()
                    .insert(Header {
                        key: "reason",
                        value: Some(key),
                    })
                    .insert(Header {
                        key: "error",
                        value: Some(batch.detail(meta)),
                    })
                    .insert(Header {
                        key: "source_topic",
                        value: Some(self.events_topic.as_bytes()),
                    })
                    .insert(Header {
                        key: "source_partition",
                        value: Some(partition.as_bytes()),
                    })
                    .insert(Header {
                        key: "source_offset",
                        value: Some(offset.as_bytes()),
                    });
                record.headers(headers)
            } else if let (OutputKind::Changelog, Some(origin)) = (meta.kind, meta.origin) {
                // Co-partitioned: a lead's state goes to its input partition's number.
                record.key(key).partition(origin.partition)
            } else {
                record.key(key)
            };
            self.send(record)?;
        }
        for c in batch.completions() {
            self.tracker.complete(c.origin, c.outputs);
        }
        Ok(())
    }
}
