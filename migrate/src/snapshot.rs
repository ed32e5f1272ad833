//! The snapshot: a dialect-neutral description of the database objects a schema needs, and of the
//! objects a fallback kept (`deprecated_from`). `migrations/schema.json` holds one; the planner
//! compares two.
//!
//! Everything is ordered: tables and enums are maps sorted by name, and lists keep the IR's order,
//! so equal schemas give equal bytes ([`DbSchema::to_json`]).

use std::collections::BTreeMap;

use forge_schemas::{Check, DefaultValue, Enum, FieldType, ForeignKey, Index, Key};
use serde::{Deserialize, Serialize};

/// The version of the snapshot format; a snapshot of another version is refused.
pub const SNAPSHOT_VERSION: u32 = 1;

/// Every table and enum of a database, as forge made it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbSchema {
    /// Always [`SNAPSHOT_VERSION`].
    pub version: u32,
    /// Enums by name (PostgreSQL types; inline in the other dialects).
    pub enums: BTreeMap<String, DbEnum>,
    /// Tables by name: models' tables, join tables, and deprecated tables.
    pub tables: BTreeMap<String, DbTable>,
}

/// An enum and its values, in their order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbEnum {
    /// The PostgreSQL type name.
    pub sql_name: String,
    /// The values the database holds, in order: the schema's, plus any deprecated ones.
    pub values: Vec<String>,
    /// Values the schema no longer declares, kept by the fallback of `remove-enum-value`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deprecated_values: Vec<String>,
    /// True when the schema no longer declares the enum and deprecated columns still use it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
}

/// A table: its columns and every constraint and index on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbTable {
    /// The model the table stores (for a join table, the model that declares the relation).
    pub model: String,
    /// Set for the join table of a many-to-many relation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join: Option<JoinInfo>,
    /// Columns in declaration order (columns added later come last).
    pub columns: Vec<DbColumn>,
    pub primary_key: Key,
    /// The tenant column, when the table is tenant-scoped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    pub uniques: Vec<Key>,
    pub foreign_keys: Vec<ForeignKey>,
    pub indexes: Vec<Index>,
    pub checks: Vec<Check>,
    /// Set when the table is kept by the fallback of `drop-table`: its name before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated_from: Option<String>,
}

/// A column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbColumn {
    pub name: String,
    /// The logical type; each dialect's column type follows `docs/sql-types.md`.
    #[serde(rename = "type")]
    pub ty: FieldType,
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<DefaultValue>,
    /// The `belongs-to` relation this column is the key of (for rename hints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    /// Set when the column is kept by the fallback of `drop-column`: its name before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated_from: Option<String>,
}

/// What a join table links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinInfo {
    pub left: JoinEnd,
    pub right: JoinEnd,
    /// The tenant column, when both sides are tenant-scoped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
}

/// One side of a join table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinEnd {
    pub model: String,
    /// The relation's name on this side's model, when this side declares it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    /// The join table's column.
    pub column: String,
    pub references_table: String,
    pub references: String,
}

/// A snapshot file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("the snapshot is not valid JSON for this version of forge: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the snapshot has format version {found}; this forge reads version {SNAPSHOT_VERSION}")]
    Version { found: u32 },
}

impl DbSchema {
    /// A database with nothing in it: what the first migration starts from.
    pub fn empty() -> DbSchema {
        DbSchema {
            version: SNAPSHOT_VERSION,
            enums: BTreeMap::new(),
            tables: BTreeMap::new(),
        }
    }

    /// The snapshot file's bytes: indented JSON in a fixed order, ending with a newline. Equal
    /// schemas give equal bytes.
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a snapshot always serializes");
        bytes.push(b'\n');
        bytes
    }

    /// Reads a snapshot file.
    pub fn from_json(bytes: &[u8]) -> Result<DbSchema, SnapshotError> {
        let schema: DbSchema = serde_json::from_slice(bytes)?;
        if schema.version != SNAPSHOT_VERSION {
            return Err(SnapshotError::Version {
                found: schema.version,
            });
        }
        Ok(schema)
    }

    /// blake3 of [`DbSchema::to_json`], as hex.
    pub fn digest(&self) -> String {
        blake3::hash(&self.to_json()).to_hex().to_string()
    }

    /// The enums as the SQL generator takes them.
    pub fn ir_enums(&self) -> Vec<Enum> {
        self.enums
            .iter()
            .map(|(name, e)| Enum {
                name: name.clone(),
                sql_name: e.sql_name.clone(),
                values: e.values.clone(),
            })
            .collect()
    }
}

impl DbTable {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&DbColumn> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The columns the schema declares (not the deprecated ones).
    pub fn live_columns(&self) -> impl Iterator<Item = &DbColumn> {
        self.columns.iter().filter(|c| c.deprecated_from.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_round_trips_and_other_versions_are_refused() {
        let empty = DbSchema::empty();
        let bytes = empty.to_json();
        assert_eq!(DbSchema::from_json(&bytes).unwrap(), empty);
        let mut old = empty.clone();
        old.version = 0;
        let err = DbSchema::from_json(&old.to_json()).unwrap_err();
        assert!(err.to_string().contains("version 0"), "{err}");
        assert!(DbSchema::from_json(b"{}").is_err());
    }
}
