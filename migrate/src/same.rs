//! Whether an old constraint or index is the same as a new one once renames are taken into
//! account: the database's view of sameness. Model names, relation names and an expression's
//! source text are the schema's business, not the database's, and are not compared.

use std::collections::{BTreeMap, BTreeSet};

use forge_schemas::{Check, CheckKind, Expr, ForeignKey, Index, Key, RefBase};

use crate::snapshot::DbTable;

/// Old column -> new column of each paired table (by old table name), old table -> new table,
/// and the (new table, new column) pairs whose type changes.
pub(crate) struct Renames<'a> {
    pub tables: &'a BTreeMap<&'a str, &'a str>,
    pub columns: BTreeMap<&'a str, BTreeMap<&'a str, &'a str>>,
    pub retyped: BTreeSet<(&'a str, &'a str)>,
}

/// One paired table's view of the renames.
pub(crate) struct TableRenames<'r, 'a> {
    pub renames: &'r Renames<'a>,
    pub old_table: &'a str,
    pub new_table: &'a str,
    pub old: &'a DbTable,
    pub new: &'a DbTable,
}

impl<'a> TableRenames<'_, 'a> {
    /// The new name of this table's old column, when it is kept.
    fn column(&self, old: &str) -> Option<&'a str> {
        self.renames.columns.get(self.old_table)?.get(old).copied()
    }

    /// The old columns as new names, when every one is kept with its type.
    fn columns(&self, old: &[String], new: &[String]) -> bool {
        old.len() == new.len()
            && old.iter().zip(new).all(|(o, n)| {
                self.column(o) == Some(n.as_str())
                    && !self.renames.retyped.contains(&(self.new_table, n.as_str()))
            })
    }

    pub fn same_key(&self, old: &Key, new: &Key) -> bool {
        self.columns(&old.columns, &new.columns)
    }

    pub fn same_index(&self, old: &Index, new: &Index) -> bool {
        self.columns(&old.columns, &new.columns)
            && old.using == new.using
            && match (&old.r#where, &new.r#where) {
                (None, None) => true,
                (Some(o), Some(n)) => self.same_expr(&o.expr, &n.expr),
                _ => false,
            }
    }

    pub fn same_check(&self, old: &Check, new: &Check) -> bool {
        match (&old.kind, &new.kind) {
            (
                CheckKind::Bounds {
                    field: of,
                    min: omin,
                    max: omax,
                    length: olen,
                },
                CheckKind::Bounds {
                    field: nf,
                    min: nmin,
                    max: nmax,
                    length: nlen,
                },
            ) => {
                // A bound lets null pass only on an optional column: the SQL follows nullability.
                let nullable = |t: &DbTable, c: &str| t.column(c).map(|c| c.nullable);
                self.column(of) == Some(nf.as_str())
                    && (omin, omax, olen) == (nmin, nmax, nlen)
                    && nullable(self.old, of) == nullable(self.new, nf)
            }
            (CheckKind::Expr { condition: o }, CheckKind::Expr { condition: n }) => {
                self.same_expr(&o.expr, &n.expr)
            }
            _ => false,
        }
    }

    pub fn same_foreign_key(&self, old: &ForeignKey, new: &ForeignKey) -> bool {
        let Some(&target) = self.renames.tables.get(old.target_table.as_str()) else {
            return false;
        };
        let target_columns = self.renames.columns.get(old.target_table.as_str());
        let targets_kept = old.target_columns.len() == new.target_columns.len()
            && old
                .target_columns
                .iter()
                .zip(&new.target_columns)
                .all(|(o, n)| {
                    target_columns.and_then(|m| m.get(o.as_str())) == Some(&n.as_str())
                        && !self.renames.retyped.contains(&(target, n.as_str()))
                });
        target == new.target_table
            && targets_kept
            && self.columns(&old.columns, &new.columns)
            && old.on_delete == new.on_delete
            && old.set_null_columns.len() == new.set_null_columns.len()
            && old
                .set_null_columns
                .iter()
                .zip(&new.set_null_columns)
                .all(|(o, n)| self.column(o) == Some(n.as_str()))
    }

    /// The same expression over the renamed columns (model names aside).
    fn same_expr(&self, old: &Expr, new: &Expr) -> bool {
        match (old, new) {
            (Expr::Field { field: o }, Expr::Field { field: n }) => {
                let column = if o.base == RefBase::Record && o.hops.is_empty() {
                    self.column(&o.field) == Some(n.field.as_str())
                } else {
                    o.field == n.field
                };
                column
                    && o.base == n.base
                    && o.hops == n.hops
                    && o.ty == n.ty
                    && o.optional == n.optional
            }
            (Expr::Not { expr: o }, Expr::Not { expr: n }) => self.same_expr(o, n),
            (Expr::And { exprs: o }, Expr::And { exprs: n })
            | (Expr::Or { exprs: o }, Expr::Or { exprs: n }) => self.same_list(o, n),
            (
                Expr::Compare {
                    cmp: oc,
                    left: ol,
                    right: or,
                },
                Expr::Compare {
                    cmp: nc,
                    left: nl,
                    right: nr,
                },
            ) => oc == nc && self.same_expr(ol, nl) && self.same_expr(or, nr),
            (
                Expr::In {
                    value: ov,
                    list: ol,
                },
                Expr::In {
                    value: nv,
                    list: nl,
                },
            ) => self.same_expr(ov, nv) && self.same_list(ol, nl),
            _ => old == new,
        }
    }

    fn same_list(&self, old: &[Expr], new: &[Expr]) -> bool {
        old.len() == new.len() && old.iter().zip(new).all(|(o, n)| self.same_expr(o, n))
    }
}
