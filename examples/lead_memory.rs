//! Measures lead state memory: `size_of::<LeadState>()`, the store's estimated heap bytes per
//! lead (state slot, map bucket, key string) and the process RSS growth, at N leads (default 1M).
//!
//! Run: `cargo run --release --example lead_memory -- [LEADS]`

use std::borrow::Cow;

use leadstream::event::{Event, EventKind, Outbound};
use leadstream::lead::{LeadParams, LeadState, LeadStore};

/// Resident set size of this process in bytes, from /proc/self/status (Linux only).
fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn main() {
    let leads: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    const T0: i64 = 1_795_392_000_000;
    let before = rss_bytes().unwrap_or(0);
    let mut store = LeadStore::new(LeadParams::default());
    for i in 0..leads {
        let lead = format!("lead-{i:07}");
        let tenant = format!("tenant-{}", i % 4);
        for (k, kind) in [
            EventKind::EmailSent(Outbound::default()),
            EventKind::EmailOpened,
            EventKind::SmsReplied,
        ]
        .into_iter()
        .enumerate()
        {
            let e = Event::new(
                "e",
                Cow::Borrowed(tenant.as_str()),
                Some(Cow::Borrowed(lead.as_str())),
                T0 + (i as i64) * 1_000 + k as i64 * 60_000,
                kind,
            );
            store.apply(&e, None);
        }
    }
    let after = rss_bytes().unwrap_or(0);
    let n = store.len().max(1) as f64;
    println!("leads: {}", store.len());
    println!(
        "size_of::<LeadState>(): {} bytes",
        std::mem::size_of::<LeadState>()
    );
    println!(
        "store heap estimate: {:.1} bytes/lead (states + map buckets + key strings)",
        store.heap_bytes_estimate() as f64 / n
    );
    println!(
        "RSS: {:.1} MiB before, {:.1} MiB after, growth {:.1} bytes/lead",
        before as f64 / 1048576.0,
        after as f64 / 1048576.0,
        after.saturating_sub(before) as f64 / n
    );
}
