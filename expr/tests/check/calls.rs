//! `includes`, `some` and `every`, and the calls the language does not have.

use forge_schemas::{Expr, Literal, Quantifier, RefBase, UserAttr, ValueType};

use crate::fixture::{errors, policy};

const FUNCTIONS: &str = "the functions are `includes` (on `user.roles`, `user.claims` and to-many relations), `some` and `every` (on to-many relations)";

#[test]
fn roles_and_claims_includes() {
    assert_eq!(
        policy("user.roles.includes('admin')"),
        Expr::ListIncludes {
            list: Box::new(Expr::User {
                attr: UserAttr::Roles,
                ty: ValueType::StringList
            }),
            value: Box::new(Expr::Literal {
                value: Literal::String("admin".into())
            }),
        }
    );
    let Expr::ListIncludes { list, .. } = policy("user.claims.includes('posts.publish')") else {
        panic!()
    };
    assert_eq!(
        *list,
        Expr::User {
            attr: UserAttr::Claims,
            ty: ValueType::StringList
        }
    );
    policy("user.roles.includes(record.title)");
}

#[test]
fn undeclared_role_and_claim() {
    assert_eq!(
        errors("user.roles.includes('superuser')"),
        [
            "forge::undeclared-role @20+11 `'superuser'`: the role `superuser` is not declared (help: the declared roles are `admin`, `editor`)"
        ]
    );
    assert_eq!(
        errors("user.roles.includes('admn')"),
        [
            "forge::undeclared-role @20+6 `'admn'`: the role `admn` is not declared (help: did you mean `admin`? the declared roles are `admin`, `editor`)"
        ]
    );
    assert_eq!(
        errors("user.claims.includes('posts.publsh')"),
        [
            "forge::undeclared-claim @21+14 `'posts.publsh'`: the claim `posts.publsh` is not declared (help: did you mean `posts.publish`? the declared claims are `posts.publish`)"
        ]
    );
}

#[test]
fn roles_includes_takes_a_string() {
    assert_eq!(
        errors("user.roles.includes(1)"),
        [
            "forge::type-mismatch @20+1 `1`: `user.roles` holds strings, but this is an integer (help: pass a string literal)"
        ]
    );
}

#[test]
fn relation_includes_compares_with_the_primary_key() {
    let Expr::RelationIncludes { relation, value } =
        policy("record.tags.includes('123E4567-e89b-12d3-a456-426614174000')")
    else {
        panic!()
    };
    assert_eq!((relation.base, relation.hops.len()), (RefBase::Record, 0));
    assert_eq!(
        (relation.base_model.as_str(), relation.model.as_str()),
        ("Post", "Post")
    );
    assert_eq!(
        (relation.relation.as_str(), relation.target.as_str()),
        ("tags", "Tag")
    );
    assert_eq!(
        *value,
        Expr::Literal {
            value: Literal::String("123e4567-e89b-12d3-a456-426614174000".into())
        }
    );
    policy("record.comments.includes(user.id)");
    assert_eq!(
        errors("record.tags.includes('bad')"),
        [
            "forge::invalid-literal @21+5 `'bad'`: `bad` is not a uuid (help: write a uuid like '123e4567-e89b-12d3-a456-426614174000')"
        ]
    );
    assert_eq!(
        errors("record.tags.includes(1)"),
        [
            "forge::type-mismatch @21+1 `1`: `record.tags.includes` takes a uuid (the primary key of Tag), found an integer (help: pass the `id` of a Tag row)"
        ]
    );
    assert_eq!(
        errors("record.tags.includes(null)"),
        [
            "forge::type-mismatch @21+4 `null`: `record.tags.includes` takes a uuid (the primary key of Tag), found null (help: pass the `id` of a Tag row)"
        ]
    );
}

#[test]
fn some_and_every_bind_a_variable() {
    let Expr::Quantified {
        quantifier,
        relation,
        var,
        body,
    } = policy("record.comments.some(c => c.approved && c.author.email == user.plan)")
    else {
        panic!()
    };
    assert_eq!((quantifier, var.as_str()), (Quantifier::Some, "c"));
    assert_eq!(
        (relation.relation.as_str(), relation.target.as_str()),
        ("comments", "Comment")
    );
    let Expr::And { exprs } = *body else { panic!() };
    let Expr::Field { field } = &exprs[0] else {
        panic!()
    };
    assert_eq!(
        (&field.base, field.base_model.as_str(), field.field.as_str()),
        (&RefBase::Var { name: "c".into() }, "Comment", "approved")
    );
    let Expr::Compare { left, .. } = &exprs[1] else {
        panic!()
    };
    let Expr::Field { field } = &**left else {
        panic!()
    };
    assert_eq!(
        (field.hops.as_slice(), field.model.as_str()),
        (["author".to_string()].as_slice(), "User")
    );
}

