//! The expression compiler: a typed policy expression ([`Expr`]) to an SQLite or MySQL
//! condition over one row, written `"record"."<column>"`, that follows forge's rules, not SQL's.
//!
//! Every condition it returns is TRUE or FALSE, never NULL (see `compare.rs` for the
//! missing-value rule), so `NOT` is plain negation. Other rows (belongs-to hops, `some`, `every`,
//! `includes` on a relation) are read directly with correlated subqueries (`rows.rs`): SQLite and
//! MySQL have no row-level security, so a lookup sees the other table whatever its own guards say
//! (as PostgreSQL's lookup functions do), and every row it reaches stays in the caller's tenant.
//! Identity values are scalar subqueries over a bound `?` (`identity.rs`).

mod compare;
mod rows;

use std::collections::BTreeSet;

use forge_gen_sql::Dialect;
use forge_schemas::{
    CmpOp, Expr, FieldRef, FieldType, Ir, Literal, Model, RefBase, UserAttr, ValueType,
};

use crate::identity::{Membership, list_has, user_value};
use crate::sql::{Sql, and, column, not, or};

pub(crate) use compare::{Operand, Val};

/// A row a condition can read: its alias and its model.
#[derive(Clone)]
pub(crate) struct Row<'a> {
    pub alias: String,
    pub model: &'a Model,
}

/// Compiles conditions about the rows of one model, for one dialect.
pub(crate) struct Compiler<'a> {
    d: Dialect,
    ir: &'a Ir,
    /// The row `record` stands for.
    record: Row<'a>,
    /// Lambda variables in scope, innermost last.
    vars: Vec<(String, Row<'a>)>,
    /// Aliases handed out in the enclosing subqueries: `"t1"`, `"t2"`, ...
    aliases: u32,
    /// The tables the conditions compiled so far read (besides the row itself).
    reads: BTreeSet<String>,
}

impl<'a> Compiler<'a> {
    /// A compiler for conditions on `record`, a row of `model` aliased `alias`.
    pub fn new(d: Dialect, ir: &'a Ir, alias: &str, model: &'a Model) -> Self {
        Compiler {
            d,
            ir,
            record: Row {
                alias: alias.to_string(),
                model,
            },
            vars: Vec::new(),
            aliases: 0,
            reads: BTreeSet::new(),
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.d
    }

    /// The tables read so far, sorted.
    pub fn reads(&self) -> Vec<String> {
        self.reads.iter().cloned().collect()
    }

    /// Runs `f` with `record` standing for `row` (a row of another model, reached by a
    /// subquery), then restores it.
    pub fn with_record<R>(&mut self, row: Row<'a>, f: impl FnOnce(&mut Self) -> R) -> R {
        let outer = std::mem::replace(&mut self.record, row);
        let out = f(self);
        self.record = outer;
        out
    }

    /// Runs `f`, which builds one subquery, then hands its aliases out again: sibling subqueries
    /// may share aliases, nested ones never do.
    pub fn subquery<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let outer = self.aliases;
        let out = f(self);
        self.aliases = outer;
        out
    }

    /// A fresh alias inside the current subquery (unquoted), noting that `table` is read.
    pub fn alias(&mut self, table: &str) -> String {
        self.reads.insert(table.to_string());
        self.aliases += 1;
        format!("t{}", self.aliases)
    }

