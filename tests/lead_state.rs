//! Lead state: size budget, event-time decay, late-event semantics, churn counters, stage, and
//! invariants under random event orders.

use std::borrow::Cow;

use leadstream::event::{
    CallMetrics, Channel, Event, EventKind, EventType, JourneyStage, Outbound,
};
use leadstream::lead::{
    extract, Applied, LeadConfig, LeadParams, LeadState, LeadStore, N_FEATURES,
};
use leadstream::text::analyze;
use proptest::prelude::*;

const T0: i64 = 1_795_392_000_000; // Monday 2026-11-23T00:00:00Z
const MIN: i64 = 60_000;
const DAY: i64 = 86_400_000;

fn ev(lead: &str, ts: i64, kind: EventKind<'static>) -> Event<'static> {
    Event::new(
        format!("e-{lead}-{ts}"),
        "tenant",
        Some(Cow::Owned(lead.to_owned())),
        ts,
        kind,
    )
}

fn email_sent() -> EventKind<'static> {
    EventKind::EmailSent(Outbound::default())
}

fn params() -> LeadParams {
    LeadConfig::default().build().unwrap()
}

#[test]
fn state_fits_the_budget() {
    let size = std::mem::size_of::<LeadState>();
    println!("size_of::<LeadState>() = {size}");
    assert!(size <= 512, "LeadState is {size} bytes");
}

#[test]
fn config_is_validated() {
    let bad = LeadConfig {
        late_tolerance_ms: -1,
        ..LeadConfig::default()
    };
    assert!(bad.build().is_err());
    let bad = LeadConfig {
        action_half_life_ms: 0,
        ..LeadConfig::default()
    };
    let err = bad.build().unwrap_err();
    assert!(err.to_string().contains("action_half_life_ms"), "{err}");
}

#[test]
fn counts_halve_after_one_half_life() {
    let p = params();
    let mut s = LeadState::new(T0);
    s.apply(&ev("a", T0, email_sent()), None, &p);
    let email = EventType::EmailSent.index();
    assert_eq!(s.touches()[Channel::Email.index()], 1.0);
    // A week later (the channel half-life), one more email: 0.5 + 1.
    s.apply(&ev("a", T0 + 7 * DAY, email_sent()), None, &p);
    assert!((s.touches()[Channel::Email.index()] - 1.5).abs() < 1e-5);
    // Actions use the 14-day half-life: 2^-0.5 + 1.
    assert!((s.actions()[email] - (0.5f32.sqrt() + 1.0)).abs() < 1e-5);
}

#[test]
fn late_within_tolerance_matches_in_order_counts() {
    let p = params();
    let kinds = [
        email_sent(),
        EventKind::EmailOpened,
        email_sent(),
        EventKind::SmsReplied,
    ];
    let times = [T0, T0 + 2 * MIN, T0 + 5 * MIN, T0 + 6 * MIN];
    let mut in_order = LeadState::new(T0);
    for (k, t) in kinds.iter().zip(times) {
        assert_eq!(
            in_order.apply(&ev("a", t, k.clone()), None, &p),
            Applied::InOrder
        );
    }
    // Same events, the second one arriving last (4 minutes late, within the 10-minute tolerance).
    let mut shuffled = LeadState::new(T0);
    for i in [0, 2, 3, 1] {
        shuffled.apply(&ev("a", times[i], kinds[i].clone()), None, &p);
    }
    assert_eq!(shuffled.late_applied(), 1);
    assert_eq!(shuffled.late_dropped(), 0);
    for (a, b) in in_order.actions().iter().zip(shuffled.actions()) {
        assert!((a - b).abs() < 1e-5, "{a} vs {b}");
    }
    for (a, b) in in_order.responses().iter().zip(shuffled.responses()) {
        assert!((a - b).abs() < 1e-5);
    }
    assert_eq!(in_order.last_response_ts(), shuffled.last_response_ts());
    assert_eq!(in_order.watermark(), shuffled.watermark());
}

