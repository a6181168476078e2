//! Sinks: where decisions, alerts and dead letters go.
//!
//! What it is for: the last stage, run on its own thread: it receives output batches, writes or
//! produces them, and tells the source which input records are complete (for Kafka, only once
//! the broker acknowledged every output they caused).
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

    /// Flushes and waits for every outstanding delivery.
    ///
    /// # Errors
    /// If flushing fails or a delivery failed.
    fn finish(&mut self, stats: &PipelineStats) -> Result<(), PipelineError>;
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
