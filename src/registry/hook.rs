//! The engine's side of the registry: when to snapshot the learner (periodically, on a drift
//! promotion, at shutdown), polling the active pointer so a rollback made with
//! `leadstream models rollback` takes effect in a running engine within a second, and handing
//! each saved or rolled-back version to the model topic's publisher when one is attached.
//!
//! What it is for: driven by the learner thread through the pipeline's `LearnStage` hooks, so
//! the pipeline knows nothing of models or files. Failures are logged (load failures also
//! counted), never fatal: an engine whose disk is full keeps deciding.
//! What it is not: the registry's storage (see [`super::ModelRegistry`]).

use std::time::{Duration, Instant};

use tracing::{info, warn};

use crate::decide::{LabelledExample, Learner};
use crate::telemetry::events::{
    ModelRolledBack, ModelSnapshotLoadFailed, ModelSnapshotSaved, TelemetryEvent,
};

use super::shadow::Shadow;
use super::store::ModelRegistry;
use super::topic::Publisher;
use super::version::{SaveReason, VersionInfo};

/// How often the active pointer is checked for a rollback.
const POLL_EVERY: Duration = Duration::from_secs(1);

/// Where and how often the engine snapshots its models.
#[derive(Debug, Clone)]
pub struct RegistrySettings {
    /// The registry (`STATE_DIR/models/`).
    pub registry: ModelRegistry,
    /// Interval of periodic snapshots (taken only if something was learned since the last).
    pub snapshot_every: Duration,
    /// Versions kept (0 keeps all).
    pub keep_versions: usize,
}

/// Snapshot schedule and rollback polling for one learner.
#[derive(Debug)]
pub struct RegistryHook {
    settings: RegistrySettings,
    current: Option<String>,
    /// The active pointer as last read: a save activates its version only if it still is.
    seen_active: Option<String>,
    last_save: Instant,
    last_poll: Instant,
    saved_samples: u64,
    shadow: Option<Shadow>,
    publisher: Option<Publisher>,
}

fn samples(learner: &Learner) -> u64 {
    let c = learner.counters();
    c.lead + c.response + c.persona + c.intervention
}

impl RegistryHook {
    /// A hook for a learner that was started from version `current` (`None`: cold start, which
    /// is saved at once as the `initial` version).
    pub fn new(settings: RegistrySettings, current: Option<String>, learner: &mut Learner) -> Self {
        let seen_active = settings.registry.active_id().ok().flatten();
        let mut hook = Self {
            settings,
            seen_active,
            current,
            last_save: Instant::now(),
            last_poll: Instant::now(),
            saved_samples: samples(learner),
            shadow: None,
            publisher: None,
        };
        if hook.current.is_none() {
            hook.save(learner, SaveReason::Initial);
        }
        hook
    }

    /// Publishes every version saved from now on (and every rollback applied) to the model
    /// topic through `publisher` (docs/models.md). The `initial` version of a cold start, holding
    /// untrained models, is not published.
    #[must_use]
    pub fn with_publisher(mut self, publisher: Publisher) -> Self {
        self.publisher = Some(publisher);
        self
    }

    fn publish(&self, version: &VersionInfo) {
        if let Some(p) = &self.publisher {
            p.publish(version);
        }
    }

    /// The version the learner last saved or loaded.
    pub fn current(&self) -> Option<&str> {
        self.current.as_deref()
    }

    /// Called often by the learner thread: applies a rollback when the active pointer moved,
    /// and takes the periodic snapshot when due. Returns whether the learner was replaced.
    pub fn tick(&mut self, learner: &mut Learner) -> bool {
        let mut replaced = false;
        if self.last_poll.elapsed() >= POLL_EVERY {
            replaced = self.poll(learner);
            replaced |= self.poll_shadow(learner);
        }
        if self.last_save.elapsed() >= self.settings.snapshot_every
            && samples(learner) != self.saved_samples
        {
            replaced |= self.save(learner, SaveReason::Periodic);
        }
        replaced
    }

    /// Applies the active version if another process (`models rollback`) changed it. Returns
    /// whether the learner was replaced.
    pub fn poll(&mut self, learner: &mut Learner) -> bool {
        self.last_poll = Instant::now();
        let registry = &self.settings.registry;
        let active = match registry.active_id() {
            Ok(Some(a)) => a,
            Ok(None) => {
                self.seen_active = None;
                return false;
            }
            Err(e) => {
                warn!(error = %e, "Cannot read the active model version.");
                return false;
            }
        };
        self.seen_active = Some(active.clone());
        if self.current.as_deref() == Some(active.as_str()) {
            return false;
        }
        match registry.load(&active).and_then(|state| {
            learner
                .replace_state(state)
                .map_err(|source| super::RegistryError::Incompatible {
                    id: active.clone(),
                    source,
                })
        }) {
            Ok(()) => {
                info!(version = %active, previous = ?self.current,
                    "Model version switched in the running engine (rollback).");
                ModelRolledBack.emit();
                if let Ok(info) = registry.info(&active) {
                    self.publish(&info);
                }
                self.current = Some(active);
                self.saved_samples = samples(learner);
                true
            }
            Err(e) => {
                warn!(version = %active, reason = e.reason(), error = %e,
                    "Active model version does not load; the running models are kept.");
                ModelSnapshotLoadFailed { reason: e.reason() }.emit();
                // Do not retry every second: the running version stays current.
                self.current = Some(active);
                false
            }
        }
    }

