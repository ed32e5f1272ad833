//! Identity numbers, read as PostgreSQL reads a `jsonb` number (`forge.json_integer`,
//! `json_bigint`, `json_float`): as the exact decimal written, whatever the notation.
//!
//! The number's text is taken apart as text, without floating point: its significant digits
//! without leading or trailing zeros (`g`, empty for zero) and the power of ten of the last one
//! (`k`): `12.50e1` is `125` and 0, `-0.0012` is `12` and -4, `1e3` is `1` and 3. Then:
//! - it is whole when `k >= 0`, and is written out as `g` followed by `k` zeros, whose range is
//!   checked as text before the cast: exact, with no rounding on the way
//!   (`90071992547409930e-1` is 9007199254740993);
//! - as a float, it is present when zero or when its magnitude lies between the smallest normal
//!   double and the largest, compared digit by digit: a subnormal (`5e-324`) or a number that
//!   underflows (`1e-400`) is missing, not 0, and the largest double itself is kept.
//!
//! MySQL 8 (unlike MariaDB) parses a JSON number into a double first: there the text is that
//! double's, so a number with a fraction or an exponent is only as exact as the double.

use forge_gen_sql::Dialect;

use super::{Names, concat, integer, is_number, layer, length, one_row, trim_zeros};
use crate::sql::Sql;

/// An integer of `bits` bits: a JSON number whose value is whole (`42`, `-7`, `7.0`, `1e3`,
/// `12.5e1`), or for a bigint also a string of 1 to 19 decimal digits (JavaScript's
/// JSON.stringify cannot write a BigInt). Exact: the digits are checked as text before the cast.
pub(super) fn whole(d: Dialect, values: &str, bits: u32) -> Sql {
    let x = Names::new(d);
    let (v, t, i) = (&x.v, &x.t, d.ident("i"));
    let (g, k, sign) = (d.ident("g"), d.ident("k"), d.ident("sign"));
    let string = if bits == 64 {
        let text = match d {
            Dialect::Mysql => "STRING",
            _ => "text",
        };
        format!(" WHEN {t} = '{text}' THEN {v}")
    } else {
        String::new()
    };
    // The digits, with their sign, as text: `k` zeros after `g` (at most 19 digits in all, more
    // is out of range whatever they are).
    let zeros = format!("substr('0000000000000000000', 1, {k})");
    let digits = format!(
        "CASE WHEN {g} = '' THEN '0' WHEN {k} >= 0 AND {} + {k} <= 19 THEN {}{string} END",
        length(d, &g),
        concat(d, &[&sign, &g, &zeros])
    );
    let negative = format!("substr({i}, 1, 1) = '-'");
    let unsigned = format!("CASE WHEN {negative} THEN substr({i}, 2) ELSE {i} END");
    let only_digits = match d {
        Dialect::Mysql => format!("{unsigned} NOT REGEXP '[^0-9]'"),
        _ => format!("{unsigned} NOT GLOB '*[^0-9]*'"),
    };
    let shape = format!("{unsigned} <> '' AND {only_digits}");
    let cast = integer(d, &i);
    let digit_count = length(d, &unsigned);
    let converted = if bits == 64 {
        // Up to 19 digits; with 19, no more than the limit (same length: text order is numeric).
        format!(
            "CASE WHEN {shape} AND ({digit_count} < 19 OR ({digit_count} = 19 AND {unsigned} <= CASE WHEN {negative} THEN '9223372036854775808' ELSE '9223372036854775807' END)) THEN {cast} END"
        )
    } else {
        format!(
            "CASE WHEN {shape} AND {digit_count} <= 10 THEN CASE WHEN {cast} BETWEEN -2147483648 AND 2147483647 THEN {cast} END END"
        )
    };
    let with_digits = one_row(
        d,
        &format!("SELECT {digits} AS {i} FROM {}", decimal(d, values)),
        "forge_i",
    );
    Sql::atom(format!("(SELECT {converted} FROM {with_digits})"))
}

