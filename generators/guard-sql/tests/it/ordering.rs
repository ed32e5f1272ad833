//! Order, as the language defines it: strings by code point (not UTF-16, not a collation, no
//! padding), enum members by declaration, bigints exactly (beyond 2^53, against literals with a
//! fraction, against identity values written as numbers in any notation or digit strings),
//! datetimes in time order (offsets and fractions of identity values too, to the microsecond),
//! dates, decimals, uuids as lower-case text.

use crate::setup::{App, apps, ir, uuid};

const SCHEMA: &str = r#"
roles code eq level big frac at ref day amount who_big who_at who_name who_level

enum Level low mid high

identity {
  big_limit bigint optional=#true
  since datetime optional=#true
  floor string optional=#true
  min_level Level optional=#true
}

model Item {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  code string
  level Level
  big bigint
  at datetime
  ref uuid
  day date
  amount decimal precision=10 scale=2
}

permissions {
  Item {
    read code if="record.code < 'a'"
    read eq if="record.code == 'a'"
    read level if="record.level >= 'mid'"
    read big if="record.big > 9007199254740992"
    read frac if="record.big >= 9007199254740992.5"
    read at if="record.at < '2024-01-01T00:30:00+01:00'"
    read ref if="record.ref < 'A0000000-0000-0000-0000-000000000000'"
    read day if="record.day > '2024-02-28'"
    read amount if="record.amount > 1234.5"
    read who_big if="record.big >= user.big_limit"
    read who_at if="record.at >= user.since"
    read who_name if="record.code > user.floor"
    read who_level if="record.level < user.min_level"
  }
}
"#;

const T: u64 = 9001;

/// name, code, level, big, at, ref, day, amount
const ROWS: [[&str; 8]; 9] = [
    [
        "r1",
        "B",
        "low",
        "9007199254740993",
        "2023-12-31T23:29:59.000Z",
        "9fffffff-ffff-ffff-ffff-ffffffffffff",
        "2024-02-29",
        "1234.51",
    ],
    [
        "r2",
        "b",
        "mid",
        "9007199254740992",
        "2023-12-31T23:30:00.000Z",
        "a0000000-0000-0000-0000-000000000000",
        "2024-02-28",
        "1234.50",
    ],
    [
        "r3",
        "Z",
        "high",
        "-1",
        "2023-12-31T23:00:00.000Z",
        "a0000000-0000-0000-0000-000000000001",
        "2023-03-01",
        "0",
    ],
    [
        "r4",
        "é",
        "low",
        "0",
        "2024-06-01T00:00:00.000Z",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "2025-01-01",
        "0",
    ],
    [
        "r5",
        "😀",
        "mid",
        "9223372036854775807",
        "2025-01-01T00:00:00.000Z",
        "b0000000-0000-0000-0000-000000000000",
        "2000-01-01",
        "0",
    ],
    [
        "r6",
        "ｚ",
        "high",
        "-9223372036854775808",
        "2025-01-01T00:00:00.000Z",
        "b0000000-0000-0000-0000-000000000001",
        "2000-01-01",
        "0",
    ],
    [
        "r7",
        "a",
        "high",
        "1",
        "2025-01-01T00:00:00.000Z",
        "b0000000-0000-0000-0000-000000000002",
        "2000-01-01",
        "0",
    ],
    [
        "r8",
        "a\t",
        "high",
        "2",
        "2025-01-01T00:00:00.000Z",
        "b0000000-0000-0000-0000-000000000003",
        "2000-01-01",
        "0",
    ],
    [
        "r9",
        "a ",
        "high",
        "3",
        "2025-01-01T00:00:00.000Z",
        "b0000000-0000-0000-0000-000000000004",
        "2000-01-01",
        "0",
    ],
];

fn seeded(test: &str) -> [App; 2] {
    let apps = apps(test, &ir(SCHEMA));
    for app in &apps {
        let values: Vec<String> = ROWS
            .iter()
            .enumerate()
            .map(|(i, [name, code, level, big, at, reference, day, amount])| {
                format!(
                    "('{}', '{}', '{name}', '{code}', '{level}', {big}, {}, '{reference}', '{day}', {amount})",
                    uuid(i as u64 + 1),
                    uuid(T),
                    app.datetime(at)
                )
            })
            .collect();
        app.admin(&format!(
            "INSERT INTO item (id, tenant_id, name, code, level, big, at, ref, day, amount) VALUES {};",
            values.join(", ")
        ));
    }
    apps
}

