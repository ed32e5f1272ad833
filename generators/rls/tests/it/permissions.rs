//! Permissions: the lines of an action are ORed, each "holds one of the roles, and `if` holds";
//! they are ANDed with the tenant guard and the policies.

use crate::setup::{App, app, assert_rls_denied, ir, uuid, who};

const SCHEMA: &str = r#"
roles admin editor member

enum DocStatus draft review published

model Doc {
  id uuid pk=#true default=uuid
  tenant_id uuid tenant=#true
  author_id uuid
  status DocStatus default=draft
  title string
  policy read "true"
}

permissions {
  Doc {
    create editor admin
    create member if="record.status == 'draft' && record.author_id == user.id"
    update editor if="record.status != 'published'"
    update admin
    delete admin
    delete member if="record.author_id == user.id && record.status == 'draft'"
  }
}
"#;

const T: u64 = 9001;

/// Docs: 1 draft by 11, 2 review by 12, 3 published by 12.
fn seeded(test: &str) -> App {
    let app = app(test, &ir(SCHEMA));
    app.admin(&format!(
        "INSERT INTO doc (id, tenant_id, author_id, status, title) VALUES
           ('{}', '{t}', '{}', 'draft', 'one'), ('{}', '{t}', '{}', 'review', 'two'),
           ('{}', '{t}', '{}', 'published', 'three');",
        uuid(1),
        uuid(11),
        uuid(2),
        uuid(12),
        uuid(3),
        uuid(12),
        t = uuid(T)
    ));
    app
}

fn as_role(user: u64, roles: &[&str]) -> String {
    who(&uuid(user), &uuid(T), roles)
}

fn insert(author: u64, status: &str) -> String {
    format!(
        "INSERT INTO doc (tenant_id, author_id, status, title) VALUES ('{}', '{}', '{status}', 'new');",
        uuid(T),
        uuid(author)
    )
}

#[test]
fn create_lines_are_ored_and_their_conditions_hold() {
    let app = seeded("permissions_create");
    let member = as_role(11, &["member"]);
    app.as_user(&member, &insert(11, "draft"));
    assert_rls_denied(app.try_as(&member, &insert(11, "published")));
    assert_rls_denied(app.try_as(&member, &insert(12, "draft")));
    // Editors may create anything; a user with no role nothing.
    app.as_user(&as_role(12, &["editor"]), &insert(11, "published"));
    assert_rls_denied(app.try_as(&as_role(11, &[]), &insert(11, "draft")));
    // One of the roles is enough.
    app.as_user(&as_role(11, &["member", "admin"]), &insert(12, "review"));
    assert_eq!(
        app.admin_rows("SELECT count(*) FROM doc WHERE title = 'new'"),
        "3"
    );
}

#[test]
fn update_lines_hold_before_and_after() {
    let app = seeded("permissions_update");
    let editor = as_role(13, &["editor"]);
    // Published docs are out of the editor's reach; drafts and reviews are not.
    app.as_user(&editor, "UPDATE doc SET title = title || '!';");
    assert_eq!(
        app.admin_rows("SELECT title FROM doc ORDER BY id"),
        "one!\ntwo!\nthree"
    );
    // The result must be allowed too: an editor cannot publish.
    let publish = format!(
        "UPDATE doc SET status = 'published' WHERE id = '{}';",
        uuid(1)
    );
    assert_rls_denied(app.try_as(&editor, &publish));
    app.as_user(&as_role(13, &["admin"]), &publish);
    // Members have no update line at all.
    app.as_user(&as_role(11, &["member"]), "UPDATE doc SET title = 'x';");
    assert_eq!(
        app.admin_rows("SELECT count(*) FROM doc WHERE title = 'x'"),
        "0"
    );
}

#[test]
fn delete_lines_pick_their_rows() {
    let app = seeded("permissions_delete");
    // The member deletes their own draft only.
    app.as_user(&as_role(11, &["member"]), "DELETE FROM doc;");
    assert_eq!(
        app.admin_rows("SELECT title FROM doc ORDER BY id"),
        "two\nthree"
    );
    app.as_user(&as_role(12, &["member"]), "DELETE FROM doc;");
    assert_eq!(
        app.admin_rows("SELECT title FROM doc ORDER BY id"),
        "two\nthree"
    );
    app.as_user(&as_role(12, &["admin"]), "DELETE FROM doc;");
    assert_eq!(app.admin_rows("SELECT count(*) FROM doc"), "0");
}
