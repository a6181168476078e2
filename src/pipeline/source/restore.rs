//! Reading the lead-state changelog back when partitions are assigned (Kafka mode).
//!
//! What it is for: before any event of a newly assigned partition is processed, the consumer's
//! rebalance callback calls [`read_changelog`], which reads those partitions of the changelog
//! topic from the beginning to their high watermarks with a separate, manually assigned consumer
//! (it never joins the group nor commits), keeps each lead's newest record and returns them; the
//! callback, running on the shard's thread inside its poll, loads them into the shard before it
//! polls the partitions' first events.
//! What it is not: writing the changelog (see [`crate::pipeline::changelog`]) nor local snapshots.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::{Offset, TopicPartitionList};

use crate::lead::LeadRecord;
use crate::pipeline::error::PipelineError;
use crate::pipeline::kafka_config::KafkaSettings;
use crate::telemetry::events::{LeadStateRestored, TelemetryEvent};

/// Longest wait for a partition's watermarks.
const WATERMARK_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest a restore may take before it is an error (the engine stops rather than process
/// events without their leads' state).
const RESTORE_TIMEOUT: Duration = Duration::from_secs(300);

/// Every lead's newest record in `partitions` of `settings`' changelog topic.
///
/// # Errors
/// [`PipelineError::Kafka`] if the broker cannot be read, [`PipelineError::Config`] if a
/// record does not decode (naming topic, partition and offset) or the restore times out.
pub(crate) fn read_changelog(
    settings: &KafkaSettings,
    partitions: &[i32],
) -> Result<Vec<LeadRecord>, PipelineError> {
    let topic = settings.topics.changelog.as_str();
    let started = Instant::now();
    let mut config = settings.base();
    config
        .set("group.id", format!("{}.restore", settings.group))
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("fetch.wait.max.ms", "10");
    let consumer: BaseConsumer = config
        .create()
        .map_err(|e| PipelineError::kafka("creating the changelog reader", e))?;
    let mut tpl = TopicPartitionList::new();
    let mut end: HashMap<i32, i64> = HashMap::new();
    for &p in partitions {
        let (low, high) = consumer
            .fetch_watermarks(topic, p, WATERMARK_TIMEOUT)
            .map_err(|e| PipelineError::kafka(format!("watermarks of {topic}/{p}"), e))?;
        if high > low {
            end.insert(p, high);
            tpl.add_partition_offset(topic, p, Offset::Beginning)
                .map_err(|e| PipelineError::kafka("assigning the changelog", e))?;
        }
    }
    let mut newest: HashMap<Vec<u8>, LeadRecord> = HashMap::new();
    if !end.is_empty() {
        consumer
            .assign(&tpl)
            .map_err(|e| PipelineError::kafka("assigning the changelog", e))?;
    }
    while !end.is_empty() {
        if started.elapsed() > RESTORE_TIMEOUT {
            return Err(PipelineError::Config(format!(
                "restoring {topic} partitions {partitions:?} took over {RESTORE_TIMEOUT:?}"
            )));
        }
        let Some(msg) = consumer.poll(Duration::from_millis(100)) else {
            continue;
        };
        let msg = msg.map_err(|e| PipelineError::kafka(format!("reading {topic}"), e))?;
        let (p, offset) = (msg.partition(), msg.offset());
        if let (Some(key), Some(value)) = (msg.key(), msg.payload()) {
            let record = LeadRecord::decode(value).map_err(|e| {
                PipelineError::Config(format!(
                    "changelog record {topic}/{p}@{offset} is unreadable: {e}"
                ))
            })?;
            newest.insert(key.to_vec(), record);
        }
        if end.get(&p).is_some_and(|&high| offset + 1 >= high) {
            end.remove(&p);
        }
    }
    let records: Vec<LeadRecord> = newest.into_values().collect();
    let seconds = started.elapsed().as_secs_f64();
    LeadStateRestored {
        leads: records.len() as u64,
        seconds,
    }
    .emit();
    tracing::info!(
        ?partitions,
        leads = records.len(),
        seconds,
        topic,
        "Lead state restored from the changelog."
    );
    Ok(records)
}
