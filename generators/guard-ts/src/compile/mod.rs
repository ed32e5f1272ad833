//! The expression compiler: a typed policy expression ([`Expr`]) to a TypeScript condition that
//! follows forge's rules, not JavaScript's.
//!
//! Every condition it writes is a `boolean`, never `undefined`, so `!` is plain negation. Values
//! are read through the runtime's `as*` readers, which return `undefined` for a missing or
//! malformed value; comparisons (`eq`, `lt`, ..., `isIn`, `holds`) are false when an operand is
//! `undefined`; `x == null` is `x === undefined`. Values of other rows are reached through loaded
//! relations (`rows.rs`). See `domain.rs` for how each type is read and ordered.

mod domain;
mod rows;

use forge_schemas::{CmpOp, Expr, Ir, Literal, UserAttr, ValueType};

pub(crate) use domain::{read_identity, read_record, read_type, value_type};
pub(crate) use rows::in_tenant;

use crate::js;
use domain::{Domain, is_exact};

/// Compiles expressions about one row, `record`, for a guard whose normalised identity is `u`.
pub(crate) struct Compiler<'a> {
    ir: &'a Ir,
    /// The JavaScript expression of `record`.
    record: String,
    /// Lambda variables in scope: the forge name and the JavaScript parameter.
    vars: Vec<(String, String)>,
}

/// One side of a comparison.
enum Operand<'e> {
    /// The literal `null`.
    Null,
    /// A value that may be missing: `js` evaluates to its read form, or `undefined`.
    Value { js: String, ty: ValueType },
    /// A condition or a boolean literal: a `boolean`, never missing.
    Bool(String),
    /// A number or string literal, written once the other side's type is known.
    Literal(&'e Literal),
}

impl<'a> Compiler<'a> {
    /// A compiler for expressions about `record` (a JavaScript expression).
    pub fn new(ir: &'a Ir, record: &str) -> Self {
        Compiler {
            ir,
            record: record.to_string(),
            vars: Vec::new(),
        }
    }

    /// `expr` as a condition: a `boolean` expression that can be put next to `&&`, `||` and `!`
    /// without parentheses.
    pub fn cond(&mut self, expr: &Expr) -> String {
        match expr {
            Expr::Literal {
                value: Literal::Bool(b),
            } => b.to_string(),
            // `null` (a missing boolean) is false; the type checker allows no other literal here.
            Expr::Literal { .. } => "false".into(),
            Expr::Field { .. } | Expr::User { .. } => match self.operand(expr) {
                Operand::Value { js, .. } => format!("({js} === true)"),
                _ => "false".into(),
            },
            Expr::Not { expr } => format!("!{}", self.cond(expr)),
            Expr::And { exprs } => self.joined(exprs, " && ", "true"),
            Expr::Or { exprs } => self.joined(exprs, " || ", "false"),
            Expr::Compare { cmp, left, right } => self.compare(*cmp, left, right),
            Expr::In { value, list } => self.in_list(value, list),
            Expr::ListIncludes { list, value } => self.list_includes(list, value),
            Expr::RelationIncludes { relation, value } => self.relation_includes(relation, value),
            Expr::Quantified {
                quantifier,
                relation,
                var,
                body,
            } => self.quantified(*quantifier, relation, var, body),
        }
    }

    /// `exprs` joined by `op` in parentheses; `empty` when there are none.
    fn joined(&mut self, exprs: &[Expr], op: &str, empty: &str) -> String {
        let parts: Vec<String> = exprs.iter().map(|e| self.cond(e)).collect();
        match parts.len() {
            0 => empty.to_string(),
            1 => parts.into_iter().next().expect("one part"),
            _ => format!("({})", parts.join(op)),
        }
    }

    /// `expr` as one side of a comparison.
    fn operand<'e>(&mut self, expr: &'e Expr) -> Operand<'e> {
        match expr {
            Expr::Literal {
                value: Literal::Null,
            } => Operand::Null,
            Expr::Literal {
                value: Literal::Bool(b),
            } => Operand::Bool(b.to_string()),
            Expr::Literal { value } => Operand::Literal(value),
            Expr::Field { field } => Operand::Value {
                js: self.field(field),
                ty: field.ty.clone(),
            },
            Expr::User { attr, ty } => Operand::Value {
                js: user_value(attr),
                ty: ty.clone(),
            },
            condition => Operand::Bool(self.cond(condition)),
        }
    }

    /// `left <cmp> right`.
    fn compare(&mut self, cmp: CmpOp, left: &Expr, right: &Expr) -> String {
        let left = self.operand(left);
        let right = self.operand(right);
        match (&left, &right) {
            (Operand::Null, Operand::Null) => (cmp == CmpOp::Eq).to_string(),
            (Operand::Null, other) | (other, Operand::Null) => null_test(cmp, other),
            _ => {
                let domain = meet(&left, &right);
                let function = match cmp {
                    CmpOp::Eq => "eq",
                    CmpOp::Ne => "ne",
                    CmpOp::Lt => "lt",
                    CmpOp::Le => "le",
                    CmpOp::Gt => "gt",
                    CmpOp::Ge => "ge",
                };
                format!(
                    "{function}({}, {}, {})",
                    emit(&left, &domain, self.ir),
                    emit(&right, &domain, self.ir),
                    domain.order()
                )
            }
        }
    }

    /// `value in [list]`: false when the value is missing; a `null` member matches nothing.
    fn in_list(&mut self, value: &Expr, list: &[Expr]) -> String {
        let value = self.operand(value);
        if matches!(value, Operand::Null) {
            return "false".into();
        }
        let members: Vec<Operand> = list
            .iter()
            .map(|m| self.operand(m))
            .filter(|m| !matches!(m, Operand::Null))
            .collect();
        let Some(first) = members.first() else {
            return "false".into();
        };
        let domain = meet(&value, first);
        if members.iter().all(|m| meet(&value, m) == domain) {
            let list: Vec<String> = members.iter().map(|m| emit(m, &domain, self.ir)).collect();
            return format!(
                "isIn({}, [{}], {})",
                emit(&value, &domain, self.ir),
                list.join(", "),
                domain.order()
            );
        }
        // Members of different numeric types: each comparison in its own domain.
        let tests: Vec<String> = members
            .iter()
            .map(|m| {
                let domain = meet(&value, m);
                format!(
                    "eq({}, {}, {})",
                    emit(&value, &domain, self.ir),
                    emit(m, &domain, self.ir),
                    domain.order()
                )
            })
            .collect();
        format!("({})", tests.join(" || "))
    }

    /// `user.roles.includes(v)`, `user.claims.includes(v)`.
    fn list_includes(&mut self, list: &Expr, value: &Expr) -> String {
        let list = match list {
            Expr::User {
                attr: UserAttr::Roles,
                ..
            } => "u.roles",
            Expr::User {
                attr: UserAttr::Claims,
                ..
            } => "u.claims",
            other => panic!("`includes` on a list other than user.roles or user.claims: {other:?}"),
        };
        match self.operand(value) {
            Operand::Null => "false".into(),
            value => format!("holds({list}, {})", emit(&value, &Domain::Text, self.ir)),
        }
    }
}

