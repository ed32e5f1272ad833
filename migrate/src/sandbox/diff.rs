//! The database the history builds against a fresh database built from `schema.sql`: every
//! difference, in words. What a fallback kept is set aside first (`kept.rs`); column order is not
//! compared (`ALTER TABLE ADD COLUMN` appends), nor are constraint names (`live.rs`).
//!
//! `forge drift` compares a live database with a fresh one the same way; [`Sides`] names the two
//! sides in its words.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::kept::{normalize_kept_tables, set_aside_kept};
use super::live::{LiveForeignKey, LiveIndex, LivePolicy, LiveSchema, LiveTable};
use crate::snapshot::DbSchema;

/// One way the replayed database differs from the declared one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// `table note`, `view recent`, `enum post_status`, `function forge.user_id()`.
    pub object: String,
    /// The part of it that differs: `column pinned`, `index note_title_idx`, `unique (a, b)`,
    /// `check (...)`, `foreign key (...)`, `primary key`, `row level security`, `policy
    /// note_read`; none for the object as a whole.
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

/// What the two sides of a comparison are called in words: the side read (the history's
/// database, a live database) and the side built from `schema.sql`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sides {
    /// `history`, `database`.
    pub left: &'static str,
    /// `schema`.
    pub right: &'static str,
}

impl Sides {
    /// The sandbox's words (a [`Difference`]'s `Display`): `... in the history, ... in the schema`.
    pub const SANDBOX: Sides = Sides {
        left: "history",
        right: "schema",
    };
    /// `forge drift`'s words: `... in the database, ... in the schema`.
    pub const DRIFT: Sides = Sides {
        left: "database",
        right: "schema",
    };
}

impl Difference {
    /// The difference in words, its sides called as `sides` says:
    /// `table note: column title: nullability nullable in the database, NOT NULL in the schema`.
    pub fn describe(&self, sides: Sides) -> String {
        let mut text = self.object.clone();
        if let Some(part) = &self.part {
            text.push_str(": ");
            text.push_str(part);
        }
        match &self.change {
            Change::Missing => text.push_str(" is missing"),
            Change::NotInSchema => text.push_str(&format!(" is not in the {}", sides.right)),
            Change::Differs {
                aspect,
                history,
                schema,
            } => text.push_str(&format!(
                ": {aspect} {history} in the {}, {schema} in the {}",
                sides.left, sides.right
            )),
        }
        text
    }
}

