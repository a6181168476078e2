//! CPU time per event of decode, lead state update and feature extraction, measured with the
//! thread's own CPU clock (/proc/thread-self/schedstat), so the figure holds on a loaded machine
//! where criterion's wall-clock numbers are inflated by other processes. Linux only.
//!
//! Run: `cargo run --release --example event_cpu_cost -- [EVENTS] [LEADS]`

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use leadstream::event::{Decoder, Event};
use leadstream::lead::{extract, LeadParams, LeadStore, N_FEATURES};

/// Nanoseconds this thread has run on a CPU.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn per_event(label: &str, n: usize, f: impl FnOnce() -> f64) {
    let start = thread_cpu_ns();
    let sink = f();
    let ns = (thread_cpu_ns() - start) as f64 / n as f64;
    println!(
        "{label:<28} {ns:>8.0} ns/event CPU  {:>6.2} M events/s per core  (sink {sink:.1})",
        1e3 / ns
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let leads: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let payloads = corpus::payloads(2 * n, leads, 11);
    let (warm, hot) = payloads.split_at(n);
    let decoder = Decoder::default();
    let params = LeadParams::default();
    let mut store = LeadStore::with_capacity(params, leads);
    for p in warm {
        if let Ok(e) = decoder.decode(p) {
            store.apply(&e, None);
        }
    }
    println!(
        "{n} text-free events over {} leads, mean {} bytes",
        store.len(),
        hot.iter().map(Vec::len).sum::<usize>() / n.max(1)
    );
    let mut events: Vec<Event<'_>> = Vec::with_capacity(n);
    per_event("decode", n, || {
        events.extend(hot.iter().filter_map(|p| decoder.decode(p).ok()));
        events.len() as f64
    });
    let mut update_store = store.clone();
    per_event("state update", n, || {
        events
            .iter()
            .map(|e| f64::from(update_store.apply(e, None).1.is_some()))
            .sum()
    });
    let mut out = [0.0; N_FEATURES];
    per_event("features", n, || {
        let mut sum = 0.0;
        for e in &events {
            if let Some(s) = e.lead_id().and_then(|l| update_store.get(&e.tenant_id, l)) {
                extract(s, &params, e.ts, &mut out);
                sum += out[0];
            }
        }
        sum
    });
    if let Some(one) = events
        .first()
        .and_then(|e| update_store.get(&e.tenant_id, e.lead_id().unwrap_or_default()))
    {
        per_event("features (one cached lead)", n, || {
            let mut sum = 0.0;
            for e in &events {
                extract(one, &params, e.ts, &mut out);
                sum += out[0];
            }
            sum
        });
    }
    per_event("decode + state + features", n, || {
        let mut sum = 0.0;
        for p in hot {
            if let Ok(e) = decoder.decode(p) {
                if let (_, Some(s)) = store.apply(&e, None) {
                    extract(s, &params, e.ts, &mut out);
                    sum += out[0];
                }
            }
        }
        sum
    });
}
