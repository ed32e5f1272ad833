//! Tests of the SQL generator: snapshots of `schema.sql`, and the schema applied to real SQLite,
//! PostgreSQL and MariaDB databases, whose behaviour is then checked. The server tests need
//! `eval "$(ci/db.sh start)"` first (or `ci/test`); without it they fail, never skip.

mod apply;
mod blog;
mod checks;
mod databases;
mod defaults;
mod ir_build;
mod keys;
mod names;
mod origins;
mod snapshots;
mod splice;
mod types_doc;