/// In the sandbox's words ([`Sides::SANDBOX`]).
impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Sides::SANDBOX))
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
    let declared = &normalize_kept_tables(declared, snapshot);
    let mut out = Vec::new();
    for (name, history, schema) in pairs(&replayed.enums, &declared.enums) {
        let object = format!("enum {name}");
        match (history, schema) {
            (Some(history), Some(schema)) if history != schema => out.push(Difference {
                object,
                part: None,
                change: Change::Differs {
                    aspect: "values".into(),
                    history: list(history),
                    schema: list(schema),
                },
            }),
            (None, _) => out.push(whole(object, Change::Missing)),
            (Some(_), None) => out.push(whole(object, Change::NotInSchema)),
            _ => {}
        }
    }
    for (name, history, schema) in pairs(&replayed.tables, &declared.tables) {
        let object = format!("table {name}");
        match (history, schema) {
            (Some(history), Some(schema)) => {
                TableDiff::new(&object, &mut out).compare(history, schema);
            }
            (None, _) => out.push(whole(object, Change::Missing)),
            (Some(_), None) => out.push(whole(object, Change::NotInSchema)),
        }
    }
    for (name, history, schema) in pairs(&replayed.others, &declared.others) {
        match (history, schema) {
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

/// Every name of `history` and `schema`, in order, with what each side has under it (one side
/// at least).
fn pairs<'a, V>(
    history: &'a BTreeMap<String, V>,
    schema: &'a BTreeMap<String, V>,
) -> impl Iterator<Item = (&'a String, Option<&'a V>, Option<&'a V>)> {
    let names: BTreeSet<&String> = history.keys().chain(schema.keys()).collect();
    names
        .into_iter()
        .map(|name| (name, history.get(name), schema.get(name)))
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
        self.differs(None, "STRICT", yes(history.strict), yes(schema.strict));
        self.differs(
            None,
            "WITHOUT ROWID",
            yes(history.without_rowid),
            yes(schema.without_rowid),
        );
        let rls = || Some("row level security".to_string());
        let (enabled, forced) = (history.rls_enabled, history.rls_forced);
        self.differs(rls(), "enabled", yes(enabled), yes(schema.rls_enabled));
        self.differs(rls(), "forced", yes(forced), yes(schema.rls_forced));
        for (name, built, declared) in pairs(&history.policies, &schema.policies) {
            let part = Some(format!("policy {name}"));
            match (built, declared) {
                (Some(built), Some(declared)) => self.policy(part, built, declared),
                (None, _) => self.push(part, Change::Missing),
                (Some(_), None) => self.push(part, Change::NotInSchema),
            }
        }
    }

    fn policy(&mut self, part: Option<String>, history: &LivePolicy, schema: &LivePolicy) {
        let (h, s) = (history, schema);
        self.differs(
            part.clone(),
            "command",
            h.command.clone(),
            s.command.clone(),
        );
        self.differs(
            part.clone(),
            "permissive",
            yes(h.permissive),
            yes(s.permissive),
        );
        self.differs(part.clone(), "roles", list(&h.roles), list(&s.roles));
        self.differs(part.clone(), "using", or_none(&h.using), or_none(&s.using));
        self.differs(
            part,
            "with check",
            or_none(&h.with_check),
            or_none(&s.with_check),
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
            self.differs(
                part,
                "default",
                or_none(&built.default),
                or_none(&column.default),
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
                let unique = |b: bool| if b { "unique" } else { "not unique" }.to_string();
                self.differs(
                    part.clone(),
                    "uniqueness",
                    unique(built.unique),
                    unique(index.unique),
                );
                self.differs(
                    part.clone(),
                    "columns",
                    list(&built.columns),
                    list(&index.columns),
                );
                self.differs(
                    part,
                    "condition",
                    or_none(&built.partial),
                    or_none(&index.partial),
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

fn yes(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// An optional expression: `none` when there is none.
fn or_none(sql: &Option<String>) -> String {
    sql.clone().unwrap_or_else(|| "none".into())
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
    use crate::sandbox::live::{LiveObject, LivePolicy};

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

    fn policy(using: &str) -> LivePolicy {
        LivePolicy {
            command: "SELECT".into(),
            permissive: true,
            roles: vec!["public".into()],
            using: Some(using.into()),
            with_check: None,
        }
    }

    #[test]
    fn enums_row_level_security_and_policies_are_compared() {
        let mut history = LiveSchema::default();
        let mut schema = LiveSchema::default();
        let values = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        history.enums.insert("plan".into(), values(&["free"]));
        history.enums.insert("old".into(), values(&["x"]));
        schema.enums.insert("plan".into(), values(&["free", "pro"]));
        schema.enums.insert("status".into(), values(&["draft"]));
        let mut built = LiveTable {
            rls_enabled: true,
            ..LiveTable::default()
        };
        built
            .policies
            .insert("post_read".into(), policy("(tenant_id = 1)"));
        built.policies.insert("post_all".into(), policy("true"));
        let mut declared = LiveTable {
            rls_enabled: true,
            rls_forced: true,
            ..LiveTable::default()
        };
        let mut read = policy("(tenant_id = 2)");
        read.command = "ALL".into();
        read.permissive = false;
        read.roles = vec!["app".into(), "reader".into()];
        read.with_check = Some("true".into());
        declared.policies.insert("post_read".into(), read);
        declared
            .policies
            .insert("post_write".into(), policy("true"));
        history.tables.insert("post".into(), built);
        schema.tables.insert("post".into(), declared);
        let differences = sandbox_diff(&history, &schema, &DbSchema::empty());
        let words: Vec<String> = differences.iter().map(Difference::to_string).collect();
        assert_eq!(
            words,
            [
                "enum old is not in the schema",
                "enum plan: values (free) in the history, (free, pro) in the schema",
                "enum status is missing",
                "table post: row level security: forced no in the history, yes in the schema",
                "table post: policy post_all is not in the schema",
                "table post: policy post_read: command SELECT in the history, ALL in the schema",
                "table post: policy post_read: permissive yes in the history, no in the schema",
                "table post: policy post_read: roles (public) in the history, (app, reader) in the schema",
                "table post: policy post_read: using (tenant_id = 1) in the history, (tenant_id = 2) in the schema",
                "table post: policy post_read: with check none in the history, true in the schema",
                "table post: policy post_write is missing",
            ]
        );
        let drift: Vec<String> = differences
            .iter()
            .map(|d| d.describe(Sides::DRIFT))
            .collect();
        assert_eq!(
            drift[..2],
            [
                "enum old is not in the schema",
                "enum plan: values (free) in the database, (free, pro) in the schema",
            ]
        );
    }
}
