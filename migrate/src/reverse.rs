//! Undoing a plan: each operation's inverse, named as the database is at that point, in the
//! planner's stage order. A plan with an operation that deletes data has no reverse.

use std::collections::BTreeMap;

use forge_gen_sql::Dialect;

use crate::enums::is_subsequence;
use crate::operation::Operation;
use crate::plan::{Plan, sort_key};
use crate::snapshot::DbSchema;
use crate::sql::{Script, render};

impl Plan {
    /// The migration's SQL in `dialect`; `old` is the snapshot the plan started from.
    pub fn script(&self, dialect: Dialect, old: &DbSchema) -> Script {
        render(dialect, &self.steps(), old, &self.snapshot)
    }

    /// The SQL that undoes the migration in `dialect`, when every operation can be undone.
    pub fn reverse_script(&self, dialect: Dialect, old: &DbSchema) -> Option<Script> {
        Some(render(dialect, &self.reverse()?, &self.snapshot, old))
    }

    /// The operations that take the database back from [`Plan::snapshot`] to the old snapshot,
    /// or `None` when one operation cannot be undone (it deleted data).
    pub fn reverse(&self) -> Option<Vec<Operation>> {
        let names = OldNames::new(self.operations.iter().map(|p| &p.operation));
        let mut out = Vec::new();
        for (i, planned) in self.operations.iter().enumerate() {
            let forward_late = planned.operation.stage().0 >= 4;
            for op in inverse(&planned.operation)? {
                let op = if forward_late && op.stage().0 >= 4 {
                    names.translate(op)
                } else {
                    op
                };
                out.push((i, op));
            }
        }
        // The same stages; inside one, undo in the opposite order.
        out.sort_by(|(i, a), (j, b)| {
            let (ka, kb) = (sort_key(a, 0), sort_key(b, 0));
            (ka.0, ka.1, std::cmp::Reverse(*i)).cmp(&(kb.0, kb.1, std::cmp::Reverse(*j)))
        });
        Some(out.into_iter().map(|(_, op)| op).collect())
    }
}

/// The inverse of one operation, or `None` when it deleted data.
pub(crate) fn inverse(op: &Operation) -> Option<Vec<Operation>> {
    use Operation::*;
    let one = |op| Some(vec![op]);
    match op.clone() {
        CreateEnum { name, def } => one(DropEnum { name, def }),
        DropEnum { name, def } => one(CreateEnum { name, def }),
        AddEnumValues { name, from, to } => one(ReplaceEnumValues {
            name,
            from: to,
            to: from,
        }),
        ReplaceEnumValues { name, from, to } if is_subsequence(&to, &from) => one(AddEnumValues {
            name,
            from: to,
            to: from,
        }),
        ReplaceEnumValues { name, from, to } => one(ReplaceEnumValues {
            name,
            from: to,
            to: from,
        }),
        KeepEnumValues { .. } => Some(Vec::new()),
        CreateTable { table, def } => {
            let mut out: Vec<Operation> = def
                .foreign_keys
                .iter()
                .map(|fk| DropForeignKey {
                    table: table.clone(),
                    foreign_key: fk.clone(),
                })
                .collect();
            out.push(DropTable { table, def });
            Some(out)
        }
        DropTable { .. } | DropColumn { .. } => None,
        RenameTable { from, to } => one(RenameTable { from: to, to: from }),
        DeprecateTable { table, to } => one(RestoreTable {
            table: to,
            to: table,
        }),
        RestoreTable { table, to } => one(DeprecateTable {
            table: to,
            to: table,
        }),
        AddColumn { table, column } => one(DropColumn { table, column }),
        RenameColumn { table, from, to } => one(RenameColumn {
            table,
            from: to,
            to: from,
        }),
        DeprecateColumn { table, column, to } => one(RestoreColumn {
            table,
            column: to,
            to: column,
        }),
        RestoreColumn { table, column, to } => one(DeprecateColumn {
            table,
            column: to,
            to: column,
        }),
        AlterColumnType {
            table,
            column,
            from,
            to,
        } => one(AlterColumnType {
            table,
            column,
            from: to,
            to: from,
        }),
        SetNotNull { table, column } => one(DropNotNull { table, column }),
        DropNotNull { table, column } => one(SetNotNull { table, column }),
        SetDefault {
            table,
            column,
            from: None,
            to,
        } => one(DropDefault {
            table,
            column,
            from: to,
        }),
        SetDefault {
            table,
            column,
            from: Some(from),
            to,
        } => one(SetDefault {
            table,
            column,
            from: Some(to),
            to: from,
        }),
        DropDefault {
            table,
            column,
            from,
        } => one(SetDefault {
            table,
            column,
            from: None,
            to: from,
        }),
        AddPrimaryKey { table, key } => one(DropPrimaryKey { table, key }),
        DropPrimaryKey { table, key } => one(AddPrimaryKey { table, key }),
        AddUnique { table, key } => one(DropUnique { table, key }),
        DropUnique { table, key } => one(AddUnique { table, key }),
        AddIndex { table, index } => one(DropIndex { table, index }),
        DropIndex { table, index } => one(AddIndex { table, index }),
        AddForeignKey { table, foreign_key } => one(DropForeignKey { table, foreign_key }),
        DropForeignKey { table, foreign_key } => one(AddForeignKey { table, foreign_key }),
        AddCheck { table, check } => one(DropCheck { table, check }),
        DropCheck { table, check } => one(AddCheck { table, check }),
        RenameConstraint {
            table,
            kind,
            from,
            to,
        } => one(RenameConstraint {
            table,
            kind,
            from: to,
            to: from,
        }),
    }
}

