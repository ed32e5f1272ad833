//! The missing-value rule, not SQL's three-valued logic: `!(a == b)` is true when `a` is
//! missing while `a != b` is false, `== null` / `!= null` test presence, a missing boolean is
//! false, `in` with a missing value is false, and no NULL ever leaks through a `NOT`.

use forge_schemas::Action;

use crate::setup::{App, apps, ir, uuid};

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
  policy read "!(record.size < user.limit) && !(record.doc.size > 10) && record.doc.team == null || user.limit == 0"
  policy update "!record.doc.flag"
  policy delete "!(record.size in [5, user.limit]) && record.doc.team != null"
}
"#;

const T: u64 = 9001;

/// Docs: a (team a, flag true), b (team b, flag false), none (no team, no flag); others: with no
/// doc, on a (size 5), on none (size 20, doc size 11).
fn seeded(test: &str) -> [App; 2] {
    let apps = apps(test, &ir(SCHEMA));
    for app in &apps {
        let t = uuid(T);
        app.admin(&format!(
            "INSERT INTO doc (id, tenant_id, title, team, size, flag) VALUES
               ('{a}', '{t}', 'a', 'a', 1, TRUE), ('{b}', '{t}', 'b', 'b', 2, FALSE),
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
    }
    apps
}

fn identity(extra: &str) -> String {
    format!(
        "{{\"id\":\"{}\",\"tenant_id\":\"{}\"{extra}}}",
        uuid(11),
        uuid(T)
    )
}

/// The titles of the rows of `name` whose `action` filter passes.
fn passing(app: &App, name: &str, action: Action, identity: &str) -> Vec<String> {
    let table = if name == "Doc" { "doc" } else { "other" };
    app.admin_rows(&format!("SELECT id, title FROM {table} ORDER BY title"))
        .into_iter()
        .filter_map(|row| {
            let (id, title) = row.split_once('|').expect("id|title");
            app.allows(name, action, identity, &[id])
                .then(|| title.to_string())
        })
        .collect()
}

#[test]
fn a_negated_comparison_with_a_missing_value_is_true() {
    for app in seeded("missing_not") {
        // `!(record.team == 'a')`: b, and none (missing team: the comparison is false).
        assert_eq!(
            app.rows("Doc", "title", &identity(",\"team\":\"a\"")),
            ["b", "none"],
            "{}",
            app.dialect()
        );
        // Missing user.team (absent, null, or not a string): every comparison false, so all.
        for extra in ["", ",\"team\":null", ",\"team\":7", ",\"team\":[\"a\"]"] {
            assert_eq!(
                app.rows("Doc", "title", &identity(extra)),
                ["a", "b", "none"],
                "{extra}"
            );
        }
    }
}

#[test]
fn not_equal_is_false_when_a_value_is_missing() {
    for app in seeded("missing_ne") {
        // `record.team != 'a'`: b only (none's team is missing).
        let with_a = identity(",\"team\":\"a\"");
        assert_eq!(
            passing(&app, "Doc", Action::Update, &with_a),
            ["b"],
            "{}",
            app.dialect()
        );
        // Without user.team nothing (a is readable, yet `a != missing` is false).
        assert!(passing(&app, "Doc", Action::Update, &identity("")).is_empty());
    }
}

#[test]
fn a_missing_boolean_is_false() {
    for app in seeded("missing_boolean") {
        // Every doc is readable without a team; only a has flag true (b false, none missing).
        assert_eq!(
            passing(&app, "Doc", Action::Delete, &identity("")),
            ["a"],
            "{}",
            app.dialect()
        );
    }
}

#[test]
fn negations_over_missing_columns_identity_values_and_lookups() {
    for app in seeded("missing_lookups") {
        let titles = |extra: &str| app.rows("Other", "title", &identity(extra));
        // limit 10: `!(5 < 10)` is false; `!(20 < 10)` is true, then the doc's size 11 > 10.
        assert!(titles(",\"limit\":10").is_empty(), "{}", app.dialect());
        // Without a limit, `size < limit` is false, so its negation is true. No doc: the lookup
        // is missing, `!(missing > 10)` is true and `missing == null` is true. On a: team is a.
        // On none: doc size 11 > 10.
        assert_eq!(titles(""), ["no doc"]);
        // A limit of 0 reads everything.
        assert_eq!(titles(",\"limit\":0"), ["no doc", "on a", "on none"]);
        // `!record.doc.flag`: true without a doc and with a doc whose flag is missing.
        assert_eq!(
            passing(&app, "Other", Action::Update, &identity(",\"limit\":0")),
            ["no doc", "on none"]
        );
        // `!(size in [5, limit])`: size 20 with no limit is in neither (a missing member
        // matches nothing); `doc.team != null` then needs a doc with a team: on a only has one,
        // and its size is 5.
        assert!(passing(&app, "Other", Action::Delete, &identity(",\"limit\":0")).is_empty());
        app.admin(&format!(
            "UPDATE doc SET team = 'n' WHERE id = '{}';",
            uuid(3)
        ));
        assert_eq!(
            passing(&app, "Other", Action::Delete, &identity(",\"limit\":0")),
            ["on none"]
        );
        assert!(passing(&app, "Other", Action::Delete, &identity(",\"limit\":20")).is_empty());
    }
}
