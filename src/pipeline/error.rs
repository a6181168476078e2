//! The pipeline's error type.
//!
//! What it is for: every way `leadstream run` can fail, as one enum the CLI prints in one line.
//! What it is not: per-record problems (those are dead letters, never errors).

/// An error that stops the pipeline.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The configuration is invalid; the message names the key.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Reading or writing a file failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A Kafka client operation failed.
    #[error("kafka: {context}: {source}")]
    Kafka {
        /// What was being done.
        context: String,
        /// The client's error.
        source: rdkafka::error::KafkaError,
    },
    /// An output could not be delivered; its input offset was not committed.
    #[error("delivery failed: {0}")]
    Delivery(String),
    /// The simulator source could not be built.
    #[error(transparent)]
    Sim(#[from] crate::sim::SimError),
    /// A lead-state snapshot is unreadable: the engine refuses to start rather than drop state.
    #[error("lead-state snapshot {} (chunk at byte {at}): {source}", file.display())]
    State {
        /// The file.
        file: std::path::PathBuf,
        /// Byte offset of the bad chunk (records written so far, when encoding).
        at: u64,
        /// Why.
        source: crate::persist::PersistError,
    },
    /// A stage stopped unexpectedly (its thread ended or panicked).
    #[error("pipeline stage `{0}` stopped unexpectedly")]
    Stopped(&'static str),
}

impl PipelineError {
    /// Wraps an I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }

    /// Wraps a Kafka error with what was being done.
    pub fn kafka(context: impl Into<String>, source: rdkafka::error::KafkaError) -> Self {
        Self::Kafka {
            context: context.into(),
            source,
        }
    }
}
