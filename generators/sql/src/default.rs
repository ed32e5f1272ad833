//! Column defaults: literals, enum members, the current time (`now`) and generated uuids (`uuid`).
//! Times are UTC in every dialect.

use forge_schemas::{DefaultValue, Field, FieldType, Literal};

use crate::Dialect;
use crate::literal::{datetime_literal, literal};
use crate::types::mysql_is_blob;

/// A random version-4 uuid in SQLite, as lowercase text: 122 random bits from `randomblob`, the
/// version nibble `4` and the variant nibble one of `8 9 a b`.
const SQLITE_UUID_V4: &str = "(lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || \
     substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || \
     substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))))";

/// The current UTC time in SQLite as ISO-8601 text with milliseconds (`2024-05-01T12:00:00.000Z`):
/// text in this one format sorts in time order.
const SQLITE_NOW: &str = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";

/// The expression after `DEFAULT` for `field`, if it has a default.
pub fn default_sql(dialect: Dialect, field: &Field) -> Option<String> {
    let sql = match field.default.as_ref()? {
        DefaultValue::Now => now(dialect, &field.ty).to_string(),
        DefaultValue::Uuid => match dialect {
            Dialect::Postgres => "gen_random_uuid()".into(),
            Dialect::Sqlite => SQLITE_UUID_V4.into(),
            Dialect::Mysql => "(UUID())".into(),
        },
        DefaultValue::Value { value } => {
            let sql = match (&field.ty, value) {
                (FieldType::Datetime, Literal::String(text)) => datetime_literal(dialect, text),
                _ => literal(dialect, value),
            };
            // MySQL 8 takes a literal default on a TEXT, BLOB or JSON column only as an expression.
            if dialect == Dialect::Mysql && mysql_is_blob(&field.ty) {
                format!("({sql})")
            } else {
                sql
            }
        }
    };
    Some(sql)
}

fn now(dialect: Dialect, ty: &FieldType) -> &'static str {
    let date = matches!(ty, FieldType::Date);
    match (dialect, date) {
        (Dialect::Postgres, false) => "now()",
        (Dialect::Postgres, true) => "((now() AT TIME ZONE 'UTC')::date)",
        (Dialect::Sqlite, false) => SQLITE_NOW,
        (Dialect::Sqlite, true) => "(date('now'))",
        (Dialect::Mysql, false) => "(UTC_TIMESTAMP(6))",
        (Dialect::Mysql, true) => "(UTC_DATE())",
    }
}