/// The names tables and columns had before a plan, from the names after it.
struct OldNames {
    tables: BTreeMap<String, String>,
    /// (new table, new column) -> old column.
    columns: BTreeMap<(String, String), String>,
}

impl OldNames {
    fn new<'a>(ops: impl Iterator<Item = &'a Operation>) -> OldNames {
        let mut tables: BTreeMap<String, String> = BTreeMap::new();
        let mut columns: BTreeMap<(String, String), String> = BTreeMap::new();
        for op in ops {
            match op {
                Operation::RenameTable { from, to }
                | Operation::DeprecateTable { table: from, to }
                | Operation::RestoreTable { table: from, to } => {
                    let first = tables.remove(from).unwrap_or_else(|| from.clone());
                    tables.insert(to.clone(), first);
                }
                Operation::RenameColumn { table, from, to }
                | Operation::DeprecateColumn {
                    table,
                    column: from,
                    to,
                }
                | Operation::RestoreColumn {
                    table,
                    column: from,
                    to,
                } => {
                    let key = (table.clone(), from.clone());
                    let first = columns.remove(&key).unwrap_or_else(|| from.clone());
                    columns.insert((table.clone(), to.clone()), first);
                }
                _ => {}
            }
        }
        OldNames { tables, columns }
    }

    fn table(&self, name: &str) -> String {
        self.tables
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    fn column(&self, table: &str, column: &str) -> String {
        self.columns
            .get(&(table.to_string(), column.to_string()))
            .cloned()
            .unwrap_or_else(|| column.to_string())
    }

    /// An inverse that runs after the reverse's renames, with the names from before the plan.
    /// Table renames run first in their stage and keep their names.
    fn translate(&self, op: Operation) -> Operation {
        use Operation::*;
        match op {
            AlterColumnType {
                table,
                column,
                from,
                to,
            } => AlterColumnType {
                column: self.column(&table, &column),
                table: self.table(&table),
                from,
                to,
            },
            SetNotNull { table, column } => SetNotNull {
                column: self.column(&table, &column),
                table: self.table(&table),
            },
            DropNotNull { table, column } => DropNotNull {
                column: self.column(&table, &column),
                table: self.table(&table),
            },
            SetDefault {
                table,
                column,
                from,
                to,
            } => SetDefault {
                column: self.column(&table, &column),
                table: self.table(&table),
                from,
                to,
            },
            DropDefault {
                table,
                column,
                from,
            } => DropDefault {
                column: self.column(&table, &column),
                table: self.table(&table),
                from,
            },
            RenameColumn { table, from, to } => RenameColumn {
                table: self.table(&table),
                from,
                to,
            },
            DeprecateColumn { table, column, to } => DeprecateColumn {
                table: self.table(&table),
                column,
                to,
            },
            RestoreColumn { table, column, to } => RestoreColumn {
                table: self.table(&table),
                column,
                to,
            },
            RenameConstraint {
                table,
                kind,
                from,
                to,
            } => RenameConstraint {
                table: self.table(&table),
                kind,
                from,
                to,
            },
            other => other,
        }
    }
}
