//! A fresh PostgreSQL database per test, in the server of `FORGE_TEST_PG_URL`, through `psql`.

use std::process::Command;

use crate::command::run;
use crate::database::Database;
use crate::db_name::{db_name, server_url};

/// A database created for one test and dropped (with its connections) when this is dropped.
pub struct PgDb {
    name: String,
    url: String,
    admin_url: String,
}

/// Creates the database `forge_test_<test_name>` in the server of `FORGE_TEST_PG_URL`, dropping a
/// leftover one of the same name first.
///
/// # Panics
/// When `FORGE_TEST_PG_URL` is not set (the message says how to start a server), or when the
/// database cannot be created.
pub fn pg_database(test_name: &str) -> PgDb {
    let admin_url = server_url("FORGE_TEST_PG_URL");
    let name = db_name(test_name);
    let url = with_database(&admin_url, &name);
    let db = PgDb {
        name,
        url,
        admin_url,
    };
    db.admin(&format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        ident(&db.name)
    ));
    db.admin(&format!(
        "CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0",
        ident(&db.name)
    ));
    db
}

impl PgDb {
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A connection URL for the database.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn psql(url: &str) -> Command {
        let mut command = Command::new("psql");
        command
            .args([
                "--no-psqlrc",
                "--quiet",
                "--set=ON_ERROR_STOP=1",
                "--echo-errors",
                "--dbname",
                url,
            ])
            .env("PGOPTIONS", "--client-min-messages=warning")
            .env("PGCONNECT_TIMEOUT", "10");
        command
    }

    /// Runs one statement on the server's own database (CREATE and DROP DATABASE cannot run in a
    /// transaction block, so each goes alone).
    fn admin(&self, sql: &str) {
        let mut command = Self::psql(&self.admin_url);
        command.args(["--command", sql]);
        if let Err(e) = run(command, "") {
            panic!("PostgreSQL at {}: {e}", self.admin_url);
        }
    }
}

impl Database for PgDb {
    /// Runs `sql` in one transaction, stopping at the first error.
    fn apply(&self, sql: &str) -> Result<(), String> {
        let mut command = Self::psql(&self.url);
        command.args(["--single-transaction", "--file=-"]);
        run(command, sql).map(drop)
    }

    fn query(&self, sql: &str) -> Result<String, String> {
        let mut command = Self::psql(&self.url);
        command.args(["--no-align", "--tuples-only", "--file=-"]);
        run(command, sql).map(|o| o.stdout.trim_end_matches('\n').to_string())
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        let mut command = Self::psql(&self.admin_url);
        command.args([
            "--command",
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", ident(&self.name)),
        ]);
        // A database left behind is dropped by the next run of the same test.
        let _ = run(command, "");
    }
}

fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `url` with its database replaced by `database`: `postgres://u@h:1/postgres?x=y` becomes
/// `postgres://u@h:1/<database>?x=y`.
fn with_database(url: &str, database: &str) -> String {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let (base, rest) = match url[authority_start..].find('/') {
        Some(i) => url.split_at(authority_start + i),
        None => (url, ""),
    };
    let query = rest.find('?').map_or("", |i| &rest[i..]);
    format!("{base}/{database}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_is_replaced_in_the_url() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5/postgres", "t"),
            "postgres://postgres@127.0.0.1:5/t"
        );
        assert_eq!(with_database("postgres://u@h:5", "t"), "postgres://u@h:5/t");
        assert_eq!(
            with_database("postgres://u@h:5/db?sslmode=disable", "t"),
            "postgres://u@h:5/t?sslmode=disable"
        );
    }
}
