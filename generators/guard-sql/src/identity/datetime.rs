//! Identity datetimes, read as PostgreSQL's `forge.json_datetime` reads them: an RFC 3339 string
//! with `Z` or `±HH:MM` (hours 00 to 23, a date of the calendar), as an instant to the
//! microsecond. PostgreSQL rounds a longer fraction as `rint(strtod(fraction) * 1000000)` does
//! (half to even, on the double), so `.0000005` is 0 µs and `.0000015` is 2 µs; so do both
//! dialects.
//!
//! - MySQL: a `DATETIME(6)` in UTC, as the columns hold.
//! - SQLite: the columns hold canonical UTC text with milliseconds
//!   (`2024-01-31T09:30:00.000Z`), which sorts in time order. An instant with microseconds beyond
//!   the millisecond is written as its millisecond's canonical text followed by those three
//!   digits (`2024-01-31T09:30:00.000Z500` for `.0005`): a text that sorts after its millisecond
//!   and before the next one, so it compares with any column's text (and with another identity
//!   datetime) as the instants do, and never equals a column's.

use forge_gen_sql::Dialect;

use super::{Names, layer, mysql_day_exists, mysql_matches, sqlite_date};
use crate::sql::Sql;

/// A datetime of the identity: the instant, or NULL when the value is not one.
pub(super) fn datetime(d: Dialect, values: &str) -> Sql {
    match d {
        Dialect::Mysql => mysql(values),
        _ => sqlite(values),
    }
}

/// `x` (a number of microseconds, at least 0) rounded half to even: `rint(x)`.
fn rint(d: Dialect, x: &str) -> String {
    let floor = match d {
        Dialect::Mysql => format!("FLOOR({x})"),
        // A cast to an integer truncates, which for a number at least 0 is its floor.
        _ => format!("CAST({x} AS INTEGER)"),
    };
    let odd = match d {
        Dialect::Mysql => format!("MOD({floor}, 2)"),
        _ => format!("{floor} % 2"),
    };
    format!(
        "{floor} + CASE WHEN {x} - {floor} > 0.5 THEN 1 WHEN {x} - {floor} = 0.5 THEN {odd} ELSE 0 END"
    )
}

/// MySQL: a `DATETIME(6)` in UTC, the fraction's microseconds added as an interval (so a
/// rounding up to a whole second carries).
fn mysql(values: &str) -> Sql {
    let d = Dialect::Mysql;
    let x = Names::new(d);
    let (v, t, ok, us) = (&x.v, &x.t, d.ident("ok"), d.ident("us"));
    let zulu = format!("UPPER(RIGHT({v}, 1)) = 'Z'");
    let offset = format!(
        "CASE WHEN {zulu} THEN 0 ELSE (CASE WHEN SUBSTRING({v}, -6, 1) = '-' THEN -1 ELSE 1 END) * (CAST(SUBSTRING({v}, -5, 2) AS SIGNED) * 60 + CAST(SUBSTRING({v}, -2, 2) AS SIGNED)) END"
    );
    // The fraction with its point (`.0005`), or nothing.
    let fraction = format!(
        "CASE WHEN SUBSTRING({v}, 20, 1) = '.' THEN SUBSTRING({v}, 20, CHAR_LENGTH({v}) - 19 - CASE WHEN {zulu} THEN 1 ELSE 6 END) ELSE '' END"
    );
    let shape = mysql_matches(
        v,
        "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$",
        "-0-9Tt :.Zz+",
    );
    let day = format!("LEFT({v}, 4) <> '0000' AND {}", mysql_day_exists(v));
    let checked = layer(
        d,
        values,
        "forge_ok",
        &[(
            "ok",
            format!(
                "CASE WHEN {t} = 'STRING' THEN CASE WHEN {shape} THEN CASE WHEN {day} THEN TRUE END END END"
            ),
        )],
    );
    // The fraction's microseconds, rounded; the text is cast only once it is known to be a
    // datetime.
    let micros = layer(
        d,
        &checked,
        "forge_us",
        &[(
            "us",
            format!(
                "CASE WHEN {ok} THEN {} END",
                rint(
                    d,
                    &format!("(CAST(CONCAT('0', {fraction}) AS DOUBLE) * 1e6)")
                )
            ),
        )],
    );
    let local = format!("CAST(CONCAT(LEFT({v}, 10), ' ', SUBSTRING({v}, 12, 8)) AS DATETIME(6))");
    Sql::atom(format!(
        "(SELECT CASE WHEN {ok} THEN {local} + INTERVAL CAST({us} AS SIGNED) MICROSECOND - INTERVAL ({offset}) MINUTE END FROM {micros})"
    ))
}

