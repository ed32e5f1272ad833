//! Other rows, read directly (inside lookup functions): belongs-to chains as scalar subqueries,
//! and the rows of a has-many or many-to-many relation for `some`, `every` and `includes`.
//!
//! Every row of a tenant-scoped model that a chain or a relation reaches must be in the caller's
//! tenant (`"t1"."tenant_id" = (SELECT "forge"."user_tenant_id"())`): between two tenant-scoped
//! models that is the tenant equality of every hop, and a row reached from a model without a
//! tenant column can never be another tenant's. A row outside the tenant counts as missing.

use forge_schemas::{Expr, FieldRef, JoinSide, Model, Quantifier, RefBase, RelationKind, UserAttr};

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

    /// Adds `"<table>" AS "<alias>"`, joined by `link` (given the alias), then its tenant
    /// condition when `tenant` is its tenant column.
    fn add_table(
        &mut self,
        rows: &mut Rows<'a>,
        table: &str,
        tenant: Option<&str>,
        link: impl FnOnce(&str) -> String,
    ) -> String {
        let alias = self.alias();
        rows.from
            .push(format!("{} AS {}", ident(table), ident(&alias)));
        rows.conditions.push(link(&alias));
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

    /// Follows `hops` (belongs-to relations) from `base`, a row of `base_model`.
    fn follow(&mut self, base: &RefBase, base_model: &str, hops: &[String]) -> Rows<'a> {
        let mut rows = Rows {
            from: Vec::new(),
            conditions: Vec::new(),
            end: RowAt::Base(base.clone()),
            model: self.model_named(base_model),
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
            let key = self.column_at(&rows.end, column);
            let target = self.model_named(&relation.target);
            let alias = self.add_table(&mut rows, &target.table, target.tenant.as_deref(), |a| {
                format!("{}.{} = {key}", ident(a), ident(references))
            });
            rows.end = RowAt::Alias(alias);
            rows.model = target;
        }
        rows
    }

    /// `record.a.b.field` inside a lookup: a scalar subquery, NULL when a row on the way is missing.
    pub(super) fn hop_value(&mut self, field: &FieldRef) -> Sql {
        let rows = self.follow(&field.base, &field.base_model, &field.hops);
        let column = self.column_at(&rows.end, &field.field);
        Sql::atom(format!(
            "(SELECT {column} FROM {} WHERE {})",
            rows.from.join(", "),
            rows.conditions.join(" AND ")
        ))
    }

    /// The rows of the to-many relation `relation` of the row reached by `path`: FROM items and
    /// conditions, with the alias and model of the related row.
    fn related(&mut self, path: &forge_schemas::RelationPath) -> (Rows<'a>, String) {
        let mut rows = self.follow(&path.base, &path.base_model, &path.hops);
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
                let key = self.column_at(&at, references);
                self.add_table(&mut rows, &target.table, target.tenant.as_deref(), |a| {
                    format!("{}.{} = {key}", ident(a), ident(column))
                })
            }
            RelationKind::ManyToMany { join_table } => {
                let join = self
                    .ir
                    .join_tables
                    .iter()
                    .find(|j| &j.name == join_table)
                    .unwrap_or_else(|| panic!("join table `{join_table}` is not in the IR"));
                let (from, to) = sides(&join.left, &join.right, owner, &path.relation);
                let key = self.column_at(&at, &from.references);
                let tenant = join.tenant.as_ref().map(|t| t.column.as_str());
                let link = self.add_table(&mut rows, &join.name, tenant, |a| {
                    format!("{}.{} = {key}", ident(a), ident(&from.column))
                });
                self.add_table(&mut rows, &target.table, target.tenant.as_deref(), |a| {
                    format!(
                        "{}.{} = {}.{}",
                        ident(a),
                        ident(&to.references),
                        ident(&link),
                        ident(&to.column)
                    )
                })
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

    /// `some`, `every` and `includes` on a relation, inside a lookup: `EXISTS` subqueries.
    pub(super) fn exists_related(&mut self, expr: &Expr) -> Sql {
        match expr {
            Expr::Quantified {
                quantifier,
                relation,
                var,
                body,
            } => {
                let (mut rows, alias) = self.related(relation);
                self.vars.push(Var {
                    name: var.clone(),
                    alias,
                });
                let body = self.cond(body);
                self.vars.pop();
                let exists = match quantifier {
                    Quantifier::Some => {
                        rows.conditions.push(body.within(Prec::And));
                        "EXISTS"
                    }
                    // Every related row satisfies it: no related row fails it (true over no rows).
                    Quantifier::Every => {
                        rows.conditions.push(format!("NOT {}", body.operand()));
                        "NOT EXISTS"
                    }
                };
                Sql::new(
                    format!(
                        "{exists} (SELECT 1 FROM {} WHERE {})",
                        rows.from.join(", "),
                        rows.conditions.join(" AND ")
                    ),
                    if *quantifier == Quantifier::Some {
                        Prec::Atom
                    } else {
                        Prec::Not
                    },
                )
            }
            Expr::RelationIncludes { relation, value } => {
                let value = self.operand(value);
                let (mut rows, alias) = self.related(relation);
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
                Sql::atom(format!(
                    "EXISTS (SELECT 1 FROM {} WHERE {})",
                    rows.from.join(", "),
                    rows.conditions.join(" AND ")
                ))
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
