//! Sinks: where decisions, alerts and dead letters go.
//!
//! What it is for: the last stage: it writes or produces output batches and tells the source
//! which input records are complete (for Kafka, only once the broker acknowledged every output
//! they caused). A sink runs on its own thread and receives batches over a channel; a sink that
//! takes concurrent writes (Kafka: the producer is thread-safe) also hands the shard workers a
//! [`SharedSink`], through which each shard produces an event's outputs as soon as they are
//! decided, with no hand-over to another thread (each hand-over is a thread wake-up, tens of
//! microseconds typically and milliseconds at the tail on a busy machine).
//! What it is not: serialization (outputs arrive as JSON bytes) or decisions.

mod files;
pub mod kafka;

pub use files::FileSink;

use std::sync::Arc;

use crossbeam_channel::Receiver;

use super::batch::OutputBatch;
use super::error::PipelineError;
use super::stats::PipelineStats;

/// A destination for output batches.
pub trait Sink: Send + 'static {
    /// Writes (or starts delivering) one batch.
    ///
    /// # Errors
    /// If writing fails; the pipeline stops and uncommitted inputs are read again next time.
    fn write(&mut self, batch: &OutputBatch, stats: &PipelineStats) -> Result<(), PipelineError>;

    /// Flushes and waits for every outstanding delivery (including what was written through
    /// [`shared`](Self::shared)).
    ///
    /// # Errors
    /// If flushing fails, a delivery failed or a write through the shared handle failed.
    fn finish(&mut self, stats: &PipelineStats) -> Result<(), PipelineError>;

    /// A handle the shard workers write through directly, for a sink that takes concurrent
    /// writes; `None` (the default): every batch goes through the sink's thread.
    fn shared(&self) -> Option<Arc<dyn SharedSink>> {
        None
    }
}

/// A sink that several threads write to at once (see [`Sink::shared`]).
pub trait SharedSink: Send + Sync + std::fmt::Debug {
    /// Writes (or starts delivering) one batch, as [`Sink::write`] does.
    ///
    /// # Errors
    /// If writing fails. The sink also remembers the failure, so that its
    /// [`finish`](Sink::finish) reports it and the source stops committing.
    fn write(&self, batch: &OutputBatch, stats: &PipelineStats) -> Result<(), PipelineError>;
}

/// Runs a sink until every producer of batches has hung up, then finishes it.
///
/// # Errors
/// The sink's first error.
pub fn run_sink<S: Sink>(
    mut sink: S,
    input: &Receiver<OutputBatch>,
    stats: &Arc<PipelineStats>,
) -> Result<(), PipelineError> {
    for batch in input {
        sink.write(&batch, stats)?;
    }
    sink.finish(stats)
}
