//! `user.*` in SQL: every identity value is read from the identity JSON, bound as text to one `?`
//! per use, inside an uncorrelated scalar subquery (which SQLite and MySQL evaluate once per
//! statement).
//!
//! The identity is read as PostgreSQL's `forge.identity()` reads it (`document.rs`): text that is
//! not a JSON object, or that `jsonb` refuses, is the anonymous identity, and a key given twice
//! counts by its last occurrence. A value is then converted to its type or is NULL (missing): a
//! tenant id that is not a uuid, a number where a string is expected, a date that is not in the
//! calendar. Numbers are read from their digits as written (`number.rs`), datetimes to the
//! microsecond (`datetime.rs`). The checks run before any cast, in nested `CASE`s, so no
//! conversion warning can turn into an error in an `UPDATE` under MySQL's strict mode.
//! `user.roles` and `user.claims` are tested item by item (string items only), never as values.

mod datetime;
mod document;
mod number;

use forge_gen_sql::Dialect;
use forge_schemas::{Enum, FieldType, Ir, UserAttr};

use crate::sql::Sql;

/// One test on the items of `user.roles` or `user.claims`.
pub(crate) enum Membership<'s> {
    /// The item is one of these strings.
    AnyOf(&'s [String]),
    /// The item equals this value (a string; NULL matches nothing).
    EqualTo(&'s Sql),
}

/// `user.<attr>` (not roles or claims) as a scalar subquery: its value, or NULL when missing.
pub(crate) fn user_value(d: Dialect, ir: &Ir, attr: &UserAttr) -> Sql {
    let (key, ty) = match attr {
        UserAttr::Id => ("id", &ir.identity.id),
        UserAttr::TenantId => ("tenant_id", &ir.identity.tenant_id),
        UserAttr::Attribute { name } => {
            let attribute = ir
                .identity
                .attributes
                .iter()
                .find(|a| &a.name == name)
                .unwrap_or_else(|| panic!("identity attribute `{name}` is not in the IR"));
            (name.as_str(), &attribute.ty)
        }
        UserAttr::Roles | UserAttr::Claims => {
            panic!("user.roles and user.claims are lists, tested with `list_has`")
        }
    };
    let x = Names::new(d);
    let values = values(d, key);
    let converted = match ty {
        FieldType::Integer => return number::whole(d, &values, 32),
        FieldType::Bigint => return number::whole(d, &values, 64),
        FieldType::Float => return number::float(d, &values),
        FieldType::Datetime => return datetime::datetime(d, &values),
        FieldType::Enum { name } => enum_member(d, &x, enum_of(ir, name)),
        other => convert(d, &x, other),
    };
    Sql::atom(format!("(SELECT {converted} FROM {values})"))
}

/// A one-row table with the identity's `key`: `w`, its JSON text; `v`, its value (SQLite: as SQL
/// reads it; MySQL: unquoted text); `t`, its JSON type. All NULL when the key is missing.
fn values(d: Dialect, key: &str) -> String {
    let x = Names::new(d);
    let (w, v, t) = (&x.w, &x.v, &x.t);
    let fields = match d {
        Dialect::Mysql => format!("{w}, JSON_UNQUOTE({w}) AS {v}, JSON_TYPE({w}) AS {t}"),
        _ => format!("{w}, {w} ->> '$' AS {v}, json_type({w}) AS {t}"),
    };
    one_row(
        d,
        &format!("SELECT {fields} FROM {}", document::member(d, key)),
        "forge_v",
    )
}

/// A test on the items of `user.roles` or `user.claims`: TRUE when a string item passes it,
/// FALSE otherwise (never NULL).
pub(crate) fn list_has(d: Dialect, attr: &UserAttr, test: Membership<'_>) -> Sql {
    let key = match attr {
        UserAttr::Roles => "roles",
        UserAttr::Claims => "claims",
        other => panic!("{other:?} is not a list"),
    };
    let w = d.ident("w");
    let e = d.ident("e");
    let (from, checks, item) = match d {
        Dialect::Mysql => {
            let n = d.ident("n");
            // JSON_TABLE gives the position of each item; JSON_EXTRACT reads it with its type.
            let at = format!("JSON_EXTRACT({w}, CONCAT('$[', {e}.{n} - 1, ']'))");
            (
                format!("JSON_TABLE({w}, '$[*]' COLUMNS ({n} FOR ORDINALITY)) AS {e}"),
                format!("JSON_TYPE({w}) = 'ARRAY' AND JSON_TYPE({at}) = 'STRING'"),
                format!("JSON_UNQUOTE({at})"),
            )
        }
        _ => (
            format!("json_each({w}) AS {e}"),
            format!(
                "json_type({w}) = 'array' AND {e}.{} = 'text'",
                d.ident("type")
            ),
            format!("{e}.{}", d.ident("value")),
        ),
    };
    let test = match test {
        Membership::AnyOf(names) => {
            let names: Vec<String> = names.iter().map(|n| binary(d, &d.string(n))).collect();
            format!("{} IN ({})", text_left(d, &item), names.join(", "))
        }
        Membership::EqualTo(value) => {
            format!("{} = {}", text_left(d, &item), binary(d, &value.operand()))
        }
    };
    Sql::atom(format!(
        "(SELECT EXISTS (SELECT 1 FROM {from} WHERE {checks} AND {test}) FROM {})",
        document::member(d, key)
    ))
}

/// A string as the left operand of an exact comparison: by UTF-8 bytes, which is code point
/// order (SQLite's BINARY collation; MySQL compares binary strings, where `utf8mb4_bin` would
/// ignore trailing spaces).
pub(crate) fn text_left(d: Dialect, sql: &str) -> String {
    match d {
        Dialect::Mysql => binary(d, sql),
        _ => format!("{sql} COLLATE BINARY"),
    }
}

/// A string as the right operand of an exact comparison (see [`text_left`]).
pub(crate) fn binary(d: Dialect, sql: &str) -> String {
    match d {
        Dialect::Mysql => format!("CAST({sql} AS BINARY)"),
        _ => sql.to_string(),
    }
}

/// The quoted names of the columns the conversions read.
struct Names {
    /// The value as JSON text (a number exactly as written).
    w: String,
    /// The value (SQLite: as SQL reads it; MySQL: unquoted text).
    v: String,
    /// Its JSON type.
    t: String,
}

impl Names {
    fn new(d: Dialect) -> Names {
        Names {
            w: d.ident("w"),
            v: d.ident("v"),
            t: d.ident("t"),
        }
    }
}

/// `(<select> LIMIT 1 OFFSET 0) AS <alias>`: the one row of `select`, as a table of its own.
/// Every step of reading the identity is such a table over the one before, and each reads the
/// columns of the one before several times. Merged into one query, as SQLite flattens a subquery
/// and MySQL merges a derived table, every reference would get its own copy of all the steps
/// before it, and the copies multiply into statements far too large to plan; SQLite never
/// flattens a subquery with an `OFFSET`, MySQL never merges a derived table with a `LIMIT`.
fn one_row(d: Dialect, select: &str, alias: &str) -> String {
    match d {
        Dialect::Mysql => format!("({select}) AS {}", d.ident(alias)),
        _ => format!("({select} LIMIT 1 OFFSET 0) AS {}", d.ident(alias)),
    }
}

/// `table` with more columns, each computed from the columns it already has (a step of a
/// conversion that needs its earlier results more than once).
fn layer(d: Dialect, table: &str, alias: &str, columns: &[(&str, String)]) -> String {
    let columns: Vec<String> = columns
        .iter()
        .map(|(name, expr)| format!("{expr} AS {}", d.ident(name)))
        .collect();
    one_row(
        d,
        &format!("SELECT *, {} FROM {table}", columns.join(", ")),
        alias,
    )
}

/// The number of characters of `text`.
fn length(d: Dialect, text: &str) -> String {
    match d {
        Dialect::Mysql => format!("CHAR_LENGTH({text})"),
        _ => format!("length({text})"),
    }
}

/// `parts` joined into one text (`||` is a logical OR in MySQL).
fn concat(d: Dialect, parts: &[&str]) -> String {
    match d {
        Dialect::Mysql => format!("CONCAT({})", parts.join(", ")),
        _ => parts.join(" || "),
    }
}

/// `text` without its leading (`leading`) or trailing zeros.
fn trim_zeros(d: Dialect, text: &str, leading: bool) -> String {
    match (d, leading) {
        (Dialect::Mysql, true) => format!("TRIM(LEADING '0' FROM {text})"),
        (Dialect::Mysql, false) => format!("TRIM(TRAILING '0' FROM {text})"),
        (_, true) => format!("ltrim({text}, '0')"),
        (_, false) => format!("rtrim({text}, '0')"),
    }
}

/// `text`, a string of decimal digits (checked first), as a 64-bit integer.
fn integer(d: Dialect, text: &str) -> String {
    match d {
        Dialect::Mysql => format!("CAST({text} AS SIGNED)"),
        _ => format!("CAST({text} AS INTEGER)"),
    }
}

/// The JSON type `t` is a number's (MySQL 8 also has unsigned integers and decimals).
fn is_number(d: Dialect, t: &str) -> String {
    match d {
        Dialect::Mysql => {
            format!("{t} IN ('INTEGER', 'UNSIGNED INTEGER', 'DOUBLE', 'DECIMAL')")
        }
        _ => format!("{t} IN ('integer', 'real')"),
    }
}

fn enum_of<'i>(ir: &'i Ir, name: &str) -> &'i Enum {
    ir.enum_(name)
        .unwrap_or_else(|| panic!("enum `{name}` of the identity is not in the IR"))
}

