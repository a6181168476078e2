//! Local lead-state snapshots (embedded mode, `--state-dir`): every lead's [`LeadRecord`] in one
//! file, `DIR/leads/snapshot.bin`, written atomically (periodically and when the run ends) and
//! read back at start; the snapshot before it is kept as `DIR/leads/snapshot.prev.bin`.
//!
//! What it is for: an embedded engine that restarts with the leads of its previous run.
//! The file is a sequence of [`PayloadKind::LeadStateBatch`] envelopes (each a `Vec` of up to
//! [`CHUNK_RECORDS`] records); the envelope header carries each chunk's length and CRC-32, so a
//! truncated or corrupted file is detected. A write goes to `snapshot.bin.tmp`, is synced, the
//! current file becomes `snapshot.prev.bin`, the new one is renamed into place and the directory
//! synced, so a crash mid-write leaves the previous snapshot intact. A latest file that does not
//! load falls back to the previous one (logged and counted in
//! `leadstream_lead_snapshot_fallbacks_total`); when neither loads, the error names the latest
//! file and the offset of its bad chunk, and the engine refuses to start rather than silently
//! drop state.
//! What it is not: the Kafka changelog (state in a compacted topic), nor a write-ahead log: a
//! killed embedded run loses what it did since its last snapshot.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use super::error::PipelineError;
use crate::lead::{LeadRecord, LeadRecordRef};
use crate::persist::{self, PayloadKind, HEADER_LEN};
use crate::telemetry::events::{LeadSnapshotFallback, TelemetryEvent};

/// Records per envelope: bounds the memory of one chunk (about 1.7 MB) while keeping the
/// per-chunk header and checksum cost negligible.
pub const CHUNK_RECORDS: usize = 4096;

/// A directory holding the lead-state snapshot.
#[derive(Debug, Clone)]
pub struct LeadSnapshotDir {
    dir: PathBuf,
}

impl LeadSnapshotDir {
    /// The snapshot directory under the state directory `state_dir` (`state_dir/leads`).
    pub fn new(state_dir: &Path) -> Self {
        Self {
            dir: state_dir.join("leads"),
        }
    }

    /// The snapshot file's path.
    pub fn file(&self) -> PathBuf {
        self.dir.join("snapshot.bin")
    }

    /// The previous snapshot's path (the one before the latest).
    pub fn prev_file(&self) -> PathBuf {
        self.dir.join("snapshot.prev.bin")
    }

    /// Reads the latest snapshot, or the previous one when the latest is missing or does not
    /// load (with a warning and `leadstream_lead_snapshot_fallbacks_total{reason}`); no file
    /// gives no records.
    ///
    /// # Errors
    /// When no snapshot loads: the latest file's error, [`PipelineError::Io`] if it cannot be
    /// read, [`PipelineError::State`] (naming the file and the offset of the bad chunk) if it is
    /// truncated, corrupted or of another schema.
    pub fn load(&self) -> Result<Vec<LeadRecord>, PipelineError> {
        let latest = match load_file(&self.file()) {
            Ok(Some(records)) => return Ok(records),
            Ok(None) => None,
            Err(e) => Some(e),
        };
        let prev = self.prev_file();
        match (load_file(&prev), latest) {
            (Ok(Some(records)), Some(error)) => {
                tracing::warn!(file = %self.file().display(), previous = %prev.display(),
                    leads = records.len(), %error,
                    "Lead-state snapshot does not load; using the previous snapshot.");
                LeadSnapshotFallback {
                    reason: "corrupted",
                }
                .emit();
                Ok(records)
            }
            (Ok(Some(records)), None) => {
                // A crash between the two renames of a save leaves only the previous file.
                tracing::warn!(file = %self.file().display(), previous = %prev.display(),
                    leads = records.len(),
                    "Lead-state snapshot missing; using the previous snapshot.");
                LeadSnapshotFallback { reason: "missing" }.emit();
                Ok(records)
            }
            (Ok(None), None) => Ok(Vec::new()),
            (Err(prev_error), None) => Err(prev_error),
            (_, Some(error)) => {
                tracing::warn!(previous = %prev.display(), "Previous lead-state snapshot does not load either.");
                Err(error)
            }
        }
    }

