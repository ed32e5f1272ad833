//! Comparisons and `in`: which types meet, and string literals standing for other types.

use forge_schemas::{CmpOp, Expr, Literal};

use crate::fixture::{errors, policy};

const SAME_TYPE: &str = "compare values of the same type; a string literal can stand for a uuid, an enum member, a date or a datetime";

/// The literal on the right of `src`, a comparison.
fn right_literal(src: &str) -> Literal {
    match policy(src) {
        Expr::Compare { right, .. } => match *right {
            Expr::Literal { value } => value,
            other => panic!("not a literal: {other:?}"),
        },
        other => panic!("not a comparison: {other:?}"),
    }
}

#[test]
fn every_operator_maps_to_its_cmp() {
    for (src, cmp) in [
        ("record.views == 1", CmpOp::Eq),
        ("record.views === 1", CmpOp::Eq),
        ("record.views != 1", CmpOp::Ne),
        ("record.views !== 1", CmpOp::Ne),
        ("record.views < 1", CmpOp::Lt),
        ("record.views <= 1", CmpOp::Le),
        ("record.views > 1", CmpOp::Gt),
        ("record.views >= 1", CmpOp::Ge),
    ] {
        let Expr::Compare { cmp: found, .. } = policy(src) else {
            panic!("{src}")
        };
        assert_eq!(found, cmp, "{src}");
    }
}

#[test]
fn numbers_meet_across_numeric_types() {
    for src in [
        "record.views == 1.5",
        "record.views < record.price",
        "record.big >= record.rating",
        "record.price > -1.50",
        "record.rating != record.views",
    ] {
        policy(src);
    }
    assert_eq!(
        right_literal("record.price > -001.50"),
        Literal::Number("-1.5".into())
    );
}

#[test]
fn same_types_meet() {
    for src in [
        "record.title == user.plan",
        "record.title < 'm'",
        "record.id == user.id",
        "record.id < record.author_id",
        "record.created_at < record.ends_at",
        "record.published == true",
        "record.published == (record.views > 1)",
        "record.status == record.status",
    ] {
        policy(src);
    }
}

#[test]
fn null_meets_anything_for_equality() {
    for src in [
        "record.body == null",
        "record.data == null",
        "record.blob != null",
        "null == record.views",
    ] {
        policy(src);
    }
}

#[test]
fn different_types_do_not_meet() {
    assert_eq!(
        errors("record.title == 1"),
        [format!(
            "forge::type-mismatch @0+17 `record.title == 1`: `==` cannot compare a string with an integer (help: {SAME_TYPE})"
        )]
    );
    assert_eq!(
        errors("record.title == record.id"),
        [format!(
            "forge::type-mismatch @0+25 `record.title == record.id`: `==` cannot compare a string with a uuid (help: {SAME_TYPE})"
        )]
    );
    assert_eq!(
        errors("record.published != 'yes'"),
        [format!(
            "forge::type-mismatch @0+25 `record.published != 'yes'`: `!=` cannot compare a boolean with a string (help: {SAME_TYPE})"
        )]
    );
}

#[test]
fn booleans_null_json_and_bytes_are_not_ordered() {
    assert_eq!(
        errors("record.published < true"),
        [
            "forge::type-mismatch @0+23 `record.published < true`: `<` cannot compare a boolean with a boolean (help: booleans can only be compared with `==` and `!=`)"
        ]
    );
    assert_eq!(
        errors("record.body >= null"),
        [
            "forge::type-mismatch @0+19 `record.body >= null`: `>=` cannot compare a string with null (help: test for a missing value with `== null` or `!= null`)"
        ]
    );
    assert_eq!(
        errors("record.blob > null"),
        [
            "forge::type-mismatch @0+18 `record.blob > null`: `>` cannot compare bytes with null (help: test for a missing value with `== null` or `!= null`)"
        ]
    );
}

#[test]
fn json_and_bytes_only_meet_null() {
    assert_eq!(
        errors("record.data == record.data"),
        [
            "forge::type-mismatch @0+26 `record.data == record.data`: `==` cannot compare a json value with a json value (help: json and bytes values can only be compared with `null`)"
        ]
    );
    assert_eq!(
        errors("record.blob == 'x'"),
        [
            "forge::type-mismatch @0+18 `record.blob == 'x'`: `==` cannot compare bytes with a string (help: json and bytes values can only be compared with `null`)"
        ]
    );
}

#[test]
fn a_string_literal_stands_for_a_uuid_in_lowercase() {
    assert_eq!(
        right_literal("record.id == '123E4567-E89B-12D3-A456-426614174000'"),
        Literal::String("123e4567-e89b-12d3-a456-426614174000".into())
    );
    assert_eq!(
        errors("record.id == 'abc'"),
        [
            "forge::invalid-literal @13+5 `'abc'`: `abc` is not a uuid (help: write a uuid like '123e4567-e89b-12d3-a456-426614174000')"
        ]
    );
    assert_eq!(
        errors("'abc' != user.id"),
        [
            "forge::invalid-literal @0+5 `'abc'`: `abc` is not a uuid (help: write a uuid like '123e4567-e89b-12d3-a456-426614174000')"
        ]
    );
}

