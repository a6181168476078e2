//! ADWIN update throughput at River's default clock (32), on a stationary 0/1 error stream (the
//! window grows to the whole stream: the most buckets to scan) and on a drifting one (detections
//! and resets), plus clock 1 for contrast. Criterion reports time per element = ns per update.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use leadstream::learn::drift::AdwinParams;
use leadstream::learn::DriftDetector;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// A seeded 0/1 error stream whose error rate is `rate(i)` at index `i`.
fn errors(n: usize, rate: impl Fn(usize) -> f64) -> Vec<f64> {
    let mut rng = Pcg64Mcg::seed_from_u64(7);
    (0..n)
        .map(|i| f64::from(u8::from(rng.random::<f64>() < rate(i))))
        .collect()
}

fn run(params: AdwinParams, values: &[f64]) -> u64 {
    let mut adwin = params.build().expect("valid params");
    for &v in values {
        black_box(adwin.update(black_box(v)));
    }
    adwin.n_detections()
}

fn bench_adwin(c: &mut Criterion) {
    let n = 1_000_000;
    let stationary = errors(n, |_| 0.3);
    let drifting = errors(n, |i| if (i / 20_000) % 2 == 0 { 0.1 } else { 0.4 });
    let mut group = c.benchmark_group("adwin_update");
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(10);
    let clock32 = AdwinParams::default();
    let clock1 = AdwinParams {
        clock: 1,
        ..AdwinParams::default()
    };
    group.bench_with_input(
        BenchmarkId::new("clock32", "stationary"),
        &stationary,
        |b, v| b.iter(|| run(clock32, v)),
    );
    group.bench_with_input(
        BenchmarkId::new("clock32", "drifting"),
        &drifting,
        |b, v| b.iter(|| run(clock32, v)),
    );
    group.bench_with_input(
        BenchmarkId::new("clock1", "stationary"),
        &stationary,
        |b, v| b.iter(|| run(clock1, v)),
    );
    group.finish();
}

criterion_group!(benches, bench_adwin);
criterion_main!(benches);
