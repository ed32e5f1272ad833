//! The blog example's guards: the tenant guard, policies ANDed with permission lines (with `if`),
//! `all` policies, updates checked before and after, deletes that need the row readable, a rule
//! following a belongs-to, `every` over a has-many, `some` over a many-to-many, an identity
//! attribute in `in [...]`, a model without a tenant column, and join tables.

use std::sync::{Mutex, MutexGuard, OnceLock};

use forge_testkit::GuardRunner;
use serde_json::{Value, json};

use crate::support::{case, check, example, join, shared, update, uuid, with};

fn runner() -> MutexGuard<'static, GuardRunner> {
    static RUNNER: OnceLock<Mutex<GuardRunner>> = OnceLock::new();
    shared(&RUNNER, || example("blog"))
}

const T: u64 = 9001;
const OTHER: u64 = 9002;
const ME: u64 = 11;
const SOMEONE: u64 = 12;

/// User ME of tenant T with `roles`, `claims` and plan `free`.
fn user(roles: &[&str], claims: &[&str]) -> Value {
    json!({"id": uuid(ME), "tenant_id": uuid(T), "roles": roles, "claims": claims, "plan": "free"})
}

/// A post of tenant T by `author` with `status`.
fn post(author: u64, status: &str) -> Value {
    json!({
        "id": uuid(100), "tenant_id": uuid(T), "author_id": uuid(author), "category_id": uuid(200),
        "title": "t", "slug": "t", "status": status, "featured": false, "views": "0", "score": 0
    })
}

#[test]
fn posts_are_read_by_policy_and_created_by_policy_and_permission() {
    let member = user(&["member"], &[]);
    check(
        &mut runner(),
        &[
            case(
                "published",
                "Post",
                "read",
                &member,
                &post(SOMEONE, "published"),
                true,
            ),
            case(
                "someone's draft",
                "Post",
                "read",
                &member,
                &post(SOMEONE, "draft"),
                false,
            ),
            case(
                "my draft",
                "Post",
                "read",
                &member,
                &post(ME, "draft"),
                true,
            ),
            case(
                "an editor",
                "Post",
                "read",
                &user(&["editor"], &[]),
                &post(SOMEONE, "draft"),
                true,
            ),
            case(
                "another tenant",
                "Post",
                "read",
                &member,
                &with(
                    &post(SOMEONE, "published"),
                    json!({"tenant_id": uuid(OTHER)}),
                ),
                false,
            ),
            case(
                "anonymous",
                "Post",
                "read",
                &json!({}),
                &post(SOMEONE, "published"),
                false,
            ),
            case(
                "a member's draft",
                "Post",
                "create",
                &member,
                &post(ME, "draft"),
                true,
            ),
            case(
                "a member's review",
                "Post",
                "create",
                &member,
                &post(ME, "review"),
                false,
            ),
            case(
                "an editor's review",
                "Post",
                "create",
                &user(&["editor"], &[]),
                &post(ME, "review"),
                true,
            ),
            case(
                "for someone else",
                "Post",
                "create",
                &user(&["admin"], &[]),
                &post(SOMEONE, "draft"),
                false,
            ),
            case(
                "no role",
                "Post",
                "create",
                &user(&[], &[]),
                &post(ME, "draft"),
                false,
            ),
        ],
    );
}

#[test]
fn updates_are_checked_before_and_after() {
    let member = user(&["member"], &[]);
    let editor = user(&["editor"], &["posts.publish"]);
    check(
        &mut runner(),
        &[
            update(
                "draft to review",
                "Post",
                &member,
                &post(ME, "draft"),
                &post(ME, "review"),
                true,
            ),
            update(
                "a member publishes",
                "Post",
                &user(&["member"], &["posts.publish"]),
                &post(ME, "draft"),
                &post(ME, "published"),
                false,
            ),
            update(
                "an editor without the claim publishes",
                "Post",
                &user(&["editor"], &[]),
                &post(ME, "review"),
                &post(ME, "published"),
                false,
            ),
            update(
                "an editor publishes",
                "Post",
                &editor,
                &post(SOMEONE, "review"),
                &post(SOMEONE, "published"),
                true,
            ),
            update(
                "into another tenant",
                "Post",
                &editor,
                &post(ME, "draft"),
                &with(&post(ME, "draft"), json!({"tenant_id": uuid(OTHER)})),
                false,
            ),
            // A member's update line requires `status != 'published'`, before as after.
            update(
                "from published",
                "Post",
                &member,
                &post(ME, "published"),
                &post(ME, "draft"),
                false,
            ),
            // Reading someone's draft is denied, so updating it is too (it would pass otherwise).
            update(
                "an unreadable row",
                "Post",
                &user(&["member"], &[]),
                &post(SOMEONE, "draft"),
                &post(SOMEONE, "draft"),
                false,
            ),
        ],
    );
}

