//! The tenant guard and owner rules: each identity sees, creates, updates and deletes exactly
//! what its tenant and the rules allow; a row never moves to another tenant; an action without a
//! rule is denied.

use crate::setup::{App, app, assert_rls_denied, uuid, who};

const SCHEMA: &str = r#"
roles admin member

model Note {
  id uuid pk=#true default=uuid
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
fn seeded(test: &str) -> App {
    let app = app(test, &crate::setup::ir(SCHEMA));
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
    app
}

fn u(n: u64, tenant: u64) -> String {
    who(&uuid(n), &uuid(tenant), &["member"])
}

const TITLES: &str = "SELECT title FROM note ORDER BY title;";

#[test]
fn each_tenant_reads_its_own_rows_only() {
    let app = seeded("tenant_reads");
    assert_eq!(app.rows(&u(11, T1), TITLES), ["one", "two"]);
    assert_eq!(app.rows(&u(13, T2), TITLES), ["three"]);
    // Anonymous: no setting, an empty one, no tenant.
    assert!(app.rows("", TITLES).is_empty());
    assert!(app.rows("{}", TITLES).is_empty());
    assert!(
        app.rows(&format!("{{\"id\":\"{}\"}}", uuid(11)), TITLES)
            .is_empty()
    );
    // A tenant without a user id still reads (the read rule is `true`).
    assert_eq!(
        app.rows(&format!("{{\"tenant_id\":\"{}\"}}", uuid(T1)), TITLES),
        ["one", "two"]
    );
    // Asking for another tenant's row by key finds nothing.
    let other = format!("SELECT count(*) FROM note WHERE id = '{}';", uuid(3));
    assert_eq!(app.rows(&u(11, T1), &other), ["0"]);
}

#[test]
fn creates_stay_in_the_tenant_and_follow_the_owner_rule() {
    let app = seeded("tenant_creates");
    let insert = |tenant: u64, owner: u64| {
        format!(
            "INSERT INTO note (tenant_id, owner_id, title) VALUES ('{}', '{}', 'new');",
            uuid(tenant),
            uuid(owner)
        )
    };
    app.as_user(&u(11, T1), &insert(T1, 11));
    assert_rls_denied(app.try_as(&u(11, T1), &insert(T2, 11)));
    assert_rls_denied(app.try_as(&u(11, T1), &insert(T1, 12)));
    assert_rls_denied(app.try_as("", &insert(T1, 11)));
    assert_eq!(
        app.admin_rows("SELECT count(*) FROM note WHERE title = 'new'"),
        "1"
    );
}

#[test]
fn updates_check_the_row_before_and_after() {
    let app = seeded("tenant_updates");
    let me = u(11, T1);
    // No WHERE clause: only the own row changes (another owner's and another tenant's stay).
    app.as_user(&me, "UPDATE note SET title = title || '!';");
    assert_eq!(
        app.admin_rows("SELECT title FROM note ORDER BY id"),
        "one!\ntwo\nthree"
    );
    // The row may not move to another tenant, nor to another owner.
    let moved = format!(
        "UPDATE note SET tenant_id = '{}' WHERE id = '{}';",
        uuid(T2),
        uuid(1)
    );
    assert_rls_denied(app.try_as(&me, &moved));
    let given = format!(
        "UPDATE note SET owner_id = '{}' WHERE id = '{}';",
        uuid(12),
        uuid(1)
    );
    assert_rls_denied(app.try_as(&me, &given));
    // Another tenant's row cannot be reached at all.
    let other = format!(
        "UPDATE note SET title = 'mine' WHERE id = '{}' RETURNING id;",
        uuid(3)
    );
    assert!(app.rows(&me, &other).is_empty());
}

#[test]
fn an_action_without_a_rule_is_denied() {
    let app = seeded("tenant_denied");
    app.as_user(&u(11, T1), "DELETE FROM note;");
    assert_eq!(app.admin_rows("SELECT count(*) FROM note"), "3");
    let policies = app.admin_rows(
        "SELECT policyname || ' ' || cmd || ' ' || permissive FROM pg_policies WHERE tablename = 'note' ORDER BY policyname",
    );
    assert_eq!(
        policies,
        "note_create INSERT PERMISSIVE\nnote_read SELECT PERMISSIVE\nnote_update UPDATE PERMISSIVE"
    );
    let forced = app.admin_rows(
        "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'note'::regclass",
    );
    assert_eq!(forced, "t");
}
