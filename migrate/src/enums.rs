//! Enum changes: new enums, added values (the old ones keep their order), removed or reordered
//! values, and enums no column uses. Without `allow_destructive` a removed value stays in the
//! database, recorded as deprecated, where it was.

use forge_schemas::FieldType;

use crate::operation::Operation;
use crate::rules::Rule;
use crate::snapshot::{DbEnum, DbSchema};

/// The enum operations from `old` to `new`; records the enums in `snapshot`, whose tables are
/// already planned (an enum that deprecated columns still use is kept).
pub(crate) fn diff_enums(
    old: &DbSchema,
    new: &DbSchema,
    snapshot: &mut DbSchema,
    allow_destructive: bool,
    out: &mut Vec<(Operation, Rule)>,
) {
    for (name, ne) in &new.enums {
        let Some(oe) = old.enums.get(name) else {
            let op = Operation::CreateEnum {
                name: name.clone(),
                def: ne.clone(),
            };
            out.push((op, Rule::CreateEnum));
            snapshot.enums.insert(name.clone(), ne.clone());
            continue;
        };
        let removed: Vec<String> = oe
            .values
            .iter()
            .filter(|v| !ne.values.contains(v))
            .cloned()
            .collect();
        let (target, deprecated_values) = if allow_destructive || removed.is_empty() {
            (ne.values.clone(), Vec::new())
        } else {
            (merge(&ne.values, &oe.values), removed.clone())
        };
        if target != oe.values {
            let (from, to) = (oe.values.clone(), target.clone());
            if is_subsequence(&oe.values, &target) {
                let op = Operation::AddEnumValues {
                    name: name.clone(),
                    from,
                    to,
                };
                out.push((op, Rule::AddEnumValue));
            } else {
                let rule = if oe.values.iter().all(|v| target.contains(v)) {
                    Rule::ReorderEnumValues
                } else {
                    Rule::RemoveEnumValue
                };
                let op = Operation::ReplaceEnumValues {
                    name: name.clone(),
                    from,
                    to,
                };
                out.push((op, rule));
            }
        }
        let newly_kept: Vec<String> = deprecated_values
            .iter()
            .filter(|v| !oe.deprecated_values.contains(v))
            .cloned()
            .collect();
        if !newly_kept.is_empty() {
            let op = Operation::KeepEnumValues {
                name: name.clone(),
                values: newly_kept,
            };
            out.push((op, Rule::KeepEnumValue));
        }
        let db = DbEnum {
            sql_name: ne.sql_name.clone(),
            values: target,
            deprecated_values,
            deprecated: false,
        };
        snapshot.enums.insert(name.clone(), db);
    }
    for (name, oe) in old
        .enums
        .iter()
        .filter(|(n, _)| !new.enums.contains_key(*n))
    {
        let used = snapshot.tables.values().any(|t| {
            t.columns
                .iter()
                .any(|c| matches!(&c.ty, FieldType::Enum { name: e } if e == name))
        });
        if used {
            let kept = DbEnum {
                deprecated: true,
                ..oe.clone()
            };
            snapshot.enums.insert(name.clone(), kept);
        } else {
            let op = Operation::DropEnum {
                name: name.clone(),
                def: oe.clone(),
            };
            out.push((op, Rule::DropEnum));
        }
    }
}

/// `new` with the values of `old` it lacks put back, each after the value it followed in `old`.
fn merge(new: &[String], old: &[String]) -> Vec<String> {
    let mut out = new.to_vec();
    let mut after: Option<usize> = None;
    for value in old {
        match out.iter().position(|v| v == value) {
            Some(i) => after = Some(i),
            None => {
                let at = after.map_or(0, |i| i + 1);
                out.insert(at, value.clone());
                after = Some(at);
            }
        }
    }
    out
}

/// True when `short` is `long` with some values left out, in the same order.
pub(crate) fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut rest = long.iter();
    short.iter().all(|v| rest.any(|w| w == v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn removed_values_go_back_where_they_were() {
        assert_eq!(
            merge(&v(&["a", "c", "d"]), &v(&["a", "b", "c"])),
            v(&["a", "b", "c", "d"])
        );
        assert_eq!(merge(&v(&["b"]), &v(&["a", "b"])), v(&["a", "b"]));
        assert!(is_subsequence(&v(&["a", "c"]), &v(&["a", "b", "c"])));
        assert!(!is_subsequence(&v(&["c", "a"]), &v(&["a", "b", "c"])));
    }
}
