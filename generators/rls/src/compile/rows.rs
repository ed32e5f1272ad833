//! Other rows, read directly (inside lookup functions): belongs-to chains as scalar subqueries,
//! and the rows of a has-many or many-to-many relation for `some`, `every` and `includes`.
//!
//! Every row of a tenant-scoped model that a chain or a relation reaches must be in the caller's
//! tenant (`"t1"."tenant_id" = (SELECT "forge"."user_tenant_id"())`): between two tenant-scoped
//! models that is the tenant equality of every hop, and a row reached from a model without a
//! tenant column can never be another tenant's. A row outside the tenant counts as missing.
//!
//! A chain can also be *free*: its first table is not joined to the base row, and the chain
//! stands for the set of keys ([`Keys`]) of that table's rows that lead to what is asked, which
//! the base row's column must be in. A set that does not depend on the base row is computed once
//! per statement, where a joined chain runs once per base row.

use forge_gen_sql::{Dialect, column_type};
use forge_schemas::{
    Expr, FieldRef, FieldType, JoinSide, Model, Quantifier, RefBase, RelationKind, UserAttr,
};

use super::{Compiler, Operand, Val, Var, compare};
use crate::identity::user_value;
use crate::sql::{Prec, Sql, ident};

/// Where a row is: the base of a reference (`record` or a variable), or a table alias.
enum RowAt {
    Base(RefBase),
    Alias(String),
}

/// Tables to add to a FROM list, the conditions that join them, and the row they lead to.
struct Rows<'a> {
    from: Vec<String>,
    conditions: Vec<String>,
    end: RowAt,
    model: &'a Model,
    /// `None` for a chain joined to its base row; for a free chain, `Some`, holding its key once
    /// its first table is added.
    free: Option<Option<Key>>,
}

/// The key of a free chain: a column of its first table, and the column of the base row that
/// would have been joined to it.
struct Key {
    base_column: String,
    base_nullable: bool,
    sql: String,
    sql_type: String,
    nullable: bool,
}

/// A free chain as a set: `select` lists the keys (never NULL) that `base_column`, a column of
/// the row at `base`, must be one of.
pub(super) struct Keys {
    pub base: RefBase,
    pub base_column: String,
    /// The base row's column may be NULL.
    pub base_nullable: bool,
    /// `SELECT <key> FROM ... WHERE ...`.
    pub select: String,
    /// The keys' PostgreSQL type.
    pub sql_type: String,
    /// What a set lookup returning them is named after: for a belongs-to chain, the first hop's
    /// table, the further hops and the field (`doctor_user_id`); `None` for a relation's rows,
    /// named after the policy.
    pub stem: Option<Vec<String>>,
}

/// What a free belongs-to chain asks of the value at its end.
pub(super) enum EndTest<'e> {
    /// `<end> <cmp> <other>` (or `<other> <cmp> <end>` when `end_first` is false).
    Compare {
        cmp: forge_schemas::CmpOp,
        end_first: bool,
        other: &'e Expr,
    },
    /// `<end> in [...]`.
    In(&'e [Expr]),
    /// The value itself, a boolean.
    Truth,
}

impl Rows<'_> {
    /// The free chain's set, with `conditions` on its rows.
    fn keys(self, base: &RefBase) -> Keys {
        let key = self
            .free
            .flatten()
            .expect("a free chain with at least one table");
        let mut conditions = self.conditions;
        if key.nullable {
            conditions.push(format!("{} IS NOT NULL", key.sql));
        }
        Keys {
            base: base.clone(),
            base_column: key.base_column,
            base_nullable: key.base_nullable,
            select: format!(
                "SELECT {} FROM {} WHERE {}",
                key.sql,
                self.from.join(", "),
                conditions.join(" AND ")
            ),
            sql_type: key.sql_type,
            stem: None,
        }
    }
}