/// SQLite: the canonical text of the millisecond, and the microseconds beyond it (see the
/// module's doc).
fn sqlite(values: &str) -> Sql {
    let d = Dialect::Sqlite;
    let x = Names::new(d);
    let (v, t, us) = (&x.v, &x.t, d.ident("us"));
    let (z, f) = (d.ident("z"), d.ident("f"));
    let hours = format!(
        "(substr({v}, 12, 8) GLOB '[01][0-9]:[0-5][0-9]:[0-5][0-9]' OR substr({v}, 12, 8) GLOB '2[0-3]:[0-5][0-9]:[0-5][0-9]')"
    );
    let zone = format!(
        "({z} = 'Z' OR {z} GLOB '[+-][01][0-9]:[0-5][0-9]' OR {z} GLOB '[+-]2[0-3]:[0-5][0-9]')"
    );
    let fraction =
        format!("({f} = '' OR ({f} GLOB '.[0-9]*' AND substr({f}, 2) NOT GLOB '*[^0-9]*'))");
    let date = sqlite_date(&format!("substr({v}, 1, 10)"));
    let ok = format!(
        "{t} = 'text' AND length({v}) >= 19 + length({z}) AND {date} AND substr({v}, 11, 1) IN ('T', 't', ' ') AND {hours} AND {zone} AND {fraction}"
    );
    // The offset is applied as a modifier: SQLite's own reading of `±HH:MM` stops at 14:59, the
    // language's at 23:59. So is a carry into the next second (a fraction rounded up to 1).
    let shift = format!(
        "CASE WHEN {z} = 'Z' THEN '+0 minutes' ELSE printf('%+d minutes', (CASE WHEN substr({z}, 1, 1) = '-' THEN 1 ELSE -1 END) * (CAST(substr({z}, 2, 2) AS INTEGER) * 60 + CAST(substr({z}, 5, 2) AS INTEGER))) END"
    );
    let canonical = format!(
        "strftime('%Y-%m-%dT%H:%M:%fZ', substr({v}, 1, 10) || 'T' || substr({v}, 12, 8) || printf('.%03d', ({us} / 1000) % 1000), {shift}, printf('+%d seconds', {us} / 1000000))"
    );
    let beyond = format!("CASE WHEN {us} % 1000 > 0 THEN printf('%03d', {us} % 1000) ELSE '' END");
    let with_zone = layer(
        d,
        values,
        "forge_z",
        &[(
            "z",
            format!("CASE WHEN upper(substr({v}, -1)) = 'Z' THEN 'Z' ELSE substr({v}, -6) END"),
        )],
    );
    let with_fraction = layer(
        d,
        &with_zone,
        "forge_f",
        &[(
            "f",
            format!("substr({v}, 20, length({v}) - 19 - length({z}))"),
        )],
    );
    // Casts never fail in SQLite: the fraction (`.0005`, or nothing) is read whatever it is,
    // and used only once `ok` holds.
    let micros = layer(
        d,
        &with_fraction,
        "forge_us",
        &[(
            "us",
            rint(d, &format!("(CAST('0' || {f} AS REAL) * 1000000.0)")),
        )],
    );
    Sql::atom(format!(
        "(SELECT CASE WHEN {ok} THEN {canonical} || {beyond} END FROM {micros})"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What SQLite makes of the identity datetime `text`.
    fn sqlite_reads(text: &str) -> Option<String> {
        let values = "(SELECT NULL AS \"w\", ? AS \"v\", 'text' AS \"t\") AS \"forge_v\"";
        let sql = format!("SELECT {}", datetime(Dialect::Sqlite, values).text);
        let conn = rusqlite::Connection::open_in_memory().expect("an in-memory database");
        conn.query_row(&sql, [text], |row| row.get(0))
            .expect("the conversion runs")
    }

    #[test]
    fn sqlite_writes_the_microseconds_after_the_millisecond() {
        for (text, read) in [
            ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00.000Z"),
            ("2024-01-01T00:00:00.0005Z", "2024-01-01T00:00:00.000Z500"),
            ("2024-01-01T00:00:00.123456Z", "2024-01-01T00:00:00.123Z456"),
            (
                "2024-01-01T01:00:00.0316765+01:00",
                "2024-01-01T00:00:00.031Z677",
            ),
            (
                "2024-01-01T00:00:00.0079195Z",
                "2024-01-01T00:00:00.007Z919",
            ),
            ("2024-01-01T00:00:00.0000005Z", "2024-01-01T00:00:00.000Z"),
            (
                "2024-01-01T00:00:00.0000015Z",
                "2024-01-01T00:00:00.000Z002",
            ),
            ("2024-01-01 00:00:00.0009995z", "2024-01-01T00:00:00.001Z"),
            (
                "2023-12-31T23:59:59.9999995-23:59",
                "2024-01-01T23:59:00.000Z",
            ),
        ] {
            assert_eq!(sqlite_reads(text).as_deref(), Some(read), "{text}");
        }
        assert_eq!(sqlite_reads("2024-01-01T00:00:00.Z"), None);
    }
}
