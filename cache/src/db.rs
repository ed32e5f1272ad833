//! Opening the cache: the folder, the database in WAL mode, and its schema.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::CacheError;

/// The schema version of `forge.db`; a database of another version is recreated (it is a cache).
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS actions (
    key TEXT PRIMARY KEY,
    node TEXT NOT NULL,
    output_digest TEXT NOT NULL,
    record TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS actions_node_idx ON actions(node);
CREATE TABLE IF NOT EXISTS blobs (
    digest TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS builds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    state_digest TEXT,
    summary TEXT NOT NULL
);
";

/// The cache of one project.
pub struct Cache {
    pub(crate) root: PathBuf,
    pub(crate) db: Connection,
}

impl Cache {
    /// Opens (creating when missing) the cache in `root`.
    pub fn open(root: &Path) -> Result<Cache, CacheError> {
        std::fs::create_dir_all(root.join("blobs")).map_err(|e| CacheError::io(root, e))?;
        let path = root.join("forge.db");
        let db = Connection::open(&path)?;
        db.busy_timeout(Duration::from_secs(30))?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "NORMAL")?;
        // A checkpoint on close costs several fsyncs on every build, even a no-op one. SQLite's
        // automatic checkpoints (every 1,000 WAL pages, during commits) keep the WAL bounded.
        db.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )?;
        let version: i64 = db.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version != SCHEMA_VERSION {
            db.execute_batch("DROP TABLE IF EXISTS actions; DROP TABLE IF EXISTS blobs; DROP TABLE IF EXISTS builds;")?;
        }
        db.execute_batch(SCHEMA)?;
        db.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(Cache {
            root: root.to_path_buf(),
            db,
        })
    }

    /// The cache folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Runs `f` in one transaction: everything it writes lands together or not at all.
    pub fn transaction<T>(
        &mut self,
        f: impl FnOnce(&Cache) -> Result<T, CacheError>,
    ) -> Result<T, CacheError> {
        self.db.execute_batch("BEGIN IMMEDIATE")?;
        match f(self) {
            Ok(value) => {
                self.db.execute_batch("COMMIT")?;
                Ok(value)
            }
            Err(err) => {
                let _ = self.db.execute_batch("ROLLBACK");
                Err(err)
            }
        }
    }
}

/// Seconds since the Unix epoch: for records only, never for keys.
pub(crate) fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
