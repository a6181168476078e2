//! Crash-safe file writes: write a temporary file, fsync it, then rename (or hard-link) it into
//! place and fsync the directory, so a reader sees the old file or the new one, never a torn one.
//!
//! What it is for: every file the registry writes. What it is not: locking between writers
//! (version ids are claimed with a hard link, which fails if the name exists).

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::RegistryError;

/// Temporary files written so far by this process: two writers in one process (the engine's
/// learner thread and a rollback, or the model topic's import) never share a temporary file.
static STAGED: AtomicU64 = AtomicU64::new(0);

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let seq = STAGED.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}.{seq}.tmp", std::process::id()))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), RegistryError> {
    let mut f = File::create(path).map_err(|e| RegistryError::io("creating", path, e))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| RegistryError::io("writing", path, e))
}

fn sync_dir(path: &Path) {
    // Best effort: some filesystems refuse fsync on a directory; the rename is still atomic.
    if let Some(dir) = path.parent() {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

/// Replaces `path` with `bytes` atomically.
pub(super) fn replace(path: &Path, bytes: &[u8]) -> Result<(), RegistryError> {
    let tmp = stage(path, bytes)?;
    publish(&tmp, path)
}

/// Writes `bytes` to a synced temporary file beside `path`, returned for [`publish`].
pub(super) fn stage(path: &Path, bytes: &[u8]) -> Result<PathBuf, RegistryError> {
    let tmp = temp_path(path);
    write_synced(&tmp, bytes)?;
    Ok(tmp)
}

/// Renames a staged file to `path` atomically.
pub(super) fn publish(tmp: &Path, path: &Path) -> Result<(), RegistryError> {
    fs::rename(tmp, path).map_err(|e| {
        let _ = fs::remove_file(tmp);
        RegistryError::io("renaming into", path, e)
    })?;
    sync_dir(path);
    Ok(())
}

/// Creates `path` with `bytes` atomically; `Ok(false)` if `path` already exists.
pub(super) fn create_new(path: &Path, bytes: &[u8]) -> Result<bool, RegistryError> {
    let tmp = temp_path(path);
    write_synced(&tmp, bytes)?;
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => {
            sync_dir(path);
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(RegistryError::io("linking", path, e)),
    }
}
