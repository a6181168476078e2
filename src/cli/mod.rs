//! Command-line front ends: argument types and the code behind each `leadstream` subcommand.
//!
//! What it is for: turning files, flags and stdin into calls on the library and printing results.
//! What it is not: a place for learning or decision logic; `main.rs` only parses and dispatches.

pub mod analyze_text;
pub mod classifiers;
pub mod dataset;
pub mod drift;
pub mod eval;
pub mod evaluate_decisions;
pub mod loadgen;
pub mod models;
pub mod run;
pub mod simulate;

/// An error from a subcommand, printed as one line by `main`.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A problem with the input data, naming the file, row and column where known.
    #[error("{0}")]
    Input(String),
    /// A hyperparameter that was unknown or invalid.
    #[error(transparent)]
    Param(#[from] crate::learn::ParamError),
    /// The pipeline failed.
    #[error(transparent)]
    Pipeline(#[from] crate::pipeline::PipelineError),
    /// Reading or writing failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A model registry operation failed.
    #[error(transparent)]
    Registry(#[from] crate::registry::RegistryError),
    /// A Kafka client call failed (broker unreachable, topic missing, ...).
    #[error("kafka: {0}")]
    Kafka(String),
}
