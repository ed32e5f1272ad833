//! `record.<field>`, belongs-to hops, lambda variables, and names that are not values.

use forge_schemas::{Expr, FieldRef, RefBase, ValueType};

use crate::fixture::{errors, policy};

/// The field reference on the left of `src`, a comparison.
fn left_field(src: &str) -> FieldRef {
    match policy(src) {
        Expr::Compare { left, .. } => match *left {
            Expr::Field { field } => field,
            other => panic!("not a field: {other:?}"),
        },
        other => panic!("not a comparison: {other:?}"),
    }
}

#[test]
fn a_column_of_the_record() {
    assert_eq!(
        left_field("record.views > 1"),
        FieldRef {
            base: RefBase::Record,
            base_model: "Post".into(),
            hops: vec![],
            model: "Post".into(),
            field: "views".into(),
            ty: ValueType::Integer,
            optional: false,
        }
    );
}

#[test]
fn a_belongs_to_key_column_is_a_plain_field() {
    let field = left_field("record.author_id == user.id");
    assert_eq!(
        (field.field.as_str(), field.ty, field.hops.len()),
        ("author_id", ValueType::Uuid, 0)
    );
}

#[test]
fn an_optional_column_is_optional() {
    assert!(left_field("record.body == null").optional);
}

#[test]
fn hops_name_each_relation_and_an_optional_hop_makes_the_field_optional() {
    let field = left_field("record.author.email == 'a'");
    assert_eq!(
        (field.hops, field.model, field.optional),
        (vec!["author".to_string()], "User".to_string(), false)
    );
    let field = left_field("record.author.manager.email == 'a'");
    assert_eq!(field.hops, ["author", "manager"]);
    assert_eq!(
        (field.model.as_str(), field.ty, field.optional),
        ("User", ValueType::String, true)
    );
}

#[test]
fn four_hops_are_allowed() {
    let field = left_field("record.author.manager.manager.manager.email == 'a'");
    assert_eq!(field.hops, ["author", "manager", "manager", "manager"]);
}

#[test]
fn five_hops_are_too_many() {
    assert_eq!(
        errors("record.author.manager.manager.manager.manager.email == 'a'"),
        [
            "forge::too-many-hops @38+7 `manager`: `record.author.manager.manager.manager.manager` follows more than 4 belongs-to relations (help: a rule may follow at most 4 belongs-to relations from `record` or a variable)"
        ]
    );
}

#[test]
fn unknown_field_suggests_close_names() {
    assert_eq!(
        errors("record.titel == 'x'"),
        [
            "forge::unknown-field @7+5 `titel`: Post has no field `titel` (help: did you mean `title`?)"
        ]
    );
    assert_eq!(
        errors("record.author.emial == 'x'"),
        [
            "forge::unknown-field @14+5 `emial`: User has no field `emial` (help: did you mean `email`?)"
        ]
    );
}

#[test]
fn unknown_field_without_a_close_name_lists_the_fields() {
    assert_eq!(
        errors("record.zzz == 'x'"),
        [
            "forge::unknown-field @7+3 `zzz`: Post has no field `zzz` (help: Post has `id`, `tenant_id`, `author_id`, `title`, `body`, `status`, `published`, `views`, `big`, `price`, `rating`, `published_on`, `created_at`, `ends_at`, `data`, `blob`, `author`, `comments`, `tags`)"
        ]
    );
}

#[test]
fn fields_of_values_do_not_exist() {
    assert_eq!(
        errors("record.title.foo == 1"),
        [
            "forge::unknown-field @13+3 `foo`: `title` is a string; it has no field `foo` (help: only rows have fields)"
        ]
    );
    assert_eq!(
        errors("record.data.foo == 1"),
        [
            "forge::unknown-field @12+3 `foo`: `data` is a json value; it has no field `foo` (help: expressions cannot read inside json values)"
        ]
    );
    assert_eq!(
        errors("'abc'.length == 1"),
        [
            "forge::unknown-field @6+6 `length`: `length` cannot be read from a string (help: only rows have fields)"
        ]
    );
}

