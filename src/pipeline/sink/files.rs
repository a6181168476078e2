//! The in-process sink: counts outputs and optionally writes them as JSON lines.
//!
//! What it is for: the embedded default (`leadstream run` without Kafka) and file backfills:
//! decisions, alerts and dead letters each to their own optional JSONL file.
//! What it is not: durable delivery; there are no offsets to commit in embedded runs.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::Sink;
use crate::pipeline::batch::{OutputBatch, OutputKind};
use crate::pipeline::error::PipelineError;
use crate::pipeline::stats::{add, PipelineStats};

/// Output buffer of each file.
const WRITE_BUFFER: usize = 1 << 20;

/// Writes each kind of output to its own optional JSONL file.
#[derive(Debug, Default)]
pub struct FileSink {
    files: [Option<(PathBuf, BufWriter<File>)>; 3],
}

#[derive(serde::Serialize)]
struct DeadLetterLine<'a> {
    reason: &'a str,
    error: &'a str,
    partition: Option<i32>,
    offset: Option<i64>,
    payload: &'a str,
}

impl FileSink {
    /// A sink writing decisions, alerts and dead letters to the given files (each optional).
    ///
    /// # Errors
    /// [`PipelineError::Io`] if a file cannot be created.
    pub fn create(
        decisions: Option<&Path>,
        alerts: Option<&Path>,
        dead_letters: Option<&Path>,
    ) -> Result<Self, PipelineError> {
        let open = |p: Option<&Path>| -> Result<_, PipelineError> {
            p.map(|p| {
                File::create(p)
                    .map(|f| (p.to_path_buf(), BufWriter::with_capacity(WRITE_BUFFER, f)))
                    .map_err(|e| PipelineError::io(format!("cannot create {}", p.display()), e))
            })
            .transpose()
        };
        Ok(Self {
            files: [open(decisions)?, open(alerts)?, open(dead_letters)?],
        })
    }
}

impl Sink for FileSink {
    fn write(&mut self, batch: &OutputBatch, stats: &PipelineStats) -> Result<(), PipelineError> {
        let mut delivered = 0u64;
        for (meta, key, payload) in batch.iter() {
            delivered += 1;
            let Some((path, w)) = self
                .files
                .get_mut(meta.kind.index())
                .and_then(Option::as_mut)
            else {
                continue;
            };
            let io =
                |e: std::io::Error| PipelineError::io(format!("writing {}", path.display()), e);
            if meta.kind == OutputKind::DeadLetter {
                let line = DeadLetterLine {
                    reason: std::str::from_utf8(key).unwrap_or("?"),
                    error: &String::from_utf8_lossy(batch.detail(meta)),
                    partition: meta.origin.map(|o| o.partition),
                    offset: meta.origin.map(|o| o.offset),
                    payload: &String::from_utf8_lossy(payload),
                };
                serde_json::to_writer(&mut *w, &line).map_err(|e| io(e.into()))?;
            } else {
                w.write_all(payload).map_err(io)?;
            }
            w.write_all(b"\n").map_err(io)?;
        }
        add(&stats.delivered, delivered);
        Ok(())
    }

    fn finish(&mut self, _stats: &PipelineStats) -> Result<(), PipelineError> {
        for (path, w) in self.files.iter_mut().flatten() {
            w.flush()
                .map_err(|e| PipelineError::io(format!("writing {}", path.display()), e))?;
        }
        Ok(())
    }
}
