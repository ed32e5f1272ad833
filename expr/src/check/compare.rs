//! Comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`) and `in [..]`: which types meet, and string
//! literals that stand for a uuid, an enum member, a date or a datetime.

use forge_schemas::{CmpOp, Expr, Literal, ValueType};

use super::types::{describe, is_numeric, is_ordered};
use super::{Checker, Typed};
use crate::codes;
use crate::error::ExprError;
use crate::literal::{canonical_date, canonical_datetime, canonical_uuid};
use crate::suggest::{close_names, did_you_mean};
use crate::syntax::{BinaryOp, Span, SyntaxExpr};

/// True when values of types `a` and `b` can be compared: for equality when `ordering` is false,
/// with `<` and friends when it is true. String literals are handled before, by
/// [`Checker::literal_for`].
pub(crate) fn types_match(a: &ValueType, b: &ValueType, ordering: bool) -> bool {
    if ordering {
        return (is_numeric(a) && is_numeric(b)) || (a == b && is_ordered(a));
    }
    let only_null = |t: &ValueType| matches!(t, ValueType::Json | ValueType::Bytes);
    match (a, b) {
        (ValueType::StringList, _) | (_, ValueType::StringList) => false,
        (ValueType::Null, _) | (_, ValueType::Null) => true,
        _ if only_null(a) || only_null(b) => false,
        _ => (is_numeric(a) && is_numeric(b)) || a == b,
    }
}

/// Whether two operands can be compared.
pub(crate) enum Meet {
    Yes,
    /// Their types do not meet (not reported yet).
    No,
    /// A string literal is not a valid value of the other side's type (already reported).
    Invalid,
}

fn cmp_op(op: BinaryOp) -> CmpOp {
    match op {
        BinaryOp::Eq => CmpOp::Eq,
        BinaryOp::Ne => CmpOp::Ne,
        BinaryOp::Lt => CmpOp::Lt,
        BinaryOp::Le => CmpOp::Le,
        BinaryOp::Gt => CmpOp::Gt,
        BinaryOp::Ge => CmpOp::Ge,
        BinaryOp::And | BinaryOp::Or => unreachable!("`&&` and `||` are not comparisons"),
    }
}

