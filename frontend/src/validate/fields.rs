//! Diagnostics family "fields": a field's properties against its type: `min`/`max` (lengths for
//! string and text, values for numbers that fit a decimal's precision and scale, `min <= max`),
//! `pattern` (string and text, a plausible regular expression), `default` (`now`, `uuid`, or a
//! literal of the type, within the bounds, the string length and the decimal's precision and
//! scale; an enum member), and the tenant column (at most one per model, typed like the
//! identity's `tenant_id`, never optional).
//!
//! Uuid, date and datetime defaults follow the rules of literals in expressions
//! ([`forge_expr::literal`]) and are stored as their canonical text: lower-case uuids, UTC
//! datetimes with milliseconds (`2024-01-31T10:00:00.000Z`).

use std::cmp::Ordering;

use forge_expr::literal::{canonical_date, canonical_datetime, canonical_uuid};
use forge_schemas::{DefaultValue, Field, FieldType, Literal};

use crate::ast::Value;
use crate::validate::decimal::{Decimal, compare};
use crate::validate::decls::{ColumnDecl, FieldDecl, ModelDecl, Spanned, Spot};
use crate::validate::report::{Cx, Report, article, list};
use crate::validate::vocabulary::Vocabulary;

pub const INVALID_BOUNDS: &str = "forge::invalid-bounds";
pub const INVALID_PATTERN: &str = "forge::invalid-pattern";
pub const INVALID_DEFAULT: &str = "forge::invalid-default";
pub const DEFAULT_OUT_OF_BOUNDS: &str = "forge::default-out-of-bounds";
pub const DUPLICATE_TENANT: &str = "forge::duplicate-tenant";
pub const TENANT_TYPE: &str = "forge::tenant-type";
pub const OPTIONAL_TENANT: &str = "forge::optional-tenant";

/// The longest `string` (PostgreSQL's varchar limit).
const STRING_MAX_LIMIT: u32 = 10_485_760;

