//! Producing event records into a topic: `leadstream simulate --kafka` and tests.
//!
//! What it is for: writing JSON events keyed by lead (`tenant_id/lead_id`, so one lead's events
//! stay in order on one partition), with backpressure when librdkafka's queue is full and a
//! count of failed deliveries checked at the end.
//! What it is not: the engine's output sink (see the Kafka sink).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rdkafka::error::KafkaError;
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::ClientContext;

use super::error::PipelineError;
use super::kafka_config::KafkaSettings;

/// Counts delivery outcomes.
#[derive(Debug, Default)]
pub struct CountDeliveries {
    delivered: AtomicU64,
    failed: AtomicU64,
}

/// The producer's context: a shared [`CountDeliveries`].
#[derive(Debug, Clone, Default)]
pub struct DeliveryCounts(Arc<CountDeliveries>);

impl ClientContext for DeliveryCounts {}

impl ProducerContext for DeliveryCounts {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        match result {
            Ok(_) => self.0.delivered.fetch_add(1, Ordering::Relaxed),
            Err(_) => self.0.failed.fetch_add(1, Ordering::Relaxed),
        };
    }
}

/// Produces raw records to one topic.
pub struct EventProducer {
    producer: ThreadedProducer<DeliveryCounts>,
    counts: DeliveryCounts,
    topic: String,
}

impl std::fmt::Debug for EventProducer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventProducer")
            .field("topic", &self.topic)
            .finish_non_exhaustive()
    }
}

impl EventProducer {
    /// A producer to `topic` with `settings`' brokers and pass-through client settings.
    ///
    /// # Errors
    /// [`PipelineError::Kafka`] if the producer cannot be created.
    pub fn new(settings: &KafkaSettings, topic: &str) -> Result<Self, PipelineError> {
        let counts = DeliveryCounts::default();
        let producer = settings
            .producer()
            .create_with_context(counts.clone())
            .map_err(|e| PipelineError::kafka("creating the event producer", e))?;
        Ok(Self {
            producer,
            counts,
            topic: topic.to_string(),
        })
    }

    /// Queues one record, waiting while librdkafka's queue is full.
    ///
    /// # Errors
    /// [`PipelineError::Kafka`] if the record is refused for another reason.
    pub fn send(&self, key: &[u8], payload: &[u8]) -> Result<(), PipelineError> {
        let mut record = BaseRecord::to(&self.topic).key(key).payload(payload);
        loop {
            match self.producer.send(record) {
                Ok(()) => return Ok(()),
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                    record = back;
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err((e, _)) => return Err(PipelineError::kafka("producing an event", e)),
            }
        }
    }

    /// Waits for every queued record; returns how many were delivered.
    ///
    /// # Errors
    /// [`PipelineError::Kafka`] if flushing times out; [`PipelineError::Delivery`] if any
    /// record failed.
    pub fn finish(&self, timeout: Duration) -> Result<u64, PipelineError> {
        self.producer
            .flush(timeout)
            .map_err(|e| PipelineError::kafka("flushing events", e))?;
        let failed = self.counts.0.failed.load(Ordering::Relaxed);
        if failed > 0 {
            return Err(PipelineError::Delivery(format!(
                "{failed} events could not be delivered to {}",
                self.topic
            )));
        }
        Ok(self.counts.0.delivered.load(Ordering::Relaxed))
    }
}
