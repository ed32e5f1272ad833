//! The identity object, read from the bound text as PostgreSQL's `forge.identity()` reads it
//! (`raw::jsonb`, then an object or nothing), and one of its members.
//!
//! - NULL, text that is not JSON and JSON that is not an object are the anonymous identity. The
//!   text is parsed only once it is known to be valid (nested `CASE`s: SQLite's JSON functions
//!   raise an error on malformed text, as does MySQL's `JSON_TABLE`).
//! - So is text `jsonb` refuses although it is valid JSON: a string (key or value, anywhere)
//!   holding U+0000 or a lone surrogate, which only an escape can write (`\u0000`, `\ud800` not
//!   followed by a low surrogate's escape, a low one without a high one before it). The escapes
//!   are found in the text itself, once every escaped backslash (`\\`) is set aside.
//! - A key given twice counts by its last occurrence, as in `jsonb` (and JavaScript): SQLite's
//!   path lookups find the first, so the object is first merged into `{}` (`json_patch`, which
//!   keeps the last); MariaDB's find the first too, so a member is the last row `JSON_TABLE`
//!   gives for its key (MySQL 8 keeps the last when it parses).

use forge_gen_sql::Dialect;

use super::one_row;

/// A one-row table whose column `w` is the identity's member `key` as JSON text: NULL when the
/// identity is anonymous or has no such key.
pub(super) fn member(d: Dialect, key: &str) -> String {
    let j = d.ident("j");
    let value = match d {
        Dialect::Mysql => {
            let (m, n, w) = (d.ident("forge_m"), d.ident("n"), d.ident("w"));
            format!(
                "(SELECT {m}.{w} FROM JSON_TABLE({j}, {} COLUMNS ({n} FOR ORDINALITY, {w} JSON PATH '$')) AS {m} ORDER BY {m}.{n} DESC LIMIT 1)",
                path(d, key)
            )
        }
        _ => format!("{j} -> {}", path(d, key)),
    };
    one_row(
        d,
        &format!("SELECT {value} AS {} FROM {}", d.ident("w"), document(d)),
        "forge_w",
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

/// A one-row table whose column `j` is the identity object (SQLite: with each key once), or NULL
/// when the bound value is not a JSON object `jsonb` can hold (or is NULL).
fn document(d: Dialect) -> String {
    let (r, e) = (d.ident("r"), d.ident("e"));
    let object = match d {
        Dialect::Mysql => format!(
            "CASE WHEN JSON_VALID({r}) THEN CASE WHEN JSON_TYPE({r}) = 'OBJECT' AND {} THEN {r} END END",
            held(d)
        ),
        _ => format!(
            "CASE WHEN json_valid({r}) THEN CASE WHEN json_type({r}) = 'object' AND {} THEN json_patch('{{}}', {r}) END END",
            held(d)
        ),
    };
    // The escapes are looked at only when the text has one (`\u`, rare in an identity).
    let escapes = format!(
        "CASE WHEN {} > 0 THEN {} END",
        instr(d, &r, "\\u"),
        escapes(d, &r)
    );
    let bound = format!("(SELECT ? AS {r}) AS {}", d.ident("forge_r"));
    let with_escapes = one_row(
        d,
        &format!("SELECT {r}, {escapes} AS {e} FROM {bound}"),
        "forge_e",
    );
    one_row(
        d,
        &format!("SELECT {object} AS {} FROM {with_escapes}", d.ident("j")),
        "forge_j",
    )
}

/// Where `needle` first occurs in `text` (from 1), 0 when nowhere.
fn instr(d: Dialect, text: &str, needle: &str) -> String {
    match d {
        Dialect::Mysql => format!("INSTR({text}, {})", d.string(needle)),
        _ => format!("instr({text}, {})", d.string(needle)),
    }
}

/// The text `r` with every escaped backslash (`\\`, the only escape that ends in a backslash)
/// replaced by `_`: each backslash left starts an escape. `replace` works left to right, so in
/// a run of backslashes it pairs them as a JSON parser does. SQLite also marks the surrogates'
/// escapes: the text is lower-cased (ASCII only) and each `\ud8`..`\udb` becomes `H`, each
/// `\udc`..`\udf` becomes `L`, upper-case letters no other character of the text can be.
fn escapes(d: Dialect, r: &str) -> String {
    match d {
        Dialect::Mysql => format!("REPLACE({r}, {}, '_')", d.string("\\\\")),
        _ => {
            let bare = format!("replace({r}, {}, '_')", d.string("\\\\"));
            let mut marked = format!("lower({bare})");
            for (digit, mark) in [
                ('8', 'H'),
                ('9', 'H'),
                ('a', 'H'),
                ('b', 'H'),
                ('c', 'L'),
                ('d', 'L'),
                ('e', 'L'),
                ('f', 'L'),
            ] {
                marked = format!(
                    "replace({marked}, {}, '{mark}')",
                    d.string(&format!("\\ud{digit}"))
                );
            }
            marked
        }
    }
}

/// The escapes `e` (see [`escapes`]; NULL when the text has none) write no U+0000 and no lone
/// surrogate: `jsonb` can hold the text.
fn held(d: Dialect) -> String {
    let e = d.ident("e");
    let nul = instr(d, &e, "\\u0000");
    let lone = match d {
        // A high surrogate's escape followed by a low one's makes a pair; any other is lone.
        Dialect::Mysql => format!(
            "REGEXP_REPLACE({e}, {}, '') REGEXP {}",
            d.string("\\\\u[dD][89abAB][0-9a-fA-F]{2}\\\\u[dD][c-fC-F][0-9a-fA-F]{2}"),
            d.string("\\\\u[dD][89a-fA-F]")
        ),
        // `H` and two hex digits then something other than `L`, or `L` without `H` three
        // characters before it (the text padded so that both always have a neighbour).
        _ => {
            let padded = format!("('   ' || {e} || '   ')");
            format!("{padded} GLOB '*H??[^L]*' OR {padded} GLOB '*[^H]??L*'")
        }
    };
    format!("({e} IS NULL OR ({nul} = 0 AND NOT ({lone})))")
}