/// `user.<attr>`, read (the identity is read once per guard call, into `u`).
fn user_value(attr: &UserAttr) -> String {
    match attr {
        UserAttr::Id => "u.id".into(),
        UserAttr::TenantId => "u.tenant_id".into(),
        UserAttr::Roles => "u.roles".into(),
        UserAttr::Claims => "u.claims".into(),
        UserAttr::Attribute { name } => format!("u.attrs[{}]", js::string(name)),
    }
}

/// `v == null`, `v != null`; any ordering with `null` is false. A literal or a condition is never
/// missing. The value is cast to `unknown` first: TypeScript would otherwise narrow a `user.*`
/// property by the test (to `undefined` in `user.plan == null && user.plan >= 'pro'`), and the
/// comparison after it would not compile.
fn null_test(cmp: CmpOp, v: &Operand) -> String {
    match (cmp, v) {
        (CmpOp::Eq, Operand::Value { js, .. }) => format!("(({js} as unknown) === undefined)"),
        (CmpOp::Ne, Operand::Value { js, .. }) => format!("(({js} as unknown) !== undefined)"),
        (CmpOp::Ne, _) => "true".into(),
        _ => "false".into(),
    }
}

/// The domain two operands are compared in: a typed value's, else a condition's (boolean), else
/// the literals' own.
fn meet(a: &Operand, b: &Operand) -> Domain {
    match (a, b) {
        (Operand::Value { ty: ta, .. }, Operand::Value { ty: tb, .. }) => Domain::meet(ta, tb),
        (Operand::Value { ty, .. }, _) | (_, Operand::Value { ty, .. }) => Domain::of(ty),
        (Operand::Bool(_), _) | (_, Operand::Bool(_)) => Domain::Boolean,
        (Operand::Literal(Literal::Number(_)), _) | (_, Operand::Literal(Literal::Number(_))) => {
            Domain::Exact
        }
        _ => Domain::Text,
    }
}

/// An operand read as a value of `domain`.
fn emit(op: &Operand, domain: &Domain, ir: &Ir) -> String {
    match op {
        Operand::Value { js, ty } if *domain == Domain::Float && is_exact(ty) => {
            format!("toFloat({js})")
        }
        Operand::Value { js, .. } | Operand::Bool(js) => js.clone(),
        Operand::Literal(Literal::Number(n)) => match domain {
            Domain::Float if n.starts_with('-') => format!("({n})"),
            Domain::Float => n.clone(),
            _ => format!("exactOf({})", js::string(n)),
        },
        Operand::Literal(Literal::String(s)) => match domain {
            Domain::Enum(name) => {
                let members = &ir
                    .enum_(name)
                    .unwrap_or_else(|| panic!("enum `{name}` is not in the IR"))
                    .values;
                let position = members
                    .iter()
                    .position(|m| m == s)
                    .unwrap_or_else(|| panic!("`{s}` is not a member of {name}"));
                position.to_string()
            }
            Domain::Datetime => format!("asDatetime({})", js::string(s)),
            Domain::Uuid => js::string(&s.to_ascii_lowercase()),
            _ => js::string(s),
        },
        Operand::Literal(other) => panic!("the literal {other:?} is not a comparable value"),
        Operand::Null => panic!("`null` is tested, never compared"),
    }
}

/// `eq(a, b, <order>)` for `a` and `b`, read values of types `ta` and `tb` (a tenant guard, a
/// join table's key).
pub(crate) fn equal(ir: &Ir, a: &str, ta: &ValueType, b: &str, tb: &ValueType) -> String {
    let a = Operand::Value {
        js: a.to_string(),
        ty: ta.clone(),
    };
    let b = Operand::Value {
        js: b.to_string(),
        ty: tb.clone(),
    };
    let domain = meet(&a, &b);
    format!(
        "eq({}, {}, {})",
        emit(&a, &domain, ir),
        emit(&b, &domain, ir),
        domain.order()
    )
}
