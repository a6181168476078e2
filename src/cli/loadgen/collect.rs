//! The collector: consumes the outputs (decisions, or the relay's copies in baseline mode),
//! matches each to its event's intended send time, and records the open-loop latency.
//!
//! What it is for: end-to-end latency per event without coordinated omission (measured from
//! the intended send time, `start + index / rate`, so a stalled producer or engine shows up in
//! every event it delayed), counting duplicates and what never arrived, and the live progress
//! line. Each latency is also split at the output record's timestamp (its CreateTime, which
//! the relay's or engine's producer sets when it is handed the record): before it, the input
//! leg, the consume and the work; after it, the output producer's batching, the broker and
//! the collector's fetch. Kafka timestamps are whole milliseconds (truncated), so the first
//! part reads up to 1 ms low and the second up to 1 ms high; the split uses the wall clock.
//! What it is not: a consumer-group member; it is assigned partitions explicitly at their end.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rdkafka::consumer::BaseConsumer;
use rdkafka::Message;

use crate::telemetry::LatencyHistogram;

/// What the producer side shares with the collector.
#[derive(Debug, Default)]
pub(super) struct Shared {
    /// Events handed to the producer so far.
    pub(super) sent: AtomicU64,
    /// Set when the producer has sent everything (or stopped).
    pub(super) done_sending: AtomicBool,
    /// Set to stop the collector early.
    pub(super) stop: AtomicBool,
}

/// The open-loop schedule: event `i` is due at `start + i / rate`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Schedule {
    /// When event 0 is due.
    pub(super) start: Instant,
    /// Nanoseconds between two events.
    pub(super) period_ns: f64,
    /// Events in the run.
    pub(super) total: u64,
}

impl Schedule {
    /// When event `i` should be sent.
    pub(super) fn intended(&self, i: u64) -> Instant {
        self.start + Duration::from_nanos((i as f64 * self.period_ns) as u64)
    }
}

/// Maps monotonic instants to wall-clock nanoseconds since the Unix epoch (Kafka timestamps
/// are wall-clock).
#[derive(Debug, Clone, Copy)]
struct WallClock {
    at: Instant,
    unix_ns: i128,
}

impl WallClock {
    fn now() -> Self {
        let unix_ns = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        Self {
            at: Instant::now(),
            unix_ns,
        }
    }

    fn unix_ns(&self, t: Instant) -> i128 {
        match t.checked_duration_since(self.at) {
            Some(after) => self.unix_ns + after.as_nanos() as i128,
            None => self.unix_ns - self.at.duration_since(t).as_nanos() as i128,
        }
    }
}

/// Records an event's latency split at its output's CreateTime (`created_ms`).
fn record_split(c: &mut Collected, intended_ns: i128, created_ms: i64, consumed_ns: i128) {
    let created_ns = i128::from(created_ms) * 1_000_000;
    let ns = |d: i128| u64::try_from(d.max(0)).unwrap_or(u64::MAX);
    c.to_output_created.record_ns(ns(created_ns - intended_ns));
    c.output_created_to_consumed
        .record_ns(ns(consumed_ns - created_ns));
}

/// What the collector saw.
#[derive(Debug)]
pub(super) struct Collected {
    /// Open-loop latencies of the first output of each event.
    pub(super) latency: LatencyHistogram,
    /// The first part of each latency: intended send to the output's CreateTime.
    pub(super) to_output_created: LatencyHistogram,
    /// The second part: the output's CreateTime to consumed.
    pub(super) output_created_to_consumed: LatencyHistogram,
    /// The engine's receipt-to-decision times carried by its decisions (empty for the relay).
    pub(super) engine_receipt_to_decision: LatencyHistogram,
    /// Events with at least one output.
    pub(super) unique: u64,
    /// Outputs for events already seen (at-least-once redelivery).
    pub(super) duplicates: u64,
    /// Churn alerts of this run.
    pub(super) alerts: u64,
    /// Output records that were not this run's (other producers, unparsable).
    pub(super) foreign: u64,
    /// When the last first-output arrived.
    pub(super) last_at: Option<Instant>,
}

impl Collected {
    /// Nothing seen yet.
    fn empty() -> Self {
        Self {
            latency: LatencyHistogram::new(),
            to_output_created: LatencyHistogram::new(),
            output_created_to_consumed: LatencyHistogram::new(),
            engine_receipt_to_decision: LatencyHistogram::new(),
            unique: 0,
            duplicates: 0,
            alerts: 0,
            foreign: 0,
            last_at: None,
        }
    }
}

/// Extracts the loadgen index from an output payload carrying `"event_id":"lg-RUN-INDEX"`, with
/// the engine's own receipt-to-decision time when the output is a decision
/// (`latency_from_receipt_us`, docs/decisions.md).
pub(super) fn index_of(payload: &[u8], prefix: &str) -> Option<(u64, Option<f64>)> {
    #[derive(serde::Deserialize)]
    struct Id<'a> {
        #[serde(borrow)]
        event_id: std::borrow::Cow<'a, str>,
        latency_from_receipt_us: Option<f64>,
    }
    let id: Id<'_> = serde_json::from_slice(payload).ok()?;
    let index = id.event_id.strip_prefix(prefix)?.parse().ok()?;
    Some((index, id.latency_from_receipt_us))
}