#[test]
fn too_late_events_are_counted_not_applied_except_facts() {
    let p = params();
    let mut s = LeadState::new(T0);
    s.apply(&ev("a", T0 + DAY, email_sent()), None, &p);
    let before = s.clone();
    assert_eq!(
        s.apply(&ev("a", T0, EventKind::EmailOpened), None, &p),
        Applied::TooLate
    );
    assert_eq!(s.late_dropped(), 1);
    assert_eq!(s.actions(), before.actions());
    assert_eq!(s.last_response_ts(), None);
    // An unsubscribe is a fact whenever it happened.
    let mut unsub = ev("a", T0, EventKind::Unsubscribed);
    unsub.channel = Some(Channel::Sms);
    assert_eq!(s.apply(&unsub, None, &p), Applied::TooLate);
    assert!(s.unsubscribed_from(Channel::Sms));
    assert!(!s.unsubscribed_from(Channel::Email));
    assert_eq!(s.late_dropped(), 2);
}

#[test]
fn tolerance_is_configurable() {
    let strict = LeadConfig {
        late_tolerance_ms: 0,
        ..LeadConfig::default()
    }
    .build()
    .unwrap();
    let mut s = LeadState::new(T0);
    s.apply(&ev("a", T0 + MIN, email_sent()), None, &strict);
    assert_eq!(
        s.apply(&ev("a", T0, EventKind::EmailOpened), None, &strict),
        Applied::TooLate
    );
    assert_eq!(
        s.apply(&ev("a", T0 + MIN, EventKind::EmailOpened), None, &strict),
        Applied::InOrder
    );
}

#[test]
fn latency_and_streaks() {
    let p = params();
    let mut s = LeadState::new(T0);
    s.apply(&ev("a", T0, email_sent()), None, &p);
    s.apply(&ev("a", T0 + DAY, email_sent()), None, &p);
    s.apply(&ev("a", T0 + 2 * DAY, email_sent()), None, &p);
    assert_eq!(s.churn().unopened_streak, 3);
    assert_eq!(s.churn().unanswered_touches, 3);
    assert!(s.awaiting_response());
    // Opened an hour after the last email: latency ln(1 + 3600 s).
    s.apply(
        &ev("a", T0 + 2 * DAY + 60 * MIN, EventKind::EmailOpened),
        None,
        &p,
    );
    assert_eq!(s.churn().unopened_streak, 0);
    assert_eq!(s.churn().unanswered_touches, 0);
    assert!(!s.awaiting_response());
    assert_eq!(s.latency().count(), 1);
    assert!((s.latency().mean_log_s() - 3601f64.ln()).abs() < 1e-4);
    // A second response to the same touch records no second latency.
    s.apply(
        &ev(
            "a",
            T0 + 2 * DAY + 61 * MIN,
            EventKind::EmailClicked { url: None },
        ),
        None,
        &p,
    );
    assert_eq!(s.latency().count(), 1);
}

#[test]
fn stage_advances_with_behaviour_and_follows_the_agent() {
    let p = params();
    let mut s = LeadState::new(T0);
    assert_eq!(s.stage(), JourneyStage::Exploring);
    s.apply(&ev("a", T0 + 1, EventKind::SmsReplied), None, &p);
    assert_eq!(s.stage(), JourneyStage::Engaged);
    s.apply(
        &ev(
            "a",
            T0 + 2,
            EventKind::AppointmentBooked {
                appointment_ts: None,
            },
        ),
        None,
        &p,
    );
    assert_eq!(s.stage(), JourneyStage::Active);
    // Replies never move a lead backwards...
    s.apply(&ev("a", T0 + 3, EventKind::SmsReplied), None, &p);
    assert_eq!(s.stage(), JourneyStage::Active);
    // ...but the agent can.
    s.apply(
        &ev(
            "a",
            T0 + 4,
            EventKind::StageChanged {
                stage: JourneyStage::Exploring,
            },
        ),
        None,
        &p,
    );
    assert_eq!(s.stage(), JourneyStage::Exploring);
    s.apply(
        &ev("a", T0 + 5, EventKind::DealWon { amount: None }),
        None,
        &p,
    );
    assert_eq!(s.stage(), JourneyStage::ReadyToBuy);
    assert!(s.deal_won());
}

#[test]
fn text_signals_drive_sentiment_emotion_and_cues() {
    let p = params();
    let mut s = LeadState::new(T0);
    let mut t = T0;
    for text in [
        "We love this house, it's perfect!",
        "Great, thanks so much for the tour.",
        "Honestly the price is way too high for us.",
        "We're working with another agent now. Please stop texting me.",
    ] {
        t += DAY;
        let mut e = ev("a", t, EventKind::SmsReplied);
        e.text = Some(text.into());
        let signals = analyze(text);
        s.apply(&e, Some(&signals), &p);
    }
    assert_eq!(s.sentiment().count(), 4);
    assert!(
        s.sentiment().trend() < 0.0,
        "trend {}",
        s.sentiment().trend()
    );
    assert!(s.sentiment().volatility() > 0.1);
    assert!(s.churn().unsubscribe_cues >= 1);
    assert!(s.churn().competitor_mentions >= 1);
    assert!(s.churn().price_objections >= 1);
    let total: f32 = s.emotion_counts().iter().sum();
    assert!(total > 0.0);
}

