//! What can go wrong in the model registry.
//!
//! What it is for: errors a user can act on, naming the file or version concerned.
//! What it is not: decoding errors of the envelope (wrapped from [`PersistError`]).

use std::path::PathBuf;

use thiserror::Error;

use crate::decide::DecideError;
use crate::persist::PersistError;

/// A registry operation failed.
#[derive(Debug, Error)]
pub enum RegistryError {
    /// Reading or writing a file failed.
    #[error("{context} {path}: {source}")]
    Io {
        /// What was being done.
        context: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// No version has this id.
    #[error("no model version `{0}` in the registry")]
    NotFound(String),
    /// A version's metadata file is not valid JSON of a version.
    #[error("metadata of {path} does not parse: {source}")]
    Metadata {
        /// The metadata file.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
    /// A snapshot file's checksum differs from the one recorded at save time.
    #[error("snapshot {id} is corrupted: file CRC-32 {found:08x}, recorded {expected:08x}")]
    Corrupted {
        /// The version.
        id: String,
        /// CRC-32 recorded in the metadata.
        expected: u32,
        /// CRC-32 of the file now.
        found: u32,
    },
    /// A snapshot does not decode (bad envelope, checksum, schema version).
    #[error("snapshot {id} does not load: {source}")]
    Envelope {
        /// The version (or file name for imports).
        id: String,
        /// The cause.
        source: PersistError,
    },
    /// A snapshot decodes but does not fit this build or configuration.
    #[error("snapshot {id} is incompatible: {source}")]
    Incompatible {
        /// The version.
        id: String,
        /// The cause.
        source: DecideError,
    },
    /// The model topic could not be read or written.
    #[error("{context}: {source}")]
    Kafka {
        /// What was being done (naming the topic).
        context: String,
        /// The cause.
        source: rdkafka::error::KafkaError,
    },
    /// A chunk set read from the model topic is unusable.
    #[error("model topic version {uid} is {reason}: {detail}")]
    ChunkSet {
        /// The publication (`instance/version@created_at_ms`).
        uid: String,
        /// `incomplete` (chunks missing or of several versions) or `corrupted` (a chunk or the
        /// whole set fails its CRC-32, or the chunks disagree on their headers).
        reason: &'static str,
        /// What exactly is wrong.
        detail: String,
    },
    /// Could not find a free version number after many attempts (concurrent writers).
    #[error("could not allocate a new version id in {0}")]
    Contention(PathBuf),
    /// A version was saved but not activated: the active version changed meanwhile (a
    /// rollback), and that change wins.
    #[error("version {id} was saved but not activated: the active version changed meanwhile")]
    Superseded {
        /// The version saved.
        id: String,
    },
}

impl RegistryError {
    /// A short, bounded reason for metric labels: `corrupted`, `incompatible`, `missing`,
    /// `incomplete` (a model-topic chunk set), `io`, `superseded`.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Corrupted { .. } | Self::Metadata { .. } => "corrupted",
            Self::Envelope { source, .. } => match source {
                PersistError::Incompatible { .. }
                | PersistError::UnknownKind(_)
                | PersistError::WrongKind { .. } => "incompatible",
                _ => "corrupted",
            },
            Self::Incompatible { .. } => "incompatible",
            Self::NotFound(_) => "missing",
            Self::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => "missing",
            Self::ChunkSet { reason, .. } => reason,
            Self::Io { .. } | Self::Contention(_) | Self::Kafka { .. } => "io",
            Self::Superseded { .. } => "superseded",
        }
    }

    pub(super) fn io(
        context: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Self::Io {
            context,
            path: path.into(),
            source,
        }
    }
}
