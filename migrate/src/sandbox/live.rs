//! What an SQLite database holds, as the sandbox compares it: tables with their columns, keys,
//! indexes, foreign keys and checks, and any view or trigger. Expressions (defaults, checks,
//! partial indexes' conditions, types) are in one spelling (`tokens.rs`), so that the same
//! definition written twice compares equal.
//!
//! Constraint names are left out: SQLite has no catalog of them, only each table's text, which
//! keeps a key's or check's old name after a rename until the table is next rebuilt (a known limit
//! of the planner, `docs/migrations.md`). Keys, foreign keys and checks are compared by what they
//! hold; indexes, which are objects of their own, by name too.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Every table, view and trigger of a database (SQLite's own `sqlite_*` objects left out).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSchema {
    pub tables: BTreeMap<String, LiveTable>,
    /// Views and triggers by name.
    pub others: BTreeMap<String, LiveObject>,
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
}

/// A column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveColumn {
    pub name: String,
    /// The declared type, upper-case: `TEXT`.
    pub ty: String,
    pub not_null: bool,
    /// The default's expression, normalized and without outer parentheses.
    pub default: Option<String>,
    /// Its place in the primary key, from 1; 0 when it is not part of it.
    pub primary_key: u32,
}

/// An index made by `CREATE INDEX`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveIndex {
    pub unique: bool,
    /// Its key columns in order, `name DESC` when descending; `<expression>` for an expression.
    pub columns: Vec<String>,
    /// A partial index's condition, normalized.
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
    /// `CASCADE`, `SET NULL`, `NO ACTION`, ...
    pub on_delete: String,
    pub on_update: String,
}

/// A `CHECK` constraint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LiveCheck {
    /// The condition, normalized.
    pub sql: String,
    /// The column it is written on, for a check in a column's definition.
    pub column: Option<String>,
}

/// A view or a trigger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveObject {
    /// `view` or `trigger`.
    pub kind: String,
    /// Its SQL, normalized.
    pub sql: String,
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
