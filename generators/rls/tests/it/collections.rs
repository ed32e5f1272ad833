//! `some`, `every` and `includes` over has-many and many-to-many relations (nested too), and
//! `in [...]`: `some` over no rows is false, `every` over no rows is true.

use crate::setup::{App, app, ir, uuid, who};

const SCHEMA: &str = r#"
enum Status draft review published
enum CommentStatus approved spam

model Post {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  title string
  status Status
  tags many-to-many=Tag
  comments has-many=Comment
  policy read "record.status == 'published' || record.comments.some(c => c.author_id == user.id) || record.tags.includes('00000000-0000-0000-0000-00000000f00d')"
  policy update "record.status in ['draft', 'review'] && record.tags.some(t => t.name == 'open')"
  policy delete "record.comments.every(c => c.status == 'spam')"
}

model Tag {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  posts many-to-many=Post
  policy read "true"
  policy update "record.posts.some(p => p.comments.some(c => c.author_id == user.id))"
  policy delete "!record.posts.some(p => p.status == 'published')"
}

model Comment {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  post belongs-to=Post on-delete=cascade
  author_id uuid
  status CommentStatus
  policy read "true"
}
"#;

const T: u64 = 9001;
const T2: u64 = 9002;
const FOOD: &str = "00000000-0000-0000-0000-00000000f00d";

/// Posts (tenant T): 1 published, no comments; 2 published, two spam comments; 3 published, a
/// spam and an approved comment; 4 draft, an approved comment by 11; 5 draft, tagged `food`
/// (the tag with the literal key); 6 draft, tagged `open`; 7 review, tagged `closed`.
/// Tenant T2 has a post 8 (draft) tagged with its own `open` tag, with a comment by 11.
fn seeded(test: &str) -> App {
    let app = app(test, &ir(SCHEMA));
    let t = uuid(T);
    let t2 = uuid(T2);
    let p = uuid;
    app.admin(&format!(
        "INSERT INTO post VALUES ('{p1}', '{t}', 'one', 'published'), ('{p2}', '{t}', 'two', 'published'),
           ('{p3}', '{t}', 'three', 'published'), ('{p4}', '{t}', 'four', 'draft'),
           ('{p5}', '{t}', 'five', 'draft'), ('{p6}', '{t}', 'six', 'draft'),
           ('{p7}', '{t}', 'seven', 'review'), ('{p8}', '{t2}', 'eight', 'draft');
         INSERT INTO tag VALUES ('{FOOD}', '{t}', 'food'), ('{open}', '{t}', 'open'), ('{closed}', '{t}', 'closed'),
           ('{open2}', '{t2}', 'open');
         INSERT INTO post_tags (tenant_id, post_id, tag_id) VALUES ('{t}', '{p5}', '{FOOD}'),
           ('{t}', '{p6}', '{open}'), ('{t}', '{p7}', '{closed}'), ('{t}', '{p1}', '{closed}'),
           ('{t2}', '{p8}', '{open2}');
         INSERT INTO comment VALUES ('{c1}', '{t}', '{p2}', '{u12}', 'spam'), ('{c2}', '{t}', '{p2}', '{u12}', 'spam'),
           ('{c3}', '{t}', '{p3}', '{u12}', 'spam'), ('{c4}', '{t}', '{p3}', '{u12}', 'approved'),
           ('{c5}', '{t}', '{p4}', '{u11}', 'approved'), ('{c6}', '{t2}', '{p8}', '{u11}', 'approved');",
        p1 = p(1),
        p2 = p(2),
        p3 = p(3),
        p4 = p(4),
        p5 = p(5),
        p6 = p(6),
        p7 = p(7),
        p8 = p(8),
        open = p(20),
        closed = p(21),
        open2 = p(22),
        c1 = p(31),
        c2 = p(32),
        c3 = p(33),
        c4 = p(34),
        c5 = p(35),
        c6 = p(36),
        u11 = p(11),
        u12 = p(12),
    ));
    app
}

fn user(n: u64) -> String {
    who(&uuid(n), &uuid(T), &[])
}

const TITLES: &str = "SELECT title FROM post ORDER BY title;";

#[test]
fn some_and_includes_decide_what_is_read() {
    let app = seeded("collections_read");
    // 11 commented on four; five carries the tag with the literal key; the rest is published.
    assert_eq!(
        app.rows(&user(11), TITLES),
        ["five", "four", "one", "three", "two"]
    );
    // 12's comments are on published posts only; no comment at all: `some` is false.
    assert_eq!(app.rows(&user(12), TITLES), ["five", "one", "three", "two"]);
    // The same user in tenant T2 sees eight through a comment there, nothing of T.
    assert_eq!(app.rows(&who(&uuid(11), &uuid(T2), &[]), TITLES), ["eight"]);
}

#[test]
fn every_is_true_over_no_rows() {
    let app = seeded("collections_every");
    app.as_user(&user(12), "DELETE FROM post;");
    // One (no comment) and two (spam only) go; three has an approved comment; drafts cannot be
    // read by 12 (five can, and has no comment: it goes too).
    assert_eq!(
        app.admin_rows("SELECT title FROM post ORDER BY title"),
        "eight\nfour\nseven\nsix\nthree"
    );
}

#[test]
fn in_lists_and_some_over_many_to_many() {
    let app = seeded("collections_update");
    // Six is a draft tagged open: the only one 11 can both read and update? Six is not readable
    // by 11 (draft, no comment, no food tag): nothing changes.
    app.as_user(&user(11), "UPDATE post SET title = title || '!';");
    assert_eq!(
        app.admin_rows("SELECT count(*) FROM post WHERE title LIKE '%!'"),
        "0"
    );
    // Tagging six with food makes it readable, and it is in ['draft', 'review'] and tagged open.
    app.admin(&format!(
        "INSERT INTO post_tags (tenant_id, post_id, tag_id) VALUES ('{}', '{}', '{FOOD}');",
        uuid(T),
        uuid(6)
    ));
    app.as_user(&user(11), "UPDATE post SET title = title || '!';");
    assert_eq!(
        app.admin_rows("SELECT title FROM post WHERE title LIKE '%!'"),
        "six!"
    );
}

#[test]
fn nested_quantifiers_and_negated_some() {
    let app = seeded("collections_nested");
    // Tags with a post that has a comment by 11: only via four, which has no tag. Tag `closed`
    // is on one (published) and seven. Nothing for 11 in T...
    app.as_user(&user(11), "UPDATE tag SET name = name || '!';");
    assert_eq!(
        app.admin_rows("SELECT name FROM tag ORDER BY name"),
        "closed\nfood\nopen\nopen"
    );
    // ...but in T2, eight (commented by 11) carries T2's open tag.
    app.as_user(
        &who(&uuid(11), &uuid(T2), &[]),
        "UPDATE tag SET name = name || '!';",
    );
    assert_eq!(
        app.admin_rows("SELECT name FROM tag ORDER BY name"),
        "closed\nfood\nopen\nopen!"
    );
    // A tag on a published post is kept; the others (on drafts, or on nothing) may go.
    app.as_user(&user(11), "DELETE FROM tag;");
    assert_eq!(
        app.admin_rows("SELECT name FROM tag ORDER BY name"),
        "closed\nopen!"
    );
}
