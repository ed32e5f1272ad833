//! Column definitions: one line per column inside `CREATE TABLE`.

use forge_schemas::{Enum, Field, FieldType, Model};

use crate::Dialect;
use crate::check::{column_check, has_length_max};
use crate::default::default_sql;
use crate::types::column_type;

/// `"name" type NOT NULL DEFAULT ... CHECK (...)` for one of the model's fields.
pub(crate) fn column_line(
    dialect: Dialect,
    model: &Model,
    enums: &[Enum],
    field: &Field,
) -> String {
    let mut line = format!(
        "{} {}",
        dialect.ident(&field.name),
        column_type(dialect, &field.ty, enums)
    );
    if !field.optional {
        line.push_str(" NOT NULL");
    }
    if let Some(default) = default_sql(dialect, field) {
        line.push_str(" DEFAULT ");
        line.push_str(&default);
    }
    let bounded = match field.ty {
        FieldType::String { max } => has_length_max(model, &field.name, max),
        _ => false,
    };
    if let Some(check) = column_check(dialect, field, enums, bounded) {
        line.push(' ');
        line.push_str(&check);
    }
    line
}

/// A join table's column: never null, no default.
pub(crate) fn plain_column_line(
    dialect: Dialect,
    name: &str,
    ty: &FieldType,
    enums: &[Enum],
) -> String {
    format!(
        "{} {} NOT NULL",
        dialect.ident(name),
        column_type(dialect, ty, enums)
    )
}
