//! The router's routing key (`event::routing_key`, a scan for the tenant and lead ids) is what
//! the full decoder gives for every event it accepts, however the JSON is laid out (field
//! order, whitespace, escaped ids, nested objects with the same field names), and it never
//! panics on arbitrary or damaged input.

mod common;

use leadstream::event::{routing_key, Decoder};
use proptest::prelude::*;

use common::simulated;

/// Every simulated event's JSON, once.
fn corpus() -> &'static [Vec<u8>] {
    static CORPUS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| simulated(40, 5, 9).into_iter().map(|(_, b, _)| b).collect())
}

/// The same event laid out differently: fields reversed, spaces around every token, the ids
/// written with `\u` escapes, and a decoy object holding `tenant_id` / `lead_id` first.
fn variants(json: &[u8]) -> Vec<Vec<u8>> {
    let value: serde_json::Value = serde_json::from_slice(json).expect("simulated JSON");
    let map = value.as_object().expect("an object");
    let mut out = vec![serde_json::to_vec_pretty(&value).expect("serializes")];
    let reversed: Vec<String> = map
        .iter()
        .rev()
        .map(|(k, v)| format!(" {} : {} ", serde_json::json!(k), v))
        .collect();
    out.push(format!("{{{}}}", reversed.join(",")).into_bytes());
    let escaped: Vec<String> = map
        .iter()
        .map(|(k, v)| match (k.as_str(), v.as_str()) {
            ("tenant_id" | "lead_id", Some(s)) => {
                let e: String = s
                    .chars()
                    .map(|c| format!("\\u{:04x}", u32::from(c)))
                    .collect();
                format!("\"{k}\":\"{e}\"")
            }
            _ => format!("{}:{}", serde_json::json!(k), v),
        })
        .collect();
    out.push(format!("{{{}}}", escaped.join(",")).into_bytes());
    let decoy = r#""zz":{"tenant_id":"decoy","lead_id":"decoy","x":["}",{"y":"\"{"}]}"#;
    let fields: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{}:{}", serde_json::json!(k), v))
        .collect();
    out.push(format!("{{{decoy},{}}}", fields.join(",")).into_bytes());
    out
}

fn agrees_with_decode(bytes: &[u8]) -> Result<bool, TestCaseError> {
    let key = routing_key(bytes);
    match Decoder::default().decode(bytes) {
        Ok(event) => {
            let Some((tenant, lead)) = key else {
                return Err(TestCaseError::fail("an accepted event has no routing key"));
            };
            prop_assert_eq!(&*tenant, &*event.tenant_id);
            prop_assert_eq!(lead.as_deref(), event.lead_id());
            Ok(true)
        }
        Err(_) => Ok(false),
    }
}

#[test]
fn every_simulated_event_and_its_variants_route_like_the_decoder() {
    let mut accepted = 0;
    for json in corpus() {
        let mut all = variants(json);
        all.push(json.clone());
        for bytes in &all {
            if agrees_with_decode(bytes).expect("agrees") {
                accepted += 1;
            }
        }
    }
    // Every layout of every simulated event is accepted (so each was compared).
    assert_eq!(accepted, corpus().len() * 5);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        agrees_with_decode(&bytes)?;
    }

    #[test]
    fn damaged_events_never_panic_and_agree_when_accepted(
        pick in 0usize..10_000,
        cut in 0usize..400,
        flips in prop::collection::vec((0usize..400, any::<u8>()), 0..4),
    ) {
        let json = &corpus()[pick % corpus().len()];
        // One byte deleted, then a few overwritten.
        let mut bytes = json.clone();
        if cut < bytes.len() {
            bytes.remove(cut);
        }
        for (at, b) in flips {
            if let Some(slot) = bytes.get_mut(at) {
                *slot = b;
            }
        }
        agrees_with_decode(&bytes)?;
    }
}
