//! Atomic file writes: a temporary file in the target's folder, then renamed over the target, so
//! a reader (or a build killed half-way) sees the old content or the new, never a torn file.
//!
//! The data is not forced to disk (no fsync): a rename is atomic with respect to any process,
//! including a killed build, and that is the guarantee forge makes. Against a power loss the
//! out folder is rebuilt from the cache, and the cache is safe to delete; an fsync per file would
//! cost milliseconds each on most disks, which a build of a thousand files cannot pay.

use std::io::Write;
use std::path::Path;

use crate::CacheError;

/// Writes `bytes` to `path` atomically, creating parent folders as needed.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), CacheError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| CacheError::io(dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".forge-tmp-")
        .tempfile_in(dir)
        .map_err(|e| CacheError::io(dir, e))?;
    tmp.write_all(bytes)
        .map_err(|e| CacheError::io(tmp.path(), e))?;
    tmp.persist(path)
        .map_err(|e| CacheError::io(path, e.error))?;
    Ok(())
}

/// blake3 of `bytes`, as 64 hex characters.
pub fn digest_bytes(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}
