//! A JSONL file as a source (`leadstream run --input FILE.jsonl`): backfill with a progress bar.
//!
//! What it is for: replaying recorded events through the same pipeline; each line is one record
//! (partition 0, offset = line number), empty lines are skipped.
//! What it is not: a file watcher; the run ends at the end of the file.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use super::{Source, CHECK_EVERY};
use crate::pipeline::batch::Origin;
use crate::pipeline::error::PipelineError;
use crate::pipeline::router::Router;
use crate::pipeline::shutdown::Shutdown;
use crate::pipeline::stats::{add, PipelineStats};

/// Records from a JSONL file.
#[derive(Debug)]
pub struct FileSource {
    path: PathBuf,
    progress: Option<MultiProgress>,
}

impl FileSource {
    /// A source reading `path`; with `progress`, draws a progress bar there (hidden when stderr
    /// is not a terminal).
    pub fn new(path: &Path, progress: Option<MultiProgress>) -> Self {
        Self {
            path: path.to_path_buf(),
            progress,
        }
    }
}

impl Source for FileSource {
    fn run(
        &mut self,
        mut router: Router,
        stats: &PipelineStats,
        shutdown: &Shutdown,
    ) -> Result<(), PipelineError> {
        let ctx = || format!("reading {}", self.path.display());
        let file = File::open(&self.path).map_err(|e| PipelineError::io(ctx(), e))?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let bar = match &self.progress {
            Some(multi) => multi.insert(0, ProgressBar::new(len)),
            None => ProgressBar::hidden(),
        };
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta} {msg}",
        ) {
            bar.set_style(style);
        }
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut line = Vec::with_capacity(1024);
        let mut n = 0u64;
        let mut read = 0u64;
        loop {
            line.clear();
            let got = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| PipelineError::io(ctx(), e))?;
            if got == 0 {
                break;
            }
            read += got as u64;
            while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                line.pop();
            }
            if line.is_empty() {
                continue;
            }
            let origin = Origin {
                partition: 0,
                offset: i64::try_from(n).unwrap_or(i64::MAX),
            };
            router
                .route(&line, origin, Instant::now(), stats)
                .map_err(|_| PipelineError::Stopped("shard"))?;
            n += 1;
            if n.is_multiple_of(CHECK_EVERY) {
                add(&stats.records_in, CHECK_EVERY);
                bar.set_position(read);
                if shutdown.requested() {
                    break;
                }
            }
        }
        add(&stats.records_in, n % CHECK_EVERY);
        bar.set_position(read);
        bar.finish_and_clear();
        router.flush().map_err(|_| PipelineError::Stopped("shard"))
    }
}
