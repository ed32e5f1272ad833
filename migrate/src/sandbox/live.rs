//! What a database holds, as the sandbox and `forge drift` compare it: tables with their
//! columns, keys, indexes, foreign keys and checks, any view, trigger or (PostgreSQL) function of
//! the schema `forge`, and PostgreSQL's enum types, row-level security and policies.
//!
//! SQLite's expressions (defaults, checks, partial indexes' conditions, types) are in one
//! spelling (`tokens.rs`), so that the same definition written twice compares equal. PostgreSQL's
//! and MySQL's are as the server renders them (`forge-db` reads them): the two databases compared
//! are on the same server, which renders the same definition the same way.
//!
//! Constraint names are left out: SQLite has no catalog of them, only each table's text, which
//! keeps a key's or check's old name after a rename until the table is next rebuilt (a known limit
//! of the planner, `docs/migrations.md`), and PostgreSQL keeps a renamed table's constraint names
//! (`post_pkey` after `RENAME TO article`). Keys, foreign keys and checks are compared by what
//! they hold; indexes, which are objects of their own, by name too, and policies by name.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Every table, view and trigger of a database (SQLite's own `sqlite_*` objects left out).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSchema {
    pub tables: BTreeMap<String, LiveTable>,
    /// Views, triggers and functions by name (a PostgreSQL trigger as `table.trigger`, a
    /// function as `forge.name(argument types)`).
    pub others: BTreeMap<String, LiveObject>,
    /// PostgreSQL's enum types by name, each with its values in order; empty in the other
    /// dialects (MySQL keeps an enum's values in each column's type).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enums: BTreeMap<String, Vec<String>>,
}

/// A table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveTable {
    /// In the table's order (a column added later comes last).
    pub columns: Vec<LiveColumn>,
    /// The columns of each `UNIQUE` constraint, sorted.
    pub uniques: Vec<Vec<String>>,
    /// Indexes made by `CREATE INDEX`, by name.
    pub indexes: BTreeMap<String, LiveIndex>,
    /// Sorted.
    pub foreign_keys: Vec<LiveForeignKey>,
    /// Sorted.
    pub checks: Vec<LiveCheck>,
    pub strict: bool,
    pub without_rowid: bool,
    /// PostgreSQL: `ENABLE ROW LEVEL SECURITY`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rls_enabled: bool,
    /// PostgreSQL: `FORCE ROW LEVEL SECURITY` (the owner too is subject to the policies).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rls_forced: bool,
    /// PostgreSQL's policies on the table, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub policies: BTreeMap<String, LivePolicy>,
}

/// A column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveColumn {
    pub name: String,
    /// The type: in SQLite the declared type, upper-case (`TEXT`); in PostgreSQL as
    /// `format_type` writes it (`character varying(80)`); in MySQL the column's `COLUMN_TYPE`
    /// (`enum('draft','published')`).
    pub ty: String,
    pub not_null: bool,
    /// The default's expression (in SQLite normalized and without outer parentheses); an
    /// identity or auto-increment column's is `identity always`, `identity by default` or
    /// `auto_increment`, a generated column's `generated as (...) stored` (or `virtual`).
    pub default: Option<String>,
    /// Its place in the primary key, from 1; 0 when it is not part of it.
    pub primary_key: u32,
}

/// An index made by `CREATE INDEX`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveIndex {
    pub unique: bool,
    /// Its key columns in order, `name DESC` when descending; an expression as PostgreSQL
    /// writes it, `<expression>` in SQLite and MySQL.
    pub columns: Vec<String>,
    /// A partial index's condition (normalized in SQLite).
    pub partial: Option<String>,
}

/// A foreign key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LiveForeignKey {
    pub columns: Vec<String>,
    /// The table it points at.
    pub table: String,
    /// The columns it points at (empty when the clause names none: the primary key).
    pub references: Vec<String>,
    /// `CASCADE`, `SET NULL`, `NO ACTION`, ...; PostgreSQL's `SET NULL (a)` with its columns.
    pub on_delete: String,
    pub on_update: String,
}

/// A `CHECK` constraint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LiveCheck {
    /// The condition (normalized in SQLite).
    pub sql: String,
    /// The column it is written on, for a check in a column's definition (in PostgreSQL, which
    /// does not record where a check was written, a check on exactly one column).
    pub column: Option<String>,
}

/// A view, a trigger or a function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveObject {
    /// `view`, `materialized view`, `trigger` or `function`.
    pub kind: String,
    /// Its SQL (normalized in SQLite; PostgreSQL's `pg_get_viewdef`, `pg_get_triggerdef` or
    /// `pg_get_functiondef`).
    pub sql: String,
}

/// A PostgreSQL row-level security policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LivePolicy {
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: String,
    /// `AS PERMISSIVE` (true) or `AS RESTRICTIVE`.
    pub permissive: bool,
    /// The roles it applies to, sorted (`public` for every role).
    pub roles: Vec<String>,
    /// Its `USING` expression, as the server writes it.
    pub using: Option<String>,
    /// Its `WITH CHECK` expression, as the server writes it.
    pub with_check: Option<String>,
}

impl LiveTable {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&LiveColumn> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The primary key's columns in order.
    pub fn primary_key(&self) -> Vec<&str> {
        let mut key: Vec<&LiveColumn> = self.columns.iter().filter(|c| c.primary_key > 0).collect();
        key.sort_by_key(|c| c.primary_key);
        key.into_iter().map(|c| c.name.as_str()).collect()
    }
}
