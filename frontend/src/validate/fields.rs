//! Diagnostics family "fields": a field's properties against its type: `min`/`max` (lengths for
//! string and text, values for numbers, `min <= max`), `pattern` (string and text, a plausible
//! regular expression), `default` (`now`, `uuid`, or a literal of the type; an enum member), and
//! the tenant column (at most one per model, typed like the identity's `tenant_id`).

use std::cmp::Ordering;

use forge_schemas::{DefaultValue, Field, FieldType, Literal};

use crate::ast::Value;
use crate::validate::decls::{ColumnDecl, FieldDecl, ModelDecl, Spanned};
use crate::validate::report::{Cx, Report, article, list};
use crate::validate::vocabulary::Vocabulary;

pub const INVALID_BOUNDS: &str = "forge::invalid-bounds";
pub const INVALID_PATTERN: &str = "forge::invalid-pattern";
pub const INVALID_DEFAULT: &str = "forge::invalid-default";
pub const DUPLICATE_TENANT: &str = "forge::duplicate-tenant";
pub const TENANT_TYPE: &str = "forge::tenant-type";

/// The longest `string` (PostgreSQL's varchar limit).
const STRING_MAX_LIMIT: u32 = 10_485_760;

/// The IR field for `decl`, whose type (with default parameters) is `ty`.
pub fn field(cx: &mut Cx, decl: &FieldDecl, ty: FieldType, vocabulary: &Vocabulary) -> Field {
    let min = bound(cx, decl, &ty, decl.min.as_ref());
    let max = bound(cx, decl, &ty, decl.max.as_ref());
    if let (Some(lo), Some(hi), Some(lo_at)) = (&min, &max, &decl.min)
        && compare(lo, hi) == Ordering::Greater
    {
        cx.emit(
            Report::error(INVALID_BOUNDS, format!("min={lo} is larger than max={hi}"))
                .at(lo_at.at, "larger than max")
                .help("min must be at most max"),
        );
    }
    let ty = match ty {
        FieldType::String { .. } => FieldType::String {
            max: max
                .as_ref()
                .and_then(|m| m.parse().ok())
                .unwrap_or(super::types::STRING_MAX),
        },
        other => other,
    };
    if let Some(pattern) = &decl.pattern {
        check_pattern(cx, decl, &ty, pattern);
    }
    if let Some(tenant) = decl.tenant
        && !same_type(&ty, &vocabulary.identity.tenant_id)
    {
        cx.emit(
            Report::error(
                TENANT_TYPE,
                format!(
                    "tenant column `{}` is {} but the identity's tenant_id is {}",
                    decl.name.value,
                    ty.schema_name(),
                    vocabulary.identity.tenant_id.schema_name()
                ),
            )
            .at(tenant, "type differs from user.tenant_id")
            .help(format!(
                "give `{}` the type {}, or declare `identity {{ tenant_id {} }}`",
                decl.name.value,
                vocabulary.identity.tenant_id.schema_name(),
                ty.schema_name()
            )),
        );
    }
    let default = decl
        .default
        .as_ref()
        .and_then(|d| default(cx, decl, &ty, d, vocabulary));
    Field {
        name: decl.name.value.clone(),
        ty,
        optional: decl.optional,
        default,
        min,
        max,
        pattern: decl.pattern.as_ref().map(|p| p.value.clone()),
        pii: decl.pii,
        secret: decl.secret,
        residency: decl.residency.as_ref().map(|r| r.value.clone()),
        renamed_from: decl.renamed_from.as_ref().map(|r| r.value.clone()),
        relation: None,
    }
}

/// The tenant column of a model: the field with `tenant=#true`; a second one is reported.
pub fn tenant(cx: &mut Cx, model: &ModelDecl) -> Option<String> {
    let mut first: Option<&FieldDecl> = None;
    for column in &model.columns {
        let ColumnDecl::Field(f) = column else {
            continue;
        };
        let Some(at) = f.tenant else { continue };
        match first {
            None => first = Some(f),
            Some(first) => cx.emit(
                Report::error(
                    DUPLICATE_TENANT,
                    format!("model `{}` has two tenant columns", model.name.value),
                )
                .at(at, "second tenant column")
                .related(first.tenant.unwrap_or(first.node), "first tenant column")
                .help("a model has at most one tenant=#true field"),
            ),
        }
    }
    first.map(|f| f.name.value.clone())
}

