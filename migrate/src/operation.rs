//! Operations: the steps of a migration, each a change to one object of the database, in the
//! dialect-neutral terms of the snapshot. forge-migrate's SQL writers turn each into statements.
//!
//! Names follow one rule, which the planner keeps and the writers rely on: an operation of a stage
//! before renames ([`Operation::stage`] below 4: drops) names tables and columns as they were
//! before the migration; every later one names them as they are after it.

use forge_schemas::{Check, DefaultValue, FieldType, ForeignKey, Index, Key};
use serde::{Deserialize, Serialize};

use crate::snapshot::{DbColumn, DbEnum, DbTable};

/// One change to the database.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Operation {
    /// A new enum (a PostgreSQL type; nothing elsewhere).
    CreateEnum {
        name: String,
        def: DbEnum,
    },
    /// An enum no column uses any more.
    DropEnum {
        name: String,
        def: DbEnum,
    },
    /// Values added to an enum, the old ones kept in their order.
    AddEnumValues {
        name: String,
        from: Vec<String>,
        to: Vec<String>,
    },
    /// An enum whose values are removed or reordered: PostgreSQL rebuilds the type.
    ReplaceEnumValues {
        name: String,
        from: Vec<String>,
        to: Vec<String>,
    },
    /// The fallback of removing enum values: they stay in the database, recorded as deprecated.
    /// No SQL.
    KeepEnumValues {
        name: String,
        values: Vec<String>,
    },
    /// A new table with its keys, checks, indexes and foreign keys.
    CreateTable {
        table: String,
        def: DbTable,
    },
    /// A table dropped with its rows (its foreign keys are dropped first, by their own
    /// operations).
    DropTable {
        table: String,
        def: DbTable,
    },
    RenameTable {
        from: String,
        to: String,
    },
    /// The fallback of dropping a table: renamed to `to`, rows kept.
    DeprecateTable {
        table: String,
        to: String,
    },
    /// A deprecated table back under its name (reverse scripts only).
    RestoreTable {
        table: String,
        to: String,
    },
    AddColumn {
        table: String,
        column: DbColumn,
    },
    /// A column dropped with its values.
    DropColumn {
        table: String,
        column: DbColumn,
    },
    RenameColumn {
        table: String,
        from: String,
        to: String,
    },
    /// The fallback of dropping a column: renamed to `to`, values kept.
    DeprecateColumn {
        table: String,
        column: String,
        to: String,
    },
    /// A deprecated column back under its name (reverse scripts only).
    RestoreColumn {
        table: String,
        column: String,
        to: String,
    },
    AlterColumnType {
        table: String,
        column: String,
        from: FieldType,
        to: FieldType,
    },
    SetNotNull {
        table: String,
        column: String,
    },
    DropNotNull {
        table: String,
        column: String,
    },
    SetDefault {
        table: String,
        column: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<DefaultValue>,
        to: DefaultValue,
    },
    DropDefault {
        table: String,
        column: String,
        from: DefaultValue,
    },
    AddPrimaryKey {
        table: String,
        key: Key,
    },
    DropPrimaryKey {
        table: String,
        key: Key,
    },
    AddUnique {
        table: String,
        key: Key,
    },
    DropUnique {
        table: String,
        key: Key,
    },
    AddIndex {
        table: String,
        index: Index,
    },
    DropIndex {
        table: String,
        index: Index,
    },
    AddForeignKey {
        table: String,
        foreign_key: ForeignKey,
    },
    DropForeignKey {
        table: String,
        foreign_key: ForeignKey,
    },
    AddCheck {
        table: String,
        check: Check,
    },
    DropCheck {
        table: String,
        check: Check,
    },
    /// A constraint or index whose definition stays and whose name changes.
    RenameConstraint {
        table: String,
        kind: ConstraintKind,
        from: String,
        to: String,
    },
}

/// What a renamed constraint is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    Index,
    ForeignKey,
    Check,
}

impl Operation {
    /// Where the operation goes in a migration: dependencies first. Foreign keys are dropped
    /// before what they point at, and added after it; drops and deprecations free their names
    /// before renames and creations take them.
    ///
    /// | stage | operations |
    /// | --- | --- |
    /// | 0 | drop foreign key |
    /// | 1 | drop check, index, unique, primary key |
    /// | 2 | drop column |
    /// | 3 | drop table |
    /// | 4 | create enum, add enum values, keep enum values; then replace enum values |
    /// | 5 | deprecate, rename, restore table |
    /// | 6 | deprecate, rename, restore column |
    /// | 7 | rename constraint |
    /// | 8 | create table |
    /// | 9 | add and alter column |
    /// | 10 | drop enum |
    /// | 11 | add primary key, unique, check |
    /// | 12 | add index |
    /// | 13 | add foreign key |
    ///
    /// The second number orders operations inside a stage.
    pub fn stage(&self) -> (u8, u8) {
        use Operation::*;
        match self {
            DropForeignKey { .. } => (0, 0),
            DropCheck { .. } | DropIndex { .. } | DropUnique { .. } | DropPrimaryKey { .. } => {
                (1, 0)
            }
            DropColumn { .. } => (2, 0),
            DropTable { .. } => (3, 0),
            CreateEnum { .. } | AddEnumValues { .. } | KeepEnumValues { .. } => (4, 0),
            ReplaceEnumValues { .. } => (4, 1),
            DeprecateTable { .. } => (5, 0),
            RenameTable { .. } => (5, 1),
            RestoreTable { .. } => (5, 2),
            DeprecateColumn { .. } => (6, 0),
            RenameColumn { .. } => (6, 1),
            RestoreColumn { .. } => (6, 2),
            RenameConstraint { .. } => (7, 0),
            CreateTable { .. } => (8, 0),
            AddColumn { .. }
            | AlterColumnType { .. }
            | SetNotNull { .. }
            | DropNotNull { .. }
            | SetDefault { .. }
            | DropDefault { .. } => (9, 0),
            DropEnum { .. } => (10, 0),
            AddPrimaryKey { .. } | AddUnique { .. } | AddCheck { .. } => (11, 0),
            AddIndex { .. } => (12, 0),
            AddForeignKey { .. } => (13, 0),
        }
    }

