//! The expression compiler: a typed policy expression ([`Expr`]) to a PostgreSQL condition that
//! follows forge's rules, not SQL's.
//!
//! Every condition it returns is TRUE or FALSE, never NULL (see `compare.rs` for the
//! missing-value rule), so `NOT` is plain negation. It works in one of two modes:
//!
//! - **policy**: the SQL goes into a `CREATE POLICY`. It may read the policy's own row and the
//!   identity, but no other table: anything that looks at another row (a belongs-to hop, `some`,
//!   `every`, `includes` on a relation) is lifted into a lookup function (`lift.rs`), a SECURITY
//!   DEFINER function that reads the other table without that table's policies. So a model's
//!   policy never queries a table, and "infinite recursion detected in policy" cannot happen (a
//!   join table's policy queries its declaring table on purpose: see `join_table.rs`).
//! - **direct**: the SQL is the body of a lookup function. Other tables are read with subqueries
//!   (`rows.rs`), and every tenant-scoped row they reach must belong to the caller's tenant.

mod compare;
mod lift;
mod rows;

use forge_schemas::{
    Action, CmpOp, Expr, FieldRef, Ir, Literal, Model, RefBase, UserAttr, ValueType,
};

pub(crate) use lift::Lookups;
use rows::{EndTest, Keys};

use crate::identity::{helper, user_value};
use crate::sql::{Prec, Sql, and, ident, or, string};

/// How the columns of `record` are written.
pub(crate) enum Record {
    /// The policy's own table: bare column names (`"author_id"`).
    Bare,
    /// Qualified with a table name or an alias (`"d"."author_id"`).
    Qualified(String),
    /// Inside a lookup function: each column asked for becomes the next parameter (`$1`, ...).
    Params(Vec<String>),
}

/// Where lifted lookups go, and what their names start with.
struct Lifter<'l> {
    lookups: &'l mut Lookups,
    /// The table and action of the policy being compiled.
    table: String,
    action: &'static str,
}

/// A lambda variable in scope: its name and the alias of its row.
struct Var {
    name: String,
    alias: String,
}

/// Compiles expressions about one model's rows.
pub(crate) struct Compiler<'a, 'l> {
    ir: &'a Ir,
    /// The model `record` is a row of.
    model: &'a Model,
    record: Record,
    /// Policy mode when set; direct mode otherwise.
    lifter: Option<Lifter<'l>>,
    vars: Vec<Var>,
    aliases: u32,
}

/// A value: its SQL and what the missing-value rule needs to know about it.
#[derive(Clone)]
pub(crate) struct Val {
    sql: Sql,
    /// It can be NULL (missing).
    nullable: bool,
    /// Cheap to write twice (a column, a parameter, a literal, an identity value): a null test may
    /// repeat it; otherwise the comparison is wrapped in COALESCE.
    repeatable: bool,
    /// A string (a string-typed value or a string literal): ordering compares by code point.
    string: bool,
}

/// One side of a comparison.
#[derive(Clone)]
pub(crate) enum Operand {
    /// The literal `null`.
    Null,
    Value(Val),
}

impl<'a, 'l> Compiler<'a, 'l> {
    /// A compiler for the policies of `model` (policy mode): `record` says how the policy's row is
    /// written; the lookups it needs are added to `lookups` (condition lookups are named after the
    /// model's table and `action`).
    pub fn policy(
        ir: &'a Ir,
        model: &'a Model,
        record: Record,
        lookups: &'l mut Lookups,
        action: &'static str,
    ) -> Self {
        Compiler {
            ir,
            model,
            record,
            lifter: Some(Lifter {
                lookups,
                table: model.table.clone(),
                action,
            }),
            vars: Vec::new(),
            aliases: 0,
        }
    }

    /// A compiler for the body of a lookup function about a row of `model` (direct mode).
    fn direct(ir: &'a Ir, model: &'a Model) -> Self {
        Compiler {
            ir,
            model,
            record: Record::Params(Vec::new()),
            lifter: None,
            vars: Vec::new(),
            aliases: 0,
        }
    }

