//! The format of `<dialect>.json`, for writing it and for reading it back (services, tests).
//!
//! ```json
//! {
//!   "format": 1,
//!   "dialect": "sqlite",
//!   "alias": "record",
//!   "tables": [
//!     {
//!       "name": "Post", "table": "post", "model": "Post", "primary_key": ["id"],
//!       "row": "\"record\".\"id\" = ?",
//!       "read": { "deny": false, "filter": { "sql": "...", "params": 4, "reads": [] } },
//!       "create": { "deny": false, "check": { ... } },
//!       "update": { "deny": false, "filter": { ... }, "check": { ... } },
//!       "delete": { "deny": true, "reason": "no policy, no permission", "filter": { "sql": "FALSE", "params": 0 } }
//!     }
//!   ]
//! }
//! ```

use forge_gen_sql::Dialect;
use serde::{Deserialize, Serialize};

/// The version of the format; bumped on any change a reader could notice.
pub const FORMAT: u32 = 1;

/// The alias every condition gives the row it is about: `FROM "post" AS "record"`.
pub const ALIAS: &str = "record";

/// The whole file: one entry per model, then one per join table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guards {
    /// Always [`FORMAT`].
    pub format: u32,
    /// `sqlite` or `mysql`.
    pub dialect: Dialect,
    /// The alias the table must have in every statement that uses a condition ([`ALIAS`]).
    pub alias: String,
    /// Models (in IR order), then join tables (in IR order).
    pub tables: Vec<TableGuards>,
}

/// The conditions of one table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableGuards {
    /// The model's name, or the join table's name.
    pub name: String,
    pub table: String,
    /// The model whose rules apply: the model itself, or the model that declares a join table's
    /// relation.
    pub model: String,
    /// For a join table: the relation (of `model`) it implements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    pub primary_key: Vec<String>,
    /// One row by its primary key: `"record"."id" = ?` (one `?` per key column, in order).
    pub row: String,
    pub read: ActionGuard,
    pub create: ActionGuard,
    pub update: ActionGuard,
    pub delete: ActionGuard,
}

/// What one action needs: `filter` on the stored row (read, update, delete), `check` on the
/// written row (create, and update's result).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionGuard {
    /// The action is denied to everyone; its conditions are then `FALSE`.
    pub deny: bool,
    /// Why, when denied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<Condition>,
}

/// A boolean SQL expression over the row aliased [`ALIAS`]: TRUE or FALSE, never NULL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub sql: String,
    /// How many `?` placeholders it holds: each takes the identity JSON text.
    pub params: u32,
    /// The tables it reads besides the row, sorted. (MySQL refuses a subquery on the table a
    /// `DELETE` deletes from, and MySQL 8 one on the table an `UPDATE` updates: when the table
    /// itself is listed, check first and write by primary key.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reads: Vec<String>,
}

impl Guards {
    /// The file's text, read back.
    pub fn from_json(text: &str) -> Result<Guards, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The entry called `name`: a model's name or a join table's.
    pub fn table(&self, name: &str) -> Option<&TableGuards> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// `SELECT 1 FROM <table> AS <alias> WHERE <row> AND (<condition>)`: one row, if it passes.
    /// Its parameters: the primary key's values, then the identity `condition.params` times.
    pub fn row_check(&self, table: &TableGuards, condition: &Condition) -> String {
        format!(
            "SELECT 1 FROM {} AS {} WHERE {} AND ({})",
            self.dialect.ident(&table.table),
            self.dialect.ident(&self.alias),
            table.row,
            condition.sql
        )
    }
}

impl Guards {
    /// `SELECT 1 FROM (SELECT ? AS <c1>, ? AS <c2>, ...) AS <alias> WHERE (<condition>)`: the row
    /// as it will be written, given as values, before the write. Its parameters: one value per
    /// column of `columns` (every column the table has, as the table will hold them), then the
    /// identity `condition.params` times. What the condition reaches through relations is read
    /// as the database holds it when the statement runs: before the write, as PostgreSQL's
    /// `WITH CHECK` sees it.
    pub fn values_check(&self, columns: &[String], condition: &Condition) -> String {
        let values: Vec<String> = columns
            .iter()
            .map(|c| format!("? AS {}", self.dialect.ident(c)))
            .collect();
        format!(
            "SELECT 1 FROM (SELECT {}) AS {} WHERE ({})",
            values.join(", "),
            self.dialect.ident(&self.alias),
            condition.sql
        )
    }
}

impl ActionGuard {
    /// The condition on the stored row: `filter`, or for create (which has none) `check`.
    pub fn stored(&self) -> &Condition {
        self.filter
            .as_ref()
            .or(self.check.as_ref())
            .expect("every action has a filter or a check")
    }
}