/// The IR field for `decl`, whose type (with default parameters) is `ty`.
pub fn field(cx: &mut Cx, decl: &FieldDecl, ty: FieldType, vocabulary: &Vocabulary) -> Field {
    let min = bound(cx, &ty, "min", decl.min.as_ref());
    let max = bound(cx, &ty, "max", decl.max.as_ref());
    let mut bounds_agree = true;
    if let (Some(lo), Some(hi), Some(lo_at)) = (&min, &max, &decl.min)
        && compare(lo, hi) == Ordering::Greater
    {
        bounds_agree = false;
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
    if let (Some(DefaultValue::Value { value }), Some(given)) = (&default, &decl.default)
        && bounds_agree
    {
        let bounds = Bounds {
            min: min.as_deref().zip(decl.min.as_ref().map(|m| m.at)),
            max: max.as_deref().zip(decl.max.as_ref().map(|m| m.at)),
        };
        default_in_bounds(cx, decl, &ty, &bounds, value, given.at);
    }
    Field {
        name: decl.name.value.clone(),
        ty,
        optional: decl.optional.is_some(),
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
        if let Some(optional) = f.optional {
            cx.emit(
                Report::error(
                    OPTIONAL_TENANT,
                    format!("the tenant column `{}` cannot be optional", f.name.value),
                )
                .at(optional, "a tenant column is never null")
                .related(at, "the tenant column")
                .help("remove optional=#true: every row belongs to a tenant, which the tenant guard of every rule compares with user.tenant_id"),
            );
        }
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

/// A valid `min=`/`max=` (`key`) as decimal text; `None` (after reporting) when it does not fit
/// the type.
fn bound(
    cx: &mut Cx,
    ty: &FieldType,
    key: &str,
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
            Ok(0) if matches!(ty, FieldType::String { .. }) && key == "max" => fail(
                cx,
                "a string's max length must be at least 1".to_string(),
                "give max=1 or more",
            ),
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
        FieldType::Decimal { precision, scale } => match misfit(value, *precision, *scale) {
            Some(misfit) => {
                cx.emit(
                    Report::error(
                        INVALID_BOUNDS,
                        format!("{key}={value} does not fit decimal({precision}, {scale})"),
                    )
                    .at(given.at, misfit.label)
                    .help(format!(
                        "{}; give a {key} that fits, or raise {}",
                        decimal_capacity(*precision, *scale),
                        misfit.raise
                    )),
                );
                None
            }
            None => Some(value.to_string()),
        },
        FieldType::Float => Some(value.to_string()),
        other => fail(
            cx,
            format!("min and max do not apply to {} fields", other.schema_name()),
            "min and max bound string and text lengths and number values",
        ),
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
    // A uuid, date or datetime literal, as its canonical text (`now` and `uuid` are none).
    let canonical = match (ty, text) {
        (FieldType::Uuid, Some(s)) => canonical_uuid(s),
        (FieldType::Date, Some(s)) => canonical_date(s),
        (FieldType::Datetime, Some(s)) => canonical_datetime(s),
        _ => None,
    };
    if let Some(canonical) = canonical {
        return literal(Literal::String(canonical));
    }
    let result: Result<Option<DefaultValue>, String> = match (ty, &given.value) {
        (_, Value::Null) if decl.optional.is_some() => Ok(literal(Literal::Null)),
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
        FieldType::Date => {
            "write default=now or a calendar date like \"2024-01-31\"".to_string()
        }
        FieldType::Datetime => {
            "write default=now or an RFC 3339 datetime with a time zone, like \"2024-01-31T12:00:00Z\"".to_string()
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

/// A field's valid bounds, as decimal text, with where they are written.
struct Bounds<'a> {
    min: Option<(&'a str, Spot)>,
    max: Option<(&'a str, Spot)>,
}

/// Reports a literal default outside the field's bounds: a string's length outside `min`/`max`
/// (and a `string`'s max length), a number below `min` or above `max`, or a decimal with more
/// digits than its precision and scale allow. The default pattern is not evaluated.
fn default_in_bounds(
    cx: &mut Cx,
    decl: &FieldDecl,
    ty: &FieldType,
    bounds: &Bounds,
    value: &Literal,
    at: Spot,
) {
    let report = |message: String, label: &str, help: String| {
        Report::error(DEFAULT_OUT_OF_BOUNDS, message)
            .at(at, label)
            .help(help)
    };
    let problem = match (ty, value) {
        (FieldType::String { .. } | FieldType::Text, Literal::String(text)) => {
            let len = text.chars().count();
            let min = bounds
                .min
                .and_then(|(m, spot)| Some((m.parse::<usize>().ok()?, spot)));
            let max = match (ty, bounds.max) {
                (_, Some((m, spot))) => m.parse::<usize>().ok().map(|m| (m, Some(spot))),
                (FieldType::String { max }, None) => Some((*max as usize, None)),
                _ => None,
            };
            let chars = |n: usize| if n == 1 { "character" } else { "characters" };
            match (min, max) {
                (Some((min, spot)), _) if len < min => Some(
                    report(
                        format!(
                            "the default is {len} {} long, shorter than min={min}",
                            chars(len)
                        ),
                        "too short",
                        format!(
                            "give a default of at least {min} {}, or lower min",
                            chars(min)
                        ),
                    )
                    .related(spot, "the minimum length"),
                ),
                (_, Some((max, spot))) if len > max => {
                    let report = report(
                        format!(
                            "the default is {len} {} long, longer than {}",
                            chars(len),
                            match spot {
                                Some(_) => format!("max={max}"),
                                None => format!("the string's default max length {max}"),
                            }
                        ),
                        "too long",
                        format!(
                            "give a default of at most {max} {}, or raise max{}",
                            chars(max),
                            if matches!(ty, FieldType::String { .. }) {
                                " (or make the field `text`)"
                            } else {
                                ""
                            }
                        ),
                    );
                    Some(match spot {
                        Some(spot) => report.related(spot, "the maximum length"),
                        None => report,
                    })
                }
                _ => None,
            }
        }
        (_, Literal::Number(n)) if ty.is_numeric() => {
            let misfit = match ty {
                FieldType::Decimal { precision, scale } => misfit(n, *precision, *scale),
                _ => None,
            };
            let below = bounds
                .min
                .filter(|(min, _)| compare(n, min) == Ordering::Less);
            let above = bounds
                .max
                .filter(|(max, _)| compare(n, max) == Ordering::Greater);
            match (ty, misfit, below, above) {
                (FieldType::Decimal { precision, scale }, Some(misfit), _, _) => {
                    let report = report(
                        format!("default={n} does not fit decimal({precision}, {scale})"),
                        &misfit.label,
                        format!(
                            "{}; give a default that fits, or raise {}",
                            decimal_capacity(*precision, *scale),
                            misfit.raise
                        ),
                    );
                    let (written, what) = if misfit.raise == "precision" {
                        (&decl.precision, "the precision")
                    } else {
                        (&decl.scale, "the scale")
                    };
                    Some(match written {
                        Some(p) => report.related(p.at, what),
                        None => report,
                    })
                }
                (_, _, Some((min, spot)), _) => Some(
                    report(
                        format!("default={n} is below min={min}"),
                        "below min",
                        format!("give a default of at least {min}, or lower min to {n}"),
                    )
                    .related(spot, "the minimum"),
                ),
                (_, _, _, Some((max, spot))) => Some(
                    report(
                        format!("default={n} is above max={max}"),
                        "above max",
                        format!("give a default of at most {max}, or raise max to {n}"),
                    )
                    .related(spot, "the maximum"),
                ),
                _ => None,
            }
        }
        _ => None,
    };
    if let Some(problem) = problem {
        cx.emit(problem);
    }
}

/// Why a number does not fit a decimal column: the label, and what to raise.
struct Misfit {
    label: String,
    raise: &'static str,
}

/// `None` when `value` fits `decimal(precision, scale)`, or when precision and scale are invalid
/// (reported by the types family).
fn misfit(value: &str, precision: u32, scale: u32) -> Option<Misfit> {
    if !valid_decimal(precision, scale) {
        return None;
    }
    let d = Decimal::parse(value)?;
    if d.fits(precision, scale) {
        return None;
    }
    let plural = |n: u32| if n == 1 { "digit" } else { "digits" };
    if d.int_digits() > precision - scale {
        Some(Misfit {
            label: format!(
                "{} {} before the point",
                d.int_digits(),
                plural(d.int_digits())
            ),
            raise: "precision",
        })
    } else {
        Some(Misfit {
            label: format!(
                "{} {} after the point",
                d.frac_digits(),
                plural(d.frac_digits())
            ),
            raise: "scale and precision",
        })
    }
}

/// Precision and scale that the types family accepted (otherwise it reported them).
fn valid_decimal(precision: u32, scale: u32) -> bool {
    (1..=super::types::DECIMAL_MAX_PRECISION).contains(&precision) && scale <= precision
}

/// `a decimal(3, 1) holds at most 2 digits before the point and 1 after`.
fn decimal_capacity(precision: u32, scale: u32) -> String {
    let int = precision - scale;
    let digits = |n: u32| if n == 1 { "digit" } else { "digits" };
    format!(
        "a decimal({precision}, {scale}) holds at most {int} {} before the point and {scale} after",
        digits(int)
    )
}

#[cfg(test)]
mod tests {
    use forge_schemas::{DefaultValue, Literal};

    use super::plausible_regex;
    use crate::validate::tests::{codes, ir_of};

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
    fn dates_and_datetimes_exist_in_the_calendar() {
        for bad in [
            "on date default=\"2024-02-31\"",
            "on date default=\"2023-02-29\"",
            "on date default=\"2024-13-01\"",
            "at datetime default=\"2024-01-31T25:00:00Z\"",
            "at datetime default=\"2024-02-30T12:00:00Z\"",
            "at datetime default=\"2024-01-31T12:00:00\"",
            "at datetime default=\"2024-01-31T12:00:00+0200\"",
        ] {
            assert_eq!(with(bad), vec!["forge::invalid-default"], "{bad}");
        }
    }

    /// The default of the only non-key field of a valid model.
    fn default_of(field: &str) -> Option<DefaultValue> {
        let ir = ir_of(&format!(
            "model Post {{\n id uuid pk=#true\n {field}\n policy all \"true\"\n}}\n"
        ));
        ir.models[0].fields[1].default.clone()
    }

    fn text(s: &str) -> Option<DefaultValue> {
        Some(DefaultValue::Value {
            value: Literal::String(s.to_string()),
        })
    }

    #[test]
    fn defaults_are_stored_as_canonical_text() {
        assert_eq!(
            default_of("at datetime default=\"2024-01-01T01:00:00.5+02:00\""),
            text("2023-12-31T23:00:00.500Z")
        );
        assert_eq!(
            default_of("at datetime default=\"2024-02-28 23:30:00-01:00\""),
            text("2024-02-29T00:30:00.000Z")
        );
        assert_eq!(
            default_of("on date default=\"2024-02-29\""),
            text("2024-02-29")
        );
        assert_eq!(
            default_of("k uuid default=\"123E4567-E89B-12D3-A456-426614174000\""),
            text("123e4567-e89b-12d3-a456-426614174000")
        );
    }

    #[test]
    fn defaults_respect_bounds_lengths_and_decimal_digits() {
        for ok in [
            "n integer min=0 max=10 default=10",
            "n bigint min=-5 default=-5",
            "x float min=0.5 default=0.5",
            "x decimal precision=3 scale=1 default=12.3",
            "x decimal precision=3 scale=1 default=-99.90",
            "x decimal min=0 max=100 default=99.99",
            "t string min=3 max=3 default=\"EUR\"",
            "t text min=1 max=4 default=\"été!\"",
            "t string optional=#true min=3 default=#null",
            "t string default=\"now\"",
        ] {
            assert!(with(ok).is_empty(), "{ok}: {:?}", with(ok));
        }
        let long = format!("t string default=\"{}\"", "x".repeat(256));
        for bad in [
            "n integer min=0 default=-1",
            "n integer max=10 default=11",
            "x float max=0.5 default=0.50001",
            "x decimal min=0.01 default=0.001",
            "x decimal precision=3 scale=1 default=12345.678",
            "x decimal precision=3 scale=1 default=1.25",
            "x decimal precision=3 scale=1 default=100",
            "x decimal default=0.001",
            "t string min=3 default=\"EU\"",
            "t string max=2 default=\"EUR\"",
            long.as_str(),
            "t text max=4 default=\"hello\"",
        ] {
            assert_eq!(with(bad), vec!["forge::default-out-of-bounds"], "{bad}");
        }
        // One error per mistake: bounds that disagree, or do not fit, are reported alone.
        assert_eq!(
            with("n integer min=5 max=1 default=3"),
            vec!["forge::invalid-bounds"]
        );
    }

    #[test]
    fn decimal_bounds_fit_precision_and_scale() {
        assert!(with("x decimal precision=3 scale=1 min=-99.9 max=99.9").is_empty());
        assert_eq!(
            with("x decimal precision=3 scale=1 max=12345.678"),
            vec!["forge::invalid-bounds"]
        );
        assert_eq!(
            with("x decimal precision=3 scale=1 min=0.05"),
            vec!["forge::invalid-bounds"]
        );
        // A decimal whose precision is already wrong is not checked again.
        assert_eq!(
            with("x decimal precision=1 max=12345"),
            vec!["forge::invalid-decimal"]
        );
    }

    #[test]
    fn one_tenant_column_of_the_identity_type() {
        assert_eq!(
            with("t uuid tenant=#true\n u uuid tenant=#true"),
            vec!["forge::duplicate-tenant"]
        );
        assert_eq!(with("t bigint tenant=#true"), vec!["forge::tenant-type"]);
        assert_eq!(
            with("t uuid tenant=#true optional=#true"),
            vec!["forge::optional-tenant"]
        );
    }
}
