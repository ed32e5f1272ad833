//! The classification rules: every planned operation carries one, with a stable code, a class and
//! a one-line reason. `docs/migrations.md` lists them all; a test keeps that list equal to this
//! one.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How risky an operation is, from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Cannot fail on existing data and takes no long lock.
    Safe,
    /// Cannot fail on existing data, but rewrites or scans the table under a lock that blocks
    /// writes (or reads) for a time that grows with the table.
    LockRisk,
    /// Fails when existing rows do not fit the new schema (the migration then stops).
    DataDependent,
    /// Keeps every row, but code written for the old schema breaks.
    BackwardIncompatible,
    /// Deletes data. Planned only with `allow_destructive`; otherwise a fallback keeps the data.
    Destructive,
}

impl Class {
    /// `safe`, `lock-risk`, `data-dependent`, `backward-incompatible` or `destructive`.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Safe => "safe",
            Class::LockRisk => "lock-risk",
            Class::DataDependent => "data-dependent",
            Class::BackwardIncompatible => "backward-incompatible",
            Class::Destructive => "destructive",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! rules {
    ($($variant:ident = $code:literal, $name:literal, $class:ident, $reason:literal;)*) => {
        /// A classification rule. Its code (`M013`) and name (`add-required-column`) never
        /// change meaning once released.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Rule {
            $(#[serde(rename = $code)] $variant,)*
        }

        impl Rule {
            /// Every rule, in code order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable code: `M013`.
            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code,)* }
            }

            /// The stable name: `add-required-column`.
            pub fn name(self) -> &'static str {
                match self { $(Rule::$variant => $name,)* }
            }

            pub fn class(self) -> Class {
                match self { $(Rule::$variant => Class::$class,)* }
            }

            /// Why the operation is in its class, in one line.
            pub fn reason(self) -> &'static str {
                match self { $(Rule::$variant => $reason,)* }
            }
        }
    };
}

rules! {
    CreateTable = "M001", "create-table", Safe,
        "a new table: nothing reads or locks it yet";
    CreateJoinTable = "M002", "create-join-table", Safe,
        "a new many-to-many join table: nothing reads or locks it yet";
    RenameTable = "M003", "rename-table", BackwardIncompatible,
        "code that uses the old table name fails until it uses the new one";
    DropTable = "M004", "drop-table", Destructive,
        "every row of the table is deleted";
    DeprecateTable = "M005", "deprecate-table", BackwardIncompatible,
        "fallback of drop-table: the table is renamed and stripped of keys and indexes, its rows are kept";
    PurgeTable = "M006", "purge-deprecated-table", Destructive,
        "a table kept by an earlier fallback is dropped with its rows";
    RestoreTable = "M007", "restore-table", BackwardIncompatible,
        "a deprecated table gets its name back (reverse scripts only)";
    AddNullableColumn = "M010", "add-nullable-column", Safe,
        "existing rows read null; the table is not rewritten";
    AddColumnWithDefault = "M011", "add-column-with-default", Safe,
        "a constant default is stored once: the table is not rewritten";
    AddColumnWithGeneratedDefault = "M012", "add-column-with-generated-default", LockRisk,
        "a generated default (uuid, now) is computed for every existing row: the table is rewritten under a lock";
    AddRequiredColumn = "M013", "add-required-column", DataDependent,
        "required and without a default: fails when the table has rows";
    AddTenantColumn = "M014", "add-tenant-column", DataDependent,
        "the table becomes tenant-scoped: a required tenant column without a default fails when the table has rows";
    DropColumn = "M015", "drop-column", Destructive,
        "the column's values are deleted";
    DeprecateColumn = "M016", "deprecate-column", BackwardIncompatible,
        "fallback of drop-column: the column is renamed and made optional, its values are kept";
    PurgeColumn = "M017", "purge-deprecated-column", Destructive,
        "a column kept by an earlier fallback is dropped with its values";
    RenameColumn = "M018", "rename-column", BackwardIncompatible,
        "code that uses the old column name fails until it uses the new one";
    RestoreColumn = "M019", "restore-column", BackwardIncompatible,
        "a deprecated column gets its name back (reverse scripts only)";
    WidenColumnType = "M020", "widen-column-type", Safe,
        "every value fits the wider type: no failure, no rewrite in PostgreSQL";
    RewriteColumnType = "M021", "rewrite-column-type", LockRisk,
        "every value converts, but the table is rewritten under a lock";
    ConvertColumnType = "M022", "convert-column-type", DataDependent,
        "values are converted: one that does not convert or fit stops the migration, and numbers may be rounded";
    DropNotNull = "M023", "drop-not-null", Safe,
        "every existing row still fits";
    SetNotNull = "M024", "set-not-null", DataDependent,
        "fails when a row holds null (PostgreSQL checks it with a NOT VALID check first, without a long lock)";
    SetDefault = "M025", "set-default", Safe,
        "only rows inserted later are affected";
    DropDefault = "M026", "drop-default", BackwardIncompatible,
        "inserts that leave the column out get null, or fail when it is required";
    AddIndex = "M030", "add-index", Safe,
        "built without blocking writes (CONCURRENTLY in PostgreSQL, online in MariaDB)";
    DropIndex = "M031", "drop-index", Safe,
        "no data changes; queries that used it may get slower";
    AddUnique = "M032", "add-unique", DataDependent,
        "fails when existing rows repeat the key (PostgreSQL builds its index concurrently first)";
    DropUnique = "M033", "drop-unique", Safe,
        "no data changes; the key is no longer enforced";
    AddForeignKey = "M034", "add-foreign-key", DataDependent,
        "fails when a row points at no row (PostgreSQL adds it NOT VALID, then validates without blocking writes)";
    DropForeignKey = "M035", "drop-foreign-key", Safe,
        "no data changes; the reference is no longer enforced";
    AddCheck = "M036", "add-check", DataDependent,
        "fails when an existing row breaks it (PostgreSQL adds it NOT VALID, then validates without blocking writes)";
    DropCheck = "M037", "drop-check", Safe,
        "no data changes; the condition is no longer enforced";
    AddPrimaryKey = "M038", "add-primary-key", DataDependent,
        "fails when rows repeat the key or hold null in it";
    DropPrimaryKey = "M039", "drop-primary-key", BackwardIncompatible,
        "rows are no longer identified by the old key until the new one is added";
    RenameConstraint = "M040", "rename-constraint", Safe,
        "only the name of a constraint or index changes";
    CreateEnum = "M041", "create-enum", Safe,
        "a new type: nothing uses it yet";
    AddEnumValue = "M042", "add-enum-value", Safe,
        "existing values keep their meaning and order";
    RemoveEnumValue = "M043", "remove-enum-value", Destructive,
        "the value is removed; rows that hold it stop the migration (PostgreSQL rebuilds the type)";
    KeepEnumValue = "M044", "keep-enum-value", Safe,
        "fallback of remove-enum-value: the value stays in the database and is recorded as deprecated";
    ReorderEnumValues = "M045", "reorder-enum-values", BackwardIncompatible,
        "the order that < and > follow changes (PostgreSQL rebuilds the type)";
    DropEnum = "M046", "drop-enum", Safe,
        "no column uses the type any more";
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code(), self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique() {
        let mut codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        codes.sort_unstable();
        codes.dedup();
        names.sort_unstable();
        names.dedup();
        assert_eq!(codes.len(), Rule::ALL.len());
        assert_eq!(names.len(), Rule::ALL.len());
        assert_eq!(
            serde_json::to_string(&Rule::AddRequiredColumn).unwrap(),
            "\"M013\""
        );
    }
}
