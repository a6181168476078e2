//! Shared helpers for pipeline tests: a minimal decision layer that echoes each event's id (so
//! delivery can be checked exactly), simulated events, temporary paths, and the test broker.
#![allow(dead_code, unreachable_pub, missing_docs)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use leadstream::event::Event;
use leadstream::lead::{LeadState, N_FEATURES};
use leadstream::pipeline::{DecisionFactory, DecisionStage, LearnStage, StageOutputs, Timing};
use leadstream::sim::{CadencePolicy, SimConfig, Simulation, World};

/// Emits one decision per lead event (its event id, lead and shard), an alert when the text
/// asks to stop, and one example per event with text.
#[derive(Debug)]
pub struct EchoStage {
    shard: usize,
    delay: std::time::Duration,
    seen: Arc<AtomicU64>,
    crash_at: Option<u64>,
}

#[derive(Debug)]
pub struct CountingLearner {
    pub learned: Arc<AtomicU64>,
    pub published: Arc<AtomicU64>,
}

#[derive(Debug, Default, Clone)]
pub struct EchoFactory {
    pub learned: Arc<AtomicU64>,
    pub published: Arc<AtomicU64>,
    /// Work time per event (slows the engine so a test can stop it mid-stream).
    pub delay: std::time::Duration,
    /// Events decided so far, over every shard.
    pub seen: Arc<AtomicU64>,
    /// Panic (a crashed shard) when this many events have been seen.
    pub crash_at: Option<u64>,
}

impl DecisionStage for EchoStage {
    type Example = u64;

    fn on_event(
        &mut self,
        tenant_id: &str,
        lead_id: &str,
        event: &Event<'_>,
        state: &LeadState,
        _features: &[f64; N_FEATURES],
        _timing: Timing,
        out: &mut StageOutputs<u64>,
    ) {
        if !self.delay.is_zero() {
            std::thread::sleep(self.delay);
        }
        let n = self.seen.fetch_add(1, Ordering::SeqCst) + 1;
        assert!(self.crash_at != Some(n), "simulated crash at event {n}");
        let json = serde_json::json!({
            "event_id": event.event_id,
            "tenant_id": tenant_id,
            "lead_id": lead_id,
            "shard": self.shard,
            "lead_events": state.events(),
        });
        let _ = serde_json::to_writer(&mut out.decision, &json);
        if event
            .text()
            .is_some_and(|t| t.to_lowercase().contains("stop"))
        {
            let _ = serde_json::to_writer(&mut out.alert, &json);
        }
        if event.text().is_some() {
            out.examples.push(1);
        }
    }
}

impl LearnStage for CountingLearner {
    type Example = u64;

    fn learn(&mut self, example: u64) {
        self.learned.fetch_add(example, Ordering::Relaxed);
    }

    fn publish(&mut self) {
        self.published.fetch_add(1, Ordering::Relaxed);
    }
}

impl DecisionFactory for EchoFactory {
    type Example = u64;
    type Stage = EchoStage;
    type Learner = CountingLearner;

    fn build(&self, shards: usize) -> (CountingLearner, Vec<EchoStage>) {
        let learner = CountingLearner {
            learned: Arc::clone(&self.learned),
            published: Arc::clone(&self.published),
        };
        (
            learner,
            (0..shards)
                .map(|shard| EchoStage {
                    shard,
                    delay: self.delay,
                    seen: Arc::clone(&self.seen),
                    crash_at: self.crash_at,
                })
                .collect(),
        )
    }
}

/// Simulated events as JSON lines, with their event ids and whether each has a lead.
pub fn simulated(leads: u32, days: u32, seed: u64) -> Vec<(String, Vec<u8>, bool)> {
    let world = World::new(SimConfig::new(leads, days, seed)).expect("valid sim config");
    let mut sim = Simulation::new(world, CadencePolicy::default());
    let mut id = String::new();
    let mut out = Vec::new();
    while let Some(ev) = sim.next_event() {
        let event = ev.render(sim.world(), &mut id);
        let bytes = serde_json::to_vec(&event).expect("events serialize");
        out.push((event.event_id.to_string(), bytes, event.lead_id.is_some()));
    }
    out
}

/// A fresh temporary directory for one test.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir =
        std::env::temp_dir().join(format!("leadstream-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The test broker (`LEADSTREAM_TEST_BROKERS`); `None` (skip) when unset, except under `CI=true`,
/// where a missing broker fails the test.
pub fn brokers() -> Option<String> {
    match std::env::var("LEADSTREAM_TEST_BROKERS") {
        Ok(b) if !b.is_empty() => Some(b),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "LEADSTREAM_TEST_BROKERS is not set under CI=true: the Kafka tests need a broker \
                 (scripts/test.sh starts one)"
            );
            eprintln!("skipping: LEADSTREAM_TEST_BROKERS not set (scripts/tansu.sh start)");
            None
        }
    }
}

/// A name no other test run uses (topics, groups).
pub fn unique(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("ls-{name}-{}-{nanos}", std::process::id())
}