/// The names `role` reads, with `extra` JSON members in the identity.
fn seen(app: &App, role: &str, extra: &str) -> Vec<String> {
    let identity = format!(
        "{{\"id\":\"{}\",\"tenant_id\":\"{}\",\"roles\":[\"{role}\"]{extra}}}",
        uuid(11),
        uuid(T)
    );
    app.rows("Item", "name", &identity)
}

#[test]
fn literals_order_as_the_language_says() {
    for app in seeded("ordering_literals") {
        let d = app.dialect();
        // Code points: upper case before lower case; a prefix before its extensions, whatever
        // follows (a tab, a space); é, the astral 😀 and the fullwidth ｚ after ASCII.
        assert_eq!(seen(&app, "code", ""), ["r1", "r3"], "{d}");
        assert_eq!(
            seen(&app, "eq", ""),
            ["r7"],
            "{d}: no trailing-space padding"
        );
        assert_eq!(
            seen(&app, "level", ""),
            ["r2", "r3", "r5", "r6", "r7", "r8", "r9"],
            "{d}"
        );
        assert_eq!(seen(&app, "big", ""), ["r1", "r5"], "{d}");
        assert_eq!(
            seen(&app, "frac", ""),
            ["r1", "r5"],
            "{d}: 2^53 + 0.5 is not rounded"
        );
        assert_eq!(seen(&app, "at", ""), ["r1", "r3"], "{d}");
        assert_eq!(seen(&app, "ref", ""), ["r1"], "{d}");
        assert_eq!(seen(&app, "day", ""), ["r1", "r4"], "{d}");
        assert_eq!(seen(&app, "amount", ""), ["r1"], "{d}");
    }
}

