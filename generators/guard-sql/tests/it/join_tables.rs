//! Join tables follow the model that declares the relation: a link is readable when the
//! declaring row is, created or deleted when the declaring row is readable and may be updated,
//! never updated; between tenant-scoped models the link's own tenant column is guarded too.

use forge_schemas::Action;

use crate::setup::{App, Outcome, apps, ir, uuid, who};

const SCHEMA: &str = r#"
model Post {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  author_id uuid
  published boolean
  title string
  tags many-to-many=Tag
  policy read "record.published || record.author_id == user.id"
  policy update "record.author_id == user.id"
}

model Tag {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  policy read "true"
}

model Album {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  photos many-to-many=Tag table="album_photos"
  policy read "true"
}
"#;

const T1: u64 = 9001;
const T2: u64 = 9002;

/// Posts 1 (author 11, published) and 2 (author 12, draft) in tenant 1, 3 (author 11) in tenant
/// 2; tags 21, 22, 24 in tenant 1 and 23 in tenant 2; links 1-21 and 2-21.
fn seeded(test: &str) -> [App; 2] {
    let apps = apps(test, &ir(SCHEMA));
    for app in &apps {
        let (t1, t2, u) = (uuid(T1), uuid(T2), uuid);
        app.admin(&format!(
            "INSERT INTO post (id, tenant_id, author_id, published, title) VALUES
               ('{}', '{t1}', '{}', TRUE, 'one'), ('{}', '{t1}', '{}', FALSE, 'two'),
               ('{}', '{t2}', '{}', TRUE, 'three');
             INSERT INTO tag (id, tenant_id, name) VALUES
               ('{}', '{t1}', 'a'), ('{}', '{t1}', 'b'), ('{}', '{t2}', 'c'), ('{}', '{t1}', 'd');
             INSERT INTO post_tags (tenant_id, post_id, tag_id) VALUES
               ('{t1}', '{}', '{}'), ('{t1}', '{}', '{}');",
            u(1),
            u(11),
            u(2),
            u(12),
            u(3),
            u(11),
            u(21),
            u(22),
            u(23),
            u(24),
            u(1),
            u(21),
            u(2),
            u(21),
        ));
    }
    apps
}

fn link(app: &App, identity: &str, tenant: u64, post: u64, tag: u64) -> Outcome {
    let insert = format!(
        "INSERT INTO post_tags (tenant_id, post_id, tag_id) VALUES ('{}', '{}', '{}');",
        uuid(tenant),
        uuid(post),
        uuid(tag)
    );
    app.create("post_tags", identity, &insert, &[&uuid(post), &uuid(tag)])
}

#[test]
fn links_are_readable_with_the_declaring_row() {
    for app in seeded("join_read") {
        let posts = |identity: &str| app.rows("post_tags", "post_id", identity);
        assert_eq!(posts(&who(11, T1, &[])), [uuid(1)], "{}", app.dialect());
        assert_eq!(posts(&who(12, T1, &[])), [uuid(1), uuid(2)]);
        assert!(posts(&who(12, T2, &[])).is_empty());
        assert!(posts("{}").is_empty());
        let entry = app.guards.table("post_tags").expect("post_tags");
        assert_eq!(
            (entry.model.as_str(), entry.relation.as_deref()),
            ("Post", Some("tags"))
        );
        assert_eq!(entry.primary_key, ["post_id", "tag_id"]);
    }
}

#[test]
fn links_are_created_and_deleted_by_who_may_update_the_declaring_row() {
    for app in seeded("join_write") {
        let author = who(11, T1, &[]);
        assert_eq!(
            link(&app, &author, T1, 1, 22),
            Outcome::Done,
            "{}",
            app.dialect()
        );
        // Not the author of post 2 (though it may read it when published: it is not).
        assert_eq!(link(&app, &author, T1, 2, 22), Outcome::Rejected);
        assert_eq!(link(&app, &who(12, T1, &[]), T1, 1, 24), Outcome::Rejected);
        assert_eq!(link(&app, "{}", T1, 1, 24), Outcome::Rejected);
        // Another tenant's identity, for a post of tenant 1.
        assert_eq!(link(&app, &who(11, T2, &[]), T1, 1, 24), Outcome::Rejected);
        let delete = |identity: &str, post: u64, tag: u64| {
            app.delete("post_tags", identity, &[&uuid(post), &uuid(tag)])
        };
        assert_eq!(delete(&who(12, T1, &[]), 1, 21), Outcome::Denied);
        assert_eq!(delete(&author, 2, 21), Outcome::Denied);
        assert_eq!(delete(&author, 1, 21), Outcome::Done);
        assert_eq!(
            app.admin_rows("SELECT post_id, tag_id FROM post_tags ORDER BY post_id, tag_id"),
            [
                format!("{}|{}", uuid(1), uuid(22)),
                format!("{}|{}", uuid(2), uuid(21))
            ]
        );
        // A link is never updated.
        let update = &app.guards.table("post_tags").expect("post_tags").update;
        assert!(update.deny);
        assert!(!app.allows("post_tags", Action::Update, &author, &[&uuid(1), &uuid(22)]));
    }
}

#[test]
fn links_of_a_model_that_may_not_be_updated_are_denied() {
    for app in seeded("join_frozen") {
        let entry = app.guards.table("album_photos").expect("album_photos");
        assert_eq!(entry.relation.as_deref(), Some("photos"));
        assert!(!entry.read.deny, "{}", app.dialect());
        for action in [&entry.create, &entry.delete] {
            assert!(action.deny);
            assert_eq!(
                action.reason.as_deref(),
                Some("Album rows may not be updated")
            );
        }
    }
}
