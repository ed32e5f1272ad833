//! Rename hints: the schema's `renamed-from=` on models and fields, the only source of renames
//! besides a model keeping its name while its table changes.

use std::collections::BTreeMap;

use forge_schemas::Ir;

/// What the schema says was renamed, keyed by the new names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RenameHints {
    /// New table -> the model's previous name (`model Article renamed-from="Post"`).
    pub models: BTreeMap<String, String>,
    /// (New table, new column) -> the column's previous name (`renamed-from=` on a field, or on
    /// a `belongs-to`, whose previous key column the IR already holds).
    pub columns: BTreeMap<(String, String), String>,
}

impl RenameHints {
    /// No renames.
    pub fn none() -> RenameHints {
        RenameHints::default()
    }

    /// Every `renamed-from=` of `ir`. A hint that no longer matches anything (the rename was
    /// applied by an earlier migration) is ignored by the planner.
    pub fn from_ir(ir: &Ir) -> RenameHints {
        let mut hints = RenameHints::default();
        for m in ir.models.iter().filter(|m| !m.stub) {
            if let Some(old) = &m.renamed_from {
                hints.models.insert(m.table.clone(), old.clone());
            }
            for f in &m.fields {
                if let Some(old) = &f.renamed_from {
                    hints
                        .columns
                        .insert((m.table.clone(), f.name.clone()), old.clone());
                }
            }
        }
        hints
    }

    /// The previous name of `column` of `table`, if the schema gives one.
    pub fn column(&self, table: &str, column: &str) -> Option<&str> {
        self.columns
            .get(&(table.to_string(), column.to_string()))
            .map(String::as_str)
    }
}