#[test]
fn apply_at_from_gives_the_stage_before_the_event() {
    let mut store = LeadStore::new(params());
    let first = ev("lead-1", T0, email_sent());
    let (applied, before, state) = store.apply_at_from(&first, None, 1);
    assert_eq!(applied, Applied::InOrder);
    assert_eq!(before, None, "a lead first seen has no stage before");
    assert_eq!(state.map(LeadState::stage), Some(JourneyStage::Exploring));
    // A reply moves the lead on: the stage before is the old one, the state the new one.
    let second = ev("lead-1", T0 + MIN, EventKind::SmsReplied);
    let (_, before, state) = store.apply_at_from(&second, None, 2);
    assert_eq!(before, Some(JourneyStage::Exploring));
    assert_eq!(state.map(LeadState::stage), Some(JourneyStage::Engaged));
    assert_eq!(
        store.get("tenant", "lead-1").map(LeadState::stage),
        Some(JourneyStage::Engaged)
    );
    // A replayed offset is not applied again; the stage before is still the lead's.
    let (applied, before, _) = store.apply_at_from(&second, None, 2);
    assert_eq!(applied, Applied::Replayed);
    assert_eq!(before, store.get("tenant", "lead-1").map(LeadState::stage));
    // Another lead of the same store is new again.
    let (_, before, _) = store.apply_at_from(&ev("lead-2", T0, email_sent()), None, 3);
    assert_eq!(before, None);
}

#[test]
fn store_creates_on_first_sight_and_separates_tenants() {
    let mut store = LeadStore::new(params());
    let a = ev("lead-1", T0, email_sent());
    let mut b = ev("lead-1", T0, EventKind::EmailOpened);
    b.tenant_id = "other".into();
    let (applied, state) = store.apply(&a, None);
    assert_eq!(applied, Applied::InOrder);
    assert_eq!(state.map(LeadState::events), Some(1));
    store.apply(&b, None);
    store.apply(&ev("lead-1", T0 + MIN, EventKind::EmailOpened), None);
    assert_eq!(store.len(), 2);
    assert_eq!(
        store.get("tenant", "lead-1").map(LeadState::events),
        Some(2)
    );
    assert_eq!(store.get("other", "lead-1").map(LeadState::events), Some(1));
    assert!(store.get("tenant", "lead-2").is_none());
    let market = Event::new(
        "m1",
        "tenant",
        None,
        T0,
        EventKind::MarketUpdate {
            area: "94110".into(),
            rate: Some(6.5),
            inventory: None,
            price_index: None,
        },
    );
    assert_eq!(store.apply(&market, None).0, Applied::NotLeadEvent);
    let c = store.counters();
    assert_eq!((c.in_order, c.leads_created, c.not_lead), (3, 2, 1));
    assert_eq!(store.iter().count(), 2);
    store.get_mut("tenant", "lead-1").unwrap().set_persona(3);
    assert_eq!(store.get("tenant", "lead-1").unwrap().persona(), 3);
}

fn arb_kind() -> impl Strategy<Value = EventKind<'static>> {
    prop_oneof![
        Just(email_sent()),
        Just(EventKind::EmailOpened),
        Just(EventKind::EmailClicked { url: None }),
        Just(EventKind::EmailReplied),
        Just(EventKind::EmailBounced),
        Just(EventKind::SmsSent(Outbound::default())),
        Just(EventKind::SmsReplied),
        (
            0.0..3600.0f64,
            0u32..5000,
            0u32..5000,
            0.0..=1.0f64,
            0u32..50
        )
            .prop_map(|(d, a, l, r, i)| EventKind::CallCompleted(CallMetrics {
                duration_s: d,
                agent_words: a,
                lead_words: l,
                talk_ratio: r,
                interruptions: i
            })),
        Just(EventKind::Voicemail { duration_s: None }),
        (0.0..1e6f64).prop_map(|d| EventKind::WebVisit {
            page: "/".into(),
            listing_id: None,
            dwell_s: d
        }),
        (0.0..=100.0f64, 0u32..10).prop_map(|(w, r)| EventKind::VideoViewed {
            watch_pct: w,
            replays: r
        }),
        Just(EventKind::AppointmentBooked {
            appointment_ts: None
        }),
        Just(EventKind::AppointmentMissed),
        Just(EventKind::AppointmentAttended),
        Just(EventKind::OfferMade { amount: Some(1.0) }),
        Just(EventKind::DealLost { reason: None }),
        Just(EventKind::Unsubscribed),
        Just(EventKind::OptedOut),
        (0usize..5).prop_map(|i| EventKind::StageChanged {
            stage: JourneyStage::from_index(i)
        }),
    ]
}

