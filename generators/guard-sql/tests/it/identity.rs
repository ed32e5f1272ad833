//! The identity: every attribute is read with its type, and a malformed value (or malformed
//! JSON, or JSON that is not an object, or NULL) counts as missing and never raises an error.
//! What PostgreSQL's `jsonb` and `forge.json_*` make of the text is the rule: text `jsonb`
//! refuses is anonymous, a key given twice counts by its last occurrence, numbers are the exact
//! decimals written (whole in any notation; subnormal floats missing), datetimes keep their
//! microseconds.

use crate::setup::{App, apps, ir, uuid};

const SCHEMA: &str = r#"
roles uuid_eq team_missing text_eq int_eq int_missing bool_true bool_false date_eq date_missing dt_eq dt_missing float_lt float_missing dec_gt enum_eq json_present bytes_present

enum Tier free pro

identity {
  team_id uuid optional=#true
  label string optional=#true
  level integer optional=#true
  staff boolean optional=#true
  since date optional=#true
  until datetime optional=#true
  score float optional=#true
  budget decimal optional=#true
  tier Tier optional=#true
  extra json optional=#true
  blob bytes optional=#true
}

model Probe {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  team_id uuid
  label string
  level integer
}

permissions {
  Probe {
    read uuid_eq if="record.team_id == user.team_id"
    read team_missing if="user.team_id == null"
    read text_eq if="record.label == user.label"
    read int_eq if="record.level == user.level"
    read int_missing if="user.level == null"
    read bool_true if="user.staff"
    read bool_false if="user.staff == false"
    read date_eq if="user.since == '2024-02-29'"
    read date_missing if="user.since == null"
    read dt_eq if="user.until == '2024-01-01T00:00:00Z'"
    read dt_missing if="user.until == null"
    read float_lt if="user.score < 1.5"
    read float_missing if="user.score == null"
    read dec_gt if="user.budget > 10.25"
    read enum_eq if="user.tier == 'pro'"
    read json_present if="user.extra != null"
    read bytes_present if="user.blob != null"
  }
}
"#;

const T: u64 = 9001;
const TEAM: &str = "abcdef00-0000-0000-0000-000000000005";

/// One probe row: team `TEAM`, label `x`, level 7.
fn seeded(test: &str) -> [App; 2] {
    let apps = apps(test, &ir(SCHEMA));
    for app in &apps {
        app.admin(&format!(
            "INSERT INTO probe (id, tenant_id, team_id, label, level) VALUES ('{}', '{}', '{TEAM}', 'x', 7);",
            uuid(1),
            uuid(T)
        ));
    }
    apps
}

