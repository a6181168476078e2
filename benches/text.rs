//! Text intelligence throughput: VADER sentiment alone and the full `analyze` per message, on
//! a mix of short SMS replies and longer emails. Reported per message (Throughput::Elements).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use leadstream::text::{analyze, sentiment};

const MESSAGES: [&str; 8] = [
    "ok",
    "Sounds good, see you Saturday!",
    "Please stop texting me, we already bought a house.",
    "I'm worried about the rates going up. What if we can't afford the monthly payment?",
    "We loved the house and want to make an offer ASAP. Can we schedule a call tonight?",
    "Unfortunately the appraisal came in lower than the contract price, so we will need to \
     renegotiate or bring additional funds to closing.",
    "Hi Anna! The beautiful three bedroom colonial on Maple Street is still available. Would you \
     like to tour it this weekend? Other buyers are already asking, so let me know soon.",
    "Honestly the price is ridiculous for that neighborhood and Zillow shows cheaper homes nearby. \
     We're not in a hurry, but we're not interested in overpaying either. Thanks anyway.",
];

fn bench_text(c: &mut Criterion) {
    // Load the lexicon outside the measurement.
    black_box(sentiment::score("warm up"));
    let mut group = c.benchmark_group("text");
    group.throughput(Throughput::Elements(MESSAGES.len() as u64));
    group.bench_function("sentiment_per_message", |b| {
        b.iter(|| {
            for m in MESSAGES {
                black_box(sentiment::score(black_box(m)));
            }
        })
    });
    group.bench_function("analyze_per_message", |b| {
        b.iter(|| {
            for m in MESSAGES {
                black_box(analyze(black_box(m)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_text);
criterion_main!(benches);
