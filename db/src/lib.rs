//! forge's live databases, through sqlx: PostgreSQL, MySQL (MariaDB) and SQLite.
//!
//! - [`DbUrl`]: a `--db URL`, its dialect, shown without its password.
//! - [`Db`]: one connection, blocking.
//! - [`introspect`]: a PostgreSQL or MySQL database read into `forge_migrate`'s `LiveSchema`.
//! - [`apply`]: the pending migrations of a history run on a database, recorded in
//!   `_forge_migrations` ([`history`]); [`compare`] says where a database stands.
//! - [`drift`]: a live database against the declared schema, built in a [`Scratch`] database.
//! - [`sandbox_postgres`]: the history replayed on a real PostgreSQL, against the schema.
//!
//! **Only this crate talks to a database server.** The planner (`forge-migrate`) is pure; the
//! engine's SQLite sandbox uses rusqlite in memory.

mod apply;
mod connection;
mod drift;
mod error;
pub mod history;
mod introspect;
mod sandbox;
mod scratch;
mod status;
mod url;

pub use apply::{AppliedStep, ApplyReport, StatementFailure, apply};
pub use drift::{DeclaredSql, drift, read_live};
pub use history::{AppliedMigration, HISTORY_TABLE};
pub use sandbox::{SandboxReport, sandbox_postgres};
pub use scratch::Scratch;
pub use status::{MigrationStatus, State, compare, file_digests};

pub use connection::{Db, TextRow, error_code, error_message};
pub use error::DbError;
pub use forge_migrate::{Change, Difference, Sides};
pub use introspect::introspect;
pub use url::{DbUrl, redact};
