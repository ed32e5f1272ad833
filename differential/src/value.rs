//! One value of a row, and how each target is given it: as a PostgreSQL literal (the database
//! normalizes it), as an SQLite literal (the form forge's SQLite tables hold: lower-case uuids,
//! canonical UTC datetimes with milliseconds, booleans as 0 and 1), and as JSON for the
//! TypeScript guards (in one of the forms a caller may pass: a uuid in any case, a bigint as a
//! number, a string or a JavaScript bigint, a datetime as text with an offset or as a `Date`).

use std::fmt;

use serde_json::{Value as Json, json};

/// How a uuid is written for the TypeScript guards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    Lower,
    Upper,
    /// Letters alternate, upper first.
    Mixed,
}

/// How an exact number is written for the TypeScript guards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberForm {
    /// A JSON number (only where the double is exact).
    Number,
    /// Decimal text, as database drivers return it.
    Text,
    /// A JavaScript `bigint` (`{"$bigint": ...}` to the runner); integers only.
    BigInt,
}

/// How a datetime is written for the TypeScript guards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateForm {
    /// RFC 3339 text with `T` and its offset (`Z` when zero).
    Text,
    /// The same with a space for the `T` and `+00:00` for `Z`.
    Spaced,
    /// A JavaScript `Date` (`{"$date": ...}` to the runner).
    Date,
}

/// A value of a column.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    /// A uuid, lower-case, and how the guards get it.
    Uuid(String, Case),
    Text(String),
    Integer(i64),
    Bigint(i64, NumberForm),
    /// Decimal text with at most 15 significant digits (so that SQLite's double is exact enough
    /// to keep order and equality), and how the guards get it.
    Decimal(String, NumberForm),
    /// A finite double.
    Float(f64),
    Boolean(bool),
    /// `YYYY-MM-DD`.
    Date(String),
    /// Milliseconds since 1970 UTC, the offset it is written with (minutes), and how.
    Datetime(i64, i32, DateForm),
    Enum(String),
    /// Any JSON but `null`.
    Json(Json),
    Bytes(Vec<u8>),
}

impl Value {
    /// The value as a PostgreSQL literal for a column of its type.
    pub fn pg(&self) -> String {
        match self {
            Value::Null => "NULL".into(),
            Value::Uuid(id, _) => quote(id),
            Value::Text(text) | Value::Date(text) | Value::Enum(text) => quote(text),
            Value::Integer(n) | Value::Bigint(n, _) => n.to_string(),
            Value::Decimal(text, _) => text.clone(),
            Value::Float(x) => format!("'{x:?}'::float8"),
            Value::Boolean(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            Value::Datetime(millis, offset, _) => quote(&written(*millis, *offset, 'T', false)),
            Value::Json(value) => format!("{}::jsonb", quote(&value.to_string())),
            Value::Bytes(bytes) => format!("'\\x{}'::bytea", hex(bytes)),
        }
    }

    /// The value as an SQLite literal, in the form forge's SQLite tables hold it.
    pub fn sqlite(&self) -> String {
        match self {
            Value::Null => "NULL".into(),
            Value::Boolean(b) => if *b { "1" } else { "0" }.into(),
            Value::Float(x) => format!("{x:?}"),
            Value::Datetime(millis, _, _) => quote(&utc(*millis)),
            Value::Json(value) => quote(&value.to_string()),
            Value::Bytes(bytes) => format!("X'{}'", hex(bytes)),
            other => other.pg(),
        }
    }

    /// The value as the guards' runner reads it.
    pub fn ts(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Uuid(id, case) => Json::String(cased(id, *case)),
            Value::Text(text) | Value::Date(text) | Value::Enum(text) => Json::String(text.clone()),
            Value::Integer(n) => json!(n),
            Value::Bigint(n, form) => exact(&n.to_string(), *form),
            Value::Decimal(text, form) => exact(text, *form),
            Value::Float(x) => json!(x),
            Value::Boolean(b) => json!(b),
            Value::Datetime(millis, offset, form) => match form {
                DateForm::Text => Json::String(written(*millis, *offset, 'T', false)),
                DateForm::Spaced => Json::String(written(*millis, *offset, ' ', true)),
                DateForm::Date => json!({ "$date": written(*millis, *offset, 'T', false) }),
            },
            Value::Json(value) => value.clone(),
            Value::Bytes(bytes) => Json::String(hex(bytes)),
        }
    }

