//! Sources: where input records come from.
//!
//! What it is for: reading raw records (simulator, JSONL file, in-memory buffer) and handing
//! each to the [`Router`] with its origin and receipt time, on the calling thread, until the
//! input ends or a stop is requested. The Kafka source ([`kafka`]) is not a [`Source`]: each
//! shard consumes its own partitions on its own thread (see
//! [`run_kafka_engine`](super::run_kafka_engine)).
//! What it is not: decoding or routing (the router does both).

mod file;
pub mod kafka;
mod memory;
mod restore;
mod sim;

pub use file::FileSource;
pub use memory::MemorySource;
pub use sim::SimSource;

use super::error::PipelineError;
use super::router::Router;
use super::shutdown::Shutdown;
use super::stats::PipelineStats;

/// A source of input records.
pub trait Source {
    /// Reads records into `router` until the input ends or `shutdown` is requested; flushes and
    /// drops the router before returning (which lets the later stages drain).
    ///
    /// # Errors
    /// If reading fails or a stage stopped.
    fn run(
        &mut self,
        router: Router,
        stats: &PipelineStats,
        shutdown: &Shutdown,
    ) -> Result<(), PipelineError>;
}

/// How often (in records) sources check the stop flag.
pub(crate) const CHECK_EVERY: u64 = 1024;
