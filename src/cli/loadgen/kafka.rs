//! Kafka plumbing for the load generator: client settings, topic creation, and consumers
//! assigned at the current end of a topic.
//!
//! What it is for: starting every loadgen client the same way (brokers, pass-through
//! `--kafka KEY=VALUE` settings, low fetch wait for loopback brokers such as tansu).
//! What it is not: the engine's Kafka code (the harness measures the engine from outside, with
//! its own clients).

use std::time::Duration;

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

use super::super::CliError;

/// How long metadata and watermark requests may take.
const META_TIMEOUT: Duration = Duration::from_secs(10);

/// Maps a Kafka failure to a one-line error.
pub(super) fn kafka_err(what: &str) -> impl Fn(rdkafka::error::KafkaError) -> CliError + '_ {
    move |e| CliError::Kafka(format!("{what}: {e}"))
}

/// Settings shared by every client: brokers, then the pass-through pairs (which win).
pub(super) fn base_config(brokers: &str, extra: &[(String, String)]) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", brokers);
    for (k, v) in extra {
        c.set(k, v);
    }
    c
}

/// Parses `KEY=VALUE` pass-through settings.
///
/// # Errors
/// [`CliError::Input`] for an entry without `=`.
pub(super) fn parse_pairs(pairs: &[String]) -> Result<Vec<(String, String)>, CliError> {
    pairs
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .ok_or_else(|| CliError::Input(format!("--kafka {p:?}: expected KEY=VALUE")))
        })
        .collect()
}

/// Consumer settings: a private group (offsets are assigned explicitly, never committed) and a
/// short fetch wait, since tansu holds every fetch until `fetch.wait.max.ms`.
pub(super) fn consumer_config(
    brokers: &str,
    group: &str,
    extra: &[(String, String)],
) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", brokers)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("fetch.wait.max.ms", "10");
    for (k, v) in extra.iter().filter(|(k, _)| is_consumer_key(k)) {
        c.set(k, v);
    }
    c
}

/// Producer-only keys are kept away from consumers (librdkafka warns about them).
fn is_consumer_key(key: &str) -> bool {
    !matches!(
        key,
        "linger.ms" | "queue.buffering.max.ms" | "acks" | "compression.type" | "batch.size"
    )
}

/// Creates `topics` that do not exist yet (`partitions` each, replication 1).
///
/// # Errors
/// [`CliError::Kafka`] if the admin client fails or the broker refuses a creation for a reason
/// other than "already exists".
pub(super) fn ensure_topics(
    config: &ClientConfig,
    topics: &[&str],
    partitions: i32,
) -> Result<(), CliError> {
    let admin: AdminClient<DefaultClientContext> =
        config.create().map_err(kafka_err("admin client"))?;
    let new: Vec<NewTopic<'_>> = topics
        .iter()
        .map(|t| NewTopic::new(t, partitions, TopicReplication::Fixed(1)))
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Kafka(format!("admin runtime: {e}")))?;
    let results = runtime
        .block_on(admin.create_topics(&new, &AdminOptions::new()))
        .map_err(kafka_err("create topics"))?;
    for r in results {
        match r {
            Ok(topic) => eprintln!("loadgen: created topic {topic}"),
            Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((topic, code)) => {
                return Err(CliError::Kafka(format!(
                    "cannot create topic {topic}: {code}"
                )))
            }
        }
    }
    Ok(())
}

/// Assigns `consumer` every partition of `topics` at its current high watermark, so it reads
/// exactly what is produced from now on.
///
/// # Errors
/// [`CliError::Kafka`] if a topic has no partitions (missing) or a request fails.
pub(super) fn assign_at_end(consumer: &BaseConsumer, topics: &[&str]) -> Result<(), CliError> {
    assign_share_at_end(consumer, topics, 0, 1)
}

/// As [`assign_at_end`], with only the partitions `p` where `p % of == index`: one of `of`
/// consumers sharing the topics.
pub(super) fn assign_share_at_end(
    consumer: &BaseConsumer,
    topics: &[&str],
    index: usize,
    of: usize,
) -> Result<(), CliError> {
    let mut tpl = TopicPartitionList::new();
    for topic in topics {
        let meta = consumer
            .fetch_metadata(Some(topic), META_TIMEOUT)
            .map_err(kafka_err("metadata"))?;
        let partitions: Vec<i32> = meta
            .topics()
            .iter()
            .flat_map(|t| t.partitions().iter().map(|p| p.id()))
            .collect();
        if partitions.is_empty() {
            return Err(CliError::Kafka(format!("topic {topic} does not exist")));
        }
        let mine = partitions
            .into_iter()
            .filter(|&p| usize::try_from(p).is_ok_and(|p| p % of.max(1) == index));
        for p in mine {
            let (_, high) = consumer
                .fetch_watermarks(topic, p, META_TIMEOUT)
                .map_err(kafka_err("watermarks"))?;
            tpl.add_partition_offset(topic, p, Offset::Offset(high))
                .map_err(kafka_err("assignment"))?;
        }
    }
    consumer.assign(&tpl).map_err(kafka_err("assign"))
}
