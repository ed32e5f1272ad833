//! A rule's expression in words, for a reader who does not know the expression language:
//! `record.status == 'published' || user.roles.includes('editor')` reads
//! "`status` is `published`, or the user has role `editor`". Nested `and`/`or` are put in
//! parentheses, so the words are as unambiguous as the expression.

use forge_plugin::schemas::{
    CmpOp, Expr, FieldRef, Literal, Quantifier, RefBase, RelationPath, UserAttr, ValueType,
};

use crate::markdown::{code, list};

/// The whole condition of a rule: `always` and `never` for the literals `true` and `false`.
pub fn words(expr: &Expr) -> String {
    match expr {
        Expr::Literal {
            value: Literal::Bool(b),
        } => if *b { "always" } else { "never" }.into(),
        _ => phrase(expr),
    }
}

/// A condition as a clause.
fn phrase(expr: &Expr) -> String {
    match expr {
        Expr::And { exprs } => joined(exprs, "and"),
        Expr::Or { exprs } => joined(exprs, "or"),
        Expr::Not { expr } => negated(expr),
        Expr::Compare { cmp, left, right } => compare(*cmp, left, right),
        Expr::In { value, list: items } => {
            let items: Vec<String> = items.iter().map(operand).collect();
            format!("{} is {}", operand(value), list(&items, "or"))
        }
        Expr::ListIncludes { list, value } => includes(list, value),
        Expr::RelationIncludes { relation, value } => {
            format!("{} include {}", path(relation), operand(value))
        }
        Expr::Quantified {
            quantifier,
            relation,
            var,
            body,
        } => {
            let (var, rows, body) = (code(var), path(relation), nested(body));
            match quantifier {
                Quantifier::Some => format!("there is a {var} in {rows} such that {body}"),
                Quantifier::Every => {
                    format!("for every {var} in {rows}, {body} (true when there is none)")
                }
            }
        }
        Expr::Literal { .. } | Expr::Field { .. } | Expr::User { .. } => {
            format!("{} is true", operand(expr))
        }
    }
}

/// Clauses joined by `and` or `or`, with compound clauses in parentheses.
fn joined(exprs: &[Expr], word: &str) -> String {
    let parts: Vec<String> = exprs.iter().map(nested).collect();
    parts.join(&format!(", {word} "))
}

/// A clause inside another: in parentheses when it is itself an `and` or an `or`.
fn nested(expr: &Expr) -> String {
    match expr {
        Expr::And { .. } | Expr::Or { .. } => format!("({})", phrase(expr)),
        _ => phrase(expr),
    }
}

fn negated(expr: &Expr) -> String {
    match expr {
        Expr::Quantified {
            quantifier: Quantifier::Some,
            relation,
            var,
            body,
        } => format!(
            "there is no {} in {} such that {}",
            code(var),
            path(relation),
            nested(body)
        ),
        Expr::ListIncludes { list, value } => match role_or_claim(list) {
            Some(kind) => format!("the user does not have {kind} {}", operand(value)),
            None => format!("{} do not include {}", operand(list), operand(value)),
        },
        // Only a test for a missing value flips safely: `!(a == b)` holds when `b` is missing,
        // and `a != b` does not.
        Expr::Compare { cmp, left, right }
            if matches!(cmp, CmpOp::Eq | CmpOp::Ne) && (is_null(left) || is_null(right)) =>
        {
            let flipped = if *cmp == CmpOp::Eq {
                CmpOp::Ne
            } else {
                CmpOp::Eq
            };
            compare(flipped, left, right)
        }
        _ => format!("not ({})", phrase(expr)),
    }
}

fn compare(cmp: CmpOp, left: &Expr, right: &Expr) -> String {
    if is_null(left) || is_null(right) {
        let subject = if is_null(right) { left } else { right };
        let state = if cmp == CmpOp::Eq { "missing" } else { "set" };
        return format!("{} is {state}", operand(subject));
    }
    let kind = value_type(left).or_else(|| value_type(right));
    let verb = match (cmp, kind) {
        (CmpOp::Eq, _) => "is",
        (CmpOp::Ne, _) => "is not",
        (CmpOp::Lt, Some(ValueType::Date | ValueType::Datetime)) => "is before",
        (CmpOp::Le, Some(ValueType::Date | ValueType::Datetime)) => "is on or before",
        (CmpOp::Gt, Some(ValueType::Date | ValueType::Datetime)) => "is after",
        (CmpOp::Ge, Some(ValueType::Date | ValueType::Datetime)) => "is on or after",
        (CmpOp::Lt, Some(ValueType::Enum { .. })) => "comes before",
        (CmpOp::Le, Some(ValueType::Enum { .. })) => "is or comes before",
        (CmpOp::Gt, Some(ValueType::Enum { .. })) => "comes after",
        (CmpOp::Ge, Some(ValueType::Enum { .. })) => "is or comes after",
        (CmpOp::Lt, _) => "is less than",
        (CmpOp::Le, _) => "is at most",
        (CmpOp::Gt, _) => "is greater than",
        (CmpOp::Ge, _) => "is at least",
    };
    format!("{} {verb} {}", operand(left), operand(right))
}

fn is_null(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Literal {
            value: Literal::Null
        }
    )
}

fn includes(list: &Expr, value: &Expr) -> String {
    match role_or_claim(list) {
        Some(kind) => format!("the user has {kind} {}", operand(value)),
        None => format!("{} include {}", operand(list), operand(value)),
    }
}

