//! The indexes that policies filter on and `schema.sql` may not have:
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
//! the table (or another wanted index) starts with its columns. Names follow the constraint rules:
//! `<table>_<columns>_idx`, cut to 63 bytes, and with a hash suffix when the name is already taken
//! in the database. `policies.sql` creates them with `CREATE INDEX IF NOT EXISTS`, so a future
//! `schema.sql` that creates them itself makes these statements no-ops.

use std::collections::BTreeSet;

use forge_schemas::{
    CmpOp, Expr, IndexMethod, Ir, Model, RefBase, RelationKind, RelationPath, UserAttr,
    constraint_name,
};

use crate::sql::ident;

/// An index that the policies need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyIndex {
    /// The model whose table (or whose related table) it is on.
    pub model: String,
    pub table: String,
    /// `<table>_<columns>_idx`, unique in the database.
    pub name: String,
    pub columns: Vec<String>,
}

impl PolicyIndex {
    /// `CREATE INDEX IF NOT EXISTS "<name>" ON "<table>" ("<column>", ...);`
    pub fn create_sql(&self) -> String {
        let columns: Vec<String> = self.columns.iter().map(|c| ident(c)).collect();
        format!(
            "CREATE INDEX IF NOT EXISTS {} ON {} ({});",
            ident(&self.name),
            ident(&self.table),
            columns.join(", ")
        )
    }
}

/// The indexes the policies of `ir` filter on that its schema lacks, in model order.
pub fn policy_indexes(ir: &Ir) -> Vec<PolicyIndex> {
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
    // In model order; per model, in the order found.
    let mut out: Vec<(&Model, Vec<String>)> = Vec::new();
    for model in &models {
        let mine: Vec<&Vec<String>> = wanted
            .iter()
            .filter(|(m, _)| m.name == model.name)
            .map(|(_, c)| c)
            .collect();
        for columns in &mine {
            let longer =
                |other: &Vec<String>| other.len() > columns.len() && serves(other, columns, model);
            let covered = existing_keys(model)
                .iter()
                .any(|k| serves(k, columns, model))
                || mine.iter().any(|other| longer(other));
            if !covered
                && !out
                    .iter()
                    .any(|(m, c)| m.name == model.name && c == *columns)
            {
                out.push((model, (*columns).clone()));
            }
        }
    }
    name_all(ir, out)
}

/// True when an index on `key` serves a lookup on `wanted`: it starts with the wanted columns in
/// any order, or (for `(tenant, x)`) with `x` alone, a key selective enough that the tenant is
/// only checked.
fn serves(key: &[String], wanted: &[String], model: &Model) -> bool {
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

/// The column lists of `model`'s primary key, unique keys and plain btree indexes.
fn existing_keys(model: &Model) -> Vec<&[String]> {
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

/// Names every index; a name taken in the database (a table, a constraint, an index, or another
/// of these) gets a hash suffix, as the front end does for constraint names.
fn name_all(ir: &Ir, indexes: Vec<(&Model, Vec<String>)>) -> Vec<PolicyIndex> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for model in &ir.models {
        taken.insert(model.table.clone());
        taken.insert(model.primary_key.name.clone());
        taken.extend(model.uniques.iter().map(|k| k.name.clone()));
        taken.extend(model.foreign_keys.iter().map(|k| k.name.clone()));
        taken.extend(model.indexes.iter().map(|k| k.name.clone()));
        taken.extend(model.checks.iter().map(|k| k.name.clone()));
    }
    for join in &ir.join_tables {
        taken.insert(join.name.clone());
        taken.insert(join.primary_key.name.clone());
        taken.extend(join.foreign_keys.iter().map(|k| k.name.clone()));
        taken.extend(join.indexes.iter().map(|k| k.name.clone()));
    }
    let plain: Vec<String> = indexes
        .iter()
        .map(|(m, columns)| {
            let parts: Vec<&str> = columns.iter().map(String::as_str).collect();
            constraint_name(&m.table, &parts, "idx")
        })
        .collect();
    let mut out = Vec::new();
    for (i, ((model, columns), name)) in indexes.into_iter().zip(&plain).enumerate() {
        let twice = plain.iter().enumerate().any(|(k, n)| k != i && n == name);
        let name = if twice || taken.contains(name) {
            (0..)
                .map(|attempt| suffixed(&model.table, name, attempt))
                .find(|candidate| !taken.contains(candidate))
                .expect("an endless supply of candidates")
        } else {
            name.clone()
        };
        taken.insert(name.clone());
        out.push(PolicyIndex {
            model: model.name.clone(),
            table: model.table.clone(),
            name,
            columns,
        });
    }
    out
}

/// `name` with `_<8 hex of blake3("<table>.<name>")>` before `_idx` (`<table>.<name>.<attempt>`
/// after the first attempt), cut to 63 bytes.
fn suffixed(table: &str, name: &str, attempt: usize) -> String {
    let key = match attempt {
        0 => format!("{table}.{name}"),
        n => format!("{table}.{name}.{n}"),
    };
    let hash = blake3::hash(key.as_bytes()).to_hex();
    let hash = &hash[..8];
    match name.strip_suffix("_idx").filter(|stem| !stem.is_empty()) {
        Some(stem) => constraint_name(stem, &[hash], "idx"),
        None => constraint_name(name, &[], hash),
    }
}