    /// The table the operation changes (for a rename, its name before), if one.
    pub fn table(&self) -> Option<&str> {
        use Operation::*;
        match self {
            CreateEnum { .. }
            | DropEnum { .. }
            | AddEnumValues { .. }
            | ReplaceEnumValues { .. }
            | KeepEnumValues { .. } => None,
            RenameTable { from, .. } => Some(from),
            CreateTable { table, .. }
            | DropTable { table, .. }
            | DeprecateTable { table, .. }
            | RestoreTable { table, .. }
            | AddColumn { table, .. }
            | DropColumn { table, .. }
            | RenameColumn { table, .. }
            | DeprecateColumn { table, .. }
            | RestoreColumn { table, .. }
            | AlterColumnType { table, .. }
            | SetNotNull { table, .. }
            | DropNotNull { table, .. }
            | SetDefault { table, .. }
            | DropDefault { table, .. }
            | AddPrimaryKey { table, .. }
            | DropPrimaryKey { table, .. }
            | AddUnique { table, .. }
            | DropUnique { table, .. }
            | AddIndex { table, .. }
            | DropIndex { table, .. }
            | AddForeignKey { table, .. }
            | DropForeignKey { table, .. }
            | AddCheck { table, .. }
            | DropCheck { table, .. }
            | RenameConstraint { table, .. } => Some(table),
        }
    }

    /// A short description: `drop column post.body`.
    pub fn describe(&self) -> String {
        use Operation::*;
        match self {
            CreateEnum { name, .. } => format!("create enum {name}"),
            DropEnum { name, .. } => format!("drop enum {name}"),
            AddEnumValues { name, from, to } => {
                let added: Vec<&str> = to
                    .iter()
                    .filter(|v| !from.contains(v))
                    .map(String::as_str)
                    .collect();
                format!("add values {} to enum {name}", added.join(", "))
            }
            ReplaceEnumValues { name, to, .. } => {
                format!("set the values of enum {name} to {}", to.join(", "))
            }
            KeepEnumValues { name, values } => {
                format!("keep values {} of enum {name}", values.join(", "))
            }
            CreateTable { table, .. } => format!("create table {table}"),
            DropTable { table, .. } => format!("drop table {table}"),
            RenameTable { from, to } => format!("rename table {from} to {to}"),
            DeprecateTable { table, to } => format!("deprecate table {table} as {to}"),
            RestoreTable { table, to } => format!("restore table {table} as {to}"),
            AddColumn { table, column } => format!("add column {table}.{}", column.name),
            DropColumn { table, column } => format!("drop column {table}.{}", column.name),
            RenameColumn { table, from, to } => {
                format!("rename column {table}.{from} to {to}")
            }
            DeprecateColumn { table, column, to } => {
                format!("deprecate column {table}.{column} as {to}")
            }
            RestoreColumn { table, column, to } => {
                format!("restore column {table}.{column} as {to}")
            }
            AlterColumnType {
                table,
                column,
                from,
                to,
            } => format!(
                "change the type of {table}.{column} from {} to {}",
                type_text(from),
                type_text(to)
            ),
            SetNotNull { table, column } => format!("make {table}.{column} required"),
            DropNotNull { table, column } => format!("make {table}.{column} optional"),
            SetDefault { table, column, .. } => format!("set the default of {table}.{column}"),
            DropDefault { table, column, .. } => format!("drop the default of {table}.{column}"),
            AddPrimaryKey { table, key } => format!("add primary key {} on {table}", key.name),
            DropPrimaryKey { table, key } => {
                format!("drop primary key {} of {table}", key.name)
            }
            AddUnique { table, key } => format!("add unique key {} on {table}", key.name),
            DropUnique { table, key } => format!("drop unique key {} of {table}", key.name),
            AddIndex { table, index } => format!("add index {} on {table}", index.name),
            DropIndex { table, index } => format!("drop index {} of {table}", index.name),
            AddForeignKey { table, foreign_key } => {
                format!("add foreign key {} on {table}", foreign_key.name)
            }
            DropForeignKey { table, foreign_key } => {
                format!("drop foreign key {} of {table}", foreign_key.name)
            }
            AddCheck { table, check } => format!("add check {} on {table}", check.name),
            DropCheck { table, check } => format!("drop check {} of {table}", check.name),
            RenameConstraint {
                table, from, to, ..
            } => format!("rename {from} of {table} to {to}"),
        }
    }
}

/// A type as the schema writes it: `string max=80`, `decimal precision=10 scale=2`.
pub(crate) fn type_text(ty: &FieldType) -> String {
    match ty {
        FieldType::String { max } => format!("string max={max}"),
        FieldType::Decimal { precision, scale } => {
            format!("decimal precision={precision} scale={scale}")
        }
        other => other.schema_name().to_string(),
    }
}