fn same_type(a: &FieldType, b: &FieldType) -> bool {
    a.schema_name() == b.schema_name()
}

/// A valid `min=`/`max=` as decimal text; `None` (after reporting) when it does not fit the type.
fn bound(
    cx: &mut Cx,
    decl: &FieldDecl,
    ty: &FieldType,
    given: Option<&Spanned<String>>,
) -> Option<String> {
    let given = given?;
    let value = given.value.as_str();
    let fail = |cx: &mut Cx, message: String, help: &str| {
        cx.emit(
            Report::error(INVALID_BOUNDS, message)
                .at(given.at, "invalid bound")
                .help(help.to_string()),
        );
        None
    };
    match ty {
        FieldType::String { .. } | FieldType::Text => match value.parse::<u32>() {
            Ok(0) if matches!(ty, FieldType::String { .. }) && Some(given) == decl.max.as_ref() => {
                fail(
                    cx,
                    "a string's max length must be at least 1".to_string(),
                    "give max=1 or more",
                )
            }
            Ok(n) if n > STRING_MAX_LIMIT => fail(
                cx,
                format!("length {n} is too large"),
                "a string holds at most 10485760 characters; use `text` for longer values",
            ),
            Ok(_) => Some(value.to_string()),
            Err(_) => fail(
                cx,
                format!("a length bound must be a whole number, not {value}"),
                "min and max of string and text are lengths in characters",
            ),
        },
        FieldType::Integer | FieldType::Bigint => {
            let fits = match ty {
                FieldType::Integer => value.parse::<i32>().is_ok(),
                _ => value.parse::<i64>().is_ok(),
            };
            if fits {
                Some(value.to_string())
            } else {
                fail(
                    cx,
                    format!("{value} is not a valid {} bound", ty.schema_name()),
                    "give a whole number in the type's range",
                )
            }
        }
        FieldType::Decimal { .. } | FieldType::Float => Some(value.to_string()),
        other => fail(
            cx,
            format!("min and max do not apply to {} fields", other.schema_name()),
            "min and max bound string and text lengths and number values",
        ),
    }
}

/// Orders two decimal texts: exactly for integers, by value otherwise.
fn compare(a: &str, b: &str) -> Ordering {
    match (a.parse::<i128>(), b.parse::<i128>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => {
            let (x, y) = (
                a.parse::<f64>().unwrap_or(0.0),
                b.parse::<f64>().unwrap_or(0.0),
            );
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
    }
}

fn check_pattern(cx: &mut Cx, decl: &FieldDecl, ty: &FieldType, pattern: &Spanned<String>) {
    if !matches!(ty, FieldType::String { .. } | FieldType::Text) {
        cx.emit(
            Report::error(
                INVALID_PATTERN,
                format!(
                    "pattern applies to string and text fields, not {}",
                    ty.schema_name()
                ),
            )
            .at(pattern.at, "only for string and text")
            .help(format!(
                "remove the pattern, or make `{}` a string",
                decl.name.value
            )),
        );
    } else if let Err(problem) = plausible_regex(&pattern.value) {
        cx.emit(
            Report::error(INVALID_PATTERN, format!("pattern is not a valid regular expression: {problem}"))
                .at(pattern.at, problem)
                .help("check the brackets and escapes; write the pattern as a raw string, e.g. pattern=#\"^[a-z]+$\"#"),
        );
    }
}

/// A light check of a regular expression: escapes complete, `(`/`)` balanced, `[` closed.
fn plausible_regex(pattern: &str) -> Result<(), &'static str> {
    let mut depth = 0usize;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next().ok_or("it ends with a lone backslash")?;
            }
            '[' => {
                if chars.peek() == Some(&'^') {
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                }
                loop {
                    match chars.next().ok_or("a `[` is never closed")? {
                        '\\' => {
                            chars.next();
                        }
                        ']' => break,
                        _ => {}
                    }
                }
            }
            '(' => depth += 1,
            ')' => depth = depth.checked_sub(1).ok_or("a `)` closes nothing")?,
            _ => {}
        }
    }
    if depth > 0 {
        Err("a `(` is never closed")
    } else {
        Ok(())
    }
}

