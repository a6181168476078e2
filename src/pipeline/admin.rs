//! Topic checks at start: create missing topics (when allowed) or fail with a clear error.
//!
//! What it is for: `leadstream run` against a fresh broker (tansu does not auto-create topics).
//! What it is not: topic configuration management.

use std::time::Duration;

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;

use super::error::PipelineError;
use super::kafka_config::KafkaSettings;

const METADATA_TIMEOUT: Duration = Duration::from_secs(10);

/// Makes sure every topic in `names` exists: creates missing ones with `settings.partitions`
/// partitions when `settings.create_topics`, else fails naming them.
///
/// # Errors
/// [`PipelineError::Kafka`] if the broker cannot be reached or refuses creation;
/// [`PipelineError::Config`] if topics are missing and creation is off.
pub fn ensure_topics(settings: &KafkaSettings, names: &[&str]) -> Result<(), PipelineError> {
    let admin: AdminClient<DefaultClientContext> = settings
        .base()
        .create()
        .map_err(|e| PipelineError::kafka("creating the admin client", e))?;
    let metadata = admin
        .inner()
        .fetch_metadata(None, METADATA_TIMEOUT)
        .map_err(|e| {
            PipelineError::kafka(format!("reading metadata from {}", settings.brokers), e)
        })?;
    let mut missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| {
            !metadata
                .topics()
                .iter()
                .any(|t| t.name() == *n && t.error().is_none())
        })
        .collect();
    missing.sort_unstable();
    missing.dedup();
    if missing.is_empty() {
        return Ok(());
    }
    if !settings.create_topics {
        return Err(PipelineError::Config(format!(
            "topics {missing:?} do not exist on {} and topics.create is false",
            settings.brokers
        )));
    }
    let new: Vec<NewTopic<'_>> = missing
        .iter()
        .map(|n| {
            NewTopic::new(
                n,
                settings.partitions,
                TopicReplication::Fixed(settings.replication),
            )
        })
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| PipelineError::io("starting the admin runtime", e))?;
    let opts = AdminOptions::new().operation_timeout(Some(METADATA_TIMEOUT));
    let results = runtime
        .block_on(admin.create_topics(new.iter(), &opts))
        .map_err(|e| PipelineError::kafka("creating topics", e))?;
    for result in results {
        match result {
            Ok(name) => tracing::info!(
                topic = %name,
                partitions = settings.partitions,
                "Created missing topic."
            ),
            Err((name, rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists)) => {
                tracing::info!(topic = %name, "Topic already exists.");
            }
            Err((name, code)) => {
                return Err(PipelineError::Config(format!(
                    "topic {name} is missing and could not be created: {code}"
                )))
            }
        }
    }
    Ok(())
}
