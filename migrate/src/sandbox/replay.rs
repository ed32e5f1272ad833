//! The history replayed: every migration's `sqlite.sql`, in order, statement by statement, on one
//! empty in-memory database with foreign keys on (the scripts turn them off and on themselves).
//! The first statement SQLite refuses stops the replay, and the failure says where and why.

use rusqlite::Connection;

use super::class::{FailureClass, message};
use crate::split::split_statements;

/// A statement of the history that SQLite refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "migration {migration}, sqlite.sql line {line}: {class}: {error}\n  in the statement: {statement}\n  help: {repair}"
)]
pub struct ReplayFailure {
    /// The migration's folder: `0002_pin_notes`.
    pub migration: String,
    /// The statement, trimmed.
    pub statement: String,
    /// The line of `sqlite.sql` it starts on, from 1.
    pub line: usize,
    /// SQLite's error.
    pub error: String,
    pub class: FailureClass,
    /// What to do about it, in one line.
    pub repair: String,
}

/// Runs `migrations` (folder, text of its `sqlite.sql`) in order on a new in-memory database and
/// returns it; or the first statement that fails.
pub fn replay_sqlite(migrations: &[(String, String)]) -> Result<Connection, ReplayFailure> {
    // Opening a database in memory fails only when memory does.
    let conn = Connection::open_in_memory().expect("SQLite opens a database in memory");
    conn.pragma_update(None, "foreign_keys", true)
        .expect("SQLite takes foreign_keys outside a transaction");
    for (migration, sql) in migrations {
        let statements = split_statements(sql);
        for statement in &statements {
            if let Err(e) = conn.execute_batch(statement.text) {
                let class = FailureClass::of(&e);
                let error = message(&e);
                return Err(ReplayFailure {
                    migration: migration.clone(),
                    statement: statement.text.trim().to_string(),
                    line: statement.line,
                    repair: class.repair(&error),
                    error,
                    class,
                });
            }
        }
        if !conn.is_autocommit() {
            let last = statements.last().map(|s| (s.text.trim(), s.line));
            let (statement, line) = last.unwrap_or_default();
            let class = FailureClass::Transaction;
            return Err(ReplayFailure {
                migration: migration.clone(),
                statement: statement.to_string(),
                line,
                error: "the migration ends inside a transaction it opened".to_string(),
                class,
                repair: class.repair(""),
            });
        }
    }
    Ok(conn)
}
