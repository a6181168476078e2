//! Decoding throughput on text-free events (the common case), per event.

mod corpus;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use leadstream::event::Decoder;

fn bench_decode(c: &mut Criterion) {
    let payloads = corpus::payloads(10_000, 100_000, 7);
    let bytes: usize = payloads.iter().map(Vec::len).sum();
    println!(
        "corpus: {} events, mean {} bytes",
        payloads.len(),
        bytes / payloads.len()
    );
    let decoder = Decoder::default();
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Elements(payloads.len() as u64));
    group.bench_function("decode_no_text", |b| {
        b.iter(|| {
            let mut ok = 0usize;
            for p in &payloads {
                if let Ok(e) = decoder.decode(black_box(p)) {
                    ok += usize::from(e.ts > 0);
                }
            }
            ok
        })
    });
    // Baseline in the same run: serde_json's generic parse into a `Value` (allocates every string,
    // validates nothing of the contract). Decoding into the typed, validated `Event` should be
    // no slower than this.
    group.bench_function("baseline_serde_json_value", |b| {
        b.iter(|| {
            let mut ok = 0usize;
            for p in &payloads {
                if let Ok(v) = serde_json::from_slice::<serde_json::Value>(black_box(p)) {
                    ok += usize::from(v.is_object());
                }
            }
            ok
        })
    });
    group.finish();
}

criterion_group!(benches, bench_decode);
criterion_main!(benches);