#[test]
fn unknown_identifier() {
    assert_eq!(
        errors("foo == 1"),
        [
            "forge::unknown-identifier @0+3 `foo`: unknown identifier `foo` (help: write record.<field> or user.<attribute>)"
        ]
    );
    assert_eq!(
        errors("recrod.title == 'a'"),
        [
            "forge::unknown-identifier @0+6 `recrod`: unknown identifier `recrod` (help: did you mean `record`?)"
        ]
    );
}

#[test]
fn a_bare_column_in_a_policy_suggests_record() {
    assert_eq!(
        errors("title == 'x'"),
        [
            "forge::unknown-identifier @0+5 `title`: unknown identifier `title` (help: write `record.title`)"
        ]
    );
}

#[test]
fn a_lambda_variable_is_only_in_scope_inside_its_lambda() {
    assert_eq!(
        errors("record.comments.some(c => c.approved) && c.approved"),
        [
            "forge::unknown-identifier @41+1 `c`: unknown identifier `c` (help: write record.<field> or user.<attribute>)"
        ]
    );
}

#[test]
fn a_belongs_to_relation_is_not_a_value() {
    assert_eq!(
        errors("record.author == user.id"),
        [
            "forge::not-a-value @0+13 `record.author`: `record.author` is a belongs-to relation, not a value (help: compare its key, `record.author_id`, or one of its fields, `record.author.<field>`)"
        ]
    );
    assert_eq!(
        errors("record.author.manager == null"),
        [
            "forge::not-a-value @0+21 `record.author.manager`: `record.author.manager` is a belongs-to relation, not a value (help: compare its key, `record.author.manager_id`, or one of its fields, `record.author.manager.<field>`)"
        ]
    );
}

#[test]
fn a_to_many_relation_is_not_a_value() {
    let help = "write `record.comments.some(x => ...)`, `record.comments.every(x => ...)` or `record.comments.includes(<id>)`";
    assert_eq!(
        errors("record.comments == null"),
        [format!(
            "forge::not-a-value @0+15 `record.comments`: `record.comments` is a to-many relation, not a value (help: {help})"
        )]
    );
    assert_eq!(
        errors("record.comments.body == 'x'"),
        [format!(
            "forge::not-a-value @0+15 `record.comments`: `record.comments` is a to-many relation, not a value (help: {help})"
        )]
    );
}

#[test]
fn record_user_and_variables_are_not_values() {
    assert_eq!(
        errors("record == null"),
        [
            "forge::not-a-value @0+6 `record`: `record` is a row, not a value (help: use one of its fields: `record.<field>`)"
        ]
    );
    assert_eq!(
        errors("record.comments.some(c => c == null)"),
        [
            "forge::not-a-value @26+1 `c`: `c` is a row, not a value (help: use one of its fields: `c.<field>`)"
        ]
    );
    assert_eq!(
        errors("user == null"),
        [
            "forge::not-a-value @0+4 `user`: `user` is the identity, not a value (help: use one of its attributes: `user.id`, `user.tenant_id`, `user.roles`, `user.claims` or a declared one)"
        ]
    );
}

/// Found by fuzzing: the checker recursed once per link of a member, call or comparison chain, and
/// a chain of a few hundred links overflowed a worker thread's stack. The parser now bounds chains
/// like parentheses; the deepest trees it accepts check on a worker thread's default stack (2 MiB).
#[test]
fn the_deepest_chains_the_parser_accepts_check_on_a_worker_stack() {
    let deepest = [
        format!("record{}.id == user.id", ".author.manager".repeat(30)),
        format!("record.views{}", " == 1".repeat(62)),
        format!("{}record.published{}", "(".repeat(62), ")".repeat(62)),
        format!("user.roles{}", ".includes('a')".repeat(30)),
    ];
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            for src in deepest {
                assert!(forge_expr::parse(&src).is_ok(), "{src}");
                let _ = crate::fixture::run(&src, forge_expr::Context::Policy);
            }
            let too_long = format!("record.views{}", " == 1".repeat(1000));
            let errors = crate::fixture::run(&too_long, forge_expr::Context::Policy).unwrap_err();
            assert_eq!(errors[0].message, "the expression nests too deeply");
        })
        .unwrap()
        .join()
        .unwrap();
}
