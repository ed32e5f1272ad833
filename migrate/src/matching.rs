//! Which old table is which new table, and which old column is which new column.
//!
//! A model's table keeps its identity when its model keeps its name (whatever `table=` says) or
//! says `renamed-from=`, else when its name stays; a join table keeps its identity when its name
//! stays or the relation it stores is the same (after model renames). A column keeps its identity
//! when its name stays, or when the field says `renamed-from=` and the new name is not an old
//! column (so a hint left in the schema after its migration changes nothing); a join table's
//! columns keep theirs by role. Everything else is a drop and an add; a drop and an add that look
//! like a rename stop the plan with the hint that would make them one.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::RenameSuggestion;
use crate::hints::RenameHints;
use crate::operation::type_text;
use crate::snapshot::{DbColumn, DbSchema, DbTable, JoinInfo};

/// The tables of two snapshots, matched.
pub(crate) struct Matching<'a> {
    /// Tables in both, renamed or not.
    pub pairs: Vec<TablePair<'a>>,
    /// Old tables the new schema does not have (deprecated ones excluded).
    pub dropped: Vec<&'a str>,
    /// New tables the old schema does not have.
    pub created: Vec<&'a str>,
    /// Old name -> new name of every paired table.
    pub table_map: BTreeMap<&'a str, &'a str>,
}

/// An old table and the new table it became.
pub(crate) struct TablePair<'a> {
    pub old_name: &'a str,
    pub new_name: &'a str,
    pub old: &'a DbTable,
    pub new: &'a DbTable,
    /// (old column, new column) for columns in both, in the new table's order.
    pub columns: Vec<(&'a str, &'a str)>,
    /// Old live columns the new table does not have.
    pub dropped: Vec<&'a DbColumn>,
    /// New columns the old table does not have.
    pub added: Vec<&'a DbColumn>,
}

/// Matches the tables and columns of `old` and `new`, or returns every drop + add that looks like
/// a rename.
pub(crate) fn match_schemas<'a>(
    old: &'a DbSchema,
    new: &'a DbSchema,
    hints: &RenameHints,
) -> Result<Matching<'a>, Vec<RenameSuggestion>> {
    let mut old_free: BTreeSet<&str> = old
        .tables
        .iter()
        .filter(|(_, t)| t.deprecated_from.is_none())
        .map(|(n, _)| n.as_str())
        .collect();
    let mut new_free: BTreeSet<&str> = new.tables.keys().map(String::as_str).collect();
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    // A model's table: the same model, or the model's previous name.
    let mut old_by_model: BTreeMap<&str, &str> = old_free
        .iter()
        .map(|o| (*o, &old.tables[*o]))
        .filter(|(_, t)| t.join.is_none())
        .map(|(o, t)| (t.model.as_str(), o))
        .collect();
    for n in new_free.clone() {
        let table = &new.tables[n];
        if table.join.is_some() {
            continue;
        }
        let wanted = [
            Some(table.model.as_str()),
            hints.models.get(n).map(String::as_str),
        ];
        let found = wanted
            .into_iter()
            .flatten()
            .find_map(|model| old_by_model.remove(model));
        if let Some(o) = found {
            old_free.remove(o);
            new_free.remove(n);
            pairs.push((o, n));
        }
    }
    // The same name (a model renamed without a hint but keeping its table).
    for n in new_free.clone() {
        let same_kind = old
            .tables
            .get(n)
            .is_some_and(|o| o.join.is_some() == new.tables[n].join.is_some());
        if same_kind && old_free.remove(n) {
            pairs.push((n, n));
            new_free.remove(n);
        }
    }
    // Join tables of the same relation, after model renames.
    let model_map: BTreeMap<&str, &str> = pairs
        .iter()
        .map(|(o, n)| (new.tables[*n].model.as_str(), old.tables[*o].model.as_str()))
        .collect();
    for n in new_free.clone() {
        let Some(join) = &new.tables[n].join else {
            continue;
        };
        let found = old_free.iter().copied().find(|o| {
            old.tables[*o]
                .join
                .as_ref()
                .is_some_and(|old_join| same_relation(old_join, join, &model_map))
        });
        if let Some(o) = found {
            old_free.remove(o);
            new_free.remove(n);
            pairs.push((o, n));
        }
    }

    let mut suggestions = Vec::new();
    let dropped: Vec<&str> = old_free.into_iter().collect();
    let created: Vec<&str> = new_free.into_iter().collect();
    for &d in &dropped {
        for &c in &created {
            if let Some(s) = table_look_alike(d, &old.tables[d], c, &new.tables[c]) {
                suggestions.push(s);
            }
        }
    }
    pairs.sort_unstable_by_key(|(_, n)| *n);
    let mut table_pairs = Vec::with_capacity(pairs.len());
    for (o, n) in pairs {
        let pair = match_columns(o, &old.tables[o], n, &new.tables[n], hints);
        suggestions.extend(column_look_alikes(&pair));
        table_pairs.push(pair);
    }
    if !suggestions.is_empty() {
        return Err(suggestions);
    }
    let table_map = table_pairs
        .iter()
        .map(|p| (p.old_name, p.new_name))
        .collect();
    Ok(Matching {
        pairs: table_pairs,
        dropped,
        created,
        table_map,
    })
}

