//! The engine with Kafka: shard workers that each consume their own partitions, one learner,
//! one sink.
//!
//! What it is for: running the pipeline against a broker with no thread between a record's
//! fetch and its shard. Each shard thread is a member of the consumer group (see
//! [`source::kafka`](super::source::kafka)): it decodes, decides and produces the records of
//! the partitions it is assigned, so a lead's state lives in the shard that owns its partition
//! and a rebalance moves state in whole partitions. A shard that fails (a panic, a delivery
//! failure, a failed restore) stops the others through the offset tracker; each then drains
//! and commits what it can.
//! What it is not: the embedded engine ([`super::engine`]), whose source thread routes records
//! to the shards by lead.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::bounded;

use super::batch::OutputBatch;
use super::engine::{spawn_live_line, spawn_sink_and_learner, EngineSettings, LeadDurability};
use super::error::PipelineError;
use super::kafka_config::KafkaSettings;
use super::offsets::OffsetTracker;
use super::shard::{ShardLinks, ShardWorker};
use super::shutdown::Shutdown;
use super::sink::kafka::KafkaSink;
use super::sink::Sink;
use super::source::kafka::{consume, report_lag, shard_consumer, ConsumePlan, ShardConsumer};
use super::stage::DecisionFactory;
use super::stats::{PipelineStats, Summary};
use crate::event::Decoder;

/// How often the lag thread reports consumer lag.
const LAG_EVERY: Duration = Duration::from_secs(1);

/// Stops the engine when a shard thread panics (the other shards see the tracker's failure).
struct StopOnPanic<'a>(&'a OffsetTracker, usize);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop(format!("shard {} stopped", self.1));
        }
    }
}

/// The static partitions shard `index` of `shards` consumes: every `shards`-th one of the
/// configured list. `None`: group subscription.
fn static_share(partitions: &[i32], index: usize, shards: usize) -> Option<Vec<i32>> {
    (!partitions.is_empty()).then(|| {
        partitions
            .iter()
            .enumerate()
            .filter(|(j, _)| j % shards == index)
            .map(|(_, &p)| p)
            .collect()
    })
}

