//! Lead state written by the previous release (schema 1, tests/fixtures/lead_state_v1) still
//! loads: every lead comes back exactly as this build computes it from the same events, with
//! its time zone unknown, and an engine started on the old state directory runs.

use std::path::Path;
use std::process::Command;

use leadstream::lead::LeadRecord;
use leadstream::pipeline::LeadSnapshotDir;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lead_state_v1");

/// The schema version in the envelope header of a snapshot file's first chunk.
fn first_chunk_schema(file: &Path) -> u16 {
    let bytes = std::fs::read(file).unwrap();
    u16::from_le_bytes([bytes[6], bytes[7]])
}

fn sorted(mut records: Vec<LeadRecord>) -> Vec<LeadRecord> {
    records.sort_by(|a, b| (&a.tenant, &a.lead).cmp(&(&b.tenant, &b.lead)));
    records
}

fn run(state_dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_leadstream"))
        .args(["run", "--input"])
        .arg(Path::new(FIXTURE).join("events.jsonl"))
        .arg("--state-dir")
        .arg(state_dir)
        .arg("--quiet")
        .output()
        .expect("leadstream runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_schema_1_snapshot_loads_as_this_build_computes_it() {
    let dir = std::env::temp_dir().join(format!("leadstream-upgrade-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let old_dir = dir.join("old");
    std::fs::create_dir_all(old_dir.join("leads")).unwrap();
    let fixture = Path::new(FIXTURE).join("snapshot.bin");
    // The fixture must stay what the previous release wrote, or this tests nothing.
    assert_eq!(first_chunk_schema(&fixture), 1);
    std::fs::copy(&fixture, old_dir.join("leads/snapshot.bin")).unwrap();
    let old = sorted(LeadSnapshotDir::new(&old_dir).load().unwrap());
    assert_eq!(old.len(), 20, "the fixture holds 20 leads");
    assert!(old.iter().all(|r| r.state.utc_offset_min().is_none()));

    let new_dir = dir.join("new");
    run(&new_dir);
    let new = sorted(LeadSnapshotDir::new(&new_dir).load().unwrap());
    assert_eq!(old, new);

    // An engine started on the old directory keeps its leads (the events are replayed over
    // them: each lead's watermark is already past them, so nothing changes but late counts).
    run(&old_dir);
    let snapshot = LeadSnapshotDir::new(&old_dir);
    assert_eq!(
        first_chunk_schema(&snapshot.file()),
        2,
        "rewritten at this schema"
    );
    let after = sorted(snapshot.load().unwrap());
    let keys = |r: &[LeadRecord]| -> Vec<(String, String)> {
        r.iter()
            .map(|r| (r.tenant.clone(), r.lead.clone()))
            .collect()
    };
    assert_eq!(keys(&after), keys(&old));
    let _ = std::fs::remove_dir_all(&dir);
}
