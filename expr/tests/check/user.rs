//! `user.id`, `user.tenant_id`, `user.roles`, `user.claims` and declared identity attributes.

use forge_expr::{Context, check, parse};
use forge_schemas::{Expr, FieldType, UserAttr, ValueType};

use crate::fixture::{errors, ir, policy};

/// The `user.*` on the right of `src`, a comparison.
fn right_user(src: &str) -> (UserAttr, ValueType) {
    match policy(src) {
        Expr::Compare { right, .. } => match *right {
            Expr::User { attr, ty } => (attr, ty),
            other => panic!("not a user attribute: {other:?}"),
        },
        other => panic!("not a comparison: {other:?}"),
    }
}

#[test]
fn id_and_tenant_id_are_uuids_by_default() {
    assert_eq!(
        right_user("record.author_id == user.id"),
        (UserAttr::Id, ValueType::Uuid)
    );
    assert_eq!(
        right_user("record.tenant_id == user.tenant_id"),
        (UserAttr::TenantId, ValueType::Uuid)
    );
}

#[test]
fn id_takes_the_identity_type() {
    let mut ir = ir();
    ir.identity.id = FieldType::Bigint;
    let expr = check(
        &parse("record.big == user.id").unwrap(),
        &ir,
        "Post",
        Context::Policy,
    )
    .unwrap();
    let Expr::Compare { right, .. } = expr else {
        panic!()
    };
    assert_eq!(
        *right,
        Expr::User {
            attr: UserAttr::Id,
            ty: ValueType::Bigint
        }
    );
}

#[test]
fn a_declared_attribute() {
    assert_eq!(
        right_user("record.title == user.plan"),
        (
            UserAttr::Attribute {
                name: "plan".into()
            },
            ValueType::String
        )
    );
}

#[test]
fn an_undeclared_attribute() {
    assert_eq!(
        errors("user.plna == 'pro'"),
        [
            "forge::undeclared-identity-attribute @5+4 `plna`: the identity has no attribute `plna` (help: did you mean `plan`?)"
        ]
    );
    assert_eq!(
        errors("user.region == 'eu'"),
        [
            "forge::undeclared-identity-attribute @5+6 `region`: the identity has no attribute `region` (help: declare it in the identity block: `identity { region string }`)"
        ]
    );
}

#[test]
fn roles_and_claims_are_lists() {
    assert_eq!(
        errors("user.roles == 'admin'"),
        [
            "forge::type-mismatch @0+21 `user.roles == 'admin'`: `==` cannot compare a list of strings with a string (help: test for one item with `.includes('...')`)"
        ]
    );
    assert_eq!(
        errors("user.claims"),
        [
            "forge::expected-boolean @0+11 `user.claims`: expected a boolean, found a list of strings (help: test for one item with `.includes('...')`)"
        ]
    );
    assert_eq!(
        errors("user.roles.length > 0"),
        [
            "forge::unknown-field @11+6 `length`: `user.roles` is a list of strings; it has no field `length` (help: test for one item with `user.roles.includes('...')`)"
        ]
    );
    assert_eq!(
        errors("user.plan.x == 1"),
        ["forge::unknown-field @10+1 `x`: `user.plan` is a string; it has no field `x`"]
    );
}
