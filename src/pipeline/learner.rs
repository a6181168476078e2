//! The learner thread: the one owner of the mutable models.
//!
//! What it is for: receiving labelled examples from every shard over a bounded channel, learning
//! from them, and publishing a new immutable snapshot at most every `publish_every` (and once
//! more at the end), so predictions use models a few milliseconds old and learning never blocks
//! prediction.
//! What it is not: the models (see the decision layer) nor a place that decides.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};

use super::stage::LearnStage;
use super::stats::{add, PipelineStats};

/// Learns until every shard has hung up; publishes when something was learned and
/// `publish_every` has passed, and at the end.
pub fn run_learner<L: LearnStage>(
    mut learner: L,
    input: &Receiver<Vec<L::Example>>,
    publish_every: Duration,
    stats: &Arc<PipelineStats>,
) {
    let mut dirty = false;
    let mut last = Instant::now();
    learner.flush_telemetry();
    loop {
        match input.recv_timeout(publish_every) {
            Ok(batch) => {
                add(&stats.examples, batch.len() as u64);
                for example in batch {
                    learner.learn(example);
                }
                learner.flush_telemetry();
                dirty = true;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if dirty && last.elapsed() >= publish_every {
            learner.publish();
            dirty = false;
            last = Instant::now();
        }
        learner.tick();
    }
    if dirty {
        learner.publish();
    }
    learner.flush_telemetry();
    learner.finish();
}
