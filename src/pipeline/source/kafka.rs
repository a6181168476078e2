//! The Kafka source: each shard worker is a consumer in the group and processes the records of
//! the partitions it is assigned on its own thread, committing only offsets whose outputs the
//! broker has acknowledged.
//!
//! What it is for: the production input, laid out as Kafka Streams lays out its stream
//! threads. A record goes from librdkafka's fetch queue straight to the shard that owns its
//! partition's leads: no router thread and no hand-over between threads on the way (each
//! hand-over cost a wake-up, 40-80 us at the median and over 1 ms at p99 on our 2-core
//! machines; BENCHMARKS.md). Records already fetched are taken into a batch without waiting and
//! processed as soon as the local queue is empty or the batch is full. Every record is
//! registered with the [`OffsetTracker`] before it is processed; the shard commits its
//! partitions' committable offsets every `commit_interval_ms`.
//!
//! Rebalances run on the shard's thread, inside its poll, so they see a consistent state: on
//! revocation the shard processes what it holds, writes the revoked partitions' dirty leads to
//! the changelog, drops their state, waits for their outputs (bounded by `drain_timeout_ms`) and
//! commits; a newly assigned partition starts with clean tracking and, with a changelog topic,
//! its leads' states restored before its first event (see `source/restore.rs`). With
//! `topics.static_partitions` the shards do not join the group: each is assigned its share of
//! those partitions at their committed offsets (after the same restore) and never rebalances.
//! On shutdown: stop consuming, process what is held, drain, commit.
//! What it is not: the producer (see the Kafka sink), decoding or deciding (the shard worker).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::KafkaResult;
use rdkafka::message::Message;
use rdkafka::{ClientContext, Offset, TopicPartitionList};

use crate::lead::LeadStore;
use crate::pipeline::batch::{InputBatch, Origin};
use crate::pipeline::error::PipelineError;
use crate::pipeline::kafka_config::KafkaSettings;
use crate::pipeline::offsets::OffsetTracker;
use crate::pipeline::router::Disconnected;
use crate::pipeline::shard::{ShardLinks, ShardWorker};
use crate::pipeline::shutdown::Shutdown;
use crate::pipeline::stage::DecisionStage;
use crate::pipeline::stats::add;
use crate::telemetry::events::{
    ConsumerLag, ErrorOccurred, OffsetsCommitted, PartitionsAssigned, RebalanceSeen, TelemetryEvent,
};
use crate::telemetry::labels::{
    CommitResult, ErrorKind, Rebalance as RebalanceKind, Source as SourceLabel,
};
use crate::telemetry::PipelineBatch;

/// How long one poll waits for a record when the shard holds none and nothing is due.
const POLL: Duration = Duration::from_millis(5);

/// Longest wait for the events topic's metadata when checking static partitions.
const METADATA_TIMEOUT: Duration = Duration::from_secs(10);

/// What a shard holds between polls: its worker, where its results go, the records taken from
/// the fetch queue but not processed yet, and the partitions it owns.
struct ShardCore<S: DecisionStage> {
    /// `None` once the shard has finished (late rebalance callbacks during close find none).
    worker: Option<ShardWorker<S>>,
    links: ShardLinks<S::Example>,
    pending: InputBatch,
    owned: Vec<i32>,
    consumed: PipelineBatch,
}

impl<S: DecisionStage> ShardCore<S> {
    /// Processes the records taken so far.
    fn process_pending(&mut self) -> Result<(), Disconnected> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.consumed.flush();
        if let Some(worker) = self.worker.as_mut() {
            worker.process(&self.pending, &self.links)?;
        }
        self.pending.clear();
        Ok(())
    }
}

