//! Rollback in a running engine: the engine snapshots its models to the registry while it
//! learns; `ModelRegistry::rollback` (what `leadstream models rollback` calls) to the version
//! saved before training is picked up by the learner thread without restart, and the decisions
//! made afterwards carry the rolled-back models' versions.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{simulated, temp_dir};
use leadstream::decide::DecideConfig;
use leadstream::pipeline::batch::Origin;
use leadstream::pipeline::sink::FileSink;
use leadstream::pipeline::source::Source;
use leadstream::pipeline::{
    run_engine, DecideFactory, EngineSettings, PipelineError, PipelineStats, Router, Shutdown,
};
use leadstream::registry::{ModelRegistry, RegistrySettings, SaveReason};

/// Routes the first events, rolls the registry back to its first version once a trained
/// version was saved, then routes the rest slowly until the engine has saved a version that
/// descends from the rollback (proof the running learner switched), then ends.
struct RollbackSource {
    events: Vec<Vec<u8>>,
    split: usize,
    registry: ModelRegistry,
    rollback_to: String,
    rolled_back: Option<String>,
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Source for RollbackSource {
    fn run(
        &mut self,
        mut router: Router,
        stats: &PipelineStats,
        _shutdown: &Shutdown,
    ) -> Result<(), PipelineError> {
        let stopped = |_| PipelineError::Stopped("shard");
        let mut offset = 0i64;
        let mut route = |router: &mut Router, bytes: &[u8]| {
            offset += 1;
            let origin = Origin {
                partition: 0,
                offset,
            };
            router.route(bytes, origin, Instant::now(), stats)
        };
        for bytes in &self.events[..self.split] {
            route(&mut router, bytes).map_err(stopped)?;
        }
        router.flush().map_err(stopped)?;
        let registry = self.registry.clone();
        wait_for("a trained periodic snapshot", || {
            registry.list().is_ok_and(|l| {
                l.iter()
                    .any(|v| v.reason == SaveReason::Periodic && v.samples_seen > 0)
            })
        });
        let copy = self
            .registry
            .rollback(&self.rollback_to, 0)
            .expect("rollback");
        self.rolled_back = Some(copy.id.clone());
        // Keep routing a little while the engine picks the rollback up (it polls every
        // second), so it learns and saves a version descending from the rollback; keep the
        // last events for after, so decisions are made with the rolled-back models.
        let rest = &self.events[self.split..];
        let reserve = rest.len().saturating_sub(500);
        let mut next = 0;
        let descends = |registry: &ModelRegistry| {
            registry.list().is_ok_and(|l| {
                l.iter()
                    .any(|v| v.parent.as_deref() == Some(copy.id.as_str()))
            })
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !descends(&self.registry) {
            assert!(
                Instant::now() < deadline,
                "the engine never applied the rollback"
            );
            let step = if next < reserve { 10 } else { 1 };
            for bytes in rest.iter().skip(next).take(step) {
                route(&mut router, bytes).map_err(stopped)?;
            }
            next += step;
            router.flush().map_err(stopped)?;
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(next < rest.len(), "no events left after the switch");
        for bytes in rest.iter().skip(next) {
            route(&mut router, bytes).map_err(stopped)?;
        }
        router.flush().map_err(stopped)
    }
}

#[test]
fn a_rollback_changes_the_models_of_a_running_engine() {
    let dir = temp_dir("rollback-engine");
    let registry = ModelRegistry::in_state_dir(&dir).expect("registry");
    let factory = DecideFactory::new(DecideConfig::default(), 7).with_registry(RegistrySettings {
        registry: registry.clone(),
        snapshot_every: Duration::from_millis(100),
        keep_versions: 0,
    });
    let events: Vec<Vec<u8>> = simulated(300, 40, 5)
        .into_iter()
        .map(|(_, bytes, _)| bytes)
        .collect();
    let split = events.len() * 2 / 3;
    let decisions = dir.join("decisions.jsonl");
    let sink = FileSink::create(Some(&decisions), None, None).expect("sink");
    let mut source = RollbackSource {
        events,
        split,
        registry: registry.clone(),
        rollback_to: "v000001".into(),
        rolled_back: None,
    };
    let settings = EngineSettings {
        shards: 1,
        ..EngineSettings::default()
    };
    let stats = Arc::new(PipelineStats::default());
    let summary = run_engine(
        &settings,
        &factory,
        &mut source,
        sink,
        &Shutdown::new(),
        &stats,
    )
    .expect("engine runs");

    // The first version is the untrained cold start.
    let first = registry.info("v000001").expect("initial version");
    assert_eq!(first.reason, SaveReason::Initial);
    assert_eq!(first.samples_seen, 0);
    let copy = source.rolled_back.expect("rolled back");
    let versions = registry.list().expect("lists");
    let trained_before = versions
        .iter()
        .filter(|v| v.number < registry.info(&copy).expect("copy").number)
        .map(|v| v.samples_seen)
        .max()
        .expect("versions before the rollback");
    assert!(trained_before > 0);
    // The shutdown snapshot continues from the rollback, with the samples learned since.
    let last = versions.last().expect("a last version");
    assert_eq!(last.reason, SaveReason::Shutdown);
    let mut lineage = last.clone();
    while lineage.parent.as_deref() != Some(copy.as_str()) {
        let parent = lineage
            .parent
            .clone()
            .expect("the lineage reaches the rollback");
        lineage = registry.info(&parent).expect("parent kept");
    }
    // What was learned before the rollback was dropped: the final models count only the
    // examples learned after it.
    assert!(
        last.samples_seen + trained_before <= summary.examples,
        "the final models should not include the {trained_before} examples learned before the \
         rollback: {} of {} examples",
        last.samples_seen,
        summary.examples
    );

    // Decisions: the models' versions (summed over models) only ever grow, except once, at
    // the rollback.
    let text = std::fs::read_to_string(&decisions).expect("decisions");
    let version_sums: Vec<u64> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
            let versions = v["model_versions"].as_object().expect("model versions");
            versions
                .values()
                .map(|x| x.as_u64().expect("a version"))
                .sum()
        })
        .collect();
    let drops: Vec<(u64, u64)> = version_sums
        .windows(2)
        .filter(|w| w[1] < w[0])
        .map(|w| (w[0], w[1]))
        .collect();
    assert_eq!(
        drops.len(),
        1,
        "expected exactly one version drop: {drops:?}"
    );
}
