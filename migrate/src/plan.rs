//! The planner: from the snapshot the database has and the snapshot the schema needs, the
//! classified operations between them, in an order that runs, and the snapshot after them.

use std::collections::{BTreeMap, BTreeSet};

use forge_schemas::constraint_name;
use serde::{Deserialize, Serialize};

use crate::deprecate::deprecated_name;
use crate::diff_table::diff_table;
use crate::enums::diff_enums;
use crate::error::PlanError;
use crate::hints::RenameHints;
use crate::matching::match_schemas;
use crate::operation::{ConstraintKind, Operation};
use crate::rename_order::order_renames;
use crate::rules::{Class, Rule};
use crate::same::{Renames, TableRenames};
use crate::snapshot::{DbSchema, DbTable, SNAPSHOT_VERSION};

/// What the planner may do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Plan destructive operations (drops that delete data). Without it, each is replaced by its
    /// fallback, which keeps the data; with it, what earlier fallbacks kept is purged too.
    pub allow_destructive: bool,
}

/// The operations of a migration, in order, each with its rule, and the snapshot they lead to.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub operations: Vec<PlannedOperation>,
    /// The database after the migration: the new schema, plus what fallbacks keep.
    pub snapshot: DbSchema,
}

/// An operation and how it is classified.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedOperation {
    pub operation: Operation,
    pub rule: Rule,
}

impl PlannedOperation {
    pub fn class(&self) -> Class {
        self.rule.class()
    }
}

impl Plan {
    /// True when the two snapshots need no change.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// The riskiest class among the operations (`safe` when there are none).
    pub fn class(&self) -> Class {
        self.operations
            .iter()
            .map(PlannedOperation::class)
            .max()
            .unwrap_or(Class::Safe)
    }

    /// The operations alone, in order.
    pub fn steps(&self) -> Vec<Operation> {
        self.operations
            .iter()
            .map(|p| p.operation.clone())
            .collect()
    }
}

/// Plans the migration from `old` (the snapshot of the database) to `new` (the snapshot the schema
/// needs, [`DbSchema::from_ir`]). Renames come only from `hints` and from models that keep their
/// names; a drop and an add that look like a rename stop the plan with the hint to add.
/// The same inputs always give the same plan.
pub fn plan(
    old: &DbSchema,
    new: &DbSchema,
    hints: &RenameHints,
    options: &PlanOptions,
) -> Result<Plan, PlanError> {
    if old.version != SNAPSHOT_VERSION {
        return Err(PlanError::SnapshotVersion { found: old.version });
    }
    let matching = match_schemas(old, new, hints).map_err(PlanError::LooksLikeRename)?;
    let allow = options.allow_destructive;
    let mut out: Vec<(Operation, Rule)> = Vec::new();
    let mut snapshot = DbSchema {
        version: SNAPSHOT_VERSION,
        enums: BTreeMap::new(),
        tables: BTreeMap::new(),
    };

    let renames = Renames {
        tables: &matching.table_map,
        columns: matching
            .pairs
            .iter()
            .map(|p| (p.old_name, p.columns.iter().copied().collect()))
            .collect(),
        retyped: matching
            .pairs
            .iter()
            .flat_map(|p| {
                p.columns.iter().filter_map(|&(o, n)| {
                    let (oc, nc) = (p.old.column(o)?, p.new.column(n)?);
                    (oc.ty != nc.ty).then_some((p.new_name, n))
                })
            })
            .collect(),
    };

    let table_renames: Vec<(String, String)> = matching
        .pairs
        .iter()
        .filter(|p| p.old_name != p.new_name)
        .map(|p| (p.old_name.to_string(), p.new_name.to_string()))
        .collect();
    for (from, to) in order_renames(table_renames) {
        out.push((Operation::RenameTable { from, to }, Rule::RenameTable));
    }
    for pair in &matching.pairs {
        let view = TableRenames {
            renames: &renames,
            old_table: pair.old_name,
            new_table: pair.new_name,
            old: pair.old,
            new: pair.new,
        };
        let table = diff_table(pair, &view, allow, &mut out);
        snapshot.tables.insert(pair.new_name.to_string(), table);
    }
    for &name in &matching.created {
        let def = new.tables[name].clone();
        let rule = if def.join.is_some() {
            Rule::CreateJoinTable
        } else {
            Rule::CreateTable
        };
        let op = Operation::CreateTable {
            table: name.to_string(),
            def,
        };
        out.push((op, rule));
        snapshot
            .tables
            .insert(name.to_string(), new.tables[name].clone());
    }
    let mut taken: BTreeSet<String> = old
        .tables
        .keys()
        .chain(new.tables.keys())
        .cloned()
        .collect();
    for &name in &matching.dropped {
        let table = &old.tables[name];
        if allow {
            drop_table(name, table, Rule::DropTable, &mut out);
        } else {
            let to = deprecated_name(name, |n| taken.contains(n));
            taken.insert(to.clone());
            let kept = deprecate_table(name, table, &to, &mut out);
            snapshot.tables.insert(to, kept);
        }
    }
    for (name, table) in old
        .tables
        .iter()
        .filter(|(_, t)| t.deprecated_from.is_some())
    {
        if allow {
            drop_table(name, table, Rule::PurgeTable, &mut out);
        } else {
            snapshot.tables.insert(name.clone(), table.clone());
        }
    }
    diff_enums(old, new, &mut snapshot, allow, &mut out);

    Ok(Plan {
        operations: in_order(order_index_renames(out)),
        snapshot,
    })
}