/// MySQL: text from the identity in the binary collation of forge's tables, whatever the
/// connection's collation is (so it meets a column without a collation conflict).
fn mysql_text(sql: &str) -> String {
    format!("CONVERT({sql} USING utf8mb4) COLLATE utf8mb4_bin")
}

/// `text` matches the anchored regular expression `re` exactly (MySQL). `$` would also match
/// before a final newline, so the characters are checked on their own: only those of `allowed`.
fn mysql_matches(text: &str, re: &str, allowed: &str) -> String {
    format!(
        "{text} REGEXP {} AND {text} NOT REGEXP {}",
        Dialect::Mysql.string(re),
        Dialect::Mysql.string(&format!("[^{allowed}]"))
    )
}

/// `text` is a uuid in SQLite: 36 hex digits and dashes, either case, the dashes (exactly four)
/// at 9, 14, 19 and 24.
fn sqlite_uuid(text: &str) -> String {
    format!(
        "length({text}) = 36 AND {text} NOT GLOB '*[^0-9A-Fa-f-]*' AND substr({text}, 9, 1) || substr({text}, 14, 1) || substr({text}, 19, 1) || substr({text}, 24, 1) = '----' AND length(replace({text}, '-', '')) = 32"
    )
}

/// `YYYY-MM-DD` with a month 01 to 12 and a day 01 to 31, year 0001 to 9999, as a condition on
/// `text` (MySQL; SQLite's [`sqlite_date`] checks the calendar too).
fn mysql_date_shape(text: &str) -> String {
    format!(
        "{} AND CHAR_LENGTH({text}) = 10 AND LEFT({text}, 4) <> '0000'",
        mysql_matches(
            text,
            "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
            "-0-9"
        )
    )
}