/// A float: a JSON number that is zero or whose magnitude is within PostgreSQL's bounds, from
/// 2.2250738585072014e-308 to 1.7976931348623157e308 (the smallest normal double and the largest)
/// as exact decimals. Zero is `0.0` (PostgreSQL's numeric has no negative zero).
pub(super) fn float(d: Dialect, values: &str) -> Sql {
    let x = Names::new(d);
    let (g, k) = (d.ident("g"), d.ident("k"));
    // The power of ten of the first significant digit.
    let power = format!("({k} + {} - 1)", length(d, &g));
    let below_max = format!("({power} < 308 OR ({power} = 308 AND {g} <= '17976931348623157'))");
    let above_min = format!("({power} > -308 OR ({power} = -308 AND {g} >= '22250738585072014'))");
    let (zero, double) = match d {
        Dialect::Mysql => ("0e0", "DOUBLE"),
        _ => ("0.0", "REAL"),
    };
    Sql::atom(format!(
        "(SELECT CASE WHEN {g} = '' THEN {zero} WHEN {below_max} AND {above_min} THEN CAST({} AS {double}) END FROM {})",
        x.v,
        decimal(d, values)
    ))
}

/// `values` (see `identity::values`) with the parts of its number, all NULL when it is not one:
/// `sign` (`-` or empty), `g` (the significant digits, empty for zero) and `k` (the power of ten
/// of the last of them).
fn decimal(d: Dialect, values: &str) -> String {
    let x = Names::new(d);
    let col = |name: &str| d.ident(name);
    let (s, at, m, e) = (col("s"), col("at"), col("m"), col("e"));
    let (f, z, ed) = (col("f"), col("z"), col("ed"));
    // The number as written: SQLite's JSON text, MySQL's unquoted text.
    let written = match d {
        Dialect::Mysql => &x.v,
        _ => &x.w,
    };
    let number = is_number(d, &x.t);
    let with_text = layer(
        d,
        values,
        "forge_n1",
        &[
            ("s", format!("CASE WHEN {number} THEN {written} END")),
            (
                "at",
                format!("CASE WHEN {number} THEN instr(lower({written}), 'e') END"),
            ),
        ],
    );
    // The mantissa and the exponent (without its `e`).
    let split = layer(
        d,
        &with_text,
        "forge_n2",
        &[
            (
                "m",
                format!("CASE WHEN {at} > 0 THEN substr({s}, 1, {at} - 1) ELSE {s} END"),
            ),
            (
                "e",
                format!("CASE WHEN {at} > 0 THEN substr({s}, {at} + 1) ELSE '' END"),
            ),
        ],
    );
    // The sign; the fraction's length; every digit of the mantissa without leading zeros; the
    // exponent's digits without their sign and leading zeros.
    let parts = layer(
        d,
        &split,
        "forge_n3",
        &[
            (
                "sign",
                format!("CASE WHEN substr({m}, 1, 1) = '-' THEN '-' ELSE '' END"),
            ),
            (
                "f",
                format!(
                    "CASE WHEN instr({m}, '.') > 0 THEN {} - instr({m}, '.') ELSE 0 END",
                    length(d, &m)
                ),
            ),
            (
                "z",
                trim_zeros(d, &format!("replace(replace({m}, '-', ''), '.', '')"), true),
            ),
            (
                "ed",
                trim_zeros(d, &format!("replace(replace({e}, '+', ''), '-', '')"), true),
            ),
        ],
    );
    // An exponent of 10 digits or more is beyond any text's length: its sign decides.
    let exponent = format!(
        "(CASE WHEN substr({e}, 1, 1) = '-' THEN -1 ELSE 1 END) * CASE WHEN {ed} = '' THEN 0 WHEN {} > 9 THEN 4000000000 ELSE {} END",
        length(d, &ed),
        integer(d, &ed)
    );
    let significant = trim_zeros(d, &z, false);
    layer(
        d,
        &parts,
        "forge_n4",
        &[
            ("g", significant.clone()),
            (
                "k",
                format!(
                    "{exponent} - {f} + {} - {}",
                    length(d, &z),
                    length(d, &significant)
                ),
            ),
        ],
    )
}
