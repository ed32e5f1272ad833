//! forge's migration planner: pure functions from two database snapshots to classified
//! operations and their SQL for PostgreSQL, SQLite and MySQL (MariaDB).
//!
//! - [`DbSchema`] is the snapshot (`migrations/schema.json`): the tables, columns, keys, indexes,
//!   checks and enums a schema needs ([`DbSchema::from_ir`]), and what fallbacks kept.
//! - [`plan`] compares two snapshots and returns [`Plan`]: [`Operation`]s in an order that runs,
//!   each classified by a [`Rule`] (`docs/migrations.md` lists them), and the snapshot after.
//!   Without `allow_destructive`, what would delete data is replaced by a fallback that keeps it.
//! - [`render`] (or [`Plan::script`], [`Plan::reverse_script`]) writes the SQL of each dialect as
//!   a [`Script`]: blocks that are one transaction, or one statement that cannot run in one.
//! - [`Migration`] is a migration folder's files (the scripts, their reverses, `plan.json`,
//!   `schema.json`) and its checksum.
//! - [`split_statements`] cuts a script into statements with their lines.
//! - With the feature `sqlite`, the sandbox: a history replayed on SQLite, read back and compared
//!   with the declared schema (`replay_sqlite`, `introspect_sqlite`, `sandbox_diff`).
//!
//! Nothing here touches a file; only the sandbox touches a database (SQLite, in memory).

mod classify;
mod deprecate;
mod diff_table;
mod enums;
mod error;
mod from_ir;
mod hints;
mod matching;
mod migration;
mod operation;
mod plan;
mod rename_order;
mod reverse;
mod rules;
mod same;
#[cfg(feature = "sqlite")]
mod sandbox;
mod snapshot;
mod split;
mod sql;

pub use deprecate::DEPRECATED_PREFIX;
pub use error::{PlanError, RenameSuggestion};
pub use hints::RenameHints;
pub use migration::{Migration, PLAN_FILE, PLAN_FORMAT, PlanEntry, PlanFile, SNAPSHOT_FILE};
pub use operation::{ConstraintKind, Operation};
pub use plan::{Plan, PlanOptions, PlannedOperation, plan};
pub use rules::{Class, Rule};
#[cfg(feature = "sqlite")]
pub use sandbox::{
    Change, Difference, FailureClass, LiveCheck, LiveColumn, LiveForeignKey, LiveIndex, LiveObject,
    LivePolicy, LiveSchema, LiveTable, ReplayFailure, Sides, introspect_sqlite, replay_sqlite,
    sandbox_diff,
};
pub use snapshot::{
    DbColumn, DbEnum, DbSchema, DbTable, JoinEnd, JoinInfo, SNAPSHOT_VERSION, SnapshotError,
};
pub use split::{SourceStatement, split_statements};
pub use sql::{Block, Script, Statement, render};
