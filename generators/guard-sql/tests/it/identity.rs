//! The identity: every attribute is read with its type, and a malformed value (or malformed
//! JSON, or JSON that is not an object, or NULL) counts as missing and never raises an error.

use crate::setup::{App, apps, ir, uuid};

const SCHEMA: &str = r#"
roles uuid_eq team_missing text_eq int_eq int_missing bool_true bool_false date_eq date_missing dt_eq dt_missing float_lt dec_gt enum_eq json_present bytes_present

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
