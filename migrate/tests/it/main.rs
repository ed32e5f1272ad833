//! Tests of the migration planner on real databases: for each kind of operation, the old
//! schema's `schema.sql` with rows in it, the planned migration run as its file, the rows checked,
//! and the result compared with a fresh database built from the new `schema.sql`. SQLite runs in
//! memory; PostgreSQL and MariaDB need `eval "$(ci/db.sh start)"` first (or `ci/test`).

mod columns;
mod constraints;
mod db;
mod determinism;
mod docs;
mod enums;
mod fallback;
mod initial;
mod joins;
mod renames;
mod reverse;
mod sandbox;
mod schema;
mod tables;
