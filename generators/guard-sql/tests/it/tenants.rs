//! The tenant guard and owner rules: each identity reads, creates, updates and deletes exactly
//! what its tenant and the rules allow; a row never moves to another tenant; an action without a
//! rule is denied, explicitly.

use forge_schemas::Action;

use crate::setup::{App, Outcome, apps, ir, uuid, who};

const SCHEMA: &str = r#"
roles admin member

model Note {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  owner_id uuid
  title string
  policy read "true"
  policy create "record.owner_id == user.id"
  policy update "record.owner_id == user.id"
}
"#;

const T1: u64 = 9001;
const T2: u64 = 9002;

/// Notes 1 and 2 in tenant 1 (owners 11 and 12), note 3 in tenant 2 (owner 13).
fn seeded(test: &str) -> [App; 2] {
    let apps = apps(test, &ir(SCHEMA));
    for app in &apps {
        app.admin(&format!(
            "INSERT INTO note (id, tenant_id, owner_id, title) VALUES
               ('{}', '{t1}', '{}', 'one'), ('{}', '{t1}', '{}', 'two'), ('{}', '{t2}', '{}', 'three');",
            uuid(1),
            uuid(11),
            uuid(2),
            uuid(12),
            uuid(3),
            uuid(13),
            t1 = uuid(T1),
            t2 = uuid(T2),
        ));
    }
    apps
}

fn u(n: u64, tenant: u64) -> String {
    who(n, tenant, &["member"])
}

#[test]
fn each_tenant_reads_its_own_rows_only() {
    for app in seeded("tenant_reads") {
        let titles = |identity: &str| app.rows("Note", "title", identity);
        assert_eq!(titles(&u(11, T1)), ["one", "two"], "{}", app.dialect());
        assert_eq!(titles(&u(13, T2)), ["three"]);
        // Anonymous: NULL, empty, not JSON, not an object, no tenant.
        assert!(app.rows_bound("Note", "title", None).is_empty());
        for anonymous in ["", "{}", "not json", "[1]", "\"x\"", "null"] {
            assert!(titles(anonymous).is_empty(), "{anonymous:?}");
        }
        assert!(titles(&format!("{{\"id\":\"{}\"}}", uuid(11))).is_empty());
        // A tenant without a user id still reads (the read rule is `true`).
        assert_eq!(
            titles(&format!("{{\"tenant_id\":\"{}\"}}", uuid(T1))),
            ["one", "two"]
        );
        // Asking for another tenant's row by key finds nothing.
        assert!(!app.allows("Note", Action::Read, &u(11, T1), &[&uuid(3)]));
        assert!(app.allows("Note", Action::Read, &u(11, T1), &[&uuid(2)]));
    }
}

#[test]
fn creates_stay_in_the_tenant_and_follow_the_owner_rule() {
    for app in seeded("tenant_creates") {
        let create = |identity: &str, id: u64, tenant: u64, owner: u64| {
            let insert = format!(
                "INSERT INTO note (id, tenant_id, owner_id, title) VALUES ('{}', '{}', '{}', 'new');",
                uuid(id),
                uuid(tenant),
                uuid(owner)
            );
            app.create("Note", identity, &insert, &[&uuid(id)])
        };
        assert_eq!(
            create(&u(11, T1), 21, T1, 11),
            Outcome::Done,
            "{}",
            app.dialect()
        );
        assert_eq!(create(&u(11, T1), 22, T2, 11), Outcome::Rejected);
        assert_eq!(create(&u(11, T1), 23, T1, 12), Outcome::Rejected);
        assert_eq!(create("", 24, T1, 11), Outcome::Rejected);
        assert_eq!(
            app.admin_rows("SELECT id FROM note WHERE title = 'new'"),
            [uuid(21)],
            "rejected creates are rolled back"
        );
    }
}

#[test]
fn updates_check_the_row_before_and_after() {
    for app in seeded("tenant_updates") {
        let me = u(11, T1);
        let one = uuid(1);
        let update = |set: &str, key: &str| app.update("Note", &me, set, &[key], &[key]);
        assert_eq!(update("title = 'one!'", &one), Outcome::Done);
        // Another owner's row, another tenant's row: the filter lets nothing through.
        assert_eq!(update("title = 'mine'", &uuid(2)), Outcome::Denied);
        assert_eq!(update("title = 'mine'", &uuid(3)), Outcome::Denied);
        // The row may not move to another tenant, nor to another owner: rolled back.
        let moved = format!("tenant_id = '{}'", uuid(T2));
        assert_eq!(update(&moved, &one), Outcome::Rejected);
        let given = format!("owner_id = '{}'", uuid(12));
        assert_eq!(update(&given, &one), Outcome::Rejected);
        assert_eq!(
            app.admin_rows("SELECT title FROM note ORDER BY id"),
            ["one!", "two", "three"]
        );
        assert_eq!(
            app.admin_rows(&format!("SELECT tenant_id FROM note WHERE id = '{one}'")),
            [uuid(T1)]
        );
    }
}

#[test]
fn an_action_without_a_rule_is_denied_explicitly() {
    for app in seeded("tenant_denied") {
        let delete = &app.guards.table("Note").expect("Note").delete;
        assert!(delete.deny);
        assert_eq!(delete.reason.as_deref(), Some("no policy, no permission"));
        let filter = delete.filter.as_ref().expect("a filter");
        assert_eq!((filter.sql.as_str(), filter.params), ("FALSE", 0));
        assert_eq!(app.delete("Note", &u(11, T1), &[&uuid(1)]), Outcome::Denied);
        assert_eq!(app.admin_rows("SELECT count(*) FROM note"), ["3"]);
    }
}
