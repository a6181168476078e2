//! The collector: consumes the outputs (decisions, or the relay's copies in baseline mode),
//! matches each to its event's intended send time, and records the open-loop latency.
//!
//! What it is for: end-to-end latency per event without coordinated omission (measured from
//! the intended send time, `start + index / rate`, so a stalled producer or engine shows up in
//! every event it delayed), counting duplicates and what never arrived, and the live progress
//! line.
//! What it is not: a consumer-group member; it is assigned partitions explicitly at their end.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

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

/// What the collector saw.
#[derive(Debug)]
pub(super) struct Collected {
    /// Open-loop latencies of the first output of each event.
    pub(super) latency: LatencyHistogram,
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

/// Extracts the loadgen index from an output payload carrying `"event_id":"lg-RUN-INDEX"`.
pub(super) fn index_of(payload: &[u8], prefix: &str) -> Option<u64> {
    #[derive(serde::Deserialize)]
    struct Id<'a> {
        #[serde(borrow)]
        event_id: std::borrow::Cow<'a, str>,
    }
    let id: Id<'_> = serde_json::from_slice(payload).ok()?;
    id.event_id.strip_prefix(prefix)?.parse().ok()
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
    let mut c = Collected {
        latency: LatencyHistogram::new(),
        unique: 0,
        duplicates: 0,
        alerts: 0,
        foreign: 0,
        last_at: None,
    };
    let mut done_at: Option<Instant> = None;
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
        let Some(i) = msg.payload().and_then(|p| index_of(p, prefix)) else {
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
            Some(42)
        );
        assert_eq!(
            index_of(br#"{"x":[1,2],"event_id":"lg-0000abcd-7"}"#, p),
            Some(7)
        );
        assert_eq!(index_of(br#"{"event_id":"lg-0000abce-42"}"#, p), None);
        assert_eq!(index_of(br#"{"event_id":"ev-1-42"}"#, p), None);
        assert_eq!(index_of(b"not json", p), None);
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
