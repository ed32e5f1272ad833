//! `&&`, `||`, `!`: flattening, booleans where booleans are needed, and reporting every error.

use forge_expr::{Context, check, codes, parse};
use forge_schemas::Expr;

use crate::fixture::{errors, ir, policy};

const COMPARE: &str = "compare it to something, e.g. `x == ...` or `x != null`";

#[test]
fn and_and_or_chains_are_flattened() {
    let Expr::And { exprs } =
        policy("record.published && (record.views > 1 && record.big < 2) && !record.published")
    else {
        panic!()
    };
    assert_eq!(exprs.len(), 4);
    assert!(matches!(exprs[3], Expr::Not { .. }));
    let Expr::Or { exprs } = policy(
        "record.published || record.author_id == user.id || (record.views > 1 && record.published)",
    ) else {
        panic!()
    };
    assert_eq!(exprs.len(), 3);
    assert!(matches!(exprs[2], Expr::And { .. }));
}

#[test]
fn literals_and_boolean_fields_are_conditions() {
    assert_eq!(
        policy("true"),
        Expr::Literal {
            value: forge_schemas::Literal::Bool(true)
        }
    );
    assert!(matches!(policy("record.published"), Expr::Field { .. }));
}

#[test]
fn a_condition_must_be_a_boolean() {
    assert_eq!(
        errors("record.views"),
        [format!(
            "forge::expected-boolean @0+12 `record.views`: expected a boolean, found an integer (help: {COMPARE})"
        )]
    );
    assert_eq!(
        errors("null"),
        [
            "forge::expected-boolean @0+4 `null`: expected a boolean, found null (help: `null` is never true; test for a missing value with `x == null`)"
        ]
    );
    assert_eq!(
        errors("'yes'"),
        [format!(
            "forge::expected-boolean @0+5 `'yes'`: expected a boolean, found a string (help: {COMPARE})"
        )]
    );
}

#[test]
fn operands_of_logic_must_be_booleans() {
    assert_eq!(
        errors("record.author_id == user.id && 1 || !record.title"),
        [
            format!(
                "forge::expected-boolean @31+1 `1`: expected a boolean, found an integer (help: {COMPARE})"
            ),
            format!(
                "forge::expected-boolean @37+12 `record.title`: expected a boolean, found a string (help: {COMPARE})"
            ),
        ]
    );
}

#[test]
fn every_error_is_reported() {
    assert_eq!(
        errors("record.titel == 1 && user.zzz == 2 || foo || record.views == 'a'"),
        [
            "forge::unknown-field @7+5 `titel`: Post has no field `titel` (help: did you mean `title`?)".to_string(),
            "forge::undeclared-identity-attribute @26+3 `zzz`: the identity has no attribute `zzz` (help: declare it in the identity block: `identity { zzz string }`)".into(),
            "forge::unknown-identifier @38+3 `foo`: unknown identifier `foo` (help: write record.<field> or user.<attribute>)".into(),
            "forge::type-mismatch @45+19 `record.views == 'a'`: `==` cannot compare an integer with a string (help: compare values of the same type; a string literal can stand for a uuid, an enum member, a date or a datetime)".into(),
        ]
    );
}

#[test]
fn an_error_has_a_label() {
    let errors = check(
        &parse("record.titel == 1").unwrap(),
        &ir(),
        "Post",
        Context::Policy,
    )
    .unwrap_err();
    assert_eq!(errors.len(), 1);
    let error = &errors[0];
    assert_eq!(
        (error.code, error.span, error.label.as_str()),
        (codes::UNKNOWN_FIELD, (7, 5), "unknown field")
    );
    assert_eq!(
        error.to_string(),
        "forge::unknown-field: Post has no field `titel`"
    );
}

#[test]
fn an_unknown_model() {
    let errors = check(&parse("true").unwrap(), &ir(), "Nope", Context::Policy).unwrap_err();
    assert_eq!(
        (errors[0].code, errors[0].message.as_str()),
        (codes::UNKNOWN_MODEL, "unknown model `Nope`")
    );
}
