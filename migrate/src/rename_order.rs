//! The order of a group of renames: a rename goes once its new name is free, and a cycle
//! (`a` -> `b`, `b` -> `a`) goes through a temporary name.

use std::collections::BTreeSet;

/// `renames` (from, to), ordered so that no rename takes a name another still holds; the names
/// they start from are the only ones they can meet.
pub(crate) fn order_renames(mut pending: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut held: BTreeSet<String> = pending.iter().map(|(from, _)| from.clone()).collect();
    let mut out = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        match pending.iter().position(|(_, to)| !held.contains(to)) {
            Some(i) => {
                let (from, to) = pending.remove(i);
                held.remove(&from);
                held.insert(to.clone());
                out.push((from, to));
            }
            None => {
                let (from, to) = pending.remove(0);
                let temporary = crate::deprecate::fit(format!("_forge_tmp_{from}"));
                held.remove(&from);
                held.insert(temporary.clone());
                out.push((from, temporary.clone()));
                pending.push((temporary, to));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn chains_go_from_the_free_end_and_cycles_through_a_temporary_name() {
        assert_eq!(
            order_renames(pairs(&[("a", "b"), ("b", "c")])),
            pairs(&[("b", "c"), ("a", "b")])
        );
        assert_eq!(
            order_renames(pairs(&[("a", "b"), ("b", "a")])),
            pairs(&[("a", "_forge_tmp_a"), ("b", "a"), ("_forge_tmp_a", "b")])
        );
    }
}
