//! `Context::Check` (checks and index conditions): the record's own columns only.

use forge_expr::{Context, check, parse};
use forge_schemas::{Expr, RefBase};

use crate::fixture::{errors_in, ir, run};

fn check_errors(src: &str) -> Vec<String> {
    errors_in(src, Context::Check)
}

#[test]
fn bare_and_record_columns_are_the_same() {
    let bare = run("ends_at > created_at", Context::Check).unwrap();
    let written = run("record.ends_at > record.created_at", Context::Check).unwrap();
    assert_eq!(bare, written);
    let Expr::Compare { left, .. } = bare else {
        panic!()
    };
    let Expr::Field { field } = *left else {
        panic!()
    };
    assert_eq!(
        (field.base, field.field.as_str()),
        (RefBase::Record, "ends_at")
    );
    run(
        "author_id != null && views >= 0 && status in ['draft', 'review']",
        Context::Check,
    )
    .unwrap();
}

#[test]
fn a_bare_unknown_name_is_an_unknown_field() {
    assert_eq!(
        check_errors("record.ends_at > created_at && foo"),
        [
            "forge::unknown-field @31+3 `foo`: Post has no field `foo` (help: Post has `id`, `tenant_id`, `author_id`, `title`, `body`, `status`, `published`, `views`, `big`, `price`, `rating`, `published_on`, `created_at`, `ends_at`, `data`, `blob`)"
        ]
    );
    assert_eq!(
        check_errors("viewz > 0"),
        [
            "forge::unknown-field @0+5 `viewz`: Post has no field `viewz` (help: did you mean `views`?)"
        ]
    );
}

#[test]
fn no_user() {
    assert_eq!(
        check_errors("user.id == record.id"),
        [
            "forge::check-context @0+4 `user`: `user` is not available in a check or index condition (help: checks and index conditions see the row alone; write rules about the user as policies)"
        ]
    );
}

#[test]
fn a_column_named_user_is_a_column() {
    let mut ir = ir();
    let post = ir.models.iter_mut().find(|m| m.name == "Post").unwrap();
    let mut column = post.fields[3].clone();
    column.name = "user".into();
    post.fields.push(column);
    let expr = check(&parse("user != ''").unwrap(), &ir, "Post", Context::Check).unwrap();
    let Expr::Compare { left, .. } = expr else {
        panic!()
    };
    assert!(matches!(*left, Expr::Field { ref field } if field.field == "user"));
}

#[test]
fn no_hops() {
    assert_eq!(
        check_errors("record.author.email == 'x'"),
        [
            "forge::check-context @7+6 `author`: `author` is a relation; a check or index condition can only use the record's own columns (help: use its key column, `author_id`)"
        ]
    );
    assert_eq!(
        check_errors("author == null"),
        [
            "forge::check-context @0+6 `author`: `author` is a relation; a check or index condition can only use the record's own columns (help: use its key column, `author_id`)"
        ]
    );
}

#[test]
fn no_quantifiers_or_relation_includes() {
    let help = "checks and index conditions see the row alone; look at related rows in a policy";
    assert_eq!(
        check_errors("record.comments.some(c => c.approved)"),
        [format!(
            "forge::check-context @7+8 `comments`: `comments` is a relation; a check or index condition can only use the record's own columns (help: {help})"
        )]
    );
    assert_eq!(
        check_errors("tags.includes(id)"),
        [format!(
            "forge::check-context @0+4 `tags`: `tags` is a relation; a check or index condition can only use the record's own columns (help: {help})"
        )]
    );
}
