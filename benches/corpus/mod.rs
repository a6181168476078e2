//! A deterministic corpus of event payloads without text, shared by the decode and lead state
//! benches: a mix of types in time order over many leads, written with `impl Serialize`.

use std::borrow::Cow;

use leadstream::event::{CallMetrics, Event, EventKind, MessageVariant, Outbound};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// Start of the corpus: 2026-11-23T00:00:00Z.
pub const T0: i64 = 1_795_392_000_000;

/// `n` JSON payloads for `leads` leads of 4 tenants, about 20 s of event time apart.
pub fn payloads(n: usize, leads: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut ts = T0;
    (0..n)
        .map(|i| {
            ts += rng.random_range(0..40_000);
            let lead = rng.random_range(0..leads);
            let roll = rng.random_range(0..100);
            let outbound = || Outbound {
                variant: Some(MessageVariant::Professional),
                campaign_id: Some(Cow::Borrowed("nurture-q4")),
            };
            let kind = match roll {
                0..=29 => EventKind::EmailSent(outbound()),
                30..=49 => EventKind::EmailOpened,
                50..=54 => EventKind::EmailClicked {
                    url: Some(Cow::Borrowed("https://example.com/l/123")),
                },
                55..=64 => EventKind::SmsSent(outbound()),
                65..=69 => EventKind::SmsReplied,
                70..=84 => EventKind::WebVisit {
                    page: Cow::Borrowed("/listings/123"),
                    listing_id: Some(Cow::Borrowed("L-123")),
                    dwell_s: rng.random_range(1.0..300.0),
                },
                85..=89 => EventKind::CallCompleted(CallMetrics {
                    duration_s: rng.random_range(30.0..900.0),
                    agent_words: rng.random_range(50..2000),
                    lead_words: rng.random_range(50..2000),
                    talk_ratio: rng.random_range(0.2..0.8),
                    interruptions: rng.random_range(0..10),
                }),
                90..=94 => EventKind::VideoViewed {
                    watch_pct: rng.random_range(0.0..100.0),
                    replays: rng.random_range(0..3),
                },
                _ => EventKind::AppointmentBooked {
                    appointment_ts: Some(ts + 86_400_000),
                },
            };
            let event = Event::new(
                format!("evt-{i:09}"),
                format!("tenant-{}", lead % 4),
                Some(Cow::Owned(format!("lead-{lead:07}"))),
                ts,
                kind,
            );
            serde_json::to_vec(&event).unwrap_or_default()
        })
        .collect()
}
