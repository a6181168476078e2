//! The baseline relay: a plain consume-and-produce loop on the same broker, doing no work, so
//! the engine's latency can be compared with the floor the broker and clients set.
//!
//! What it is for: `leadstream loadgen --baseline`.
//! What it is not: an engine; it copies each event's bytes and key to the relay topic (padded
//! to a size only with the diagnostic `--relay-pad-to`).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rdkafka::consumer::BaseConsumer;
use rdkafka::producer::{BaseRecord, Producer, ThreadedProducer};
use rdkafka::Message;

use super::produce::DeliveryCounter;

/// `payload` grown to at least `to` bytes by a `"pad"` field before its closing brace (into
/// `buf`); unchanged if already that long or not a JSON object.
fn padded<'a>(payload: &'a [u8], to: usize, buf: &'a mut Vec<u8>) -> &'a [u8] {
    const FIELD: &[u8] = br#","pad":""#;
    let Some(body) = payload.strip_suffix(b"}") else {
        return payload;
    };
    if payload.len() >= to {
        return payload;
    }
    let fill = to.saturating_sub(payload.len() + FIELD.len() + 1);
    buf.clear();
    buf.extend_from_slice(body);
    buf.extend_from_slice(FIELD);
    buf.resize(buf.len() + fill, b'x');
    buf.extend_from_slice(b"\"}");
    buf
}

/// Copies every record the consumer reads to `topic` until `stop` (padded to `pad_to` bytes
/// when non-zero); returns how many sends failed.
pub(super) fn relay(
    consumer: &BaseConsumer,
    producer: &ThreadedProducer<DeliveryCounter>,
    topic: &str,
    pad_to: usize,
    stop: &Arc<AtomicBool>,
    relayed: &AtomicU64,
) -> u64 {
    let mut errors = 0;
    let mut buf = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let Some(Ok(msg)) = consumer.poll(Duration::from_millis(50)) else {
            continue;
        };
        let payload = padded(msg.payload().unwrap_or_default(), pad_to, &mut buf);
        let key = msg.key().unwrap_or_default();
        let mut record = BaseRecord::to(topic).payload(payload).key(key);
        loop {
            match producer.send(record) {
                Ok(()) => {
                    relayed.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                Err((e, back)) if super::produce::is_queue_full(&e) => {
                    record = back;
                    std::thread::sleep(Duration::from_micros(200));
                }
                Err(_) => {
                    errors += 1;
                    break;
                }
            }
        }
    }
    let _ = producer.flush(Duration::from_secs(10));
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_keeps_the_json_and_reaches_the_size() {
        let event = br#"{"event_id":"lg-0000abcd-7","x":1}"#;
        let mut buf = Vec::new();
        let out = padded(event, 200, &mut buf).to_vec();
        assert_eq!(out.len(), 200);
        let v: serde_json::Value = serde_json::from_slice(&out).expect("still JSON");
        assert_eq!(v["event_id"], "lg-0000abcd-7");
        assert_eq!(v["x"], 1);
        assert_eq!(padded(event, 0, &mut buf), event);
        assert_eq!(padded(event, 10, &mut buf), event);
        assert_eq!(padded(b"[1,2]", 200, &mut buf), b"[1,2]");
    }
}
