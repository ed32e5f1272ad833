//! The repository's example projects: every condition runs on both databases with exactly the
//! parameters it declares, and the output is deterministic.

use forge_schemas::Action;

use crate::setup::{App, Outcome, apps, ir_of_folder, uuid};

/// Runs every condition of every table on a missing row, for a full identity.
fn every_condition_runs(app: &App) {
    let identity = format!(
        "{{\"id\":\"{}\",\"tenant_id\":\"{}\",\"roles\":[\"admin\"],\"claims\":[],\"plan\":\"pro\"}}",
        uuid(1),
        uuid(2)
    );
    for table in &app.guards.tables {
        let key: Vec<String> = table.primary_key.iter().map(|_| uuid(3)).collect();
        let key: Vec<&str> = key.iter().map(String::as_str).collect();
        for action in Action::CONCRETE {
            assert!(
                !app.allows(&table.name, action, &identity, &key),
                "{} {action:?} on a missing row",
                table.name
            );
        }
    }
}

#[test]
fn the_blog_example_runs() {
    let ir = ir_of_folder("examples/blog/schema");
    for app in apps("blog_runs", &ir) {
        every_condition_runs(&app);
    }
}

#[test]
fn the_clinic_example_runs() {
    let ir = ir_of_folder("examples/clinic/schema");
    for app in apps("clinic_runs", &ir) {
        every_condition_runs(&app);
    }
}

#[test]
fn the_tiny_fixture_runs() {
    let ir = ir_of_folder("tests/fixtures/tiny/schema");
    for app in apps("tiny_runs", &ir) {
        every_condition_runs(&app);
        app.admin(&format!(
            "INSERT INTO account (id, email) VALUES ('{}', 'a@x'), ('{}', 'b@x');
             INSERT INTO note (id, author_id, title) VALUES ('{}', '{}', 'mine'), ('{}', '{}', 'theirs');",
            uuid(1),
            uuid(2),
            uuid(11),
            uuid(1),
            uuid(12),
            uuid(2)
        ));
        // No tenant column: the rules alone decide.
        let me = format!("{{\"id\":\"{}\"}}", uuid(1));
        assert_eq!(
            app.rows("Account", "email", &me),
            ["a@x"],
            "{}",
            app.dialect()
        );
        assert_eq!(
            app.rows("Account", "email", "{\"roles\":[\"admin\"]}"),
            ["a@x", "b@x"]
        );
        assert_eq!(app.rows("Note", "title", &me), ["mine"]);
        let moved = format!("author_id = '{}'", uuid(2));
        let key = uuid(11);
        assert_eq!(
            app.update("Note", &me, &moved, &[&key], &[&key]),
            Outcome::Rejected
        );
        assert_eq!(
            app.update("Note", &me, "title = 'mine!'", &[&key], &[&key]),
            Outcome::Done
        );
    }
}

const T1: u64 = 9001;
const T2: u64 = 9002;

/// The blog with tenants 1 and 2. Tenant 1: users 1 (admin), 2 (editor), 3 (member); category
/// 31; posts 41 (by 3, published), 42 (by 3, draft), 43 (by 2, review); comment 51 on 41 (by 2,
/// approved), 52 on 43 (by 2, pending); tag 61 on 41. Tenant 2: user 4, category 32, post 44 (by
/// 4, published).
fn blog(test: &str) -> [App; 2] {
    let apps = apps(test, &ir_of_folder("examples/blog/schema"));
    for app in &apps {
        let (t1, t2, u) = (uuid(T1), uuid(T2), uuid);
        let user = app.q("user");
        let at = app.datetime("2024-01-01T00:00:00.000Z");
        app.admin(&format!(
            "INSERT INTO tenant (id, name, slug) VALUES ('{t1}', 'One', 'one'), ('{t2}', 'Two', 'two');
             INSERT INTO {user} (id, tenant_id, email, display_name) VALUES
               ('{}', '{t1}', 'a@one', 'Ada'), ('{}', '{t1}', 'e@one', 'Eve'),
               ('{}', '{t1}', 'm@one', 'Max'), ('{}', '{t2}', 'z@two', 'Zoe');
             INSERT INTO category (id, tenant_id, name, slug) VALUES
               ('{}', '{t1}', 'News', 'news'), ('{}', '{t2}', 'News', 'news');
             INSERT INTO post (id, tenant_id, author_id, category_id, title, slug, status, published_at) VALUES
               ('{}', '{t1}', '{}', '{}', 'p41', 'p41', 'published', {at}),
               ('{}', '{t1}', '{}', '{}', 'p42', 'p42', 'draft', NULL),
               ('{}', '{t1}', '{}', '{}', 'p43', 'p43', 'review', NULL),
               ('{}', '{t2}', '{}', '{}', 'p44', 'p44', 'published', {at});
             INSERT INTO comment (id, tenant_id, post_id, author_id, body, status) VALUES
               ('{}', '{t1}', '{}', '{}', 'c51', 'approved'), ('{}', '{t1}', '{}', '{}', 'c52', 'pending');
             INSERT INTO tag (id, tenant_id, name) VALUES ('{}', '{t1}', 'rust');
             INSERT INTO post_tags (tenant_id, post_id, tag_id) VALUES ('{t1}', '{}', '{}');",
            u(1),
            u(2),
            u(3),
            u(4),
            u(31),
            u(32),
            u(41),
            u(3),
            u(31),
            u(42),
            u(3),
            u(31),
            u(43),
            u(2),
            u(31),
            u(44),
            u(4),
            u(32),
            u(51),
            u(41),
            u(2),
            u(52),
            u(43),
            u(2),
            u(61),
            u(41),
            u(61),
        ));
    }
    apps
}

