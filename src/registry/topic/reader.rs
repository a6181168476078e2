//! Reading the model topic to its end at start, as compaction would leave it: the newest record
//! per key, tombstones removing their key.
//!
//! What it is for: the warm start of a new instance (see [`super::sync_registry`]). A separate,
//! manually assigned consumer that never joins a group nor commits reads every partition from
//! the beginning to the high watermark seen when it started.
//! What it is not: choosing a version (see [`super::chunks::assemble`]).

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

use super::chunks::TopicRecord;
use crate::registry::error::RegistryError;

/// Longest wait for metadata and watermarks.
const METADATA_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest a read may take: the topic holds two versions per instance, a few MB.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

fn kafka(context: String) -> impl FnOnce(rdkafka::error::KafkaError) -> RegistryError {
    move |source| RegistryError::Kafka { context, source }
}

/// Every key's newest record in `topic`, read with `base` (brokers and pass-through settings).
///
/// # Errors
/// [`RegistryError::Kafka`] if the topic cannot be read, or the read takes over a minute.
pub(crate) fn read_newest(
    base: &ClientConfig,
    topic: &str,
) -> Result<Vec<TopicRecord>, RegistryError> {
    let started = Instant::now();
    let mut config = base.clone();
    config
        .set("group.id", "leadstream.model-topic-reader")
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("fetch.wait.max.ms", "10");
    let consumer: BaseConsumer = config
        .create()
        .map_err(kafka(format!("creating the reader of {topic}")))?;
    let metadata = consumer
        .fetch_metadata(Some(topic), METADATA_TIMEOUT)
        .map_err(kafka(format!("reading the metadata of {topic}")))?;
    let partitions: Vec<i32> = metadata
        .topics()
        .iter()
        .filter(|t| t.name() == topic && t.error().is_none())
        .flat_map(|t| t.partitions().iter().map(|p| p.id()))
        .collect();
    let mut tpl = TopicPartitionList::new();
    let mut end: HashMap<i32, i64> = HashMap::new();
    for p in partitions {
        let (low, high) = consumer
            .fetch_watermarks(topic, p, METADATA_TIMEOUT)
            .map_err(kafka(format!("watermarks of {topic}/{p}")))?;
        if high > low {
            end.insert(p, high);
            tpl.add_partition_offset(topic, p, Offset::Beginning)
                .map_err(kafka(format!("assigning {topic}")))?;
        }
    }
    let mut newest: BTreeMap<String, Option<TopicRecord>> = BTreeMap::new();
    if !end.is_empty() {
        consumer
            .assign(&tpl)
            .map_err(kafka(format!("assigning {topic}")))?;
    }
    while !end.is_empty() {
        if started.elapsed() > READ_TIMEOUT {
            return Err(RegistryError::Kafka {
                context: format!("reading {topic} took over {READ_TIMEOUT:?}"),
                source: rdkafka::error::KafkaError::NoMessageReceived,
            });
        }
        let Some(msg) = consumer.poll(Duration::from_millis(100)) else {
            continue;
        };
        let msg = msg.map_err(kafka(format!("reading {topic}")))?;
        let (p, offset) = (msg.partition(), msg.offset());
        if let Some(key) = msg.key() {
            let key = String::from_utf8_lossy(key).into_owned();
            let record = msg.payload().map(|value| TopicRecord {
                key: key.clone(),
                headers: msg
                    .headers()
                    .map(|hs| {
                        hs.iter()
                            .filter_map(|h| {
                                let v = std::str::from_utf8(h.value?).ok()?;
                                Some((h.key.to_owned(), v.to_owned()))
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                value: value.to_vec(),
            });
            newest.insert(key, record);
        }
        if end.get(&p).is_some_and(|&high| offset + 1 >= high) {
            end.remove(&p);
        }
    }
    Ok(newest.into_values().flatten().collect())
}
