//! Cooperative shutdown: a flag the source checks between batches.
//!
//! What it is for: SIGINT/SIGTERM (or a test) asks the pipeline to stop consuming; the source
//! returns, the stages drain in order (shards, learner, sink), offsets are committed, and the
//! run ends normally.
//! What it is not: a way to abort; in-flight records are always finished.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A cloneable stop request.
#[derive(Debug, Clone, Default)]
pub struct Shutdown(Arc<AtomicBool>);

impl Shutdown {
    /// A flag not yet raised.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the pipeline to stop consuming and drain.
    pub fn trigger(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether a stop was requested.
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Raises the flag on SIGINT or SIGTERM (a background thread with a small tokio runtime).
    ///
    /// # Errors
    /// If the runtime or the signal handlers cannot be set up.
    pub fn on_signals(&self) -> std::io::Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()?;
        let flag = self.clone();
        std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                runtime.block_on(async move {
                    #[cfg(unix)]
                    {
                        use tokio::signal::unix::{signal, SignalKind};
                        let Ok(mut term) = signal(SignalKind::terminate()) else {
                            let _ = tokio::signal::ctrl_c().await;
                            flag.trigger();
                            return;
                        };
                        tokio::select! {
                            _ = tokio::signal::ctrl_c() => {}
                            _ = term.recv() => {}
                        }
                    }
                    #[cfg(not(unix))]
                    let _ = tokio::signal::ctrl_c().await;
                    tracing::info!("Stop requested; draining.");
                    flag.trigger();
                });
            })?;
        Ok(())
    }
}