    /// The model called `name`.
    fn model_named(&self, name: &str) -> &'a Model {
        let ir: &'a Ir = self.ir;
        ir.model(name)
            .unwrap_or_else(|| panic!("model `{name}` is not in the IR"))
    }

    /// `expr` as a condition: TRUE or FALSE, never NULL.
    pub fn cond(&mut self, expr: &Expr) -> Sql {
        match expr {
            Expr::Literal {
                value: Literal::Bool(b),
            } => Sql::bool(*b),
            // `null` (a missing boolean) is false; the type checker allows no other literal here.
            Expr::Literal { .. } => Sql::bool(false),
            Expr::Field { .. } | Expr::User { .. } => match self.operand(expr) {
                Operand::Null => Sql::bool(false),
                Operand::Value(v) if v.nullable => {
                    Sql::atom(format!("COALESCE({}, FALSE)", v.sql.text))
                }
                Operand::Value(v) => v.sql,
            },
            Expr::Not { expr } => not(self.cond(expr)),
            Expr::And { exprs } => {
                let parts = exprs.iter().map(|e| self.cond(e)).collect();
                and(parts)
            }
            Expr::Or { exprs } => {
                let parts = exprs.iter().map(|e| self.cond(e)).collect();
                or(parts)
            }
            Expr::Compare { cmp, left, right } => {
                let left = self.operand(left);
                let right = self.operand(right);
                self.compare(*cmp, left, right)
            }
            Expr::In { value, list } => {
                let value = self.operand(value);
                let members = list.iter().map(|m| self.operand(m)).collect();
                self.in_list(value, members)
            }
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

    /// `expr` as a value.
    fn operand(&mut self, expr: &Expr) -> Operand {
        match expr {
            Expr::Literal {
                value: Literal::Null,
            } => Operand::Null,
            Expr::Literal { value } => Operand::Value(self.literal(value)),
            Expr::Field { field } => Operand::Value(self.field(field)),
            Expr::User { attr, ty } => Operand::Value(Val {
                sql: user_value(self.d, self.ir, attr),
                // Any identity value may be missing (the anonymous identity has none). Writing
                // it twice costs one more bound copy of the identity, nothing else.
                nullable: true,
                repeatable: true,
                ty: ty.clone(),
                literal: None,
            }),
            condition => Operand::Value(Val {
                sql: self.cond(condition),
                nullable: false,
                repeatable: false,
                ty: ValueType::Boolean,
                literal: None,
            }),
        }
    }

    /// A literal as a value; comparisons render it for the type it meets.
    fn literal(&self, value: &Literal) -> Val {
        let (sql, ty) = match value {
            Literal::Null => ("NULL".to_string(), ValueType::Null),
            Literal::Bool(b) => (Sql::bool(*b).text, ValueType::Boolean),
            Literal::Number(n) => (n.clone(), ValueType::Decimal),
            Literal::String(s) => (self.d.string(s), ValueType::String),
        };
        Val {
            sql: Sql::atom(sql),
            nullable: false,
            repeatable: true,
            ty,
            literal: Some(value.clone()),
        }
    }

    /// A column of `record` or of a variable's row, possibly through belongs-to hops.
    fn field(&mut self, field: &FieldRef) -> Val {
        if field.hops.is_empty() {
            let row = self.base(&field.base);
            return Val {
                sql: Sql::atom(column(self.d, &row.alias, &field.field)),
                nullable: field.optional,
                repeatable: true,
                ty: field.ty.clone(),
                literal: None,
            };
        }
        // Another row: missing when a row on the way is (an optional hop, another tenant's row).
        Val {
            sql: self.hop_value(field),
            nullable: true,
            repeatable: false,
            ty: field.ty.clone(),
            literal: None,
        }
    }

    /// The row a reference starts from.
    fn base(&self, base: &RefBase) -> Row<'a> {
        match base {
            RefBase::Record => self.record.clone(),
            RefBase::Var { name } => self
                .vars
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, row)| row.clone())
                .unwrap_or_else(|| panic!("variable `{name}` is used outside its lambda")),
        }
    }

    /// `user.roles.includes(v)` / `user.claims.includes(v)`: a string item of the list equals `v`.
    fn list_includes(&mut self, list: &Expr, value: &Expr) -> Sql {
        let Expr::User { attr, .. } = list else {
            panic!("`includes` on a list other than user.roles or user.claims: {list:?}");
        };
        match self.operand(value) {
            Operand::Null => Sql::bool(false),
            Operand::Value(Val {
                literal: Some(Literal::String(name)),
                ..
            }) => list_has(self.d, attr, Membership::AnyOf(std::slice::from_ref(&name))),
            Operand::Value(v) => list_has(self.d, attr, Membership::EqualTo(&v.sql)),
        }
    }

    /// The user holds one of `roles` (a permission line).
    pub fn holds_role(&self, roles: &[String]) -> Sql {
        list_has(self.d, &UserAttr::Roles, Membership::AnyOf(roles))
    }

    /// The tenant guard of `record`: `record.<tenant> == user.tenant_id`, when its model has a
    /// tenant column.
    pub fn tenant_guard(&mut self) -> Option<Sql> {
        let model = self.record.model;
        let tenant = model.tenant.as_ref()?;
        let field = model
            .field(tenant)
            .unwrap_or_else(|| panic!("{} has no tenant column `{tenant}`", model.name));
        let column = column(self.d, &self.record.alias, tenant);
        Some(self.tenant_equals(column, &field.ty))
    }

    /// `column == user.tenant_id`, for a tenant column (never NULL) of type `ty`.
    pub fn tenant_equals(&mut self, column: String, ty: &FieldType) -> Sql {
        let row = Val {
            sql: Sql::atom(column),
            nullable: false,
            repeatable: true,
            ty: value_type(ty),
            literal: None,
        };
        let user = Val {
            sql: user_value(self.d, self.ir, &UserAttr::TenantId),
            nullable: true,
            repeatable: true,
            ty: value_type(ty),
            literal: None,
        };
        self.compare(CmpOp::Eq, Operand::Value(row), Operand::Value(user))
    }
}

/// The expression type of a column type.
fn value_type(ty: &FieldType) -> ValueType {
    use FieldType as F;
    match ty {
        F::Uuid => ValueType::Uuid,
        F::String { .. } | F::Text => ValueType::String,
        F::Integer => ValueType::Integer,
        F::Bigint => ValueType::Bigint,
        F::Decimal { .. } => ValueType::Decimal,
        F::Float => ValueType::Float,
        F::Boolean => ValueType::Boolean,
        F::Date => ValueType::Date,
        F::Datetime => ValueType::Datetime,
        F::Json => ValueType::Json,
        F::Bytes => ValueType::Bytes,
        F::Enum { name } => ValueType::Enum { name: name.clone() },
    }
}
