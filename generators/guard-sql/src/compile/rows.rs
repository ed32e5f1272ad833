//! Other rows, read with correlated subqueries: belongs-to chains as scalar subqueries, and the
//! rows of a has-many or many-to-many relation for `some` (`EXISTS`), `every` (`NOT EXISTS ...
//! AND NOT <body>`, true over no rows) and `includes` (`EXISTS` on the target's key).
//!
//! Every tenant-scoped row a subquery reaches must be in the caller's tenant. Reached from a
//! tenant-scoped row, that is the tenant of the row it comes from (`"t1"."tenant_id" =
//! "record"."tenant_id"`): every condition is ANDed with the record's tenant guard, so the record
//! is in the caller's tenant whenever the condition can matter, and so, hop by hop, is every row
//! after it; the equality also lets the (tenant, id) keys serve the lookup. Reached from a row
//! without a tenant column, it is the identity's tenant itself (one more bound `?`). A row outside
//! the tenant is missing.

use forge_schemas::{
    CmpOp, Expr, FieldRef, JoinSide, JoinTable, Model, Quantifier, RefBase, RelationKind,
    RelationPath, UserAttr,
};

use super::{Compiler, Operand, Row, Val};
use crate::identity::user_value;
use crate::sql::{Prec, Sql, and, column, not};

/// A row inside a subquery: its alias, its model (none for a join table's row) and its tenant
/// column.
struct At<'a> {
    alias: String,
    model: Option<&'a Model>,
    tenant: Option<String>,
}

/// The FROM items of a subquery, the conditions that join them, and the row they lead to.
struct Path<'a> {
    from: Vec<String>,
    conditions: Vec<Sql>,
    end: At<'a>,
}

impl<'a> Path<'a> {
    fn model(&self) -> &'a Model {
        self.end
            .model
            .expect("a path ends at a model's row, not at a join table's")
    }

    /// `SELECT <what> FROM ... WHERE ...` with `extra` ANDed to the joins.
    fn select(&self, what: &str, extra: Option<Sql>) -> String {
        let mut conditions = self.conditions.clone();
        conditions.extend(extra);
        format!(
            "SELECT {what} FROM {} WHERE {}",
            self.from.join(", "),
            and(conditions).text
        )
    }
}

