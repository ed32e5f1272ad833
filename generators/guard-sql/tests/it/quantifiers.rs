//! `some`, `every` and `includes` over has-many and many-to-many relations: EXISTS and NOT
//! EXISTS subqueries that stay in the caller's tenant; `some` over no rows is false and `every`
//! true (also on the relation of a missing row); quantifiers nest.

use forge_schemas::Action;

use crate::setup::{App, apps, ir, uuid, who};

const SCHEMA: &str = r#"
identity {
  tag_id uuid optional=#true
}

enum Status draft published

model Author {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  posts has-many=Post
  policy read "record.posts.some(p => p.status == 'published')"
  policy update "record.posts.every(p => p.comments.some(c => c.flagged))"
  policy delete "record.posts.includes('00000000-0000-0000-0000-000000000021')"
}

model Post {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  author belongs-to=Author optional=#true
  title string
  status Status
  tags many-to-many=Tag
  comments has-many=Comment
  policy read "record.tags.some(t => t.name == 'public') || record.author.posts.every(p => p.status == 'draft')"
  policy update "record.tags.every(t => t.name != 'frozen')"
  policy delete "record.tags.includes(user.tag_id)"
}

model Tag {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  posts many-to-many=Post
  policy read "record.posts.includes('00000000-0000-0000-0000-000000000021')"
}

model Comment {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  post belongs-to=Post
  flagged boolean
  policy read "true"
}

model Person {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  name string
  follows many-to-many=Person
  policy read "record.id == user.id || record.follows.includes(user.id)"
}

model Region {
  id uuid pk=#true
  name string
  offices has-many=Office
  policy read "record.offices.some(o => o.open)"
}

model Office {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  region belongs-to=Region
  open boolean
  policy read "true"
}
"#;

const T1: u64 = 9001;
const T2: u64 = 9002;

/// Tenant 1: authors ann (1: posts 21 published, 22 draft), bob (2: post 23 draft), cid (3: no
/// posts); post 24 has no author. Tags public (41: on 21), frozen (42: on 22), misc (43: on 24).
/// Comments: 51 on 21 flagged, 52 on 22 not, 53 on 23 flagged. Tenant 2: author dan (4: post 25
/// published). People 81 (follows 82), 82, 83 (follows 81). Regions 61 (open office in tenant 1), 62 (closed office in tenant 1), 63 (open
/// office in tenant 2).
fn seeded(test: &str) -> [App; 2] {
    let apps = apps(test, &ir(SCHEMA));
    for app in &apps {
        let (t1, t2, u) = (uuid(T1), uuid(T2), uuid);
        app.admin(&format!(
            "INSERT INTO author (id, tenant_id, name) VALUES
               ('{}', '{t1}', 'ann'), ('{}', '{t1}', 'bob'), ('{}', '{t1}', 'cid'), ('{}', '{t2}', 'dan');
             INSERT INTO post (id, tenant_id, author_id, title, status) VALUES
               ('{}', '{t1}', '{}', 'p21', 'published'), ('{}', '{t1}', '{}', 'p22', 'draft'),
               ('{}', '{t1}', '{}', 'p23', 'draft'), ('{}', '{t1}', NULL, 'p24', 'draft'),
               ('{}', '{t2}', '{}', 'p25', 'published');
             INSERT INTO tag (id, tenant_id, name) VALUES
               ('{}', '{t1}', 'public'), ('{}', '{t1}', 'frozen'), ('{}', '{t1}', 'misc');
             INSERT INTO post_tags (tenant_id, post_id, tag_id) VALUES
               ('{t1}', '{}', '{}'), ('{t1}', '{}', '{}'), ('{t1}', '{}', '{}');
             INSERT INTO comment (id, tenant_id, post_id, flagged) VALUES
               ('{}', '{t1}', '{}', TRUE), ('{}', '{t1}', '{}', FALSE), ('{}', '{t1}', '{}', TRUE);
             INSERT INTO person (id, tenant_id, name) VALUES
               ('{}', '{t1}', 'p81'), ('{}', '{t1}', 'p82'), ('{}', '{t1}', 'p83');
             INSERT INTO person_follows (tenant_id, person_id, follows_id) VALUES
               ('{t1}', '{}', '{}'), ('{t1}', '{}', '{}');
             INSERT INTO region (id, name) VALUES ('{}', 'r61'), ('{}', 'r62'), ('{}', 'r63');
             INSERT INTO office (id, tenant_id, region_id, open) VALUES
               ('{}', '{t1}', '{}', TRUE), ('{}', '{t1}', '{}', FALSE), ('{}', '{t2}', '{}', TRUE);",
            u(1),
            u(2),
            u(3),
            u(4),
            u(21),
            u(1),
            u(22),
            u(1),
            u(23),
            u(2),
            u(24),
            u(25),
            u(4),
            u(41),
            u(42),
            u(43),
            u(21),
            u(41),
            u(22),
            u(42),
            u(24),
            u(43),
            u(51),
            u(21),
            u(52),
            u(22),
            u(53),
            u(23),
            u(81),
            u(82),
            u(83),
            u(81),
            u(82),
            u(83),
            u(81),
            u(61),
            u(62),
            u(63),
            u(71),
            u(61),
            u(72),
            u(62),
            u(73),
            u(63),
        ));
    }
    apps
}

