//! MySQL's and MariaDB's `information_schema` for the tables of `DATABASE()`: columns
//! (`COLUMN_TYPE`, `COLUMN_DEFAULT`, `EXTRA`), indexes (`STATISTICS`; a unique index is a
//! `UNIQUE` constraint, as `TABLE_CONSTRAINTS` says), foreign keys (`KEY_COLUMN_USAGE` and
//! `REFERENTIAL_CONSTRAINTS`), checks (`CHECK_CONSTRAINTS`), views and triggers.
//!
//! MySQL makes an index for a foreign key no index serves, named after the key, and drops it
//! when an index that serves comes: whether a database has one depends on the order its indexes
//! and keys were made. Such an index (named like a foreign key of its table, over the key's
//! columns first) belongs to the key and is left out.
//!
//! MariaDB writes a check given in a column's definition (and the `json_valid` check it adds to
//! a JSON column) under the column's name, at the level `Column`: that is the column it is
//! written on.

use std::collections::{BTreeMap, BTreeSet};

use forge_migrate::{LiveCheck, LiveColumn, LiveForeignKey, LiveIndex, LiveSchema};

use super::{Catalog, Row, Tables, object};
use crate::HISTORY_TABLE;
use crate::error::DbError;

pub(super) fn introspect(catalog: &mut Catalog<'_>) -> Result<LiveSchema, DbError> {
    let about = catalog.rows("the database", "SELECT DATABASE(), VERSION()", &[])?;
    let Some(about) = about.first().filter(|row| row.get(0).is_some()) else {
        return Err(DbError::Invalid(format!(
            "{} names no database\n  help: add the database's name to the URL: mysql://user@host:3306/<database>",
            catalog.url()
        )));
    };
    let (database, mariadb) = (about.text(0), about.text(1).contains("MariaDB"));
    let sql = "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
               AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME";
    let rows = catalog.rows("the tables", sql, &[])?;
    let mut tables = Tables::new(&rows, 0);
    columns(catalog, &mut tables)?;
    let foreign_keys = foreign_keys(catalog, &mut tables)?;
    indexes(catalog, &mut tables, &foreign_keys)?;
    checks(catalog, &mut tables, mariadb)?;
    let mut live = LiveSchema::default();
    others(catalog, &mut live, &database)?;
    live.tables = tables.finish();
    Ok(live)
}

fn columns(catalog: &mut Catalog<'_>, tables: &mut Tables) -> Result<(), DbError> {
    let sql = "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, \
               GENERATION_EXPRESSION FROM information_schema.COLUMNS \
               WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION";
    for row in catalog.rows("the columns", sql, &[])? {
        if let Some(table) = tables.get(&row.text(0)) {
            table.columns.push(LiveColumn {
                name: row.text(1),
                ty: row.text(2),
                not_null: !row.flag(3),
                default: default(&row),
                primary_key: 0,
            });
        }
    }
    Ok(())
}

/// The column's default: MariaDB writes a literal as SQL (`'draft'`, `NULL` for none); an
/// auto-increment or generated column's is what makes its value, and `ON UPDATE` follows.
fn default(row: &Row) -> Option<String> {
    let extra = row.text(5).to_ascii_lowercase();
    let mut default = if extra.contains("auto_increment") {
        Some("auto_increment".to_string())
    } else if extra.contains("virtual generated") {
        Some(format!("generated as ({}) virtual", row.text(6)))
    } else if extra.contains("stored generated") || extra.contains("persistent generated") {
        Some(format!("generated as ({}) stored", row.text(6)))
    } else {
        row.get(4).filter(|d| d != "NULL")
    };
    if let Some(at) = extra.find("on update ") {
        let on_update = &extra[at..];
        default = Some(match default {
            Some(d) => format!("{d} {on_update}"),
            None => on_update.to_string(),
        });
    }
    default
}

/// The foreign keys' names by table, with their columns (for the indexes MySQL made for them).
type KeyNames = BTreeMap<(String, String), Vec<String>>;

fn foreign_keys(catalog: &mut Catalog<'_>, tables: &mut Tables) -> Result<KeyNames, DbError> {
    let sql = "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, \
               k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE \
               FROM information_schema.KEY_COLUMN_USAGE k \
               JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
                 ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME \
                 AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
               WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL \
               ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION";
    let mut keys: BTreeMap<(String, String), LiveForeignKey> = BTreeMap::new();
    for row in catalog.rows("the foreign keys", sql, &[])? {
        let key = keys
            .entry((row.text(0), row.text(1)))
            .or_insert_with(|| LiveForeignKey {
                columns: Vec::new(),
                table: row.text(3),
                references: Vec::new(),
                on_delete: row.text(5),
                on_update: row.text(6),
            });
        key.columns.push(row.text(2));
        key.references.push(row.text(4));
    }
    let mut names = KeyNames::new();
    for ((table, name), key) in keys {
        if let Some(found) = tables.get(&table) {
            names.insert((table, name), key.columns.clone());
            found.foreign_keys.push(key);
        }
    }
    Ok(names)
}