impl<'a> Compiler<'a> {
    /// Where a reference starts: `record` or a variable's row.
    fn start(&self, base: &RefBase) -> Path<'a> {
        let row = self.base(base);
        Path {
            from: Vec::new(),
            conditions: Vec::new(),
            end: At {
                alias: row.alias,
                model: Some(row.model),
                tenant: row.model.tenant.clone(),
            },
        }
    }

    /// Adds `table` (of `model`, with the tenant column `tenant`) to `path`, joined to its end by
    /// `link` (given the new alias), and makes it the end.
    fn join(
        &mut self,
        path: &mut Path<'a>,
        table: &str,
        model: Option<&'a Model>,
        tenant: Option<&str>,
        link: impl FnOnce(&str) -> String,
    ) {
        let d = self.d;
        let alias = self.alias(table);
        path.from
            .push(format!("{} AS {}", d.ident(table), d.ident(&alias)));
        path.conditions.push(Sql::new(link(&alias), Prec::Cmp));
        if let Some(tenant) = tenant {
            let caller = match &path.end.tenant {
                Some(previous) => column(d, &path.end.alias, previous),
                None => user_value(d, self.ir, &UserAttr::TenantId).text,
            };
            path.conditions.push(Sql::new(
                format!("{} = {caller}", column(d, &alias, tenant)),
                Prec::Cmp,
            ));
        }
        path.end = At {
            alias,
            model,
            tenant: tenant.map(str::to_string),
        };
    }

    /// Follows `hops` (belongs-to relations) from `base`.
    fn follow(&mut self, base: &RefBase, hops: &[String]) -> Path<'a> {
        let mut path = self.start(base);
        for hop in hops {
            let model = path.model();
            let relation = model
                .relation(hop)
                .unwrap_or_else(|| panic!("`{hop}` is not a relation of {}", model.name));
            let RelationKind::BelongsTo {
                column: key,
                references,
                ..
            } = &relation.kind
            else {
                panic!("hop `{hop}` of {} is not a belongs-to", model.name);
            };
            let d = self.d;
            let key = column(d, &path.end.alias, key);
            let target = self.model_named(&relation.target);
            self.join(
                &mut path,
                &target.table,
                Some(target),
                target.tenant.as_deref(),
                |a| format!("{} = {key}", column(d, a, references)),
            );
        }
        path
    }

    /// `record.a.b.field`: a scalar subquery, NULL when a row on the way is missing.
    pub(super) fn hop_value(&mut self, field: &FieldRef) -> Sql {
        self.subquery(|c| {
            let path = c.follow(&field.base, &field.hops);
            let value = column(c.d, &path.end.alias, &field.field);
            Sql::atom(format!("({})", path.select(&value, None)))
        })
    }

    /// The rows of the to-many relation `path.relation` of the row `path` reaches.
    fn related(&mut self, relation_path: &RelationPath) -> Path<'a> {
        let d = self.d;
        let mut path = self.follow(&relation_path.base, &relation_path.hops);
        let owner = path.model();
        let name = &relation_path.relation;
        let relation = owner
            .relation(name)
            .unwrap_or_else(|| panic!("`{name}` is not a relation of {}", owner.name));
        let target = self.model_named(&relation.target);
        let from = path.end.alias.clone();
        match &relation.kind {
            RelationKind::HasMany { via } => {
                let back = target
                    .relation(via)
                    .unwrap_or_else(|| panic!("`{via}` is not a relation of {}", target.name));
                let RelationKind::BelongsTo {
                    column: key,
                    references,
                    ..
                } = &back.kind
                else {
                    panic!("`{via}` of {} is not a belongs-to", target.name);
                };
                let owner_key = column(d, &from, references);
                self.join(
                    &mut path,
                    &target.table,
                    Some(target),
                    target.tenant.as_deref(),
                    |a| format!("{} = {owner_key}", column(d, a, key)),
                );
            }
            RelationKind::ManyToMany { join_table } => {
                let join = self.join_table(join_table);
                let (near, far) = sides(join, owner, name);
                let owner_key = column(d, &from, &near.references);
                let tenant = join.tenant.as_ref().map(|t| t.column.as_str());
                self.join(&mut path, &join.name, None, tenant, |a| {
                    format!("{} = {owner_key}", column(d, a, &near.column))
                });
                let link = column(d, &path.end.alias, &far.column);
                self.join(
                    &mut path,
                    &target.table,
                    Some(target),
                    target.tenant.as_deref(),
                    |a| format!("{} = {link}", column(d, a, &far.references)),
                );
            }
            RelationKind::BelongsTo { .. } => {
                panic!("`{name}` is a belongs-to, not a to-many relation")
            }
        }
        path
    }

    /// `<relation>.some(x => body)` / `.every(...)`.
    pub(super) fn quantified(
        &mut self,
        quantifier: Quantifier,
        relation: &RelationPath,
        var: &str,
        body: &Expr,
    ) -> Sql {
        self.subquery(|c| {
            let path = c.related(relation);
            let row = Row {
                alias: path.end.alias.clone(),
                model: path.model(),
            };
            c.vars.push((var.to_string(), row));
            let body = c.cond(body);
            c.vars.pop();
            match quantifier {
                Quantifier::Some => Sql::atom(format!("EXISTS ({})", path.select("1", Some(body)))),
                // Every related row satisfies it: no related row fails it (true over no rows).
                Quantifier::Every => Sql::new(
                    format!("NOT EXISTS ({})", path.select("1", Some(not(body)))),
                    Prec::Not,
                ),
            }
        })
    }

    /// `<relation>.includes(value)`: a related row has `value` as its primary key.
    pub(super) fn relation_includes(&mut self, relation: &RelationPath, value: &Expr) -> Sql {
        self.subquery(|c| {
            let path = c.related(relation);
            let target = path.model();
            let key = match target.primary_key.columns.as_slice() {
                [key] => key,
                _ => panic!(
                    "`includes` on {}: its primary key is not one column",
                    target.name
                ),
            };
            let ty = target
                .field(key)
                .map(|f| super::value_type(&f.ty))
                .unwrap_or_else(|| panic!("{} has no column `{key}`", target.name));
            let key = Val {
                sql: Sql::atom(column(c.d, &path.end.alias, key)),
                nullable: false,
                repeatable: true,
                ty,
                literal: None,
            };
            let value = c.operand(value);
            let test = c.compare(CmpOp::Eq, Operand::Value(key), value);
            Sql::atom(format!("EXISTS ({})", path.select("1", Some(test))))
        })
    }

    /// The join table called `name`.
    fn join_table(&self, name: &str) -> &'a JoinTable {
        let ir: &'a forge_schemas::Ir = self.ir;
        ir.join_tables
            .iter()
            .find(|j| j.name == name)
            .unwrap_or_else(|| panic!("join table `{name}` is not in the IR"))
    }
}

/// The side of `join` that `owner.relation` starts from, and the other side. On a
/// self-relation both sides are `owner`'s: the one that declares `relation` comes first.
fn sides<'j>(join: &'j JoinTable, owner: &Model, relation: &str) -> (&'j JoinSide, &'j JoinSide) {
    let (left, right) = (&join.left, &join.right);
    let declares = |s: &JoinSide| s.model == owner.name && s.relation.as_deref() == Some(relation);
    if declares(left) || (!declares(right) && left.model == owner.name) {
        (left, right)
    } else {
        (right, left)
    }
}
