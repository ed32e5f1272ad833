//! Where a database stands against the migration history: each migration applied, half-applied,
//! pending, edited since it was applied, or applied here but missing from the history.

use std::collections::BTreeMap;

use forge_migrate::Migration;

use crate::history::AppliedMigration;

/// One migration's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationStatus {
    /// The folder: `0002_add_posts`.
    pub id: String,
    pub state: State,
    /// When it was applied, as the database wrote it.
    pub applied_at: Option<String>,
}

/// The states, from fine to wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    Applied,
    /// Not applied yet.
    Pending,
    /// Stopped after `done` of `total` statements; `apply` resumes it.
    Partial {
        done: u64,
        total: u64,
    },
    /// Applied (or started: `unfinished`), and these files of its folder changed since (or were
    /// added or removed).
    Edited {
        files: Vec<String>,
        unfinished: bool,
    },
    /// Pending, while a migration after it is applied (two branches merged).
    OutOfOrder {
        after: String,
    },
    /// Recorded in the database and not in the history.
    NotInHistory,
}

impl State {
    /// In words, for `forge migrate status`.
    pub fn describe(&self) -> String {
        match self {
            State::Applied => "applied".into(),
            State::Pending => "pending".into(),
            State::Partial { done, total } => {
                format!(
                    "stopped after {done} of {total} statements; `forge migrate apply` resumes it"
                )
            }
            State::Edited {
                files,
                unfinished: false,
            } => format!("edited after it was applied: {} changed", files.join(", ")),
            State::Edited { files, .. } => format!(
                "stopped half-way, and edited since it started: {} changed",
                files.join(", ")
            ),
            State::OutOfOrder { after } => {
                format!("pending, but {after}, after it, is applied")
            }
            State::NotInHistory => "applied to this database, but not in the history".into(),
        }
    }

    /// True for the states `apply` refuses to go past.
    pub fn is_wrong(&self) -> bool {
        matches!(
            self,
            State::Edited { .. } | State::OutOfOrder { .. } | State::NotInHistory
        )
    }
}

/// The state of every migration of `history` (in order) and of every migration `recorded` in
/// the database, against each other.
pub fn compare(history: &[Migration], recorded: &[AppliedMigration]) -> Vec<MigrationStatus> {
    // A row that started and committed nothing (a process killed at once) counts as pending.
    let by_id: BTreeMap<&str, &AppliedMigration> = recorded
        .iter()
        .filter(|r| r.finished() || r.statements_done > 0)
        .map(|r| (r.id.as_str(), r))
        .collect();
    let last_applied = history
        .iter()
        .rposition(|m| by_id.contains_key(m.dir.as_str()));
    let mut out = Vec::new();
    for (i, migration) in history.iter().enumerate() {
        let (state, applied_at) = match by_id.get(migration.dir.as_str()) {
            Some(row) if row.checksum != migration.checksum() => (
                State::Edited {
                    files: changed_files(migration, row),
                    unfinished: !row.finished(),
                },
                row.applied_at.clone(),
            ),
            Some(row) if row.finished() => (State::Applied, row.applied_at.clone()),
            Some(row) => (
                State::Partial {
                    done: row.statements_done,
                    total: row.statements,
                },
                None,
            ),
            None => match last_applied.filter(|last| *last > i) {
                Some(last) => (
                    State::OutOfOrder {
                        after: history[last].dir.clone(),
                    },
                    None,
                ),
                None => (State::Pending, None),
            },
        };
        out.push(MigrationStatus {
            id: migration.dir.clone(),
            state,
            applied_at,
        });
    }
    for row in recorded {
        if !history.iter().any(|m| m.dir == row.id) {
            out.push(MigrationStatus {
                id: row.id.clone(),
                state: State::NotInHistory,
                applied_at: row.applied_at.clone(),
            });
        }
    }
    out
}

/// Each file's blake3, by path: what the history table records.
pub fn file_digests(migration: &Migration) -> BTreeMap<String, String> {
    migration
        .files
        .iter()
        .map(|(path, bytes)| (path.clone(), blake3::hash(bytes).to_hex().to_string()))
        .collect()
}

/// The files of `migration` whose digest is not the recorded one (or that one side lacks).
fn changed_files(migration: &Migration, row: &AppliedMigration) -> Vec<String> {
    let now = file_digests(migration);
    let mut paths: Vec<String> = now
        .keys()
        .chain(row.files.keys())
        .filter(|p| now.get(*p) != row.files.get(*p))
        .cloned()
        .collect();
    paths.sort();
    paths.dedup();
    if paths.is_empty() {
        // Same files, another folder name: the checksum covers the name too.
        paths.push("the folder's name".into());
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migration(dir: &str, sql: &str) -> Migration {
        Migration {
            name: dir[5..].to_string(),
            dir: dir.to_string(),
            files: BTreeMap::from([("postgres.sql".to_string(), sql.as_bytes().to_vec())]),
        }
    }

    fn row(m: &Migration, finished: bool) -> AppliedMigration {
        AppliedMigration {
            id: m.dir.clone(),
            checksum: m.checksum(),
            files: file_digests(m),
            statements_done: if finished { 2 } else { 1 },
            statements: 2,
            applied_at: finished.then(|| "2026-11-22T00:00:00Z".to_string()),
        }
    }

    #[test]
    fn every_state_is_told() {
        let a = migration("0001_a", "CREATE TABLE a (id int);");
        let b = migration("0002_b", "CREATE TABLE b (id int);");
        let c = migration("0003_c", "CREATE TABLE c (id int);");
        let d = migration("0004_d", "CREATE TABLE d (id int);");
        let edited_b = migration("0002_b", "CREATE TABLE b (id bigint);");
        let gone = migration("0009_gone", "");
        let recorded = [
            row(&a, true),
            row(&b, true),
            row(&d, false),
            row(&gone, true),
        ];
        let states: Vec<State> = compare(&[a, edited_b, c, d], &recorded)
            .into_iter()
            .map(|s| s.state)
            .collect();
        assert_eq!(
            states,
            [
                State::Applied,
                State::Edited {
                    files: vec!["postgres.sql".into()],
                    unfinished: false,
                },
                State::OutOfOrder {
                    after: "0004_d".into()
                },
                State::Partial { done: 1, total: 2 },
                State::NotInHistory,
            ]
        );
    }
}