/// The day of `text` (a date or datetime whose shape was checked) exists in its month (MySQL).
fn mysql_day_exists(text: &str) -> String {
    format!(
        "CAST(SUBSTRING({text}, 9, 2) AS SIGNED) <= DAYOFMONTH(LAST_DAY(CONCAT(LEFT({text}, 7), '-01')))"
    )
}

/// `YYYY-MM-DD` that is a date of the calendar, year 0001 to 9999, as a condition on `text`
/// (SQLite): julianday() moves 2023-02-29 to 03-01, so a date that comes back unchanged exists.
fn sqlite_date(text: &str) -> String {
    format!(
        "{text} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND {text} >= '0001' AND date(julianday({text})) = {text}"
    )
}

/// The conversion of a value of a type that needs no extra column.
fn convert(d: Dialect, x: &Names, ty: &FieldType) -> String {
    let (v, t) = (&x.v, &x.t);
    match (d, ty) {
        (Dialect::Mysql, FieldType::Uuid) => format!(
            "CASE WHEN {t} = 'STRING' AND CHAR_LENGTH({v}) = 36 AND {} THEN {} END",
            mysql_matches(
                v,
                "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$",
                "-0-9A-Fa-f"
            ),
            mysql_text(&format!("LOWER({v})"))
        ),
        (_, FieldType::Uuid) => format!(
            "CASE WHEN {t} = 'text' AND {} THEN lower({v}) END",
            sqlite_uuid(v)
        ),
        (Dialect::Mysql, FieldType::String { .. } | FieldType::Text | FieldType::Bytes) => {
            format!("CASE WHEN {t} = 'STRING' THEN {} END", mysql_text(v))
        }
        (_, FieldType::String { .. } | FieldType::Text | FieldType::Bytes) => {
            format!("CASE WHEN {t} = 'text' THEN {v} END")
        }
        // Exact in MySQL: plain decimal notation, at most 35 + 30 digits.
        (Dialect::Mysql, FieldType::Decimal { .. }) => format!(
            "CASE WHEN {} THEN CASE WHEN {} THEN CAST({v} AS DECIMAL(65, 30)) END END",
            is_number(d, t),
            mysql_matches(v, "^-?[0-9]{1,35}(\\.[0-9]{1,30})?$", "-.0-9")
        ),
        (_, FieldType::Decimal { .. }) => {
            format!("CASE WHEN {} THEN {v} END", is_number(d, t))
        }
        (Dialect::Mysql, FieldType::Boolean) => format!(
            "CASE WHEN {t} = 'BOOLEAN' THEN CASE {v} WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END END"
        ),
        (_, FieldType::Boolean) => {
            format!("CASE {t} WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END")
        }
        (Dialect::Mysql, FieldType::Date) => format!(
            "CASE WHEN {t} = 'STRING' THEN CASE WHEN {} THEN CASE WHEN {} THEN CAST({v} AS DATE) END END END",
            mysql_date_shape(v),
            mysql_day_exists(v)
        ),
        (_, FieldType::Date) => {
            format!("CASE WHEN {t} = 'text' AND {} THEN {v} END", sqlite_date(v))
        }
        // Only presence can be tested: the value is its JSON type.
        (Dialect::Mysql, FieldType::Json) => format!("CASE WHEN {t} <> 'NULL' THEN {t} END"),
        (_, FieldType::Json) => format!("CASE WHEN {t} <> 'null' THEN {t} END"),
        (
            _,
            FieldType::Integer
            | FieldType::Bigint
            | FieldType::Float
            | FieldType::Datetime
            | FieldType::Enum { .. },
        ) => unreachable!("converted by their own functions"),
    }
}

/// An enum member: a string that is one of the members (compared exactly).
fn enum_member(d: Dialect, x: &Names, e: &Enum) -> String {
    let (v, t) = (&x.v, &x.t);
    let members: Vec<String> = e.values.iter().map(|m| binary(d, &d.string(m))).collect();
    match d {
        Dialect::Mysql => format!(
            "CASE WHEN {t} = 'STRING' AND {} IN ({}) THEN {} END",
            binary(d, v),
            members.join(", "),
            mysql_text(v)
        ),
        _ => format!(
            "CASE WHEN {t} = 'text' AND {v} IN ({}) THEN {v} END",
            members.join(", ")
        ),
    }
}
