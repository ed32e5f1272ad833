//! Reads an SQLite database into a [`LiveSchema`]: `sqlite_schema` for the objects, the
//! `pragma_*` table functions for columns, keys and indexes, and each table's text for its checks.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};

use super::live::{
    LiveCheck, LiveColumn, LiveForeignKey, LiveIndex, LiveObject, LiveSchema, LiveTable,
};
use super::table_text::{checks, index_condition};
use super::tokens::{normalize, normalize_unwrapped};

/// What `conn`'s main database holds, SQLite's own `sqlite_*` objects left out.
pub fn introspect_sqlite(conn: &Connection) -> rusqlite::Result<LiveSchema> {
    let mut objects = conn.prepare(
        "SELECT type, name, coalesce(sql, '') FROM main.sqlite_schema \
         WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )?;
    let objects: Vec<(String, String, String)> = objects
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let index_sql: BTreeMap<&str, &str> = objects
        .iter()
        .filter(|(kind, _, _)| kind == "index")
        .map(|(_, name, sql)| (name.as_str(), sql.as_str()))
        .collect();
    let mut live = LiveSchema::default();
    for (kind, name, sql) in &objects {
        match kind.as_str() {
            "table" => {
                let table = table(conn, name, sql, &index_sql)?;
                live.tables.insert(name.clone(), table);
            }
            "view" | "trigger" => {
                live.others.insert(
                    name.clone(),
                    LiveObject {
                        kind: kind.clone(),
                        sql: normalize(sql),
                    },
                );
            }
            _ => {}
        }
    }
    Ok(live)
}

fn table(
    conn: &Connection,
    name: &str,
    sql: &str,
    index_sql: &BTreeMap<&str, &str>,
) -> rusqlite::Result<LiveTable> {
    let columns = columns(conn, name)?;
    let (without_rowid, strict) = conn
        .prepare_cached("SELECT wr, strict FROM pragma_table_list(?1) WHERE schema = 'main'")?
        .query_row(params![name], |r| {
            Ok((r.get::<_, bool>(0)?, r.get::<_, bool>(1)?))
        })?;
    let mut table = LiveTable {
        columns,
        strict,
        without_rowid,
        foreign_keys: foreign_keys(conn, name)?,
        ..LiveTable::default()
    };
    let mut list =
        conn.prepare_cached("SELECT name, \"unique\", origin FROM pragma_index_list(?1)")?;
    let indexes: Vec<(String, bool, String)> = list
        .query_map(params![name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (index, unique, origin) in indexes {
        let keys = index_columns(conn, &index)?;
        match origin.as_str() {
            // A UNIQUE constraint's index, named after the table (`sqlite_autoindex_<table>_1`),
            // so SQLite renames it with the table: only its columns count.
            "u" => table.uniques.push(keys),
            "c" => {
                let partial = index_sql
                    .get(index.as_str())
                    .and_then(|sql| index_condition(sql));
                table.indexes.insert(
                    index,
                    LiveIndex {
                        unique,
                        columns: keys,
                        partial,
                    },
                );
            }
            // The primary key's index: the columns say it.
            _ => {}
        }
    }
    table.uniques.sort();
    table.checks = checks(sql)
        .into_iter()
        .map(|(sql, written_on)| LiveCheck {
            sql,
            column: written_on.and_then(|spelled| {
                table
                    .columns
                    .iter()
                    .find(|c| normalize(&quote(&c.name)) == spelled)
                    .map(|c| c.name.clone())
            }),
        })
        .collect();
    table.checks.sort();
    Ok(table)
}

fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<LiveColumn>> {
    let mut info = conn.prepare_cached(
        "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid",
    )?;
    info.query_map(params![table], |r| {
        let ty: String = r.get(1)?;
        let default: Option<String> = r.get(3)?;
        Ok(LiveColumn {
            name: r.get(0)?,
            ty: normalize(&ty).to_ascii_uppercase(),
            not_null: r.get(2)?,
            default: default.as_deref().map(normalize_unwrapped),
            primary_key: r.get(4)?,
        })
    })?
    .collect()
}

/// An index's key columns in order; `<expression>` for an expression.
fn index_columns(conn: &Connection, index: &str) -> rusqlite::Result<Vec<String>> {
    let mut info = conn.prepare_cached(
        "SELECT name, \"desc\" FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno",
    )?;
    info.query_map(params![index], |r| {
        let name: Option<String> = r.get(0)?;
        let desc: bool = r.get(1)?;
        let name = name.unwrap_or_else(|| "<expression>".to_string());
        Ok(if desc { format!("{name} DESC") } else { name })
    })?
    .collect()
}

fn foreign_keys(conn: &Connection, table: &str) -> rusqlite::Result<Vec<LiveForeignKey>> {
    let mut list = conn.prepare_cached(
        "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete \
         FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
    )?;
    let rows: Vec<(i64, String, String, Option<String>, String, String)> = list
        .query_map(params![table], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut keys: Vec<(i64, LiveForeignKey)> = Vec::new();
    for (id, target, from, to, on_update, on_delete) in rows {
        if keys.last().is_none_or(|(last, _)| *last != id) {
            keys.push((
                id,
                LiveForeignKey {
                    columns: Vec::new(),
                    table: target,
                    references: Vec::new(),
                    on_delete,
                    on_update,
                },
            ));
        }
        let key = &mut keys.last_mut().expect("just pushed").1;
        key.columns.push(from);
        key.references.extend(to);
    }
    let mut keys: Vec<LiveForeignKey> = keys.into_iter().map(|(_, k)| k).collect();
    keys.sort();
    Ok(keys)
}

/// `name` as a quoted identifier, for comparing with how a table's text spells it.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_read_with_its_keys_indexes_and_checks() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            r#"
CREATE TABLE "user" ("id" INTEGER NOT NULL, CONSTRAINT "user_pkey" PRIMARY KEY ("id"));
CREATE TABLE "note" (
  "id" INTEGER NOT NULL,
  "Title" TEXT NOT NULL DEFAULT ('untitled') CHECK (length("Title") <= 80),
  "author_id" INTEGER,
  "due_at" TEXT,
  CONSTRAINT "note_pkey" PRIMARY KEY ("id", "author_id"),
  CONSTRAINT "note_title_key" UNIQUE ("Title", "author_id"),
  CONSTRAINT "note_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "user" ("id") ON DELETE CASCADE,
  CONSTRAINT "note_due_check" CHECK ("due_at" IS NULL OR "due_at" > '2000')
) STRICT;
CREATE INDEX "note_due_idx" ON "note" ("due_at" DESC, "id") WHERE "due_at" IS NOT NULL;
CREATE VIEW "titles" AS SELECT "Title" FROM "note";
"#,
        )
        .unwrap();
        let live = introspect_sqlite(&conn).unwrap();
        assert_eq!(live.tables.keys().collect::<Vec<_>>(), ["note", "user"]);
        let note = &live.tables["note"];
        assert_eq!(
            note.column("Title").unwrap(),
            &LiveColumn {
                name: "Title".into(),
                ty: "TEXT".into(),
                not_null: true,
                default: Some("'untitled'".into()),
                primary_key: 0,
            }
        );
        assert_eq!(note.primary_key(), ["id", "author_id"]);
        assert_eq!(note.uniques, [["Title", "author_id"]]);
        assert_eq!(
            note.indexes["note_due_idx"],
            LiveIndex {
                unique: false,
                columns: vec!["due_at DESC".into(), "id".into()],
                partial: Some("due_at is not null".into()),
            }
        );
        assert_eq!(
            note.foreign_keys,
            [LiveForeignKey {
                columns: vec!["author_id".into()],
                table: "user".into(),
                references: vec!["id".into()],
                on_delete: "CASCADE".into(),
                on_update: "NO ACTION".into(),
            }]
        );
        assert_eq!(
            note.checks,
            [
                LiveCheck {
                    sql: "due_at is null or due_at > '2000'".into(),
                    column: None
                },
                LiveCheck {
                    sql: "length(title) <= 80".into(),
                    column: Some("Title".into())
                },
            ]
        );
        assert!(note.strict && !note.without_rowid);
        assert_eq!(live.others["titles"].kind, "view");
        assert_eq!(
            live.others["titles"].sql,
            "create view titles as select title from note"
        );
    }
}
