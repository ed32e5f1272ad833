//! The cache's error type.

use std::path::PathBuf;

/// A failure of the cache: an I/O error on a named path, or a database error.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cache I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cache database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("corrupt cache record for {what}: {source}")]
    Corrupt {
        what: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("blob {digest} is corrupt: its content does not hash to its name")]
    CorruptBlob { digest: String },
}

impl CacheError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CacheError::Io {
            path: path.into(),
            source,
        }
    }
}