/// Runs the pipeline on `kafka` until `shutdown` is requested or a shard fails, then drains
/// every stage and returns the run's summary. `tracker` is shared with `sink`.
///
/// # Errors
/// [`PipelineError::Stopped`] if a shard panicked; else the sink's failure (it is the cause
/// when the shards see a stopped stage); then a shard's own failure (configuration or Kafka
/// errors), then a delivery failure.
#[allow(clippy::too_many_arguments)]
pub fn run_kafka_engine<F: DecisionFactory>(
    settings: &EngineSettings,
    durability: &LeadDurability,
    factory: &F,
    kafka: &KafkaSettings,
    tracker: &Arc<OffsetTracker>,
    sink: KafkaSink,
    shutdown: &Shutdown,
    stats: &Arc<PipelineStats>,
) -> Result<Summary, PipelineError> {
    let shards = settings.shards.max(1);
    let cap = settings.channel_batches.max(1);
    let commit_every = Duration::from_millis(kafka.commit_interval_ms);
    let started = Instant::now();
    let done = AtomicBool::new(false);
    let lag_stop = AtomicBool::new(false);

    std::thread::scope(|scope| {
        let (learner, stages) = factory.build(shards);
        let (sink_tx, sink_rx) = bounded::<OutputBatch>(cap * shards);
        let (learn_tx, learn_rx) = bounded(cap * shards);
        let direct = sink.shared();
        let (sink_thread, learner_thread) =
            spawn_sink_and_learner(scope, (sink, sink_rx), (learner, learn_rx), settings, stats)?;
        let live = spawn_live_line(scope, settings, stats, &done);

        let mut consumers: Vec<Arc<ShardConsumer<F::Stage>>> = Vec::with_capacity(shards);
        let mut not_started = None;
        let mut shard_threads = Vec::with_capacity(shards);
        for (i, stage) in stages.into_iter().enumerate() {
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
            let plan = ConsumePlan {
                static_partitions: static_share(&kafka.static_partitions, i, shards),
                batch_size: settings.batch_size,
            };
            let consumer = match shard_consumer(
                kafka,
                i,
                worker,
                links,
                Arc::clone(tracker),
                plan.static_partitions.is_none(),
            ) {
                Ok(c) => Arc::new(c),
                Err(e) => {
                    tracker.stop(e.to_string());
                    not_started = Some(e);
                    break;
                }
            };
            consumers.push(Arc::clone(&consumer));
            let shard_tracker = Arc::clone(tracker);
            let spawned = std::thread::Builder::new()
                .name(format!("shard-{i}"))
                .spawn_scoped(scope, move || {
                    let tracker = shard_tracker;
                    let _guard = StopOnPanic(&tracker, i);
                    let result = consume(&consumer, &plan, commit_every, shutdown);
                    if let Err(e) = &result {
                        tracker.stop(e.to_string());
                    }
                    result
                });
            match spawned {
                Ok(handle) => shard_threads.push(handle),
                Err(e) => {
                    let e = PipelineError::io("spawning a shard thread", e);
                    tracker.stop(e.to_string());
                    not_started = Some(e);
                    break;
                }
            }
        }
        // The shards hold the only senders now: the sink and the learner finish after them.
        drop((sink_tx, learn_tx));
        let lag_thread = {
            let stop = &lag_stop;
            std::thread::Builder::new()
                .name("consumer-lag".into())
                .spawn_scoped(scope, move || {
                    let step = Duration::from_millis(50);
                    let mut next = Instant::now() + LAG_EVERY;
                    while !stop.load(Ordering::Relaxed) {
                        if Instant::now() >= next {
                            consumers.iter().for_each(|c| report_lag(c));
                            next = Instant::now() + LAG_EVERY;
                        }
                        std::thread::sleep(step);
                    }
                    // The consumers (and with them the shards' links) close here at the
                    // latest, which lets the sink and the learner finish.
                    drop(consumers);
                })
                .ok()
        };
        let shard_results: Vec<_> = shard_threads.into_iter().map(|h| h.join()).collect();
        lag_stop.store(true, Ordering::Relaxed);
        if let Some(t) = lag_thread {
            let _ = t.join();
        }
        let learner_ok = learner_thread.join().is_ok();
        let sink_result = sink_thread.join();
        done.store(true, Ordering::SeqCst);
        if let Some(bar) = live {
            bar.finish_and_clear();
        }
        // A panicked shard stopped the others, and the sink reports that stop: the panic is
        // the cause.
        if shard_results.iter().any(std::result::Result::is_err) {
            return Err(PipelineError::Stopped("shard"));
        }
        match sink_result {
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(PipelineError::Stopped("sink")),
            Ok(Ok(())) => {}
        }
        if let Some(e) = not_started {
            return Err(e);
        }
        first_failure(shard_results)?;
        if !learner_ok {
            return Err(PipelineError::Stopped("learner"));
        }
        Ok(stats.summary(started.elapsed()))
    })
}

/// The error that stopped the shards: a shard's own error, else a delivery failure (which is
/// also what the others report when one shard stops them).
fn first_failure<T>(
    results: Vec<std::thread::Result<Result<T, PipelineError>>>,
) -> Result<(), PipelineError> {
    let mut delivery = None;
    for r in results {
        match r {
            Err(_) => return Err(PipelineError::Stopped("shard")),
            Ok(Err(PipelineError::Delivery(why))) => {
                delivery.get_or_insert(PipelineError::Delivery(why));
            }
            Ok(Err(e)) => return Err(e),
            Ok(Ok(_)) => {}
        }
    }
    delivery.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::static_share;

    #[test]
    fn static_partitions_are_dealt_to_the_shards_in_turn() {
        let list = [4, 0, 7, 2, 5];
        assert_eq!(static_share(&list, 0, 2), Some(vec![4, 7, 5]));
        assert_eq!(static_share(&list, 1, 2), Some(vec![0, 2]));
        assert_eq!(static_share(&[3], 1, 2), Some(vec![]));
        assert_eq!(static_share(&[], 0, 2), None);
    }
}
