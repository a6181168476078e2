//! [`ModelRegistry`]: the versions in one directory, the active pointer, saving, loading with
//! fallback, rollback, export, import and retention.
//!
//! What it is for: every operation the engine and `leadstream models` perform on the registry.
//! Files: `vNNNNNN.snap` (the persist envelope of a [`LearnerState`]), `vNNNNNN.json` (its
//! [`VersionInfo`]), `ACTIVE` (the active id, changed under `LOCK`). The JSON file claims the id
//! before the snapshot is renamed into place, so either file alone is an unfinished write and
//! is ignored.
//! What it is not: the engine's schedule of snapshots (see [`super::RegistryHook`]).

use std::fs;
use std::path::{Path, PathBuf};

use tracing::warn;

use crate::decide::{DecideConfig, Learner, LearnerState};
use crate::persist::{decode, encode, PayloadKind};
use crate::telemetry::events::{ModelSnapshotLoadFailed, TelemetryEvent};

use super::atomic;
use super::error::RegistryError;
use super::version::{SaveReason, VersionInfo};

const ACTIVE: &str = "ACTIVE";
const SHADOW: &str = "SHADOW";
const PROMOTE: &str = "PROMOTE";
const INSTANCE: &str = "INSTANCE";
const LOCK: &str = "LOCK";
/// Attempts at claiming a fresh id when another writer takes the same one.
const CLAIM_ATTEMPTS: u32 = 16;

/// A registry of model versions in one directory.
#[derive(Debug, Clone)]
pub struct ModelRegistry {
    dir: PathBuf,
}

/// A version loaded for use, and the newer versions skipped because they did not load.
#[derive(Debug)]
pub struct Loaded {
    /// The version loaded.
    pub info: VersionInfo,
    /// Versions tried first that failed, with why.
    pub skipped: Vec<(String, RegistryError)>,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl ModelRegistry {
    /// The registry in `dir`, created if missing.
    ///
    /// # Errors
    /// [`RegistryError::Io`] if the directory cannot be created.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Self, RegistryError> {
        let dir = dir.into();
        fs::create_dir_all(&dir).map_err(|e| RegistryError::io("creating", &dir, e))?;
        Ok(Self { dir })
    }

    /// The registry of a state directory: `state_dir/models/`.
    ///
    /// # Errors
    /// As [`open`](Self::open).
    pub fn in_state_dir(state_dir: &Path) -> Result<Self, RegistryError> {
        Self::open(state_dir.join("models"))
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn snap_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.snap"))
    }

