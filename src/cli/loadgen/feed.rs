//! The load generator's events: the simulator's stream, each re-labelled with a loadgen event
//! id (`lg-RUN-INDEX`) so a decision can be matched to its intended send time.
//!
//! What it is for: realistic payloads (the same contract and mix the engine sees in
//! production) rendered one at a time into reused buffers.
//! What it is not: the simulator (see [`crate::sim`]); when a simulated world runs out of
//! events, the next seed's world continues the stream.

use std::borrow::Cow;
use std::fmt::Write;

use super::super::CliError;
use crate::sim::{CadencePolicy, SimConfig, Simulation, World};

/// Renders simulator events as JSON payloads keyed by lead.
#[derive(Debug)]
pub(super) struct Feed {
    sim: Simulation,
    leads: u32,
    seed: u64,
    run: u32,
    sim_id: String,
    id: String,
    /// The last payload (JSON bytes).
    pub(super) payload: Vec<u8>,
    /// The last key (`tenant/lead`).
    pub(super) key: String,
    /// Every Nth event is replaced by a malformed payload (0: never).
    pub(super) malformed_every: u64,
}

/// Days of simulated time per world: long enough that worlds rarely run out.
const DAYS: u32 = 60;

fn simulation(leads: u32, seed: u64) -> Result<Simulation, CliError> {
    let world = World::new(SimConfig::new(leads, DAYS, seed))
        .map_err(|e| CliError::Input(format!("simulator: {e}")))?;
    Ok(Simulation::new(world, CadencePolicy::default()))
}

/// The id prefix of run `run`.
pub(super) fn id_prefix(run: u32) -> String {
    format!("lg-{run:08x}-")
}

impl Feed {
    /// A feed of `leads` simulated leads starting from `seed`, for run `run`.
    ///
    /// # Errors
    /// [`CliError::Input`] if the simulator rejects the configuration (e.g. zero leads).
    pub(super) fn new(leads: u32, seed: u64, run: u32) -> Result<Self, CliError> {
        Ok(Self {
            sim: simulation(leads, seed)?,
            leads,
            seed,
            run,
            sim_id: String::new(),
            id: String::new(),
            payload: Vec::with_capacity(1024),
            key: String::new(),
            malformed_every: 0,
        })
    }

    /// Renders event number `index` into [`Self::payload`] and [`Self::key`]; returns whether
    /// the event concerns a lead (market updates do not, and get no decision).
    ///
    /// # Errors
    /// [`CliError::Input`] if a fresh simulated world cannot be built.
    pub(super) fn render(&mut self, index: u64) -> Result<bool, CliError> {
        let ev = loop {
            if let Some(ev) = self.sim.next_event() {
                break ev;
            }
            self.seed = self.seed.wrapping_add(1);
            self.sim = simulation(self.leads, self.seed)?;
        };
        self.id.clear();
        // Writing to a String cannot fail.
        let _ = write!(self.id, "{}{index}", id_prefix(self.run));
        let mut event = ev.render(self.sim.world(), &mut self.sim_id);
        event.event_id = Cow::Borrowed(self.id.as_str());
        self.key.clear();
        self.key.push_str(&event.tenant_id);
        self.key.push('/');
        self.key.push_str(event.lead_id().unwrap_or(""));
        let has_lead = event.lead_id().is_some();
        self.payload.clear();
        if self.malformed_every > 0 && (index + 1).is_multiple_of(self.malformed_every) {
            // Truncated JSON: the engine rejects it ("malformed_json") to the dead-letter topic.
            self.payload.extend_from_slice(b"{\"event_id\":\"");
            self.payload.extend_from_slice(self.id.as_bytes());
            return Ok(false);
        }
        serde_json::to_writer(&mut self.payload, &event)
            .map_err(|e| CliError::Input(format!("serializing an event: {e}")))?;
        Ok(has_lead)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::decode;

    #[test]
    fn events_decode_and_carry_the_loadgen_id_and_lead_key() {
        let mut feed = Feed::new(50, 3, 0xabcd).expect("valid simulator config");
        let mut leads = 0;
        for i in 0..500 {
            let has_lead = feed.render(i).expect("renders");
            let payload = feed.payload.clone();
            let event = decode(&payload).expect("decodes");
            assert_eq!(event.event_id, format!("lg-0000abcd-{i}"));
            assert_eq!(has_lead, event.lead_id().is_some());
            if let Some(lead) = event.lead_id() {
                assert_eq!(feed.key, format!("{}/{lead}", event.tenant_id));
                leads += 1;
            }
        }
        assert!(leads > 400, "mostly lead events: {leads}");
    }

    #[test]
    fn every_nth_event_is_malformed_and_expects_no_decision() {
        let mut feed = Feed::new(20, 3, 1).expect("valid simulator config");
        feed.malformed_every = 10;
        for i in 0..30 {
            let has_lead = feed.render(i).expect("renders");
            let decoded = decode(&feed.payload);
            if (i + 1) % 10 == 0 {
                assert!(!has_lead);
                assert_eq!(decoded.err().map(|e| e.reason()), Some("malformed_json"));
            } else {
                assert!(decoded.is_ok(), "event {i}");
            }
        }
    }
}
