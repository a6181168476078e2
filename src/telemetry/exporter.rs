//! Exporter start-up: installs the global metrics recorder and serves `/metrics` over HTTP in
//! Prometheus text format on a configurable address.
//!
//! What it is for: the one call `main` (or `leadstream run`) makes at start-up,
//! [`install_exporter`]. It also describes every metric of the catalogue (HELP and unit), sets
//! histogram buckets, and initialises label-free series and enum-labelled series to zero, as
//! Prometheus recommends, so rates and dashboards have data from the first scrape.
//! What it is not: recording (see [`super::events`]).

use std::net::SocketAddr;
use std::thread;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::catalogue::{self, MetricKind, CATALOGUE};
use super::labels::{CommitResult, ErrorKind, Rebalance, RiskLevel};
use super::{names, TelemetryError};

/// The conventional `/metrics` address: loopback (nothing is exposed unless asked) on 9464,
/// the port the OpenTelemetry Prometheus exporter uses. The engine's `metrics_addr` setting
/// chooses the real one; docker-compose.yml uses `0.0.0.0:9464`.
pub const fn default_listen() -> SocketAddr {
    SocketAddr::V4(std::net::SocketAddrV4::new(
        std::net::Ipv4Addr::LOCALHOST,
        9464,
    ))
}

/// The running exporter: renders the current metrics on demand (what `/metrics` serves).
#[derive(Debug, Clone)]
pub struct ExporterHandle {
    handle: PrometheusHandle,
    listen: Option<SocketAddr>,
}

impl ExporterHandle {
    /// The metrics in Prometheus text format, exactly as `/metrics` serves them.
    pub fn render(&self) -> String {
        self.handle.render()
    }

    /// The address `/metrics` is served on (`None` for [`install_recorder`]).
    pub fn listen(&self) -> Option<SocketAddr> {
        self.listen
    }
}

fn builder() -> Result<PrometheusBuilder, TelemetryError> {
    let mut b = PrometheusBuilder::new();
    for def in CATALOGUE.iter().filter(|d| d.kind == MetricKind::Histogram) {
        if let Some(buckets) = catalogue::buckets(def) {
            b = b
                .set_buckets_for_metric(Matcher::Full(def.name.to_owned()), buckets)
                .map_err(|source| TelemetryError::Exporter {
                    what: "histogram buckets".into(),
                    source,
                })?;
        }
    }
    Ok(b)
}

/// Installs the global recorder and serves `/metrics` on `listen` from a background thread.
///
/// # Errors
/// [`TelemetryError::Exporter`] if the address cannot be bound or the runtime cannot start;
/// [`TelemetryError::AlreadyInstalled`] if a recorder was installed before (once per process).
pub fn install_exporter(listen: SocketAddr) -> Result<ExporterHandle, TelemetryError> {
    let exporter_err = |source| TelemetryError::Exporter {
        what: format!("/metrics on {listen}"),
        source,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| TelemetryError::Runtime(e.to_string()))?;
    let (recorder, exporter) = {
        let _guard = runtime.enter();
        builder()?
            .with_http_listener(listen)
            .build()
            .map_err(exporter_err)?
    };
    let handle = recorder.handle();
    metrics::set_global_recorder(recorder).map_err(|_| TelemetryError::AlreadyInstalled)?;
    thread::Builder::new()
        .name("leadstream-metrics".into())
        .spawn(move || {
            // The exporter future runs for the life of the process.
            let _ = runtime.block_on(exporter);
        })
        .map_err(|e| TelemetryError::Runtime(e.to_string()))?;
    describe_and_initialise();
    Ok(ExporterHandle {
        handle,
        listen: Some(listen),
    })
}

/// Installs the global recorder without an HTTP listener (tests, one-shot tools): metrics are
/// read with [`ExporterHandle::render`].
///
/// # Errors
/// [`TelemetryError::AlreadyInstalled`] if a recorder was installed before.
pub fn install_recorder() -> Result<ExporterHandle, TelemetryError> {
    let recorder = builder()?.build_recorder();
    let handle = recorder.handle();
    metrics::set_global_recorder(recorder).map_err(|_| TelemetryError::AlreadyInstalled)?;
    describe_and_initialise();
    Ok(ExporterHandle {
        handle,
        listen: None,
    })
}

/// Describes every catalogue metric and sets the series whose labels telemetry owns to zero
/// (their true value at start-up).
fn describe_and_initialise() {
    for def in CATALOGUE {
        let (name, help) = (def.name, def.help);
        match (def.kind, def.unit) {
            (MetricKind::Counter, Some(u)) => metrics::describe_counter!(name, u, help),
            (MetricKind::Counter, None) => metrics::describe_counter!(name, help),
            (MetricKind::Gauge, Some(u)) => metrics::describe_gauge!(name, u, help),
            (MetricKind::Gauge, None) => metrics::describe_gauge!(name, help),
            (MetricKind::Histogram, Some(u)) => metrics::describe_histogram!(name, u, help),
            (MetricKind::Histogram, None) => metrics::describe_histogram!(name, help),
        }
    }
    metrics::gauge!(names::BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    for name in [
        names::EVENTS_DECODED,
        names::DECISIONS_EMITTED,
        names::DEAD_LETTERS,
    ] {
        metrics::counter!(name).absolute(0);
    }
    for r in CommitResult::ALL {
        metrics::counter!(names::COMMITS, "result" => r.as_str()).absolute(0);
    }
    for k in Rebalance::ALL {
        metrics::counter!(names::REBALANCES, "kind" => k.as_str()).absolute(0);
    }
    for k in ErrorKind::ALL {
        metrics::counter!(names::ERRORS, "kind" => k.as_str()).absolute(0);
    }
    for l in RiskLevel::ALL {
        metrics::counter!(names::CHURN_ALERTS, "risk_level" => l.as_str()).absolute(0);
    }
}
