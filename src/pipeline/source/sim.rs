//! The simulator as a source: the default input of `leadstream run`.
//!
//! What it is for: rendering the simulator's events to the JSON event contract and feeding them
//! through the same decode path as Kafka records (partition 0, offset = sequence number).
//! What it is not: the simulator (see [`crate::sim`]).

use std::time::Instant;

use super::{Source, CHECK_EVERY};
use crate::pipeline::batch::Origin;
use crate::pipeline::error::PipelineError;
use crate::pipeline::router::Router;
use crate::pipeline::shutdown::Shutdown;
use crate::pipeline::stats::{add, PipelineStats};
use crate::sim::{CadencePolicy, SimConfig, Simulation, World};

/// Events from a seeded simulation.
#[derive(Debug)]
pub struct SimSource {
    sim: Simulation<CadencePolicy>,
}

impl SimSource {
    /// A source simulating `config`.
    ///
    /// # Errors
    /// [`PipelineError::Sim`] if the configuration is invalid.
    pub fn new(config: SimConfig) -> Result<Self, PipelineError> {
        let world = World::new(config)?;
        Ok(Self {
            sim: Simulation::new(world, CadencePolicy::default()),
        })
    }
}

impl Source for SimSource {
    fn run(
        &mut self,
        mut router: Router,
        stats: &PipelineStats,
        shutdown: &Shutdown,
    ) -> Result<(), PipelineError> {
        let mut id = String::new();
        let mut buf = Vec::with_capacity(1024);
        let mut n = 0u64;
        while let Some(ev) = self.sim.next_event() {
            buf.clear();
            let event = ev.render(self.sim.world(), &mut id);
            serde_json::to_writer(&mut buf, &event)
                .map_err(|e| PipelineError::io("rendering a simulated event", e.into()))?;
            let origin = Origin {
                partition: 0,
                offset: i64::try_from(n).unwrap_or(i64::MAX),
            };
            router
                .route(&buf, origin, Instant::now(), stats)
                .map_err(|_| PipelineError::Stopped("shard"))?;
            n += 1;
            if n.is_multiple_of(CHECK_EVERY) {
                add(&stats.records_in, CHECK_EVERY);
                if shutdown.requested() {
                    break;
                }
            }
        }
        add(&stats.records_in, n % CHECK_EVERY);
        router.flush().map_err(|_| PipelineError::Stopped("shard"))
    }
}
