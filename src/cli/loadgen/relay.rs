//! The baseline relay: a plain consume-and-produce loop on the same broker, doing no work, so
//! the engine's latency can be compared with the floor the broker and clients set.
//!
//! What it is for: `leadstream loadgen --baseline`.
//! What it is not: an engine; it copies each event's bytes and key to the relay topic.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rdkafka::consumer::BaseConsumer;
use rdkafka::producer::{BaseRecord, Producer, ThreadedProducer};
use rdkafka::Message;

use super::produce::DeliveryCounter;

/// Copies every record the consumer reads to `topic` until `stop`; returns how many it copied
/// and how many sends failed.
pub(super) fn relay(
    consumer: &BaseConsumer,
    producer: &ThreadedProducer<DeliveryCounter>,
    topic: &str,
    stop: &Arc<AtomicBool>,
    relayed: &AtomicU64,
) -> u64 {
    let mut errors = 0;
    while !stop.load(Ordering::Relaxed) {
        let Some(Ok(msg)) = consumer.poll(Duration::from_millis(50)) else {
            continue;
        };
        let payload = msg.payload().unwrap_or_default();
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
