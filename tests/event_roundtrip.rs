//! Every event type survives serialize -> decode unchanged, and decoding borrows from the input.

use std::borrow::Cow;
use std::collections::HashSet;

use leadstream::event::{
    decode, CallMetrics, Channel, Event, EventKind, EventType, JourneyStage, MessageVariant,
    Outbound,
};

fn ev(i: usize, kind: EventKind<'static>) -> Event<'static> {
    Event::new(
        format!("evt-{i}"),
        "tenant-a",
        Some(Cow::Owned(format!("lead-{i}"))),
        1_795_528_527_000 + i as i64 * 1_000,
        kind,
    )
}

/// One event of every type, with every optional field set somewhere.
fn samples() -> Vec<Event<'static>> {
    let out = |v| Outbound {
        variant: Some(v),
        campaign_id: Some(Cow::Borrowed("spring-open-house")),
    };
    let kinds = vec![
        EventKind::LeadCreated {
            source: Some("zillow".into()),
            area: Some("94110".into()),
            utc_offset_min: Some(-480),
        },
        EventKind::EmailSent(out(MessageVariant::Conservative)),
        EventKind::EmailOpened,
        EventKind::EmailClicked {
            url: Some("https://example.com/listing/7?x=1&y=\"q\"".into()),
        },
        EventKind::EmailReplied,
        EventKind::EmailBounced,
        EventKind::SmsSent(out(MessageVariant::Aggressive)),
        EventKind::SmsReplied,
        EventKind::CallCompleted(CallMetrics {
            duration_s: 312.25,
            agent_words: 640,
            lead_words: 410,
            talk_ratio: 0.609_523_809_523_809_5,
            interruptions: 3,
        }),
        EventKind::Voicemail {
            duration_s: Some(41.0),
        },
        EventKind::WebVisit {
            page: "/listings/123".into(),
            listing_id: Some("L-123".into()),
            dwell_s: 87.5,
        },
        EventKind::VideoSent(Outbound::default()),
        EventKind::VideoViewed {
            watch_pct: 73.3,
            replays: 2,
        },
        EventKind::AppointmentBooked {
            appointment_ts: Some(1_796_000_000_000),
        },
        EventKind::AppointmentMissed,
        EventKind::AppointmentAttended,
        EventKind::OfferMade {
            amount: Some(815_000.0),
        },
        EventKind::DealWon {
            amount: Some(0.1 + 0.2),
        },
        EventKind::DealLost {
            reason: Some("went with another agent".into()),
        },
        EventKind::Unsubscribed,
        EventKind::OptedOut,
        EventKind::StageChanged {
            stage: JourneyStage::Negotiating,
        },
        EventKind::MarketUpdate {
            area: "94110".into(),
            rate: Some(6.875),
            inventory: Some(1_204),
            price_index: Some(312.4),
        },
    ];
    let mut events: Vec<_> = kinds
        .into_iter()
        .enumerate()
        .map(|(i, k)| ev(i, k))
        .collect();
    events[4].text = Some("Thanks! Can we see it Saturday? \u{1F3E1} \"quoted\"\n".into());
    events[7].text = Some("stop texting me".into());
    events[8].text = Some("agent: hi there lead: hello".into());
    events[19].channel = Some(Channel::Email);
    events[20].channel = Some(Channel::Sms);
    events[0].channel = Some(Channel::Web);
    events
}

#[test]
fn samples_cover_every_type() {
    let types: HashSet<EventType> = samples().iter().map(Event::event_type).collect();
    assert_eq!(types.len(), EventType::COUNT);
}

#[test]
fn every_type_round_trips() {
    for event in samples() {
        let json = serde_json::to_vec(&event).unwrap();
        let back = decode(&json).unwrap_or_else(|e| {
            panic!(
                "{} failed: {e}: {}",
                event.event_type(),
                String::from_utf8_lossy(&json)
            )
        });
        assert_eq!(back, event, "{}", String::from_utf8_lossy(&json));
        // Serializing the decoded event gives the same bytes again.
        assert_eq!(serde_json::to_vec(&back).unwrap(), json);
    }
}

#[test]
fn market_update_without_lead_round_trips() {
    let mut e = samples().pop().unwrap();
    e.lead_id = None;
    let json = serde_json::to_vec(&e).unwrap();
    assert_eq!(decode(&json).unwrap(), e);
}

#[test]
fn unescaped_strings_borrow_and_escaped_ones_own() {
    let json = br#"{"event_id":"e1","tenant_id":"t1","lead_id":"l1","ts":5,"type":"sms_replied",
        "schema_version":1,"text":"line\nbreak","campaign_id":"c"}"#;
    let e = decode(json).unwrap();
    assert!(matches!(e.event_id, Cow::Borrowed("e1")));
    assert!(matches!(e.lead_id, Some(Cow::Borrowed("l1"))));
    assert!(matches!(e.text, Some(Cow::Owned(ref s)) if s == "line\nbreak"));
}

#[test]
fn rfc3339_and_epoch_ms_agree() {
    let a = br#"{"event_id":"e","tenant_id":"t","lead_id":"l","ts":"2026-11-24T14:55:27.5+01:00","type":"email_opened","schema_version":1}"#;
    let b = br#"{"event_id":"e","tenant_id":"t","lead_id":"l","ts":1795528527500,"type":"email_opened","schema_version":1}"#;
    assert_eq!(decode(a).unwrap(), decode(b).unwrap());
}

#[test]
fn implied_channel_is_filled_and_unknown_fields_ignored() {
    let json = br#"{"event_id":"e","tenant_id":"t","lead_id":"l","ts":1,"type":"email_opened",
        "schema_version":1,"user_agent":{"nested":[1,2,{"x":null}]},"extra":"x"}"#;
    let e = decode(json).unwrap();
    assert_eq!(e.channel, Some(Channel::Email));
    assert_eq!(e.kind, EventKind::EmailOpened);
}

#[test]
fn optional_defaults() {
    let json = br#"{"event_id":"e","tenant_id":"t","lead_id":"l","ts":1,"type":"video_viewed",
        "schema_version":1,"watch_pct":50,"replays":null}"#;
    let e = decode(json).unwrap();
    assert_eq!(
        e.kind,
        EventKind::VideoViewed {
            watch_pct: 50.0,
            replays: 0
        }
    );
}
