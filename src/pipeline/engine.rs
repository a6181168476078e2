//! The engine: wires source, router, shard workers, learner and sink into threads and runs them
//! to completion.
//!
//! What it is for: one function that every front end (embedded run, file backfill, Kafka,
//! benches, tests) calls with its own source and sink. Every channel is bounded, so a slow sink
//! slows the source (backpressure). Shutdown is by closing channels in data-flow order: the
//! source returns, shard inputs close, shards finish and hang up on the learner and the sink,
//! which finish last.
//! What it is not: configuration loading or the CLI.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use super::batch::OutputBatch;
use super::error::PipelineError;
use super::lead_snapshot::LeadSnapshotDir;
use super::learner::run_learner;
use super::restore;
use super::router::Router;
use super::shard::{ShardLinks, ShardMessage, ShardWorker};
use super::shutdown::Shutdown;
use super::sink::{run_sink, Sink};
use super::source::Source;
use super::stage::{DecisionFactory, LearnStage};
use super::stats::{get, PipelineStats, Summary};
use crate::event::{DecodeConfig, Decoder};
use crate::lead::LeadParams;
use crate::telemetry::labels::Source as SourceLabel;

/// How the engine is laid out.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    /// Shard worker threads (at least 1).
    pub shards: usize,
    /// Records per batch between stages.
    pub batch_size: usize,
    /// Capacity of each channel, in batches.
    pub channel_batches: usize,
    /// The learner publishes a snapshot at most this often.
    pub publish_every: Duration,
    /// Decoder limits.
    pub decode: DecodeConfig,
    /// Lead state settings.
    pub lead: LeadParams,
    /// Where to draw the live one-line summary (`None`: no live line).
    pub progress: Option<MultiProgress>,
    /// What the source is, for metric labels.
    pub source: SourceLabel,
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            shards: 2,
            batch_size: 256,
            channel_batches: 16,
            publish_every: Duration::from_millis(5),
            decode: DecodeConfig::default(),
            lead: LeadParams::default(),
            progress: None,
            source: SourceLabel::Simulator,
        }
    }
}

/// Runs the pipeline until `source` ends (or `shutdown` is requested and it returns), drains
/// every stage and returns the run's summary.
///
/// # Errors
/// The first failure of the sink, the source or a stage, in that order of preference (a sink
/// failure makes the source see a stopped stage; the sink's error is the cause).
pub fn run_engine<F, Src, Snk>(
    settings: &EngineSettings,
    factory: &F,
    source: &mut Src,
    sink: Snk,
    shutdown: &Shutdown,
    stats: &Arc<PipelineStats>,
) -> Result<Summary, PipelineError>
where
    F: DecisionFactory,
    Src: Source,
    Snk: Sink,
{
    let durability = LeadDurability::default();
    run_engine_with_state(
        settings,
        &durability,
        factory,
        source,
        sink,
        shutdown,
        stats,
    )
}

/// How lead state outlives a run.
#[derive(Debug, Clone, Default)]
pub struct LeadDurability {
    /// Embedded mode: a snapshot loaded into the shards before the first event and written
    /// back with every lead when the run ends.
    pub snapshot: Option<LeadSnapshotDir>,
    /// Embedded mode: also write the snapshot this often while running (`None`: only at the
    /// end).
    pub snapshot_every: Option<Duration>,
    /// Kafka mode: shards write updated leads to the changelog topic (the sink
    /// must know the topic; restore on assignment is the Kafka source's part).
    pub changelog: bool,
    /// With `changelog`: each lead's record is written at most this often (zero: after every
    /// batch that updated it).
    pub changelog_flush: Duration,
}

