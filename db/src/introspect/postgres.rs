//! PostgreSQL's catalogs for the tables of `current_schema()`: columns (`format_type`,
//! `pg_get_expr` for defaults), constraints (`pg_constraint`: primary key, unique, foreign keys,
//! checks) and the indexes no constraint made (`pg_index`). Enum types, row-level security,
//! policies, views, triggers and functions are in `postgres_objects.rs`.
//!
//! Every query is ordered, so the same database reads the same. Expressions are the server's
//! text: it depends on `search_path`, which is the same for the two databases `forge drift`
//! compares.

use std::collections::BTreeMap;

use forge_migrate::{LiveCheck, LiveColumn, LiveForeignKey, LiveIndex, LiveSchema};

use super::postgres_objects::objects;
use super::{Catalog, Row, Tables};
use crate::error::DbError;

/// Joins a relation `c` to its schema, kept to the connection's.
const IN_SCHEMA: &str = "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
     WHERE n.nspname = current_schema()";

pub(super) fn introspect(catalog: &mut Catalog<'_>) -> Result<LiveSchema, DbError> {
    let sql = format!(
        "SELECT c.relname::text, c.relrowsecurity::text, c.relforcerowsecurity::text \
         FROM pg_catalog.pg_class c {IN_SCHEMA} AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    );
    let rows = catalog.rows("the tables", &sql, &[])?;
    let mut tables = Tables::new(&rows, 0);
    for row in &rows {
        if let Some(table) = tables.get(&row.text(0)) {
            table.rls_enabled = row.flag(1);
            table.rls_forced = row.flag(2);
        }
    }
    columns(catalog, &mut tables)?;
    constraints(catalog, &mut tables)?;
    indexes(catalog, &mut tables)?;
    let mut live = LiveSchema::default();
    objects(catalog, &mut tables, &mut live)?;
    live.tables = tables.finish();
    Ok(live)
}

fn columns(catalog: &mut Catalog<'_>, tables: &mut Tables) -> Result<(), DbError> {
    let sql = format!(
        "SELECT c.relname::text, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), \
           a.attnotnull::text, pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, \
           a.attgenerated::text \
         FROM pg_catalog.pg_attribute a \
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
         LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         {IN_SCHEMA} AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped \
         ORDER BY c.relname, a.attnum"
    );
    for row in catalog.rows("the columns", &sql, &[])? {
        let Some(table) = tables.get(&row.text(0)) else {
            continue;
        };
        let default = match (row.text(5).as_str(), row.text(6).as_str()) {
            ("a", _) => Some("identity always".to_string()),
            ("d", _) => Some("identity by default".to_string()),
            (_, "s") => Some(format!("generated as ({}) stored", row.text(4))),
            _ => row.get(4),
        };
        table.columns.push(LiveColumn {
            name: row.text(1),
            ty: row.text(2),
            not_null: row.flag(3),
            default,
            primary_key: 0,
        });
    }
    Ok(())
}

/// One constraint, gathered from its rows (one per column).
struct Constraint {
    kind: String,
    columns: Vec<String>,
    target: String,
    references: Vec<String>,
    on_delete: String,
    on_update: String,
    definition: String,
}

fn constraints(catalog: &mut Catalog<'_>, tables: &mut Tables) -> Result<(), DbError> {
    // A check on no column has no key: the lateral join keeps its row.
    let sql = format!(
        "SELECT c.relname::text, k.conname::text, k.contype::text, a.attname::text, \
           f.relname::text, fa.attname::text, k.confdeltype::text, k.confupdtype::text, \
           pg_catalog.pg_get_constraintdef(k.oid) \
         FROM pg_catalog.pg_constraint k \
         JOIN pg_catalog.pg_class c ON c.oid = k.conrelid \
         LEFT JOIN LATERAL unnest(k.conkey, k.confkey) WITH ORDINALITY AS u(attnum, fattnum, i) \
           ON true \
         LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum \
         LEFT JOIN pg_catalog.pg_class f ON f.oid = k.confrelid \
         LEFT JOIN pg_catalog.pg_attribute fa \
           ON fa.attrelid = k.confrelid AND fa.attnum = u.fattnum \
         {IN_SCHEMA} AND k.contype IN ('p', 'u', 'f', 'c') \
         ORDER BY c.relname, k.conname, u.i"
    );
    let mut found: BTreeMap<(String, String), Constraint> = BTreeMap::new();
    for row in catalog.rows("the constraints", &sql, &[])? {
        let constraint = found
            .entry((row.text(0), row.text(1)))
            .or_insert_with(|| Constraint {
                kind: row.text(2),
                columns: Vec::new(),
                target: row.text(4),
                references: Vec::new(),
                on_delete: action(&row.text(6)),
                on_update: action(&row.text(7)),
                definition: row.text(8),
            });
        constraint.columns.extend(row.get(3));
        constraint.references.extend(row.get(5));
    }
    for ((table, _), constraint) in found {
        let Some(table) = tables.get(&table) else {
            continue;
        };
        match constraint.kind.as_str() {
            "p" => {
                for (place, name) in constraint.columns.iter().enumerate() {
                    if let Some(column) = table.columns.iter_mut().find(|c| &c.name == name) {
                        column.primary_key = u32::try_from(place + 1).unwrap_or(u32::MAX);
                    }
                }
            }
            "u" => table.uniques.push(constraint.columns),
            "f" => {
                let on_delete = with_set_columns(&constraint.on_delete, &constraint.definition);
                table.foreign_keys.push(LiveForeignKey {
                    columns: constraint.columns,
                    table: constraint.target,
                    references: constraint.references,
                    on_delete,
                    on_update: constraint.on_update,
                });
            }
            _ => {
                let column = match constraint.columns.as_slice() {
                    [one] => Some(one.clone()),
                    _ => None,
                };
                table.checks.push(LiveCheck {
                    sql: check_condition(&constraint.definition),
                    column,
                });
            }
        }
    }
    Ok(())
}

/// A referential action in words, from `pg_constraint`'s code.
fn action(code: &str) -> String {
    match code {
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => "NO ACTION",
    }
    .to_string()
}

/// `SET NULL` with the columns the key's definition lists after it, if any: PostgreSQL 15's
/// `ON DELETE SET NULL (parent_id)` sets only those.
fn with_set_columns(action: &str, definition: &str) -> String {
    let clause = format!("ON DELETE {action} (");
    let Some(at) = definition.find(&clause) else {
        return action.to_string();
    };
    let list = &definition[at + clause.len() - 1..];
    match list.find(')') {
        Some(end) => format!("{action} {}", &list[..=end]),
        None => action.to_string(),
    }
}

/// The condition of `CHECK ((a > 0))`, without the parentheses around the whole: `a > 0`. A
/// definition with more after the condition (`NOT VALID`) is kept whole.
fn check_condition(definition: &str) -> String {
    let Some(mut condition) = definition
        .strip_prefix("CHECK ")
        .filter(|condition| wrapped(condition))
    else {
        return definition.to_string();
    };
    while wrapped(condition) {
        condition = &condition[1..condition.len() - 1];
    }
    condition.to_string()
}

/// True when `text` is one parenthesized whole: `(a) AND (b)` is not.
fn wrapped(text: &str) -> bool {
    text.starts_with('(') && closing(text) == Some(text.len() - 1)
}

/// The byte index of the `)` closing the `(` `text` starts with; strings and quoted names are
/// skipped.
fn closing(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn indexes(catalog: &mut Catalog<'_>, tables: &mut Tables) -> Result<(), DbError> {
    let sql = format!(
        "SELECT c.relname::text, i.relname::text, x.indisunique::text, \
           pg_catalog.pg_get_expr(x.indpred, x.indrelid), \
           pg_catalog.pg_get_indexdef(x.indexrelid, k.n, false), x.indoption[k.n - 1]::text \
         FROM pg_catalog.pg_index x \
         JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid \
         JOIN pg_catalog.pg_class c ON c.oid = x.indrelid \
         CROSS JOIN LATERAL generate_series(1, x.indnkeyatts::integer) AS k(n) \
         {IN_SCHEMA} AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint o \
           WHERE o.conindid = x.indexrelid AND o.conrelid = x.indrelid \
           AND o.contype IN ('p', 'u', 'x')) \
         ORDER BY c.relname, i.relname, k.n"
    );
    for row in catalog.rows("the indexes", &sql, &[])? {
        let Some(table) = tables.get(&row.text(0)) else {
            continue;
        };
        let index = table
            .indexes
            .entry(row.text(1))
            .or_insert_with(|| LiveIndex {
                unique: row.flag(2),
                columns: Vec::new(),
                partial: row.get(3),
            });
        index.columns.push(key_column(&row));
    }
    Ok(())
}

/// `name`, `name DESC`, `lower(name) NULLS FIRST`: the key column's text and `indoption` bits
/// (1: descending, 2: nulls first), the order's default for nulls left out.
fn key_column(row: &Row) -> String {
    let option: i32 = row.text(5).parse().unwrap_or(0);
    let (descending, nulls_first) = (option & 1 != 0, option & 2 != 0);
    let mut text = row.text(4);
    match (descending, nulls_first) {
        (true, true) => text.push_str(" DESC"),
        (true, false) => text.push_str(" DESC NULLS LAST"),
        (false, true) => text.push_str(" NULLS FIRST"),
        (false, false) => {}
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_is_its_condition() {
        assert_eq!(check_condition("CHECK ((a > 0))"), "a > 0");
        assert_eq!(
            check_condition("CHECK (((a > 0) AND (b > 0)))"),
            "(a > 0) AND (b > 0)"
        );
        assert_eq!(
            check_condition("CHECK ((a <> ')'::text))"),
            "a <> ')'::text"
        );
        assert_eq!(
            check_condition("CHECK ((a > 0)) NOT VALID"),
            "CHECK ((a > 0)) NOT VALID"
        );
    }

    #[test]
    fn set_null_keeps_its_columns() {
        let definition = "FOREIGN KEY (tenant_id, parent_id) REFERENCES category(tenant_id, id) \
                          ON DELETE SET NULL (parent_id)";
        assert_eq!(
            with_set_columns("SET NULL", definition),
            "SET NULL (parent_id)"
        );
        assert_eq!(with_set_columns("CASCADE", definition), "CASCADE");
    }
}
