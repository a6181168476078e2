//! Feature extraction: names, length, finiteness and that values move with the state and time.

use std::borrow::Cow;
use std::collections::HashSet;

use leadstream::event::{Event, EventKind, Outbound};
use leadstream::lead::features::feature_index;
use leadstream::lead::{extract, LeadParams, LeadState, FEATURE_NAMES, N_FEATURES};
use leadstream::text::analyze;

const T0: i64 = 1_795_392_000_000;
const DAY: i64 = 86_400_000;

fn ev(ts: i64, kind: EventKind<'static>) -> Event<'static> {
    Event::new(format!("e{ts}"), "t", Some(Cow::Borrowed("l")), ts, kind)
}

fn features(s: &LeadState, now: i64) -> [f64; N_FEATURES] {
    let mut out = [f64::NAN; N_FEATURES];
    assert_eq!(
        extract(s, &LeadParams::default(), now, &mut out),
        N_FEATURES
    );
    out
}

fn get(f: &[f64; N_FEATURES], name: &str) -> f64 {
    f[feature_index(name).unwrap_or_else(|| panic!("no feature {name}"))]
}

#[test]
fn names_are_unique_snake_case() {
    let set: HashSet<_> = FEATURE_NAMES.iter().collect();
    assert_eq!(set.len(), N_FEATURES);
    for n in FEATURE_NAMES {
        assert!(
            n.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{n}"
        );
    }
}

#[test]
fn fresh_lead_is_all_finite_and_mostly_zero() {
    let f = features(&LeadState::new(T0), T0);
    assert!(f.iter().all(|v| v.is_finite()));
    assert_eq!(get(&f, "never_responded"), 1.0);
    assert_eq!(get(&f, "stage_exploring"), 1.0);
    assert_eq!(get(&f, "touches_email"), 0.0);
}

#[test]
fn values_follow_state_and_time() {
    let p = LeadParams::default();
    let mut s = LeadState::new(T0);
    s.apply(&ev(T0, EventKind::EmailSent(Outbound::default())), None, &p);
    let mut reply = ev(T0 + 3_600_000, EventKind::EmailReplied);
    reply.text = Some("Love it! Can we see it this weekend?".into());
    s.apply(
        &reply,
        Some(&analyze("Love it! Can we see it this weekend?")),
        &p,
    );

    let now = features(&s, T0 + 3_600_000);
    // The email was sent an hour before the reply: decayed by 2^(-1/168) with a 7-day half-life.
    let hour_decay = 0.5f64.powf(1.0 / 168.0);
    assert!((get(&now, "touches_email") - hour_decay).abs() < 1e-6);
    assert_eq!(get(&now, "responses_email"), 1.0);
    assert!((get(&now, "response_rate_email") - 1.0 / (1.0 + hour_decay)).abs() < 1e-6);
    assert_eq!(get(&now, "never_responded"), 0.0);
    assert_eq!(get(&now, "stage_engaged"), 1.0);
    assert!(get(&now, "sentiment_ewma") > 0.3);
    assert!(get(&now, "latency_mean_log_s") > 8.0); // ln(3601) = 8.19
    assert!(get(&now, "response_share_hour_of_week") > 0.99);

    // A week later counts have halved (channel half-life) and recency has grown.
    let later = features(&s, T0 + 3_600_000 + 7 * DAY);
    assert!((get(&later, "touches_email") - 0.5 * hour_decay).abs() < 1e-6);
    assert!((get(&later, "responses_email") - 0.5).abs() < 1e-6);
    assert!(get(&later, "log_hours_since_response") > get(&now, "log_hours_since_response") + 4.0);
    // The state itself did not change.
    assert_eq!(features(&s, T0 + 3_600_000), now);
}