#[test]
fn deletes_need_the_row_readable_and_follow_has_many() {
    let member = user(&["member"], &[]);
    let comment = |tenant: u64, status: &str| json!({"id": uuid(300), "tenant_id": uuid(tenant), "post_id": uuid(100), "author_id": uuid(SOMEONE), "body": "b", "status": status});
    let with_comments = |comments: Value| with(&post(ME, "draft"), json!({"comments": comments}));
    check(
        &mut runner(),
        &[
            case(
                "an admin",
                "Post",
                "delete",
                &user(&["admin"], &[]),
                &post(SOMEONE, "published"),
                true,
            ),
            case(
                "no comments",
                "Post",
                "delete",
                &member,
                &with_comments(json!([])),
                true,
            ),
            case(
                "comments not loaded",
                "Post",
                "delete",
                &member,
                &post(ME, "draft"),
                true,
            ),
            case(
                "only spam",
                "Post",
                "delete",
                &member,
                &with_comments(json!([comment(T, "spam")])),
                true,
            ),
            case(
                "an approved comment",
                "Post",
                "delete",
                &member,
                &with_comments(json!([comment(T, "spam"), comment(T, "approved")])),
                false,
            ),
            case(
                "another tenant's comment",
                "Post",
                "delete",
                &member,
                &with_comments(json!([comment(OTHER, "approved")])),
                true,
            ),
            case(
                "a published post",
                "Post",
                "delete",
                &member,
                &post(ME, "published"),
                false,
            ),
            // The delete policy asks for an admin or the author, whatever the permission lines say.
            case(
                "an editor, someone's draft",
                "Post",
                "delete",
                &user(&["editor"], &[]),
                &post(SOMEONE, "draft"),
                false,
            ),
            case(
                "not readable",
                "Post",
                "delete",
                &user(&["member"], &[]),
                &post(SOMEONE, "draft"),
                false,
            ),
        ],
    );
}

#[test]
fn rules_follow_relations_and_identity_attributes() {
    let member = user(&["member"], &[]);
    let tagged = |status: &str| json!({"id": uuid(400), "tenant_id": uuid(T), "name": "rust", "posts": [post(SOMEONE, status)]});
    let comment = |post: Value, status: &str| json!({"id": uuid(300), "tenant_id": uuid(T), "post_id": uuid(100), "author_id": uuid(SOMEONE), "body": "b", "status": status, "post": post});
    let media = |size: Value| json!({"id": uuid(500), "tenant_id": uuid(T), "uploaded_by_id": uuid(ME), "filename": "f", "mime_type": "image/png", "size_bytes": size, "checksum": "c"});
    let pro = with(&member, json!({"plan": "pro"}));
    check(
        &mut runner(),
        &[
            case(
                "a tag on a published post",
                "Tag",
                "delete",
                &user(&["editor"], &[]),
                &tagged("published"),
                false,
            ),
            case(
                "a tag on drafts",
                "Tag",
                "delete",
                &user(&["editor"], &[]),
                &tagged("draft"),
                true,
            ),
            case(
                "a member",
                "Tag",
                "delete",
                &member,
                &tagged("draft"),
                false,
            ),
            case(
                "approved, on a published post",
                "Comment",
                "read",
                &member,
                &comment(post(SOMEONE, "published"), "approved"),
                true,
            ),
            case(
                "on a draft",
                "Comment",
                "read",
                &member,
                &comment(post(SOMEONE, "draft"), "approved"),
                false,
            ),
            case(
                "on another tenant's post",
                "Comment",
                "read",
                &member,
                &comment(
                    with(
                        &post(SOMEONE, "published"),
                        json!({"tenant_id": uuid(OTHER)}),
                    ),
                    "approved",
                ),
                false,
            ),
            case(
                "post not loaded",
                "Comment",
                "read",
                &member,
                &comment(json!(null), "approved"),
                false,
            ),
            case(
                "a small upload",
                "Media",
                "create",
                &member,
                &media(json!(10_485_760)),
                true,
            ),
            case(
                "a large upload",
                "Media",
                "create",
                &member,
                &media(json!("10485761")),
                false,
            ),
            case(
                "a large upload, pro",
                "Media",
                "create",
                &pro,
                &media(json!("10485761")),
                true,
            ),
            case(
                "a plan that is not a string",
                "Media",
                "create",
                &with(&member, json!({"plan": ["pro"]})),
                &media(json!(10_485_761)),
                false,
            ),
        ],
    );
}