fn me(tenant: u64) -> String {
    who(100, tenant, &[])
}

#[test]
fn some_is_exists_and_stays_in_the_tenant() {
    for app in seeded("quantifiers_some") {
        assert_eq!(
            app.rows("Author", "name", &me(T1)),
            ["ann"],
            "{}",
            app.dialect()
        );
        assert_eq!(app.rows("Author", "name", &me(T2)), ["dan"]);
        // From a model without a tenant column: only the caller's tenant's offices count.
        assert_eq!(app.rows("Region", "name", &me(T1)), ["r61"]);
        assert_eq!(app.rows("Region", "name", &me(T2)), ["r63"]);
        assert!(app.rows("Region", "name", "{}").is_empty());
    }
}

#[test]
fn every_is_true_over_no_rows_and_quantifiers_nest() {
    for app in seeded("quantifiers_every") {
        // p21: a public tag; p22: ann also has a published post; p23: bob's posts are all
        // drafts; p24: no author, so `every` ranges over no rows.
        assert_eq!(
            app.rows("Post", "title", &me(T1)),
            ["p21", "p23", "p24"],
            "{}",
            app.dialect()
        );
        let may_update = |post: u64| app.allows("Post", Action::Update, &me(T1), &[&uuid(post)]);
        assert!(may_update(21) && may_update(23) && may_update(24));
        app.admin(&format!(
            "UPDATE tag SET name = 'frozen' WHERE id = '{}';",
            uuid(41)
        ));
        assert!(!may_update(21), "now a frozen tag");
        // Nested: every post of ann has some flagged comment (p22's is not flagged).
        let may_author =
            |author: u64| app.allows("Author", Action::Update, &me(T1), &[&uuid(author)]);
        assert!(!may_author(1));
        app.admin(&format!(
            "UPDATE comment SET flagged = TRUE WHERE id = '{}';",
            uuid(52)
        ));
        assert!(may_author(1));
        // cid has no posts: `every` is true, but cid is not readable (no published post).
        assert!(!may_author(3));
    }
}

#[test]
fn includes_tests_the_related_keys() {
    for app in seeded("quantifiers_includes") {
        assert_eq!(
            app.rows("Tag", "name", &me(T1)),
            ["public"],
            "{}",
            app.dialect()
        );
        let with_tag = |tag: &str| {
            format!(
                "{{\"id\":\"{}\",\"tenant_id\":\"{}\",\"tag_id\":{tag}}}",
                uuid(100),
                uuid(T1)
            )
        };
        let may_delete = |identity: &str, post: u64| {
            app.allows("Post", Action::Delete, identity, &[&uuid(post)])
        };
        let public = format!("\"{}\"", uuid(41));
        assert!(may_delete(&with_tag(&public), 21));
        assert!(!may_delete(&with_tag(&public), 24));
        // Uuids compare as lower-case text: an upper-case identity value is the same uuid.
        let shouting = format!("\"{}\"", "00000000-0000-0000-0000-0000000000AB");
        app.admin(&format!(
            "INSERT INTO tag (id, tenant_id, name) VALUES ('{}', '{}', 'hex');
             INSERT INTO post_tags (tenant_id, post_id, tag_id) VALUES ('{}', '{}', '{}');",
            "00000000-0000-0000-0000-0000000000ab",
            uuid(T1),
            uuid(T1),
            uuid(24),
            "00000000-0000-0000-0000-0000000000ab"
        ));
        assert!(may_delete(&with_tag(&shouting), 24));
        // A missing or malformed tag id includes nothing.
        for tag in ["null", "41", "\"not a uuid\""] {
            assert!(!may_delete(&with_tag(tag), 21), "{tag}");
        }
        assert!(!may_delete(&me(T1), 21));
        // Over a has-many relation: ann wrote post 21; dan (readable in tenant 2) did not.
        assert!(app.allows("Author", Action::Delete, &me(T1), &[&uuid(1)]));
        assert!(!app.allows("Author", Action::Delete, &me(T2), &[&uuid(4)]));
        assert!(app.allows("Author", Action::Read, &me(T2), &[&uuid(4)]));
        // A self many-to-many runs from the declaring side: who follows me.
        let people = |id: u64| app.rows("Person", "name", &who(id, T1, &[]));
        assert_eq!(people(82), ["p81", "p82"]);
        assert_eq!(people(81), ["p81", "p83"]);
        assert_eq!(people(83), ["p83"]);
    }
}