impl Checker<'_> {
    /// `left op right`.
    pub(super) fn compare(
        &mut self,
        op: BinaryOp,
        left: &SyntaxExpr,
        right: &SyntaxExpr,
        span: Span,
    ) -> Option<Expr> {
        let cmp = cmp_op(op);
        let left = self.value(left);
        let right = self.value(right);
        let (mut left, mut right) = (left?, right?);
        let ordering = !matches!(cmp, CmpOp::Eq | CmpOp::Ne);
        match self.comparable(&mut left, &mut right, ordering) {
            Meet::Yes => {}
            Meet::No => {
                self.mismatch(cmp.symbol(), &left.ty, &right.ty, ordering, span);
                return None;
            }
            Meet::Invalid => return None,
        }
        Some(Expr::Compare {
            cmp,
            left: Box::new(left.expr),
            right: Box::new(right.expr),
        })
    }

    /// `value in [list]`: every item must be comparable with `value` for equality.
    pub(super) fn in_list(&mut self, value: &SyntaxExpr, list: &[SyntaxExpr]) -> Option<Expr> {
        let value = self.value(value);
        let items: Vec<Option<Typed>> = list.iter().map(|item| self.value(item)).collect();
        let mut value = value?;
        let value_ok = value.ty != ValueType::Null;
        if !value_ok {
            self.error(null_in_list("`null` is never in a list", value.span));
        }
        let mut ok = value_ok;
        let mut exprs = Vec::new();
        for item in items {
            let Some(mut item) = item else {
                ok = false;
                continue;
            };
            if item.ty == ValueType::Null {
                self.error(null_in_list("`null` in a list never matches", item.span));
                ok = false;
            } else if value_ok {
                match self.comparable(&mut value, &mut item, false) {
                    Meet::Yes => {}
                    Meet::No => {
                        self.mismatch("in", &value.ty, &item.ty, false, item.span);
                        ok = false;
                    }
                    Meet::Invalid => ok = false,
                }
            }
            exprs.push(item.expr);
        }
        ok.then(|| Expr::In {
            value: Box::new(value.expr),
            list: exprs,
        })
    }

    /// Whether `a` and `b` can be compared; a string literal against a uuid, an enum, a date or a
    /// datetime is validated instead (an invalid one is reported here).
    pub(super) fn comparable(&mut self, a: &mut Typed, b: &mut Typed, ordering: bool) -> Meet {
        let literal = match self.literal_for(a, &b.ty) {
            None => self.literal_for(b, &a.ty),
            valid => valid,
        };
        match literal {
            Some(true) => Meet::Yes,
            Some(false) => Meet::Invalid,
            None if types_match(&a.ty, &b.ty, ordering) => Meet::Yes,
            None => Meet::No,
        }
    }

    /// When `lit` is a string literal and `other` a uuid, enum, date or datetime: whether the
    /// literal is one (reporting it when not). A valid uuid, date or datetime is replaced by its
    /// canonical text (see [`crate::literal`]): lower-case uuids, UTC datetimes with milliseconds.
    pub(super) fn literal_for(&mut self, lit: &mut Typed, other: &ValueType) -> Option<bool> {
        let Expr::Literal {
            value: Literal::String(s),
        } = &mut lit.expr
        else {
            return None;
        };
        let error = |message: String, label: &str, help: String| {
            ExprError::new(codes::INVALID_LITERAL, lit.span, message, label).help(help)
        };
        let canonical = match other {
            ValueType::Uuid => canonical_uuid(s),
            ValueType::Date => canonical_date(s),
            ValueType::Datetime => canonical_datetime(s),
            _ => None,
        };
        if let Some(canonical) = canonical {
            *s = canonical;
            return Some(true);
        }
        let problem = match other {
            ValueType::Uuid => Some(error(
                format!("`{s}` is not a uuid"),
                "not a uuid",
                "write a uuid like '123e4567-e89b-12d3-a456-426614174000'".into(),
            )),
            ValueType::Enum { name } => {
                let members: Vec<&str> = self
                    .ir
                    .enum_(name)
                    .map(|e| e.values.iter().map(String::as_str).collect())
                    .unwrap_or_default();
                if members.contains(&s.as_str()) {
                    None
                } else {
                    let list = format!("the members of {name} are {}", members.join(", "));
                    let help = match did_you_mean(&close_names(s, members.iter().copied())) {
                        Some(close) => format!("{close} {list}"),
                        None => list,
                    };
                    Some(error(
                        format!("`{s}` is not a member of {name}"),
                        &format!("not a {name} member"),
                        help,
                    ))
                }
            }
            ValueType::Date => Some(error(
                format!("`{s}` is not a date"),
                "not a date",
                "write a date as 'YYYY-MM-DD', e.g. '2024-01-31'".into(),
            )),
            ValueType::Datetime => Some(error(
                format!("`{s}` is not an RFC 3339 datetime"),
                "not a datetime",
                "write a datetime with a time zone, e.g. '2024-01-31T09:30:00Z'".into(),
            )),
            _ => return None,
        };
        match problem {
            None => Some(true),
            Some(problem) => {
                self.error(problem);
                Some(false)
            }
        }
    }

    /// Reports that `a` and `b` cannot meet with `op`.
    pub(super) fn mismatch(
        &mut self,
        op: &str,
        a: &ValueType,
        b: &ValueType,
        ordering: bool,
        span: Span,
    ) {
        let either = |f: &dyn Fn(&ValueType) -> bool| f(a) || f(b);
        let help = if either(&|t| *t == ValueType::StringList) {
            "test for one item with `.includes('...')`"
        } else if ordering && either(&|t| *t == ValueType::Null) {
            "test for a missing value with `== null` or `!= null`"
        } else if either(&|t| matches!(t, ValueType::Json | ValueType::Bytes)) {
            "json and bytes values can only be compared with `null`"
        } else if ordering && either(&|t| *t == ValueType::Boolean) {
            "booleans can only be compared with `==` and `!=`"
        } else {
            "compare values of the same type; a string literal can stand for a uuid, an enum member, a date or a datetime"
        };
        let (a, b) = (describe(a), describe(b));
        self.error(
            ExprError::new(
                codes::TYPE_MISMATCH,
                span,
                format!("`{op}` cannot compare {a} with {b}"),
                "incompatible types",
            )
            .help(help),
        );
    }
}

fn null_in_list(message: &str, span: Span) -> ExprError {
    ExprError::new(codes::TYPE_MISMATCH, span, message, "null")
        .help("test for a missing value with `x == null`")
}
