//! Value types: from column types, how they read in messages, and which can be ordered.

use forge_schemas::{FieldType, ValueType};

/// The type of a column's values.
pub(crate) fn value_type(ty: &FieldType) -> ValueType {
    match ty {
        FieldType::Uuid => ValueType::Uuid,
        FieldType::String { .. } | FieldType::Text => ValueType::String,
        FieldType::Integer => ValueType::Integer,
        FieldType::Bigint => ValueType::Bigint,
        FieldType::Decimal { .. } => ValueType::Decimal,
        FieldType::Float => ValueType::Float,
        FieldType::Boolean => ValueType::Boolean,
        FieldType::Date => ValueType::Date,
        FieldType::Datetime => ValueType::Datetime,
        FieldType::Json => ValueType::Json,
        FieldType::Bytes => ValueType::Bytes,
        FieldType::Enum { name } => ValueType::Enum { name: name.clone() },
    }
}

/// `a uuid`, `an integer`, `a PostStatus value`: the type as a noun phrase.
pub(crate) fn describe(ty: &ValueType) -> String {
    match ty {
        ValueType::Uuid => "a uuid".into(),
        ValueType::String => "a string".into(),
        ValueType::Integer => "an integer".into(),
        ValueType::Bigint => "a bigint".into(),
        ValueType::Decimal => "a decimal".into(),
        ValueType::Float => "a float".into(),
        ValueType::Boolean => "a boolean".into(),
        ValueType::Date => "a date".into(),
        ValueType::Datetime => "a datetime".into(),
        ValueType::Json => "a json value".into(),
        ValueType::Bytes => "bytes".into(),
        ValueType::Enum { name } => format!("a {name} value"),
        ValueType::StringList => "a list of strings".into(),
        ValueType::Null => "null".into(),
    }
}

/// True for integer, bigint, decimal and float.
pub(crate) fn is_numeric(ty: &ValueType) -> bool {
    matches!(
        ty,
        ValueType::Integer | ValueType::Bigint | ValueType::Decimal | ValueType::Float
    )
}

/// True when `<`, `<=`, `>` and `>=` apply to two values of this type.
pub(crate) fn is_ordered(ty: &ValueType) -> bool {
    is_numeric(ty)
        || matches!(
            ty,
            ValueType::String
                | ValueType::Enum { .. }
                | ValueType::Uuid
                | ValueType::Date
                | ValueType::Datetime
        )
}
