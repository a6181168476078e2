//! The open-loop producer: sends event `i` at `start + i / rate` whatever happened before, so
//! a slow broker or engine cannot slow the offered load down (no coordinated omission).
//!
//! What it is for: offering a fixed rate for a fixed count and counting what failed.
//! What it is not: the latency measurement (see [`super::collect`]), which starts from each
//! event's intended send time, not from when it was actually sent.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rdkafka::error::KafkaError;
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::ClientContext;

use super::super::CliError;
use super::collect::{Schedule, Shared};
use super::feed::Feed;

/// Counts failed deliveries reported by the broker.
#[derive(Debug, Default)]
pub(super) struct DeliveryCounter {
    /// Deliveries that failed.
    pub(super) failed: AtomicU64,
}

impl ClientContext for DeliveryCounter {}

impl ProducerContext for DeliveryCounter {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if result.is_err() {
            self.failed.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Whether a send failed only because the local queue is full (retry after a pause).
pub(super) fn is_queue_full(e: &KafkaError) -> bool {
    matches!(
        e,
        KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull)
    )
}

/// What the producer saw.
#[derive(Debug, Clone, Copy)]
pub(super) struct Produced {
    /// Events handed to the producer.
    pub(super) sent: u64,
    /// Sent events about a lead (the others, market updates, get no decision).
    pub(super) lead_events: u64,
    /// Sends refused by the client (not queue-full).
    pub(super) send_errors: u64,
    /// When the last event was handed over (before the final flush).
    pub(super) finished: Instant,
    /// Largest delay of an actual send behind its intended time.
    pub(super) max_behind: Duration,
}

/// How the sender waits for an event's intended time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Pacing {
    /// Sleep to within 1.5 ms, then yield in a loop: sends within microseconds of the intended
    /// time, but keeps a core busy at rates above about 700 events/s.
    Spin,
    /// Sleep the whole gap: a send can be late by a sleep's overshoot (tens of microseconds on
    /// an idle machine, more under load; latency still counts from the intended time), and
    /// events falling due meanwhile go at once; almost no CPU.
    Sleep,
}

/// Waits until `when`: sleeping, then (with [`Pacing::Spin`]) yielding in a loop for the last
/// stretch (sleep granularity is coarser than the gaps between events at high rates).
fn wait_until(when: Instant, pacing: Pacing) {
    loop {
        let now = Instant::now();
        if now >= when {
            return;
        }
        let gap = when - now;
        if pacing == Pacing::Sleep {
            std::thread::sleep(gap);
        } else if gap > Duration::from_micros(1500) {
            std::thread::sleep(gap - Duration::from_millis(1));
        } else {
            std::thread::yield_now();
        }
    }
}

/// Sends `schedule.total` events to `topic` on the open-loop schedule.
///
/// # Errors
/// [`CliError::Input`] if the simulator cannot render events.
pub(super) fn produce(
    producer: &ThreadedProducer<DeliveryCounter>,
    topic: &str,
    feed: &mut Feed,
    schedule: Schedule,
    pacing: Pacing,
    shared: &Arc<Shared>,
) -> Result<Produced, CliError> {
    let mut out = Produced {
        sent: 0,
        lead_events: 0,
        send_errors: 0,
        finished: schedule.start,
        max_behind: Duration::ZERO,
    };
    for i in 0..schedule.total {
        if shared.stop.load(Ordering::Relaxed) {
            break;
        }
        // Render before waiting: the intended time is not spent on our own work.
        let has_lead = feed.render(i)?;
        let intended = schedule.intended(i);
        wait_until(intended, pacing);
        out.max_behind = out
            .max_behind
            .max(Instant::now().saturating_duration_since(intended));
        let mut record = BaseRecord::to(topic)
            .payload(feed.payload.as_slice())
            .key(feed.key.as_str());
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((e, back)) if is_queue_full(&e) => {
                    record = back;
                    std::thread::sleep(Duration::from_micros(200));
                }
                Err(_) => {
                    out.send_errors += 1;
                    break;
                }
            }
        }
        out.sent += 1;
        out.lead_events += u64::from(has_lead);
        shared.sent.store(out.sent, Ordering::Relaxed);
    }
    out.finished = Instant::now();
    let _ = producer.flush(Duration::from_secs(30));
    Ok(out)
}
