//! A migration folder as data: `migrations/0003_add_posts/` with one SQL file per dialect, the
//! reverse scripts when the plan can be undone, `plan.json` and the snapshot after it. The same
//! plan always gives the same bytes.

use std::collections::BTreeMap;

use forge_gen_sql::Dialect;
use serde::{Deserialize, Serialize};

use crate::operation::Operation;
use crate::plan::Plan;
use crate::reverse::inverse;
use crate::rules::{Class, Rule};
use crate::snapshot::DbSchema;
use crate::sql::Script;

/// The snapshot file, in `migrations/` (the state the history leads to) and in each migration's
/// folder (the state after it).
pub const SNAPSHOT_FILE: &str = "schema.json";

/// The classified operations, in each migration's folder.
pub const PLAN_FILE: &str = "plan.json";

/// The version of `plan.json`'s format.
pub const PLAN_FORMAT: u32 = 1;

/// One migration folder's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migration {
    /// The name as given, made safe: `add_posts`.
    pub name: String,
    /// The folder: `0003_add_posts`.
    pub dir: String,
    /// Path inside the folder -> content.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// `plan.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// Always [`PLAN_FORMAT`].
    pub format: u32,
    /// The migration's folder name.
    pub migration: String,
    /// Digest of the snapshot before ([`DbSchema::digest`]).
    pub from: String,
    /// Digest of the snapshot after.
    pub to: String,
    /// The riskiest class of the operations.
    pub class: Class,
    /// True when the down scripts exist: every operation can be undone.
    pub reversible: bool,
    pub operations: Vec<PlanEntry>,
}

/// One operation of `plan.json`, with its classification spelled out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanEntry {
    pub description: String,
    pub rule: Rule,
    /// The rule's name: `drop-column`.
    pub name: String,
    pub class: Class,
    pub reason: String,
    /// False when undoing it cannot bring back what it deleted.
    pub reversible: bool,
    pub operation: Operation,
}

impl Migration {
    /// The folder of migration number `number` called `name`, planned by `plan` from `old`.
    pub fn new(number: u32, name: &str, old: &DbSchema, plan: &Plan) -> Migration {
        let name = slug(name);
        let dir = format!("{number:04}_{name}");
        let reverse = plan.reverse();
        let mut files = BTreeMap::new();
        let labels: Vec<String> = plan
            .operations
            .iter()
            .map(|p| {
                format!(
                    "{} ({} {}, {})",
                    p.operation.describe(),
                    p.rule.code(),
                    p.rule.name(),
                    p.class()
                )
            })
            .collect();
        let reverse_labels: Vec<String> =
            reverse.iter().flatten().map(Operation::describe).collect();
        for dialect in Dialect::ALL {
            let script = plan.script(dialect, old);
            let top = header(&dir, dialect, &script, "");
            let file = script.to_file(&top, &labels);
            files.insert(format!("{dialect}.sql"), file.into_bytes());
            if let Some(script) = plan.reverse_script(dialect, old) {
                let top = header(&dir, dialect, &script, "undoes ");
                let file = script.to_file(&top, &reverse_labels);
                files.insert(format!("down.{dialect}.sql"), file.into_bytes());
            }
        }
        let plan_file = PlanFile {
            format: PLAN_FORMAT,
            migration: dir.clone(),
            from: old.digest(),
            to: plan.snapshot.digest(),
            class: plan.class(),
            reversible: reverse.is_some(),
            operations: plan
                .operations
                .iter()
                .map(|p| PlanEntry {
                    description: p.operation.describe(),
                    rule: p.rule,
                    name: p.rule.name().to_string(),
                    class: p.class(),
                    reason: p.rule.reason().to_string(),
                    reversible: inverse(&p.operation).is_some(),
                    operation: p.operation.clone(),
                })
                .collect(),
        };
        let mut json = serde_json::to_vec_pretty(&plan_file).expect("a plan always serializes");
        json.push(b'\n');
        files.insert(PLAN_FILE.to_string(), json);
        files.insert(SNAPSHOT_FILE.to_string(), plan.snapshot.to_json());
        Migration { name, dir, files }
    }

    /// The script of `dialect` (`postgres.sql`), as text.
    pub fn sql(&self, dialect: Dialect) -> &str {
        self.text(&format!("{dialect}.sql"))
            .expect("every migration has a script per dialect")
    }

    /// The reverse script of `dialect` (`down.postgres.sql`), when the plan can be undone.
    pub fn down_sql(&self, dialect: Dialect) -> Option<&str> {
        self.text(&format!("down.{dialect}.sql"))
    }

    /// The snapshot after the migration (the bytes of `schema.json`).
    pub fn snapshot(&self) -> &[u8] {
        &self.files[SNAPSHOT_FILE]
    }

    fn text(&self, path: &str) -> Option<&str> {
        self.files
            .get(path)
            .map(|b| std::str::from_utf8(b).expect("forge writes UTF-8"))
    }

    /// blake3 over every file (path and content, in path order), as hex: what
    /// `_forge_migrations` records, so an edited migration is noticed.
    pub fn checksum(&self) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.dir.as_bytes());
        hasher.update(&[0]);
        for (path, bytes) in &self.files {
            hasher.update(&(path.len() as u64).to_le_bytes());
            hasher.update(path.as_bytes());
            hasher.update(&(bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
        hasher.finalize().to_hex().to_string()
    }
}

/// The comment lines at the top of a script.
fn header(dir: &str, dialect: Dialect, script: &Script, undoes: &str) -> Vec<String> {
    let mut lines = vec![
        forge_gen_sql::HEADER.trim_start_matches("-- ").to_string(),
        format!("migration {dir}: {undoes}{dialect}"),
    ];
    if script.is_empty() {
        lines.push("nothing to run in this dialect".to_string());
        return lines;
    }
    lines.push(
        match dialect {
            Dialect::Postgres => {
                "run the file as it is (psql -v ON_ERROR_STOP=1 -f, not --single-transaction): it opens its own transactions, and some statements cannot run inside one"
            }
            Dialect::Sqlite => {
                "run the file as it is: foreign keys are off while it runs, and checked before it commits"
            }
            Dialect::Mysql => {
                "MySQL commits every DDL statement: when one fails, the statements before it stay applied"
            }
        }
        .to_string(),
    );
    lines
}

/// `name` in lower-case ASCII letters, digits and single `_`s; `migration` when nothing is left.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() {
        "migration".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_safe_folder_names() {
        assert_eq!(slug("Add posts!"), "add_posts");
        assert_eq!(slug("  --  "), "migration");
        assert_eq!(slug("v2 → v3"), "v2_v3");
    }
}