impl<'a> Compiler<'a, '_> {
    /// A column of the row at `at`.
    fn column_at(&mut self, at: &RowAt, column: &str) -> String {
        match at {
            RowAt::Base(RefBase::Record) => self.record_column(column),
            RowAt::Base(RefBase::Var { name }) => self.var_column(name, column),
            RowAt::Alias(alias) => format!("{}.{}", ident(alias), ident(column)),
        }
    }

    /// Adds `"<table>" AS "<alias>"`, joined by `"<alias>"."<column>" = <the column `to.1` of the
    /// row at `to.0`>`, then its tenant condition when `tenant` is its tenant column. The first
    /// table of a free chain is not joined to the base row: its `column` (of type `ty`) becomes
    /// the chain's key.
    fn add_table(
        &mut self,
        rows: &mut Rows<'a>,
        table: &str,
        tenant: Option<&str>,
        column: &str,
        ty: (&FieldType, bool),
        to: (&RowAt, &str),
    ) -> String {
        let alias = self.alias();
        rows.from
            .push(format!("{} AS {}", ident(table), ident(&alias)));
        let own = format!("{}.{}", ident(&alias), ident(column));
        match (to.0, &mut rows.free) {
            (RowAt::Base(_), Some(key)) => {
                let base_nullable = rows.model.field(to.1).is_some_and(|f| f.optional);
                *key = Some(Key {
                    base_column: to.1.to_string(),
                    base_nullable,
                    sql: own,
                    sql_type: column_type(Dialect::Postgres, ty.0, &self.ir.enums),
                    nullable: ty.1,
                });
            }
            (at, _) => {
                let other = self.column_at(at, to.1);
                rows.conditions.push(format!("{own} = {other}"));
            }
        }
        if let Some(tenant) = tenant {
            rows.conditions.push(format!(
                "{}.{} = {}",
                ident(&alias),
                ident(tenant),
                user_value(&UserAttr::TenantId)
            ));
        }
        alias
    }

    /// The type of `column` of `model`, and whether it may be NULL.
    fn column_of<'m>(model: &'m Model, column: &str) -> (&'m FieldType, bool) {
        let field = model
            .field(column)
            .unwrap_or_else(|| panic!("{} has no column `{column}`", model.name));
        (&field.ty, field.optional)
    }

    /// Follows `hops` (belongs-to relations) from `base`, a row of `base_model`; `free`: see
    /// [`Keys`].
    fn follow(
        &mut self,
        base: &RefBase,
        base_model: &str,
        hops: &[String],
        free: bool,
    ) -> Rows<'a> {
        let mut rows = Rows {
            from: Vec::new(),
            conditions: Vec::new(),
            end: RowAt::Base(base.clone()),
            model: self.model_named(base_model),
            free: free.then_some(None),
        };
        for hop in hops {
            let relation = rows
                .model
                .relation(hop)
                .unwrap_or_else(|| panic!("`{hop}` is not a relation of {}", rows.model.name));
            let RelationKind::BelongsTo {
                column, references, ..
            } = &relation.kind
            else {
                panic!("hop `{hop}` of {} is not a belongs-to", rows.model.name);
            };
            let target = self.model_named(&relation.target);
            let end = std::mem::replace(&mut rows.end, RowAt::Alias(String::new()));
            let alias = self.add_table(
                &mut rows,
                &target.table,
                target.tenant.as_deref(),
                references,
                Self::column_of(target, references),
                (&end, column),
            );
            rows.end = RowAt::Alias(alias);
            rows.model = target;
        }
        rows
    }

    /// `test` of the value `field` reaches through its belongs-to hops, as the set of keys of its
    /// first hop's rows for which it holds (missing values fail every test).
    pub(super) fn hop_keys(&mut self, field: &FieldRef, test: EndTest<'_>) -> Keys {
        let mut rows = self.follow(&field.base, &field.base_model, &field.hops, true);
        let column = self.column_at(&rows.end, &field.field);
        let end = Val {
            sql: Sql::atom(column),
            nullable: Self::column_of(rows.model, &field.field).1,
            repeatable: true,
            string: field.ty == forge_schemas::ValueType::String,
        };
        let test = match test {
            EndTest::Compare {
                cmp,
                end_first,
                other,
            } => {
                let other = self.operand(other);
                let end = Operand::Value(end);
                if end_first {
                    compare::compare(cmp, &end, &other)
                } else {
                    compare::compare(cmp, &other, &end)
                }
            }
            EndTest::In(list) => {
                let members: Vec<Operand> = list.iter().map(|m| self.operand(m)).collect();
                compare::in_list(&Operand::Value(end), &members)
            }
            EndTest::Truth if end.nullable => {
                Sql::atom(format!("COALESCE({}, FALSE)", end.sql.sql))
            }
            EndTest::Truth => end.sql,
        };
        rows.conditions.push(test.within(Prec::And));
        let first = self.model_named(&field.base_model).relation(&field.hops[0]);
        let first = first.map(|r| self.model_named(&r.target).table.clone());
        let mut stem: Vec<String> = first.into_iter().collect();
        stem.extend(field.hops[1..].iter().cloned());
        stem.push(field.field.clone());
        Keys {
            stem: Some(stem),
            ..rows.keys(&field.base)
        }
    }

    /// `record.a.b.field` inside a lookup: a scalar subquery, NULL when a row on the way is missing.
    pub(super) fn hop_value(&mut self, field: &FieldRef) -> Sql {
        let rows = self.follow(&field.base, &field.base_model, &field.hops, false);
        let column = self.column_at(&rows.end, &field.field);
        Sql::atom(format!(
            "(SELECT {column} FROM {} WHERE {})",
            rows.from.join(", "),
            rows.conditions.join(" AND ")
        ))
    }

    /// The rows of the to-many relation `relation` of the row reached by `path`: FROM items and
    /// conditions, with the alias and model of the related row; `free`: see [`Keys`].
    fn related(&mut self, path: &forge_schemas::RelationPath, free: bool) -> (Rows<'a>, String) {
        let mut rows = self.follow(&path.base, &path.base_model, &path.hops, free);
        let owner = rows.model;
        let relation = owner
            .relation(&path.relation)
            .unwrap_or_else(|| panic!("`{}` is not a relation of {}", path.relation, owner.name));
        let target = self.model_named(&relation.target);
        let at = std::mem::replace(&mut rows.end, RowAt::Alias(String::new()));
        let alias = match &relation.kind {
            RelationKind::HasMany { via } => {
                let back = target
                    .relation(via)
                    .unwrap_or_else(|| panic!("`{via}` is not a relation of {}", target.name));
                let RelationKind::BelongsTo {
                    column, references, ..
                } = &back.kind
                else {
                    panic!("`{via}` of {} is not a belongs-to", target.name);
                };
                self.add_table(
                    &mut rows,
                    &target.table,
                    target.tenant.as_deref(),
                    column,
                    Self::column_of(target, column),
                    (&at, references),
                )
            }
            RelationKind::ManyToMany { join_table } => {
                let join = self
                    .ir
                    .join_tables
                    .iter()
                    .find(|j| &j.name == join_table)
                    .unwrap_or_else(|| panic!("join table `{join_table}` is not in the IR"));
                let (from, to) = sides(&join.left, &join.right, owner, &path.relation);
                let tenant = join.tenant.as_ref().map(|t| t.column.as_str());
                // A join table's columns are never NULL, and have the type of the key they hold.
                let (ty, _) = Self::column_of(owner, &from.references);
                let link = self.add_table(
                    &mut rows,
                    &join.name,
                    tenant,
                    &from.column,
                    (ty, false),
                    (&at, &from.references),
                );
                self.add_table(
                    &mut rows,
                    &target.table,
                    target.tenant.as_deref(),
                    &to.references,
                    Self::column_of(target, &to.references),
                    (&RowAt::Alias(link), &to.column),
                )
            }
            RelationKind::BelongsTo { .. } => {
                panic!(
                    "`{}` is a belongs-to, not a to-many relation",
                    path.relation
                )
            }
        };
        rows.end = RowAt::Alias(alias.clone());
        rows.model = target;
        (rows, alias)
    }

    /// `some`, `every` or `includes` on a relation as a set (see [`Keys`]): the keys of the rows
    /// for which `some` and `includes` hold, or (`true` second) for which `every` fails.
    pub(super) fn related_keys(&mut self, expr: &Expr) -> (Keys, bool) {
        let (rows, every) = self.related_rows(expr, true);
        let base = match expr {
            Expr::Quantified { relation, .. } | Expr::RelationIncludes { relation, .. } => {
                relation.base.clone()
            }
            other => panic!("not a to-many expression: {other:?}"),
        };
        (rows.keys(&base), every)
    }

    /// `some`, `every` and `includes` on a relation, inside a lookup: `EXISTS` subqueries.
    pub(super) fn exists_related(&mut self, expr: &Expr) -> Sql {
        let (rows, every) = self.related_rows(expr, false);
        let select = format!(
            "(SELECT 1 FROM {} WHERE {})",
            rows.from.join(", "),
            rows.conditions.join(" AND ")
        );
        if every {
            // Every related row satisfies it: no related row fails it (true over no rows).
            Sql::new(format!("NOT EXISTS {select}"), Prec::Not)
        } else {
            Sql::atom(format!("EXISTS {select}"))
        }
    }

    /// The related rows of `some` and `includes`, or (`true` second) the related rows that fail
    /// `every`.
    fn related_rows(&mut self, expr: &Expr, free: bool) -> (Rows<'a>, bool) {
        match expr {
            Expr::Quantified {
                quantifier,
                relation,
                var,
                body,
            } => {
                let (mut rows, alias) = self.related(relation, free);
                self.vars.push(Var {
                    name: var.clone(),
                    alias,
                });
                let body = self.cond(body);
                self.vars.pop();
                let every = *quantifier == Quantifier::Every;
                if every {
                    rows.conditions.push(format!("NOT {}", body.operand()));
                } else {
                    rows.conditions.push(body.within(Prec::And));
                }
                (rows, every)
            }
            Expr::RelationIncludes { relation, value } => {
                let value = self.operand(value);
                let (mut rows, alias) = self.related(relation, free);
                let key = match rows.model.primary_key.columns.as_slice() {
                    [key] => key.clone(),
                    _ => panic!(
                        "`includes` on {}: its primary key is not one column",
                        rows.model.name
                    ),
                };
                let key = Val {
                    sql: Sql::atom(format!("{}.{}", ident(&alias), ident(&key))),
                    nullable: false,
                    repeatable: true,
                    string: false,
                };
                let test = compare::compare(forge_schemas::CmpOp::Eq, &Operand::Value(key), &value);
                rows.conditions.push(test.within(Prec::And));
                (rows, false)
            }
            other => panic!("not a to-many expression: {other:?}"),
        }
    }
}

/// The side of a join table that `owner.relation` starts from, and the other side.
fn sides<'j>(
    left: &'j JoinSide,
    right: &'j JoinSide,
    owner: &Model,
    relation: &str,
) -> (&'j JoinSide, &'j JoinSide) {
    let declares = |s: &JoinSide| s.model == owner.name && s.relation.as_deref() == Some(relation);
    if declares(left) {
        (left, right)
    } else if declares(right) {
        (right, left)
    } else if left.model == owner.name {
        (left, right)
    } else {
        (right, left)
    }
}
