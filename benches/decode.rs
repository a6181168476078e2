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
    group.finish();
}

criterion_group!(benches, bench_decode);
criterion_main!(benches);