/// The foreign keys of a dropped table, then the table.
fn drop_table(name: &str, table: &DbTable, rule: Rule, out: &mut Vec<(Operation, Rule)>) {
    for fk in &table.foreign_keys {
        let op = Operation::DropForeignKey {
            table: name.to_string(),
            foreign_key: fk.clone(),
        };
        out.push((op, Rule::DropForeignKey));
    }
    let def = DbTable {
        foreign_keys: Vec::new(),
        ..table.clone()
    };
    out.push((
        Operation::DropTable {
            table: name.to_string(),
            def,
        },
        rule,
    ));
}

/// The fallback of dropping `name`: its foreign keys, checks, indexes and unique keys are dropped,
/// it is renamed to `to` and so is its primary key. Returns the table the snapshot keeps.
fn deprecate_table(
    name: &str,
    table: &DbTable,
    to: &str,
    out: &mut Vec<(Operation, Rule)>,
) -> DbTable {
    let t = || name.to_string();
    for fk in &table.foreign_keys {
        let op = Operation::DropForeignKey {
            table: t(),
            foreign_key: fk.clone(),
        };
        out.push((op, Rule::DropForeignKey));
    }
    for check in &table.checks {
        let op = Operation::DropCheck {
            table: t(),
            check: check.clone(),
        };
        out.push((op, Rule::DropCheck));
    }
    for index in &table.indexes {
        let op = Operation::DropIndex {
            table: t(),
            index: index.clone(),
        };
        out.push((op, Rule::DropIndex));
    }
    for key in &table.uniques {
        let op = Operation::DropUnique {
            table: t(),
            key: key.clone(),
        };
        out.push((op, Rule::DropUnique));
    }
    let op = Operation::DeprecateTable {
        table: t(),
        to: to.to_string(),
    };
    out.push((op, Rule::DeprecateTable));
    let pkey = constraint_name(to, &[], "pkey");
    let op = Operation::RenameConstraint {
        table: to.to_string(),
        kind: ConstraintKind::PrimaryKey,
        from: table.primary_key.name.clone(),
        to: pkey.clone(),
    };
    out.push((op, Rule::RenameConstraint));
    let mut kept = DbTable {
        foreign_keys: Vec::new(),
        checks: Vec::new(),
        indexes: Vec::new(),
        uniques: Vec::new(),
        deprecated_from: Some(name.to_string()),
        ..table.clone()
    };
    kept.primary_key.name = pkey;
    kept
}

/// Renames of primary keys, unique keys and indexes, whose names share one namespace per schema
/// (PostgreSQL, SQLite), ordered so that none takes a name another still holds; a cycle (two
/// tables that swap names) goes through a temporary name.
fn order_index_renames(ops: Vec<(Operation, Rule)>) -> Vec<(Operation, Rule)> {
    let index_like = |kind: &ConstraintKind| {
        matches!(
            kind,
            ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Index
        )
    };
    let (renames, mut rest): (Vec<_>, Vec<_>) = ops.into_iter().partition(
        |(op, _)| matches!(op, Operation::RenameConstraint { kind, .. } if index_like(kind)),
    );
    // Each rename's table and kind, by the name it starts from and by the name it ends with.
    let mut by_from: BTreeMap<String, (String, ConstraintKind)> = BTreeMap::new();
    let mut by_to: BTreeMap<String, (String, ConstraintKind)> = BTreeMap::new();
    let mut pairs = Vec::new();
    for (op, _) in renames {
        if let Operation::RenameConstraint {
            table,
            kind,
            from,
            to,
        } = op
        {
            by_from.insert(from.clone(), (table.clone(), kind));
            by_to.insert(to.clone(), (table, kind));
            pairs.push((from, to));
        }
    }
    for (from, to) in order_renames(pairs) {
        let (table, kind) = by_from
            .get(&from)
            .or_else(|| by_to.get(&to))
            .cloned()
            .expect("every rename's names are known");
        let op = Operation::RenameConstraint {
            table,
            kind,
            from,
            to,
        };
        rest.push((op, Rule::RenameConstraint));
    }
    rest
}

/// The operations sorted by stage; inside a stage by table (table renames keep the order that
/// frees names first), then in the order they were planned.
fn in_order(ops: Vec<(Operation, Rule)>) -> Vec<PlannedOperation> {
    let mut keyed: Vec<(usize, (Operation, Rule))> = ops.into_iter().enumerate().collect();
    keyed.sort_by(|(i, (a, _)), (j, (b, _))| sort_key(a, *i).cmp(&sort_key(b, *j)));
    keyed
        .into_iter()
        .map(|(_, (operation, rule))| PlannedOperation { operation, rule })
        .collect()
}

/// Where an operation goes: its stage, then its table (not for renames of tables, primary keys,
/// unique keys and indexes, whose planned order matters), then `index`.
pub(crate) fn sort_key(op: &Operation, index: usize) -> ((u8, u8), &str, usize) {
    let group = match op {
        Operation::RenameTable { .. }
        | Operation::DeprecateTable { .. }
        | Operation::RestoreTable { .. }
        | Operation::RenameConstraint { .. } => "",
        Operation::CreateEnum { name, .. }
        | Operation::DropEnum { name, .. }
        | Operation::AddEnumValues { name, .. }
        | Operation::ReplaceEnumValues { name, .. }
        | Operation::KeepEnumValues { name, .. } => name,
        other => other.table().unwrap_or_default(),
    };
    (op.stage(), group, index)
}
