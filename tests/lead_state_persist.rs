//! Durable lead state: record round trips are bit-identical, replay after a restore is
//! idempotent, snapshot files are atomic and corruption is a clear error, and an embedded run
//! with a state directory starts with the previous run's leads.

mod common;

use std::borrow::Cow;
use std::sync::Arc;

use leadstream::event::{Event, EventKind, Outbound};
use leadstream::lead::{
    extract, Applied, LeadConfig, LeadParams, LeadRecord, LeadStore, N_FEATURES,
};
use leadstream::persist::{self, PayloadKind};
use leadstream::pipeline::config::Config;
use leadstream::pipeline::{
    launch, DecideFactory, LeadSnapshotDir, PipelineError, PipelineStats, Presentation, Shutdown,
};
use leadstream::text::analyze;
use proptest::prelude::*;

const T0: i64 = 1_795_392_000_000;
const HOUR: i64 = 3_600_000;

fn params() -> LeadParams {
    LeadConfig::default().build().unwrap()
}

fn kind(i: u8) -> EventKind<'static> {
    match i % 8 {
        0 => EventKind::EmailSent(Outbound::default()),
        1 => EventKind::EmailOpened,
        2 => EventKind::EmailReplied,
        3 => EventKind::SmsSent(Outbound::default()),
        4 => EventKind::SmsReplied,
        5 => EventKind::AppointmentMissed,
        6 => EventKind::WebVisit {
            page: "/".into(),
            listing_id: None,
            dwell_s: 42.0,
        },
        _ => EventKind::EmailBounced,
    }
}

const TEXTS: [&str; 3] = ["Love it, can't wait!", "Not interested, remove me.", ""];

fn event(lead: &str, ts: i64, k: u8, text: Option<usize>) -> Event<'static> {
    let mut e = Event::new(
        format!("e-{lead}-{ts}"),
        "tenant",
        Some(Cow::Owned(lead.to_owned())),
        ts,
        kind(k),
    );
    if let Some(i) = text {
        e.text = Some(TEXTS[i % TEXTS.len()].into());
    }
    e
}

fn apply(store: &mut LeadStore, e: &Event<'_>, offset: i64) -> Applied {
    let signals = e.text().map(analyze);
    store.apply_at(e, signals.as_ref(), offset).0
}

fn features(store: &LeadStore, lead: &str, now: i64) -> [f64; N_FEATURES] {
    let mut out = [0.0; N_FEATURES];
    extract(store.get("tenant", lead).unwrap(), &params(), now, &mut out);
    out
}

type Script = Vec<(u8, i64, Option<usize>)>;

fn arb_script() -> impl Strategy<Value = Script> {
    proptest::collection::vec(
        (
            any::<u8>(),
            -2 * HOUR..200 * HOUR,
            proptest::option::of(0usize..3),
        ),
        1..40,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Encoding a record and decoding it gives the same bytes again and bit-identical features.
    #[test]
    fn record_round_trip_is_bit_identical(script in arb_script()) {
        let mut store = LeadStore::new(params());
        for (i, (k, dt, text)) in script.iter().enumerate() {
            apply(&mut store, &event("lead", T0 + dt, *k, *text), i as i64);
        }
        let record = store.records(3).next().unwrap();
        let bytes = persist::encode(PayloadKind::LeadState, &record).unwrap();
        let back: LeadRecord = persist::decode(PayloadKind::LeadState, &bytes).unwrap();
        prop_assert_eq!(&back, &record);
        prop_assert_eq!(persist::encode(PayloadKind::LeadState, &back).unwrap(), bytes);
        let mut restored = LeadStore::new(params());
        prop_assert!(restored.restore(&back.tenant, &back.lead, back.state.clone(), back.applied_offset));
        let now = T0 + 300 * HOUR;
        let (a, b) = (features(&store, "lead", now), features(&restored, "lead", now));
        prop_assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits));
    }

    /// A store restored from a record taken after `cut` events, then fed the whole stream again
    /// (the uncommitted tail replayed from an older offset), ends where an uninterrupted store
    /// ends: events already in the state are not applied twice.
    #[test]
    fn replay_after_restore_is_idempotent(script in arb_script(), cut_frac in 0.0..1.0f64) {
        let cut = ((script.len() as f64) * cut_frac) as usize;
        let events: Vec<_> = script.iter().map(|(k, dt, t)| event("lead", T0 + dt, *k, *t)).collect();
        let mut live = LeadStore::new(params());
        let mut crashed = LeadStore::new(params());
        for (i, e) in events.iter().enumerate() {
            apply(&mut live, e, i as i64);
            if i < cut {
                apply(&mut crashed, e, i as i64);
            }
        }
        let mut restored = LeadStore::new(params());
        if let Some(r) = crashed.records(0).next() {
            restored.restore(&r.tenant, &r.lead, r.state, r.applied_offset);
        }
        let mut replayed = 0;
        for (i, e) in events.iter().enumerate() {
            if apply(&mut restored, e, i as i64) == Applied::Replayed {
                replayed += 1;
            }
        }
        prop_assert_eq!(replayed, cut);
        prop_assert_eq!(restored.get("tenant", "lead"), live.get("tenant", "lead"));
    }
}