    /// The uuid, when this is one.
    pub fn uuid(&self) -> Option<&str> {
        match self {
            Value::Uuid(id, _) => Some(id),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    /// The value as the guards get it, for reproductions.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.ts())
    }
}

/// `text` as an SQL string literal (PostgreSQL with standard strings, and SQLite).
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `id` written in `case`.
pub fn cased(id: &str, case: Case) -> String {
    match case {
        Case::Lower => id.to_string(),
        Case::Upper => id.to_uppercase(),
        Case::Mixed => {
            let mut upper = true;
            id.chars()
                .map(|c| {
                    if c.is_ascii_alphabetic() {
                        upper = !upper;
                        if upper { c } else { c.to_ascii_uppercase() }
                    } else {
                        c
                    }
                })
                .collect()
        }
    }
}

/// An exact number (`text`: decimal text) in `form`.
fn exact(text: &str, form: NumberForm) -> Json {
    match form {
        NumberForm::Text => Json::String(text.to_string()),
        NumberForm::BigInt => json!({ "$bigint": text }),
        NumberForm::Number => {
            let number: f64 = text.parse().expect("a number");
            // A whole number stays an integer in JSON (`7`, not `7.0`).
            match text.parse::<i64>() {
                Ok(n) => json!(n),
                Err(_) => json!(number),
            }
        }
    }
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a number of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `YYYY-MM-DD<sep>HH:MM:SS.mmm` of an instant seen at `offset` minutes east of UTC.
fn local(millis: i64, offset: i32, sep: char) -> String {
    let local = millis + i64::from(offset) * 60_000;
    let (days, rest) = (local.div_euclid(86_400_000), local.rem_euclid(86_400_000));
    let (year, month, day) = civil_from_days(days);
    let (h, m, s, ms) = (
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000,
    );
    format!("{year:04}-{month:02}-{day:02}{sep}{h:02}:{m:02}:{s:02}.{ms:03}")
}

/// RFC 3339 text of an instant at an offset: `Z` for a zero offset unless `numeric`.
pub fn written(millis: i64, offset: i32, sep: char, numeric: bool) -> String {
    let zone = if offset == 0 && !numeric {
        "Z".to_string()
    } else {
        let sign = if offset < 0 { '-' } else { '+' };
        let abs = offset.abs();
        format!("{sign}{:02}:{:02}", abs / 60, abs % 60)
    };
    format!("{}{zone}", local(millis, offset, sep))
}

/// The canonical UTC text of an instant, as forge's SQLite tables hold it.
pub fn utc(millis: i64) -> String {
    format!("{}Z", local(millis, 0, 'T'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_written_at_their_offset() {
        let millis = days_from_civil(2024, 1, 31) * 86_400_000 + 9 * 3_600_000 + 30 * 60_000 + 5;
        assert_eq!(utc(millis), "2024-01-31T09:30:00.005Z");
        assert_eq!(
            written(millis, 90, 'T', false),
            "2024-01-31T11:00:00.005+01:30"
        );
        assert_eq!(
            written(millis, -600, ' ', false),
            "2024-01-30 23:30:00.005-10:00"
        );
        assert_eq!(
            written(millis, 0, ' ', true),
            "2024-01-31 09:30:00.005+00:00"
        );
        assert_eq!(civil_from_days(days_from_civil(1, 1, 1)), (1, 1, 1));
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn each_target_gets_its_form() {
        let id = Value::Uuid("abcdef00-0000-4000-8000-00000000000a".into(), Case::Mixed);
        assert_eq!(id.pg(), "'abcdef00-0000-4000-8000-00000000000a'");
        assert_eq!(id.ts(), json!("AbCdEf00-0000-4000-8000-00000000000A"));
        assert_eq!(Value::Boolean(true).sqlite(), "1");
        let big = Value::Bigint(9_007_199_254_740_993, NumberForm::BigInt);
        assert_eq!(big.ts(), json!({"$bigint": "9007199254740993"}));
        assert_eq!(
            Value::Decimal("12.5".into(), NumberForm::Number).ts(),
            json!(12.5)
        );
        assert_eq!(Value::Text("it's".into()).sqlite(), "'it''s'");
    }
}