/// An identity of the blog (its `plan` attribute is required).
fn reader(id: u64, tenant: u64, roles: &[&str], claims: &[&str]) -> String {
    let list = |items: &[&str]| {
        items
            .iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(
        "{{\"id\":\"{}\",\"tenant_id\":\"{}\",\"roles\":[{}],\"claims\":[{}],\"plan\":\"pro\"}}",
        uuid(id),
        uuid(tenant),
        list(roles),
        list(claims)
    )
}

#[test]
fn the_blog_reads_per_tenant_user_and_role() {
    for app in blog("blog_reads") {
        let d = app.dialect();
        let member = reader(3, T1, &["member"], &[]);
        let editor = reader(2, T1, &["editor"], &[]);
        let other = reader(4, T2, &["member"], &[]);
        assert_eq!(app.rows("Post", "title", &member), ["p41", "p42"], "{d}");
        assert_eq!(
            app.rows("Post", "title", &editor),
            ["p41", "p42", "p43"],
            "{d}"
        );
        assert_eq!(app.rows("Post", "title", &other), ["p44"], "{d}");
        assert!(app.rows("Post", "title", "{}").is_empty(), "{d}");
        // Comments follow their post (`record.post.status`): c52 is pending on a review post.
        assert_eq!(app.rows("Comment", "body", &member), ["c51"], "{d}");
        assert_eq!(app.rows("Comment", "body", &editor), ["c51", "c52"], "{d}");
        // Tenants (no tenant column): one's own, or all with the claim.
        assert_eq!(app.rows("Tenant", "name", &member), ["One"], "{d}");
        let operator = reader(9, T2, &[], &["tenants.manage"]);
        assert_eq!(app.rows("Tenant", "name", &operator), ["One", "Two"], "{d}");
        // Users need a role to be listed; the tag's link follows its post.
        assert!(
            app.rows("User", "display_name", &reader(3, T1, &[], &[]))
                .is_empty()
        );
        assert_eq!(
            app.rows("User", "display_name", &member),
            ["Ada", "Eve", "Max"],
            "{d}"
        );
        assert_eq!(app.rows("post_tags", "tag_id", &member), [uuid(61)], "{d}");
    }
}

#[test]
fn the_blog_writes_per_tenant_user_and_role() {
    for app in blog("blog_writes") {
        let d = app.dialect();
        let member = reader(3, T1, &["member"], &[]);
        let editor = reader(2, T1, &["editor"], &[]);
        let create = |identity: &str, id: u64, author: u64, status: &str| {
            let insert = format!(
                "INSERT INTO post (id, tenant_id, author_id, category_id, title, slug, status, published_at) VALUES ('{}', '{}', '{}', '{}', 'new', 'new-{id}', '{status}', {});",
                uuid(id),
                uuid(T1),
                uuid(author),
                uuid(31),
                app.datetime("2024-01-01T00:00:00.000Z")
            );
            app.create("Post", identity, &insert, &[&uuid(id)])
        };
        // A member submits drafts of their own; an editor publishes their own.
        assert_eq!(create(&member, 71, 3, "draft"), Outcome::Done, "{d}");
        assert_eq!(create(&member, 72, 3, "review"), Outcome::Rejected, "{d}");
        assert_eq!(create(&member, 73, 2, "draft"), Outcome::Rejected, "{d}");
        assert_eq!(create(&editor, 74, 2, "published"), Outcome::Done, "{d}");
        let update = |identity: &str, post: u64, set: &str| {
            app.update("Post", identity, set, &[&uuid(post)], &[&uuid(post)])
        };
        assert_eq!(update(&member, 42, "title = 'p42!'"), Outcome::Done, "{d}");
        // Publishing needs the claim; a published post may not be edited without it.
        let at = app.datetime("2024-01-01T00:00:00.000Z");
        let publish = format!("status = 'published', published_at = {at}");
        assert_eq!(update(&member, 42, &publish), Outcome::Rejected, "{d}");
        assert_eq!(
            update(&editor, 41, "title = 'p41!'"),
            Outcome::Denied,
            "{d}"
        );
        let publisher = reader(2, T1, &["editor"], &["posts.publish"]);
        assert_eq!(
            update(&publisher, 41, "title = 'p41!'"),
            Outcome::Done,
            "{d}"
        );
        // Deletes: a member their own draft without comments; an admin anything of the tenant.
        assert_eq!(
            app.delete("Post", &member, &[&uuid(41)]),
            Outcome::Denied,
            "{d}"
        );
        assert_eq!(
            app.delete("Post", &member, &[&uuid(42)]),
            Outcome::Done,
            "{d}"
        );
        let admin = reader(1, T1, &["admin"], &[]);
        assert_eq!(
            app.delete("Post", &admin, &[&uuid(44)]),
            Outcome::Denied,
            "{d}"
        );
        assert_eq!(
            app.delete("Comment", &admin, &[&uuid(52)]),
            Outcome::Done,
            "{d}"
        );
        assert_eq!(
            app.delete("Post", &admin, &[&uuid(43)]),
            Outcome::Done,
            "{d}"
        );
        assert_eq!(
            app.admin_rows("SELECT title FROM post ORDER BY title"),
            ["new", "new", "p41!", "p44"],
            "{d}"
        );
    }
}
