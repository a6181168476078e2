//! Fuzz target for the event decoder: arbitrary bytes never panic, every error has a known
//! reason, every accepted event re-serializes to JSON that decodes to the same event, and the
//! router's routing key of an accepted event is its tenant and lead.
#![no_main]

use leadstream::event::{routing_key, DecodeConfig, DecodeError, Decoder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = routing_key(data);
    match Decoder::default().decode(data) {
        Err(e) => {
            assert!(DecodeError::REASONS.contains(&e.reason()));
            assert!(!e.to_string().is_empty());
        }
        Ok(event) => {
            let (tenant, lead) = key.expect("an accepted event has a routing key");
            assert_eq!((&*tenant, lead.as_deref()), (&*event.tenant_id, event.lead_id()));
            let json = serde_json::to_vec(&event).expect("an event always serializes");
            // Re-serializing can grow numbers ("1e2" -> "100.0"); do not let the limit interfere.
            let roomy = Decoder::new(DecodeConfig {
                max_bytes: usize::MAX,
            });
            let again = roomy.decode(&json).expect("a serialized event decodes");
            assert_eq!(again, event);
        }
    }
});
