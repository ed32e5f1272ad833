//! The indexes that policies filter on and `schema.sql` may not have, as `forge_schemas`'s
//! [`wanted_indexes`] finds them (the analysis is shared with the front end, which warns about the
//! columns nothing indexes): the tenant column of every tenant-scoped model, `(tenant, column)` for
//! an owner rule's column, and `(tenant, <via>_id)` behind a has-many lookup.
//!
//! This module names them: `<table>_<columns>_idx`, cut to 63 bytes, and with a hash suffix when
//! the name is already taken in the database. `policies.sql` creates them with
//! `CREATE INDEX IF NOT EXISTS`, so a future `schema.sql` that creates them itself makes these
//! statements no-ops.

use std::collections::BTreeSet;

use forge_schemas::{Ir, WantedIndex, constraint_name, wanted_indexes};

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

/// The indexes the policies of `ir` filter on that its schema lacks, in model order, named.
pub fn policy_indexes(ir: &Ir) -> Vec<PolicyIndex> {
    name_all(ir, wanted_indexes(ir))
}

/// Names every index; a name taken in the database (a table, a constraint, an index, or another
/// of these) gets a hash suffix, as the front end does for constraint names.
fn name_all(ir: &Ir, indexes: Vec<WantedIndex>) -> Vec<PolicyIndex> {
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
        .map(|w| {
            let parts: Vec<&str> = w.columns.iter().map(String::as_str).collect();
            constraint_name(&w.table, &parts, "idx")
        })
        .collect();
    let mut out = Vec::new();
    for (i, (wanted, name)) in indexes.into_iter().zip(&plain).enumerate() {
        let twice = plain.iter().enumerate().any(|(k, n)| k != i && n == name);
        let name = if twice || taken.contains(name) {
            (0..)
                .map(|attempt| suffixed(&wanted.table, name, attempt))
                .find(|candidate| !taken.contains(candidate))
                .expect("an endless supply of candidates")
        } else {
            name.clone()
        };
        taken.insert(name.clone());
        out.push(PolicyIndex {
            model: wanted.model,
            table: wanted.table,
            name,
            columns: wanted.columns,
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
