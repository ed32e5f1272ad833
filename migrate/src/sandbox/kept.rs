//! What the replayed database holds only because a fallback kept it (the snapshot records it):
//! deprecated tables, deprecated columns with the checks written on them, and kept enum values.
//! Set aside before the comparison, since the schema's own `schema.sql` never makes them.
//!
//! A kept enum value stays where each dialect keeps an enum's values: in PostgreSQL's enum type
//! (and a deprecated enum, one only deprecated columns use, stays whole), in MySQL's column type
//! (`enum('draft','review')`), and in SQLite's text of an enum column's checks and partial
//! indexes (`kept_values.rs`).

use forge_schemas::FieldType;

use super::kept_values::{without_members, without_ranks};
use super::live::LiveSchema;
use super::tokens::normalize;
use crate::snapshot::DbSchema;

/// `live` without what `snapshot` says a fallback kept.
pub(crate) fn set_aside_kept(live: &LiveSchema, snapshot: &DbSchema) -> LiveSchema {
    let mut live = live.clone();
    for e in snapshot.enums.values() {
        if e.deprecated {
            live.enums.remove(&e.sql_name);
        } else if let Some(values) = live.enums.get_mut(&e.sql_name) {
            values.retain(|v| !e.deprecated_values.contains(v));
        }
    }
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
            if let Some(live_column) = found.columns.iter_mut().find(|c| c.name == column.name) {
                live_column.ty = without_type_members(&live_column.ty, kept);
            }
            // Rewritten in the normalized spelling (`normalize_kept_tables` does the same to
            // the other side).
            for check in &mut found.checks {
                if check.column.as_deref() == Some(column.name.as_str()) {
                    check.sql = without_members(&check.sql, &column.name, kept);
                }
                check.sql = without_ranks(&check.sql, &column.name, values, kept);
            }
            for index in found.indexes.values_mut() {
                if let Some(partial) = &mut index.partial {
                    *partial = without_ranks(partial, &column.name, values, kept);
                }
            }
        }
        found.checks.sort();
    }
    live
}

/// `declared` with the checks and partial conditions of every table that [`set_aside_kept`]
/// rewrites in the normalized spelling, so that the two sides compare in one spelling (the
/// server's text of PostgreSQL and MySQL is otherwise compared as written).
pub(crate) fn normalize_kept_tables(declared: &LiveSchema, snapshot: &DbSchema) -> LiveSchema {
    let mut declared = declared.clone();
    for name in tables_with_kept_values(snapshot) {
        if let Some(table) = declared.tables.get_mut(name) {
            for check in &mut table.checks {
                check.sql = normalize(&check.sql);
            }
            for index in table.indexes.values_mut() {
                if let Some(partial) = &mut index.partial {
                    *partial = normalize(partial);
                }
            }
            table.checks.sort();
        }
    }
    declared
}

/// The tables with an enum column some of whose values a fallback kept.
fn tables_with_kept_values(snapshot: &DbSchema) -> impl Iterator<Item = &String> {
    snapshot.tables.iter().filter_map(|(name, table)| {
        let kept = table.live_columns().any(|c| {
            matches!(&c.ty, FieldType::Enum { name: e }
                if snapshot.enums.get(e).is_some_and(|e| !e.deprecated_values.is_empty()))
        });
        (kept && table.deprecated_from.is_none()).then_some(name)
    })
}

/// A MySQL column type `enum('a','b','old')` without the members `kept`: `enum('a','b')`. Any
/// other type (or one this does not read) as it is.
fn without_type_members(ty: &str, kept: &[String]) -> String {
    let Some(list) = ty
        .get(..5)
        .filter(|head| head.eq_ignore_ascii_case("enum("))
        .and_then(|_| ty[5..].strip_suffix(')'))
    else {
        return ty.to_string();
    };
    let Some(members) = enum_members(list) else {
        return ty.to_string();
    };
    let left: Vec<String> = members
        .into_iter()
        .filter(|m| !kept.contains(m))
        .map(|m| format!("'{}'", m.replace('\'', "''")))
        .collect();
    format!("{}{})", &ty[..5], left.join(","))
}