    /// Writes `records` as the new snapshot (temporary file, sync, rename). Returns the number of
    /// records written.
    ///
    /// # Errors
    /// [`PipelineError::Io`] if the directory or file cannot be written,
    /// [`PipelineError::State`] if a record does not encode.
    pub fn save<I: IntoIterator<Item = LeadRecord>>(
        &self,
        records: I,
    ) -> Result<usize, PipelineError> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| PipelineError::io(format!("creating {}", self.dir.display()), e))?;
        let tmp = self.dir.join("snapshot.bin.tmp");
        let io = |e| PipelineError::io(format!("writing {}", tmp.display()), e);
        let file = File::create(&tmp).map_err(io)?;
        let mut out = BufWriter::new(file);
        let mut chunk = Vec::with_capacity(CHUNK_RECORDS);
        let mut buf = Vec::new();
        let mut written = 0usize;
        let mut flush = |chunk: &mut Vec<LeadRecord>, out: &mut BufWriter<File>| {
            buf.clear();
            persist::encode_into(PayloadKind::LeadStateBatch, chunk, &mut buf).map_err(
                |source| PipelineError::State {
                    file: tmp.clone(),
                    at: written as u64,
                    source,
                },
            )?;
            written += chunk.len();
            chunk.clear();
            out.write_all(&buf)
                .map_err(|e| PipelineError::io(format!("writing {}", tmp.display()), e))
        };
        for r in records {
            chunk.push(r);
            if chunk.len() == CHUNK_RECORDS {
                flush(&mut chunk, &mut out)?;
            }
        }
        if !chunk.is_empty() {
            flush(&mut chunk, &mut out)?;
        }
        let file = out
            .into_inner()
            .map_err(|e| PipelineError::io(format!("writing {}", tmp.display()), e.into_error()))?;
        file.sync_all()
            .map_err(|e| PipelineError::io(format!("syncing {}", tmp.display()), e))?;
        self.install(&tmp)?;
        Ok(written)
    }

    /// Writes chunks already encoded by [`encode_chunks`] (one buffer per shard) as the new
    /// snapshot, as [`save`](Self::save) does.
    ///
    /// # Errors
    /// [`PipelineError::Io`] if the directory or file cannot be written.
    pub fn save_encoded(&self, parts: &[Vec<u8>]) -> Result<(), PipelineError> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| PipelineError::io(format!("creating {}", self.dir.display()), e))?;
        let tmp = self.dir.join("snapshot.bin.tmp");
        let io = |e| PipelineError::io(format!("writing {}", tmp.display()), e);
        let mut file = File::create(&tmp).map_err(io)?;
        for part in parts {
            file.write_all(part).map_err(io)?;
        }
        file.sync_all().map_err(io)?;
        self.install(&tmp)
    }

    /// Makes the synced `tmp` the latest snapshot, the latest one the previous one.
    fn install(&self, tmp: &Path) -> Result<(), PipelineError> {
        let path = self.file();
        let prev = self.prev_file();
        match std::fs::rename(&path, &prev) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(PipelineError::io(
                    format!("renaming to {}", prev.display()),
                    e,
                ))
            }
        }
        std::fs::rename(tmp, &path)
            .map_err(|e| PipelineError::io(format!("renaming to {}", path.display()), e))?;
        // Best effort: some filesystems refuse fsync on a directory; the renames are atomic.
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// Appends `records` to `out` as snapshot chunks (envelopes of up to [`CHUNK_RECORDS`]
/// records, the bytes [`LeadSnapshotDir::save`] writes), encoding in place without copying
/// the states. Returns the number of records.
///
/// # Errors
/// [`persist::PersistError`] if a chunk does not encode.
pub fn encode_chunks<'a>(
    records: impl IntoIterator<Item = LeadRecordRef<'a>>,
    out: &mut Vec<u8>,
) -> Result<usize, persist::PersistError> {
    let mut chunk = Vec::with_capacity(CHUNK_RECORDS);
    let mut written = 0;
    for r in records {
        chunk.push(r);
        if chunk.len() == CHUNK_RECORDS {
            persist::encode_into(PayloadKind::LeadStateBatch, &chunk, out)?;
            written += chunk.len();
            chunk.clear();
        }
    }
    if !chunk.is_empty() {
        persist::encode_into(PayloadKind::LeadStateBatch, &chunk, out)?;
        written += chunk.len();
    }
    Ok(written)
}

/// One snapshot file's records; `None` when there is no such file.
fn load_file(path: &Path) -> Result<Option<Vec<LeadRecord>>, PipelineError> {
    let mut bytes = Vec::new();
    match File::open(path) {
        Ok(mut f) => f
            .read_to_end(&mut bytes)
            .map_err(|e| PipelineError::io(format!("reading {}", path.display()), e))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(PipelineError::io(format!("opening {}", path.display()), e)),
    };
    decode_chunks(&bytes)
        .map(Some)
        .map_err(|(at, source)| PipelineError::State {
            file: path.to_path_buf(),
            at,
            source,
        })
}

/// Decodes concatenated chunks; on failure, the byte offset of the bad chunk and why.
fn decode_chunks(bytes: &[u8]) -> Result<Vec<LeadRecord>, (u64, persist::PersistError)> {
    let mut records = Vec::new();
    let mut at = 0usize;
    while at < bytes.len() {
        let rest = &bytes[at..];
        // The header's payload length (bytes 8..12) says where this chunk ends; decode checks
        // the rest (magic, kind, schema, length, checksum).
        let len = rest
            .get(8..12)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, |b| u32::from_le_bytes(b) as usize);
        let end = (HEADER_LEN + len).min(rest.len());
        let mut chunk = LeadRecord::decode_batch(&rest[..end]).map_err(|e| (at as u64, e))?;
        records.append(&mut chunk);
        at += end.max(1);
    }
    Ok(records)
}