#[test]
fn all_policies_permission_only_models_and_models_without_tenant() {
    let subscription = |subscriber: u64| json!({"id": uuid(600), "tenant_id": uuid(T), "subscriber_id": uuid(subscriber), "plan": "pro", "interval": "monthly", "status": "active", "price": "9.90", "currency": "EUR", "started_on": "2024-01-01", "auto_renew": true});
    let member = user(&["member"], &[]);
    let admin = user(&["admin"], &[]);
    let tenant = |id: u64| json!({"id": uuid(id), "name": "n", "slug": "n", "plan": "free", "home_region": "eu"});
    check(
        &mut runner(),
        &[
            case(
                "my subscription",
                "Subscription",
                "read",
                &member,
                &subscription(ME),
                true,
            ),
            case(
                "someone's",
                "Subscription",
                "read",
                &member,
                &subscription(SOMEONE),
                false,
            ),
            case(
                "an admin",
                "Subscription",
                "read",
                &admin,
                &subscription(SOMEONE),
                true,
            ),
            case(
                "deleting mine",
                "Subscription",
                "delete",
                &member,
                &subscription(ME),
                false,
            ),
            case(
                "an admin deletes",
                "Subscription",
                "delete",
                &admin,
                &subscription(SOMEONE),
                true,
            ),
            update(
                "cancelling mine",
                "Subscription",
                &member,
                &subscription(ME),
                &subscription(ME),
                true,
            ),
            update(
                "handing it over",
                "Subscription",
                &member,
                &subscription(ME),
                &subscription(SOMEONE),
                false,
            ),
            case(
                "users: a role",
                "User",
                "read",
                &member,
                &json!({"id": uuid(SOMEONE), "tenant_id": uuid(T)}),
                true,
            ),
            case(
                "users: no role",
                "User",
                "read",
                &user(&[], &[]),
                &json!({"id": uuid(SOMEONE), "tenant_id": uuid(T)}),
                false,
            ),
            case(
                "a category by an editor",
                "Category",
                "create",
                &user(&["editor"], &[]),
                &json!({"id": uuid(200), "tenant_id": uuid(T)}),
                true,
            ),
            case(
                "a category by a member",
                "Category",
                "create",
                &member,
                &json!({"id": uuid(200), "tenant_id": uuid(T)}),
                false,
            ),
            case("my tenant", "Tenant", "read", &member, &tenant(T), true),
            case(
                "another tenant",
                "Tenant",
                "read",
                &member,
                &tenant(OTHER),
                false,
            ),
            case(
                "an operator",
                "Tenant",
                "read",
                &user(&[], &["tenants.manage"]),
                &tenant(OTHER),
                true,
            ),
            case(
                "anonymous operator",
                "Tenant",
                "read",
                &json!({"claims": ["tenants.manage"]}),
                &tenant(OTHER),
                true,
            ),
        ],
    );
}

#[test]
fn join_tables_follow_the_declaring_row() {
    let link = |post: Value| json!({"post_id": uuid(100), "tag_id": uuid(400), "tenant_id": uuid(T), "Post": post});
    let member = user(&["member"], &[]);
    check(
        &mut runner(),
        &[
            join(
                "a readable post",
                "post_tags",
                "read",
                &member,
                &link(post(SOMEONE, "published")),
                true,
            ),
            join(
                "an unreadable post",
                "post_tags",
                "read",
                &member,
                &link(post(SOMEONE, "draft")),
                false,
            ),
            join(
                "no post",
                "post_tags",
                "read",
                &member,
                &link(json!(null)),
                false,
            ),
            join(
                "another post than the link's",
                "post_tags",
                "read",
                &member,
                &link(with(&post(SOMEONE, "published"), json!({"id": uuid(101)}))),
                false,
            ),
            join(
                "a link of another tenant",
                "post_tags",
                "read",
                &member,
                &with(
                    &link(post(SOMEONE, "published")),
                    json!({"tenant_id": uuid(OTHER)}),
                ),
                false,
            ),
            join(
                "tagging my draft",
                "post_tags",
                "create",
                &member,
                &link(post(ME, "draft")),
                true,
            ),
            join(
                "tagging someone's post",
                "post_tags",
                "create",
                &member,
                &link(post(SOMEONE, "published")),
                false,
            ),
            join(
                "untagging my draft",
                "post_tags",
                "delete",
                &member,
                &link(post(ME, "draft")),
                true,
            ),
            join(
                "changing a link",
                "post_tags",
                "update",
                &member,
                &link(post(ME, "draft")),
                false,
            ),
            join(
                "following, as myself",
                "user_follows",
                "create",
                &member,
                &json!({"user_id": uuid(ME), "follows_id": uuid(SOMEONE), "tenant_id": uuid(T), "User": {"id": uuid(ME), "tenant_id": uuid(T)}}),
                true,
            ),
            join(
                "following, as someone else",
                "user_follows",
                "create",
                &member,
                &json!({"user_id": uuid(SOMEONE), "follows_id": uuid(ME), "tenant_id": uuid(T), "User": {"id": uuid(SOMEONE), "tenant_id": uuid(T)}}),
                false,
            ),
        ],
    );
}