    fn meta_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    /// Every version with readable metadata, oldest first.
    ///
    /// # Errors
    /// [`RegistryError::Io`] if the directory cannot be read. Unreadable metadata files are
    /// skipped with a warning.
    pub fn list(&self) -> Result<Vec<VersionInfo>, RegistryError> {
        let entries =
            fs::read_dir(&self.dir).map_err(|e| RegistryError::io("listing", &self.dir, e))?;
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(id) = name.strip_suffix(".json") else {
                continue;
            };
            if !id.starts_with('v') {
                continue;
            }
            // Metadata without its snapshot: a save cut short (the metadata claims the id
            // first), not a version.
            if !self.snap_path(id).exists() {
                continue;
            }
            match self.info(id) {
                Ok(info) => out.push(info),
                Err(e) => {
                    warn!(version = id, error = %e, "Model version metadata unreadable; skipped.")
                }
            }
        }
        out.sort_by_key(|v| v.number);
        Ok(out)
    }

    /// One version's metadata.
    ///
    /// # Errors
    /// [`RegistryError::NotFound`] or [`RegistryError::Metadata`].
    pub fn info(&self, id: &str) -> Result<VersionInfo, RegistryError> {
        let path = self.meta_path(id);
        let text = fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RegistryError::NotFound(id.to_owned()),
            _ => RegistryError::io("reading", &path, e),
        })?;
        serde_json::from_slice(&text).map_err(|source| RegistryError::Metadata { path, source })
    }

    /// The active version's id, if one was set.
    ///
    /// # Errors
    /// [`RegistryError::Io`] if the pointer exists but cannot be read.
    pub fn active_id(&self) -> Result<Option<String>, RegistryError> {
        let path = self.dir.join(ACTIVE);
        match fs::read_to_string(&path) {
            Ok(s) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(RegistryError::io("reading", &path, e)),
        }
    }

    /// Makes `id` the active version (what a start loads and a running engine switches to).
    ///
    /// # Errors
    /// [`RegistryError::NotFound`] if there is no such version; IO errors.
    pub fn set_active(&self, id: &str) -> Result<(), RegistryError> {
        self.info(id)?;
        self.switch_active(id, None).map(|_| ())
    }

    /// The version to run in shadow mode, if one was set.
    ///
    /// # Errors
    /// [`RegistryError::Io`] if the pointer exists but cannot be read.
    pub fn shadow_id(&self) -> Result<Option<String>, RegistryError> {
        let path = self.dir.join(SHADOW);
        match fs::read_to_string(&path) {
            Ok(s) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(RegistryError::io("reading", &path, e)),
        }
    }

    /// Sets (`Some`) or clears (`None`) the version a running engine scores in shadow mode.
    ///
    /// # Errors
    /// [`RegistryError::NotFound`] for an unknown version; IO errors.
    pub fn set_shadow(&self, id: Option<&str>) -> Result<(), RegistryError> {
        let path = self.dir.join(SHADOW);
        match id {
            Some(id) => {
                self.load(id)?;
                atomic::replace(&path, format!("{id}\n").as_bytes())
            }
            None => match fs::remove_file(&path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(RegistryError::io("deleting", &path, e)),
            },
        }
    }

    /// Asks a running engine to promote its shadow now (`models promote`).
    ///
    /// # Errors
    /// IO errors.
    pub fn request_promotion(&self) -> Result<(), RegistryError> {
        atomic::replace(&self.dir.join(PROMOTE), b"promote\n")
    }

    /// Whether a promotion was requested; consumes the request.
    pub fn take_promotion_request(&self) -> bool {
        fs::remove_file(self.dir.join(PROMOTE)).is_ok()
    }

    /// Saves `state` as a new version continuing from `parent`, makes it active and prunes to
    /// `keep` versions (0 keeps all).
    ///
    /// # Errors
    /// Encoding or IO errors; the previous active version stays active.
    pub fn save(
        &self,
        state: &LearnerState,
        reason: SaveReason,
        parent: Option<String>,
        keep: usize,
    ) -> Result<VersionInfo, RegistryError> {
        let expected = self.active_id()?;
        self.save_if_active(state, reason, parent, keep, expected.as_deref())
            .map(|(info, _)| info)
    }

    /// Saves `state` as a new version continuing from `parent` and makes it active only if the
    /// active pointer still names `expected` (what the caller last saw): a `models rollback`
    /// made meanwhile by another process or thread wins, and the caller applies it at its next
    /// poll. The compare and the switch happen under the registry's lock. Prunes to `keep`
    /// versions (0 keeps all). Returns the version and whether it was activated.
    ///
    /// # Errors
    /// Encoding or IO errors; the previous active version stays active.
    pub fn save_if_active(
        &self,
        state: &LearnerState,
        reason: SaveReason,
        parent: Option<String>,
        keep: usize,
        expected: Option<&str>,
    ) -> Result<(VersionInfo, bool), RegistryError> {
        let bytes =
            encode(PayloadKind::ModelSet, state).map_err(|source| RegistryError::Envelope {
                id: "new".to_owned(),
                source,
            })?;
        let info = self.add(&bytes, state, reason, parent, now_ms())?;
        let activated = self.switch_active(&info.id, Some(expected))?;
        if !activated {
            warn!(version = %info.id, "Active model version changed while saving (rollback); the new version is kept but not activated.");
        }
        self.prune(keep)?;
        Ok((info, activated))
    }

    /// Points `ACTIVE` at `id`. With `expected = Some(e)`, only if the pointer still names `e`
    /// (`Some(None)`: no pointer yet), read under the lock so two writers never both win.
    /// Returns whether it was switched.
    fn switch_active(
        &self,
        id: &str,
        expected: Option<Option<&str>>,
    ) -> Result<bool, RegistryError> {
        let path = self.dir.join(ACTIVE);
        // The slow part (writing and syncing the new pointer) is done before taking the lock.
        let staged = atomic::stage(&path, format!("{id}\n").as_bytes())?;
        let _lock = match self.lock() {
            Ok(lock) => lock,
            Err(e) => {
                let _ = fs::remove_file(&staged);
                return Err(e);
            }
        };
        if let Some(expected) = expected {
            let unchanged = self
                .active_id()
                .map(|current| current.as_deref() == expected);
            if unchanged.as_ref().map_or(true, |same| !same) {
                let _ = fs::remove_file(&staged);
                return unchanged;
            }
        }
        atomic::publish(&staged, &path)?;
        Ok(true)
    }

    /// The registry's lock (held until dropped): serializes changes of the active pointer
    /// between processes (the engine and `leadstream models`) and threads.
    fn lock(&self) -> Result<fs::File, RegistryError> {
        let path = self.dir.join(LOCK);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| RegistryError::io("opening", &path, e))?;
        file.lock()
            .map_err(|e| RegistryError::io("locking", &path, e))?;
        Ok(file)
    }

    fn add(
        &self,
        bytes: &[u8],
        state: &LearnerState,
        reason: SaveReason,
        parent: Option<String>,
        created_at_ms: i64,
    ) -> Result<VersionInfo, RegistryError> {
        let first = self.list()?.last().map_or(1, |v| v.number + 1);
        for number in first..first + u64::from(CLAIM_ATTEMPTS) {
            let info =
                VersionInfo::describe(number, parent.clone(), created_at_ms, reason, state, bytes);
            // The snapshot is staged first and renamed into place only once the metadata
            // claimed the id, so a writer that loses the race never overwrites another's file.
            let snap = self.snap_path(&info.id);
            let staged = atomic::stage(&snap, bytes)?;
            let meta =
                serde_json::to_vec_pretty(&info).map_err(|source| RegistryError::Metadata {
                    path: self.meta_path(&info.id),
                    source,
                })?;
            match atomic::create_new(&self.meta_path(&info.id), &meta) {
                Ok(true) => {
                    atomic::publish(&staged, &snap)?;
                    return Ok(info);
                }
                Ok(false) => {
                    let _ = fs::remove_file(&staged);
                }
                Err(e) => {
                    let _ = fs::remove_file(&staged);
                    return Err(e);
                }
            }
        }
        Err(RegistryError::Contention(self.dir.clone()))
    }

    /// The verified snapshot bytes of a version.
    ///
    /// # Errors
    /// [`RegistryError::NotFound`], IO errors, or [`RegistryError::Corrupted`] when the file's
    /// CRC-32 differs from the recorded one.
    pub fn snapshot_bytes(&self, id: &str) -> Result<Vec<u8>, RegistryError> {
        let info = self.info(id)?;
        let path = self.snap_path(id);
        let bytes = fs::read(&path).map_err(|e| RegistryError::io("reading", &path, e))?;
        let found = crc32fast::hash(&bytes);
        if found != info.checksum {
            return Err(RegistryError::Corrupted {
                id: id.to_owned(),
                expected: info.checksum,
                found,
            });
        }
        Ok(bytes)
    }

    /// Loads a version's learner state.
    ///
    /// # Errors
    /// As [`snapshot_bytes`](Self::snapshot_bytes), or [`RegistryError::Envelope`] when the
    /// snapshot does not decode (wrong schema version, bad payload).
    pub fn load(&self, id: &str) -> Result<LearnerState, RegistryError> {
        let bytes = self.snapshot_bytes(id)?;
        decode(PayloadKind::ModelSet, &bytes).map_err(|source| RegistryError::Envelope {
            id: id.to_owned(),
            source,
        })
    }

    /// Loads the active version and restores a learner under `config`; when that fails
    /// (corrupted, incompatible, missing), logs it, counts it, and tries the older versions,
    /// newest first. `Ok(None)` when no version loads (or there are none).
    ///
    /// # Errors
    /// [`RegistryError::Io`] if the directory cannot be listed.
    pub fn load_learner(
        &self,
        config: &DecideConfig,
    ) -> Result<Option<(Learner, crate::decide::ModelReader, Loaded)>, RegistryError> {
        let active = self.active_id()?;
        let mut order: Vec<String> = self.list()?.into_iter().rev().map(|v| v.id).collect();
        if let Some(a) = &active {
            order.retain(|id| id != a);
            order.insert(0, a.clone());
        }
        let mut skipped = Vec::new();
        for id in order {
            let result = self.load(&id).and_then(|state| {
                let info = self.info(&id)?;
                Learner::restore(config, state)
                    .map(|(l, r)| (l, r, info))
                    .map_err(|source| RegistryError::Incompatible {
                        id: id.clone(),
                        source,
                    })
            });
            match result {
                Ok((learner, reader, info)) => {
                    return Ok(Some((learner, reader, Loaded { info, skipped })))
                }
                Err(e) => {
                    warn!(version = %id, reason = e.reason(), error = %e,
                        "Model snapshot does not load; falling back to an older version.");
                    ModelSnapshotLoadFailed { reason: e.reason() }.emit();
                    skipped.push((id, e));
                }
            }
        }
        Ok(None)
    }

    /// Makes a copy of version `id` the active version (reason rollback, parent `id`); a
    /// running engine switches to it within a second.
    ///
    /// # Errors
    /// When `id` does not exist or does not load; nothing changes then.
    pub fn rollback(&self, id: &str, keep: usize) -> Result<VersionInfo, RegistryError> {
        let state = self.load(id)?;
        let bytes = self.snapshot_bytes(id)?;
        let info = self.add(
            &bytes,
            &state,
            SaveReason::Rollback,
            Some(id.to_owned()),
            now_ms(),
        )?;
        self.set_active(&info.id)?;
        self.prune(keep)?;
        Ok(info)
    }

    /// Writes version `id`'s snapshot (verified) to `path`.
    ///
    /// # Errors
    /// When `id` does not exist, is corrupted, or `path` cannot be written.
    pub fn export(&self, id: &str, path: &Path) -> Result<u64, RegistryError> {
        let bytes = self.snapshot_bytes(id)?;
        atomic::replace(path, &bytes)?;
        Ok(bytes.len() as u64)
    }

    /// Adds the snapshot in `path` as a new version (reason import), without activating it.
    ///
    /// # Errors
    /// When the file cannot be read or does not decode as a learner state.
    pub fn import(&self, path: &Path) -> Result<VersionInfo, RegistryError> {
        let bytes = fs::read(path).map_err(|e| RegistryError::io("reading", path, e))?;
        let state: LearnerState =
            decode(PayloadKind::ModelSet, &bytes).map_err(|source| RegistryError::Envelope {
                id: path.display().to_string(),
                source,
            })?;
        self.add(&bytes, &state, SaveReason::Import, None, now_ms())
    }

    /// Adds a snapshot read from the model topic as a new version (reason `topic_import`,
    /// parent `origin`, the publisher's creation time), makes it active and prunes to `keep`.
    ///
    /// # Errors
    /// [`RegistryError::Envelope`] when `bytes` do not decode as a learner state,
    /// [`RegistryError::Incompatible`] when it does not fit this build; IO errors.
    pub fn import_published(
        &self,
        bytes: &[u8],
        origin: &str,
        created_at_ms: i64,
        keep: usize,
    ) -> Result<VersionInfo, RegistryError> {
        let state: LearnerState =
            decode(PayloadKind::ModelSet, bytes).map_err(|source| RegistryError::Envelope {
                id: origin.to_owned(),
                source,
            })?;
        // A publication from a build with other model shapes decodes but cannot run here: it
        // must not become the active version.
        state
            .check_shapes()
            .map_err(|source| RegistryError::Incompatible {
                id: origin.to_owned(),
                source,
            })?;
        let info = self.add(
            bytes,
            &state,
            SaveReason::TopicImport,
            Some(origin.to_owned()),
            created_at_ms,
        )?;
        self.set_active(&info.id)?;
        self.prune(keep)?;
        Ok(info)
    }

    /// This registry's instance id (16 hex digits in `INSTANCE`, created on first use): the
    /// prefix of its records in the model topic, stable across restarts of the directory.
    ///
    /// # Errors
    /// IO errors reading or creating the file.
    pub fn instance_id(&self) -> Result<String, RegistryError> {
        let path = self.dir.join(INSTANCE);
        for _ in 0..2 {
            match fs::read_to_string(&path) {
                Ok(s) if !s.trim().is_empty() => return Ok(s.trim().to_owned()),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(RegistryError::io("reading", &path, e)),
            }
            let id = format!("{:016x}", rand::random::<u64>());
            atomic::create_new(&path, format!("{id}\n").as_bytes())?;
        }
        Err(RegistryError::Contention(self.dir.clone()))
    }

    /// Deletes the oldest versions beyond the newest `keep` (0 keeps all); the active version
    /// is never deleted. Returns how many were deleted.
    ///
    /// # Errors
    /// IO errors listing or deleting.
    pub fn prune(&self, keep: usize) -> Result<usize, RegistryError> {
        if keep == 0 {
            return Ok(0);
        }
        let versions = self.list()?;
        let active = self.active_id()?;
        let excess = versions.len().saturating_sub(keep);
        let mut deleted = 0;
        for v in versions.iter().take(excess) {
            if active.as_deref() == Some(v.id.as_str()) {
                continue;
            }
            // Metadata first: without it the snapshot is an ignored leftover.
            let meta = self.meta_path(&v.id);
            fs::remove_file(&meta).map_err(|e| RegistryError::io("deleting", &meta, e))?;
            let _ = fs::remove_file(self.snap_path(&v.id));
            deleted += 1;
        }
        Ok(deleted)
    }
}
