//! Every rejection reason is produced by the input that should produce it, with a useful message,
//! and arbitrary bytes never make the decoder panic.

use leadstream::event::{decode, DecodeConfig, DecodeError, Decoder, EventType};
use proptest::prelude::*;

const BASE: &str =
    r#""event_id":"e1","tenant_id":"t1","lead_id":"l1","ts":1795528527000,"schema_version":1"#;

fn with(extra: &str) -> String {
    format!("{{{BASE},{extra}}}")
}

fn reject(json: &str) -> DecodeError {
    match decode(json.as_bytes()) {
        Ok(e) => panic!("accepted {json}: {e:?}"),
        Err(e) => e,
    }
}

#[test]
fn oversize() {
    let text = "x".repeat(200);
    let json = with(&format!(r#""type":"sms_replied","text":"{text}""#));
    let small = Decoder::new(DecodeConfig { max_bytes: 100 });
    let err = small.decode(json.as_bytes()).unwrap_err();
    assert_eq!(err.reason(), "oversize");
    assert!(err.to_string().contains("limit of 100 bytes"), "{err}");
    // The same payload fits the default 64 KiB.
    assert!(decode(json.as_bytes()).is_ok());
    let huge = with(&format!(
        r#""type":"sms_replied","text":"{}""#,
        "y".repeat(70_000)
    ));
    assert_eq!(reject(&huge).reason(), "oversize");
}

#[test]
fn not_utf8() {
    let mut bytes = with(r#""type":"sms_replied","text":"caf__""#).into_bytes();
    let at = bytes.len() - 4;
    bytes[at] = 0xC3;
    bytes[at + 1] = 0x28; // invalid continuation byte
    let err = decode(&bytes).unwrap_err();
    assert_eq!(err.reason(), "not_utf8");
    assert!(err.to_string().contains(&format!("offset {at}")), "{err}");
    // An escaped lone surrogate cannot become UTF-8 text either.
    let err = reject(&with(r#""type":"sms_replied","text":"bad \ud800 text""#));
    assert_eq!(err.reason(), "not_utf8", "{err}");
}

#[test]
fn malformed_json() {
    for json in [
        "",
        "   ",
        "null",
        "[1,2,3]",
        r#"["e1","t1","l1",1,"email_opened"]"#,
        "{",
        r#"{"event_id":"e1",}"#,
        &with(r#""type":"email_opened"} trailing"#),
        &with(r#""type":"email_opened","type":"sms_replied""#),
    ] {
        assert_eq!(reject(json).reason(), "malformed_json", "{json:?}");
    }
}

#[test]
fn unknown_type() {
    let err = reject(&with(r#""type":"email_exploded""#));
    assert_eq!(err.reason(), "unknown_type");
    assert!(err.to_string().contains("email_exploded"));
    // Case matters: the wire names are exact.
    assert_eq!(
        reject(&with(r#""type":"Email_Opened""#)).reason(),
        "unknown_type"
    );
}

#[test]
fn missing_fields() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"tenant_id":"t","lead_id":"l","ts":1,"type":"email_opened","schema_version":1}"#,
            "event_id",
        ),
        (
            r#"{"event_id":"e","lead_id":"l","ts":1,"type":"email_opened","schema_version":1}"#,
            "tenant_id",
        ),
        (
            r#"{"event_id":"e","tenant_id":"t","ts":1,"type":"email_opened","schema_version":1}"#,
            "lead_id",
        ),
        (
            r#"{"event_id":"e","tenant_id":"t","lead_id":"l","type":"email_opened","schema_version":1}"#,
            "ts",
        ),
        (
            r#"{"event_id":"e","tenant_id":"t","lead_id":"l","ts":1,"schema_version":1}"#,
            "type",
        ),
        (
            r#"{"event_id":"e","tenant_id":"t","lead_id":"l","ts":1,"type":"email_opened"}"#,
            "schema_version",
        ),
        (
            r#"{"event_id":null,"tenant_id":"t","lead_id":"l","ts":1,"type":"email_opened","schema_version":1}"#,
            "event_id",
        ),
    ];
    for (json, field) in cases {
        match reject(json) {
            DecodeError::MissingField { field: f, .. } => assert_eq!(f, *field, "{json}"),
            other => panic!("{json}: {other:?}"),
        }
    }
    let typed: &[(&str, &str)] = &[
        (
            r#""type":"call_completed","agent_words":1,"lead_words":1,"talk_ratio":0.5"#,
            "duration_s",
        ),
        (
            r#""type":"call_completed","duration_s":1,"lead_words":1,"talk_ratio":0.5"#,
            "agent_words",
        ),
        (
            r#""type":"call_completed","duration_s":1,"agent_words":1,"talk_ratio":0.5"#,
            "lead_words",
        ),
        (
            r#""type":"call_completed","duration_s":1,"agent_words":1,"lead_words":1"#,
            "talk_ratio",
        ),
        (r#""type":"web_visit","dwell_s":3"#, "page"),
        (r#""type":"web_visit","page":"/""#, "dwell_s"),
        (r#""type":"video_viewed","replays":1"#, "watch_pct"),
        (r#""type":"stage_changed""#, "stage"),
        (r#""type":"market_update","rate":6.5"#, "area"),
        (
            r#""type":"market_update","area":"94110""#,
            "rate|inventory|price_index",
        ),
    ];
    for (extra, field) in typed {
        let json = with(extra);
        let err = reject(&json);
        assert_eq!(err.reason(), "missing_field", "{json}: {err}");
        assert!(
            matches!(&err, DecodeError::MissingField { field: f, event_type: Some(_) } if f == field),
            "{json}: {err:?}"
        );
        assert!(err.to_string().contains("for event type"), "{err}");
    }
}

#[test]
fn wrong_types_name_the_field() {
    let cases: &[(&str, &str)] = &[
        (r#""type":5"#, "type"),
        (
            r#""type":"web_visit","page":"/","dwell_s":"long""#,
            "dwell_s",
        ),
        (
            r#""type":"video_viewed","watch_pct":5,"replays":-1"#,
            "replays",
        ),
        (
            r#""type":"video_viewed","watch_pct":5,"replays":1.5"#,
            "replays",
        ),
        (r#""type":"sms_replied","text":["a"]"#, "text"),
        (
            r#""type":"market_update","area":"x","inventory":5000000000"#,
            "inventory",
        ),
    ];
    for (extra, field) in cases {
        let json = with(extra);
        match reject(&json) {
            DecodeError::WrongType { field: f, .. } => assert_eq!(f, *field, "{json}"),
            other => panic!("{json}: {other:?}"),
        }
    }
    let err = reject(
        r#"{"event_id":7,"tenant_id":"t","lead_id":"l","ts":1,"type":"email_opened","schema_version":1}"#,
    );
    assert_eq!(err.reason(), "wrong_type");
    assert!(err.to_string().contains("`event_id`"), "{err}");
    let err = reject(
        r#"{"event_id":"e","tenant_id":"t","lead_id":"l","ts":1,"type":"email_opened","schema_version":"1"}"#,
    );
    assert_eq!(err.reason(), "wrong_type", "{err}");
}

#[test]
fn bad_timestamps() {
    for ts in [
        r#""yesterday""#,
        r#""2026-11-24T13:55:27""#,
        r#""2026-02-30T00:00:00Z""#,
        "-1",
        "1.5",
        "1e20",
        "true",
        "[1]",
        r#"{"ms":1}"#,
        "253402300800000",
        "18446744073709551615",
    ] {
        let json = format!(
            r#"{{"event_id":"e","tenant_id":"t","lead_id":"l","ts":{ts},"type":"email_opened","schema_version":1}}"#
        );
        let err = reject(&json);
        assert_eq!(err.reason(), "bad_timestamp", "{ts}: {err}");
    }
    let err = reject(&with(
        r#""type":"appointment_booked","appointment_ts":"soon""#,
    ));
    assert!(
        matches!(
            err,
            DecodeError::BadTimestamp {
                field: "appointment_ts",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn invalid_values() {
    let cases: &[(&str, &str)] = &[
        (r#""type":"email_sent","variant":"pushy""#, "variant"),
        (r#""type":"unsubscribed","channel":"pigeon""#, "channel"),
        (r#""type":"email_opened","channel":"sms""#, "channel"),
        (r#""type":"stage_changed","stage":"married""#, "stage"),
        (r#""type":"video_viewed","watch_pct":101"#, "watch_pct"),
        (r#""type":"web_visit","page":"/","dwell_s":-3"#, "dwell_s"),
        (
            r#""type":"call_completed","duration_s":1,"agent_words":1,"lead_words":1,"talk_ratio":1.2"#,
            "talk_ratio",
        ),
        (r#""type":"offer_made","amount":-5"#, "amount"),
        (r#""type":"market_update","area":"","rate":5"#, "area"),
        (
            r#""type":"lead_created","utc_offset_minutes":900"#,
            "utc_offset_minutes",
        ),
        (
            r#""type":"lead_created","utc_offset_minutes":-330.5"#,
            "utc_offset_minutes",
        ),
    ];
    for (extra, field) in cases {
        let json = with(extra);
        match reject(&json) {
            DecodeError::InvalidValue { field: f, .. } => assert_eq!(f, *field, "{json}"),
            other => panic!("{json}: {other:?}"),
        }
    }
    let err = reject(
        r#"{"event_id":"","tenant_id":"t","lead_id":"l","ts":1,"type":"email_opened","schema_version":1}"#,
    );
    assert_eq!(err.reason(), "invalid_value");
    let err = reject(&with(r#""type":"email_sent","variant":"pushy""#));
    assert!(
        err.to_string()
            .contains("conservative, professional, aggressive"),
        "{err}"
    );
}

#[test]
fn unsupported_version() {
    for v in ["0", "2", "99999999999"] {
        let json = format!(
            r#"{{"event_id":"e","tenant_id":"t","lead_id":"l","ts":1,"type":"email_opened","schema_version":{v}}}"#
        );
        assert_eq!(reject(&json).reason(), "unsupported_version", "{v}");
    }
}

#[test]
fn reasons_are_distinct_and_listed() {
    let mut seen = std::collections::HashSet::new();
    for r in DecodeError::REASONS {
        assert!(seen.insert(r));
        assert!(r
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'));
    }
    assert_eq!(EventType::from_wire("deal_won"), Some(EventType::DealWon));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Err(e) = decode(&bytes) {
            prop_assert!(DecodeError::REASONS.contains(&e.reason()));
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn mutated_valid_events_never_panic(
        pos in 0usize..200, byte in any::<u8>(), cut in 0usize..220
    ) {
        let json = with(r#""type":"call_completed","duration_s":12.5,"agent_words":30,"lead_words":20,"talk_ratio":0.6,"text":"hi \u00e9""#);
        let mut bytes = json.into_bytes();
        let p = pos % bytes.len();
        bytes[p] = byte;
        bytes.truncate(cut.max(1).min(bytes.len()));
        let _ = decode(&bytes);
    }

    #[test]
    fn arbitrary_json_objects_never_panic(
        keys in proptest::collection::vec(
            prop_oneof![
                Just("type".to_owned()), Just("ts".to_owned()), Just("lead_id".to_owned()),
                Just("watch_pct".to_owned()), Just("stage".to_owned()), "[a-z_]{1,12}"
            ], 0..8),
        vals in proptest::collection::vec(
            prop_oneof![
                Just("null".to_owned()), Just("\"video_viewed\"".to_owned()),
                Just("-1".to_owned()), Just("1e308".to_owned()), "\"[ -~]{0,10}\"",
                any::<i64>().prop_map(|v| v.to_string()), any::<f64>().prop_map(|v| v.to_string())
            ], 8)
    ) {
        let body: Vec<String> = keys.iter().zip(&vals).map(|(k, v)| format!("\"{k}\":{v}")).collect();
        let json = format!("{{{BASE},{}}}", body.join(","));
        let _ = decode(json.as_bytes());
    }
}
