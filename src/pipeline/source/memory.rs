//! An in-memory JSONL buffer as a source, for benchmarks and tests.
//!
//! What it is for: measuring the pipeline alone (no simulator, no disk) on prepared records.
//! What it is not: a production input.

use std::time::Instant;

use super::{Source, CHECK_EVERY};
use crate::pipeline::batch::Origin;
use crate::pipeline::error::PipelineError;
use crate::pipeline::router::Router;
use crate::pipeline::shutdown::Shutdown;
use crate::pipeline::stats::{add, PipelineStats};

/// Records from a buffer of newline-separated payloads (empty lines skipped).
#[derive(Debug, Clone)]
pub struct MemorySource {
    data: std::sync::Arc<[u8]>,
}

impl MemorySource {
    /// A source replaying `data`.
    pub fn new(data: impl Into<std::sync::Arc<[u8]>>) -> Self {
        Self { data: data.into() }
    }
}

impl Source for MemorySource {
    fn run(
        &mut self,
        mut router: Router,
        stats: &PipelineStats,
        shutdown: &Shutdown,
    ) -> Result<(), PipelineError> {
        let mut n = 0u64;
        for line in self.data.split(|&b| b == b'\n') {
            if line.is_empty() {
                continue;
            }
            let origin = Origin {
                partition: 0,
                offset: i64::try_from(n).unwrap_or(i64::MAX),
            };
            router
                .route(line, origin, Instant::now(), stats)
                .map_err(|_| PipelineError::Stopped("shard"))?;
            n += 1;
            if n.is_multiple_of(CHECK_EVERY) {
                add(&stats.records_in, CHECK_EVERY);
                if shutdown.requested() {
                    break;
                }
            }
        }
        add(&stats.records_in, n % CHECK_EVERY);
        router.flush().map_err(|_| PipelineError::Stopped("shard"))
    }
}
