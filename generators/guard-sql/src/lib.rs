//! forge's SQL guard generator: the IR's policies, permissions and tenant columns in,
//! parameterized SQL filters out, for the databases without row-level security (SQLite and
//! MySQL). The application enforces them: it adds a table's read filter to every `SELECT`, checks
//! a row against the update or delete filter before it writes, and checks the row a create or an
//! update is about to write, given as values, before writing it ([`Guards::values_check`]), as
//! PostgreSQL's `USING` and `WITH CHECK` do (whose lookups see the database before the
//! statement).
//!
//! [`guards`] writes `<dialect>.json` ([`format`] describes it): per model, then per join table,
//! for each action either a condition (a boolean expression over the row aliased `"record"`) or
//! an explicit denial. Each `?` of a condition takes the identity JSON text. The semantics are the
//! language's (`docs/language.md`), the same as the `rls` generator's for PostgreSQL: the tenant
//! guard, the `all` policy, the action's policy and the OR of its permission lines are ANDed; no
//! rule denies; update and delete need read; the missing-value rule and the order rules hold.
//! `docs/guards.md` (section "SQL filters") gives the protocol a service follows.
//!
//! - `access.rs`: which conditions an action ANDs; `table.rs`: a table's entry;
//! - `compile/`: expressions to SQL (comparisons, other rows); `identity.rs`: `user.*`;
//! - `sql.rs`: SQL pieces and quoting; `origins.rs`: which lines come from which model;
//! - `sqlite.rs` (feature `sqlite`): `allows`, `passes_check` and `passes_as_written`, which run
//!   the conditions on a rusqlite connection.
//!
//! ```
//! use forge_gen_sql::Dialect;
//! let file = forge_gen_guard_sql::guards(&forge_schemas::Ir::empty(), Dialect::Sqlite);
//! assert_eq!(file.path, "sqlite.json");
//! let guards = forge_gen_guard_sql::Guards::from_json(&file.content).unwrap();
//! assert!(guards.tables.is_empty());
//! ```

mod access;
mod compile;
mod format;
mod identity;
mod origins;
mod sql;
#[cfg(feature = "sqlite")]
mod sqlite;
mod table;

use forge_gen_sql::Dialect;
use forge_schemas::{Ir, OutputFile};

pub use format::{ALIAS, ActionGuard, Condition, FORMAT, Guards, TableGuards};
#[cfg(feature = "sqlite")]
pub use sqlite::{allows, passes_as_written, passes_check};

/// The path of the file [`guards`] returns for `dialect`, relative to the generator's out folder:
/// `sqlite.json` or `mysql.json`.
pub fn path(dialect: Dialect) -> String {
    format!("{}.json", dialect.as_str())
}

/// The guards of every model and join table of `ir` (the whole IR: conditions read the models a
/// rule reaches), for SQLite or MySQL. Origins map each table's entry, and each action in it, to
/// the model (a join table's to the model that declares the relation). A pure function of the IR.
///
/// # Panics
/// For [`Dialect::Postgres`]: PostgreSQL enforces the same rules with row-level security
/// (`forge-gen-rls`).
pub fn guards(ir: &Ir, dialect: Dialect) -> OutputFile {
    assert!(
        dialect != Dialect::Postgres,
        "PostgreSQL enforces policies with row-level security (forge-gen-rls), not with guards"
    );
    let models = ir.models.iter().filter(|m| !m.stub);
    let mut tables: Vec<TableGuards> = models
        .map(|m| table::model_guards(dialect, ir, m))
        .collect();
    tables.extend(
        ir.join_tables
            .iter()
            .map(|j| table::join_guards(dialect, ir, j)),
    );
    let file = Guards {
        format: FORMAT,
        dialect,
        alias: ALIAS.to_string(),
        tables,
    };
    let mut content = serde_json::to_string_pretty(&file).expect("the guards serialize to JSON");
    content.push('\n');
    let origins = origins::origins(&content, &file, ir);
    OutputFile {
        path: path(dialect),
        content,
        origins,
    }
}
