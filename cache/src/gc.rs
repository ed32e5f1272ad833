//! Statistics and garbage collection. `gc` keeps what the most recent builds can reach (their state
//! blobs, the actions their states name, and the blobs those actions name) and deletes the rest.

use std::collections::HashSet;

use crate::{Cache, CacheError};

/// What the cache holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub actions: u64,
    pub blobs: u64,
    pub blob_bytes: u64,
    pub builds: u64,
    /// Size of the database files (db + WAL).
    pub db_bytes: u64,
}

/// What `gc` removed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct GcReport {
    pub actions_removed: u64,
    pub blobs_removed: u64,
    pub bytes_freed: u64,
    pub builds_removed: u64,
}

impl Cache {
    /// Counts and sizes.
    pub fn stats(&self) -> Result<Stats, CacheError> {
        let count = |sql: &str| -> Result<u64, CacheError> {
            Ok(self.db.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        let mut stats = Stats {
            actions: count("SELECT count(*) FROM actions")?,
            blobs: count("SELECT count(*) FROM blobs")?,
            blob_bytes: count("SELECT coalesce(sum(length(data)), 0) FROM blobs")?,
            builds: count("SELECT count(*) FROM builds")?,
            db_bytes: 0,
        };
        for (_, size) in self.blob_files()? {
            stats.blobs += 1;
            stats.blob_bytes += size;
        }
        for name in ["forge.db", "forge.db-wal"] {
            stats.db_bytes += std::fs::metadata(self.root.join(name))
                .map(|m| m.len())
                .unwrap_or(0);
        }
        Ok(stats)
    }

    /// Deletes every build but the newest `keep_builds`, and every action and blob they cannot
    /// reach. `reachable` is given the state blobs of the kept builds and returns the action keys
    /// and blob digests they reference (the cache does not know the engine's state format).
    pub fn gc(
        &mut self,
        keep_builds: usize,
        reachable: impl Fn(&[u8]) -> Result<(Vec<String>, Vec<String>), CacheError>,
    ) -> Result<GcReport, CacheError> {
        let kept = self.recent_builds(keep_builds)?;
        let mut keys = HashSet::new();
        let mut blobs = HashSet::new();
        for build in &kept {
            if let Some(state) = &build.state_digest {
                blobs.insert(state.clone());
                if let Some(bytes) = self.get_blob(state)? {
                    let (k, b) = reachable(&bytes)?;
                    keys.extend(k);
                    blobs.extend(b);
                }
            }
        }
        let mut report = GcReport::default();
        let oldest_kept = kept.last().map(|b| b.id).unwrap_or(i64::MAX);
        self.transaction(|cache| {
            report.builds_removed = cache
                .db
                .execute("DELETE FROM builds WHERE id < ?1", [oldest_kept])?
                as u64;
            let all_keys: Vec<String> = cache
                .db
                .prepare("SELECT key FROM actions")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for key in all_keys.iter().filter(|k| !keys.contains(*k)) {
                cache
                    .db
                    .execute("DELETE FROM actions WHERE key = ?1", [key])?;
                report.actions_removed += 1;
            }
            let inline: Vec<(String, i64)> = cache
                .db
                .prepare("SELECT digest, length(data) FROM blobs")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            for (digest, size) in inline.iter().filter(|(d, _)| !blobs.contains(d)) {
                cache
                    .db
                    .execute("DELETE FROM blobs WHERE digest = ?1", [digest])?;
                report.blobs_removed += 1;
                report.bytes_freed += *size as u64;
            }
            Ok(())
        })?;
        for (digest, size) in self.blob_files()? {
            if !blobs.contains(&digest) {
                let path = self.blob_path(&digest);
                std::fs::remove_file(&path).map_err(|e| CacheError::io(path, e))?;
                report.blobs_removed += 1;
                report.bytes_freed += size;
            }
        }
        self.db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        Ok(report)
    }

    /// Every blob file as (digest, size).
    fn blob_files(&self) -> Result<Vec<(String, u64)>, CacheError> {
        let mut out = Vec::new();
        let root = self.root.join("blobs");
        let heads = std::fs::read_dir(&root).map_err(|e| CacheError::io(&root, e))?;
        for head in heads {
            let head = head.map_err(|e| CacheError::io(&root, e))?;
            let head_name = head.file_name().to_string_lossy().into_owned();
            let Ok(entries) = std::fs::read_dir(head.path()) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with(".forge-tmp-") {
                    continue;
                }
                let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                out.push((format!("{head_name}{name}"), size));
            }
        }
        out.sort();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Cache, CacheError};

    #[test]
    fn gc_keeps_what_recent_builds_reach() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::open(dir.path()).unwrap();
        let kept_blob = cache.put_blob(&b"k".repeat(20_000)).unwrap();
        let dropped_blob = cache.put_blob(&b"d".repeat(20_000)).unwrap();
        cache.put_action("keep", "n", "x", "{}").unwrap();
        cache.put_action("drop", "n", "x", "{}").unwrap();
        let state = cache
            .put_blob(format!("keep {kept_blob}").as_bytes())
            .unwrap();
        cache.record_build(1, true, Some(&state), "{}").unwrap();
        let report = cache
            .gc(1, |bytes| {
                let text = String::from_utf8_lossy(bytes).into_owned();
                let mut parts = text.split(' ');
                let key = parts.next().unwrap().to_string();
                let blob = parts.next().unwrap().to_string();
                Ok::<_, CacheError>((vec![key], vec![blob]))
            })
            .unwrap();
        assert_eq!(report.actions_removed, 1);
        assert_eq!(report.blobs_removed, 1);
        assert!(cache.get_action("keep").unwrap().is_some());
        assert!(cache.get_blob(&kept_blob).unwrap().is_some());
        assert!(cache.get_blob(&dropped_blob).unwrap().is_none());
        assert!(cache.get_blob(&state).unwrap().is_some());
    }
}
