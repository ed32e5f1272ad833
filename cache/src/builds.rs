//! Build records: one row per `forge build`, with its summary and the digest of the build state
//! (the blob mapping every node to its key and outputs), so the next build and `forge explain`
//! start from it.

use rusqlite::OptionalExtension;

use crate::db::now_secs;
use crate::{Cache, CacheError};

/// One recorded build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildRow {
    pub id: i64,
    /// Seconds since the epoch.
    pub started_at: i64,
    pub duration_ms: i64,
    pub ok: bool,
    /// Digest of the state blob, when the build got far enough to have one.
    pub state_digest: Option<String>,
    /// The engine's summary (JSON).
    pub summary: String,
}

impl Cache {
    /// Records a finished build and returns its id.
    pub fn record_build(
        &self,
        duration_ms: i64,
        ok: bool,
        state_digest: Option<&str>,
        summary: &str,
    ) -> Result<i64, CacheError> {
        self.db
            .prepare_cached(
                "INSERT INTO builds (started_at, duration_ms, ok, state_digest, summary) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(rusqlite::params![now_secs(), duration_ms, ok, state_digest, summary])?;
        Ok(self.db.last_insert_rowid())
    }

    /// The most recent build that recorded a state (successful or not), if any.
    pub fn last_build_with_state(&self) -> Result<Option<BuildRow>, CacheError> {
        self.build_where("state_digest IS NOT NULL ORDER BY id DESC LIMIT 1", [])
    }

    /// The builds, newest first, at most `limit`.
    pub fn recent_builds(&self, limit: usize) -> Result<Vec<BuildRow>, CacheError> {
        let mut stmt = self.db.prepare_cached(
            "SELECT id, started_at, duration_ms, ok, state_digest, summary FROM builds ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], row_to_build)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn build_where<P: rusqlite::Params>(
        &self,
        clause: &str,
        params: P,
    ) -> Result<Option<BuildRow>, CacheError> {
        let sql = format!(
            "SELECT id, started_at, duration_ms, ok, state_digest, summary FROM builds WHERE {clause}"
        );
        Ok(self
            .db
            .prepare_cached(&sql)?
            .query_row(params, row_to_build)
            .optional()?)
    }
}

fn row_to_build(r: &rusqlite::Row<'_>) -> rusqlite::Result<BuildRow> {
    Ok(BuildRow {
        id: r.get(0)?,
        started_at: r.get(1)?,
        duration_ms: r.get(2)?,
        ok: r.get(3)?,
        state_digest: r.get(4)?,
        summary: r.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use crate::Cache;

    #[test]
    fn the_last_build_with_a_state_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path()).unwrap();
        assert!(cache.last_build_with_state().unwrap().is_none());
        cache.record_build(5, true, Some("s1"), "{}").unwrap();
        cache.record_build(6, false, None, "{}").unwrap();
        let last = cache.last_build_with_state().unwrap().unwrap();
        assert_eq!(last.state_digest.as_deref(), Some("s1"));
        assert_eq!(cache.recent_builds(10).unwrap().len(), 2);
    }
}
