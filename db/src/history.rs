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
        Dialect::Sqlite => "\"applied_at\"",
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

/// Records that `id` starts (or starts again from `done` statements).
pub(crate) fn start(
    db: &mut Db,
    migration: &AppliedMigration,
    resume: bool,
) -> Result<(), DbError> {
    let d = db.dialect();
    let sql = if resume {
        format!(
            "UPDATE {t} SET {v} = {version} WHERE {id} = {key}",
            t = ident(d, HISTORY_TABLE),
            v = ident(d, "forge_version"),
            version = literal(env!("CARGO_PKG_VERSION")),
            id = ident(d, "id"),
            key = literal(&migration.id),
        )
    } else {
        let files = serde_json::to_string(&migration.files).unwrap_or_default();
        format!(
            "INSERT INTO {t} ({id}, {checksum}, {files_col}, {done}, {total}, {v}) \
             VALUES ({key}, {sum}, {files}, 0, {count}, {version})",
            t = ident(d, HISTORY_TABLE),
            id = ident(d, "id"),
            checksum = ident(d, "checksum"),
            files_col = ident(d, "files"),
            done = ident(d, "statements_done"),
            total = ident(d, "statements"),
            v = ident(d, "forge_version"),
            key = literal(&migration.id),
            sum = literal(&migration.checksum),
            files = literal(&files),
            count = migration.statements,
            version = literal(env!("CARGO_PKG_VERSION")),
        )
    };
    db.execute(&sql)
        .map_err(|source| DbError::query(db, "writing to _forge_migrations", source))
}

/// The statement that records `done` statements of `id` (run inside the transaction that did
/// them, when there is one).
pub(crate) fn progress_sql(dialect: Dialect, id: &str, done: u64) -> String {
    format!(
        "UPDATE {t} SET {col} = {done} WHERE {key} = {id}",
        t = ident(dialect, HISTORY_TABLE),
        col = ident(dialect, "statements_done"),
        key = ident(dialect, "id"),
        id = literal(id),
    )
}

/// Records that `id` ended.
pub(crate) fn finish(db: &mut Db, id: &str, statements: u64) -> Result<(), DbError> {
    let d = db.dialect();
    let now = match d {
        Dialect::Postgres => "now()",
        Dialect::Mysql => "CURRENT_TIMESTAMP(6)",
        Dialect::Sqlite => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    };
    let sql = format!(
        "UPDATE {t} SET {done} = {statements}, {at} = {now} WHERE {key} = {id}",
        t = ident(d, HISTORY_TABLE),
        done = ident(d, "statements_done"),
        at = ident(d, "applied_at"),
        key = ident(d, "id"),
        id = literal(id),
    );
    db.execute(&sql)
        .map_err(|source| DbError::query(db, "writing to _forge_migrations", source))
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

/// A string literal. The values forge writes here are folder names, hex digests and JSON of
/// them: no backslashes, so the same quoting holds in every dialect.
fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}
