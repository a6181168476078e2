//! LogisticRegression test-then-train throughput (predict_proba_one then learn_one per sample) on
//! a seeded 10-feature binary stream, per optimizer, with the standard scaler on (River's default
//! pipeline). Criterion reports time per element = per sample.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use leadstream::learn::logistic::{LogisticRegressionParams, OptimizerKind};
use leadstream::learn::Classifier;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

const N_FEATURES: usize = 10;

fn stream(n: usize) -> Vec<([f64; N_FEATURES], usize)> {
    let mut rng = Pcg64Mcg::seed_from_u64(11);
    (0..n)
        .map(|_| {
            let mut x = [0.0; N_FEATURES];
            for (j, v) in x.iter_mut().enumerate() {
                *v = rng.random::<f64>() * (j as f64 + 1.0);
            }
            let y = usize::from(x[0] + x[3] - x[7] * 0.5 + rng.random::<f64>() > 2.0);
            (x, y)
        })
        .collect()
}

fn bench_logistic(c: &mut Criterion) {
    let rows = stream(100_000);
    let mut group = c.benchmark_group("logistic_predict_learn");
    group.throughput(Throughput::Elements(rows.len() as u64));
    group.sample_size(10);
    for (name, kind) in [
        ("sgd", OptimizerKind::Sgd),
        ("adagrad", OptimizerKind::Adagrad),
        ("ftrl", OptimizerKind::Ftrl),
    ] {
        let params = LogisticRegressionParams {
            optimizer: kind,
            ..Default::default()
        };
        group.bench_with_input(BenchmarkId::new(name, N_FEATURES), &rows, |b, rows| {
            b.iter(|| {
                let mut model = params.build(N_FEATURES, 2).expect("valid params");
                let mut proba = [0.0; 2];
                let mut correct = 0_usize;
                for (x, y) in rows {
                    model.predict_proba_one(x, &mut proba);
                    correct += usize::from((proba[1] > 0.5) == (*y == 1));
                    model.learn_one(x, *y);
                }
                black_box(correct)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_logistic);
criterion_main!(benches);
