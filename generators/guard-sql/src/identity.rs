//! `user.*` in SQL: every identity value is read from the identity JSON, bound as text to one `?`
//! per use, inside an uncorrelated scalar subquery (which SQLite and MySQL evaluate once per
//! statement).
//!
//! The bound text is parsed only when it is valid JSON and an object (nested `CASE`s, so no JSON
//! function ever sees malformed text: SQLite's raise an error on it, as does MySQL's
//! `JSON_TABLE`); anything else, and NULL, is the anonymous identity. A value is then converted to
//! its type or is NULL (missing): a tenant id that is not a uuid, a number where a string is
//! expected, a date that is not in the calendar. The checks run before any cast, again in nested
//! `CASE`s, so no conversion warning can turn into an error in an `UPDATE` under MySQL's strict
//! mode. `user.roles` and `user.claims` are tested item by item (string items only), never as
//! values.

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
    let path = path(d, key);
    // The value and its JSON type (and, for SQLite, the number as written).
    let fields = match d {
        Dialect::Mysql => format!(
            "JSON_UNQUOTE(JSON_EXTRACT({j}, {path})) AS {v}, JSON_TYPE(JSON_EXTRACT({j}, {path})) AS {t}",
            j = x.j,
            v = x.v,
            t = x.t
        ),
        _ => {
            // Integers are read from the number as written, exactly.
            let written = if matches!(ty, FieldType::Integer | FieldType::Bigint) {
                format!(", {} -> {path} AS {}", x.j, x.n)
            } else {
                String::new()
            };
            format!(
                "json_extract({j}, {path}) AS {v}, json_type({j}, {path}) AS {t}{written}",
                j = x.j,
                v = x.v,
                t = x.t,
            )
        }
    };
    let values = format!(
        "(SELECT {fields} FROM {}) AS {}",
        document(d),
        d.ident("forge_v")
    );
    let converted = match ty {
        FieldType::Integer => return whole(d, &values, 32),
        FieldType::Bigint => return whole(d, &values, 64),
        FieldType::Datetime => return datetime(d, &values),
        FieldType::Enum { name } => enum_member(d, &x, enum_of(ir, name)),
        other => convert(d, &x, other),
    };
    Sql::atom(format!("(SELECT {converted} FROM {values})"))
}

