//! Diagnostics family "types": a field's type name resolved to a [`FieldType`] (unknown types are
//! reported with the list of types and the close names), and a decimal's precision and scale.

use forge_schemas::FieldType;

use crate::validate::decls::{FieldDecl, Spanned};
use crate::validate::report::{Cx, Report, close_names, did_you_mean};
use crate::validate::vocabulary::Vocabulary;

pub const UNKNOWN_TYPE: &str = "forge::unknown-type";
pub const INVALID_DECIMAL: &str = "forge::invalid-decimal";

/// The built-in type names.
pub const BUILTIN: [&str; 12] = [
    "uuid", "string", "text", "integer", "bigint", "decimal", "float", "boolean", "date",
    "datetime", "json", "bytes",
];

/// Default length of `string`.
pub const STRING_MAX: u32 = 255;
/// Default precision and scale of `decimal`.
pub const DECIMAL_DEFAULT: (u32, u32) = (18, 2);
/// The largest decimal precision every dialect accepts (PostgreSQL's limit).
pub const DECIMAL_MAX_PRECISION: u32 = 1000;

/// The type called `ty`, with default parameters (`string` 255, `decimal` 18,2). `models` are the
/// model names, for a better help line when one is used as a type.
pub fn resolve(
    cx: &mut Cx,
    ty: &Spanned<String>,
    vocabulary: &Vocabulary,
    models: &[&str],
) -> Option<FieldType> {
    let name = ty.value.as_str();
    let resolved = match name {
        "uuid" => FieldType::Uuid,
        "string" => FieldType::String { max: STRING_MAX },
        "text" => FieldType::Text,
        "integer" => FieldType::Integer,
        "bigint" => FieldType::Bigint,
        "decimal" => FieldType::Decimal {
            precision: DECIMAL_DEFAULT.0,
            scale: DECIMAL_DEFAULT.1,
        },
        "float" => FieldType::Float,
        "boolean" => FieldType::Boolean,
        "date" => FieldType::Date,
        "datetime" => FieldType::Datetime,
        "json" => FieldType::Json,
        "bytes" => FieldType::Bytes,
        _ if vocabulary.enum_(name).is_some() => FieldType::Enum {
            name: name.to_string(),
        },
        _ => {
            let help = if models.contains(&name) {
                format!(
                    "`{name}` is a model: a reference to it is written `<name> belongs-to={name}` (or has-many=, many-to-many=)"
                )
            } else {
                let candidates = BUILTIN
                    .iter()
                    .copied()
                    .chain(vocabulary.enums.iter().map(|e| e.name.as_str()));
                let enums: Vec<&str> = vocabulary.enums.iter().map(|e| e.name.as_str()).collect();
                format!(
                    "{}the types are {}{}",
                    did_you_mean(&close_names(name, candidates)),
                    BUILTIN.join(", "),
                    if enums.is_empty() {
                        String::new()
                    } else {
                        format!(", and the enums {}", enums.join(", "))
                    }
                )
            };
            cx.emit(
                Report::error(UNKNOWN_TYPE, format!("unknown type `{name}`"))
                    .at(ty.at, "not a type")
                    .help(help),
            );
            return None;
        }
    };
    Some(resolved)
}

/// Applies `precision=` and `scale=` to a decimal; on any other type they are reported.
pub fn decimal(cx: &mut Cx, decl: &FieldDecl, ty: FieldType) -> FieldType {
    let FieldType::Decimal { .. } = ty else {
        for given in [&decl.precision, &decl.scale].into_iter().flatten() {
            cx.emit(
                Report::error(
                    INVALID_DECIMAL,
                    format!(
                        "precision and scale apply to decimal fields, not {}",
                        ty.schema_name()
                    ),
                )
                .at(given.at, "only for decimal")
                .help(format!(
                    "remove it, or make `{}` a decimal",
                    decl.name.value
                )),
            );
        }
        return ty;
    };
    let precision = decl
        .precision
        .as_ref()
        .map_or(DECIMAL_DEFAULT.0, |p| p.value);
    let scale = decl.scale.as_ref().map_or(DECIMAL_DEFAULT.1, |s| s.value);
    if let Some(p) = &decl.precision
        && !(1..=DECIMAL_MAX_PRECISION).contains(&p.value)
    {
        cx.emit(
            Report::error(
                INVALID_DECIMAL,
                format!("decimal precision {} is out of range", p.value),
            )
            .at(p.at, "out of range")
            .help(format!(
                "precision (the total number of digits) goes from 1 to {DECIMAL_MAX_PRECISION}"
            )),
        );
    } else if scale > precision {
        let at = decl
            .scale
            .as_ref()
            .or(decl.precision.as_ref())
            .map_or(decl.ty.at, |s| s.at);
        let shown = if decl.scale.is_some() {
            String::new()
        } else {
            " (the default)".to_string()
        };
        cx.emit(
            Report::error(
                INVALID_DECIMAL,
                format!("decimal scale {scale}{shown} is larger than its precision {precision}"),
            )
            .at(at, "scale > precision")
            .help("the scale (digits after the point) must be at most the precision (all digits)"),
        );
    }
    FieldType::Decimal { precision, scale }
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes;

    fn with(field: &str) -> Vec<String> {
        codes(&format!(
            "enum Status a b\nmodel Post {{\n id uuid pk=#true\n {field}\n policy all \"true\"\n}}\n"
        ))
    }

    #[test]
    fn unknown_types_are_errors() {
        assert_eq!(with("title strng"), vec!["forge::unknown-type"]);
        assert_eq!(with("author Post"), vec!["forge::unknown-type"]);
        assert!(with("status Status").is_empty());
    }

    #[test]
    fn decimal_parameters_are_checked() {
        assert!(with("price decimal precision=10 scale=2").is_empty());
        assert_eq!(
            with("price decimal precision=1"),
            vec!["forge::invalid-decimal"]
        );
        assert_eq!(
            with("price decimal precision=0 scale=0"),
            vec!["forge::invalid-decimal"]
        );
        assert_eq!(
            with("count integer precision=4"),
            vec!["forge::invalid-decimal"]
        );
    }
}