#[test]
fn quantifiers_nest_and_follow_hops() {
    let Expr::Quantified {
        quantifier, body, ..
    } = policy("record.comments.every(c => c.post.comments.some(d => d.body == c.body))")
    else {
        panic!()
    };
    assert_eq!(quantifier, Quantifier::Every);
    let Expr::Quantified { relation, var, .. } = *body else {
        panic!()
    };
    assert_eq!(var, "d");
    assert_eq!(
        (relation.base, relation.base_model.as_str()),
        (RefBase::Var { name: "c".into() }, "Comment")
    );
    assert_eq!(
        (
            relation.hops,
            relation.model.as_str(),
            relation.target.as_str()
        ),
        (vec!["post".to_string()], "Post", "Comment")
    );

    let Expr::Quantified { relation, .. } = policy("record.author.posts.some((p) => p.published)")
    else {
        panic!()
    };
    assert_eq!(
        (
            relation.hops,
            relation.model.as_str(),
            relation.relation.as_str()
        ),
        (vec!["author".to_string()], "User", "posts")
    );
}

#[test]
fn a_variable_must_not_shadow() {
    assert_eq!(
        errors("record.comments.some(record => record.approved)"),
        [
            "forge::shadowed-variable @21+6 `record`: the variable `record` hides `record` (help: choose another name for the variable)"
        ]
    );
    assert_eq!(
        errors("record.comments.some(user => user.approved)"),
        [
            "forge::shadowed-variable @21+4 `user`: the variable `user` hides `user` (help: choose another name for the variable)"
        ]
    );
    assert_eq!(
        errors("record.comments.some(c => c.post.comments.some(c => c.approved))"),
        [
            "forge::shadowed-variable @47+1 `c`: the variable `c` hides the enclosing variable `c` (help: choose another name for the variable)"
        ]
    );
}

#[test]
fn the_body_is_checked_on_the_target() {
    assert_eq!(
        errors("record.comments.some(c => c.nope)"),
        [
            "forge::unknown-field @28+4 `nope`: Comment has no field `nope` (help: Comment has `id`, `tenant_id`, `post_id`, `author_id`, `body`, `approved`, `post`, `author`)"
        ]
    );
    assert_eq!(
        errors("record.comments.some(c => c.body)"),
        [
            "forge::expected-boolean @26+6 `c.body`: expected a boolean, found a string (help: compare it to something, e.g. `x == ...` or `x != null`)"
        ]
    );
}

#[test]
fn wrong_arguments() {
    assert_eq!(
        errors("record.comments.some(1)"),
        [
            "forge::arguments @21+1 `1`: `some` takes a lambda (help: pass a lambda, e.g. `x => x.<field> == ...`)"
        ]
    );
    assert_eq!(
        errors("record.comments.every()"),
        [
            "forge::arguments @0+23 `record.comments.every()`: `every` takes one argument, found 0 (help: pass a lambda, e.g. `x => x.<field> == ...`)"
        ]
    );
    assert_eq!(
        errors("record.comments.includes(c => c.approved)"),
        [
            "forge::arguments @25+15 `c => c.approved`: `includes` takes a value, not a lambda (help: pass a value)"
        ]
    );
    assert_eq!(
        errors("user.roles.includes('a', 'b')"),
        [
            "forge::arguments @0+29 `user.roles.includes('a', 'b')`: `includes` takes one argument, found 2 (help: pass a value)"
        ]
    );
}

#[test]
fn unknown_functions() {
    assert_eq!(
        errors("record.title.startsWith('a')"),
        [format!(
            "forge::unknown-function @13+10 `startsWith`: unknown function `startsWith` (help: {FUNCTIONS})"
        )]
    );
    assert_eq!(
        errors("foo(1)"),
        [format!(
            "forge::unknown-function @0+3 `foo`: unknown function `foo` (help: {FUNCTIONS})"
        )]
    );
    assert_eq!(
        errors("record.title.includes('a')"),
        [format!(
            "forge::unknown-function @13+8 `includes`: `includes` cannot be called on a string (help: {FUNCTIONS})"
        )]
    );
    assert_eq!(
        errors("user.roles.some(r => r == 'a')"),
        [format!(
            "forge::unknown-function @11+4 `some`: `some` cannot be called on a list of strings (help: {FUNCTIONS})"
        )]
    );
    assert_eq!(
        errors("record.author.some(a => true)"),
        [format!(
            "forge::unknown-function @14+4 `some`: `some` cannot be called on a belongs-to relation (help: {FUNCTIONS})"
        )]
    );
    assert_eq!(
        errors("(record.views == 1).includes(2)"),
        [format!(
            "forge::unknown-function @20+8 `includes`: `includes` cannot be called on a boolean (help: {FUNCTIONS})"
        )]
    );
}
