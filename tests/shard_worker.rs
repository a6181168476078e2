//! A shard worker on its own, driven message by message: an idle shard still hands its latency
//! samples to the shared stats (and so to the metrics) within the merge interval, without
//! waiting for more input or for the end of the run (on a trickle stream the dashboards must
//! not lag by however long the next batch takes); a revocation tells the decision stage which
//! leads it no longer owns (driven as the Kafka source drives it, by direct calls); with a sink that takes concurrent writes, each event's outputs are
//! written before the next event is decided, not with the whole batch.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::bounded;
use leadstream::event::Decoder;
use leadstream::event::Event;
use leadstream::lead::{LeadParams, LeadState, N_FEATURES};
use leadstream::pipeline::batch::{InputBatch, Origin, OutputBatch, OutputKind};
use leadstream::pipeline::sink::SharedSink;
use leadstream::pipeline::{
    DecisionFactory, DecisionStage, PipelineError, PipelineStats, ShardLinks, ShardMessage,
    ShardWorker, StageOutputs, Timing,
};

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
        direct: None,
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

/// Decides `{}` for every lead event and records the leads it is told to forget and, given a
/// count of sink writes, how many writes it had seen before each event.
#[derive(Debug, Default)]
struct RecordingStage {
    revoked: Arc<Mutex<Vec<(String, String)>>>,
    writes: Option<Arc<AtomicUsize>>,
    seen: Arc<Mutex<Vec<usize>>>,
}

impl DecisionStage for RecordingStage {
    type Example = u64;

    fn on_event(
        &mut self,
        _tenant_id: &str,
        _lead_id: &str,
        _event: &Event<'_>,
        _state: &LeadState,
        _features: &[f64; N_FEATURES],
        _timing: Timing,
        out: &mut StageOutputs<u64>,
    ) {
        if let Some(writes) = &self.writes {
            let before = writes.load(Ordering::SeqCst);
            self.seen.lock().expect("not poisoned").push(before);
        }
        out.decision.extend_from_slice(b"{}");
    }

    fn on_revoke(&mut self, leads: &[(&str, &str)]) {
        if let Ok(mut r) = self.revoked.lock() {
            r.extend(leads.iter().map(|(t, l)| (t.to_string(), l.to_string())));
        }
    }
}

#[test]
fn a_revocation_names_the_leads_of_the_revoked_partitions_to_the_stage() {
    let stage = RecordingStage::default();
    let revoked = Arc::clone(&stage.revoked);
    let stats = Arc::new(PipelineStats::default());
    let (sink_tx, _sink_rx) = bounded(64);
    let (learn_tx, _learn_rx) = bounded(64);
    let links = ShardLinks {
        sink: sink_tx,
        direct: None,
        learner: learn_tx,
        stats,
    };
    let mut worker = ShardWorker::new(Decoder::default(), LeadParams::default(), stage, 0);
    // Lead events on three partitions, each lead on one (as Kafka keys them); partition 1 is
    // revoked.
    let events = simulated(30, 3, 5);
    let mut batch = InputBatch::with_capacity(events.len(), 256);
    let mut partitions: BTreeMap<(String, String), i32> = BTreeMap::new();
    for (offset, (_, bytes, _)) in (0..).zip(events.iter().filter(|e| e.2)) {
        let event = leadstream::event::decode(bytes).expect("simulated events decode");
        let key = (
            event.tenant_id.to_string(),
            event.lead_id().expect("a lead event").to_string(),
        );
        let next = i32::try_from(partitions.len() % 3).expect("small");
        let partition = *partitions.entry(key).or_insert(next);
        batch.push(bytes, Origin { partition, offset }, Instant::now());
    }
    let mut expected: BTreeSet<(String, String)> = partitions
        .iter()
        .filter(|(_, &p)| p == 1)
        .map(|(k, _)| k.clone())
        .collect();
    // One of partition 1's leads also has an event on partition 0 (a producer not keyed by
    // lead): partition 0 still holds it, so it is not named.
    let (both, bytes) = events
        .iter()
        .filter(|e| e.2)
        .find_map(|(_, bytes, _)| {
            let event = leadstream::event::decode(bytes).ok()?;
            let key = (event.tenant_id.to_string(), event.lead_id()?.to_string());
            expected.contains(&key).then(|| (key, bytes.clone()))
        })
        .expect("a lead of partition 1");
    batch.push(
        &bytes,
        Origin {
            partition: 0,
            offset: 1_000_000,
        },
        Instant::now(),
    );
    expected.remove(&both);
    assert!(expected.len() >= 5 && expected.len() < partitions.len());
    // As the Kafka source does on its thread: process, then revoke inside the rebalance.
    worker.process(&batch, &links).expect("processed");
    worker.revoke(&[1], &links).expect("revoked");
    worker.finish(&links).expect("shard ended cleanly");
    let got = revoked.lock().expect("not poisoned").clone();
    let named: BTreeSet<(String, String)> = got.iter().cloned().collect();
    assert_eq!(named, expected, "exactly partition 1's leads are named");
    assert_eq!(got.len(), named.len(), "each lead named once");
}

