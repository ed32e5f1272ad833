//! The content-addressed blob store. Small blobs live in the database (one file each would cost
//! more than the blob), larger ones in `blobs/ab/cdef...`.

use std::path::PathBuf;

use rusqlite::OptionalExtension;

use crate::{Cache, CacheError, atomic_write, digest_bytes};

/// Blobs smaller than this are kept in the database.
const INLINE_LIMIT: usize = 16 * 1024;

impl Cache {
    /// Stores `bytes` and returns their digest; storing the same bytes twice is free.
    pub fn put_blob(&self, bytes: &[u8]) -> Result<String, CacheError> {
        let digest = digest_bytes(bytes);
        self.put_hashed_blob(&digest, bytes)?;
        Ok(digest)
    }

    /// Stores `bytes` under `digest`, which the caller computed with [`digest_bytes`] (a build
    /// hashes what it produces once, to name it, and does not pay for it again here).
    pub fn put_hashed_blob(&self, digest: &str, bytes: &[u8]) -> Result<(), CacheError> {
        debug_assert_eq!(
            digest,
            digest_bytes(bytes),
            "a blob stored under another digest"
        );
        if bytes.len() < INLINE_LIMIT {
            self.db
                .prepare_cached("INSERT OR IGNORE INTO blobs (digest, data) VALUES (?1, ?2)")?
                .execute(rusqlite::params![digest, bytes])?;
        } else {
            let path = self.blob_path(digest);
            if !path.exists() {
                atomic_write(&path, bytes)?;
            }
        }
        Ok(())
    }

    /// The bytes of blob `digest`, if the cache holds it. A blob whose content does not match its
    /// digest is an error, never silently returned.
    pub fn get_blob(&self, digest: &str) -> Result<Option<Vec<u8>>, CacheError> {
        let inline: Option<Vec<u8>> = self
            .db
            .prepare_cached("SELECT data FROM blobs WHERE digest = ?1")?
            .query_row([digest], |r| r.get(0))
            .optional()?;
        let bytes = match inline {
            Some(bytes) => bytes,
            None => {
                let path = self.blob_path(digest);
                match std::fs::read(&path) {
                    Ok(bytes) => bytes,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                    Err(e) => return Err(CacheError::io(path, e)),
                }
            }
        };
        if digest_bytes(&bytes) != digest {
            return Err(CacheError::CorruptBlob {
                digest: digest.to_string(),
            });
        }
        Ok(Some(bytes))
    }

    /// True when the cache holds blob `digest`.
    pub fn has_blob(&self, digest: &str) -> Result<bool, CacheError> {
        let inline: Option<i64> = self
            .db
            .prepare_cached("SELECT 1 FROM blobs WHERE digest = ?1")?
            .query_row([digest], |r| r.get(0))
            .optional()?;
        Ok(inline.is_some() || self.blob_path(digest).exists())
    }

    pub(crate) fn blob_path(&self, digest: &str) -> PathBuf {
        let (head, tail) = digest.split_at(2.min(digest.len()));
        self.root.join("blobs").join(head).join(tail)
    }
}

#[cfg(test)]
mod tests {
    use crate::Cache;

    #[test]
    fn small_and_large_blobs_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path()).unwrap();
        let small = b"x".repeat(10);
        let large = b"y".repeat(100_000);
        let ds = cache.put_blob(&small).unwrap();
        let dl = cache.put_blob(&large).unwrap();
        assert_eq!(cache.get_blob(&ds).unwrap().unwrap(), small);
        assert_eq!(cache.get_blob(&dl).unwrap().unwrap(), large);
        assert!(cache.blob_path(&dl).exists());
        assert!(cache.get_blob(&"0".repeat(64)).unwrap().is_none());
    }

    #[test]
    fn a_tampered_blob_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path()).unwrap();
        let digest = cache.put_blob(&b"z".repeat(50_000)).unwrap();
        std::fs::write(cache.blob_path(&digest), b"tampered").unwrap();
        assert!(cache.get_blob(&digest).is_err());
    }
}
