//! Literal values (`null`, booleans, numbers, strings) as SQL.

use forge_schemas::Literal;

use crate::Dialect;

/// `value` as an SQL literal. Numbers are already canonical decimal text; strings are escaped for
/// the dialect; booleans are `TRUE` / `FALSE`, which all three read (SQLite as 1 and 0).
pub(crate) fn literal(dialect: Dialect, value: &Literal) -> String {
    match value {
        Literal::Null => "NULL".into(),
        Literal::Bool(true) => "TRUE".into(),
        Literal::Bool(false) => "FALSE".into(),
        Literal::Number(text) => text.clone(),
        Literal::String(text) => dialect.string(text),
    }
}