/// A shard's consumer context. Rebalance callbacks run inside the shard's own `poll`, on its
/// thread, and need its worker: the worker lives here, behind a mutex that only that thread
/// ever takes (uncontended: the poll loop and the callbacks never overlap).
pub struct ShardContext<S: DecisionStage> {
    topic: String,
    core: Mutex<ShardCore<S>>,
    tracker: Arc<OffsetTracker>,
    drain_timeout: Duration,
    /// With a changelog topic: the settings to read it with on assignment.
    changelog: Option<KafkaSettings>,
}

impl<S: DecisionStage> std::fmt::Debug for ShardContext<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShardContext")
            .field("topic", &self.topic)
            .finish_non_exhaustive()
    }
}

impl<S: DecisionStage> ClientContext for ShardContext<S> {}

fn partitions_of(topic: &str, tpl: &TopicPartitionList) -> Vec<i32> {
    tpl.elements_for_topic(topic)
        .iter()
        .map(|e| e.partition())
        .collect()
}

impl<S: DecisionStage> ShardContext<S> {
    /// The shard's state; `None` if a panic while processing poisoned it (the engine is then
    /// stopping).
    fn core(&self) -> Option<MutexGuard<'_, ShardCore<S>>> {
        self.core.lock().ok()
    }

    /// Records a failure that must stop the engine.
    fn stopped(&self, what: &str) {
        self.tracker
            .stop(format!("a pipeline stage stopped while {what}"));
    }

    fn commit(
        &self,
        consumer: &BaseConsumer<Self>,
        offsets: &[(i32, i64)],
        mode: CommitMode,
    ) -> KafkaResult<()> {
        if offsets.is_empty() {
            return Ok(());
        }
        let mut tpl = TopicPartitionList::new();
        for &(p, o) in offsets {
            tpl.add_partition_offset(&self.topic, p, Offset::Offset(o))?;
        }
        let result = consumer.commit(&tpl, mode);
        OffsetsCommitted {
            result: if result.is_ok() {
                CommitResult::Ok
            } else {
                CommitResult::Error
            },
        }
        .emit();
        result
    }

    /// Waits until every record of `partitions` is done (its outputs acknowledged), at most
    /// the drain timeout; `false` if it timed out or delivery failed.
    fn drain(&self, partitions: &[i32]) -> bool {
        let deadline = Instant::now() + self.drain_timeout;
        while self.tracker.outstanding(Some(partitions)) > 0 {
            if Instant::now() >= deadline || self.tracker.failure().is_some() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        true
    }

    /// Starts tracking newly assigned `partitions` and loads their lead states into the worker
    /// before their first event (see [`super::restore`]); a failed restore stops the engine
    /// rather than run without state.
    fn assign(&self, partitions: &[i32]) {
        self.tracker.assign(partitions);
        let records = match &self.changelog {
            Some(settings) => match super::restore::read_changelog(settings, partitions) {
                Ok(records) => records,
                Err(e) => {
                    self.tracker.stop(format!(
                        "restoring lead state of partitions {partitions:?}: {e}"
                    ));
                    return;
                }
            },
            None => Vec::new(),
        };
        if let Some(mut core) = self.core() {
            let core = &mut *core;
            core.owned.extend_from_slice(partitions);
            if let Some(worker) = core.worker.as_mut() {
                worker.restore(records, &core.links);
            }
        }
        PartitionsAssigned {
            topic: &self.topic,
            count: self.tracker.assigned(),
        }
        .emit();
    }
}

