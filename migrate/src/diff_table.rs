//! The operations that turn one old table into the new table it became: renamed, added, changed,
//! dropped (or deprecated) columns, and every constraint and index.

use forge_schemas::{Check, ForeignKey, Index, Key};

use crate::classify::{add_column_rule, type_change_rule};
use crate::deprecate::deprecated_name;
use crate::matching::TablePair;
use crate::operation::{ConstraintKind, Operation};
use crate::rename_order::order_renames;
use crate::rules::Rule;
use crate::same::TableRenames;
use crate::snapshot::{DbColumn, DbTable};

/// The operations for `pair`, and the table the new snapshot records (the new table, plus the
/// columns deprecated now or before).
pub(crate) fn diff_table(
    pair: &TablePair<'_>,
    renames: &TableRenames<'_, '_>,
    allow_destructive: bool,
    out: &mut Vec<(Operation, Rule)>,
) -> DbTable {
    let (old_name, new_name) = (pair.old_name.to_string(), pair.new_name.to_string());
    let mut kept = pair.new.clone();

    let column_renames: Vec<(String, String)> = pair
        .columns
        .iter()
        .filter(|(o, n)| o != n)
        .map(|(o, n)| (o.to_string(), n.to_string()))
        .collect();
    for (from, to) in order_renames(column_renames) {
        let op = Operation::RenameColumn {
            table: new_name.clone(),
            from,
            to,
        };
        out.push((op, Rule::RenameColumn));
    }
    for &(o, n) in &pair.columns {
        let old = pair
            .old
            .column(o)
            .expect("a paired column is in the old table");
        let new = pair
            .new
            .column(n)
            .expect("a paired column is in the new table");
        column_changes(&new_name, old, new, out);
    }
    for column in &pair.added {
        let tenant = pair.new.tenant.as_deref() == Some(&column.name) && pair.old.tenant.is_none();
        let op = Operation::AddColumn {
            table: new_name.clone(),
            column: (*column).clone(),
        };
        out.push((op, add_column_rule(column, tenant)));
    }

    // Columns the schema dropped: dropped with the flag, deprecated without it.
    let mut names: Vec<String> = pair
        .old
        .columns
        .iter()
        .chain(&pair.new.columns)
        .map(|c| c.name.clone())
        .collect();
    let mut deprecated_now = Vec::new();
    for column in &pair.dropped {
        if allow_destructive {
            let op = Operation::DropColumn {
                table: old_name.clone(),
                column: (*column).clone(),
            };
            out.push((op, Rule::DropColumn));
            continue;
        }
        let to = deprecated_name(&column.name, |n| names.iter().any(|m| m == n));
        names.push(to.clone());
        let op = Operation::DeprecateColumn {
            table: new_name.clone(),
            column: column.name.clone(),
            to: to.clone(),
        };
        out.push((op, Rule::DeprecateColumn));
        if !column.nullable {
            let op = Operation::DropNotNull {
                table: new_name.clone(),
                column: to.clone(),
            };
            out.push((op, Rule::DropNotNull));
        }
        deprecated_now.push(DbColumn {
            name: to,
            nullable: true,
            relation: None,
            deprecated_from: Some(column.name.clone()),
            ..(*column).clone()
        });
    }
    for column in pair
        .old
        .columns
        .iter()
        .filter(|c| c.deprecated_from.is_some())
    {
        if allow_destructive {
            let op = Operation::DropColumn {
                table: old_name.clone(),
                column: column.clone(),
            };
            out.push((op, Rule::PurgeColumn));
        } else {
            kept.columns.push(column.clone());
        }
    }
    kept.columns.extend(deprecated_now);

    constraints(pair, renames, out);
    kept
}

/// Type, nullability and default of a column in both tables.
fn column_changes(table: &str, old: &DbColumn, new: &DbColumn, out: &mut Vec<(Operation, Rule)>) {
    let (table, column) = (table.to_string(), new.name.clone());
    if old.ty != new.ty {
        let op = Operation::AlterColumnType {
            table: table.clone(),
            column: column.clone(),
            from: old.ty.clone(),
            to: new.ty.clone(),
        };
        out.push((op, type_change_rule(&old.ty, &new.ty)));
    }
    match (old.nullable, new.nullable) {
        (true, false) => out.push((
            Operation::SetNotNull {
                table: table.clone(),
                column: column.clone(),
            },
            Rule::SetNotNull,
        )),
        (false, true) => out.push((
            Operation::DropNotNull {
                table: table.clone(),
                column: column.clone(),
            },
            Rule::DropNotNull,
        )),
        _ => {}
    }
    match (&old.default, &new.default) {
        (from, Some(to)) if from.as_ref() != Some(to) => out.push((
            Operation::SetDefault {
                table,
                column,
                from: from.clone(),
                to: to.clone(),
            },
            Rule::SetDefault,
        )),
        (Some(from), None) => out.push((
            Operation::DropDefault {
                table,
                column,
                from: from.clone(),
            },
            Rule::DropDefault,
        )),
        _ => {}
    }
}