#[test]
fn identity_values_order_as_the_language_says() {
    for app in seeded("ordering_identity") {
        let d = app.dialect();
        // Bigints beyond 2^53, as a number, a digit string, a whole number in any notation
        // (read exactly, never through a double); out of range or not whole is missing.
        for limit in [
            "9007199254740993",
            "\"9007199254740993\"",
            "9007199254740993.0",
            "9007199254740993e0",
            "90071992547409930e-1",
            "0.9007199254740993E16",
        ] {
            assert_eq!(
                seen(&app, "who_big", &format!(",\"big_limit\":{limit}")),
                ["r1", "r5"],
                "{d}: {limit}"
            );
        }
        assert_eq!(
            seen(&app, "who_big", ",\"big_limit\":\"9223372036854775807\""),
            ["r5"],
            "{d}"
        );
        assert_eq!(
            seen(&app, "who_big", ",\"big_limit\":-9223372036854775808"),
            ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"],
            "{d}"
        );
        assert_eq!(
            seen(&app, "who_big", ",\"big_limit\":1e3"),
            ["r1", "r2", "r5"],
            "{d}"
        );
        assert_eq!(
            seen(&app, "who_big", ",\"big_limit\":9.223372036854775807e18"),
            ["r5"],
            "{d}"
        );
        for out_of_range in [
            "9223372036854775808",
            "\"9223372036854775808\"",
            "9.223372036854775808e18",
            "1e19",
            "\"1e3\"",
            "9007199254740993.5e0",
            "1e-1",
            "\"12a\"",
            "\"\"",
            "\"-\"",
            "\"+1\"",
            "9007199254740993.5",
        ] {
            assert!(
                seen(&app, "who_big", &format!(",\"big_limit\":{out_of_range}")).is_empty(),
                "{d}: {out_of_range}"
            );
        }
        // Datetimes: an offset, and a fraction.
        let after = |since: &str| seen(&app, "who_at", &format!(",\"since\":\"{since}\""));
        let all_but_r3 = ["r1", "r2", "r4", "r5", "r6", "r7", "r8", "r9"];
        assert_eq!(after("2024-01-01T00:29:59+01:00"), all_but_r3, "{d}");
        assert_eq!(after("2023-12-31t23:29:59z"), all_but_r3, "{d}");
        assert_eq!(after("2023-12-31 18:29:59-05:00"), all_but_r3, "{d}");
        // Any offset the language accepts (SQLite reads `±HH:MM` only up to 14:59 by itself).
        assert_eq!(after("2024-01-01T23:28:59+23:59"), all_but_r3, "{d}");
        assert_eq!(after("2023-12-31T07:59:59-15:30"), all_but_r3, "{d}");
        assert_eq!(after("2023-12-31T23:29:59.9999Z")[0], "r2", "{d}");
        // Microseconds, rounded as PostgreSQL rounds them: after a column's millisecond, or on
        // it.
        let from_r4 = ["r4", "r5", "r6", "r7", "r8", "r9"];
        assert_eq!(after("2023-12-31T23:30:00.0005Z"), from_r4, "{d}");
        assert_eq!(after("2023-12-31T23:30:00.000001Z"), from_r4, "{d}");
        let from_r2 = ["r2", "r4", "r5", "r6", "r7", "r8", "r9"];
        assert_eq!(after("2023-12-31T23:30:00.0000005Z"), from_r2, "{d}");
        assert_eq!(after("2023-12-31T23:29:59.9999995Z"), from_r2, "{d}");
        assert_eq!(after("2023-12-31T23:29:59.9995Z"), from_r2, "{d}");
        assert_eq!(
            after("2024-06-01T00:00:00.000Z"),
            ["r4", "r5", "r6", "r7", "r8", "r9"],
            "{d}"
        );
        // Strings: by code point (UTF-16 would put 😀 before ｚ).
        let floor = |floor: &str| seen(&app, "who_name", &format!(",\"floor\":\"{floor}\""));
        assert_eq!(floor("ｚ"), ["r5"], "{d}");
        assert_eq!(floor("a"), ["r2", "r4", "r5", "r6", "r8", "r9"], "{d}");
        assert_eq!(
            floor("\\ud83d\\ude00"),
            Vec::<String>::new(),
            "{d}: an escaped astral"
        );
        // Enums: by declaration, not by name (`high` < `low` < `mid` alphabetically).
        let below = |level: &str| seen(&app, "who_level", &format!(",\"min_level\":\"{level}\""));
        assert_eq!(below("mid"), ["r1", "r4"], "{d}");
        assert_eq!(below("high"), ["r1", "r2", "r4", "r5"], "{d}");
        assert!(below("low").is_empty(), "{d}");
        assert!(below("MID").is_empty(), "{d}: not a member");
    }
}

#[test]
fn identity_datetimes_round_on_the_double_as_postgresql_does() {
    // MariaDB's columns hold microseconds (SQLite's milliseconds: the unit tests of
    // `identity/datetime.rs` check its text). PostgreSQL rounds `rint(0.0316765 * 1e6)`, and the
    // double is just above 31676.5: 31677 µs, where the decimal rounded half to even is 31676.
    let [_, app] = seeded("ordering_microseconds");
    let micros = [
        ("m1", "31676"),
        ("m2", "31677"),
        ("m3", "7919"),
        ("m4", "7920"),
    ];
    let values: Vec<String> = micros
        .iter()
        .enumerate()
        .map(|(i, (name, us))| {
            format!(
                "('{}', '{}', '{name}', 'x', 'low', 0, '2024-01-01 00:00:00.{us:0>6}', '{}', '2000-01-01', 0)",
                uuid(i as u64 + 20),
                uuid(T),
                uuid(0)
            )
        })
        .collect();
    app.admin(&format!(
        "INSERT INTO item (id, tenant_id, name, code, level, big, at, ref, day, amount) VALUES {};",
        values.join(", ")
    ));
    let after = |since: &str| -> Vec<String> {
        seen(&app, "who_at", &format!(",\"since\":\"{since}\""))
            .into_iter()
            .filter(|name| name.starts_with('m'))
            .collect()
    };
    assert_eq!(after("2024-01-01T00:00:00.0316765Z"), ["m2"]);
    assert_eq!(
        after("2024-01-01T00:00:00.0079195Z"),
        ["m1", "m2", "m3", "m4"]
    );
    assert_eq!(after("2024-01-01T00:00:00.0079201Z"), ["m1", "m2", "m4"]);
    assert_eq!(after("2024-01-01T00:00:00.031676Z"), ["m1", "m2"]);
}