fn sample_records(n: usize) -> Vec<LeadRecord> {
    let mut store = LeadStore::new(params());
    for i in 0..n {
        let lead = format!("lead-{i}");
        apply(
            &mut store,
            &event(&lead, T0 + i as i64, (i % 8) as u8, None),
            i as i64,
        );
        apply(
            &mut store,
            &event(&lead, T0 + HOUR, 2, Some(i)),
            (n + i) as i64,
        );
    }
    let mut v: Vec<_> = store.records(1).collect();
    v.sort_by(|a, b| a.lead.cmp(&b.lead));
    v
}

#[test]
fn snapshot_file_round_trips_over_several_chunks() {
    let dir = LeadSnapshotDir::new(&common::temp_dir("snap-rt"));
    assert!(dir.load().unwrap().is_empty(), "no file: no records");
    let records = sample_records(leadstream::pipeline::CHUNK_RECORDS + 10);
    assert_eq!(dir.save(records.clone()).unwrap(), records.len());
    let mut back = dir.load().unwrap();
    back.sort_by(|a, b| a.lead.cmp(&b.lead));
    assert_eq!(back, records);
}

#[test]
fn corrupted_or_truncated_snapshot_is_an_error_naming_the_file() {
    let dir = LeadSnapshotDir::new(&common::temp_dir("snap-bad"));
    dir.save(sample_records(50)).unwrap();
    let path = dir.file();
    let good = std::fs::read(&path).unwrap();
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    for bad in [flipped, good[..good.len() - 7].to_vec()] {
        std::fs::write(&path, &bad).unwrap();
        let err = dir.load().unwrap_err();
        assert!(matches!(err, PipelineError::State { .. }), "{err}");
        let msg = err.to_string();
        assert!(msg.contains(&path.display().to_string()), "{msg}");
    }
}

fn run_embedded(state_dir: &std::path::Path) {
    let toml = format!(
        "[simulator]\nleads = 40\ndays = 10\nseed = 7\n[engine]\nshards = 2\n[state]\ndir = {:?}\n",
        state_dir.display().to_string()
    );
    let config = Config::from_toml(&toml, "test").unwrap();
    let factory = DecideFactory::new(config.decide.clone(), config.engine.seed);
    let stats = Arc::new(PipelineStats::default());
    launch(
        &config,
        &factory,
        None,
        &Shutdown::new(),
        &Presentation::default(),
        &stats,
    )
    .unwrap();
}

#[test]
fn embedded_state_dir_carries_leads_into_the_next_run() {
    let state = common::temp_dir("state-dir");
    let dir = LeadSnapshotDir::new(&state);
    run_embedded(&state);
    let first = dir.load().unwrap();
    assert!(first.len() >= 30, "{} leads after run 1", first.len());
    run_embedded(&state);
    let second = dir.load().unwrap();
    assert_eq!(second.len(), first.len(), "the same simulated leads");
    // The second run fed the same events to the restored states: every lead's event count
    // doubled. A run that started empty would have the first run's counts again.
    let count = |rs: &[LeadRecord]| {
        let mut m: Vec<_> = rs
            .iter()
            .map(|r| (r.tenant.clone(), r.lead.clone(), r.state.events()))
            .collect();
        m.sort();
        m
    };
    let (a, b) = (count(&first), count(&second));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((&x.0, &x.1), (&y.0, &y.1));
        assert_eq!(y.2, 2 * x.2, "lead {}", x.1);
    }
}
