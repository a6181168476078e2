//! Fuzz target for the event decoder: arbitrary bytes never panic, every error has a known
//! reason, and every accepted event re-serializes to JSON that decodes to the same event.
#![no_main]

use leadstream::event::{DecodeConfig, DecodeError, Decoder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match Decoder::default().decode(data) {
        Err(e) => {
            assert!(DecodeError::REASONS.contains(&e.reason()));
            assert!(!e.to_string().is_empty());
        }
        Ok(event) => {
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
