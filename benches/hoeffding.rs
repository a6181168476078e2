//! Learn+predict throughput of the Hoeffding trees on a Phishing-like stream (9 numeric features,
//! 2 classes, a non-linear concept with 10% label noise), test-then-train per sample.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use leadstream::learn::hoeffding::{HoeffdingAdaptiveTreeParams, HoeffdingTreeParams};
use leadstream::learn::Classifier;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

const N: usize = 20_000;

fn phishing_like(seed: u64) -> Vec<([f64; 9], usize)> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    (0..N)
        .map(|_| {
            let mut x = [0.0; 9];
            for v in &mut x {
                *v = (rng.random::<f64>() * 3.0).floor() / 2.0;
            }
            let score = x[0] + x[2] - x[4] + 0.5 * x[6] * x[7];
            let noisy = rng.random::<f64>() < 0.1;
            (x, usize::from((score > 0.75) != noisy))
        })
        .collect()
}

fn run<C: Classifier>(model: &mut C, data: &[([f64; 9], usize)]) -> usize {
    let mut correct = 0;
    for (x, y) in data {
        correct += usize::from(model.predict_one(x) == *y);
        model.learn_one(x, *y);
    }
    correct
}

fn bench(c: &mut Criterion) {
    let data = phishing_like(1);
    let mut group = c.benchmark_group("hoeffding_learn_predict");
    group.throughput(Throughput::Elements(N as u64));
    for (name, params) in [
        ("ht_nba", HoeffdingTreeParams::default()),
        (
            "ht_mc",
            HoeffdingTreeParams {
                leaf_prediction: leadstream::learn::hoeffding::LeafPrediction::MajorityClass,
                ..Default::default()
            },
        ),
    ] {
        group.bench_function(name, |b| {
            let mut tree = params.clone().build(9, 2).expect("valid");
            b.iter(|| black_box(run(&mut tree, &data)));
        });
    }
    group.bench_function("hat_nba", |b| {
        let mut tree = HoeffdingAdaptiveTreeParams::default()
            .build(9, 2)
            .expect("valid");
        b.iter(|| black_box(run(&mut tree, &data)));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
