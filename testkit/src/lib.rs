//! Test helpers for forge (dev-only): IRs through the real front end, and SQL applied to real
//! databases with results read back.
//!
//! SQLite runs in memory, always. PostgreSQL and MySQL (MariaDB) are servers: start throwaway ones
//! with `eval "$(ci/db.sh start)"`, which exports `FORGE_TEST_PG_URL` and `FORGE_TEST_MYSQL_URL`.
//! Each test gets a fresh database named after it, dropped when the handle is dropped. Without the
//! variables the helpers panic: a test that needs a server never skips silently.
//!
//! Servers are reached through their command-line clients (`psql`, `mariadb` or `mysql`), so no
//! database driver is compiled into the tests.
//!
//! ```
//! use forge_testkit::{sqlite_apply, Database};
//! let db = sqlite_apply("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);").unwrap();
//! assert_eq!(db.query("SELECT sum(x) FROM t").unwrap(), "3");
//! ```

mod command;
mod database;
mod db_name;
mod ir;
mod mysql;
mod node;
mod postgres;
mod sqlite;

pub use database::Database;
pub use ir::{example_ir, ir, ir_of_files, ir_of_folder, repo_root};
pub use mysql::{MySqlDb, mysql_database};
pub use node::{GuardRunner, TSC_OPTIONS, run_node, run_tsc, scratch_dir, tsc};
pub use postgres::{PgDb, pg_database};
pub use sqlite::sqlite_apply;