/// Consumes until every event has an output, or the producer is done and `drain` has passed
/// since, or `shared.stop`. `alerts_topic` outputs are counted, not timed.
pub(super) fn collect(
    consumer: &BaseConsumer,
    schedule: Schedule,
    prefix: &str,
    alerts_topic: &str,
    drain: Duration,
    shared: &Arc<Shared>,
    progress: bool,
) -> Collected {
    let total = usize::try_from(schedule.total).unwrap_or(usize::MAX);
    let mut seen = vec![false; total];
    let mut c = Collected::empty();
    let mut done_at: Option<Instant> = None;
    let wall = WallClock::now();
    let mut next_progress = Instant::now() + Duration::from_secs(1);
    loop {
        if shared.stop.load(Ordering::Relaxed) || c.unique == schedule.total {
            break;
        }
        if shared.done_sending.load(Ordering::Acquire) {
            let at = *done_at.get_or_insert_with(Instant::now);
            if at.elapsed() >= drain {
                break;
            }
        }
        if progress && Instant::now() >= next_progress {
            next_progress += Duration::from_secs(1);
            print_progress(&schedule, shared, &c);
        }
        let Some(result) = consumer.poll(Duration::from_millis(50)) else {
            continue;
        };
        let Ok(msg) = result else {
            continue; // transient consumer errors (e.g. partition EOF) are retried by librdkafka
        };
        let now = Instant::now();
        let Some((i, receipt_us)) = msg.payload().and_then(|p| index_of(p, prefix)) else {
            c.foreign += 1;
            continue;
        };
        if msg.topic() == alerts_topic {
            c.alerts += 1;
            continue;
        }
        match usize::try_from(i).ok().and_then(|i| seen.get_mut(i)) {
            Some(slot) if !*slot => {
                *slot = true;
                c.unique += 1;
                c.latency.record_since_intended(schedule.intended(i), now);
                if let Some(us) = receipt_us.filter(|us| us.is_finite()) {
                    c.engine_receipt_to_decision
                        .record_ns((us.max(0.0) * 1e3) as u64);
                }
                if let Some(created_ms) = msg.timestamp().to_millis() {
                    let intended = wall.unix_ns(schedule.intended(i));
                    record_split(&mut c, intended, created_ms, wall.unix_ns(now));
                }
                c.last_at = Some(now);
            }
            Some(_) => c.duplicates += 1,
            None => c.foreign += 1,
        }
    }
    if progress {
        print_progress(&schedule, shared, &c);
        eprintln!();
    }
    c
}

fn print_progress(schedule: &Schedule, shared: &Shared, c: &Collected) {
    let elapsed = schedule.start.elapsed().as_secs_f64();
    let sent = shared.sent.load(Ordering::Relaxed);
    let s = c.latency.summary();
    let ms = |ns: u64| ns as f64 / 1e6;
    eprint!(
        "\r[{elapsed:6.1}s] sent {sent}/{} ({:.0}/s)  outputs {}  pending {}  p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms   ",
        schedule.total,
        sent as f64 / elapsed.max(1e-9),
        c.unique,
        sent.saturating_sub(c.unique),
        ms(s.p50_ns),
        ms(s.p99_ns),
        ms(s.max_ns),
    );
    let _ = std::io::stderr().flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_read_from_this_runs_event_ids_only() {
        let p = "lg-0000abcd-";
        assert_eq!(
            index_of(br#"{"event_id":"lg-0000abcd-42","x":1}"#, p),
            Some((42, None))
        );
        assert_eq!(
            index_of(br#"{"x":[1,2],"event_id":"lg-0000abcd-7"}"#, p),
            Some((7, None))
        );
        assert_eq!(
            index_of(
                br#"{"event_id":"lg-0000abcd-8","latency_from_receipt_us":31.5}"#,
                p
            ),
            Some((8, Some(31.5)))
        );
        assert_eq!(index_of(br#"{"event_id":"lg-0000abce-42"}"#, p), None);
        assert_eq!(index_of(br#"{"event_id":"ev-1-42"}"#, p), None);
        assert_eq!(index_of(b"not json", p), None);
    }

    #[test]
    fn wall_clock_maps_instants_before_and_after_its_anchor() {
        let wall = WallClock::now();
        let later = wall.at + Duration::from_millis(3);
        assert_eq!(wall.unix_ns(later) - wall.unix_ns, 3_000_000);
        if let Some(earlier) = wall.at.checked_sub(Duration::from_millis(2)) {
            assert_eq!(wall.unix_ns(earlier) - wall.unix_ns, -2_000_000);
        }
    }

    #[test]
    fn latency_is_split_at_the_output_creation_time() {
        let mut c = Collected::empty();
        // Intended at 1,000.2 ms, output created at 1,030 ms, consumed at 1,055.5 ms.
        record_split(&mut c, 1_000_200_000, 1_030, 1_055_500_000);
        let (a, b) = (
            c.to_output_created.summary(),
            c.output_created_to_consumed.summary(),
        );
        assert_eq!((a.count, b.count), (1, 1));
        assert!((29_780_000..=29_820_000).contains(&a.max_ns), "{a:?}");
        assert!((25_480_000..=25_520_000).contains(&b.max_ns), "{b:?}");
        // A creation time before the intended time (clock truncation) counts as (almost) 0.
        record_split(&mut c, 1_000_200_000, 1_000, 1_001_000_000);
        assert_eq!(c.to_output_created.summary().min_ns, 1);
    }

    #[test]
    fn schedule_spaces_events_by_the_period() {
        let start = Instant::now();
        let s = Schedule {
            start,
            period_ns: 1e9 / 4000.0,
            total: 10,
        };
        assert_eq!(s.intended(0), start);
        assert_eq!(s.intended(4000) - start, Duration::from_secs(1));
        assert_eq!(s.intended(2) - start, Duration::from_micros(500));
    }
}
