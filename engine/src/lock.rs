//! One build at a time per project: an exclusive lock on `<cache>/lock`. A second build waits and
//! says so; two builds never interleave their writes.

use std::fs::{File, TryLockError};
use std::path::Path;

use crate::error::EngineError;

/// Held for the length of a build; released when dropped (or when the process dies).
pub struct ProjectLock {
    _file: File,
}

/// Takes the lock, calling `waiting` once if another build holds it.
pub fn acquire(cache_dir: &Path, waiting: &dyn Fn()) -> Result<ProjectLock, EngineError> {
    std::fs::create_dir_all(cache_dir).map_err(|e| EngineError::io(cache_dir, e))?;
    let path = cache_dir.join("lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| EngineError::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            waiting();
            file.lock().map_err(|e| EngineError::io(&path, e))?;
        }
        Err(TryLockError::Error(e)) => return Err(EngineError::io(&path, e)),
    }
    Ok(ProjectLock { _file: file })
}
