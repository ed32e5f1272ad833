//! CHECK constraints: the model's named checks (`min`/`max` bounds and `check "..."`), and the
//! unnamed column checks that keep a column to its type where the dialect's type alone does not
//! (SQLite's booleans, enums, JSON and string lengths; MySQL's booleans and long strings).

use forge_schemas::{Check, CheckKind, Enum, Field, FieldType, Model};

use crate::Dialect;
use crate::condition::condition;
use crate::types::{MYSQL_MAX_VARCHAR, enum_of};

/// `CONSTRAINT "name" CHECK (...)` for one of the model's checks.
pub(crate) fn check_constraint(
    dialect: Dialect,
    model: &Model,
    enums: &[Enum],
    check: &Check,
) -> String {
    let body = match &check.kind {
        CheckKind::Bounds {
            field,
            min,
            max,
            length,
        } => bounds(dialect, model, field, min, max, *length),
        CheckKind::Expr { condition: c } => condition(dialect, enums, &c.expr),
    };
    format!("CONSTRAINT {} CHECK ({body})", dialect.ident(&check.name))
}

/// `min`/`max` of a field: on the length for string and text, on the value otherwise. A missing
/// value passes.
fn bounds(
    dialect: Dialect,
    model: &Model,
    field: &str,
    min: &Option<String>,
    max: &Option<String>,
    length: bool,
) -> String {
    let column = dialect.ident(field);
    let measured = if length {
        format!("{}({column})", length_fn(dialect))
    } else {
        column.clone()
    };
    let mut tests = Vec::new();
    if let Some(min) = min {
        tests.push(format!("{measured} >= {min}"));
    }
    if let Some(max) = max {
        tests.push(format!("{measured} <= {max}"));
    }
    let tests = if tests.is_empty() {
        "TRUE".to_string()
    } else {
        tests.join(" AND ")
    };
    let optional = model.field(field).is_none_or(|f| f.optional);
    if optional {
        format!("{column} IS NULL OR ({tests})")
    } else {
        tests
    }
}

/// The function that counts the characters of a string.
fn length_fn(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres | Dialect::Mysql => "char_length",
        Dialect::Sqlite => "length",
    }
}

/// The unnamed `CHECK (...)` that keeps `field` to its type, when the dialect needs one. `bounded`
/// says a named bounds check already limits the field's length.
pub(crate) fn column_check(
    dialect: Dialect,
    field: &Field,
    enums: &[Enum],
    bounded: bool,
) -> Option<String> {
    let column = dialect.ident(&field.name);
    let test = match (dialect, &field.ty) {
        (Dialect::Sqlite | Dialect::Mysql, FieldType::Boolean) => format!("{column} IN (0, 1)"),
        (Dialect::Sqlite, FieldType::Enum { name }) => {
            let members: Vec<String> = enum_of(enums, name)
                .values
                .iter()
                .map(|v| dialect.string(v))
                .collect();
            format!("{column} IN ({})", members.join(", "))
        }
        (Dialect::Sqlite, FieldType::Json) => format!("json_valid({column})"),
        (Dialect::Sqlite, FieldType::String { max }) if !bounded => {
            format!("length({column}) <= {max}")
        }
        (Dialect::Mysql, FieldType::String { max }) if !bounded && *max > MYSQL_MAX_VARCHAR => {
            format!("char_length({column}) <= {max}")
        }
        _ => return None,
    };
    Some(format!("CHECK ({test})"))
}

/// True when one of the model's bounds checks keeps `field`'s length to `limit` or less.
pub(crate) fn has_length_max(model: &Model, field: &str, limit: u32) -> bool {
    model.checks.iter().any(|c| match &c.kind {
        CheckKind::Bounds {
            field: f,
            max: Some(max),
            length: true,
            ..
        } if f == field => max.parse::<u64>().is_ok_and(|max| max <= u64::from(limit)),
        _ => false,
    })
}
