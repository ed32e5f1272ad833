//! Nothing from the schema or the identity is spliced into SQL unquoted: role names, claims,
//! enum members, table names, string literals and identity values with quotes, semicolons,
//! backslashes and comments are data, never code.

use crate::setup::{app, ir, uuid};

const EVIL_ROLE: &str = "x'); DROP TABLE victim; --";

const SCHEMA: &str = r##"
roles "x'); DROP TABLE victim; --" "admin\"; DROP TABLE victim; --"
claims "c'; DROP TABLE victim; --"

enum Kind "it's" "plain"

model Victim {
  id uuid pk=#true
  policy read "true"
}

model Secret table="se\"cret'; DROP TABLE victim; --" {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  label string
  kind Kind
  policy read #"user.roles.includes('x\'); DROP TABLE victim; --') || record.label == "it's \"quoted\"; DROP TABLE victim; --" || record.label == 'back\\slash' || record.kind == "it's""#
  policy update #"user.claims.includes('c\'; DROP TABLE victim; --')"#
}

permissions {
  Secret {
    delete "admin\"; DROP TABLE victim; --"
  }
}
"##;

const T: u64 = 9001;

fn identity(roles: &str, claims: &str) -> String {
    format!(
        "{{\"id\":\"{}\",\"tenant_id\":\"{}\",\"roles\":{roles},\"claims\":{claims}}}",
        uuid(11),
        uuid(T)
    )
}

#[test]
fn quotes_in_names_literals_and_identity_values_are_data() {
    let schema = ir(SCHEMA);
    let app = app("injection", &schema);
    let table = "\"se\"\"cret'; DROP TABLE victim; --\"";
    app.admin(&format!(
        "INSERT INTO {table} VALUES
           ('{}', '{t}', 'it''s \"quoted\"; DROP TABLE victim; --', 'plain'),
           ('{}', '{t}', 'back\\slash', 'plain'),
           ('{}', '{t}', 'plain', 'it''s'),
           ('{}', '{t}', 'hidden', 'plain');",
        uuid(1),
        uuid(2),
        uuid(3),
        uuid(4),
        t = uuid(T)
    ));
    let labels = format!("SELECT label FROM {table} ORDER BY label;");
    // The literals match exactly the rows that hold them; the hidden row needs the role.
    assert_eq!(
        app.rows(&identity("[]", "[]"), &labels),
        [
            "back\\slash",
            "it's \"quoted\"; DROP TABLE victim; --",
            "plain"
        ]
    );
    // The role with quotes is a role like any other.
    let role = serde_json_string(EVIL_ROLE);
    assert_eq!(
        app.rows(&identity(&format!("[{role}]"), "[]"), &labels)
            .len(),
        4
    );
    // Identity values with quotes are values too: a tenant id that is SQL is not a uuid.
    let sneaky = format!(
        "{{\"id\":\"{}\",\"tenant_id\":\"{}'; DROP TABLE victim; --\",\"roles\":[{role}]}}",
        uuid(11),
        uuid(T)
    );
    assert!(app.rows(&sneaky, &labels).is_empty());
    // So is the claim.
    let claim = serde_json_string("c'; DROP TABLE victim; --");
    // (The new row must stay readable: PostgreSQL checks that when an UPDATE reads columns.)
    let updated = app.rows(
        &identity("[]", &format!("[{claim}]")),
        &format!("UPDATE {table} SET label = label RETURNING id;"),
    );
    assert_eq!(updated.len(), 3);
    assert!(
        app.rows(
            &identity("[]", "[]"),
            &format!("UPDATE {table} SET label = label RETURNING id;")
        )
        .is_empty()
    );
    let admin = serde_json_string("admin\"; DROP TABLE victim; --");
    // Deleting needs the admin role with quotes, and reading the row: the hidden row (kind
    // plain) stays; with both roles, everything goes.
    app.as_user(
        &identity(&format!("[{admin}]"), "[]"),
        &format!("DELETE FROM {table} WHERE kind = 'plain';"),
    );
    assert_eq!(
        app.admin_rows(&format!("SELECT label FROM {table} ORDER BY label")),
        "hidden\nplain"
    );
    app.as_user(
        &identity(&format!("[{admin}, {role}]"), "[]"),
        &format!("DELETE FROM {table};"),
    );
    assert_eq!(
        app.admin_rows(&format!("SELECT count(*) FROM {table}")),
        "0"
    );
    // Every table is still there.
    assert_eq!(app.admin_rows("SELECT count(*) FROM victim"), "0");
    assert_eq!(
        app.admin_rows("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
        "2"
    );
}

/// `text` as a JSON string.
fn serde_json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
