//! The Kafka source: a consumer in a group, subscribed to the events topic, committing only
//! offsets whose outputs the broker has acknowledged.
//!
//! What it is for: the production input. Records are registered with the [`OffsetTracker`]
//! before routing; committable offsets are committed every `commit_interval_ms`. On revocation
//! the router is flushed, the revoked partitions' in-flight records are drained (bounded by
//! `drain_timeout_ms`), their offsets committed and their leads' state dropped (it is durable in
//! the changelog); a newly assigned partition starts with clean tracking and, with a changelog
//! topic, its leads' states restored before its first event (see `source/restore.rs`). With
//! `topics.static_partitions` the consumer does not join the group: it is assigned those
//! partitions at their committed offsets (after the same restore) and never rebalances. On
//! shutdown: stop consuming, drain, commit.
//! What it is not: the producer (see the Kafka sink) or decoding.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::KafkaResult;
use rdkafka::message::Message;
use rdkafka::{ClientContext, Offset, TopicPartitionList};

use super::Source;
use crate::pipeline::batch::Origin;
use crate::pipeline::error::PipelineError;
use crate::pipeline::kafka_config::KafkaSettings;
use crate::pipeline::offsets::OffsetTracker;
use crate::pipeline::router::Router;
use crate::pipeline::shutdown::Shutdown;
use crate::pipeline::stats::{add, PipelineStats};
use crate::telemetry::events::{
    ConsumerLag, ErrorOccurred, OffsetsCommitted, PartitionsAssigned, RebalanceSeen, TelemetryEvent,
};
use crate::telemetry::labels::{CommitResult, ErrorKind, Rebalance as RebalanceKind};

/// How long one poll waits for a record when nothing is waiting to be flushed.
const POLL: Duration = Duration::from_millis(5);
/// The longest a record waits in a partial batch while records keep arriving: batching must
/// not cost more than this in latency.
const LINGER: Duration = Duration::from_millis(1);

/// The consumer's context: handles rebalances with access to the router and the tracker.
#[derive(Debug)]
pub struct RebalanceContext {
    topic: String,
    router: Arc<Mutex<Option<Router>>>,
    tracker: Arc<OffsetTracker>,
    drain_timeout: Duration,
    rebalances: std::sync::atomic::AtomicU64,
    /// With a changelog topic: the settings to read it with on assignment.
    changelog: Option<KafkaSettings>,
}

impl ClientContext for RebalanceContext {}

fn partitions_of(topic: &str, tpl: &TopicPartitionList) -> Vec<i32> {
    tpl.elements_for_topic(topic)
        .iter()
        .map(|e| e.partition())
        .collect()
}

impl RebalanceContext {
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

    fn drain(&self, partitions: Option<&[i32]>) -> bool {
        let deadline = Instant::now() + self.drain_timeout;
        while self.tracker.outstanding(partitions) > 0 {
            if Instant::now() >= deadline || self.tracker.failure().is_some() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        true
    }
}

impl RebalanceContext {
    /// Loads the newly assigned partitions' lead states into the shards before their events
    /// (see [`super::restore`]); a failure stops the engine rather than run without state.
    fn restore(&self, settings: &KafkaSettings, partitions: &[i32]) {
        let records = match super::restore::read_changelog(settings, partitions) {
            Ok(records) => records,
            Err(e) => {
                self.tracker.stop(format!(
                    "restoring lead state of partitions {partitions:?}: {e}"
                ));
                return;
            }
        };
        if let Ok(mut router) = self.router.lock() {
            if let Some(router) = router.as_mut() {
                if router.restore(records).is_err() {
                    tracing::warn!("Pipeline stopped during restore.");
                }
            }
        }
    }
}

impl ConsumerContext for RebalanceContext {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        self.rebalances
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
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
        if let Ok(mut router) = self.router.lock() {
            if let Some(router) = router.as_mut() {
                if router.revoke(&partitions).is_err() {
                    tracing::warn!("Pipeline stopped during revocation.");
                }
            }
        }
        let drained = self.drain(Some(&partitions));
        let offsets = self.tracker.to_commit(Some(&partitions), true);
        match self.commit(consumer, &offsets, CommitMode::Sync) {
            Ok(()) => tracing::info!(
                ?partitions,
                drained,
                "Partitions revoked; offsets committed."
            ),
            Err(e) => {
                tracing::warn!(?partitions, error = %e, "Commit on revocation failed; records will be read again.")
            }
        }
        self.tracker.revoke(&partitions);
    }