/// `role` for `user.roles`, `claim` for `user.claims`.
fn role_or_claim(list: &Expr) -> Option<&'static str> {
    match list {
        Expr::User {
            attr: UserAttr::Roles,
            ..
        } => Some("role"),
        Expr::User {
            attr: UserAttr::Claims,
            ..
        } => Some("claim"),
        _ => None,
    }
}

/// The type of a value, when it is a column or a `user.*` reference.
fn value_type(expr: &Expr) -> Option<&ValueType> {
    match expr {
        Expr::Field { field } => Some(&field.ty),
        Expr::User { ty, .. } => Some(ty),
        _ => None,
    }
}

/// A value: a literal, a column, or a `user.*` reference.
fn operand(expr: &Expr) -> String {
    match expr {
        Expr::Literal { value } => match value {
            Literal::Null => "missing".into(),
            Literal::Bool(b) => code(&b.to_string()),
            Literal::Number(n) | Literal::String(n) => code(n),
        },
        Expr::Field { field } => column(field),
        Expr::User { attr, .. } => match attr {
            UserAttr::Id => "the user's id".into(),
            UserAttr::TenantId => "the user's tenant".into(),
            UserAttr::Roles => "the user's roles".into(),
            UserAttr::Claims => "the user's claims".into(),
            UserAttr::Attribute { name } => format!("the user's {}", code(name)),
        },
        _ => format!("({})", phrase(expr)),
    }
}

/// `status`, `post.status` (through belongs-to hops), `c.status` (inside a quantifier).
fn column(field: &FieldRef) -> String {
    code(&dotted(&field.base, &field.hops, &field.field))
}

/// `comments`, `author.posts`, `c.replies`.
fn path(relation: &RelationPath) -> String {
    code(&dotted(&relation.base, &relation.hops, &relation.relation))
}

fn dotted(base: &RefBase, hops: &[String], last: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if let RefBase::Var { name } = base {
        parts.push(name);
    }
    parts.extend(hops.iter().map(String::as_str));
    parts.push(last);
    parts.join(".")
}

#[cfg(test)]
mod tests {
    use forge_plugin::json;

    use super::*;

    fn expr(value: forge_plugin::Value) -> Expr {
        serde_json::from_value(value).unwrap()
    }

    fn field(name: &str, kind: &str) -> forge_plugin::Value {
        json!({"op": "field", "field": {"base": {"kind": "record"}, "base_model": "Post",
            "hops": [], "model": "Post", "field": name, "type": {"kind": kind}, "optional": true}})
    }

    fn text(value: &str) -> forge_plugin::Value {
        json!({"op": "literal", "value": {"type": "string", "value": value}})
    }

    fn role(name: &str) -> forge_plugin::Value {
        json!({"op": "list_includes", "list": {"op": "user", "attr": {"kind": "roles"},
            "type": {"kind": "string_list"}}, "value": text(name)})
    }

    #[test]
    fn literals_alone_read_always_or_never() {
        let t = expr(json!({"op": "literal", "value": {"type": "bool", "value": true}}));
        assert_eq!(words(&t), "always");
    }

    #[test]
    fn nested_and_or_get_parentheses() {
        let e = expr(json!({"op": "and", "exprs": [
            {"op": "or", "exprs": [role("editor"), role("admin")]},
            {"op": "compare", "cmp": "ne", "left": field("status", "string"), "right": text("published")}
        ]}));
        assert_eq!(
            words(&e),
            "(the user has role `editor`, or the user has role `admin`), and `status` is not `published`"
        );
    }

    #[test]
    fn null_tests_read_missing_and_set_and_dates_read_before_and_after() {
        let missing = expr(missing_json());
        assert_eq!(words(&missing), "`published_at` is missing");
        let not_missing = expr(json!({"op": "not", "expr": missing_json()}));
        assert_eq!(words(&not_missing), "`published_at` is set");
        let not_mine = expr(json!({"op": "not", "expr": {"op": "compare", "cmp": "eq",
            "left": field("owner_id", "uuid"),
            "right": {"op": "user", "attr": {"kind": "id"}, "type": {"kind": "uuid"}}}}));
        assert_eq!(words(&not_mine), "not (`owner_id` is the user's id)");
        let after = expr(json!({"op": "compare", "cmp": "gt",
            "left": field("renews_on", "date"), "right": field("started_on", "date")}));
        assert_eq!(words(&after), "`renews_on` is after `started_on`");
    }

    fn missing_json() -> forge_plugin::Value {
        json!({"op": "compare", "cmp": "eq", "left": field("published_at", "datetime"),
            "right": {"op": "literal", "value": {"type": "null"}}})
    }

    #[test]
    fn quantifiers_name_their_variable_and_relation() {
        let relation = json!({"base": {"kind": "record"}, "base_model": "Tag", "hops": [],
            "model": "Tag", "relation": "posts", "target": "Post"});
        let body = json!({"op": "compare", "cmp": "eq", "left": {"op": "field", "field": {
            "base": {"kind": "var", "name": "p"}, "base_model": "Post", "hops": [],
            "model": "Post", "field": "status", "type": {"kind": "enum", "name": "PostStatus"},
            "optional": false}}, "right": text("published")});
        let none = expr(
            json!({"op": "not", "expr": {"op": "quantified", "quantifier": "some",
            "relation": relation, "var": "p", "body": body}}),
        );
        assert_eq!(
            words(&none),
            "there is no `p` in `posts` such that `p.status` is `published`"
        );
        let every = expr(json!({"op": "quantified", "quantifier": "every",
            "relation": relation, "var": "p", "body": body}));
        assert_eq!(
            words(&every),
            "for every `p` in `posts`, `p.status` is `published` (true when there is none)"
        );
    }
}