fn default(
    cx: &mut Cx,
    decl: &FieldDecl,
    ty: &FieldType,
    given: &Spanned<Value>,
    vocabulary: &Vocabulary,
) -> Option<DefaultValue> {
    let literal = |value: Literal| Some(DefaultValue::Value { value });
    let text = match &given.value {
        Value::String(s) => Some(s.as_str()),
        _ => None,
    };
    let result: Result<Option<DefaultValue>, String> = match (ty, &given.value) {
        (_, Value::Null) if decl.optional => Ok(literal(Literal::Null)),
        (_, Value::Null) => Err("a required field cannot default to #null".to_string()),
        (FieldType::Date | FieldType::Datetime, _) if text == Some("now") => {
            Ok(Some(DefaultValue::Now))
        }
        (FieldType::Uuid, _) if text == Some("uuid") => Ok(Some(DefaultValue::Uuid)),
        (FieldType::String { .. } | FieldType::Text | FieldType::Enum { .. }, _) => {
            string_default(ty, &given.value, vocabulary)
        }
        (_, _) if text == Some("now") => Err(format!(
            "default=now is for date and datetime fields, not {}",
            ty.schema_name()
        )),
        (_, _) if text == Some("uuid") => Err(format!(
            "default=uuid is for uuid fields, not {}",
            ty.schema_name()
        )),
        (FieldType::Uuid, Value::String(s)) if is_uuid(s) => {
            Ok(literal(Literal::String(s.to_lowercase())))
        }
        (FieldType::Integer, Value::Integer(n)) if n.parse::<i32>().is_ok() => {
            Ok(literal(Literal::Number(n.clone())))
        }
        (FieldType::Bigint, Value::Integer(n)) if n.parse::<i64>().is_ok() => {
            Ok(literal(Literal::Number(n.clone())))
        }
        (FieldType::Decimal { .. } | FieldType::Float, Value::Integer(n)) => {
            Ok(literal(Literal::Number(n.clone())))
        }
        (FieldType::Decimal { .. } | FieldType::Float, Value::Float(n))
            if n.parse::<f64>().is_ok_and(f64::is_finite) =>
        {
            Ok(literal(Literal::Number(n.clone())))
        }
        (FieldType::Boolean, Value::Bool(b)) => Ok(literal(Literal::Bool(*b))),
        (FieldType::Date, Value::String(s)) if is_date(s) => {
            Ok(literal(Literal::String(s.clone())))
        }
        (FieldType::Datetime, Value::String(s)) if is_datetime(s) => {
            Ok(literal(Literal::String(s.clone())))
        }
        (FieldType::Json, Value::String(s))
            if serde_json::from_str::<serde_json::Value>(s).is_ok() =>
        {
            Ok(literal(Literal::String(s.clone())))
        }
        (FieldType::Bytes, _) => Err("bytes fields take no default".to_string()),
        (_, other) => Err(format!(
            "{} is not a valid default for {} {} field",
            other.describe(),
            article(ty.schema_name()),
            ty.schema_name()
        )),
    };
    match result {
        Ok(value) => value,
        Err(message) => {
            cx.emit(
                Report::error(INVALID_DEFAULT, message)
                    .at(given.at, "invalid default")
                    .help(default_help(ty, vocabulary)),
            );
            None
        }
    }
}

fn string_default(
    ty: &FieldType,
    value: &Value,
    vocabulary: &Vocabulary,
) -> Result<Option<DefaultValue>, String> {
    let Value::String(s) = value else {
        return Err(format!(
            "{} is not a valid default for {} {} field",
            value.describe(),
            article(ty.schema_name()),
            ty.schema_name()
        ));
    };
    match ty {
        FieldType::String { max } if s.chars().count() > *max as usize => Err(format!(
            "the default is longer than the field's max length {max}"
        )),
        FieldType::Enum { name }
            if !vocabulary.enum_(name).is_some_and(|e| e.values.contains(s)) =>
        {
            Err(format!("`{s}` is not a member of enum {name}"))
        }
        _ => Ok(Some(DefaultValue::Value {
            value: Literal::String(s.clone()),
        })),
    }
}

