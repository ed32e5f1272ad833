//! The SQLite sandbox of a migration history (feature `sqlite`): the whole history replayed on an
//! empty in-memory database ([`replay_sqlite`]), the result read back ([`introspect_sqlite`]) and
//! compared with a fresh database built from the schema's `schema.sql` ([`sandbox_diff`]). The
//! history leads to the schema when nothing differs but what a fallback kept.
//!
//! A statement SQLite refuses stops the replay with a [`ReplayFailure`]: the migration, the
//! statement and its line, SQLite's error, its [`FailureClass`] and a repair to suggest.
//!
//! The same model ([`LiveSchema`]) and comparison serve `forge drift`, whose PostgreSQL and MySQL
//! databases `forge-db` reads; [`Sides`] names the two sides in its words.

mod class;
mod diff;
mod introspect;
mod kept;
mod kept_values;
mod live;
mod replay;
mod table_text;
mod tokens;

pub use class::FailureClass;
pub use diff::{Change, Difference, Sides, sandbox_diff};
pub use introspect::introspect_sqlite;
pub use live::{
    LiveCheck, LiveColumn, LiveForeignKey, LiveIndex, LiveObject, LivePolicy, LiveSchema, LiveTable,
};
pub use replay::{ReplayFailure, replay_sqlite};
