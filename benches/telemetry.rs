//! Cost of instrumentation on the hot path: per-record counting in a batch plus one flush per
//! 256 records into the installed Prometheus recorder, and HdrHistogram recording.

use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use leadstream::telemetry::labels::{RiskLevel, Source, Stage};
use leadstream::telemetry::{install_recorder, LatencyBatch, LatencyHistogram, PipelineBatch};

const BATCH: u64 = 256;

fn bench(c: &mut Criterion) {
    let _handle = install_recorder().expect("one recorder per bench process");
    let mut g = c.benchmark_group("telemetry");
    g.throughput(Throughput::Elements(BATCH));
    g.bench_function("pipeline_batch_256_records_and_flush", |b| {
        let mut batch = PipelineBatch::new(Source::Kafka);
        b.iter(|| {
            for i in 0..BATCH {
                batch.consumed(1);
                batch.decoded(1);
                batch.decision();
                if i % 64 == 0 {
                    batch.alert(RiskLevel::High);
                }
            }
            batch.flush();
        });
    });
    g.bench_function("latency_batch_4_stages_256_records_and_flush", |b| {
        let mut batch = LatencyBatch::new();
        let mut ns = 1_000u64;
        b.iter(|| {
            for _ in 0..BATCH {
                ns = (ns * 7919 + 13) % 50_000 + 500;
                for stage in [Stage::Decode, Stage::State, Stage::Features, Stage::Decide] {
                    batch.stage(stage, Duration::from_nanos(ns));
                }
                batch.receipt_to_decision(Duration::from_nanos(ns * 10));
            }
            batch.flush();
        });
    });
    g.bench_function("hdr_record_256", |b| {
        let mut h = LatencyHistogram::new();
        let mut ns = 1_000u64;
        b.iter(|| {
            for _ in 0..BATCH {
                ns = (ns * 7919 + 13) % 50_000_000 + 500;
                h.record_ns(black_box(ns));
            }
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