    /// The model called `name`.
    fn model_named(&self, name: &str) -> &'a Model {
        let ir: &'a Ir = self.ir;
        ir.model(name)
            .unwrap_or_else(|| panic!("model `{name}` is not in the IR"))
    }

    /// A fresh table alias, `"t1"`, `"t2"`, ... (unquoted).
    fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("t{}", self.aliases)
    }

    /// `expr` as a condition: TRUE or FALSE, never NULL.
    pub fn cond(&mut self, expr: &Expr) -> Sql {
        match expr {
            Expr::Literal {
                value: Literal::Bool(b),
            } => Sql::bool(*b),
            // `null` (a missing boolean) is false; the type checker allows no other literal here.
            Expr::Literal { .. } => Sql::bool(false),
            Expr::Field { field } if !field.hops.is_empty() && self.key_sets() => {
                self.hop_test(field, EndTest::Truth)
            }
            Expr::Field { .. } | Expr::User { .. } => match self.operand(expr) {
                Operand::Null => Sql::bool(false),
                Operand::Value(v) if v.nullable => {
                    Sql::atom(format!("COALESCE({}, FALSE)", v.sql.sql))
                }
                Operand::Value(v) => v.sql,
            },
            Expr::Not { expr } => Sql::new(format!("NOT {}", self.cond(expr).operand()), Prec::Not),
            Expr::And { exprs } => {
                let parts = exprs.iter().map(|e| self.cond(e)).collect();
                and(parts)
            }
            Expr::Or { exprs } => {
                let parts = exprs.iter().map(|e| self.cond(e)).collect();
                or(parts)
            }
            Expr::Compare { cmp, left, right } => {
                if let Some(sql) = self.compare_hop(*cmp, left, right) {
                    return sql;
                }
                let left = self.operand(left);
                let right = self.operand(right);
                compare::compare(*cmp, &left, &right)
            }
            Expr::In { value, list } => match &**value {
                Expr::Field { field }
                    if !field.hops.is_empty()
                        && self.key_sets()
                        && list.iter().all(row_independent) =>
                {
                    self.hop_test(field, EndTest::In(list))
                }
                _ => self.in_list(value, list),
            },
            Expr::ListIncludes { list, value } => self.list_includes(list, value),
            Expr::RelationIncludes { .. } | Expr::Quantified { .. } => {
                if self.lifter.is_some() {
                    self.lift_condition(expr)
                } else {
                    self.exists_related(expr)
                }
            }
        }
    }

    /// `expr` as a value.
    fn operand(&mut self, expr: &Expr) -> Operand {
        match expr {
            Expr::Literal {
                value: Literal::Null,
            } => Operand::Null,
            Expr::Literal { value } => Operand::Value(literal(value)),
            Expr::Field { field } => Operand::Value(self.field(field)),
            Expr::User { attr, ty } => Operand::Value(Val {
                sql: Sql::atom(user_value(attr)),
                // Any identity value may be missing (the anonymous identity has none).
                nullable: true,
                repeatable: true,
                string: *ty == ValueType::String,
            }),
            condition => Operand::Value(Val {
                sql: self.cond(condition),
                nullable: false,
                repeatable: false,
                string: false,
            }),
        }
    }

    /// Whether other rows are asked about as sets of keys (see `rows.rs`): always inside a
    /// lookup, and in every policy but a create policy's. A set runs once per statement, over the
    /// whole tenant: the right trade for reads, updates and deletes, which filter many rows, but
    /// not for an INSERT's check, which sees one new row at a time, so creates call per-row
    /// lookups instead.
    fn key_sets(&self) -> bool {
        self.lifter
            .as_ref()
            .is_none_or(|l| l.action != Action::Create.as_str())
    }

    /// `a <cmp> b` where one side is reached through belongs-to hops and the other is a literal
    /// or an identity value (not `null`: a missing value is `== null`, which no set of keys
    /// holds): as a set of keys (see [`Compiler::hop_test`]).
    fn compare_hop(&mut self, cmp: CmpOp, left: &Expr, right: &Expr) -> Option<Sql> {
        let null = |e: &Expr| {
            matches!(
                e,
                Expr::Literal {
                    value: Literal::Null
                }
            )
        };
        let (field, end_first, other) = match (left, right) {
            (Expr::Field { field }, other) if !field.hops.is_empty() => (field, true, other),
            (other, Expr::Field { field }) if !field.hops.is_empty() => (field, false, other),
            _ => return None,
        };
        if !self.key_sets() || !row_independent(other) || null(other) {
            return None;
        }
        let test = EndTest::Compare {
            cmp,
            end_first,
            other,
        };
        Some(self.hop_test(field, test))
    }

    /// `test` of the value `field` reaches through belongs-to hops, as "the base row's key is one
    /// of the keys for which it holds": in a policy the keys come from a set lookup, which runs
    /// once per statement; in a lookup from a subquery, which PostgreSQL can join.
    fn hop_test(&mut self, field: &FieldRef, test: EndTest<'_>) -> Sql {
        let keys = if self.lifter.is_some() {
            Compiler::direct(self.ir, self.model).hop_keys(field, test)
        } else {
            self.hop_keys(field, test)
        };
        self.in_keys(&keys, false)
    }

    /// `<base column> IN (<keys>)`, or `NOT IN` when `negated`: TRUE or FALSE, also when the
    /// base row's column is NULL (then it is in no set).
    fn in_keys(&mut self, keys: &Keys, negated: bool) -> Sql {
        let set = if self.lifter.is_some() {
            format!("SELECT {}()", helper(&self.lift_keys(keys)))
        } else {
            keys.select.clone()
        };
        let column = match &keys.base {
            RefBase::Record => self.record_column(&keys.base_column),
            RefBase::Var { name } => self.var_column(name, &keys.base_column),
        };
        let not = if negated { "NOT " } else { "" };
        let test = format!("{column} {not}IN ({set})");
        match (keys.base_nullable, negated) {
            (false, _) => Sql::new(test, Prec::Cmp),
            (true, false) => Sql::new(format!("{column} IS NOT NULL AND {test}"), Prec::And),
            (true, true) => Sql::new(format!("{column} IS NULL OR {test}"), Prec::Or),
        }
    }

    /// A column of `record` or of a variable's row, possibly through belongs-to hops.
    fn field(&mut self, field: &FieldRef) -> Val {
        let string = field.ty == ValueType::String;
        if field.hops.is_empty() {
            let sql = match &field.base {
                RefBase::Record => self.record_column(&field.field),
                RefBase::Var { name } => self.var_column(name, &field.field),
            };
            return Val {
                sql: Sql::atom(sql),
                nullable: field.optional,
                repeatable: true,
                string,
            };
        }
        // Another row: a lookup function in a policy, a subquery inside a lookup. Either way the
        // row may be missing (an optional hop, or a row outside the caller's tenant).
        let sql = if self.lifter.is_some() {
            self.lift_value(field)
        } else {
            self.hop_value(field)
        };
        Val {
            sql,
            nullable: true,
            repeatable: false,
            string,
        }
    }

    /// A column of `record`.
    pub(crate) fn record_column(&mut self, column: &str) -> String {
        match &mut self.record {
            Record::Bare => ident(column),
            Record::Qualified(table) => format!("{}.{}", ident(table), ident(column)),
            Record::Params(params) => {
                let n = match params.iter().position(|p| p == column) {
                    Some(i) => i + 1,
                    None => {
                        params.push(column.to_string());
                        params.len()
                    }
                };
                format!("${n}")
            }
        }
    }

    /// A column of the row of variable `name`.
    fn var_column(&self, name: &str, column: &str) -> String {
        let var = self.var(name);
        format!("{}.{}", ident(&var.alias), ident(column))
    }

    fn var(&self, name: &str) -> &Var {
        self.vars
            .iter()
            .rev()
            .find(|v| v.name == name)
            .unwrap_or_else(|| panic!("variable `{name}` is used outside its lambda"))
    }

    /// `value in [a, b, ...]`: false when the value is missing; a missing member matches nothing.
    fn in_list(&mut self, value: &Expr, list: &[Expr]) -> Sql {
        let value = self.operand(value);
        let members: Vec<Operand> = list.iter().map(|m| self.operand(m)).collect();
        compare::in_list(&value, &members)
    }

    /// `user.roles.includes(v)` / `user.claims.includes(v)`: `v = ANY(<the list>)`. The helpers
    /// return an array without NULLs (and empty when the identity has none).
    fn list_includes(&mut self, list: &Expr, value: &Expr) -> Sql {
        let Expr::User { attr, .. } = list else {
            panic!("`includes` on a list other than user.roles or user.claims: {list:?}");
        };
        let list = user_value(attr);
        match self.operand(value) {
            Operand::Null => Sql::bool(false),
            Operand::Value(v) => {
                // `ANY ((SELECT ...))` would be read as `ANY (subquery)`: the cast makes it an array value.
                let test = Sql::new(
                    format!("{} = ANY ({list}::text[])", v.sql.operand()),
                    Prec::Cmp,
                );
                compare::guarded(test, &[&v])
            }
        }
    }
}