    fn post_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Assign(tpl) = rebalance {
            let partitions = partitions_of(&self.topic, tpl);
            tracing::info!(?partitions, "Partitions assigned.");
            self.tracker.assign(&partitions);
            if let Some(settings) = &self.changelog {
                self.restore(settings, &partitions);
            }
            RebalanceSeen {
                kind: RebalanceKind::Assign,
            }
            .emit();
        }
        if let Ok(assignment) = consumer.assignment() {
            PartitionsAssigned {
                topic: &self.topic,
                count: partitions_of(&self.topic, &assignment).len(),
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

/// Longest wait for the events topic's metadata when checking static partitions.
const METADATA_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest wait for one partition's watermarks when reporting lag.
const LAG_TIMEOUT: Duration = Duration::from_millis(200);
/// How often the lag thread reports consumer lag.
const LAG_EVERY: Duration = Duration::from_secs(1);

/// Emits [`ConsumerLag`] for every assigned partition whose position is known: the high
/// watermark minus the position. Each partition costs one watermark request (a round trip,
/// bounded by [`LAG_TIMEOUT`]; a slow broker skips that partition), so this runs on its own
/// thread: on the consuming thread those round trips stalled every record behind them (tens of
/// milliseconds on tansu, whose fetches hold the connection for `fetch.wait.max.ms`).
fn report_lag(consumer: &BaseConsumer<RebalanceContext>) {
    let Ok(positions) = consumer.position() else {
        return;
    };
    for elem in positions.elements() {
        let rdkafka::Offset::Offset(position) = elem.offset() else {
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

/// Reports consumer lag every [`LAG_EVERY`] until `stop` is set.
fn spawn_lag_reporter(
    consumer: Arc<BaseConsumer<RebalanceContext>>,
    stop: Arc<AtomicBool>,
) -> Option<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("consumer-lag".into())
        .spawn(move || {
            let step = Duration::from_millis(50);
            let mut next = Instant::now() + LAG_EVERY;
            while !stop.load(Ordering::Relaxed) {
                if Instant::now() >= next {
                    report_lag(&consumer);
                    next = Instant::now() + LAG_EVERY;
                }
                std::thread::sleep(step);
            }
        })
        .ok()
}

/// Records from the events topic.
pub struct KafkaSource {
    /// Shared with the lag thread (watermark requests are round trips to the broker and must
    /// not stall the consuming thread).
    consumer: Arc<BaseConsumer<RebalanceContext>>,
    slot: Arc<Mutex<Option<Router>>>,
    tracker: Arc<OffsetTracker>,
    commit_every: Duration,
    /// Statically assigned partitions; empty: group subscription.
    static_partitions: Vec<i32>,
}

impl std::fmt::Debug for KafkaSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KafkaSource").finish_non_exhaustive()
    }
}

impl KafkaSource {
    /// A consumer in `settings.group` subscribed to the events topic (or, with
    /// `settings.static_partitions`, assigned those partitions when [`Source::run`] starts),
    /// sharing `tracker` with the Kafka sink.
    ///
    /// # Errors
    /// [`PipelineError::Kafka`] if the consumer cannot be created or subscribe.
    pub fn new(
        settings: &KafkaSettings,
        tracker: Arc<OffsetTracker>,
    ) -> Result<Self, PipelineError> {
        let slot = Arc::new(Mutex::new(None));
        let context = RebalanceContext {
            topic: settings.topics.events.clone(),
            router: Arc::clone(&slot),
            tracker: Arc::clone(&tracker),
            drain_timeout: Duration::from_millis(settings.drain_timeout_ms),
            rebalances: std::sync::atomic::AtomicU64::new(0),
            changelog: (!settings.topics.changelog.is_empty()).then(|| settings.clone()),
        };
        let consumer: BaseConsumer<RebalanceContext> = settings
            .consumer()
            .create_with_context(context)
            .map_err(|e| PipelineError::kafka("creating the consumer", e))?;
        if settings.static_partitions.is_empty() {
            consumer
                .subscribe(&[&settings.topics.events])
                .map_err(|e| {
                    PipelineError::kafka(format!("subscribing to {}", settings.topics.events), e)
                })?;
        }
        Ok(Self {
            consumer: Arc::new(consumer),
            slot,
            tracker,
            commit_every: Duration::from_millis(settings.commit_interval_ms),
            static_partitions: settings.static_partitions.clone(),
        })
    }

    /// Rebalances seen so far (assignments and revocations).
    pub fn rebalances(&self) -> u64 {
        self.consumer
            .context()
            .rebalances
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    fn commit_progress(&self, stats: &PipelineStats, mode: CommitMode) {
        let offsets = self
            .tracker
            .to_commit(None, matches!(mode, CommitMode::Sync));
        let n = offsets.len() as u64;
        match self
            .consumer
            .context()
            .commit(&self.consumer, &offsets, mode)
        {
            Ok(()) => add(&stats.commits, n),
            Err(e) => tracing::warn!(error = %e, "Offset commit failed; will retry."),
        }
    }

    /// Static assignment: checks the partitions exist, restores their leads' state (as on a
    /// group assignment) and assigns them at the group's committed offsets (the reset policy
    /// where none is committed). Runs once the router is in place, before the first poll.
    fn assign_static(&self) -> Result<(), PipelineError> {
        let context = self.consumer.context();
        let topic = context.topic.as_str();
        let partitions = self.static_partitions.as_slice();
        let metadata = self
            .consumer
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
        self.tracker.assign(partitions);
        if let Some(settings) = &context.changelog {
            context.restore(settings, partitions);
        }
        if let Some(why) = self.tracker.failure() {
            return Err(PipelineError::Delivery(why));
        }
        let mut tpl = TopicPartitionList::new();
        for &p in partitions {
            tpl.add_partition_offset(topic, p, Offset::Stored)
                .map_err(|e| PipelineError::kafka("assigning static partitions", e))?;
        }
        self.consumer
            .assign(&tpl)
            .map_err(|e| PipelineError::kafka("assigning static partitions", e))?;
        tracing::info!(?partitions, topic, "Partitions assigned statically.");
        PartitionsAssigned {
            topic,
            count: partitions.len(),
        }
        .emit();
        Ok(())
    }

    fn with_router<R>(&self, f: impl FnOnce(&mut Router) -> R) -> Option<R> {
        self.slot.lock().ok().and_then(|mut r| r.as_mut().map(f))
    }
}

impl Source for KafkaSource {
    fn run(
        &mut self,
        router: Router,
        stats: &PipelineStats,
        shutdown: &Shutdown,
    ) -> Result<(), PipelineError> {
        if let Ok(mut slot) = self.slot.lock() {
            *slot = Some(router);
        }
        let stopped = || PipelineError::Stopped("shard");
        let mut last_commit = Instant::now();
        let mut unflushed = 0usize;
        let mut oldest = Instant::now();
        let lag_stop = Arc::new(AtomicBool::new(false));
        let lag_thread = spawn_lag_reporter(Arc::clone(&self.consumer), Arc::clone(&lag_stop));
        // An error here still goes through the wind-down below (the router must be released).
        let mut assign_error = if self.static_partitions.is_empty() {
            None
        } else {
            self.assign_static().err()
        };
        let result = loop {
            if let Some(e) = assign_error.take() {
                break Err(e);
            }
            if shutdown.requested() {
                break Ok(());
            }
            if let Some(why) = self.tracker.failure() {
                break Err(PipelineError::Delivery(why));
            }
            // With records waiting in partial batches, only take what is already fetched: an
            // empty local queue means the burst is over and the batches go now.
            let wait = if unflushed > 0 { Duration::ZERO } else { POLL };
            match self.consumer.poll(wait) {
                Some(Ok(msg)) => {
                    let origin = Origin {
                        partition: msg.partition(),
                        offset: msg.offset(),
                    };
                    self.tracker.register(origin);
                    add(&stats.records_in, 1);
                    let payload = msg.payload().unwrap_or_default();
                    let routed =
                        self.with_router(|r| r.route(payload, origin, Instant::now(), stats));
                    if !matches!(routed, Some(Ok(()))) {
                        break Err(stopped());
                    }
                    if unflushed == 0 {
                        oldest = Instant::now();
                    }
                    unflushed += 1;
                    if oldest.elapsed() >= LINGER {
                        if !matches!(self.with_router(Router::flush), Some(Ok(()))) {
                            break Err(stopped());
                        }
                        unflushed = 0;
                    }
                }
                Some(Err(e)) => {
                    ErrorOccurred {
                        kind: ErrorKind::Consume,
                        count: 1,
                    }
                    .emit();
                    tracing::warn!(error = %e, "Consumer error.");
                }
                None => {
                    if unflushed > 0 {
                        if !matches!(self.with_router(Router::flush), Some(Ok(()))) {
                            break Err(stopped());
                        }
                        unflushed = 0;
                    }
                }
            }
            if last_commit.elapsed() >= self.commit_every {
                // Records sitting in partial batches delay commits; flush them first.
                if unflushed > 0 {
                    if !matches!(self.with_router(Router::flush), Some(Ok(()))) {
                        break Err(stopped());
                    }
                    unflushed = 0;
                }
                self.commit_progress(stats, CommitMode::Async);
                last_commit = Instant::now();
            }
        };
        lag_stop.store(true, Ordering::Relaxed);
        if let Some(t) = lag_thread {
            let _ = t.join();
        }
        // Stop consuming, drain what is in flight (dirty leads' changelog records included),
        // commit, then let the stages wind down.
        let _ = self.with_router(Router::flush_changelog);
        let drained = self.consumer.context().drain(None);
        if !drained {
            tracing::warn!(
                outstanding = self.tracker.outstanding(None),
                "Shutdown drain timed out; uncommitted records will be read again."
            );
        }
        self.commit_progress(stats, CommitMode::Sync);
        if let Ok(mut slot) = self.slot.lock() {
            slot.take();
        }
        if self.static_partitions.is_empty() {
            self.consumer.unsubscribe();
        } else if let Err(e) = self.consumer.unassign() {
            tracing::warn!(error = %e, "Unassigning static partitions failed.");
        }
        match (result, self.tracker.failure()) {
            (Ok(()), Some(why)) => Err(PipelineError::Delivery(why)),
            (r, _) => r,
        }
    }
}