    /// The shadow candidate, if one runs.
    pub fn shadow(&self) -> Option<&Shadow> {
        self.shadow.as_ref()
    }

    /// Scores `example` on the shadow (if any) against `live`, and lets the shadow learn it.
    /// Call before `live` learns it.
    pub fn observe(&mut self, live: &Learner, example: &LabelledExample) {
        if let Some(shadow) = &mut self.shadow {
            shadow.observe(live, example);
        }
    }

    /// Follows the shadow pointer (loads, replaces or drops the shadow), and promotes the
    /// shadow when asked (`models promote`) or when it is significantly better. Returns whether
    /// the live learner was replaced.
    pub fn poll_shadow(&mut self, learner: &mut Learner) -> bool {
        let registry = &self.settings.registry;
        let wanted = registry.shadow_id().unwrap_or_else(|e| {
            warn!(error = %e, "Cannot read the shadow model version.");
            None
        });
        match (&wanted, self.shadow.as_ref().map(Shadow::id)) {
            (None, Some(_)) => {
                info!("Shadow model version dropped.");
                self.shadow = None;
            }
            (Some(id), current) if current != Some(id.as_str()) => {
                match registry.load(id).and_then(|state| {
                    learner
                        .sibling(state)
                        .map_err(|source| super::RegistryError::Incompatible {
                            id: id.clone(),
                            source,
                        })
                }) {
                    Ok(candidate) => {
                        info!(version = %id, "Shadow model version started beside the live one.");
                        self.shadow = Some(Shadow::new(id.clone(), candidate));
                    }
                    Err(e) => {
                        warn!(version = %id, reason = e.reason(), error = %e,
                            "Shadow model version does not load; no shadow runs.");
                        ModelSnapshotLoadFailed { reason: e.reason() }.emit();
                        let _ = registry.set_shadow(None);
                        self.shadow = None;
                    }
                }
            }
            _ => {}
        }
        let requested = registry.take_promotion_request();
        let better = self
            .shadow
            .as_ref()
            .is_some_and(Shadow::significantly_better);
        if (requested || better) && self.shadow.is_some() {
            return self.promote(learner, requested);
        }
        false
    }

    fn promote(&mut self, learner: &mut Learner, requested: bool) -> bool {
        let Some(shadow) = self.shadow.take() else {
            return false;
        };
        let (n, live_loss, shadow_loss) = shadow.score();
        let parent = shadow.id().to_owned();
        let state = shadow.into_learner().checkpoint();
        let s = &self.settings;
        // Conditional like every engine save: a rollback made since the last poll wins.
        let saved = s.registry.save_if_active(
            &state,
            SaveReason::ShadowPromotion,
            Some(parent.clone()),
            s.keep_versions,
            self.seen_active.as_deref(),
        );
        let _ = s.registry.set_shadow(None);
        match saved.and_then(|(v, activated)| {
            if !activated {
                return Err(super::RegistryError::Superseded { id: v.id });
            }
            learner.replace_state(state).map(|()| v).map_err(|source| {
                super::RegistryError::Incompatible {
                    id: parent.clone(),
                    source,
                }
            })
        }) {
            Ok(v) => {
                info!(version = %v.id, shadow = %parent, requested, labels = n, live_loss,
                    shadow_loss, "Shadow model version promoted.");
                ModelSnapshotSaved {
                    reason: SaveReason::ShadowPromotion.as_str(),
                }
                .emit();
                self.publish(&v);
                self.seen_active = Some(v.id.clone());
                self.current = Some(v.id);
                self.saved_samples = samples(learner);
                true
            }
            Err(e) => {
                warn!(shadow = %parent, error = %e, "Shadow model version not promoted.");
                false
            }
        }
    }

    /// Saves a snapshot now, after applying any pending rollback so it is not overwritten (then
    /// nothing is saved, and `true` is returned: the learner was replaced).
    pub fn save(&mut self, learner: &mut Learner, reason: SaveReason) -> bool {
        if reason != SaveReason::Initial && self.poll(learner) {
            return true;
        }
        self.last_save = Instant::now();
        let state = learner.checkpoint();
        let s = &self.settings;
        match s.registry.save_if_active(
            &state,
            reason,
            self.current.clone(),
            s.keep_versions,
            self.seen_active.as_deref(),
        ) {
            Ok((v, activated)) => {
                if activated {
                    self.seen_active = Some(v.id.clone());
                }
                info!(version = %v.id, reason = reason.as_str(), bytes = v.size_bytes,
                    samples = v.samples_seen, "Model snapshot saved.");
                ModelSnapshotSaved {
                    reason: reason.as_str(),
                }
                .emit();
                // A version that lost to a rollback is kept locally but not published.
                if reason != SaveReason::Initial && activated {
                    self.publish(&v);
                }
                self.current = Some(v.id);
                self.saved_samples = samples(learner);
            }
            Err(e) => warn!(reason = reason.as_str(), error = %e, "Model snapshot not saved."),
        }
        false
    }
}