/// (role, JSON members added to the identity, whether the probe row is read)
const CASES: &[(&str, &str, bool)] = &[
    // Uuids: either case; nothing else.
    (
        "uuid_eq",
        r#""team_id":"abcdef00-0000-0000-0000-000000000005""#,
        true,
    ),
    (
        "uuid_eq",
        r#""team_id":"ABCDEF00-0000-0000-0000-000000000005""#,
        true,
    ),
    (
        "uuid_eq",
        r#""team_id":"{abcdef00-0000-0000-0000-000000000005}""#,
        false,
    ),
    (
        "uuid_eq",
        r#""team_id":"abcdef00-0000-0000-0000-0000000000050""#,
        false,
    ),
    (
        "uuid_eq",
        r#""team_id":"abcdef000-000-0000-0000-000000000005""#,
        false,
    ),
    (
        "uuid_eq",
        r#""team_id":"abcdef00-0000-0000-0000-000000000005\n""#,
        false,
    ),
    (
        "uuid_eq",
        r#""team_id":"abcdef00-0000-0000-0000-00000000000g""#,
        false,
    ),
    ("team_missing", "", true),
    ("team_missing", r#""team_id":null"#, true),
    ("team_missing", r#""team_id":12"#, true),
    (
        "team_missing",
        r#""team_id":"'; DROP TABLE probe; --""#,
        true,
    ),
    (
        "team_missing",
        r#""team_id":["abcdef00-0000-0000-0000-000000000005"]"#,
        true,
    ),
    (
        "team_missing",
        r#""team_id":"abcdef00-0000-0000-0000-000000000005""#,
        false,
    ),
    // Strings: exactly, and only strings.
    ("text_eq", r#""label":"x""#, true),
    ("text_eq", r#""label":"\u0078""#, true),
    ("text_eq", r#""label":"X""#, false),
    ("text_eq", r#""label":"x ""#, false),
    ("text_eq", r#""label":["x"]"#, false),
    ("text_eq", r#""label":7"#, false),
    // 32-bit integers: whole numbers in range (no wrap-around), not strings.
    ("int_eq", r#""level":7"#, true),
    ("int_eq", r#""level":7.0"#, true),
    ("int_eq", r#""level":"7""#, false),
    ("int_eq", r#""level":7.5"#, false),
    ("int_eq", r#""level":4294967303"#, false),
    ("int_missing", r#""level":2147483648"#, true),
    ("int_missing", r#""level":-2147483649"#, true),
    ("int_missing", r#""level":2147483647"#, false),
    ("int_missing", r#""level":-2147483648"#, false),
    ("int_missing", r#""level":true"#, true),
    // Booleans: true and false only.
    ("bool_true", r#""staff":true"#, true),
    ("bool_true", r#""staff":false"#, false),
    ("bool_true", r#""staff":"true""#, false),
    ("bool_true", r#""staff":1"#, false),
    ("bool_true", "", false),
    ("bool_false", r#""staff":false"#, true),
    ("bool_false", r#""staff":null"#, false),
    ("bool_false", r#""staff":0"#, false),
    // Dates: of the calendar, years 0001 to 9999.
    ("date_eq", r#""since":"2024-02-29""#, true),
    ("date_eq", r#""since":"2024-2-29""#, false),
    ("date_eq", r#""since":"2024-02-29T00:00:00Z""#, false),
    ("date_missing", r#""since":"2023-02-29""#, true),
    ("date_missing", r#""since":"2024-02-30""#, true),
    ("date_missing", r#""since":"2024-13-01""#, true),
    ("date_missing", r#""since":"0000-01-01""#, true),
    ("date_missing", r#""since":20240229"#, true),
    ("date_missing", r#""since":"2024-02-29""#, false),
    ("date_missing", r#""since":"0001-01-01""#, false),
    // Datetimes: RFC 3339 with a zone, as an instant.
    ("dt_eq", r#""until":"2024-01-01T00:00:00Z""#, true),
    ("dt_eq", r#""until":"2024-01-01T01:00:00+01:00""#, true),
    (
        "dt_eq",
        r#""until":"2023-12-31T19:00:00.000000-05:00""#,
        true,
    ),
    ("dt_eq", r#""until":"2024-01-01 00:00:00z""#, true),
    ("dt_eq", r#""until":"2024-01-01T00:00:00.001Z""#, false),
    ("dt_missing", r#""until":"2024-01-01T00:00:00""#, true),
    ("dt_missing", r#""until":"2024-01-01T24:00:00Z""#, true),
    ("dt_missing", r#""until":"2024-01-01T00:00:00+24:00""#, true),
    ("dt_missing", r#""until":"2024-02-30T00:00:00Z""#, true),
    ("dt_missing", r#""until":"2024-01-01T00:00:00.Z""#, true),
    ("dt_missing", r#""until":"2024-01-01T00:00:00Z\n""#, true),
    (
        "dt_missing",
        r#""until":"2024-01-01T00:00:00.5+01:00""#,
        false,
    ),
    // Floats: numbers within the double range.
    ("float_lt", r#""score":1.25"#, true),
    ("float_lt", r#""score":-3"#, true),
    ("float_lt", r#""score":1.5"#, false),
    ("float_lt", r#""score":"1""#, false),
    ("float_lt", r#""score":-1e400"#, false),
    ("float_missing", r#""score":-1e400"#, true),
    ("float_missing", r#""score":1.25"#, false),
    // Decimals: numbers, exactly.
    ("dec_gt", r#""budget":10.26"#, true),
    ("dec_gt", r#""budget":11"#, true),
    ("dec_gt", r#""budget":10.25"#, false),
    ("dec_gt", r#""budget":"11""#, false),
    // Enums: a member, exactly.
    ("enum_eq", r#""tier":"pro""#, true),
    ("enum_eq", r#""tier":"Pro""#, false),
    ("enum_eq", r#""tier":"pro ""#, false),
    ("enum_eq", r#""tier":"gold""#, false),
    // Json and bytes: only presence can be tested.
    ("json_present", r#""extra":{"a":1}"#, true),
    ("json_present", r#""extra":[]"#, true),
    ("json_present", r#""extra":0"#, true),
    ("json_present", r#""extra":null"#, false),
    ("json_present", "", false),
    ("bytes_present", r#""blob":"abc""#, true),
    ("bytes_present", r#""blob":5"#, false),
];

#[test]
fn values_are_read_with_their_type_and_malformed_ones_are_missing() {
    for app in seeded("identity_values") {
        for (role, members, expected) in CASES {
            let members = if members.is_empty() {
                String::new()
            } else {
                format!(",{members}")
            };
            let identity = format!(
                "{{\"id\":\"{}\",\"tenant_id\":\"{}\",\"roles\":[\"{role}\"]{members}}}",
                uuid(11),
                uuid(T)
            );
            let read = !app.rows("Probe", "label", &identity).is_empty();
            assert_eq!(read, *expected, "{}: {identity}", app.dialect());
        }
    }
}

#[test]
fn malformed_identities_are_anonymous() {
    for app in seeded("identity_malformed") {
        // `team_missing` would read the row for any identity of the tenant: these have none.
        let tenant = uuid(T);
        for identity in [
            String::new(),
            "   ".into(),
            "{".into(),
            "not json".into(),
            format!("[{{\"tenant_id\":\"{tenant}\",\"roles\":[\"team_missing\"]}}]"),
            format!("\"{tenant}\""),
            "null".into(),
            format!("{{\"tenant_id\":\"{tenant}\",\"roles\":[\"team_missing\"]"),
        ] {
            assert!(
                app.rows("Probe", "label", &identity).is_empty(),
                "{}: {identity:?}",
                app.dialect()
            );
        }
        assert!(app.rows_bound("Probe", "label", None).is_empty());
        let fine = format!("{{\"tenant_id\":\"{tenant}\",\"roles\":[\"team_missing\"]}}");
        assert_eq!(
            app.rows("Probe", "label", &fine),
            ["x"],
            "{}",
            app.dialect()
        );
    }
}

/// The identity of `role` in tenant `T`, with `members` (JSON members) after its roles.
fn identity_with(role: &str, members: &str) -> String {
    format!(
        "{{\"id\":\"{}\",\"tenant_id\":\"{}\",\"roles\":[\"{role}\"]{members}}}",
        uuid(11),
        uuid(T)
    )
}

/// Whether `app` reads the probe row for `role` with `members` in the identity.
fn reads(app: &App, role: &str, members: &str) -> bool {
    !app.rows("Probe", "label", &identity_with(role, members))
        .is_empty()
}

#[test]
fn text_jsonb_refuses_is_anonymous_wherever_it_is() {
    for app in seeded("identity_refused") {
        let d = app.dialect();
        // `team_missing` reads the row for any identity of the tenant.
        for refused in [
            r#","x":"\u0000""#,
            r#","\u0000":1"#,
            r#","x":{"y":["a\u0000b"]}"#,
            r#","x":"\\\u0000""#,
            r#","x":"\ud800""#,
            r#","x":"\uDBFF!""#,
            r#","x":"\udc00""#,
            r#","x":"\ud800\u0041""#,
            r#","x":"\ud800\\udc00""#,
            r#","x":"\ude00\ud83d""#,
            r#","\ud800":true"#,
        ] {
            assert!(!reads(&app, "team_missing", refused), "{d}: {refused}");
        }
        let anonymous = format!(
            r#"{{"tenant_id":"{}","roles":["team_missing","\u0000"]}}"#,
            uuid(T)
        );
        assert!(
            app.rows("Probe", "label", &anonymous).is_empty(),
            "{d}: a role"
        );
        // An escaped backslash followed by `u0000` is no escape; pairs make astral characters.
        for held in [
            r#","x":"\\u0000""#,
            r#","x":"\\\\u0000""#,
            r#","x":"\\ud800""#,
            r#","x":"\ud83d\ude00""#,
            r#","x":"\uD83D\uDE00\u00d8\u0041""#,
            r#","x":"\u00d800""#,
        ] {
            assert!(reads(&app, "team_missing", held), "{d}: {held}");
        }
    }
}

#[test]
fn a_key_given_twice_counts_by_its_last_occurrence() {
    for app in seeded("identity_repeated") {
        let d = app.dialect();
        let other = uuid(T + 1);
        let tenant = uuid(T);
        let read = |identity: String| !app.rows("Probe", "label", &identity).is_empty();
        let twice = |first: &str, last: &str| {
            format!(r#"{{"tenant_id":"{first}","roles":["team_missing"],"tenant_id":"{last}"}}"#)
        };
        assert!(read(twice(&other, &tenant)), "{d}: the last tenant");
        assert!(!read(twice(&tenant, &other)), "{d}: not the first");
        let roles = |first: &str, last: &str| {
            format!(r#"{{"tenant_id":"{tenant}","roles":{first},"roles":{last}}}"#)
        };
        assert!(read(roles(r#"["x"]"#, r#"["team_missing"]"#)), "{d}");
        assert!(!read(roles(r#"["team_missing"]"#, r#"["x"]"#)), "{d}");
        assert!(!read(roles(r#"["team_missing"]"#, "null")), "{d}");
        assert!(reads(&app, "int_eq", r#","level":1,"level":7"#), "{d}");
        assert!(!reads(&app, "int_eq", r#","level":7,"level":1"#), "{d}");
        assert!(
            reads(&app, "int_missing", r#","level":7,"level":"7""#),
            "{d}"
        );
        assert!(
            reads(&app, "text_eq", r#","label":1,"label":null,"label":"x""#),
            "{d}"
        );
        assert!(
            reads(&app, "json_present", r#","extra":null,"extra":{"a":null}"#),
            "{d}"
        );
        assert!(
            !reads(&app, "json_present", r#","extra":{"a":1},"extra":null"#),
            "{d}"
        );
    }
}

#[test]
fn whole_numbers_in_any_notation_are_integers() {
    for app in seeded("identity_whole") {
        let d = app.dialect();
        for seven in [
            "7e0", "7E+0", "0.7e1", "70e-1", "7.000", "700E-2", "0.0007e4", "-0.0e1",
        ] {
            let expected = seven != "-0.0e1";
            assert_eq!(
                reads(&app, "int_eq", &format!(",\"level\":{seven}")),
                expected,
                "{d}: {seven}"
            );
        }
        for present in ["1e3", "-2.147483648e9", "2147483647e0", "0e131071", "-0"] {
            assert!(
                !reads(&app, "int_missing", &format!(",\"level\":{present}")),
                "{d}: {present}"
            );
        }
        for missing in [
            "7.5",
            "7.5e0",
            "1e-1",
            "75e-1",
            "2.147483648e9",
            "1e10",
            "1e131071",
            "1e-16383",
            "-2147483649e0",
        ] {
            assert!(
                reads(&app, "int_missing", &format!(",\"level\":{missing}")),
                "{d}: {missing}"
            );
        }
    }
}

#[test]
fn subnormal_and_underflowing_floats_are_missing() {
    for app in seeded("identity_subnormal") {
        let d = app.dialect();
        for missing in [
            "5e-324",
            "-5e-324",
            "2.2e-308",
            "2.2250738585072013e-308",
            "1e-400",
            "-1e-400",
            "1.7976931348623158e308",
            "1e309",
            "1e131071",
        ] {
            assert!(
                reads(&app, "float_missing", &format!(",\"score\":{missing}")),
                "{d}: {missing}"
            );
        }
        for present in [
            "0",
            "-0",
            "0.0e5",
            "-0.0e-500",
            "2.2250738585072014e-308",
            "-2.2250738585072014e-308",
            "1.7976931348623157e308",
            "-1.7976931348623157e308",
            "1e308",
            "0.000001e-300",
        ] {
            assert!(
                !reads(&app, "float_missing", &format!(",\"score\":{present}")),
                "{d}: {present}"
            );
        }
        // Zero is less than 1.5, however it is written.
        for zero in ["0", "-0", "0.0e5", "-0.0e-500"] {
            assert!(
                reads(&app, "float_lt", &format!(",\"score\":{zero}")),
                "{d}: {zero}"
            );
        }
    }
}

#[test]
fn datetimes_keep_microseconds_rounded_as_postgresql_rounds() {
    for app in seeded("identity_microseconds") {
        let d = app.dialect();
        // `dt_eq`: the instant 2024-01-01T00:00:00Z exactly.
        for (until, equal) in [
            ("2024-01-01T00:00:00.0005Z", false),
            ("2024-01-01T00:00:00.000001Z", false),
            ("2024-01-01T00:00:00.0000015Z", false),
            ("2023-12-31T23:59:59.9995Z", false),
            // Half a microsecond rounds to the even one: 0 here, the next second there.
            ("2024-01-01T00:00:00.0000005Z", true),
            ("2023-12-31T23:59:59.9999995Z", true),
            ("2024-01-01T00:59:59.99999951+01:00", true),
            ("2024-01-01T00:00:00.0000004999Z", true),
        ] {
            assert_eq!(
                reads(&app, "dt_eq", &format!(",\"until\":\"{until}\"")),
                equal,
                "{d}: {until}"
            );
        }
    }
}