impl<S: DecisionStage> ConsumerContext for ShardContext<S> {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        let Rebalance::Revoke(tpl) = rebalance else {
            return;
        };
        RebalanceSeen {
            kind: RebalanceKind::Revoke,
        }
        .emit();
        let partitions = partitions_of(&self.topic, tpl);
        if partitions.is_empty() {
            return;
        }
        if let Some(mut core) = self.core() {
            let core = &mut *core;
            let revoked = core
                .process_pending()
                .and_then(|()| match &mut core.worker {
                    Some(worker) => worker.revoke(&partitions, &core.links),
                    None => Ok(()),
                });
            if revoked.is_err() {
                self.stopped("revoking partitions");
            }
            core.owned.retain(|p| !partitions.contains(p));
        }
        let drained = self.drain(&partitions);
        let offsets = self.tracker.to_commit(Some(&partitions), true);
        match self.commit(consumer, &offsets, CommitMode::Sync) {
            Ok(()) => tracing::info!(
                ?partitions,
                drained,
                "Partitions revoked; offsets committed."
            ),
            Err(e) => {
                tracing::warn!(?partitions, error = %e, "Commit on revocation failed; records will be read again.");
            }
        }
        self.tracker.revoke(&partitions);
        PartitionsAssigned {
            topic: &self.topic,
            count: self.tracker.assigned(),
        }
        .emit();
    }

    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Assign(tpl) = rebalance {
            let partitions = partitions_of(&self.topic, tpl);
            tracing::info!(?partitions, "Partitions assigned.");
            self.assign(&partitions);
            RebalanceSeen {
                kind: RebalanceKind::Assign,
            }
            .emit();
        }
    }

    fn commit_callback(&self, result: KafkaResult<()>, offsets: &TopicPartitionList) {
        if let Err(e) = result {
            tracing::warn!(error = %e, count = offsets.count(), "Offset commit failed.");
        }
    }
}

/// One shard's consumer.
pub type ShardConsumer<S> = BaseConsumer<ShardContext<S>>;

/// How a shard consumes.
#[derive(Debug, Clone)]
pub struct ConsumePlan {
    /// The events-topic partitions this shard is assigned statically; `None`: it subscribes
    /// and the group assigns.
    pub static_partitions: Option<Vec<i32>>,
    /// Records taken into one batch at most.
    pub batch_size: usize,
}

/// Creates shard `index`'s consumer around `worker`; it subscribes to the events topic unless
/// `static_partitions` (then [`consume`] assigns them).
///
/// # Errors
/// [`PipelineError::Kafka`] if the consumer cannot be created or subscribe.
pub fn shard_consumer<S: DecisionStage>(
    settings: &KafkaSettings,
    index: usize,
    worker: ShardWorker<S>,
    links: ShardLinks<S::Example>,
    tracker: Arc<OffsetTracker>,
    subscribe: bool,
) -> Result<ShardConsumer<S>, PipelineError> {
    let context = ShardContext {
        topic: settings.topics.events.clone(),
        core: Mutex::new(ShardCore {
            worker: Some(worker),
            links,
            pending: InputBatch::with_capacity(256, 256),
            owned: Vec::new(),
            consumed: PipelineBatch::new(SourceLabel::Kafka),
        }),
        tracker,
        drain_timeout: Duration::from_millis(settings.drain_timeout_ms),
        changelog: (!settings.topics.changelog.is_empty()).then(|| settings.clone()),
    };
    let consumer: ShardConsumer<S> = settings
        .shard_consumer(index)
        .create_with_context(context)
        .map_err(|e| PipelineError::kafka("creating a shard's consumer", e))?;
    if subscribe {
        consumer
            .subscribe(&[&settings.topics.events])
            .map_err(|e| {
                PipelineError::kafka(format!("subscribing to {}", settings.topics.events), e)
            })?;
    }
    Ok(consumer)
}

