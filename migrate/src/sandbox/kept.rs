//! What the replayed database holds only because a fallback kept it (the snapshot records it):
//! deprecated tables, deprecated columns with the checks written on them, and enum values kept
//! in the text of an enum column's checks and partial indexes (`kept_values.rs`). Set aside before
//! the comparison, since the schema's own `schema.sql` never makes them.

use forge_schemas::FieldType;

use super::kept_values::{without_members, without_ranks};
use super::live::LiveSchema;
use crate::snapshot::DbSchema;

/// `live` without what `snapshot` says a fallback kept.
pub(crate) fn set_aside_kept(live: &LiveSchema, snapshot: &DbSchema) -> LiveSchema {
    let mut live = live.clone();
    for (name, table) in &snapshot.tables {
        if table.deprecated_from.is_some() {
            live.tables.remove(name);
            continue;
        }
        let Some(found) = live.tables.get_mut(name) else {
            continue;
        };
        for column in table.columns.iter().filter(|c| c.deprecated_from.is_some()) {
            found.columns.retain(|c| c.name != column.name);
            found
                .checks
                .retain(|c| c.column.as_deref() != Some(column.name.as_str()));
        }
        for column in table.live_columns() {
            let FieldType::Enum { name: enum_name } = &column.ty else {
                continue;
            };
            let Some(e) = snapshot
                .enums
                .get(enum_name)
                .filter(|e| !e.deprecated_values.is_empty())
            else {
                continue;
            };
            let (values, kept) = (&e.values, &e.deprecated_values);
            for check in &mut found.checks {
                if check.column.as_deref() == Some(column.name.as_str()) {
                    check.sql = without_members(&check.sql, &column.name, kept);
                }
                check.sql = without_ranks(&check.sql, &column.name, values, kept);
            }
            for index in found.indexes.values_mut() {
                if let Some(partial) = &index.partial {
                    index.partial = Some(without_ranks(partial, &column.name, values, kept));
                }
            }
        }
        found.checks.sort();
    }
    live
}