/// True when two join tables store the same relation: the same models (`model_map` takes a new
/// model name to its old one) and relation names on both sides.
fn same_relation(old: &JoinInfo, new: &JoinInfo, model_map: &BTreeMap<&str, &str>) -> bool {
    let old_model = |m: &str| model_map.get(m).copied().unwrap_or(m).to_string();
    old.left.model == old_model(&new.left.model)
        && old.right.model == old_model(&new.right.model)
        && old.left.relation == new.left.relation
        && old.right.relation == new.right.relation
}

fn match_columns<'a>(
    old_name: &'a str,
    old: &'a DbTable,
    new_name: &'a str,
    new: &'a DbTable,
    hints: &RenameHints,
) -> TablePair<'a> {
    let mut map: BTreeMap<&str, &str> = BTreeMap::new(); // new -> old
    if let (Some(o), Some(n)) = (&old.join, &new.join) {
        map.insert(&n.left.column, &o.left.column);
        map.insert(&n.right.column, &o.right.column);
        if let (Some(ot), Some(nt)) = (&o.tenant, &n.tenant) {
            map.insert(nt, ot);
        }
    }
    let old_live: BTreeSet<&str> = old.live_columns().map(|c| c.name.as_str()).collect();
    for c in &new.columns {
        if !map.contains_key(c.name.as_str()) && old_live.contains(c.name.as_str()) {
            map.insert(&c.name, &c.name);
        }
    }
    let taken: BTreeSet<&str> = map.values().copied().collect();
    for c in &new.columns {
        if map.contains_key(c.name.as_str()) {
            continue;
        }
        if let Some(previous) = hints.column(new_name, &c.name) {
            let previous = old.column(previous).filter(|p| p.deprecated_from.is_none());
            if let Some(p) = previous
                .filter(|p| !taken.contains(p.name.as_str()) && new.column(&p.name).is_none())
            {
                map.insert(&c.name, &p.name);
            }
        }
    }
    let kept: BTreeSet<&str> = map.values().copied().collect();
    TablePair {
        old_name,
        new_name,
        old,
        new,
        columns: new
            .columns
            .iter()
            .filter_map(|c| map.get(c.name.as_str()).map(|o| (*o, c.name.as_str())))
            .collect(),
        dropped: old
            .live_columns()
            .filter(|c| !kept.contains(c.name.as_str()))
            .collect(),
        added: new
            .columns
            .iter()
            .filter(|c| !map.contains_key(c.name.as_str()))
            .collect(),
    }
}

/// A dropped and an added table with the same columns (names and types).
fn table_look_alike(
    old_name: &str,
    old: &DbTable,
    new_name: &str,
    new: &DbTable,
) -> Option<RenameSuggestion> {
    let shape = |t: &DbTable| -> BTreeSet<(String, String)> {
        t.live_columns()
            .map(|c| (c.name.clone(), type_text(&c.ty)))
            .collect()
    };
    if old.join.is_some() != new.join.is_some() || shape(old) != shape(new) {
        return None;
    }
    let what = format!(
        "table {old_name} would be dropped and table {new_name} created, with the same columns"
    );
    Some(match &new.join {
        None => RenameSuggestion {
            what,
            hint: format!("renamed-from=\"{}\"", old.model),
            place: format!("model {}", new.model),
        },
        Some(join) => {
            let declaring = if join.left.relation.is_some() {
                &join.left
            } else {
                &join.right
            };
            RenameSuggestion {
                what,
                hint: format!("table=\"{old_name}\""),
                place: format!(
                    "the many-to-many relation {} of model {}",
                    declaring.relation.as_deref().unwrap_or_default(),
                    declaring.model
                ),
            }
        }
    })
}

/// Every (dropped, added) pair of columns of one table with the same type.
fn column_look_alikes(pair: &TablePair<'_>) -> Vec<RenameSuggestion> {
    let mut out = Vec::new();
    for d in &pair.dropped {
        for a in &pair.added {
            if d.ty != a.ty {
                continue;
            }
            let what = format!(
                "column {}.{} would be dropped and {}.{} added, both {}",
                pair.old_name,
                d.name,
                pair.new_name,
                a.name,
                type_text(&a.ty)
            );
            let (hint, place) = match (&a.relation, &d.relation) {
                (Some(relation), Some(old_relation)) => (
                    format!("renamed-from=\"{old_relation}\""),
                    format!("the relation {relation} of model {}", pair.new.model),
                ),
                _ => (
                    format!("renamed-from=\"{}\"", d.name),
                    format!("the field {} of model {}", a.name, pair.new.model),
                ),
            };
            out.push(RenameSuggestion { what, hint, place });
        }
    }
    out
}
