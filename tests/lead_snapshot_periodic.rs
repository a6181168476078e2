//! Periodic embedded lead-state snapshots: a `leadstream run --state-dir` killed with SIGKILL
//! after a periodic snapshot restarts with the leads of that snapshot; a latest snapshot that
//! is corrupted, truncated or missing falls back to the previous one, and when neither loads
//! the error still names the latest file.

mod common;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use leadstream::lead::LeadRecord;
use leadstream::pipeline::config::Config;
use leadstream::pipeline::{
    launch, DecideFactory, LeadSnapshotDir, PipelineError, PipelineStats, Presentation, Shutdown,
};

fn by_lead(records: &[LeadRecord]) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = records
        .iter()
        .map(|r| {
            (
                r.tenant.clone(),
                r.lead.clone(),
                serde_json::to_string(&r.state).expect("state serializes"),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn kill_9_after_a_periodic_snapshot_then_restart_restores_it() {
    let state = common::temp_dir("periodic-kill");
    let config = state.join("leadstream.toml");
    std::fs::write(&config, "[state]\nlead_snapshot_secs = 1\n").expect("config");
    let dir = LeadSnapshotDir::new(&state);
    // A simulation far longer than the test: the run is killed, it never ends by itself.
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadstream"))
        .args(["run", "--quiet", "--leads", "50000", "--days", "365"])
        .arg("--config")
        .arg(&config)
        .arg("--state-dir")
        .arg(&state)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("leadstream starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    // At least two periodic snapshots, the newest with leads.
    let written =
        |dir: &LeadSnapshotDir| dir.prev_file().exists() && dir.load().is_ok_and(|r| !r.is_empty());
    while !written(&dir) {
        assert!(
            Instant::now() < deadline,
            "no periodic snapshot within 120 s"
        );
        assert!(
            child.try_wait().expect("status").is_none(),
            "the run ended before its first periodic snapshots"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        child.try_wait().expect("status").is_none(),
        "the run must still be running when it is killed"
    );
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let snapshot = dir.load().expect("the periodic snapshot loads");
    assert!(!snapshot.is_empty(), "the periodic snapshot holds no lead");

    // Restart on an empty input: the run restores the snapshot, applies nothing, and writes
    // it back when it ends. A start without the restore would write no leads.
    let empty = state.join("empty.jsonl");
    std::fs::write(&empty, "").expect("empty input");
    let status = Command::new(env!("CARGO_BIN_EXE_leadstream"))
        .args(["run", "--quiet"])
        .arg("--input")
        .arg(&empty)
        .arg("--state-dir")
        .arg(&state)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("restart");
    assert!(status.success());
    let after = dir.load().expect("the final snapshot loads");
    assert_eq!(after.len(), snapshot.len());
    assert!(
        by_lead(&after) == by_lead(&snapshot),
        "restored states differ from the periodic snapshot"
    );
}

fn run_embedded(state_dir: &std::path::Path, leads: u32) {
    let toml = format!(
        "[simulator]\nleads = {leads}\ndays = 10\nseed = 7\n[engine]\nshards = 2\n[state]\ndir = {:?}\n",
        state_dir.display().to_string()
    );
    let config = Config::from_toml(&toml, "test").expect("config");
    let factory = DecideFactory::new(config.decide.clone(), config.engine.seed);
    launch(
        &config,
        &factory,
        None,
        &Shutdown::new(),
        &Presentation::default(),
        &Arc::new(PipelineStats::default()),
    )
    .expect("run");
}

#[test]
fn a_bad_latest_snapshot_falls_back_to_the_previous_one() {
    let state = common::temp_dir("periodic-fallback");
    let dir = LeadSnapshotDir::new(&state);
    run_embedded(&state, 40);
    let previous = dir.load().expect("first snapshot");
    assert!(previous.len() >= 30);
    // A second save: the first becomes the previous snapshot.
    let latest: Vec<LeadRecord> = previous.iter().take(10).cloned().collect();
    dir.save(latest.clone()).expect("second save");
    assert_eq!(
        by_lead(&dir.load().expect("latest loads")),
        by_lead(&latest)
    );

    let path = dir.file();
    let good = std::fs::read(&path).expect("latest bytes");
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x10;
    for bad in [flipped, good[..good.len() - 9].to_vec()] {
        std::fs::write(&path, &bad).expect("corrupt");
        let back = dir.load().expect("falls back to the previous snapshot");
        assert_eq!(by_lead(&back), by_lead(&previous));
    }
    // A crash between the two renames of a save leaves only the previous file.
    std::fs::remove_file(&path).expect("remove latest");
    assert_eq!(by_lead(&dir.load().expect("previous")), by_lead(&previous));

    // Neither loads: the start is refused, naming the latest file.
    std::fs::write(&path, &good[..good.len() - 9]).expect("truncated latest");
    let prev = std::fs::read(dir.prev_file()).expect("previous bytes");
    std::fs::write(dir.prev_file(), &prev[..prev.len() / 2]).expect("truncated previous");
    let err = dir.load().expect_err("no snapshot loads");
    assert!(matches!(err, PipelineError::State { .. }), "{err}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
}
