//! Topic checks at start: create missing topics (when allowed) or fail with a clear error.
//!
//! What it is for: `leadstream run` against a fresh broker (tansu does not auto-create topics).
//! What it is not: topic configuration management.

use std::time::Duration;

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::metadata::Metadata;

use super::error::PipelineError;
use super::kafka_config::KafkaSettings;

const METADATA_TIMEOUT: Duration = Duration::from_secs(10);

/// An admin client and the cluster's current topic metadata.
fn connect(
    settings: &KafkaSettings,
) -> Result<(AdminClient<DefaultClientContext>, Metadata), PipelineError> {
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
    Ok((admin, metadata))
}

/// Makes sure every topic in `names` exists: creates missing ones with `settings.partitions`
/// partitions when `settings.create_topics`, else fails naming them.
///
/// # Errors
/// [`PipelineError::Kafka`] if the broker cannot be reached or refuses creation;
/// [`PipelineError::Config`] if topics are missing and creation is off.
pub fn ensure_topics(settings: &KafkaSettings, names: &[&str]) -> Result<(), PipelineError> {
    let (admin, metadata) = connect(settings)?;
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

/// Makes sure the lead-state changelog topic `changelog` exists: created (when allowed) with the
/// partition count of `events` (co-partitioning: a lead's state goes to its input partition's
/// number) and `cleanup.policy=compact`, so the broker keeps each lead's newest record. An
/// existing topic is left as it is (a partition count below the events topic's is an error).
///
/// # Errors
/// [`PipelineError::Kafka`] if the broker cannot be reached or refuses creation;
/// [`PipelineError::Config`] if `events` is missing, or the changelog is missing and creation
/// is off, or it has fewer partitions than `events`.
pub fn ensure_changelog_topic(
    settings: &KafkaSettings,
    events: &str,
    changelog: &str,
) -> Result<(), PipelineError> {
    let (admin, metadata) = connect(settings)?;
    let partitions = |name: &str| {
        metadata
            .topics()
            .iter()
            .find(|t| t.name() == name && t.error().is_none())
            .map(|t| t.partitions().len())
    };
    let Some(wanted) = partitions(events) else {
        return Err(PipelineError::Config(format!(
            "topic {events} does not exist on {}",
            settings.brokers
        )));
    };
    if let Some(have) = partitions(changelog) {
        if have < wanted {
            return Err(PipelineError::Config(format!(
                "changelog topic {changelog} has {have} partitions, fewer than {events}'s {wanted}"
            )));
        }
        return Ok(());
    }
    if !settings.create_topics {
        return Err(PipelineError::Config(format!(
            "changelog topic {changelog} does not exist on {} and topics.create is false",
            settings.brokers
        )));
    }
    let count = i32::try_from(wanted).unwrap_or(i32::MAX);
    create_compacted(
        &admin,
        settings,
        changelog,
        count,
        "lead-state changelog topic",
    )
}

/// Creates the compacted topic `name` with `partitions` partitions (`what` names it in the log
/// line and errors); a topic that exists already is fine.
fn create_compacted(
    admin: &AdminClient<DefaultClientContext>,
    settings: &KafkaSettings,
    name: &str,
    partitions: i32,
    what: &str,
) -> Result<(), PipelineError> {
    let topic = NewTopic::new(
        name,
        partitions,
        TopicReplication::Fixed(settings.replication),
    )
    .set("cleanup.policy", "compact");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| PipelineError::io("starting the admin runtime", e))?;
    let opts = AdminOptions::new().operation_timeout(Some(METADATA_TIMEOUT));
    let results = runtime
        .block_on(admin.create_topics([&topic], &opts))
        .map_err(|e| PipelineError::kafka(format!("creating the {what}"), e))?;
    for result in results {
        match result {
            Ok(name) => {
                tracing::info!(topic = %name, partitions, "Created the {what} (compacted).");
            }
            Err((_, rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((name, code)) => {
                return Err(PipelineError::Config(format!(
                    "{what} {name} could not be created: {code}"
                )))
            }
        }
    }
    Ok(())
}

/// Makes sure the model topic `name` exists: created (when allowed) with one partition and
/// `cleanup.policy=compact` (docs/models.md); an existing topic is left as it is.
///
/// # Errors
/// [`PipelineError::Kafka`] if the broker cannot be reached or refuses creation;
/// [`PipelineError::Config`] if the topic is missing and creation is off.
pub fn ensure_model_topic(settings: &KafkaSettings, name: &str) -> Result<(), PipelineError> {
    let (admin, metadata) = connect(settings)?;
    if metadata
        .topics()
        .iter()
        .any(|t| t.name() == name && t.error().is_none())
    {
        return Ok(());
    }
    if !settings.create_topics {
        return Err(PipelineError::Config(format!(
            "model topic {name} does not exist on {} and topics.create is false",
            settings.brokers
        )));
    }
    // One partition: every instance reads the whole topic at start, and it holds a few MB.
    create_compacted(&admin, settings, name, 1, "model topic")
}
