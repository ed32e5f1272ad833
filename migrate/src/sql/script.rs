//! A migration's SQL for one dialect: statements grouped in blocks, each block one transaction or
//! one statement that must run outside any transaction, and the `.sql` file that shows them.

use forge_gen_sql::Dialect;
use serde::{Deserialize, Serialize};

/// The statements of a migration in one dialect, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    pub dialect: Dialect,
    pub blocks: Vec<Block>,
}

/// Statements that run together: in one transaction, or (when `transaction` is false) one by
/// one outside any transaction (`CREATE INDEX CONCURRENTLY`, `ALTER TYPE ... ADD VALUE`, SQLite's
/// `PRAGMA foreign_keys`, and every MySQL statement, since MySQL commits each DDL statement).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub transaction: bool,
    pub statements: Vec<Statement>,
}

/// One SQL statement, ending in `;`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// The statement; empty when the dialect has nothing to run and the comments say why.
    pub sql: String,
    /// Comment lines (`-- ...`) about it, from the SQL generator.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<String>,
    /// The operation it belongs to (its index in the plan); `None` for the script's own
    /// statements (settings, checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<usize>,
}

impl Statement {
    pub(crate) fn new(sql: String, operation: Option<usize>) -> Statement {
        Statement {
            sql,
            comments: Vec::new(),
            operation,
        }
    }
}

impl Script {
    /// Every statement that has SQL, with whether it runs inside a transaction.
    pub fn statements(&self) -> impl Iterator<Item = (&Statement, bool)> {
        self.blocks.iter().flat_map(|b| {
            b.statements
                .iter()
                .filter(|s| !s.sql.is_empty())
                .map(move |s| (s, b.transaction))
        })
    }

    /// True when the script runs nothing.
    pub fn is_empty(&self) -> bool {
        self.statements().next().is_none()
    }

    /// The `.sql` file: `header` lines as comments, then every block (a transaction between
    /// `BEGIN;` and `COMMIT;`), each operation's statements under a comment from `labels` (by
    /// operation index). The file runs as it is with `psql -f`, `mariadb <` or `sqlite3`.
    pub fn to_file(&self, header: &[String], labels: &[String]) -> String {
        let mut out = String::new();
        for line in header {
            out.push_str("-- ");
            out.push_str(line);
            out.push('\n');
        }
        for block in &self.blocks {
            let mut last = None;
            out.push('\n');
            if block.transaction {
                out.push_str(begin(self.dialect));
                out.push('\n');
            }
            for s in &block.statements {
                if s.operation.is_some() && s.operation != last {
                    let i = s.operation.unwrap_or_default();
                    if let Some(label) = labels.get(i) {
                        out.push_str(&format!("-- {}. {label}\n", i + 1));
                    }
                }
                last = s.operation;
                for c in &s.comments {
                    out.push_str(c);
                    out.push('\n');
                }
                if !s.sql.is_empty() {
                    out.push_str(&s.sql);
                    out.push('\n');
                }
            }
            if block.transaction {
                out.push_str("COMMIT;\n");
            }
        }
        out
    }
}

fn begin(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres | Dialect::Mysql => "BEGIN;",
        Dialect::Sqlite => "BEGIN IMMEDIATE;",
    }
}