/// Checks the partitions exist, restores their leads' state (as on a group assignment) and
/// assigns them at the group's committed offsets (the reset policy where none is committed).
fn assign_static<S: DecisionStage>(
    consumer: &ShardConsumer<S>,
    partitions: &[i32],
) -> Result<(), PipelineError> {
    let context = consumer.context();
    let topic = context.topic.as_str();
    let metadata = consumer
        .fetch_metadata(Some(topic), METADATA_TIMEOUT)
        .map_err(|e| PipelineError::kafka(format!("reading metadata of {topic}"), e))?;
    let count = metadata
        .topics()
        .iter()
        .find(|t| t.name() == topic)
        .map_or(0, |t| t.partitions().len());
    if let Some(p) = partitions
        .iter()
        .find(|&&p| usize::try_from(p).map_or(true, |p| p >= count))
    {
        return Err(PipelineError::Config(format!(
            "`topics.static_partitions` names partition {p}, but {topic} has {count} partitions"
        )));
    }
    context.assign(partitions);
    if let Some(why) = context.tracker.failure() {
        return Err(PipelineError::Delivery(why));
    }
    let mut tpl = TopicPartitionList::new();
    for &p in partitions {
        tpl.add_partition_offset(topic, p, Offset::Stored)
            .map_err(|e| PipelineError::kafka("assigning static partitions", e))?;
    }
    consumer
        .assign(&tpl)
        .map_err(|e| PipelineError::kafka("assigning static partitions", e))?;
    tracing::info!(?partitions, topic, "Partitions assigned statically.");
    Ok(())
}

/// Consumes and processes records on the calling thread (the shard's) until `shutdown` is
/// requested or the engine stops (a delivery failure, a failed restore, another shard's
/// failure); then processes what it holds, drains and commits its partitions, leaves the group
/// and returns the worker's lead stores.
///
/// # Errors
/// [`PipelineError::Delivery`] when the engine stopped for a failure (the tracker's reason),
/// [`PipelineError::Config`] or [`PipelineError::Kafka`] if static partitions cannot be
/// assigned, [`PipelineError::Stopped`] if the sink or learner stopped.
pub fn consume<S: DecisionStage>(
    consumer: &ShardConsumer<S>,
    plan: &ConsumePlan,
    commit_every: Duration,
    shutdown: &Shutdown,
) -> Result<Vec<(i32, LeadStore)>, PipelineError> {
    let context = consumer.context();
    let stopped = || PipelineError::Stopped("shard");
    let batch_size = plan.batch_size.max(1);
    let mut last_commit = Instant::now();
    let assigned = match &plan.static_partitions {
        Some(partitions) if !partitions.is_empty() => assign_static(consumer, partitions),
        _ => Ok(()),
    };
    let result = assigned.and_then(|()| loop {
        if shutdown.requested() {
            break Ok(());
        }
        if let Some(why) = context.tracker.failure() {
            break Err(PipelineError::Delivery(why));
        }
        // Holding records, only take what is already fetched: an empty local queue means the
        // burst is over and they are processed now.
        let wait = match context.core() {
            Some(core) if !core.pending.is_empty() => Duration::ZERO,
            Some(core) => core
                .worker
                .as_ref()
                .and_then(ShardWorker::next_due)
                .map_or(POLL, |due| {
                    due.saturating_duration_since(Instant::now()).min(POLL)
                }),
            None => break Err(stopped()),
        };
        let polled = consumer.poll(wait);
        let Some(mut core) = context.core() else {
            break Err(stopped());
        };
        let core = &mut *core;
        let step = match polled {
            Some(Ok(msg)) => {
                let origin = Origin {
                    partition: msg.partition(),
                    offset: msg.offset(),
                };
                context.tracker.register(origin);
                add(&core.links.stats.records_in, 1);
                core.consumed.consumed(1);
                core.pending
                    .push(msg.payload().unwrap_or_default(), origin, Instant::now());
                if core.pending.len() >= batch_size {
                    core.process_pending()
                } else {
                    Ok(())
                }
            }
            Some(Err(e)) => {
                ErrorOccurred {
                    kind: ErrorKind::Consume,
                    count: 1,
                }
                .emit();
                tracing::warn!(error = %e, "Consumer error.");
                Ok(())
            }
            None if !core.pending.is_empty() => core.process_pending(),
            None => match core.worker.as_mut() {
                Some(worker) => worker.idle(&core.links),
                None => Ok(()),
            },
        };
        if step.is_err() {
            break Err(stopped());
        }
        if last_commit.elapsed() >= commit_every {
            // Records held in the batch delay commits; process them first.
            if core.process_pending().is_err() {
                break Err(stopped());
            }
            let offsets = context.tracker.to_commit(Some(&core.owned), false);
            match context.commit(consumer, &offsets, CommitMode::Async) {
                Ok(()) => add(&core.links.stats.commits, offsets.len() as u64),
                Err(e) => tracing::warn!(error = %e, "Offset commit failed; will retry."),
            }
            last_commit = Instant::now();
        }
    });
    wind_down(consumer, plan, result)
}