/// The same for every row a policy filters: a literal or an identity value.
fn row_independent(expr: &Expr) -> bool {
    matches!(expr, Expr::Literal { .. } | Expr::User { .. })
}

/// A literal as a value.
fn literal(value: &Literal) -> Val {
    let (sql, string) = match value {
        Literal::Null => ("NULL".to_string(), false),
        Literal::Bool(b) => (Sql::bool(*b).sql, false),
        Literal::Number(n) => (n.clone(), false),
        Literal::String(s) => (string(s), true),
    };
    Val {
        sql: Sql::atom(sql),
        nullable: false,
        repeatable: true,
        string,
    }
}

/// `user.roles` holds one of `roles`: `(SELECT "forge"."user_roles"()) && ARRAY[...]::text[]`.
pub(crate) fn holds_role(roles: &[String]) -> Sql {
    let list: Vec<String> = roles.iter().map(|r| string(r)).collect();
    Sql::new(
        format!(
            "{} && ARRAY[{}]::text[]",
            user_value(&UserAttr::Roles),
            list.join(", ")
        ),
        Prec::Cmp,
    )
}

/// The tenant guard `record.<tenant> == user.tenant_id`, for the tenant column written as
/// `column` (never null; the identity's tenant may be missing), as the compiler writes that
/// comparison.
pub(crate) fn tenant_guard(column: String) -> Sql {
    let row = Val {
        sql: Sql::atom(column),
        nullable: false,
        repeatable: true,
        string: false,
    };
    let user = Val {
        sql: Sql::atom(user_value(&UserAttr::TenantId)),
        nullable: true,
        repeatable: true,
        string: false,
    };
    compare::compare(
        forge_schemas::CmpOp::Eq,
        &Operand::Value(row),
        &Operand::Value(user),
    )
}
