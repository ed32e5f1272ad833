//! Whole typed ASTs, as the IR serializes them.

use crate::fixture::policy;

#[test]
fn the_example_policies() {
    insta::assert_json_snapshot!(
        "published_or_author",
        policy("record.published || record.author_id == user.id")
    );
    insta::assert_json_snapshot!(
        "author_or_admin",
        policy("record.author_id == user.id || user.roles.includes('admin')")
    );
}

#[test]
fn a_quantified_policy() {
    insta::assert_json_snapshot!(policy(
        "record.author.manager.tenant_id === user.tenant_id && record.comments.every(c => c.approved || c.author.posts.some(p => p.status in ['draft', 'review'])) && record.tags.includes('123E4567-E89B-12D3-A456-426614174000')"
    ));
}
