//! Restoring lead state into the shards and saving it back, around an embedded run.
//!
//! What it is for: reading the local snapshot and splitting its records by the shard that owns
//! each lead (the router's hash), writing every shard's leads periodically (each shard encodes
//! its leads in place between two batches; the snapshot thread writes the file) and when the
//! run ends; restores are timed and counted in the lead-state telemetry.
//! What it is not: the file format (see [`super::lead_snapshot`]) nor the shard's handling of
//! restored states (see [`super::shard`]).

use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver, RecvTimeoutError, Sender};

use super::error::PipelineError;
use super::lead_snapshot::LeadSnapshotDir;
use super::router::shard_for;
use super::shard::ShardMessage;
use crate::lead::{LeadRecord, LeadStore, NO_OFFSET};
use crate::telemetry::events::{LeadStateRestored, TelemetryEvent};

/// Embedded sources number their records from 0 on every run: a saved offset says nothing about
/// the next run's input, so restored states apply every new event.
pub(crate) fn load_by_shard(
    dir: &LeadSnapshotDir,
    shards: usize,
) -> Result<Vec<Vec<LeadRecord>>, PipelineError> {
    let started = Instant::now();
    let records = dir.load()?;
    let leads = records.len();
    let mut by_shard: Vec<Vec<LeadRecord>> = vec![Vec::new(); shards.max(1)];
    for mut r in records {
        r.applied_offset = NO_OFFSET;
        r.partition = 0;
        let shard = shard_for(&r.tenant, Some(&r.lead), shards.max(1));
        if let Some(v) = by_shard.get_mut(shard) {
            v.push(r);
        }
    }
    LeadStateRestored {
        leads: leads as u64,
        seconds: started.elapsed().as_secs_f64(),
    }
    .emit();
    tracing::info!(leads, file = %dir.file().display(), "Lead state restored.");
    Ok(by_shard)
}

/// Writes every lead of `stores` (per source partition) as the new snapshot.
pub(crate) fn save(
    dir: &LeadSnapshotDir,
    stores: &[(i32, LeadStore)],
) -> Result<(), PipelineError> {
    let written = dir.save(stores.iter().flat_map(|(p, s)| s.records(*p)))?;
    tracing::info!(leads = written, file = %dir.file().display(), "Lead state saved.");
    Ok(())
}

/// Writes a snapshot of every shard's leads every `every` until `stop` closes (the source
/// ended) or a shard stops. Each shard encodes its leads between two batches and goes on; the
/// pause is the longest encoding, logged with each snapshot. Failures are logged, never fatal.
pub(crate) fn snapshot_periodically(
    dir: &LeadSnapshotDir,
    every: Duration,
    shards: &[Sender<ShardMessage>],
    stop: &Receiver<()>,
) {
    while let Err(RecvTimeoutError::Timeout) = stop.recv_timeout(every) {
        let started = Instant::now();
        let (tx, rx) = bounded(shards.len());
        for shard in shards {
            if shard.send(ShardMessage::Snapshot(tx.clone())).is_err() {
                return;
            }
        }
        drop(tx);
        let mut parts = Vec::with_capacity(shards.len());
        let mut leads = 0;
        let mut pause = Duration::ZERO;
        let mut failed = None;
        let mut replies = 0;
        for (encoded, shard_pause) in rx {
            replies += 1;
            pause = pause.max(shard_pause);
            match encoded {
                Ok((bytes, n)) => {
                    parts.push(bytes);
                    leads += n;
                }
                Err(e) => failed = Some(e),
            }
        }
        if replies < shards.len() {
            // A shard stopped: the run is ending.
            return;
        }
        if let Some(e) = failed {
            tracing::warn!(error = %e, "Lead-state snapshot not written: a state does not encode.");
            continue;
        }
        match dir.save_encoded(&parts) {
            Ok(()) => tracing::info!(
                leads,
                pause_ms = pause.as_secs_f64() * 1e3,
                total_ms = started.elapsed().as_secs_f64() * 1e3,
                file = %dir.file().display(),
                "Lead-state snapshot written (periodic)."
            ),
            Err(e) => tracing::warn!(error = %e, "Lead-state snapshot not written."),
        }
    }
}
