//! The missing-value rule, not SQL's three-valued logic: `!(a == b)` is true when `a` is
//! missing while `a != b` is false, `== null` / `!= null` test presence, a missing boolean is
//! false, and no NULL ever leaks through a `NOT`.

use crate::setup::{App, app, ir, uuid};

const SCHEMA: &str = r#"
identity {
  team string optional=#true
  limit integer optional=#true
}

model Doc {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  title string
  team string optional=#true
  size integer optional=#true
  flag boolean optional=#true
  policy read "!(record.team == user.team)"
  policy update "record.team != user.team"
  policy delete "record.flag"
}

model Other {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  title string
  size integer optional=#true
  doc belongs-to=Doc optional=#true
  // Negations over a missing column, a missing identity value and a missing lookup; a limit of
  // 0 reads everything.
  policy read "!(record.size < user.limit) && !(record.doc.size > 10) && record.doc.team == null || user.limit == 0"
  policy update "!record.doc.flag"
}
"#;

const T: u64 = 9001;

/// Docs: a (team a, flag true), b (team b, flag false), none (no team, no flag); others: with no
/// doc, on a (size 5), on none (size 20, doc size 11).
fn seeded(test: &str) -> App {
    let app = app(test, &ir(SCHEMA));
    let t = uuid(T);
    app.admin(&format!(
        "INSERT INTO doc (id, tenant_id, title, team, size, flag) VALUES
           ('{a}', '{t}', 'a', 'a', 1, true), ('{b}', '{t}', 'b', 'b', 2, false),
           ('{n}', '{t}', 'none', NULL, 11, NULL);
         INSERT INTO other (id, tenant_id, title, size, doc_id) VALUES
           ('{o1}', '{t}', 'no doc', 5, NULL), ('{o2}', '{t}', 'on a', 5, '{a}'),
           ('{o3}', '{t}', 'on none', 20, '{n}');",
        a = uuid(1),
        b = uuid(2),
        n = uuid(3),
        o1 = uuid(4),
        o2 = uuid(5),
        o3 = uuid(6),
    ));
    app
}

fn identity(extra: &str) -> String {
    format!(
        "{{\"id\":\"{}\",\"tenant_id\":\"{}\"{extra}}}",
        uuid(11),
        uuid(T)
    )
}

#[test]
fn a_negated_comparison_with_a_missing_value_is_true() {
    let app = seeded("missing_not");
    let titles = "SELECT title FROM doc ORDER BY title;";
    // `!(record.team == 'a')`: b, and none (missing team: the comparison is false).
    assert_eq!(
        app.rows(&identity(",\"team\":\"a\""), titles),
        ["b", "none"]
    );
    // Missing user.team (absent, null, or not a string): every comparison false, so all rows.
    for extra in ["", ",\"team\":null", ",\"team\":7"] {
        assert_eq!(
            app.rows(&identity(extra), titles),
            ["a", "b", "none"],
            "{extra}"
        );
    }
}

#[test]
fn not_equal_is_false_when_a_value_is_missing() {
    let app = seeded("missing_ne");
    app.as_user(
        &identity(",\"team\":\"a\""),
        "UPDATE doc SET title = title || '!';",
    );
    // `record.team != 'a'`: b only (none's team is missing).
    assert_eq!(
        app.admin_rows("SELECT title FROM doc ORDER BY title"),
        "a\nb!\nnone"
    );
    // Without user.team nothing is updated (a is readable, yet `a != missing` is false).
    app.as_user(&identity(""), "UPDATE doc SET title = title || '?';");
    assert_eq!(
        app.admin_rows("SELECT title FROM doc ORDER BY title"),
        "a\nb!\nnone"
    );
}

#[test]
fn a_missing_boolean_is_false() {
    let app = seeded("missing_boolean");
    app.admin("DELETE FROM other;");
    // Every doc is readable without a team; only a has flag true (b false, none missing).
    app.as_user(&identity(""), "DELETE FROM doc;");
    assert_eq!(
        app.admin_rows("SELECT title FROM doc ORDER BY title"),
        "b\nnone"
    );
}

#[test]
fn negations_over_missing_columns_identity_values_and_lookups() {
    let app = seeded("missing_lookups");
    let titles = "SELECT title FROM other ORDER BY title;";
    // limit 10: `!(size < 10)` is false for sizes 5; true for 20 with doc size 11 > 10, then false.
    // So nothing for limit 10... and `record.doc.team == null` holds for no doc and for none.
    assert!(app.rows(&identity(",\"limit\":10"), titles).is_empty());
    // Without a limit, `size < limit` is false, so its negation is true. No doc: the lookup is
    // missing, `!(missing > 10)` is true and `missing == null` is true. On a: team is a. On none:
    // doc size 11 > 10.
    assert_eq!(app.rows(&identity(""), titles), ["no doc"]);
    // `!record.doc.flag`: true without a doc and with a doc whose flag is missing, false on a.
    app.as_user(
        &identity(",\"limit\":0"),
        "UPDATE other SET title = title || '!';",
    );
    assert_eq!(
        app.admin_rows("SELECT title FROM other ORDER BY title"),
        "no doc!\non a\non none!"
    );
}
