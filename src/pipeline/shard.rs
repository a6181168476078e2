//! A shard worker: one thread that owns the state of its leads and runs the decision stage.
//!
//! What it is for: per event, decode (a rejected record goes to the dead-letter sink with its
//! reason), analyse text, update the lead's state, extract features, decide, and serialize
//! outputs into a batch for the sink; labelled examples go to the learner.
//! State is kept per source partition, so when a partition is revoked its leads' state is
//! dropped (the new owner rebuilds it), the decision stage is told to forget those leads, and
//! a newly assigned partition starts clean.
//! Embedded, the worker runs its own loop over an ordered channel fed by the router
//! ([`ShardWorker::run`]); with Kafka the shard's consumer drives it on the same thread by
//! calling [`ShardWorker::process`], [`ShardWorker::revoke`], [`ShardWorker::restore`] and
//! [`ShardWorker::finish`] (see the Kafka source).
//! What it is not: shared (no locks on this path) nor aware of the transport.

use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use hdrhistogram::Histogram;

use super::batch::{InputBatch, OutputBatch, OutputKind};
use super::changelog::ChangelogCache;
use super::lead_gauges::LeadDeltas;
use super::lead_snapshot::encode_chunks;
use super::router::Disconnected;
use super::sink::SharedSink;
use super::stage::{DecisionStage, StageOutputs, Timing};
use super::stats::{add, latency_histogram, record_us, PipelineStats};
use crate::event::Decoder;
use crate::lead::{extract, LeadParams, LeadRecord, LeadState, LeadStore, N_FEATURES};
use crate::telemetry::events::{QueueDepth, TelemetryEvent};
use crate::telemetry::labels::{Queue, Stage};
use crate::telemetry::{LatencyBatch, LeadBatch, PipelineBatch};

/// Examples a shard holds back while the learner is behind before it waits for it.
pub const MAX_BACKLOG: usize = 65_536;

/// Cap of the output bytes reserved per input record (a decision and an alert take ~4 KiB).
const MAX_BYTES_PER_RECORD: usize = 16 * 1024;

/// How often a shard merges its latency histograms into the shared stats.
const MERGE_EVERY: std::time::Duration = std::time::Duration::from_millis(50);

/// What a shard worker receives.
#[derive(Debug)]
pub enum ShardMessage {
    /// Records to process, in order.
    Batch(InputBatch),
    /// Persisted lead states to hold (each in its record's partition), sent before any event
    /// of those partitions.
    Restore(Vec<LeadRecord>),
    /// Encode every lead's record as snapshot chunks (between batches, so this shard's view is
    /// consistent) and send them back: a periodic snapshot (embedded mode).
    Snapshot(Sender<SnapshotPart>),
}

/// A shard's part of a periodic snapshot: its encoded chunks and lead count (or why they do not
/// encode), and how long the shard paused to encode them.
pub type SnapshotPart = (
    Result<(Vec<u8>, usize), crate::persist::PersistError>,
    std::time::Duration,
);

/// One shard: its leads' state (per source partition) and its decision stage.
#[derive(Debug)]
pub struct ShardWorker<S: DecisionStage> {
    decoder: Decoder,
    params: LeadParams,
    stores: Vec<(i32, LeadStore)>,
    stage: S,
    outputs: StageOutputs<S::Example>,
    features: [f64; N_FEATURES],
    watermark: i64,
    processing: Histogram<u64>,
    in_pipeline: Histogram<u64>,
    index: u32,
    /// Examples the learner could not take yet (it was behind): sent with the next batch.
    backlog: Vec<S::Example>,
    counts: PipelineBatch,
    latency: LatencyBatch,
    lead_counts: LeadBatch,
    lead_deltas: LeadDeltas,
    /// Largest output bytes per input record seen so far: sizes the next output batch, so its
    /// arena is not regrown (and copied) while the batch fills.
    out_bytes_per_record: usize,
    /// When the latency histograms were last merged into the shared stats.
    merged_at: Instant,
    /// Whether a batch was processed since that merge (its samples are not in the metrics yet).
    unmerged: bool,
    /// Events processed, to time the stages of one event in [`STAGE_SAMPLE`].
    processed: u64,
    /// With a changelog: the leads updated since its last flush (`None`: no changelog).
    changelog: Option<ChangelogCache>,
    /// The output buffer reused across batches when writing straight to a shared sink.
    direct_out: OutputBatch,
}

