//! The rules whose choice depends on the details of an operation: which kind of added column, and
//! which kind of type change.

use forge_schemas::{DefaultValue, FieldType};

use crate::rules::Rule;
use crate::snapshot::DbColumn;

/// The rule of adding `column`; `tenant` says it is the column that makes the table
/// tenant-scoped.
pub(crate) fn add_column_rule(column: &DbColumn, tenant: bool) -> Rule {
    match (&column.default, column.nullable) {
        (None, false) if tenant => Rule::AddTenantColumn,
        (None, false) => Rule::AddRequiredColumn,
        (None, true) => Rule::AddNullableColumn,
        (Some(DefaultValue::Value { .. }), _) => Rule::AddColumnWithDefault,
        (Some(DefaultValue::Now | DefaultValue::Uuid), _) => Rule::AddColumnWithGeneratedDefault,
    }
}

/// The rule of changing a column's type from `from` to `to`.
pub(crate) fn type_change_rule(from: &FieldType, to: &FieldType) -> Rule {
    use FieldType::*;
    match (from, to) {
        (String { max: a }, String { max: b }) if b >= a => Rule::WidenColumnType,
        (String { .. }, Text) => Rule::WidenColumnType,
        (
            Decimal {
                precision: p1,
                scale: s1,
            },
            Decimal {
                precision: p2,
                scale: s2,
            },
        ) if s1 == s2 && p2 >= p1 => Rule::WidenColumnType,
        // Every value has a text form, and every integer fits a bigint or a double.
        (_, Text) | (Integer, Bigint | Float) => Rule::RewriteColumnType,
        _ => Rule::ConvertColumnType,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_is_safe_and_narrowing_depends_on_the_data() {
        let s = |max| FieldType::String { max };
        assert_eq!(type_change_rule(&s(80), &s(200)), Rule::WidenColumnType);
        assert_eq!(type_change_rule(&s(200), &s(80)), Rule::ConvertColumnType);
        assert_eq!(
            type_change_rule(&FieldType::Integer, &FieldType::Bigint),
            Rule::RewriteColumnType
        );
        assert_eq!(
            type_change_rule(&FieldType::Text, &FieldType::Uuid),
            Rule::ConvertColumnType
        );
    }
}