/// A test on the items of `user.roles` or `user.claims`: TRUE when a string item passes it,
/// FALSE otherwise (never NULL).
pub(crate) fn list_has(d: Dialect, attr: &UserAttr, test: Membership<'_>) -> Sql {
    let key = match attr {
        UserAttr::Roles => "roles",
        UserAttr::Claims => "claims",
        other => panic!("{other:?} is not a list"),
    };
    let j = d.ident("j");
    let e = d.ident("e");
    let (from, checks, item) = match d {
        Dialect::Mysql => {
            let n = d.ident("n");
            // JSON_TABLE gives the position of each item; JSON_EXTRACT reads it with its type.
            let at = format!(
                "JSON_EXTRACT({j}, CONCAT({}, {e}.{n} - 1, ']'))",
                d.string(&format!("$.\"{key}\"["))
            );
            (
                format!(
                    "JSON_TABLE({j}, {} COLUMNS ({n} FOR ORDINALITY)) AS {e}",
                    d.string(&format!("$.\"{key}\"[*]"))
                ),
                format!(
                    "JSON_TYPE(JSON_EXTRACT({j}, {})) = 'ARRAY' AND JSON_TYPE({at}) = 'STRING'",
                    path(d, key)
                ),
                format!("JSON_UNQUOTE({at})"),
            )
        }
        _ => (
            format!("json_each({j}, {}) AS {e}", path(d, key)),
            format!(
                "json_type({j}, {}) = 'array' AND {e}.{} = 'text'",
                path(d, key),
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
        document(d)
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
    /// The identity object.
    j: String,
    /// The value (SQLite: as SQL reads it; MySQL: unquoted text).
    v: String,
    /// Its JSON type.
    t: String,
    /// SQLite: the value as JSON text (a number exactly as written).
    n: String,
}

impl Names {
    fn new(d: Dialect) -> Names {
        Names {
            j: d.ident("j"),
            v: d.ident("v"),
            t: d.ident("t"),
            n: d.ident("n"),
        }
    }
}

/// A one-row table whose column `j` is the identity object, or NULL when the bound value is not
/// a JSON object (or is NULL).
fn document(d: Dialect) -> String {
    let r = d.ident("r");
    let object = match d {
        Dialect::Mysql => {
            format!(
                "CASE WHEN JSON_VALID({r}) THEN CASE WHEN JSON_TYPE({r}) = 'OBJECT' THEN {r} END END"
            )
        }
        _ => format!(
            "CASE WHEN json_valid({r}) THEN CASE WHEN json_type({r}) = 'object' THEN {r} END END"
        ),
    };
    format!(
        "(SELECT {object} AS {} FROM (SELECT ? AS {r}) AS {}) AS {}",
        d.ident("j"),
        d.ident("forge_r"),
        d.ident("forge_j")
    )
}

/// The JSON path of a key of the identity object, as a string literal: `'$."plan"'`.
fn path(d: Dialect, key: &str) -> String {
    assert!(
        !key.contains(['"', '\\']),
        "identity key `{key}`: the expression language only names identifiers"
    );
    d.string(&format!("$.\"{key}\""))
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
            "CASE WHEN {t} IN ('INTEGER', 'DOUBLE') THEN CASE WHEN {} THEN CAST({v} AS DECIMAL(65, 30)) END END",
            mysql_matches(v, "^-?[0-9]{1,35}(\\.[0-9]{1,30})?$", "-.0-9")
        ),
        (_, FieldType::Decimal { .. }) => {
            format!("CASE WHEN {t} IN ('integer', 'real') THEN {v} END")
        }
        // A number out of the double range reads as the largest double in MySQL (and as
        // infinity in SQLite): missing.
        (Dialect::Mysql, FieldType::Float) => format!(
            "CASE WHEN {t} IN ('INTEGER', 'DOUBLE') THEN CASE WHEN ABS(CAST({v} AS DOUBLE)) < 1.7976931348623157e308 THEN CAST({v} AS DOUBLE) END END"
        ),
        (_, FieldType::Float) => format!(
            "CASE WHEN {t} IN ('integer', 'real') AND abs({v}) < 1.7976931348623157e308 THEN CAST({v} AS REAL) END"
        ),
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
            FieldType::Integer | FieldType::Bigint | FieldType::Datetime | FieldType::Enum { .. },
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

/// An integer of `bits` bits: a JSON number written as a whole number (`42`, `-7`, `7.0`; not
/// `7e0`), or for a bigint also a string of 1 to 19 decimal digits (JavaScript's JSON.stringify
/// cannot write a BigInt). Exact: the digits are checked as text before they are cast.
fn whole(d: Dialect, values: &str, bits: u32) -> Sql {
    let x = Names::new(d);
    let (v, t, i) = (&x.v, &x.t, d.ident("i"));
    // The digits, with their sign, as text.
    let digits = match d {
        Dialect::Mysql => {
            let string = if bits == 64 {
                format!(" WHEN {t} = 'STRING' THEN {v}")
            } else {
                String::new()
            };
            format!(
                "CASE WHEN {t} = 'INTEGER' THEN {v} WHEN {t} = 'DOUBLE' AND {} THEN SUBSTRING_INDEX({v}, '.', 1){string} END",
                mysql_matches(v, "^-?[0-9]+\\.0+$", "-.0-9")
            )
        }
        _ => {
            let n = &x.n;
            let string = if bits == 64 {
                format!(" WHEN {t} = 'text' THEN {v}")
            } else {
                String::new()
            };
            format!(
                "CASE WHEN {t} = 'integer' THEN {n} WHEN {t} = 'real' AND {n} NOT GLOB '*[eE]*' AND rtrim({n}, '0') GLOB '*.' THEN substr({n}, 1, instr({n}, '.') - 1){string} END"
            )
        }
    };
    let (length, substring, integer) = match d {
        Dialect::Mysql => ("CHAR_LENGTH", "SUBSTRING", "SIGNED"),
        _ => ("length", "substr", "INTEGER"),
    };
    let negative = format!("{substring}({i}, 1, 1) = '-'");
    let unsigned = format!("CASE WHEN {negative} THEN {substring}({i}, 2) ELSE {i} END");
    let only_digits = match d {
        Dialect::Mysql => format!("{unsigned} NOT REGEXP '[^0-9]'"),
        _ => format!("{unsigned} NOT GLOB '*[^0-9]*'"),
    };
    let shape = format!("{unsigned} <> '' AND {only_digits}");
    let cast = format!("CAST({i} AS {integer})");
    let converted = if bits == 64 {
        // Up to 19 digits; with 19, no more than the limit (same length: text order is numeric).
        format!(
            "CASE WHEN {shape} AND ({length}({unsigned}) < 19 OR ({length}({unsigned}) = 19 AND {unsigned} <= CASE WHEN {negative} THEN '9223372036854775808' ELSE '9223372036854775807' END)) THEN {cast} END"
        )
    } else {
        format!(
            "CASE WHEN {shape} AND {length}({unsigned}) <= 10 THEN CASE WHEN {cast} BETWEEN -2147483648 AND 2147483647 THEN {cast} END END"
        )
    };
    Sql::atom(format!(
        "(SELECT {converted} FROM (SELECT {digits} AS {i} FROM {values}) AS {})",
        d.ident("forge_i")
    ))
}

/// A datetime: an RFC 3339 string with `Z` or `±HH:MM` (hours 00 to 23, a date of the calendar),
/// as the instant forge's columns hold. SQLite: canonical UTC text with milliseconds (the fraction
/// cut, not rounded, like the IR's literals); MySQL: a `DATETIME(6)` in UTC (microseconds).
fn datetime(d: Dialect, values: &str) -> Sql {
    let x = Names::new(d);
    let (v, t) = (&x.v, &x.t);
    match d {
        Dialect::Mysql => {
            let zulu = format!("UPPER(RIGHT({v}, 1)) = 'Z'");
            let offset = format!(
                "CASE WHEN {zulu} THEN 0 ELSE (CASE WHEN SUBSTRING({v}, -6, 1) = '-' THEN -1 ELSE 1 END) * (CAST(SUBSTRING({v}, -5, 2) AS SIGNED) * 60 + CAST(SUBSTRING({v}, -2, 2) AS SIGNED)) END"
            );
            let fraction = format!(
                "CASE WHEN SUBSTRING({v}, 20, 1) = '.' THEN SUBSTRING({v}, 21, CHAR_LENGTH({v}) - 20 - CASE WHEN {zulu} THEN 1 ELSE 6 END) ELSE '' END"
            );
            let local = format!(
                "CAST(CONCAT(LEFT({v}, 10), ' ', SUBSTRING({v}, 12, 8), '.', RPAD(LEFT({fraction}, 6), 6, '0')) AS DATETIME(6))"
            );
            let shape = mysql_matches(
                v,
                "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$",
                "-0-9Tt :.Zz+",
            );
            let day = format!("LEFT({v}, 4) <> '0000' AND {}", mysql_day_exists(v));
            Sql::atom(format!(
                "(SELECT CASE WHEN {t} = 'STRING' THEN CASE WHEN {shape} THEN CASE WHEN {day} THEN {local} - INTERVAL ({offset}) MINUTE END END END FROM {values})"
            ))
        }
        _ => {
            let (z, f) = (d.ident("z"), d.ident("f"));
            let hours = format!(
                "(substr({v}, 12, 8) GLOB '[01][0-9]:[0-5][0-9]:[0-5][0-9]' OR substr({v}, 12, 8) GLOB '2[0-3]:[0-5][0-9]:[0-5][0-9]')"
            );
            let zone = format!(
                "({z} = 'Z' OR {z} GLOB '[+-][01][0-9]:[0-5][0-9]' OR {z} GLOB '[+-]2[0-3]:[0-5][0-9]')"
            );
            let fraction = format!(
                "({f} = '' OR ({f} GLOB '.[0-9]*' AND substr({f}, 2) NOT GLOB '*[^0-9]*'))"
            );
            let date = sqlite_date(&format!("substr({v}, 1, 10)"));
            let ok = format!(
                "{t} = 'text' AND length({v}) >= 19 + length({z}) AND {date} AND substr({v}, 11, 1) IN ('T', 't', ' ') AND {hours} AND {zone} AND {fraction}"
            );
            // The offset is applied as a modifier: SQLite's own reading of `±HH:MM` stops at
            // 14:59, the language's at 23:59.
            let shift = format!(
                "CASE WHEN {z} = 'Z' THEN '+0 minutes' ELSE printf('%+d minutes', (CASE WHEN substr({z}, 1, 1) = '-' THEN 1 ELSE -1 END) * (CAST(substr({z}, 2, 2) AS INTEGER) * 60 + CAST(substr({z}, 5, 2) AS INTEGER))) END"
            );
            let canonical = format!(
                "strftime('%Y-%m-%dT%H:%M:%fZ', substr({v}, 1, 10) || 'T' || substr({v}, 12, 8) || '.' || substr(substr({f}, 2) || '000', 1, 3), {shift})"
            );
            let with_zone = format!(
                "(SELECT {v}, {t}, CASE WHEN upper(substr({v}, -1)) = 'Z' THEN 'Z' ELSE substr({v}, -6) END AS {z} FROM {values}) AS {}",
                d.ident("forge_z")
            );
            let with_fraction = format!(
                "(SELECT {v}, {t}, {z}, substr({v}, 20, length({v}) - 19 - length({z})) AS {f} FROM {with_zone}) AS {}",
                d.ident("forge_f")
            );
            Sql::atom(format!(
                "(SELECT CASE WHEN {ok} THEN {canonical} END FROM {with_fraction})"
            ))
        }
    }
}