/// Where a shard worker sends its results.
#[derive(Debug)]
pub struct ShardLinks<E> {
    /// Output batches to the sink's thread.
    pub sink: Sender<OutputBatch>,
    /// The sink itself, when it takes concurrent writes ([`Sink::shared`](super::sink::Sink::shared)):
    /// each event's outputs are then written as soon as they are decided, not handed to the
    /// sink's thread with the whole batch's.
    pub direct: Option<Arc<dyn SharedSink>>,
    /// Labelled examples to the learner thread.
    pub learner: Sender<Vec<E>>,
    /// Shared counters.
    pub stats: Arc<PipelineStats>,
}

/// The stages of one event in this many are timed (each lap is a clock read and a histogram
/// record: timing every event cost about 2% of the engine's CPU). Every event's total
/// processing time and its latency from receipt are still recorded.
const STAGE_SAMPLE: u64 = 8;

/// Times the stages of a sampled event, lap by lap; does nothing for the others.
struct StageLaps(Option<Instant>);

impl StageLaps {
    fn lap(&mut self, latency: &mut LatencyBatch, stage: Stage) {
        if let Some(previous) = self.0 {
            let now = Instant::now();
            latency.stage(stage, now - previous);
            self.0 = Some(now);
        }
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl<S: DecisionStage> ShardWorker<S> {
    /// A worker with empty state; `index` labels its metrics.
    pub fn new(decoder: Decoder, params: LeadParams, stage: S, index: usize) -> Self {
        Self {
            decoder,
            params,
            stores: Vec::new(),
            stage,
            outputs: StageOutputs::default(),
            features: [0.0; N_FEATURES],
            watermark: i64::MIN,
            processing: latency_histogram(),
            in_pipeline: latency_histogram(),
            index: u32::try_from(index).unwrap_or(u32::MAX),
            backlog: Vec::new(),
            counts: PipelineBatch::new(crate::telemetry::labels::Source::Simulator),
            latency: LatencyBatch::new(),
            lead_counts: LeadBatch::new(),
            lead_deltas: LeadDeltas::default(),
            out_bytes_per_record: 512,
            merged_at: Instant::now(),
            unmerged: false,
            processed: 0,
            changelog: None,
            direct_out: OutputBatch::default(),
        }
    }

    /// Writes updated leads to the lead-state changelog (Kafka mode), each at most once per
    /// `flush_every` (zero: after every batch).
    #[must_use]
    pub fn with_changelog(mut self, flush_every: std::time::Duration) -> Self {
        self.changelog = Some(ChangelogCache::new(flush_every));
        self
    }

    /// Leads held, over every partition.
    pub fn leads(&self) -> usize {
        self.stores.iter().map(|(_, s)| s.len()).sum()
    }

    /// Processes messages until the input channel closes; returns the leads' stores (per source
    /// partition) so the caller can persist them.
    ///
    /// # Errors
    /// [`Disconnected`] if the sink or the learner stopped first.
    pub fn run(
        mut self,
        input: &Receiver<ShardMessage>,
        links: &ShardLinks<S::Example>,
    ) -> Result<Vec<(i32, LeadStore)>, Disconnected> {
        loop {
            let msg = match self.next_due() {
                Some(due) => match input.recv_deadline(due) {
                    Ok(msg) => msg,
                    Err(RecvTimeoutError::Timeout) => {
                        self.idle(links)?;
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => break,
                },
                None => match input.recv() {
                    Ok(msg) => msg,
                    Err(_) => break,
                },
            };
            match msg {
                ShardMessage::Batch(batch) => self.process(&batch, links)?,
                ShardMessage::Restore(records) => self.restore(records, links),
                ShardMessage::Snapshot(reply) => {
                    let started = Instant::now();
                    let mut bytes = Vec::new();
                    let encoded = encode_chunks(
                        self.stores.iter().flat_map(|(p, s)| s.record_refs(*p)),
                        &mut bytes,
                    )
                    .map(|leads| (bytes, leads));
                    // The snapshot thread gave up (the run is ending): nothing to do.
                    let _ = reply.send((encoded, started.elapsed()));
                }
            }
        }
        self.finish(links)
    }

    /// When the shard has something to do even if no input comes: with dirty leads, when they
    /// are due for the changelog; with latency samples not yet merged, when the merge is due
    /// (an idle shard must not hold its last samples back from the metrics until the next
    /// batch). `None`: nothing until the next input.
    pub fn next_due(&self) -> Option<Instant> {
        let changelog_due = self.changelog.as_ref().and_then(ChangelogCache::due_at);
        let merge_due = self.unmerged.then(|| self.merged_at + MERGE_EVERY);
        match (changelog_due, merge_due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Does what is due by now (see [`Self::next_due`]).
    ///
    /// # Errors
    /// [`Disconnected`] if the sink stopped.
    pub fn idle(&mut self, links: &ShardLinks<S::Example>) -> Result<(), Disconnected> {
        let now = Instant::now();
        let changelog_due = self.changelog.as_ref().and_then(ChangelogCache::due_at);
        if changelog_due.is_some_and(|d| d <= now) {
            self.flush_changelog(None, links)?;
        }
        if self.unmerged && self.merged_at + MERGE_EVERY <= now {
            self.merge_latency(&links.stats);
        }
        Ok(())
    }

    /// Writes the dirty leads of `partitions` to the changelog, then drops their leads' state
    /// and tells the stage to forget those leads (the partitions were revoked).
    ///
    /// # Errors
    /// [`Disconnected`] if the sink stopped.
    pub fn revoke(
        &mut self,
        partitions: &[i32],
        links: &ShardLinks<S::Example>,
    ) -> Result<(), Disconnected> {
        self.flush_changelog(Some(partitions), links)?;
        let (revoked, kept): (Vec<_>, Vec<_>) = self
            .stores
            .iter()
            .partition(|(p, _)| partitions.contains(p));
        let mut leads = Vec::new();
        for (_, store) in &revoked {
            for (tenant, lead, state) in store.iter() {
                self.lead_deltas.removed(state.stage());
                // A lead whose events also came on a partition kept here (a producer not
                // keyed by lead) stays known to the stage.
                if !kept.iter().any(|(_, s)| s.get(tenant, lead).is_some()) {
                    leads.push((tenant, lead));
                }
            }
        }
        self.stage.on_revoke(&leads);
        self.stores.retain(|(p, _)| !partitions.contains(p));
        links.stats.leads.flush(&mut self.lead_deltas);
        Ok(())
    }

    /// Input is over: writes every dirty lead to the changelog, merges the last latency
    /// samples, hands the learner every remaining example (waiting if it must) and returns the
    /// leads' stores (per source partition) so the caller can persist them.
    ///
    /// # Errors
    /// [`Disconnected`] if the sink or the learner stopped.
    pub fn finish(
        mut self,
        links: &ShardLinks<S::Example>,
    ) -> Result<Vec<(i32, LeadStore)>, Disconnected> {
        self.flush_changelog(None, links)?;
        self.merge_latency(&links.stats);
        let backlog = std::mem::take(&mut self.backlog);
        if !backlog.is_empty() {
            links.learner.send(backlog).map_err(|_| Disconnected)?;
        }
        Ok(self.stores)
    }

    /// Writes the dirty leads (all, or those of `partitions`) to the changelog now.
    ///
    /// # Errors
    /// [`Disconnected`] if the sink stopped.
    pub fn flush_changelog(
        &mut self,
        partitions: Option<&[i32]>,
        links: &ShardLinks<S::Example>,
    ) -> Result<(), Disconnected> {
        let Some(changelog) = &mut self.changelog else {
            return Ok(());
        };
        let mut out = OutputBatch::default();
        changelog.flush(&self.stores, &mut out, partitions);
        emit(&mut out, links)
    }

    /// Holds restored states (replacing any held for the same lead), each in its record's
    /// partition.
    pub fn restore(&mut self, records: Vec<LeadRecord>, links: &ShardLinks<S::Example>) {
        for r in records {
            let at = self.store_at(r.partition);
            if let Some((_, store)) = self.stores.get_mut(at) {
                if let Some(old) = store.get(&r.tenant, &r.lead) {
                    self.lead_deltas.removed(old.stage());
                }
                let stage = r.state.stage();
                if store.restore(&r.tenant, &r.lead, r.state, r.applied_offset) {
                    self.lead_deltas.added(stage);
                }
            }
        }
        links.stats.leads.flush(&mut self.lead_deltas);
    }

    /// Index of the store of source partition `partition`, created empty if missing.
    fn store_at(&mut self, partition: i32) -> usize {
        match self.stores.iter().position(|(p, _)| *p == partition) {
            Some(at) => at,
            None => {
                self.stores.push((partition, LeadStore::new(self.params)));
                self.stores.len() - 1
            }
        }
    }

    /// Hands examples to the learner without blocking prediction: when its queue is full they
    /// wait in the shard's backlog (sent with the next batch); past [`MAX_BACKLOG`] the shard
    /// waits for the learner (backpressure, nothing dropped).
    fn send_examples(
        &mut self,
        examples: Vec<S::Example>,
        links: &ShardLinks<S::Example>,
    ) -> Result<(), Disconnected> {
        if examples.is_empty() {
            return Ok(());
        }
        if examples.len() >= MAX_BACKLOG {
            return links.learner.send(examples).map_err(|_| Disconnected);
        }
        match links.learner.try_send(examples) {
            Ok(()) => Ok(()),
            Err(crossbeam_channel::TrySendError::Full(back)) => {
                self.backlog = back;
                Ok(())
            }
            Err(crossbeam_channel::TrySendError::Disconnected(_)) => Err(Disconnected),
        }
    }

    /// Processes one batch and sends its outputs and examples.
    ///
    /// # Errors
    /// [`Disconnected`] if the sink or the learner stopped.
    pub fn process(
        &mut self,
        batch: &InputBatch,
        links: &ShardLinks<S::Example>,
    ) -> Result<(), Disconnected> {
        // Writing straight to the sink, one event's outputs at a time: one reused buffer.
        // Otherwise the batch's outputs go to the sink's thread together, in an arena sized
        // from what earlier batches weighed (so it is not regrown and copied while it fills).
        let mut out = match links.direct {
            Some(_) => std::mem::take(&mut self.direct_out),
            None => OutputBatch::with_capacity_bytes(
                batch.len() * 2,
                batch.len() * self.out_bytes_per_record,
            ),
        };
        // The stage appends the batch's examples straight to this vector (about one per event:
        // reserved once rather than regrown, examples are large).
        self.outputs.clear();
        self.outputs.examples = std::mem::take(&mut self.backlog);
        self.outputs.examples.reserve(batch.len());
        let (mut events, mut decisions, mut alerts, mut dead_letters) = (0u64, 0u64, 0u64, 0u64);
        let mut dead_letter_bytes = 0usize;
        for (bytes, meta) in batch.iter() {
            let start = Instant::now();
            self.processed += 1;
            let mut laps = StageLaps((self.processed % STAGE_SAMPLE == 1).then_some(start));
            // The router read only the ids: this is where a record is validated, and where a
            // rejected one goes to the dead-letter sink with its reason.
            let event = match self.decoder.decode(bytes) {
                Ok(event) => event,
                Err(err) => {
                    let before = out.bytes();
                    out.push_dead_letter(err.reason(), &err.to_string(), bytes, meta.origin);
                    // A dead letter carries the whole record: not what outputs usually weigh.
                    dead_letter_bytes += out.bytes() - before;
                    out.complete(meta.origin, 1);
                    self.counts.rejected(err.reason());
                    self.counts.dead_letter();
                    dead_letters += 1;
                    if links.direct.is_some() {
                        emit(&mut out, links)?;
                    }
                    continue;
                }
            };
            laps.lap(&mut self.latency, Stage::Decode);
            events += 1;
            self.watermark = self.watermark.max(event.ts);
            let signals = event.text().map(crate::text::analyze);
            if let Some(signals) = &signals {
                self.lead_counts.emotion(signals.emotion.as_str());
            }
            let partition = meta.origin.partition;
            let at = self.store_at(partition);
            let mut caused = 0u32;
            let mut decided = false;
            let mut withheld = false;
            let store = self.stores.get_mut(at).map(|(_, s)| s);
            let deltas = &mut self.lead_deltas;
            let applied = store.map(|s| {
                let (applied, before, state) =
                    s.apply_at_from(&event, signals.as_ref(), meta.origin.offset);
                // A lead not held before and held now was created by this event.
                match (before, state.map(LeadState::stage)) {
                    (Some(from), Some(to)) => deltas.moved(from, to),
                    (None, Some(to)) => deltas.added(to),
                    _ => {}
                }
                (applied, state)
            });
            laps.lap(&mut self.latency, Stage::State);
            if let (Some((_, Some(state))), Some(lead)) = (applied, event.lead_id()) {
                extract(state, &self.params, event.ts, &mut self.features);
                laps.lap(&mut self.latency, Stage::Features);
                self.outputs.clear_json();
                let timing = Timing {
                    received: meta.received,
                    now_ms: now_ms(),
                };
                let examples_before = self.outputs.examples.len();
                self.stage.on_event(
                    &event.tenant_id,
                    lead,
                    &event,
                    state,
                    &self.features,
                    timing,
                    &mut self.outputs,
                );
                debug_assert!(
                    self.outputs.examples.len() >= examples_before,
                    "a stage must append examples, never drop them"
                );
                laps.lap(&mut self.latency, Stage::Decide);
                if !self.outputs.decision.is_empty() {
                    decided = true;
                    let behind = timing.now_ms.saturating_sub(event.ts).max(0);
                    self.latency
                        .event_to_decision(std::time::Duration::from_millis(
                            u64::try_from(behind).unwrap_or(0),
                        ));
                }
                if let (false, Some(level)) =
                    (self.outputs.alert.is_empty(), self.outputs.alert_level)
                {
                    self.counts.alert(level);
                }
                let key = [&*event.tenant_id, lead];
                for (kind, json) in [
                    (OutputKind::Decision, &self.outputs.decision),
                    (OutputKind::Alert, &self.outputs.alert),
                ] {
                    if json.is_empty() {
                        continue;
                    }
                    let pushed = out.push_with(kind, &key, Some(meta.origin), |w| {
                        w.extend_from_slice(json);
                        Ok::<(), ()>(())
                    });
                    if pushed.is_ok() {
                        caused += 1;
                        match kind {
                            OutputKind::Alert => alerts += 1,
                            _ => {
                                decisions += 1;
                                self.counts.decision();
                            }
                        }
                    }
                }
                // The input that dirties a lead is completed with its changelog record.
                withheld = self.changelog.as_mut().is_some_and(|changelog| {
                    changelog.touch(meta.origin, &event.tenant_id, lead, caused)
                });
            }
            if !withheld {
                out.complete(meta.origin, caused);
            }
            let done = Instant::now();
            if decided {
                self.latency.receipt_to_decision(done - meta.received);
            }
            record_us(&mut self.processing, micros(done - start));
            record_us(&mut self.in_pipeline, micros(done - meta.received));
            if links.direct.is_some() {
                emit(&mut out, links)?;
            }
        }
        if let Some(changelog) = &mut self.changelog {
            changelog.flush_if_due(&self.stores, &mut out, Instant::now());
        }
        if self.watermark > i64::MIN {
            self.outputs.clear_json();
            let examples_before = self.outputs.examples.len();
            self.stage.on_watermark(self.watermark, &mut self.outputs);
            debug_assert!(
                self.outputs.examples.len() >= examples_before,
                "a stage must append examples, never drop them"
            );
            for (kind, json) in [
                (OutputKind::Decision, &self.outputs.decision),
                (OutputKind::Alert, &self.outputs.alert),
            ] {
                if !json.is_empty() {
                    let _ = out.push_with(kind, &[], None, |w| {
                        w.extend_from_slice(json);
                        Ok::<(), ()>(())
                    });
                }
            }
        }
        let examples = std::mem::take(&mut self.outputs.examples);
        self.counts.decoded(events);
        self.counts.flush();
        self.lead_counts.flush();
        self.stage.flush_telemetry();
        links.stats.leads.flush(&mut self.lead_deltas);
        QueueDepth {
            queue: Queue::Sink,
            worker: self.index,
            depth: links.sink.len(),
        }
        .emit();
        QueueDepth {
            queue: Queue::Learner,
            worker: self.index,
            depth: links.learner.len(),
        }
        .emit();
        let stats = &links.stats;
        add(&stats.events, events);
        add(&stats.decisions, decisions);
        add(&stats.alerts, alerts);
        add(&stats.dead_letters, dead_letters);
        // Merging walks every bucket under the stats' locks: not per batch (batches are small
        // on a paced Kafka stream), but a few times a second and at the end.
        self.unmerged = true;
        if self.merged_at.elapsed() >= MERGE_EVERY {
            self.merge_latency(stats);
        }
        self.send_examples(examples, links)?;
        if links.direct.is_some() {
            emit(&mut out, links)?;
            self.direct_out = out;
        } else {
            self.out_bytes_per_record = self
                .out_bytes_per_record
                .max(
                    out.bytes()
                        .saturating_sub(dead_letter_bytes)
                        .div_ceil(batch.len().max(1)),
                )
                .min(MAX_BYTES_PER_RECORD);
            emit(&mut out, links)?;
        }
        Ok(())
    }
}

/// Hands `out` to the sink: written straight through the shared sink (and emptied for reuse),
/// or sent to the sink's thread (and left empty).
fn emit<E>(out: &mut OutputBatch, links: &ShardLinks<E>) -> Result<(), Disconnected> {
    if out.is_empty() {
        return Ok(());
    }
    match &links.direct {
        Some(sink) => {
            let written = sink.write(out, &links.stats);
            out.clear();
            // The sink keeps the failure and reports it when the engine winds down.
            written.map_err(|_| Disconnected)
        }
        None => links
            .sink
            .send(std::mem::take(out))
            .map_err(|_| Disconnected),
    }
}

impl<S: DecisionStage> ShardWorker<S> {
    /// Merges the latency histograms into the shared stats and flushes the stage latencies to
    /// telemetry. Not per batch: a flush walks and zeroes nine histograms of a few thousand
    /// buckets each, about 1% of the engine's CPU samples in `perf` when done for every batch
    /// of 256 records.
    fn merge_latency(&mut self, stats: &PipelineStats) {
        self.latency.flush();
        stats.merge_latency(&self.processing, &self.in_pipeline);
        self.processing.reset();
        self.in_pipeline.reset();
        self.merged_at = Instant::now();
        self.unmerged = false;
    }
}

fn micros(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}
