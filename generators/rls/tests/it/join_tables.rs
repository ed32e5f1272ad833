//! Join tables: a link is readable when the declaring model's row is, and may be created or
//! deleted when that row may be updated; links are never updated.

use crate::setup::{App, app, assert_rls_denied, ir, uuid, who};

const SCHEMA: &str = r#"
model Post {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  author_id uuid
  published boolean
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

// Declared by a model that nobody may update: its links are read-only.
model Album {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  tags many-to-many=Tag
  policy read "true"
}
"#;

const T: u64 = 9001;

/// Posts: 1 by 11 (draft), 2 by 12 (published), 3 by 12 (draft); tags 5, 6; links: every post
/// with tag 5; album 7 with tag 5.
fn seeded(test: &str) -> App {
    let app = app(test, &ir(SCHEMA));
    let t = uuid(T);
    app.admin(&format!(
        "INSERT INTO post VALUES ('{p1}', '{t}', '{u11}', false), ('{p2}', '{t}', '{u12}', true),
           ('{p3}', '{t}', '{u12}', false);
         INSERT INTO tag VALUES ('{g5}', '{t}', 'five'), ('{g6}', '{t}', 'six');
         INSERT INTO post_tags VALUES ('{t}', '{p1}', '{g5}'), ('{t}', '{p2}', '{g5}'), ('{t}', '{p3}', '{g5}');
         INSERT INTO album VALUES ('{a7}', '{t}');
         INSERT INTO album_tags VALUES ('{t}', '{a7}', '{g5}');",
        p1 = uuid(1),
        p2 = uuid(2),
        p3 = uuid(3),
        g5 = uuid(5),
        g6 = uuid(6),
        a7 = uuid(7),
        u11 = uuid(11),
        u12 = uuid(12),
    ));
    app
}

fn user(n: u64) -> String {
    who(&uuid(n), &uuid(T), &[])
}

#[test]
fn links_are_readable_with_their_declaring_row() {
    let app = seeded("join_read");
    let links = "SELECT post_id FROM post_tags ORDER BY post_id;";
    assert_eq!(app.rows(&user(11), links), [uuid(1), uuid(2)]);
    assert_eq!(app.rows(&user(12), links), [uuid(2), uuid(3)]);
    assert!(app.rows("", links).is_empty());
    assert_eq!(
        app.rows(&user(11), "SELECT count(*) FROM album_tags;"),
        ["1"]
    );
}

#[test]
fn links_follow_the_update_rule_of_their_declaring_row() {
    let app = seeded("join_write");
    let link = |post: u64| {
        format!(
            "INSERT INTO post_tags VALUES ('{}', '{}', '{}');",
            uuid(T),
            uuid(post),
            uuid(6)
        )
    };
    app.as_user(&user(11), &link(1));
    // Post 2 is readable by 11 but not theirs to update; post 3 not even readable.
    assert_rls_denied(app.try_as(&user(11), &link(2)));
    assert_rls_denied(app.try_as(&user(11), &link(3)));
    // Another tenant's link is refused too.
    assert_rls_denied(app.try_as(&who(&uuid(11), &uuid(9002), &[]), &link(1)));
    app.as_user(&user(11), "DELETE FROM post_tags;");
    assert_eq!(
        app.admin_rows("SELECT post_id FROM post_tags ORDER BY post_id, tag_id"),
        format!("{}\n{}", uuid(2), uuid(3))
    );
    // Links are never updated.
    app.as_user(
        &user(12),
        &format!("UPDATE post_tags SET tag_id = '{}';", uuid(6)),
    );
    assert_eq!(
        app.admin_rows(&format!(
            "SELECT count(*) FROM post_tags WHERE tag_id = '{}'",
            uuid(6)
        )),
        "0"
    );
    // Album declares a relation that nobody may update: its links cannot be written.
    assert_rls_denied(app.try_as(
        &user(11),
        &format!(
            "INSERT INTO album_tags VALUES ('{}', '{}', '{}');",
            uuid(T),
            uuid(7),
            uuid(6)
        ),
    ));
}