fn default_help(ty: &FieldType, vocabulary: &Vocabulary) -> String {
    match ty {
        FieldType::Uuid => "write default=uuid (generated) or a uuid literal".to_string(),
        FieldType::Date => "write default=now or a date like \"2024-01-31\"".to_string(),
        FieldType::Datetime => {
            "write default=now or a datetime like \"2024-01-31T12:00:00Z\"".to_string()
        }
        FieldType::Integer | FieldType::Bigint => {
            "write a whole number in the type's range, e.g. default=0".to_string()
        }
        FieldType::Decimal { .. } | FieldType::Float => {
            "write a number, e.g. default=0.5".to_string()
        }
        FieldType::Boolean => "write default=#true or default=#false".to_string(),
        FieldType::Json => "write the JSON value as a string, e.g. default=\"{}\"".to_string(),
        FieldType::Enum { name } => {
            let members = vocabulary
                .enum_(name)
                .map(|e| list(&e.values))
                .unwrap_or_default();
            format!("the members of {name} are {members}")
        }
        FieldType::Bytes => "remove the default".to_string(),
        FieldType::String { .. } | FieldType::Text => {
            "write a string within the max length".to_string()
        }
    }
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}

fn is_datetime(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', ' ']) else {
        return false;
    };
    let zone_at = time.find(['Z', '+', '-']).unwrap_or(time.len());
    let (clock, zone) = time.split_at(zone_at);
    let clock_ok = {
        let b = clock.as_bytes();
        b.len() >= 8
            && b[2] == b':'
            && b[5] == b':'
            && clock[..8]
                .chars()
                .enumerate()
                .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit())
    };
    let zone_ok = zone == "Z" || (zone.len() == 6 && zone.as_bytes()[3] == b':');
    is_date(date) && clock_ok && zone_ok
}

#[cfg(test)]
mod tests {
    use super::plausible_regex;
    use crate::validate::tests::codes;

    fn with(field: &str) -> Vec<String> {
        codes(&format!(
            "enum Status a b\nmodel Post {{\n id uuid pk=#true\n {field}\n policy all \"true\"\n}}\n"
        ))
    }

    #[test]
    fn bounds_fit_the_type() {
        assert!(with("title string min=1 max=200").is_empty());
        assert!(with("price decimal min=0.5 max=10").is_empty());
        assert_eq!(with("flag boolean min=1"), vec!["forge::invalid-bounds"]);
        assert_eq!(
            with("title string min=5 max=2"),
            vec!["forge::invalid-bounds"]
        );
        assert_eq!(
            with("n integer max=3000000000"),
            vec!["forge::invalid-bounds"]
        );
        assert_eq!(with("title text min=0.5"), vec!["forge::invalid-bounds"]);
    }

    #[test]
    fn patterns_are_for_strings_and_balanced() {
        assert!(with("slug string pattern=#\"^[a-z(]+(-[a-z]+)*$\"#").is_empty());
        assert_eq!(
            with("n integer pattern=\"x\""),
            vec!["forge::invalid-pattern"]
        );
        assert_eq!(
            with("slug string pattern=\"(a\""),
            vec!["forge::invalid-pattern"]
        );
        assert_eq!(plausible_regex("[a-z"), Err("a `[` is never closed"));
        assert_eq!(plausible_regex("a)"), Err("a `)` closes nothing"));
    }

    #[test]
    fn defaults_fit_the_type() {
        for ok in [
            "at datetime default=now",
            "on date default=\"2024-02-29\"",
            "key uuid default=uuid",
            "status Status default=a",
            "n integer default=0",
            "x float default=1.5",
            "b boolean default=#false",
            "t string optional=#true default=#null",
            "j json default=\"{}\"",
            "at datetime default=\"2024-01-31T12:00:00+02:00\"",
        ] {
            assert!(with(ok).is_empty(), "{ok}: {:?}", with(ok));
        }
        for bad in [
            "n integer default=now",
            "at date default=uuid",
            "status Status default=c",
            "n integer default=1.5",
            "b boolean default=yes",
            "t string default=#null",
            "k uuid default=\"nope\"",
            "bin bytes default=\"x\"",
        ] {
            assert_eq!(with(bad), vec!["forge::invalid-default"], "{bad}");
        }
    }

    #[test]
    fn one_tenant_column_of_the_identity_type() {
        assert_eq!(
            with("t uuid tenant=#true\n u uuid tenant=#true"),
            vec!["forge::duplicate-tenant"]
        );
        assert_eq!(with("t bigint tenant=#true"), vec!["forge::tenant-type"]);
    }
}
