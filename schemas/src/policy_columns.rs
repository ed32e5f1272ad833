//! What the policies of a project filter on, and which indexes serve it: a pure analysis of the IR
//! shared by the front end (its unindexed-column warning) and the row-level security generator
//! (which creates the indexes, see `forge-gen-rls`).
//!
//! The indexes the policies want ([`wanted_indexes`]):
//!
//! - the tenant column of every tenant-scoped model (every policy filters on it);
//! - `(tenant, column)` for a column a policy compares with `user.*` (owner rules:
//!   `record.author_id == user.id`), outside `some`/`every`;
//! - the key a has-many lookup follows: `(tenant, <via>_id)` on the related table, since
//!   PostgreSQL does not index foreign keys by itself.
//!
//! Belongs-to hops find their row by primary key (or the `(tenant, id)` unique key), and
//! many-to-many lookups use the join table's primary key or its index on the second column, so
//! they need nothing more. A wanted index is left out when an index, unique key or primary key of
//! the table (or another wanted index) starts with its columns ([`key_serves`]).

use std::collections::HashMap;

use crate::expr::{CmpOp, Expr, RefBase, RelationPath, UserAttr};
use crate::ir::{IndexMethod, Ir, Model, RelationKind};

/// An index that the policies filter on and the schema lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WantedIndex {
    /// The model whose table it is on.
    pub model: String,
    pub table: String,
    pub columns: Vec<String>,
}

/// The indexes the policies (and permission conditions) of `ir` filter on that its schema lacks,
/// in model order; per model, in the order found. Stubs of a slice are skipped.
pub fn wanted_indexes(ir: &Ir) -> Vec<WantedIndex> {
    let models: Vec<&Model> = ir.models.iter().filter(|m| !m.stub).collect();
    let mut wanted: Vec<(&Model, Vec<String>)> = Vec::new();
    for model in &models {
        if let Some(tenant) = &model.tenant {
            wanted.push((model, vec![tenant.clone()]));
        }
        let exprs = model.policies.iter().map(|p| &p.condition.expr).chain(
            model
                .permissions
                .iter()
                .filter_map(|p| p.condition.as_ref().map(|c| &c.expr)),
        );
        for expr in exprs {
            walk(ir, model, expr, true, &mut wanted);
        }
    }
    // Each model's wanted column lists, in the order found (a lookup from another model lands
    // in its target's list).
    let mut by_model: HashMap<&str, Vec<&Vec<String>>> = HashMap::new();
    for (model, columns) in &wanted {
        by_model
            .entry(model.name.as_str())
            .or_default()
            .push(columns);
    }
    let mut out: Vec<WantedIndex> = Vec::new();
    for model in &models {
        let Some(mine) = by_model.get(model.name.as_str()) else {
            continue;
        };
        let existing = existing_keys(model);
        let first = out.len();
        for columns in mine {
            let longer = |other: &Vec<String>| {
                other.len() > columns.len() && key_serves(other, columns, model)
            };
            let covered = existing.iter().any(|k| key_serves(k, columns, model))
                || mine.iter().any(|other| longer(other));
            if !covered && !out[first..].iter().any(|w| w.columns == **columns) {
                out.push(WantedIndex {
                    model: model.name.clone(),
                    table: model.table.clone(),
                    columns: (*columns).clone(),
                });
            }
        }
    }
    out
}

/// True when an index on `key` serves a lookup on `wanted` in `model`'s table: it starts with the
/// wanted columns in any order, or (for `(tenant, x)`) with `x` alone, a key selective enough that
/// the tenant is only checked.
pub fn key_serves(key: &[String], wanted: &[String], model: &Model) -> bool {
    let starts_with_all = |cols: &[String]| {
        key.len() >= cols.len() && cols.iter().all(|c| key[..cols.len()].contains(c))
    };
    match (wanted, model.tenant.as_deref()) {
        ([first, rest @ ..], Some(tenant)) if first == tenant && !rest.is_empty() => {
            starts_with_all(wanted) || starts_with_all(rest)
        }
        _ => starts_with_all(wanted),
    }
}

