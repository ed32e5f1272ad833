//! Column types: one per forge field type and dialect. The table in `docs/sql-types.md` says why
//! each was chosen, and a test keeps it equal to this code.

use forge_schemas::{Enum, FieldType};

use crate::Dialect;

/// The longest `string` MySQL stores as `VARCHAR`: 768 characters of 4-byte utf8mb4 fill InnoDB's
/// 3072-byte index key, so any `VARCHAR` column can be a key. Longer strings are `LONGTEXT` with a
/// length check.
pub const MYSQL_MAX_VARCHAR: u32 = 768;

/// How many leading characters a MySQL index keeps of a `LONGTEXT` or `LONGBLOB` column.
pub const MYSQL_INDEX_PREFIX: u32 = 255;

/// The column type of `ty` in `dialect`. `enums` must hold the enum an enum type names.
///
/// ```
/// use forge_gen_sql::{column_type, Dialect};
/// use forge_schemas::FieldType;
/// assert_eq!(column_type(Dialect::Postgres, &FieldType::Datetime, &[]), "timestamptz");
/// assert_eq!(column_type(Dialect::Mysql, &FieldType::Uuid, &[]), "CHAR(36)");
/// ```
pub fn column_type(dialect: Dialect, ty: &FieldType, enums: &[Enum]) -> String {
    match dialect {
        Dialect::Postgres => postgres(ty, enums),
        Dialect::Sqlite => sqlite(ty).to_string(),
        Dialect::Mysql => mysql(ty, enums),
    }
}

fn postgres(ty: &FieldType, enums: &[Enum]) -> String {
    match ty {
        FieldType::Uuid => "uuid".into(),
        FieldType::String { max } => format!("varchar({max})"),
        FieldType::Text => "text".into(),
        FieldType::Integer => "integer".into(),
        FieldType::Bigint => "bigint".into(),
        FieldType::Decimal { precision, scale } => format!("numeric({precision},{scale})"),
        FieldType::Float => "double precision".into(),
        FieldType::Boolean => "boolean".into(),
        FieldType::Date => "date".into(),
        FieldType::Datetime => "timestamptz".into(),
        FieldType::Json => "jsonb".into(),
        FieldType::Bytes => "bytea".into(),
        FieldType::Enum { name } => Dialect::Postgres.ident(&enum_of(enums, name).sql_name),
    }
}

fn sqlite(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::Integer | FieldType::Bigint | FieldType::Boolean => "INTEGER",
        FieldType::Decimal { .. } => "NUMERIC",
        FieldType::Float => "REAL",
        FieldType::Bytes => "BLOB",
        FieldType::Uuid
        | FieldType::String { .. }
        | FieldType::Text
        | FieldType::Date
        | FieldType::Datetime
        | FieldType::Json
        | FieldType::Enum { .. } => "TEXT",
    }
}

fn mysql(ty: &FieldType, enums: &[Enum]) -> String {
    match ty {
        FieldType::Uuid => "CHAR(36)".into(),
        FieldType::String { max } if *max <= MYSQL_MAX_VARCHAR => format!("VARCHAR({max})"),
        FieldType::String { .. } | FieldType::Text => "LONGTEXT".into(),
        FieldType::Integer => "INT".into(),
        FieldType::Bigint => "BIGINT".into(),
        FieldType::Decimal { precision, scale } => format!("DECIMAL({precision},{scale})"),
        FieldType::Float => "DOUBLE".into(),
        FieldType::Boolean => "BOOLEAN".into(),
        FieldType::Date => "DATE".into(),
        FieldType::Datetime => "DATETIME(6)".into(),
        FieldType::Json => "JSON".into(),
        FieldType::Bytes => "LONGBLOB".into(),
        FieldType::Enum { name } => {
            let values: Vec<String> = enum_of(enums, name)
                .values
                .iter()
                .map(|v| Dialect::Mysql.string(v))
                .collect();
            format!("ENUM({})", values.join(", "))
        }
    }
}

/// True when MySQL stores `ty` as `LONGTEXT`, `LONGBLOB` or `JSON`: such a column takes a
/// literal default only in parentheses, and an index only on a prefix (or, for JSON, not at all).
pub(crate) fn mysql_is_blob(ty: &FieldType) -> bool {
    matches!(ty, FieldType::Text | FieldType::Json | FieldType::Bytes)
        || matches!(ty, FieldType::String { max } if *max > MYSQL_MAX_VARCHAR)
}

/// The enum called `name`. The IR (and every slice of it) holds every enum, so a missing one is a
/// broken IR.
pub(crate) fn enum_of<'a>(enums: &'a [Enum], name: &str) -> &'a Enum {
    enums
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("enum `{name}` is not in the IR: every slice holds every enum"))
}
