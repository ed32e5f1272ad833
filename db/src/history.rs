//! `_forge_migrations`: the table in which a database records the migrations applied to it, with
//! each one's checksum and the digest of each of its files (so that an edited file can be
//! named), and how far a migration got when it stopped half-way.
//!
//! A row is written when a migration starts (`statements_done` 0, `applied_at` NULL), its
//! progress is updated inside each transaction it commits (so it is exact where the dialect
//! allows) and after each statement that runs outside one, and `applied_at` is set when it ends.

use std::collections::BTreeMap;

use forge_gen_sql::Dialect;

use crate::connection::Db;
use crate::error::DbError;

/// The history table's name; introspection and drift leave it out.
pub const HISTORY_TABLE: &str = "_forge_migrations";

/// One row of the history table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedMigration {
    /// The migration's folder: `0002_add_posts`.
    pub id: String,
    /// [`forge_migrate::Migration::checksum`] of the folder as it was applied.
    pub checksum: String,
    /// Each file's blake3, by path inside the folder.
    pub files: BTreeMap<String, String>,
    /// Statements of the dialect's script that have run (and are committed).
    pub statements_done: u64,
    /// Statements in the script.
    pub statements: u64,
    /// When it ended, as the database writes a time; `None` while it is unfinished.
    pub applied_at: Option<String>,
}

impl AppliedMigration {
    pub fn finished(&self) -> bool {
        self.applied_at.is_some()
    }
}