/// The values of `'a','it''s'`, or `None` when it is not such a list.
fn enum_members(list: &str) -> Option<Vec<String>> {
    let mut members = Vec::new();
    let mut chars = list.trim().chars().peekable();
    loop {
        if chars.next()? != '\'' {
            return None;
        }
        let mut value = String::new();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                '\'' => break,
                c => value.push(c),
            }
        }
        members.push(value);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Some(members),
            Some(',') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use forge_schemas::Key;

    use super::*;
    use crate::sandbox::live::{LiveCheck, LiveColumn, LiveTable};
    use crate::snapshot::{DbColumn, DbEnum, DbTable};

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    /// A snapshot whose enum `Status` (`post_status`) keeps `old`, used by `post.status`; and
    /// the enum `Legacy` (`legacy_kind`), deprecated.
    fn snapshot() -> DbSchema {
        let mut snapshot = DbSchema::empty();
        let status = DbEnum {
            sql_name: "post_status".into(),
            values: strings(&["draft", "old", "published"]),
            deprecated_values: strings(&["old"]),
            deprecated: false,
        };
        let legacy = DbEnum {
            sql_name: "legacy_kind".into(),
            values: strings(&["a"]),
            deprecated_values: Vec::new(),
            deprecated: true,
        };
        snapshot.enums.insert("Status".into(), status);
        snapshot.enums.insert("Legacy".into(), legacy);
        let column = DbColumn {
            name: "status".into(),
            ty: FieldType::Enum {
                name: "Status".into(),
            },
            nullable: false,
            default: None,
            relation: None,
            deprecated_from: None,
        };
        let table = DbTable {
            model: "Post".into(),
            join: None,
            columns: vec![column],
            primary_key: Key {
                name: "post_pkey".into(),
                columns: Vec::new(),
            },
            tenant: None,
            uniques: Vec::new(),
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            checks: Vec::new(),
            deprecated_from: None,
        };
        snapshot.tables.insert("post".into(), table);
        snapshot
    }

    fn live(status_type: &str, enums: &[(&str, &[&str])]) -> LiveSchema {
        let column = LiveColumn {
            name: "status".into(),
            ty: status_type.into(),
            not_null: true,
            default: None,
            primary_key: 0,
        };
        let table = LiveTable {
            columns: vec![column],
            ..LiveTable::default()
        };
        LiveSchema {
            tables: BTreeMap::from([("post".to_string(), table)]),
            enums: enums
                .iter()
                .map(|(name, values)| (name.to_string(), strings(values)))
                .collect(),
            ..LiveSchema::default()
        }
    }

    #[test]
    fn kept_values_leave_postgres_enum_types_and_deprecated_enums_go() {
        let built = live(
            "post_status",
            &[
                ("post_status", &["draft", "old", "published"]),
                ("legacy_kind", &["a"]),
            ],
        );
        let aside = set_aside_kept(&built, &snapshot());
        assert_eq!(
            aside.enums,
            BTreeMap::from([("post_status".to_string(), strings(&["draft", "published"]))])
        );
        assert_eq!(aside.tables["post"].columns[0].ty, "post_status");
    }

    #[test]
    fn both_sides_of_a_table_with_kept_values_compare_in_one_spelling() {
        let mut built = live("post_status", &[]);
        let table = built.tables.get_mut("post").unwrap();
        table.checks.push(LiveCheck {
            sql: "(status <> 'published'::post_status)".into(),
            column: Some("status".into()),
        });
        let aside = set_aside_kept(&built, &snapshot());
        let declared = normalize_kept_tables(&built, &snapshot());
        assert_eq!(aside.tables["post"].checks, declared.tables["post"].checks);
        assert_eq!(
            declared.tables["post"].checks[0].sql,
            normalize("(status <> 'published'::post_status)")
        );
    }

    #[test]
    fn kept_values_leave_mysql_column_types() {
        let built = live("enum('draft','old','published')", &[]);
        let aside = set_aside_kept(&built, &snapshot());
        assert_eq!(
            aside.tables["post"].columns[0].ty,
            "enum('draft','published')"
        );
        assert_eq!(
            without_type_members("ENUM('it''s', 'old')", &strings(&["old"])),
            "ENUM('it''s')"
        );
        for other in ["varchar(20)", "enum('broken", "enum()"] {
            assert_eq!(without_type_members(other, &strings(&["old"])), other);
        }
    }
}