/// Stops consuming: processes what the shard holds, writes its dirty leads to the changelog,
/// waits for its outputs, commits, leaves the group (or unassigns) and finishes the worker.
fn wind_down<S: DecisionStage>(
    consumer: &ShardConsumer<S>,
    plan: &ConsumePlan,
    result: Result<(), PipelineError>,
) -> Result<Vec<(i32, LeadStore)>, PipelineError> {
    let context = consumer.context();
    let owned = match context.core() {
        Some(mut core) => {
            let core = &mut *core;
            let flushed = core
                .process_pending()
                .and_then(|()| match &mut core.worker {
                    Some(worker) => worker.flush_changelog(None, &core.links),
                    None => Ok(()),
                });
            if flushed.is_err() {
                context.stopped("shutting down");
            }
            core.owned.clone()
        }
        None => return Err(PipelineError::Stopped("shard")),
    };
    if !context.drain(&owned) {
        tracing::warn!(
            outstanding = context.tracker.outstanding(Some(&owned)),
            "Shutdown drain timed out; uncommitted records will be read again."
        );
    }
    let offsets = context.tracker.to_commit(Some(&owned), true);
    let committed = match context.commit(consumer, &offsets, CommitMode::Sync) {
        Ok(()) => offsets.len() as u64,
        Err(e) => {
            tracing::warn!(error = %e, "Final offset commit failed; records will be read again.");
            0
        }
    };
    if plan.static_partitions.is_none() {
        consumer.unsubscribe();
    } else if let Err(e) = consumer.unassign() {
        tracing::warn!(error = %e, "Unassigning static partitions failed.");
    }
    let stores = match context.core() {
        Some(mut core) => match core.worker.take() {
            Some(worker) => {
                add(&core.links.stats.commits, committed);
                worker
                    .finish(&core.links)
                    .map_err(|_| PipelineError::Stopped("learner"))
            }
            None => Ok(Vec::new()),
        },
        None => Err(PipelineError::Stopped("shard")),
    };
    match (result, context.tracker.failure()) {
        (Ok(()), Some(why)) => Err(PipelineError::Delivery(why)),
        (Ok(()), None) => stores,
        (Err(e), _) => Err(e),
    }
}

/// Longest wait for one partition's watermarks when reporting lag.
const LAG_TIMEOUT: Duration = Duration::from_millis(200);

/// Emits [`ConsumerLag`] for every partition assigned to `consumer` whose position is known:
/// the high watermark minus the position. Each partition costs one watermark request (a round
/// trip, bounded by 200 ms; a slow broker skips that partition), so this runs on its
/// own thread: on a consuming thread those round trips stalled every record behind them (tens
/// of milliseconds on tansu, whose fetches hold the connection for `fetch.wait.max.ms`).
pub fn report_lag<C: ConsumerContext>(consumer: &BaseConsumer<C>) {
    let Ok(positions) = consumer.position() else {
        return;
    };
    for elem in positions.elements() {
        let Offset::Offset(position) = elem.offset() else {
            continue;
        };
        let Ok((_, high)) = consumer.fetch_watermarks(elem.topic(), elem.partition(), LAG_TIMEOUT)
        else {
            continue;
        };
        if high < 0 {
            continue;
        }
        ConsumerLag {
            topic: elem.topic(),
            partition: elem.partition(),
            lag: high - position,
        }
        .emit();
    }
}