/// Creates the history table when it is missing.
pub(crate) fn ensure_table(db: &mut Db) -> Result<(), DbError> {
    let sql = match db.dialect() {
        Dialect::Postgres => {
            "CREATE TABLE IF NOT EXISTS \"_forge_migrations\" (\
             \"id\" text PRIMARY KEY, \"checksum\" text NOT NULL, \"files\" text NOT NULL, \
             \"statements_done\" integer NOT NULL DEFAULT 0, \"statements\" integer NOT NULL, \
             \"started_at\" timestamptz NOT NULL DEFAULT now(), \"applied_at\" timestamptz, \
             \"forge_version\" text NOT NULL)"
        }
        Dialect::Mysql => {
            "CREATE TABLE IF NOT EXISTS `_forge_migrations` (\
             `id` varchar(255) NOT NULL PRIMARY KEY, `checksum` char(64) NOT NULL, \
             `files` text NOT NULL, `statements_done` int NOT NULL DEFAULT 0, \
             `statements` int NOT NULL, \
             `started_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \
             `applied_at` datetime(6) NULL, `forge_version` varchar(64) NOT NULL) \
             CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        }
        Dialect::Sqlite => {
            "CREATE TABLE IF NOT EXISTS \"_forge_migrations\" (\
             \"id\" TEXT PRIMARY KEY NOT NULL, \"checksum\" TEXT NOT NULL, \"files\" TEXT NOT NULL, \
             \"statements_done\" INTEGER NOT NULL DEFAULT 0, \"statements\" INTEGER NOT NULL, \
             \"started_at\" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), \
             \"applied_at\" TEXT, \"forge_version\" TEXT NOT NULL)"
        }
    };
    db.execute(sql).map_err(|source| {
        DbError::query(db, "creating the history table _forge_migrations", source)
    })
}

/// The rows of the history table, in order; empty when the table does not exist.
pub fn read(db: &mut Db) -> Result<Vec<AppliedMigration>, DbError> {
    if !table_exists(db)? {
        return Ok(Vec::new());
    }
    let time = match db.dialect() {
        Dialect::Postgres => {
            "to_char(\"applied_at\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        }
        Dialect::Mysql => "DATE_FORMAT(`applied_at`, '%Y-%m-%dT%H:%i:%sZ')",
        Dialect::Sqlite => "strftime('%Y-%m-%dT%H:%M:%SZ', \"applied_at\")",
    };
    let sql = format!(
        "SELECT {id}, {checksum}, {files}, CAST({done} AS CHAR(20)), CAST({total} AS CHAR(20)), {time} \
         FROM {table} ORDER BY {id}",
        id = ident(db.dialect(), "id"),
        checksum = ident(db.dialect(), "checksum"),
        files = ident(db.dialect(), "files"),
        done = ident(db.dialect(), "statements_done"),
        total = ident(db.dialect(), "statements"),
        table = ident(db.dialect(), HISTORY_TABLE),
    );
    let sql = if db.dialect() == Dialect::Postgres {
        sql.replace("AS CHAR(20)", "AS text")
    } else {
        sql
    };
    let rows = db
        .rows(&sql, &[])
        .map_err(|source| DbError::query(db, "reading _forge_migrations", source))?;
    rows.into_iter()
        .map(|row| {
            let text = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
            let number = |i: usize| text(i).parse::<u64>().unwrap_or_default();
            let files = serde_json::from_str(&text(2)).map_err(|e| {
                DbError::Invalid(format!(
                    "{}: _forge_migrations row {} has unreadable `files`: {e}\n  help: the table is forge's own; restore it from a backup, or delete the row and apply again",
                    db.url(),
                    text(0)
                ))
            })?;
            Ok(AppliedMigration {
                id: text(0),
                checksum: text(1),
                files,
                statements_done: number(3),
                statements: number(4),
                applied_at: row.get(5).cloned().flatten(),
            })
        })
        .collect()
}

/// Records that `migration` starts: a new row, replacing an unfinished one that applied nothing
/// (`resume` false), or (`resume` true) the same row, resumed.
pub(crate) fn start(
    db: &mut Db,
    migration: &AppliedMigration,
    resume: bool,
) -> Result<(), DbError> {
    let d = db.dialect();
    let t = ident(d, HISTORY_TABLE);
    let placeholders: Vec<String> = (1..=5).map(|n| db.placeholder(n)).collect();
    let p = |n: usize| placeholders[n - 1].clone();
    let version = env!("CARGO_PKG_VERSION");
    let failed = |db: &Db, e| DbError::query(db, "writing to _forge_migrations", e);
    if resume {
        let sql = format!(
            "UPDATE {t} SET {v} = {} WHERE {id} = {}",
            p(1),
            p(2),
            v = ident(d, "forge_version"),
            id = ident(d, "id"),
        );
        return db
            .execute_bound(&sql, &[version, &migration.id])
            .map_err(|e| failed(db, e));
    }
    remove(db, &migration.id)?;
    let files = serde_json::to_string(&migration.files).unwrap_or_default();
    let statements = migration.statements.to_string();
    let sql = format!(
        "INSERT INTO {t} ({id}, {checksum}, {files_col}, {done}, {total}, {v}) \
         VALUES ({}, {}, {}, 0, {}, {})",
        p(1),
        p(2),
        p(3),
        cast_integer(d, &p(4)),
        p(5),
        id = ident(d, "id"),
        checksum = ident(d, "checksum"),
        files_col = ident(d, "files"),
        done = ident(d, "statements_done"),
        total = ident(d, "statements"),
        v = ident(d, "forge_version"),
    );
    db.execute_bound(
        &sql,
        &[
            &migration.id,
            &migration.checksum,
            &files,
            &statements,
            version,
        ],
    )
    .map_err(|e| failed(db, e))
}

/// Records that `done` statements of `id` have run (inside the transaction that ran them, when
/// there is one, so that the count commits with them).
pub(crate) fn progress(db: &mut Db, id: &str, done: u64) -> Result<(), sqlx::Error> {
    let d = db.dialect();
    let sql = format!(
        "UPDATE {t} SET {col} = {} WHERE {key} = {}",
        cast_integer(d, &db.placeholder(1)),
        db.placeholder(2),
        t = ident(d, HISTORY_TABLE),
        col = ident(d, "statements_done"),
        key = ident(d, "id"),
    );
    db.execute_bound(&sql, &[&done.to_string(), id])
}

/// Records that `id` ended.
pub(crate) fn finish(db: &mut Db, id: &str, statements: u64) -> Result<(), DbError> {
    let d = db.dialect();
    let now = match d {
        Dialect::Postgres => "now()",
        Dialect::Mysql => "UTC_TIMESTAMP(6)",
        Dialect::Sqlite => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    };
    let sql = format!(
        "UPDATE {t} SET {done} = {}, {at} = {now} WHERE {key} = {}",
        cast_integer(d, &db.placeholder(1)),
        db.placeholder(2),
        t = ident(d, HISTORY_TABLE),
        done = ident(d, "statements_done"),
        at = ident(d, "applied_at"),
        key = ident(d, "id"),
    );
    db.execute_bound(&sql, &[&statements.to_string(), id])
        .map_err(|source| DbError::query(db, "writing to _forge_migrations", source))
}

/// Removes the row of `id`, if any (a migration that stopped before applying anything).
pub(crate) fn remove(db: &mut Db, id: &str) -> Result<(), DbError> {
    let d = db.dialect();
    let sql = format!(
        "DELETE FROM {} WHERE {} = {}",
        ident(d, HISTORY_TABLE),
        ident(d, "id"),
        db.placeholder(1)
    );
    db.execute_bound(&sql, &[id])
        .map_err(|source| DbError::query(db, "writing to _forge_migrations", source))
}

/// A text parameter as an integer (every parameter is bound as text).
fn cast_integer(dialect: Dialect, parameter: &str) -> String {
    match dialect {
        Dialect::Postgres => format!("CAST({parameter} AS integer)"),
        Dialect::Mysql => format!("CAST({parameter} AS SIGNED)"),
        Dialect::Sqlite => format!("CAST({parameter} AS INTEGER)"),
    }
}

fn table_exists(db: &mut Db) -> Result<bool, DbError> {
    let sql = match db.dialect() {
        Dialect::Postgres => "SELECT to_regclass('_forge_migrations')::text",
        Dialect::Mysql => {
            "SELECT TABLE_NAME FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '_forge_migrations'"
        }
        Dialect::Sqlite => {
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = '_forge_migrations'"
        }
    };
    let rows = db
        .rows(sql, &[])
        .map_err(|source| DbError::query(db, "looking for _forge_migrations", source))?;
    Ok(rows
        .first()
        .and_then(|r| r.first())
        .is_some_and(Option::is_some))
}

/// `name` quoted for `dialect`.
pub(crate) fn ident(dialect: Dialect, name: &str) -> String {
    match dialect {
        Dialect::Mysql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}
