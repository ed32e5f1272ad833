//! The database the history builds against a fresh database built from `schema.sql`: every
//! difference, in words. What a fallback kept is set aside first (`kept.rs`); column order is not
//! compared (`ALTER TABLE ADD COLUMN` appends), nor are constraint names (`live.rs`).

use std::collections::BTreeSet;
use std::fmt;

use super::kept::set_aside_kept;
use super::live::{LiveForeignKey, LiveIndex, LiveSchema, LiveTable};
use crate::snapshot::DbSchema;

/// One way the replayed database differs from the declared one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// `table note`, `view recent`.
    pub object: String,
    /// The part of it that differs: `column pinned`, `index note_title_idx`, `unique (a, b)`,
    /// `check (...)`, `foreign key (...)`, `primary key`; none for the object as a whole.
    pub part: Option<String>,
    pub change: Change,
}

/// How it differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The schema has it; the history does not build it.
    Missing,
    /// The history builds it; the schema does not have it.
    NotInSchema,
    /// Both have it, with a different `aspect` (`type`, `columns`, ...).
    Differs {
        aspect: String,
        history: String,
        schema: String,
    },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.object)?;
        if let Some(part) = &self.part {
            write!(f, ": {part}")?;
        }
        match &self.change {
            Change::Missing => f.write_str(" is missing"),
            Change::NotInSchema => f.write_str(" is not in the schema"),
            Change::Differs {
                aspect,
                history,
                schema,
            } => write!(
                f,
                ": {aspect} {history} in the history, {schema} in the schema"
            ),
        }
    }
}

/// What differs between `replayed` (the history's database) and `declared` (a fresh database
/// from the schema's `schema.sql`), the objects `snapshot` (the history's `schema.json`) records
/// as kept by a fallback set aside. Empty when the history leads to the schema.
pub fn sandbox_diff(
    replayed: &LiveSchema,
    declared: &LiveSchema,
    snapshot: &DbSchema,
) -> Vec<Difference> {
    let replayed = set_aside_kept(replayed, snapshot);
    let mut out = Vec::new();
    let names: BTreeSet<&String> = replayed
        .tables
        .keys()
        .chain(declared.tables.keys())
        .collect();
    for name in names {
        let object = format!("table {name}");
        match (replayed.tables.get(name), declared.tables.get(name)) {
            (Some(history), Some(schema)) => {
                TableDiff::new(&object, &mut out).compare(history, schema);
            }
            (None, _) => out.push(whole(object, Change::Missing)),
            (Some(_), None) => out.push(whole(object, Change::NotInSchema)),
        }
    }
    let names: BTreeSet<&String> = replayed
        .others
        .keys()
        .chain(declared.others.keys())
        .collect();
    for name in names {
        match (replayed.others.get(name), declared.others.get(name)) {
            (Some(history), Some(schema)) if history != schema => out.push(Difference {
                object: format!("{} {name}", schema.kind),
                part: None,
                change: Change::Differs {
                    aspect: "definition".into(),
                    history: history.sql.clone(),
                    schema: schema.sql.clone(),
                },
            }),
            (None, Some(schema)) => {
                out.push(whole(format!("{} {name}", schema.kind), Change::Missing))
            }
            (Some(history), None) => {
                out.push(whole(
                    format!("{} {name}", history.kind),
                    Change::NotInSchema,
                ));
            }
            _ => {}
        }
    }
    out
}

fn whole(object: String, change: Change) -> Difference {
    Difference {
        object,
        part: None,
        change,
    }
}

/// The differences of one table, pushed to `out`.
struct TableDiff<'a> {
    object: &'a str,
    out: &'a mut Vec<Difference>,
}

