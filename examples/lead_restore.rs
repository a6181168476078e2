//! Times saving and restoring 1M leads with the local snapshot format (`--state-dir`):
//! `cargo run --release --example lead_restore -- [LEADS]`.
//!
//! Builds LEADS leads (two events each), times the copy of every lead's record out of the store
//! (a baseline) and their encoding in place into snapshot chunks (the pause of a shard holding
//! them all during a periodic snapshot), writes them with
//! `LeadSnapshotDir::save` (the snapshot thread's part), then times `load` (read, checksum,
//! decode) and putting every record into a `LeadStore` (what a restart does before the first
//! event).

use std::borrow::Cow;
use std::time::Instant;

use leadstream::event::{Event, EventKind, Outbound};
use leadstream::lead::{LeadConfig, LeadStore};
use leadstream::pipeline::{encode_chunks, LeadSnapshotDir};

fn main() {
    let leads: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let params = LeadConfig::default().build().expect("default params");
    let mut store = LeadStore::with_capacity(params, leads);
    for i in 0..leads {
        let lead = format!("lead-{i:08}");
        for (k, ts) in [
            (EventKind::EmailSent(Outbound::default()), 1_795_392_000_000),
            (EventKind::EmailOpened, 1_795_392_600_000 + i as i64),
        ] {
            let e = Event::new(
                format!("e{i}"),
                "tenant-1",
                Some(Cow::Borrowed(&lead)),
                ts,
                k,
            );
            store.apply_at(&e, None, i as i64);
        }
    }
    let dir = std::env::temp_dir().join(format!("leadstream-restore-{}", std::process::id()));
    let snap = LeadSnapshotDir::new(&dir);
    let t = Instant::now();
    let copy: Vec<_> = store.records(0).collect();
    let copy_s = t.elapsed().as_secs_f64();
    drop(copy);
    let mut encoded = Vec::new();
    let t = Instant::now();
    encode_chunks(store.record_refs(0), &mut encoded).expect("encodes");
    let encode_s = t.elapsed().as_secs_f64();
    drop(encoded);
    let t = Instant::now();
    let written = snap.save(store.records(0)).expect("save");
    let save_s = t.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(snap.file()).map(|m| m.len()).unwrap_or(0);
    drop(store);
    let t = Instant::now();
    let records = snap.load().expect("load");
    let load_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut restored = LeadStore::with_capacity(params, records.len());
    for r in records {
        restored.restore(&r.tenant, &r.lead, r.state, r.applied_offset);
    }
    let insert_s = t.elapsed().as_secs_f64();
    println!(
        "leads {written}  copy out of the store {:.1} ms  encode in place (periodic snapshot pause) {:.1} ms  file {:.1} MB ({:.0} B/lead)  save {save_s:.2} s  load+decode {load_s:.2} s  into store {insert_s:.2} s  restore total {:.2} s",
        copy_s * 1e3,
        encode_s * 1e3,
        bytes as f64 / 1e6,
        bytes as f64 / written.max(1) as f64,
        load_s + insert_s
    );
    assert_eq!(restored.len(), written);
    let _ = std::fs::remove_dir_all(&dir);
}