/// As [`run_engine`], with lead state kept as `durability` says.
///
/// # Errors
/// As [`run_engine`]; also [`PipelineError::State`] for an unreadable snapshot (the run does
/// not start) and [`PipelineError::Io`] if the final snapshot cannot be written.
pub fn run_engine_with_state<F, Src, Snk>(
    settings: &EngineSettings,
    durability: &LeadDurability,
    factory: &F,
    source: &mut Src,
    sink: Snk,
    shutdown: &Shutdown,
    stats: &Arc<PipelineStats>,
) -> Result<Summary, PipelineError>
where
    F: DecisionFactory,
    Src: Source,
    Snk: Sink,
{
    let state = durability.snapshot.as_ref();
    let restored = match state {
        Some(dir) => Some(restore::load_by_shard(dir, settings.shards.max(1))?),
        None => None,
    };
    let shards = settings.shards.max(1);
    let cap = settings.channel_batches.max(1);
    let (learner, stages) = factory.build(shards);
    let (sink_tx, sink_rx) = bounded::<OutputBatch>(cap * shards);
    let direct = sink.shared();
    let (learn_tx, learn_rx) = bounded(cap * shards);
    let started = Instant::now();
    let done = AtomicBool::new(false);

    std::thread::scope(|scope| {
        let (sink_thread, learner_thread) =
            spawn_sink_and_learner(scope, (sink, sink_rx), (learner, learn_rx), settings, stats)?;
        let mut shard_txs = Vec::with_capacity(shards);
        let mut shard_threads = Vec::with_capacity(shards);
        for (i, stage) in stages.into_iter().enumerate() {
            let (tx, rx) = bounded::<ShardMessage>(cap);
            shard_txs.push(tx);
            let links = ShardLinks {
                sink: sink_tx.clone(),
                direct: direct.clone(),
                learner: learn_tx.clone(),
                stats: Arc::clone(stats),
            };
            let mut worker =
                ShardWorker::new(Decoder::new(settings.decode), settings.lead, stage, i);
            if durability.changelog {
                worker = worker.with_changelog(durability.changelog_flush);
            }
            let handle = std::thread::Builder::new()
                .name(format!("shard-{i}"))
                .spawn_scoped(scope, move || worker.run(&rx, &links))
                .map_err(|e| PipelineError::io("spawning a shard thread", e))?;
            shard_threads.push(handle);
        }
        drop(learn_tx);
        if let Some(by_shard) = restored {
            for (tx, records) in shard_txs.iter().zip(by_shard) {
                if !records.is_empty() {
                    tx.send(ShardMessage::Restore(records))
                        .map_err(|_| PipelineError::Stopped("shard"))?;
                }
            }
        }
        // Spawned after the restores were queued: a snapshot never precedes them on a shard's
        // ordered channel, so it never overwrites the restored leads with an empty store.
        let (stop_periodic, periodic_stop) = bounded::<()>(0);
        let periodic = match (state, durability.snapshot_every) {
            (Some(dir), Some(every)) => {
                let txs = shard_txs.clone();
                let stop = periodic_stop;
                Some(
                    std::thread::Builder::new()
                        .name("lead-snapshot".into())
                        .spawn_scoped(scope, move || {
                            restore::snapshot_periodically(dir, every, &txs, &stop);
                        })
                        .map_err(|e| PipelineError::io("spawning the snapshot thread", e))?,
                )
            }
            _ => None,
        };
        let live = spawn_live_line(scope, settings, stats, &done);

        let router = Router::new(
            Decoder::new(settings.decode),
            shard_txs,
            sink_tx,
            settings.batch_size,
            settings.source,
        );
        let source_result = source.run(router, stats, shutdown);
        // The snapshot thread holds senders to the shards: it must end for them to finish.
        drop(stop_periodic);
        let periodic_ok = periodic.is_none_or(|h| h.join().is_ok());
        let shard_result = shard_threads
            .into_iter()
            .map(|h| h.join())
            .collect::<Vec<_>>();
        let learner_ok = learner_thread.join().is_ok();
        let sink_result = sink_thread.join();
        done.store(true, Ordering::SeqCst);
        if let Some(bar) = live {
            bar.finish_and_clear();
        }
        match sink_result {
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(PipelineError::Stopped("sink")),
            Ok(Ok(())) => {}
        }
        source_result?;
        let mut stores = Vec::with_capacity(shards);
        for r in shard_result {
            match r {
                Ok(Ok(s)) => stores.extend(s),
                _ => return Err(PipelineError::Stopped("shard")),
            }
        }
        if !periodic_ok {
            return Err(PipelineError::Stopped("lead-snapshot"));
        }
        if let Some(dir) = state {
            restore::save(dir, &stores)?;
        }
        if !learner_ok {
            return Err(PipelineError::Stopped("learner"));
        }
        Ok(stats.summary(started.elapsed()))
    })
}

/// Threads of one scope: the sink's and the learner's.
type SinkAndLearner<'scope> = (
    std::thread::ScopedJoinHandle<'scope, Result<(), PipelineError>>,
    std::thread::ScopedJoinHandle<'scope, ()>,
);

/// Starts the sink thread (writing what `sink_rx` brings) and the learner thread (learning
/// from `learn_rx`, publishing at most every `settings.publish_every`); both finish when every
/// sender of their channel is gone.
///
/// # Errors
/// [`PipelineError::Io`] if a thread cannot be spawned.
pub(super) fn spawn_sink_and_learner<'scope, Snk: Sink, L: LearnStage>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    (sink, sink_rx): (Snk, Receiver<OutputBatch>),
    (learner, learn_rx): (L, Receiver<Vec<L::Example>>),
    settings: &EngineSettings,
    stats: &Arc<PipelineStats>,
) -> Result<SinkAndLearner<'scope>, PipelineError> {
    let sink_stats = Arc::clone(stats);
    let sink_thread = std::thread::Builder::new()
        .name("sink".into())
        .spawn_scoped(scope, move || run_sink(sink, &sink_rx, &sink_stats))
        .map_err(|e| PipelineError::io("spawning the sink thread", e))?;
    let learn_stats = Arc::clone(stats);
    let publish_every = settings.publish_every;
    let learner_thread = std::thread::Builder::new()
        .name("learner".into())
        .spawn_scoped(scope, move || {
            run_learner(learner, &learn_rx, publish_every, &learn_stats);
        })
        .map_err(|e| PipelineError::io("spawning the learner thread", e))?;
    Ok((sink_thread, learner_thread))
}

/// Draws the live one-line summary on its own thread until `done`, when `settings` ask for it;
/// returns the bar to clear at the end.
pub(super) fn spawn_live_line<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    settings: &EngineSettings,
    stats: &Arc<PipelineStats>,
    done: &'scope AtomicBool,
) -> Option<ProgressBar> {
    let multi = settings.progress.as_ref()?;
    let bar = multi.add(ProgressBar::new_spinner());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
        bar.set_style(style);
    }
    let line = bar.clone();
    let stats = Arc::clone(stats);
    let _ = std::thread::Builder::new()
        .name("live".into())
        .spawn_scoped(scope, move || live_line(&line, &stats, done));
    Some(bar)
}

fn live_line(bar: &ProgressBar, stats: &PipelineStats, done: &AtomicBool) {
    let tick = Duration::from_millis(100);
    let mut last = Instant::now();
    let mut last_events = get(&stats.events);
    while !done.load(Ordering::SeqCst) {
        std::thread::sleep(tick);
        let elapsed = last.elapsed();
        if elapsed < Duration::from_secs(1) {
            bar.tick();
            continue;
        }
        let events = get(&stats.events);
        let rate = (events - last_events) as f64 / elapsed.as_secs_f64();
        bar.set_message(stats.live_line(rate));
        last = Instant::now();
        last_events = events;
    }
}