/// The column lists of `model`'s primary key, unique keys and plain btree indexes (a partial or
/// gin index serves no general lookup).
pub fn existing_keys(model: &Model) -> Vec<&[String]> {
    let mut keys: Vec<&[String]> = vec![&model.primary_key.columns];
    keys.extend(model.uniques.iter().map(|k| k.columns.as_slice()));
    keys.extend(
        model
            .indexes
            .iter()
            .filter(|i| i.r#where.is_none() && i.using == IndexMethod::Btree)
            .map(|i| i.columns.as_slice()),
    );
    keys
}

/// Finds what `expr` (about `model`'s rows) filters on; `top` is false inside a quantifier.
fn walk<'a>(
    ir: &'a Ir,
    model: &'a Model,
    expr: &Expr,
    top: bool,
    wanted: &mut Vec<(&'a Model, Vec<String>)>,
) {
    match expr {
        Expr::Compare { cmp, left, right } => {
            if top && *cmp == CmpOp::Eq {
                for (a, b) in [(left, right), (right, left)] {
                    if let (Expr::Field { field }, Expr::User { attr, .. }) = (&**a, &**b)
                        && field.base == RefBase::Record
                        && field.hops.is_empty()
                        && !matches!(attr, UserAttr::Roles | UserAttr::Claims)
                        && model.tenant.as_deref() != Some(field.field.as_str())
                    {
                        let mut columns: Vec<String> = model.tenant.iter().cloned().collect();
                        columns.push(field.field.clone());
                        wanted.push((model, columns));
                    }
                }
            }
            walk(ir, model, left, top, wanted);
            walk(ir, model, right, top, wanted);
        }
        Expr::Not { expr } => walk(ir, model, expr, top, wanted),
        Expr::And { exprs } | Expr::Or { exprs } => {
            exprs.iter().for_each(|e| walk(ir, model, e, top, wanted));
        }
        Expr::In { value, list } => {
            walk(ir, model, value, top, wanted);
            list.iter().for_each(|e| walk(ir, model, e, top, wanted));
        }
        Expr::ListIncludes { value, .. } => walk(ir, model, value, top, wanted),
        Expr::RelationIncludes { relation, value } => {
            has_many_key(ir, relation, wanted);
            walk(ir, model, value, top, wanted);
        }
        Expr::Quantified { relation, body, .. } => {
            has_many_key(ir, relation, wanted);
            walk(ir, model, body, false, wanted);
        }
        Expr::Literal { .. } | Expr::Field { .. } | Expr::User { .. } => {}
    }
}

/// For a has-many relation: `(tenant, <via column>)` on the related model.
fn has_many_key<'a>(ir: &'a Ir, path: &RelationPath, wanted: &mut Vec<(&'a Model, Vec<String>)>) {
    let Some(owner) = ir.model(&path.model) else {
        return;
    };
    let Some(relation) = owner.relation(&path.relation) else {
        return;
    };
    let RelationKind::HasMany { via } = &relation.kind else {
        return;
    };
    let Some(target) = ir.model(&relation.target).filter(|m| !m.stub) else {
        return;
    };
    if let Some(RelationKind::BelongsTo { column, .. }) = target.relation(via).map(|r| &r.kind) {
        let mut columns: Vec<String> = target.tenant.iter().cloned().collect();
        columns.push(column.clone());
        wanted.push((target, columns));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Index, Key};

    fn model(tenant: Option<&str>, indexes: &[&[&str]]) -> Model {
        let strings = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        Model {
            name: "Doc".into(),
            table: "doc".into(),
            renamed_from: None,
            stub: false,
            fields: Vec::new(),
            relations: Vec::new(),
            primary_key: Key {
                name: "doc_pkey".into(),
                columns: strings(&["id"]),
            },
            tenant: tenant.map(String::from),
            uniques: Vec::new(),
            foreign_keys: Vec::new(),
            indexes: indexes
                .iter()
                .map(|cols| Index {
                    name: format!("doc_{}_idx", cols.join("_")),
                    columns: strings(cols),
                    using: IndexMethod::Btree,
                    r#where: None,
                })
                .collect(),
            checks: Vec::new(),
            policies: Vec::new(),
            permissions: Vec::new(),
            hooks: Vec::new(),
        }
    }

    fn serves(model: &Model, key: &[&str], wanted: &[&str]) -> bool {
        let own = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        key_serves(&own(key), &own(wanted), model)
    }

    #[test]
    fn a_key_serves_a_lookup_it_starts_with() {
        let plain = model(None, &[]);
        assert!(serves(&plain, &["a", "b"], &["a"]));
        assert!(serves(&plain, &["b", "a"], &["a", "b"]));
        assert!(!serves(&plain, &["b", "a"], &["a"]));
        assert!(!serves(&plain, &["a"], &["a", "b"]));
        let scoped = model(Some("t"), &[]);
        assert!(serves(&scoped, &["t", "a"], &["t", "a"]));
        assert!(
            serves(&scoped, &["a"], &["t", "a"]),
            "the tenant is only checked"
        );
        assert!(!serves(&scoped, &["t"], &["t", "a"]));
        assert!(serves(&scoped, &["t", "a"], &["t"]));
    }

    #[test]
    fn the_tenant_column_is_wanted_unless_a_key_starts_with_it() {
        let mut ir = Ir::empty();
        ir.models.push(model(Some("t"), &[]));
        ir.models.push(Model {
            name: "Other".into(),
            table: "other".into(),
            ..model(Some("t"), &[&["t", "x"]])
        });
        assert_eq!(
            wanted_indexes(&ir),
            [WantedIndex {
                model: "Doc".into(),
                table: "doc".into(),
                columns: vec!["t".into()],
            }]
        );
        assert_eq!(existing_keys(&ir.models[1]).len(), 2);
    }
}
