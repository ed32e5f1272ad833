//! Domains: what two compared values are read as, and the order that compares them.
//!
//! | forge type | read as (TypeScript) | order |
//! | --- | --- | --- |
//! | uuid | lower-case text (`string`) | `orderPlain` (ASCII) |
//! | string, text | `string` | `orderText` (code points) |
//! | integer, bigint, decimal | `Exact` (sign, digits, exponent) | `orderExact` |
//! | float | `number` | `orderFloat` (NaN last, as PostgreSQL) |
//! | boolean | `boolean` | `orderPlain` |
//! | date | `YYYY-MM-DD` text | `orderPlain` |
//! | datetime | microseconds since 1970 (`bigint`) | `orderPlain` |
//! | enum | the member's position | `orderPlain` |
//! | json, bytes | the value (presence only) | none |
//!
//! Integers, bigints and decimals compare exactly with each other; a comparison with a float
//! compares doubles (PostgreSQL casts the other side to double precision).

use forge_schemas::{FieldType, ValueType};

use crate::js;

/// What the operands of one comparison are read as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Domain {
    Uuid,
    Text,
    Exact,
    Float,
    Boolean,
    Date,
    Datetime,
    Enum(String),
    /// json and bytes: only `== null` and `!= null` apply.
    Presence,
}

impl Domain {
    /// The domain of values of type `ty`.
    pub fn of(ty: &ValueType) -> Domain {
        match ty {
            ValueType::Uuid => Domain::Uuid,
            ValueType::String => Domain::Text,
            ValueType::Integer | ValueType::Bigint | ValueType::Decimal => Domain::Exact,
            ValueType::Float => Domain::Float,
            ValueType::Boolean => Domain::Boolean,
            ValueType::Date => Domain::Date,
            ValueType::Datetime => Domain::Datetime,
            ValueType::Enum { name } => Domain::Enum(name.clone()),
            ValueType::Json | ValueType::Bytes => Domain::Presence,
            ValueType::StringList | ValueType::Null => {
                panic!("a {ty:?} is never compared as a value")
            }
        }
    }

    /// Where two typed values meet: a float with any number compares doubles, integers, bigints
    /// and decimals compare exactly; otherwise the types are the same.
    pub fn meet(a: &ValueType, b: &ValueType) -> Domain {
        match (Domain::of(a), Domain::of(b)) {
            (Domain::Float, Domain::Exact | Domain::Float) | (Domain::Exact, Domain::Float) => {
                Domain::Float
            }
            (a, _) => a,
        }
    }

    /// The runtime function that orders values of this domain.
    pub fn order(&self) -> &'static str {
        match self {
            Domain::Text => "orderText",
            Domain::Exact => "orderExact",
            Domain::Float => "orderFloat",
            Domain::Uuid | Domain::Boolean | Domain::Date | Domain::Datetime | Domain::Enum(_) => {
                "orderPlain"
            }
            Domain::Presence => panic!("json and bytes values are only compared with null"),
        }
    }
}

/// True for the types read as `Exact`.
pub(crate) fn is_exact(ty: &ValueType) -> bool {
    matches!(
        ty,
        ValueType::Integer | ValueType::Bigint | ValueType::Decimal
    )
}

/// The value type of a column type.
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

/// `raw` (a value of a record, as the caller passed it) read as a value of type `ty`: its
/// normal form, or `undefined` when it is missing or malformed.
pub(crate) fn read_record(ty: &ValueType, raw: &str) -> String {
    let reader = match ty {
        ValueType::Uuid => "asUuid",
        ValueType::String => "asText",
        ValueType::Integer => "asInteger",
        ValueType::Bigint => "asBigint",
        ValueType::Decimal => "asDecimal",
        ValueType::Float => "asFloat",
        ValueType::Boolean => "asBool",
        ValueType::Date => "asDate",
        ValueType::Datetime => "asDatetime",
        ValueType::Json => "asPresent",
        ValueType::Bytes => "asBytes",
        ValueType::Enum { name } => return members(name, raw),
        ValueType::StringList | ValueType::Null => panic!("no column is a {ty:?}"),
    };
    format!("{reader}({raw})")
}

/// `raw` (a value of the identity) read as a value of type `ty`, as PostgreSQL's helpers read the
/// identity's JSON: decimals and floats only from numbers, bytes only from strings.
pub(crate) fn read_identity(ty: &FieldType, raw: &str) -> String {
    let reader = match ty {
        FieldType::Decimal { .. } => "exact",
        FieldType::Float => "asFloatJson",
        FieldType::Bytes => "asText",
        other => return read_record(&value_type(other), raw),
    };
    format!("{reader}({raw})")
}

/// `asMember(raw, <the members of enum name>)`.
fn members(name: &str, raw: &str) -> String {
    format!("asMember({raw}, enumMembers[{}])", js::string(name))
}

/// The TypeScript type of values of type `ty` once read (without `undefined`).
pub(crate) fn read_type(ty: &FieldType) -> &'static str {
    match ty {
        FieldType::Uuid
        | FieldType::String { .. }
        | FieldType::Text
        | FieldType::Date
        | FieldType::Bytes => "string",
        FieldType::Integer | FieldType::Bigint | FieldType::Decimal { .. } => "Exact",
        FieldType::Float => "number",
        FieldType::Boolean => "boolean",
        FieldType::Datetime => "bigint",
        FieldType::Enum { .. } => "number",
        FieldType::Json => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_meet_exactly_unless_a_float_is_involved() {
        assert_eq!(
            Domain::meet(&ValueType::Integer, &ValueType::Decimal),
            Domain::Exact
        );
        assert_eq!(
            Domain::meet(&ValueType::Bigint, &ValueType::Float),
            Domain::Float
        );
        assert_eq!(
            Domain::meet(&ValueType::Float, &ValueType::Integer),
            Domain::Float
        );
        assert_eq!(
            Domain::meet(&ValueType::Uuid, &ValueType::Uuid).order(),
            "orderPlain"
        );
        assert_eq!(Domain::of(&ValueType::String).order(), "orderText");
    }

    #[test]
    fn the_identity_reads_numbers_and_bytes_as_postgresql_does() {
        let decimal = FieldType::Decimal {
            precision: 10,
            scale: 2,
        };
        assert_eq!(read_identity(&decimal, "v"), "exact(v)");
        assert_eq!(read_record(&ValueType::Decimal, "v"), "asDecimal(v)");
        assert_eq!(read_identity(&FieldType::Bytes, "v"), "asText(v)");
        assert_eq!(
            read_identity(
                &FieldType::Enum {
                    name: "A\"b".into()
                },
                "v"
            ),
            "asMember(v, enumMembers[\"A\\\"b\"])"
        );
    }
}
