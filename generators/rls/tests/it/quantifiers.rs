//! Quantifiers reached through a belongs-to hop, nested quantifiers that use the enclosing
//! variable, and hops from a variable.

use crate::setup::{app, ir, uuid, who};

const SCHEMA: &str = r#"
model Person {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  posts has-many=Post
  policy read "true"
}

model Post {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  author belongs-to=Person
  comments has-many=Comment
  policy read "true"
}

model Comment {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  post belongs-to=Post
  author belongs-to=Person
  policy read "true"
}

model Board {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  title string
  owner belongs-to=Person
  // The owner has a post that its own author commented on.
  policy read "record.owner.posts.some(p => p.comments.some(c => c.author_id == p.author_id))"
  // Every post of the owner has a comment by someone called Ann.
  policy update "record.owner.posts.every(p => p.comments.some(c => c.author.name == 'Ann'))"
}
"#;

#[test]
fn quantifiers_through_hops_and_nested() {
    let app = app("quantifiers", &ir(SCHEMA));
    let t = uuid(9001);
    // Persons: 1 Ann, 2 Bob, 3 Cy (no posts). Posts: 11 by Ann, 12 by Bob.
    // Comments: on 11 by Ann; on 12 by Ann. Boards: of Ann, of Bob, of Cy.
    app.admin(&format!(
        "INSERT INTO person VALUES ('{p1}', '{t}', 'Ann'), ('{p2}', '{t}', 'Bob'), ('{p3}', '{t}', 'Cy');
         INSERT INTO post VALUES ('{s11}', '{t}', '{p1}'), ('{s12}', '{t}', '{p2}');
         INSERT INTO comment VALUES ('{c21}', '{t}', '{s11}', '{p1}'), ('{c22}', '{t}', '{s12}', '{p1}');
         INSERT INTO board VALUES ('{b31}', '{t}', 'ann', '{p1}'), ('{b32}', '{t}', 'bob', '{p2}'),
           ('{b33}', '{t}', 'cy', '{p3}');",
        p1 = uuid(1),
        p2 = uuid(2),
        p3 = uuid(3),
        s11 = uuid(11),
        s12 = uuid(12),
        c21 = uuid(21),
        c22 = uuid(22),
        b31 = uuid(31),
        b32 = uuid(32),
        b33 = uuid(33),
    ));
    let me = who(&uuid(99), &t, &[]);
    // Ann commented on her own post; Bob's post has only Ann's comment; Cy has no posts.
    assert_eq!(
        app.rows(&me, "SELECT title FROM board ORDER BY title;"),
        ["ann"]
    );
    // Update needs read too: only Ann's board, and every post of Ann has a comment by Ann.
    app.admin(&format!(
        "INSERT INTO comment VALUES ('{}', '{t}', '{}', '{}');",
        uuid(23),
        uuid(12),
        uuid(2)
    ));
    // Bob now commented on his own post: his board is readable too, and updatable (Ann commented).
    app.as_user(&me, "UPDATE board SET title = title || '!';");
    assert_eq!(
        app.admin_rows("SELECT title FROM board ORDER BY title"),
        "ann!\nbob!\ncy"
    );
}
