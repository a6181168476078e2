//! Lead state update, feature extraction, and decode + state + features together, per event
//! (text-free events over 100k leads in 4 tenants).

mod corpus;

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use leadstream::event::{Decoder, Event};
use leadstream::lead::{extract, LeadParams, LeadStore, N_FEATURES};

const LEADS: usize = 100_000;

fn warm_store(events: &[Event<'_>]) -> LeadStore {
    let mut store = LeadStore::with_capacity(LeadParams::default(), LEADS);
    for e in events {
        store.apply(e, None);
    }
    store
}

fn bench_lead(c: &mut Criterion) {
    let payloads = corpus::payloads(20_000, LEADS, 11);
    let decoder = Decoder::default();
    let events: Vec<Event<'_>> = payloads
        .iter()
        .filter_map(|p| decoder.decode(p).ok())
        .collect();
    let (warm, hot) = events.split_at(10_000);
    let n = hot.len() as u64;
    let params = LeadParams::default();

    let mut group = c.benchmark_group("lead");
    group.throughput(Throughput::Elements(n));
    group.bench_function("state_update", |b| {
        b.iter_batched_ref(
            || warm_store(warm),
            |store| {
                for e in hot {
                    black_box(store.apply(e, None).0);
                }
            },
            BatchSize::LargeInput,
        )
    });
    let store = warm_store(events.as_slice());
    group.bench_function("features", |b| {
        let mut out = [0.0; N_FEATURES];
        b.iter(|| {
            let mut sum = 0.0;
            for e in hot {
                if let Some(s) = e.lead_id().and_then(|l| store.get(&e.tenant_id, l)) {
                    extract(s, &params, e.ts, &mut out);
                    sum += out[0];
                }
            }
            sum
        })
    });
    let hot_payloads = &payloads[10_000..];
    group.bench_function("decode_state_features", |b| {
        b.iter_batched_ref(
            || warm_store(warm),
            |store| {
                let mut out = [0.0; N_FEATURES];
                for p in hot_payloads {
                    if let Ok(e) = decoder.decode(black_box(p)) {
                        if let (_, Some(s)) = store.apply(&e, None) {
                            extract(s, &params, e.ts, &mut out);
                        }
                    }
                }
                out[0]
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench_lead);
criterion_main!(benches);