/// Records every write: the kinds of its outputs and the offsets it completes.
#[derive(Debug, Default)]
struct RecordingSink {
    writes: Mutex<Vec<(Vec<OutputKind>, Vec<i64>)>>,
    count: Arc<AtomicUsize>,
}

impl SharedSink for RecordingSink {
    fn write(&self, batch: &OutputBatch, _stats: &PipelineStats) -> Result<(), PipelineError> {
        let kinds = batch.iter().map(|(m, _, _)| m.kind).collect();
        let done = batch
            .completions()
            .iter()
            .map(|c| c.origin.offset)
            .collect();
        self.writes
            .lock()
            .expect("not poisoned")
            .push((kinds, done));
        self.count.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[test]
fn a_shared_sink_gets_each_events_outputs_before_the_next_event_is_decided() {
    let sink = Arc::new(RecordingSink::default());
    let stage = RecordingStage {
        writes: Some(Arc::clone(&sink.count)),
        ..RecordingStage::default()
    };
    let seen = Arc::clone(&stage.seen);
    let stats = Arc::new(PipelineStats::default());
    let (sink_tx, sink_rx) = bounded(64);
    let (learn_tx, _learn_rx) = bounded(64);
    let links = ShardLinks {
        sink: sink_tx,
        direct: Some(Arc::clone(&sink) as Arc<dyn SharedSink>),
        learner: learn_tx,
        stats,
    };
    let (tx, rx) = bounded::<ShardMessage>(4);
    let worker = ShardWorker::new(Decoder::default(), LeadParams::default(), stage, 0);
    // Six lead events with a malformed record third: it is dead-lettered in its own write.
    let events = simulated(5, 3, 9);
    let mut records: Vec<&[u8]> = events
        .iter()
        .filter(|e| e.2)
        .take(6)
        .map(|(_, b, _)| b.as_slice())
        .collect();
    records.insert(2, b"{not json");
    let mut batch = InputBatch::with_capacity(records.len(), 256);
    for (offset, bytes) in (0..).zip(&records) {
        let origin = Origin {
            partition: 0,
            offset,
        };
        batch.push(bytes, origin, Instant::now());
    }
    std::thread::scope(|scope| {
        let running = scope.spawn(|| worker.run(&rx, &links));
        tx.send(ShardMessage::Batch(batch)).expect("shard running");
        drop(tx);
        running
            .join()
            .expect("shard thread")
            .expect("shard ended cleanly");
    });
    assert!(
        sink_rx.try_recv().is_err(),
        "nothing went to the sink thread"
    );
    let writes = sink.writes.lock().expect("not poisoned").clone();
    let expected: Vec<(Vec<OutputKind>, Vec<i64>)> = (0..7)
        .map(|offset| {
            let kind = if offset == 2 {
                OutputKind::DeadLetter
            } else {
                OutputKind::Decision
            };
            (vec![kind], vec![offset])
        })
        .collect();
    assert_eq!(writes, expected, "one write per record, in order");
    // The k-th lead event (records 0, 1, 3, 4, 5, 6) saw every earlier record written.
    let seen = seen.lock().expect("not poisoned").clone();
    assert_eq!(seen, vec![0, 1, 3, 4, 5, 6]);
}