#[test]
fn a_string_literal_stands_for_an_enum_member() {
    assert_eq!(
        right_literal("record.status == 'draft'"),
        Literal::String("draft".into())
    );
    policy("record.status < 'review'");
    assert_eq!(
        errors("record.status == 'drafts'"),
        [
            "forge::invalid-literal @17+8 `'drafts'`: `drafts` is not a member of PostStatus (help: did you mean `draft`? the members of PostStatus are draft, review, published)"
        ]
    );
    assert_eq!(
        errors("record.status == 'x'"),
        [
            "forge::invalid-literal @17+3 `'x'`: `x` is not a member of PostStatus (help: the members of PostStatus are draft, review, published)"
        ]
    );
}

#[test]
fn a_string_literal_stands_for_a_date_or_datetime() {
    policy("record.published_on >= '2024-02-29'");
    policy("record.created_at > '2024-01-31T09:30:00.5+01:00'");
    assert_eq!(
        errors("record.published_on == '2024-02-30'"),
        [
            "forge::invalid-literal @23+12 `'2024-02-30'`: `2024-02-30` is not a date (help: write a date as 'YYYY-MM-DD', e.g. '2024-01-31')"
        ]
    );
    assert_eq!(
        errors("record.created_at > '2024-01-31'"),
        [
            "forge::invalid-literal @20+12 `'2024-01-31'`: `2024-01-31` is not an RFC 3339 datetime (help: write a datetime with a time zone, e.g. '2024-01-31T09:30:00Z')"
        ]
    );
}

#[test]
fn date_and_datetime_literals_become_canonical_text() {
    assert_eq!(
        right_literal("record.created_at > '2024-03-01 01:30:00.5+02:00'"),
        Literal::String("2024-02-29T23:30:00.500Z".into())
    );
    assert_eq!(
        right_literal("record.created_at <= '2024-01-31t09:30:00.123456z'"),
        Literal::String("2024-01-31T09:30:00.123Z".into())
    );
    assert_eq!(
        right_literal("record.published_on == '2024-02-29'"),
        Literal::String("2024-02-29".into())
    );
    // On the left, in a list, and against a datetime on the right.
    let Expr::Compare { left, .. } = policy("'2024-01-01T00:00:00-01:00' < record.ends_at") else {
        panic!()
    };
    assert_eq!(
        *left,
        Expr::Literal {
            value: Literal::String("2024-01-01T01:00:00.000Z".into())
        }
    );
    let Expr::In { list, .. } = policy("record.created_at in ['2024-01-31T23:00:00-02:00']") else {
        panic!()
    };
    assert_eq!(
        list,
        [Expr::Literal {
            value: Literal::String("2024-02-01T01:00:00.000Z".into())
        }]
    );
    assert_eq!(
        errors("record.created_at > '2024-01-31T25:00:00Z'"),
        [
            "forge::invalid-literal @20+22 `'2024-01-31T25:00:00Z'`: `2024-01-31T25:00:00Z` is not an RFC 3339 datetime (help: write a datetime with a time zone, e.g. '2024-01-31T09:30:00Z')"
        ]
    );
}

#[test]
fn in_a_list() {
    let Expr::In { value, list } = policy("record.status in ['draft', 'review']") else {
        panic!()
    };
    assert!(matches!(*value, Expr::Field { .. }));
    assert_eq!(list.len(), 2);
    policy("record.views in [1, 2.5, record.big]");
    policy("'draft' in [record.status]");
}

#[test]
fn in_reports_every_bad_item() {
    assert_eq!(
        errors("record.views in [1, 'a', null, true]"),
        [
            format!("forge::type-mismatch @20+3 `'a'`: `in` cannot compare an integer with a string (help: {SAME_TYPE})"),
            "forge::type-mismatch @25+4 `null`: `null` in a list never matches (help: test for a missing value with `x == null`)".into(),
            format!("forge::type-mismatch @31+4 `true`: `in` cannot compare an integer with a boolean (help: {SAME_TYPE})"),
        ]
    );
    assert_eq!(
        errors("record.status in ['draft', 'nope']"),
        [
            "forge::invalid-literal @27+6 `'nope'`: `nope` is not a member of PostStatus (help: the members of PostStatus are draft, review, published)"
        ]
    );
    assert_eq!(
        errors("null in [1]"),
        [
            "forge::type-mismatch @0+4 `null`: `null` is never in a list (help: test for a missing value with `x == null`)"
        ]
    );
    assert_eq!(
        errors("user.roles in ['admin']"),
        [
            "forge::type-mismatch @15+7 `'admin'`: `in` cannot compare a list of strings with a string (help: test for one item with `.includes('...')`)"
        ]
    );
}