impl<'a> TableDiff<'a> {
    fn new(object: &'a str, out: &'a mut Vec<Difference>) -> TableDiff<'a> {
        TableDiff { object, out }
    }

    fn push(&mut self, part: Option<String>, change: Change) {
        self.out.push(Difference {
            object: self.object.to_string(),
            part,
            change,
        });
    }

    fn differs(&mut self, part: Option<String>, aspect: &str, history: String, schema: String) {
        if history != schema {
            self.push(
                part,
                Change::Differs {
                    aspect: aspect.to_string(),
                    history,
                    schema,
                },
            );
        }
    }

    fn compare(&mut self, history: &LiveTable, schema: &LiveTable) {
        self.columns(history, schema);
        self.differs(
            Some("primary key".into()),
            "columns",
            list(&history.primary_key()),
            list(&schema.primary_key()),
        );
        let uniques = |t: &LiveTable| -> Vec<String> {
            t.uniques
                .iter()
                .map(|u| format!("unique {}", list(u)))
                .collect()
        };
        self.sets(uniques(history), uniques(schema));
        self.indexes(history, schema);
        let keys =
            |t: &LiveTable| -> Vec<String> { t.foreign_keys.iter().map(foreign_key).collect() };
        self.sets(keys(history), keys(schema));
        let checks = |t: &LiveTable| -> Vec<String> {
            t.checks
                .iter()
                .map(|c| format!("check ({})", c.sql))
                .collect()
        };
        self.sets(checks(history), checks(schema));
        let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
        self.differs(None, "STRICT", yes(history.strict), yes(schema.strict));
        self.differs(
            None,
            "WITHOUT ROWID",
            yes(history.without_rowid),
            yes(schema.without_rowid),
        );
    }

    fn columns(&mut self, history: &LiveTable, schema: &LiveTable) {
        for column in &schema.columns {
            let part = Some(format!("column {}", column.name));
            let Some(built) = history.column(&column.name) else {
                self.push(part, Change::Missing);
                continue;
            };
            self.differs(part.clone(), "type", built.ty.clone(), column.ty.clone());
            let nullability =
                |not_null: bool| if not_null { "NOT NULL" } else { "nullable" }.to_string();
            self.differs(
                part.clone(),
                "nullability",
                nullability(built.not_null),
                nullability(column.not_null),
            );
            let default = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".into());
            self.differs(
                part,
                "default",
                default(&built.default),
                default(&column.default),
            );
        }
        for column in &history.columns {
            if schema.column(&column.name).is_none() {
                self.push(Some(format!("column {}", column.name)), Change::NotInSchema);
            }
        }
    }

    fn indexes(&mut self, history: &LiveTable, schema: &LiveTable) {
        let mut unmatched: Vec<(&String, &LiveIndex)> = history
            .indexes
            .iter()
            .filter(|(name, _)| !schema.indexes.contains_key(*name))
            .collect();
        for (name, index) in &schema.indexes {
            let part = Some(format!("index {name}"));
            if let Some(built) = history.indexes.get(name) {
                let yes = |b: bool| if b { "unique" } else { "not unique" }.to_string();
                self.differs(
                    part.clone(),
                    "uniqueness",
                    yes(built.unique),
                    yes(index.unique),
                );
                self.differs(
                    part.clone(),
                    "columns",
                    list(&built.columns),
                    list(&index.columns),
                );
                let condition = |c: &Option<String>| c.clone().unwrap_or_else(|| "none".into());
                self.differs(
                    part,
                    "condition",
                    condition(&built.partial),
                    condition(&index.partial),
                );
            } else if let Some(at) = unmatched.iter().position(|(_, built)| *built == index) {
                // The same index under another name.
                let (old, _) = unmatched.remove(at);
                self.differs(part, "name", old.clone(), name.clone());
            } else {
                self.push(part, Change::Missing);
            }
        }
        for (name, _) in unmatched {
            self.push(Some(format!("index {name}")), Change::NotInSchema);
        }
    }

    /// Parts compared as multisets: each one the schema has more often is missing, each one the
    /// history has more often is not in the schema.
    fn sets(&mut self, history: Vec<String>, schema: Vec<String>) {
        let mut extra = history;
        for part in schema {
            match extra.iter().position(|p| *p == part) {
                Some(at) => {
                    extra.remove(at);
                }
                None => self.push(Some(part), Change::Missing),
            }
        }
        for part in extra {
            self.push(Some(part), Change::NotInSchema);
        }
    }
}

/// `(a, b)`.
fn list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!("({})", items.join(", "))
}

/// `foreign key (author_id) references user (id) on delete CASCADE`.
fn foreign_key(key: &LiveForeignKey) -> String {
    let mut text = format!(
        "foreign key {} references {}",
        list(&key.columns),
        key.table
    );
    if !key.references.is_empty() {
        text.push(' ');
        text.push_str(&list(&key.references));
    }
    text.push_str(&format!(" on delete {}", key.on_delete));
    if key.on_update != "NO ACTION" {
        text.push_str(&format!(" on update {}", key.on_update));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::live::LiveObject;

    fn object(kind: &str, sql: &str) -> LiveObject {
        LiveObject {
            kind: kind.into(),
            sql: sql.into(),
        }
    }

    #[test]
    fn table_options_views_and_triggers_are_compared() {
        let mut history = LiveSchema::default();
        let mut schema = LiveSchema::default();
        history.tables.insert("t".into(), LiveTable::default());
        let strict = LiveTable {
            strict: true,
            ..LiveTable::default()
        };
        schema.tables.insert("t".into(), strict);
        history
            .others
            .insert("v".into(), object("view", "create view v as select 1"));
        schema
            .others
            .insert("v".into(), object("view", "create view v as select 2"));
        schema
            .others
            .insert("g".into(), object("trigger", "create trigger g ..."));
        let differences: Vec<String> = sandbox_diff(&history, &schema, &DbSchema::empty())
            .iter()
            .map(Difference::to_string)
            .collect();
        assert_eq!(
            differences,
            [
                "table t: STRICT no in the history, yes in the schema",
                "trigger g is missing",
                "view v: definition create view v as select 1 in the history, create view v as select 2 in the schema",
            ]
        );
    }
}
