//! A shard that goes idle still hands its latency samples to the shared stats (and so to the
//! metrics) within the merge interval, without waiting for more input or for the end of the
//! run: on a trickle stream the dashboards must not lag by however long the next batch takes.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::bounded;
use leadstream::event::Decoder;
use leadstream::lead::LeadParams;
use leadstream::pipeline::batch::{InputBatch, Origin};
use leadstream::pipeline::{DecisionFactory, PipelineStats, ShardLinks, ShardMessage, ShardWorker};

use common::{simulated, EchoFactory};

#[test]
fn an_idle_shard_merges_its_latency_samples_without_more_input() {
    let (_, mut stages) = EchoFactory::default().build(1);
    let stage = stages.pop().expect("one stage");
    let stats = Arc::new(PipelineStats::default());
    let (sink_tx, sink_rx) = bounded(16);
    let (learn_tx, _learn_rx) = bounded(16);
    let links = ShardLinks {
        sink: sink_tx,
        learner: learn_tx,
        stats: Arc::clone(&stats),
    };
    let (tx, rx) = bounded::<ShardMessage>(4);
    let worker = ShardWorker::new(Decoder::default(), LeadParams::default(), stage, 0);
    let events = simulated(5, 2, 3);
    let (_, bytes, _) = events
        .iter()
        .find(|(_, _, lead)| *lead)
        .expect("a lead event");
    let mut batch = InputBatch::with_capacity(1, bytes.len());
    // Received 20 ms ago: its receipt-to-outputs latency is at least 20,000 us.
    let received = Instant::now() - Duration::from_millis(20);
    batch.push(
        bytes,
        Origin {
            partition: 0,
            offset: 0,
        },
        received,
    );
    std::thread::scope(|scope| {
        let running = scope.spawn(|| worker.run(&rx, &links));
        tx.send(ShardMessage::Batch(batch)).expect("shard running");
        sink_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the batch's outputs");
        // The input stays open and idle: the samples must still reach the stats.
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut merged = stats.summary(Duration::from_secs(1)).in_pipeline_us[3];
        while merged == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
            merged = stats.summary(Duration::from_secs(1)).in_pipeline_us[3];
        }
        assert!(
            merged >= 20_000,
            "receipt-to-outputs max {merged} us while the shard is idle"
        );
        drop(tx);
        running
            .join()
            .expect("shard thread")
            .expect("shard ended cleanly");
    });
}