const TEXTS: [&str; 4] = [
    "Love it, can't wait!",
    "Not interested, remove me.",
    "What do you mean? I'm confused.",
    "",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn invariants_hold_under_random_orders(
        events in proptest::collection::vec(
            (arb_kind(), -30 * MIN..60 * DAY, proptest::option::of(0usize..4)), 1..60),
        tolerance in prop_oneof![Just(0i64), Just(10 * MIN), Just(DAY)],
        now_offset in -DAY..400 * DAY,
    ) {
        let p = LeadConfig { late_tolerance_ms: tolerance, ..LeadConfig::default() }.build().unwrap();
        let mut store = LeadStore::new(p);
        let mut late = 0u64;
        let mut too_late = 0u64;
        let mut max_ts = i64::MIN;
        for (kind, dt, text) in &events {
            let ts = T0 + dt;
            let mut e = ev("lead", ts, kind.clone());
            let signals = text.map(|i| analyze(TEXTS[i]));
            if text.is_some() { e.text = Some(TEXTS[text.unwrap_or(0)].into()); }
            let expected = if max_ts == i64::MIN || ts >= max_ts {
                Applied::InOrder
            } else if ts >= max_ts - tolerance {
                Applied::Late
            } else {
                Applied::TooLate
            };
            let (applied, _) = store.apply(&e, signals.as_ref());
            prop_assert_eq!(applied, expected);
            match applied { Applied::Late => late += 1, Applied::TooLate => too_late += 1, _ => {} }
            max_ts = max_ts.max(ts);
        }
        let s = store.get("tenant", "lead").unwrap();
        prop_assert_eq!(u64::from(s.late_applied()), late);
        prop_assert_eq!(u64::from(s.late_dropped()), too_late);
        prop_assert_eq!(s.events() as usize, events.len());
        prop_assert_eq!(s.watermark(), max_ts);
        for c in s.touches().iter().chain(s.responses()).chain(s.actions()).chain(s.emotion_counts()) {
            prop_assert!(c.is_finite() && *c >= 0.0, "count {}", c);
        }
        prop_assert!(s.stage().index() < JourneyStage::COUNT);
        prop_assert!(s.sentiment().ewma().abs() <= 1.0 + 1e-6);
        prop_assert!(s.sentiment().volatility().is_finite());
        prop_assert!(s.latency().mean_log_s().is_finite() && s.latency().std_log_s() >= 0.0);
        let mut out = [f64::NAN; N_FEATURES];
        let n = extract(s, &p, max_ts + now_offset, &mut out);
        prop_assert_eq!(n, N_FEATURES);
        for (i, v) in out.iter().enumerate() {
            prop_assert!(v.is_finite(), "feature {} = {}", leadstream::lead::FEATURE_NAMES[i], v);
        }
    }
}

proptest! {
    #[test]
    fn extreme_timestamps_never_panic(
        stamps in proptest::collection::vec(
            prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(0i64), Just(-1i64), any::<i64>()], 1..12),
        now in prop_oneof![Just(i64::MIN), Just(i64::MAX), any::<i64>()],
    ) {
        let p = params();
        let mut s = LeadState::new(stamps[0]);
        for (i, ts) in stamps.iter().enumerate() {
            let kind = if i % 2 == 0 { email_sent() } else { EventKind::EmailReplied };
            s.apply(&ev("x", *ts, kind), Some(&analyze("ok thanks")), &p);
        }
        let mut out = [f64::NAN; N_FEATURES];
        extract(&s, &p, now, &mut out);
        prop_assert!(out.iter().all(|v| v.is_finite()));
    }
}
