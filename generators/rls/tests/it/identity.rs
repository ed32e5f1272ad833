//! The identity: the helpers read `forge.user` typed as the identity block says, a malformed
//! value (or malformed JSON) counts as missing and never raises an error, and policies compare
//! identity attributes with the rules of the language.

use crate::setup::{App, app, ir, uuid, who};

const SCHEMA: &str = r#"
roles admin member

enum Tier free pro business

identity {
  plan Tier
  region string optional=#true
  level integer
  quota bigint
  since date
  until datetime
  staff boolean
  team_id uuid
  score float
  budget decimal
  extra json
}

model Doc {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  title string
  min_tier Tier
  region string optional=#true
  policy read "user.plan >= record.min_tier && (record.region == null || record.region == user.region)"
}
"#;

/// A database with the schema; no rows needed for the helpers.
fn db(test: &str) -> App {
    app(test, &ir(SCHEMA))
}

/// `(identity JSON, expression over the helpers, expected psql output)`.
const CASES: &[(&str, &str, &str)] = &[
    // Missing, empty, malformed or non-object settings: anonymous.
    (
        "",
        "forge.user_id() IS NULL AND forge.user_tenant_id() IS NULL AND cardinality(forge.user_roles()) = 0",
        "t",
    ),
    ("   ", "forge.identity() IS NULL", "t"),
    (
        "{\"id\": ",
        "forge.identity() IS NULL AND forge.user_id() IS NULL",
        "t",
    ),
    ("not json at all", "forge.identity() IS NULL", "t"),
    ("[1, 2]", "forge.identity() IS NULL", "t"),
    ("\"a string\"", "forge.identity() IS NULL", "t"),
    ("null", "forge.identity() IS NULL", "t"),
    // Uuids: any case, stored lower-case; anything else is missing.
    (
        "{\"id\": \"00000000-0000-0000-0000-00000000ABCD\"}",
        "forge.user_id()",
        "00000000-0000-0000-0000-00000000abcd",
    ),
    (
        "{\"tenant_id\": \"not-a-uuid\"}",
        "forge.user_tenant_id() IS NULL",
        "t",
    ),
    (
        "{\"tenant_id\": \"{00000000-0000-0000-0000-000000000001}\"}",
        "forge.user_tenant_id() IS NULL",
        "t",
    ),
    (
        "{\"tenant_id\": \"000000000000000000000000000000001\"}",
        "forge.user_tenant_id() IS NULL",
        "t",
    ),
    ("{\"tenant_id\": 12}", "forge.user_tenant_id() IS NULL", "t"),
    (
        "{\"tenant_id\": null}",
        "forge.user_tenant_id() IS NULL",
        "t",
    ),
    (
        "{\"tenant_id\": \"'; DROP TABLE doc; --\"}",
        "forge.user_tenant_id() IS NULL",
        "t",
    ),
    // Roles and claims: strings only; anything else in the list is skipped.
    (
        "{\"roles\": [\"admin\", 5, null, {\"a\": 1}, [\"member\"], \"member\"]}",
        "array_to_string(forge.user_roles(), ',')",
        "admin,member",
    ),
    (
        "{\"roles\": \"admin\"}",
        "cardinality(forge.user_roles())",
        "0",
    ),
    ("{\"claims\": [\"a.b\"]}", "forge.user_claims()", "{a.b}"),
    // Enums: a member, or missing.
    ("{\"plan\": \"pro\"}", "forge.user_attr_plan()", "pro"),
    (
        "{\"plan\": \"gold\"}",
        "forge.user_attr_plan() IS NULL",
        "t",
    ),
    ("{\"plan\": 1}", "forge.user_attr_plan() IS NULL", "t"),
    // Strings: strings only.
    ("{\"region\": \"eu\"}", "forge.user_attr_region()", "eu"),
    ("{\"region\": 5}", "forge.user_attr_region() IS NULL", "t"),
    // Integers: whole numbers in range.
    ("{\"level\": 7}", "forge.user_attr_level()", "7"),
    ("{\"level\": 7.0}", "forge.user_attr_level()", "7"),
    ("{\"level\": 7.5}", "forge.user_attr_level() IS NULL", "t"),
    (
        "{\"level\": 2147483648}",
        "forge.user_attr_level() IS NULL",
        "t",
    ),
    ("{\"level\": \"7\"}", "forge.user_attr_level() IS NULL", "t"),
    ("{\"level\": 1e400}", "forge.user_attr_level() IS NULL", "t"),
    // Bigints: numbers or digit strings (JSON.stringify cannot write a BigInt), exactly.
    (
        "{\"quota\": 9223372036854775807}",
        "forge.user_attr_quota()",
        "9223372036854775807",
    ),
    (
        "{\"quota\": \"-9223372036854775808\"}",
        "forge.user_attr_quota()",
        "-9223372036854775808",
    ),
    (
        "{\"quota\": \"9223372036854775808\"}",
        "forge.user_attr_quota() IS NULL",
        "t",
    ),
    (
        "{\"quota\": \"12abc\"}",
        "forge.user_attr_quota() IS NULL",
        "t",
    ),
    // Dates: calendar dates only.
    (
        "{\"since\": \"2024-02-29\"}",
        "forge.user_attr_since()",
        "2024-02-29",
    ),
    (
        "{\"since\": \"2023-02-29\"}",
        "forge.user_attr_since() IS NULL",
        "t",
    ),
    (
        "{\"since\": \"2023-13-01\"}",
        "forge.user_attr_since() IS NULL",
        "t",
    ),
    (
        "{\"since\": \"0000-01-01\"}",
        "forge.user_attr_since() IS NULL",
        "t",
    ),
    (
        "{\"since\": \"yesterday\"}",
        "forge.user_attr_since() IS NULL",
        "t",
    ),
    // Datetimes: RFC 3339 with a zone.
    (
        "{\"until\": \"2024-01-31T10:30:00+01:00\"}",
        "forge.user_attr_until() = '2024-01-31T09:30:00Z'",
        "t",
    ),
    // Any offset the language accepts (PostgreSQL's own input stops at 15:59), lower-case too.
    (
        "{\"until\": \"2024-01-31T09:30:00+23:59\"}",
        "forge.user_attr_until() = '2024-01-30T09:31:00Z'",
        "t",
    ),
    (
        "{\"until\": \"2024-01-31t09:30:00.5-15:30\"}",
        "forge.user_attr_until() = '2024-02-01T01:00:00.5Z'",
        "t",
    ),
    (
        "{\"until\": \"2024-01-31T10:30:00\"}",
        "forge.user_attr_until() IS NULL",
        "t",
    ),
    (
        "{\"until\": \"2024-01-31T24:00:00Z\"}",
        "forge.user_attr_until() IS NULL",
        "t",
    ),
    (
        "{\"until\": \"2023-02-29T10:00:00Z\"}",
        "forge.user_attr_until() IS NULL",
        "t",
    ),
    (
        "{\"until\": \"now\"}",
        "forge.user_attr_until() IS NULL",
        "t",
    ),
    // Booleans, floats, decimals, json.
    ("{\"staff\": true}", "forge.user_attr_staff()", "t"),
    (
        "{\"staff\": \"true\"}",
        "forge.user_attr_staff() IS NULL",
        "t",
    ),
    ("{\"score\": 0.5}", "forge.user_attr_score()", "0.5"),
    ("{\"score\": 1e400}", "forge.user_attr_score() IS NULL", "t"),
    (
        "{\"score\": 1e-400}",
        "forge.user_attr_score() IS NULL",
        "t",
    ),
    (
        "{\"budget\": 12345678901234567890.123}",
        "forge.user_attr_budget()",
        "12345678901234567890.123",
    ),
    (
        "{\"budget\": \"12\"}",
        "forge.user_attr_budget() IS NULL",
        "t",
    ),
    (
        "{\"extra\": {\"a\": [1]}}",
        "forge.user_attr_extra()",
        "{\"a\": [1]}",
    ),
    ("{\"extra\": null}", "forge.user_attr_extra() IS NULL", "t"),
    (
        "{\"team_id\": \"00000000-0000-0000-0000-000000000007\"}",
        "forge.user_attr_team_id()",
        "00000000-0000-0000-0000-000000000007",
    ),
];

