//! Roles and permission lines: the lines of an action are ORed, each "holds one of its roles, and
//! its `if` holds"; they are ANDed with the `all` policy and the action's policy; claims are
//! tested like roles; roles that are not strings, or not in a list, count for nothing.

use forge_schemas::Action;

use crate::setup::{App, Outcome, apps, ir, uuid};

const SCHEMA: &str = r#"
roles admin editor member
claims "docs.delete"

enum Status draft review published

model Doc {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  author_id uuid
  status Status
  title string
  policy all "record.title != 'locked'"
  policy update "record.status != 'published'"
}

permissions {
  Doc {
    read member editor admin
    create editor admin
    create member if="record.status == 'draft'"
    update editor if="record.author_id == user.id"
    update admin
    delete admin if="user.claims.includes('docs.delete')"
  }
}
"#;

const T: u64 = 9001;

/// Docs: 1 (author 11, draft), 2 (author 12, published), 3 (author 11, review, locked).
fn seeded(test: &str) -> [App; 2] {
    let apps = apps(test, &ir(SCHEMA));
    for app in &apps {
        app.admin(&format!(
            "INSERT INTO doc (id, tenant_id, author_id, status, title) VALUES
               ('{}', '{t}', '{}', 'draft', 'one'), ('{}', '{t}', '{}', 'published', 'two'),
               ('{}', '{t}', '{}', 'review', 'locked');",
            uuid(1),
            uuid(11),
            uuid(2),
            uuid(12),
            uuid(3),
            uuid(11),
            t = uuid(T),
        ));
    }
    apps
}

/// An identity with roles and claims written as JSON.
fn who(id: u64, roles: &str, claims: &str) -> String {
    format!(
        "{{\"id\":\"{}\",\"tenant_id\":\"{}\",\"roles\":{roles},\"claims\":{claims}}}",
        uuid(id),
        uuid(T)
    )
}

#[test]
fn reads_need_one_of_the_roles_and_the_all_policy() {
    for app in seeded("permissions_read") {
        let titles = |roles: &str| app.rows("Doc", "title", &who(11, roles, "[]"));
        for roles in ["[\"member\"]", "[\"editor\"]", "[\"admin\", \"member\"]"] {
            assert_eq!(titles(roles), ["one", "two"], "{roles} {}", app.dialect());
        }
        // No role, an undeclared role, roles that are not strings or not in a list.
        for roles in [
            "[]",
            "[\"reader\"]",
            "[[\"member\"]]",
            "[{\"member\": 1}]",
            "\"member\"",
            "[\"Member\"]",
            "[\"member \"]",
            "null",
        ] {
            assert!(titles(roles).is_empty(), "{roles} {}", app.dialect());
        }
    }
}

#[test]
fn create_lines_are_ored() {
    for app in seeded("permissions_create") {
        let create = |roles: &str, id: u64, status: &str, title: &str| {
            let insert = format!(
                "INSERT INTO doc (id, tenant_id, author_id, status, title) VALUES ('{}', '{}', '{}', '{status}', '{title}');",
                uuid(id),
                uuid(T),
                uuid(11)
            );
            app.create("Doc", &who(11, roles, "[]"), &insert, &[&uuid(id)])
        };
        assert_eq!(create("[\"editor\"]", 21, "published", "a"), Outcome::Done);
        assert_eq!(create("[\"member\"]", 22, "draft", "b"), Outcome::Done);
        assert_eq!(create("[\"member\"]", 23, "review", "c"), Outcome::Rejected);
        assert_eq!(
            create("[\"member\", \"admin\"]", 24, "review", "d"),
            Outcome::Done
        );
        assert_eq!(create("[]", 25, "draft", "e"), Outcome::Rejected);
        // The `all` policy holds for every action, whatever the role.
        assert_eq!(
            create("[\"admin\"]", 26, "draft", "locked"),
            Outcome::Rejected
        );
        assert_eq!(
            app.admin_rows(
                "SELECT title FROM doc WHERE title <> 'one' AND title <> 'two' ORDER BY title"
            ),
            ["a", "b", "d", "locked"],
            "{}",
            app.dialect()
        );
    }
}

#[test]
fn update_and_delete_lines_meet_policies_and_claims() {
    for app in seeded("permissions_update") {
        let may = |action: Action, identity: &str, doc: u64| {
            app.allows("Doc", action, identity, &[&uuid(doc)])
        };
        let editor = who(11, "[\"editor\"]", "[]");
        let other_editor = who(12, "[\"editor\"]", "[]");
        let admin = who(13, "[\"admin\"]", "[]");
        // Update: an editor edits their own unpublished doc; an admin any unpublished doc; a
        // member none; nobody the locked one (the `all` policy) or the published one (the
        // update policy).
        assert!(may(Action::Update, &editor, 1));
        assert!(!may(Action::Update, &other_editor, 1));
        assert!(!may(Action::Update, &other_editor, 2));
        assert!(may(Action::Update, &admin, 1));
        assert!(!may(Action::Update, &admin, 2));
        assert!(!may(Action::Update, &admin, 3));
        assert!(!may(Action::Update, &who(11, "[\"member\"]", "[]"), 1));
        // Delete: an admin holding the claim; claims are strings in a list, like roles.
        assert!(!may(Action::Delete, &admin, 1));
        let claimed = who(13, "[\"admin\"]", "[\"docs.delete\"]");
        assert!(may(Action::Delete, &claimed, 1));
        assert!(may(Action::Delete, &claimed, 2));
        assert!(!may(
            Action::Delete,
            &who(13, "[\"admin\"]", "\"docs.delete\""),
            1
        ));
        assert!(!may(
            Action::Delete,
            &who(13, "[\"admin\", \"docs.delete\"]", "[]"),
            1
        ));
        assert_eq!(app.delete("Doc", &claimed, &[&uuid(2)]), Outcome::Done);
        assert_eq!(app.delete("Doc", &admin, &[&uuid(1)]), Outcome::Denied);
        assert_eq!(
            app.admin_rows("SELECT title FROM doc ORDER BY title"),
            ["locked", "one"]
        );
        // The update's result is checked too: publishing passes no update rule.
        let publish = app.update(
            "Doc",
            &editor,
            "status = 'published'",
            &[&uuid(1)],
            &[&uuid(1)],
        );
        assert_eq!(publish, Outcome::Rejected);
        let review = app.update(
            "Doc",
            &editor,
            "status = 'review'",
            &[&uuid(1)],
            &[&uuid(1)],
        );
        assert_eq!(review, Outcome::Done);
    }
}
