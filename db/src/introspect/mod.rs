//! A live PostgreSQL or MySQL (MariaDB) database read into the model the sandbox compares
//! ([`LiveSchema`], compared by `forge_migrate::sandbox_diff`): `forge drift` reads the live
//! database and a scratch database built from `schema.sql` on the same server, so that what the
//! server renders (types, defaults, checks, conditions, policies) compares as text.
//!
//! Only the tables of the connection's schema (PostgreSQL's `current_schema()`, MySQL's
//! `DATABASE()`) are read, without the migration history's own table ([`HISTORY_TABLE`]). An
//! SQLite file is read by `forge_migrate::introspect_sqlite`.

mod mysql;
mod postgres;
mod postgres_objects;

use std::collections::BTreeMap;

use forge_gen_sql::Dialect;
use forge_migrate::{LiveObject, LiveSchema, LiveTable};

use crate::HISTORY_TABLE;
use crate::connection::{Db, TextRow};
use crate::error::DbError;

/// What `db` holds: its tables (with their columns, keys, indexes, foreign keys and checks),
/// views and triggers; in PostgreSQL also its enum types, row-level security, policies and the
/// functions of the schema `forge`.
pub fn introspect(db: &mut Db) -> Result<LiveSchema, DbError> {
    match db.dialect() {
        Dialect::Postgres => postgres::introspect(&mut Catalog { db }),
        Dialect::Mysql => mysql::introspect(&mut Catalog { db }),
        Dialect::Sqlite => Err(DbError::Invalid(format!(
            "{}: an SQLite database is read from its file, not through a connection\n  help: open the file with rusqlite and read it with forge_migrate::introspect_sqlite",
            db.url()
        ))),
    }
}

/// The catalog queries of one database.
pub(crate) struct Catalog<'a> {
    db: &'a mut Db,
}

impl Catalog<'_> {
    /// The rows of `sql`; a failure says that forge was reading `what` (`the columns`).
    fn rows(&mut self, what: &str, sql: &str, binds: &[&str]) -> Result<Vec<Row>, DbError> {
        match self.db.rows(sql, binds) {
            Ok(rows) => Ok(rows.into_iter().map(Row).collect()),
            Err(source) => Err(DbError::query(self.db, &format!("reading {what}"), source)),
        }
    }

    fn url(&self) -> String {
        self.db.url().to_string()
    }
}

/// A row of a catalog query, every column text or NULL.
struct Row(TextRow);

impl Row {
    /// Column `i`, `None` when NULL.
    fn get(&self, i: usize) -> Option<String> {
        self.0.get(i).cloned().flatten()
    }

    /// Column `i`; empty when NULL.
    fn text(&self, i: usize) -> String {
        self.get(i).unwrap_or_default()
    }

    /// Column `i` as a boolean: PostgreSQL's `true`, MySQL's `1` or `YES`.
    fn flag(&self, i: usize) -> bool {
        matches!(self.text(i).as_str(), "true" | "t" | "1" | "YES")
    }
}

/// The tables read, by name: rows about any other table (the history table, a view) are skipped.
struct Tables(BTreeMap<String, LiveTable>);

impl Tables {
    /// The tables named in column `i` of `rows`, without [`HISTORY_TABLE`].
    fn new(rows: &[Row], i: usize) -> Tables {
        let tables = rows
            .iter()
            .map(|row| row.text(i))
            .filter(|name| name != HISTORY_TABLE)
            .map(|name| (name, LiveTable::default()))
            .collect();
        Tables(tables)
    }

    fn get(&mut self, name: &str) -> Option<&mut LiveTable> {
        self.0.get_mut(name)
    }

    /// Every table's lists sorted, as the model keeps them.
    fn finish(mut self) -> BTreeMap<String, LiveTable> {
        for table in self.0.values_mut() {
            table.uniques.sort();
            table.foreign_keys.sort();
            table.checks.sort();
        }
        self.0
    }
}

/// A view, trigger or function.
fn object(kind: &str, sql: String) -> LiveObject {
    LiveObject {
        kind: kind.to_string(),
        sql,
    }
}