#[test]
fn helpers_read_typed_values_and_never_fail() {
    let app = db("identity_helpers");
    let mut failures = Vec::new();
    for (identity, expr, expected) in CASES {
        match app.try_as(identity, &format!("SELECT {expr};")) {
            Ok(out) if out == *expected => {}
            Ok(out) => failures.push(format!(
                "{identity:?}: {expr} = {out:?}, expected {expected:?}"
            )),
            Err(e) => failures.push(format!("{identity:?}: {expr} failed: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn policies_compare_identity_attributes() {
    let app = db("identity_policies");
    let t = uuid(9001);
    app.admin(&format!(
        "INSERT INTO doc VALUES ('{}', '{t}', 'free anywhere', 'free', NULL),
           ('{}', '{t}', 'pro anywhere', 'pro', NULL), ('{}', '{t}', 'pro in eu', 'pro', 'eu'),
           ('{}', '{t}', 'business in us', 'business', 'us');",
        uuid(1),
        uuid(2),
        uuid(3),
        uuid(4)
    ));
    let as_plan = |plan: &str, region: Option<&str>| {
        let mut identity = who(&uuid(11), &t, &[]);
        identity.pop();
        identity.push_str(&format!(",\"plan\":{plan}"));
        if let Some(region) = region {
            identity.push_str(&format!(",\"region\":{region}"));
        }
        identity.push('}');
        app.rows(&identity, "SELECT title FROM doc ORDER BY title;")
    };
    // Enums order by declaration: free < pro < business.
    assert_eq!(
        as_plan("\"pro\"", Some("\"eu\"")),
        ["free anywhere", "pro anywhere", "pro in eu"]
    );
    // No region: the rows without one only.
    assert_eq!(
        as_plan("\"business\"", None),
        ["free anywhere", "pro anywhere"]
    );
    assert_eq!(as_plan("\"free\"", Some("\"us\"")), ["free anywhere"]);
    // A malformed plan is missing: every comparison with it is false.
    assert!(as_plan("\"platinum\"", Some("\"eu\"")).is_empty());
    assert!(as_plan("3", None).is_empty());
}

#[test]
fn bigint_ids_come_as_numbers_or_digit_strings() {
    let schema = ir(r#"
identity {
  id bigint
  tenant_id bigint
}

model Note {
  id uuid pk=#true
  tenant_id bigint tenant=#true
  owner_id bigint
  policy read "record.owner_id == user.id"
}
"#);
    let app = app("identity_bigint", &schema);
    app.admin(&format!(
        "INSERT INTO note VALUES ('{}', 9007199254740993, 9007199254740993), ('{}', 9007199254740993, 9007199254740992), ('{}', 1, 9007199254740993);",
        uuid(1),
        uuid(2),
        uuid(3)
    ));
    let ids = "SELECT id FROM note;";
    // Exactly: 9007199254740993 is not 9007199254740992 (as a double would make it).
    for identity in [
        r#"{"id": 9007199254740993, "tenant_id": 9007199254740993}"#,
        r#"{"id": "9007199254740993", "tenant_id": "9007199254740993"}"#,
    ] {
        assert_eq!(app.rows(identity, ids), [uuid(1)], "{identity}");
    }
    // A uuid, a fraction or text where a bigint belongs: missing.
    for identity in [
        r#"{"id": 9007199254740993, "tenant_id": "00000000-0000-0000-0000-000000000001"}"#,
        r#"{"id": 9007199254740993, "tenant_id": 9007199254740993.5}"#,
        r#"{"id": "9007199254740993x", "tenant_id": 9007199254740993}"#,
    ] {
        assert!(app.rows(identity, ids).is_empty(), "{identity}");
    }
    assert_eq!(
        app.rows(r#"{"tenant_id": 1}"#, "SELECT forge.user_tenant_id() + 1;"),
        ["2"]
    );
}