/// Drops, adds and renames of the primary key, uniques, indexes, checks and foreign keys.
fn constraints(pair: &TablePair<'_>, r: &TableRenames<'_, '_>, out: &mut Vec<(Operation, Rule)>) {
    let (old_table, new_table) = (pair.old_name.to_string(), pair.new_name.to_string());
    let (old, new) = (pair.old, pair.new);

    let (o, n) = (&old.primary_key, &new.primary_key);
    if !r.same_key(o, n) {
        let drop = Operation::DropPrimaryKey {
            table: old_table.clone(),
            key: o.clone(),
        };
        let add = Operation::AddPrimaryKey {
            table: new_table.clone(),
            key: n.clone(),
        };
        out.push((drop, Rule::DropPrimaryKey));
        out.push((add, Rule::AddPrimaryKey));
    } else if o.name != n.name {
        out.push(rename(
            &new_table,
            ConstraintKind::PrimaryKey,
            &o.name,
            &n.name,
        ));
    }

    let keys = matched(
        &old.uniques,
        &new.uniques,
        |k: &Key| &k.name,
        |a, b| r.same_key(a, b),
    );
    keys.emit(
        out,
        ConstraintKind::Unique,
        |k| &k.name,
        |k, add| {
            let (table, key) = (if add { &new_table } else { &old_table }.clone(), k.clone());
            if add {
                (Operation::AddUnique { table, key }, Rule::AddUnique)
            } else {
                (Operation::DropUnique { table, key }, Rule::DropUnique)
            }
        },
        &new_table,
    );

    let indexes = matched(
        &old.indexes,
        &new.indexes,
        |i: &Index| &i.name,
        |a, b| r.same_index(a, b),
    );
    indexes.emit(
        out,
        ConstraintKind::Index,
        |i| &i.name,
        |i, add| {
            let (table, index) = (if add { &new_table } else { &old_table }.clone(), i.clone());
            if add {
                (Operation::AddIndex { table, index }, Rule::AddIndex)
            } else {
                (Operation::DropIndex { table, index }, Rule::DropIndex)
            }
        },
        &new_table,
    );

    let checks = matched(
        &old.checks,
        &new.checks,
        |c: &Check| &c.name,
        |a, b| r.same_check(a, b),
    );
    checks.emit(
        out,
        ConstraintKind::Check,
        |c| &c.name,
        |c, add| {
            let (table, check) = (if add { &new_table } else { &old_table }.clone(), c.clone());
            if add {
                (Operation::AddCheck { table, check }, Rule::AddCheck)
            } else {
                (Operation::DropCheck { table, check }, Rule::DropCheck)
            }
        },
        &new_table,
    );

    let fks = matched(
        &old.foreign_keys,
        &new.foreign_keys,
        |f: &ForeignKey| &f.name,
        |a, b| r.same_foreign_key(a, b),
    );
    fks.emit(
        out,
        ConstraintKind::ForeignKey,
        |f| &f.name,
        |f, add| {
            let (table, foreign_key) =
                (if add { &new_table } else { &old_table }.clone(), f.clone());
            if add {
                (
                    Operation::AddForeignKey { table, foreign_key },
                    Rule::AddForeignKey,
                )
            } else {
                (
                    Operation::DropForeignKey { table, foreign_key },
                    Rule::DropForeignKey,
                )
            }
        },
        &new_table,
    );
}

fn rename(table: &str, kind: ConstraintKind, from: &str, to: &str) -> (Operation, Rule) {
    let op = Operation::RenameConstraint {
        table: table.to_string(),
        kind,
        from: from.to_string(),
        to: to.to_string(),
    };
    (op, Rule::RenameConstraint)
}

/// Old and new constraints of one kind, matched: by name when the definition is the same, else
/// by definition under another name (a rename), else dropped and added.
struct Matched<'a, T> {
    drops: Vec<&'a T>,
    adds: Vec<&'a T>,
    renames: Vec<(&'a T, &'a T)>,
}

fn matched<'a, T>(
    old: &'a [T],
    new: &'a [T],
    name: impl Fn(&T) -> &String,
    same: impl Fn(&T, &T) -> bool,
) -> Matched<'a, T> {
    let mut old_used = vec![false; old.len()];
    let mut new_done = vec![false; new.len()];
    for (j, n) in new.iter().enumerate() {
        if let Some(i) = old.iter().position(|o| name(o) == name(n))
            && same(&old[i], n)
        {
            old_used[i] = true;
            new_done[j] = true;
        }
    }
    let mut renames = Vec::new();
    for (j, n) in new.iter().enumerate() {
        if new_done[j] {
            continue;
        }
        let found = old.iter().enumerate().position(|(i, o)| {
            !old_used[i]
                && name(o) != name(n)
                && same(o, n)
                && !new.iter().any(|m| name(m) == name(o))
        });
        if let Some(i) = found {
            old_used[i] = true;
            new_done[j] = true;
            renames.push((&old[i], n));
        }
    }
    Matched {
        drops: old
            .iter()
            .enumerate()
            .filter(|(i, _)| !old_used[*i])
            .map(|(_, o)| o)
            .collect(),
        adds: new
            .iter()
            .enumerate()
            .filter(|(j, _)| !new_done[*j])
            .map(|(_, n)| n)
            .collect(),
        renames,
    }
}

impl<T> Matched<'_, T> {
    fn emit(
        &self,
        out: &mut Vec<(Operation, Rule)>,
        kind: ConstraintKind,
        name: impl Fn(&T) -> &String,
        op: impl Fn(&T, bool) -> (Operation, Rule),
        table: &str,
    ) {
        out.extend(self.drops.iter().map(|d| op(d, false)));
        out.extend(
            self.renames
                .iter()
                .map(|(o, n)| rename(table, kind, name(o), name(n))),
        );
        out.extend(self.adds.iter().map(|a| op(a, true)));
    }
}
