//! Action records: what a node produced for a key. The record's body is the engine's JSON; the
//! cache only indexes it by key and node.

use rusqlite::OptionalExtension;

use crate::db::now_secs;
use crate::{Cache, CacheError};

/// One executed node's result, stored under its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionRecord {
    /// The node's cache key (blake3 hex).
    pub key: String,
    /// The node id (`gen:sql/postgres`), for listing and `--why-rebuilt`.
    pub node: String,
    /// The digest of what the node produced; equal digests stop the rebuild wave.
    pub output_digest: String,
    /// The engine's record (JSON): outputs, key inputs, timings.
    pub record: String,
    /// When the action ran (seconds since the epoch); set by the cache.
    pub created_at: i64,
}

impl Cache {
    /// Stores an action. Storing a key twice keeps the first record (a key names one result).
    pub fn put_action(
        &self,
        key: &str,
        node: &str,
        output_digest: &str,
        record: &str,
    ) -> Result<(), CacheError> {
        let now = now_secs();
        self.db
            .prepare_cached(
                "INSERT INTO actions (key, node, output_digest, record, created_at, last_used)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                 ON CONFLICT(key) DO UPDATE SET last_used = excluded.last_used",
            )?
            .execute(rusqlite::params![key, node, output_digest, record, now])?;
        Ok(())
    }

    /// The action stored under `key`.
    pub fn get_action(&self, key: &str) -> Result<Option<ActionRecord>, CacheError> {
        Ok(self
            .db
            .prepare_cached(
                "SELECT key, node, output_digest, record, created_at FROM actions WHERE key = ?1",
            )?
            .query_row([key], |r| {
                Ok(ActionRecord {
                    key: r.get(0)?,
                    node: r.get(1)?,
                    output_digest: r.get(2)?,
                    record: r.get(3)?,
                    created_at: r.get(4)?,
                })
            })
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::Cache;

    #[test]
    fn actions_are_found_by_key_and_first_write_wins() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path()).unwrap();
        cache.put_action("k1", "validate", "d1", "{}").unwrap();
        cache
            .put_action("k1", "validate", "d2", "{\"x\":1}")
            .unwrap();
        let got = cache.get_action("k1").unwrap().unwrap();
        assert_eq!(got.output_digest, "d1");
        assert!(cache.get_action("k2").unwrap().is_none());
    }
}