/// An index as `STATISTICS` lists it, with its plain column names.
struct Index {
    live: LiveIndex,
    names: Vec<String>,
}

fn indexes(
    catalog: &mut Catalog<'_>,
    tables: &mut Tables,
    foreign_keys: &KeyNames,
) -> Result<(), DbError> {
    let sql = "SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS \
               WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'UNIQUE'";
    let uniques: BTreeSet<(String, String)> = catalog
        .rows("the unique constraints", sql, &[])?
        .iter()
        .map(|row| (row.text(0), row.text(1)))
        .collect();
    let sql = "SELECT TABLE_NAME, INDEX_NAME, CAST(NON_UNIQUE AS CHAR), COLUMN_NAME, COLLATION, \
               CAST(SUB_PART AS CHAR) FROM information_schema.STATISTICS \
               WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";
    let mut found: BTreeMap<(String, String), Index> = BTreeMap::new();
    for row in catalog.rows("the indexes", sql, &[])? {
        let index = found
            .entry((row.text(0), row.text(1)))
            .or_insert_with(|| Index {
                live: LiveIndex {
                    unique: !row.flag(2),
                    columns: Vec::new(),
                    partial: None,
                },
                names: Vec::new(),
            });
        let name = row.get(3);
        let mut column = name.clone().unwrap_or_else(|| "<expression>".to_string());
        if let Some(length) = row.get(5) {
            column.push_str(&format!("({length})"));
        }
        if row.text(4) == "D" {
            column.push_str(" DESC");
        }
        index.live.columns.push(column);
        index.names.extend(name);
    }
    for ((table_name, name), Index { live, names }) in found {
        let Some(table) = tables.get(&table_name) else {
            continue;
        };
        let key = (table_name, name);
        if key.1 == "PRIMARY" {
            for (place, name) in names.iter().enumerate() {
                if let Some(column) = table.columns.iter_mut().find(|c| &c.name == name) {
                    column.primary_key = u32::try_from(place + 1).unwrap_or(u32::MAX);
                }
            }
        } else if uniques.contains(&key) {
            table.uniques.push(live.columns);
        } else if !foreign_keys
            .get(&key)
            .is_some_and(|key_columns| names.starts_with(key_columns))
        {
            table.indexes.insert(key.1, live);
        }
    }
    Ok(())
}

fn checks(catalog: &mut Catalog<'_>, tables: &mut Tables, mariadb: bool) -> Result<(), DbError> {
    // MariaDB names a column's check after the column, so check names are per table; MySQL's
    // are per database, and only `TABLE_CONSTRAINTS` says whose they are.
    let sql = if mariadb {
        "SELECT TABLE_NAME, CONSTRAINT_NAME, LEVEL, CHECK_CLAUSE \
         FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, CONSTRAINT_NAME"
    } else {
        "SELECT t.TABLE_NAME, t.CONSTRAINT_NAME, 'Table', c.CHECK_CLAUSE \
         FROM information_schema.TABLE_CONSTRAINTS t \
         JOIN information_schema.CHECK_CONSTRAINTS c \
           ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME \
         WHERE t.CONSTRAINT_SCHEMA = DATABASE() AND t.CONSTRAINT_TYPE = 'CHECK' \
         ORDER BY t.TABLE_NAME, t.CONSTRAINT_NAME"
    };
    for row in catalog.rows("the checks", sql, &[])? {
        if let Some(table) = tables.get(&row.text(0)) {
            let column = (row.text(2) == "Column").then(|| row.text(1));
            table.checks.push(LiveCheck {
                sql: row.text(3),
                column,
            });
        }
    }
    Ok(())
}

/// Views and triggers. A view's definition names its tables with the database's name, which
/// is left out: two databases with the same view compare equal.
fn others(catalog: &mut Catalog<'_>, live: &mut LiveSchema, database: &str) -> Result<(), DbError> {
    let qualifier = format!("`{}`.", database.replace('`', "``"));
    let sql = "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS \
               WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME";
    for row in catalog.rows("the views", sql, &[])? {
        let definition = row.text(1).replace(&qualifier, "");
        live.others.insert(row.text(0), object("view", definition));
    }
    let sql = "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, \
               ACTION_STATEMENT FROM information_schema.TRIGGERS \
               WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME";
    for row in catalog.rows("the triggers", sql, &[])? {
        if row.text(1) != HISTORY_TABLE {
            let sql = format!(
                "{} {} ON {} FOR EACH ROW {}",
                row.text(2),
                row.text(3),
                row.text(1),
                row.text(4)
            );
            live.others.insert(row.text(0), object("trigger", sql));
        }
    }
    Ok(())
}
