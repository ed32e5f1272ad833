//! The order tables are created in: topological over foreign keys (a referenced table first), ties
//! broken by table name, so the output is the same for the same IR.
//!
//! A cycle of tables can only close through optional keys (the front end rejects a cycle of
//! required ones). When no table is free, the first table by name whose unmet keys are all
//! optional goes next; its keys that point at tables not yet created are added after every table
//! (see `assemble`).

use std::collections::{BTreeMap, BTreeSet};

/// A table and its foreign keys: each key's target table and whether its columns may be null.
pub(crate) struct TableKeys<'a> {
    pub table: &'a str,
    pub keys: Vec<(&'a str, bool)>,
}

/// Indices into `tables`, in creation order.
pub(crate) fn creation_order(tables: &[TableKeys<'_>]) -> Vec<usize> {
    let by_name: BTreeMap<&str, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.table, i))
        .collect();
    // deps[i]: (table i references, whether the key is optional), one entry per key.
    let deps: Vec<Vec<(usize, bool)>> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.keys
                .iter()
                .filter_map(|&(target, optional)| by_name.get(target).map(|&j| (j, optional)))
                .filter(|&(j, _)| j != i)
                .collect()
        })
        .collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); tables.len()];
    for (i, ds) in deps.iter().enumerate() {
        for &(j, _) in ds {
            dependents[j].push(i);
        }
    }
    let mut unmet: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut placed = vec![false; tables.len()];
    let mut ready: BTreeSet<(&str, usize)> = (0..tables.len())
        .filter(|&i| unmet[i] == 0)
        .map(|i| (tables[i].table, i))
        .collect();
    let mut order = Vec::with_capacity(tables.len());
    while order.len() < tables.len() {
        let next = match ready.pop_first() {
            Some((_, i)) => i,
            None => break_cycle(tables, &deps, &placed),
        };
        placed[next] = true;
        order.push(next);
        for &d in &dependents[next] {
            unmet[d] -= 1;
            if unmet[d] == 0 && !placed[d] {
                ready.insert((tables[d].table, d));
            }
        }
    }
    order
}

/// The table to create next when every remaining one waits for another.
fn break_cycle(tables: &[TableKeys<'_>], deps: &[Vec<(usize, bool)>], placed: &[bool]) -> usize {
    let mut waiting: Vec<usize> = (0..tables.len()).filter(|&i| !placed[i]).collect();
    waiting.sort_by(|&a, &b| tables[a].table.cmp(tables[b].table));
    let only_optional = |i: &usize| deps[*i].iter().all(|&(j, optional)| placed[j] || optional);
    waiting
        .iter()
        .copied()
        .find(only_optional)
        .unwrap_or(waiting[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table<'a>(name: &'a str, refs: &[(&'a str, bool)]) -> TableKeys<'a> {
        TableKeys {
            table: name,
            keys: refs.to_vec(),
        }
    }

    fn names<'a>(tables: &[TableKeys<'a>]) -> Vec<&'a str> {
        creation_order(tables)
            .into_iter()
            .map(|i| tables[i].table)
            .collect()
    }

    #[test]
    fn referenced_tables_come_first_and_ties_go_by_name() {
        let tables = [
            table("c", &[("b", false)]),
            table("b", &[]),
            table("a", &[("c", false)]),
            table("d", &[]),
        ];
        assert_eq!(names(&tables), ["b", "c", "a", "d"]);
    }

    #[test]
    fn a_cycle_breaks_at_its_first_table_with_only_optional_keys_left() {
        // x -> y is required, y -> x optional: y must go first although x sorts first.
        let tables = [
            table("x", &[("y", false)]),
            table("y", &[("x", true)]),
            table("z", &[("z", false)]),
        ];
        assert_eq!(names(&tables), ["z", "y", "x"]);
    }

    #[test]
    fn a_cycle_of_required_keys_still_yields_every_table() {
        let tables = [table("p", &[("q", false)]), table("q", &[("p", false)])];
        assert_eq!(names(&tables), ["p", "q"]);
    }
}
