//! Literal values (`null`, booleans, numbers, strings) as SQL.

use forge_schemas::Literal;

use crate::Dialect;

/// A datetime literal (canonical UTC text, `2024-01-31T10:00:00.000Z`, as the IR holds it) for a
/// datetime column. MySQL's `DATETIME(6)` holds UTC without a zone and refuses the `T`/`Z` form,
/// so it gets `'2024-01-31 10:00:00.000'`; PostgreSQL reads the ISO form, and SQLite stores it.
pub fn datetime_literal(dialect: Dialect, text: &str) -> String {
    match (dialect, text.strip_suffix('Z')) {
        (Dialect::Mysql, Some(utc)) => dialect.string(&utc.replacen('T', " ", 1)),
        _ => dialect.string(text),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mysql_datetimes_drop_the_zone_designator() {
        let t = "2024-01-31T10:00:00.000Z";
        assert_eq!(
            datetime_literal(Dialect::Mysql, t),
            "'2024-01-31 10:00:00.000'"
        );
        assert_eq!(
            datetime_literal(Dialect::Postgres, t),
            "'2024-01-31T10:00:00.000Z'"
        );
        assert_eq!(
            datetime_literal(Dialect::Sqlite, t),
            "'2024-01-31T10:00:00.000Z'"
        );
    }
}
