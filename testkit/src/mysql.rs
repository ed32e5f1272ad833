//! A fresh MySQL (MariaDB) database per test, in the server of `FORGE_TEST_MYSQL_URL`, through the
//! `mariadb` client (or `mysql` where that is its name).

use std::process::Command;

use crate::command::run;
use crate::database::Database;
use crate::db_name::{db_name, server_url};

/// A database created for one test and dropped when this is dropped.
pub struct MySqlDb {
    name: String,
    server: Server,
}

/// Where the server is, from `mysql://user[:password]@host[:port]/`.
struct Server {
    user: String,
    password: Option<String>,
    host: String,
    port: String,
}

/// Creates the database `forge_test_<test_name>` (utf8mb4) in the server of
/// `FORGE_TEST_MYSQL_URL`, dropping a leftover one of the same name first.
///
/// # Panics
/// When `FORGE_TEST_MYSQL_URL` is not set (the message says how to start a server) or cannot be
/// read, or when the database cannot be created.
pub fn mysql_database(test_name: &str) -> MySqlDb {
    let url = server_url("FORGE_TEST_MYSQL_URL");
    let server = parse_url(&url).unwrap_or_else(|e| panic!("FORGE_TEST_MYSQL_URL={url}: {e}"));
    let db = MySqlDb {
        name: db_name(test_name),
        server,
    };
    let sql = format!(
        "DROP DATABASE IF EXISTS `{0}`; CREATE DATABASE `{0}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;",
        db.name
    );
    if let Err(e) = run(db.client(None), &sql) {
        panic!("MySQL at {url}: {e}");
    }
    db
}

impl MySqlDb {
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A connection URL for the database: `mysql://user[:password]@host:port/<name>`.
    pub fn url(&self) -> String {
        let s = &self.server;
        let password = s
            .password
            .as_ref()
            .map(|p| format!(":{p}"))
            .unwrap_or_default();
        format!(
            "mysql://{}{password}@{}:{}/{}",
            s.user, s.host, s.port, self.name
        )
    }

    fn client(&self, database: Option<&str>) -> Command {
        let program = if which("mariadb") { "mariadb" } else { "mysql" };
        let mut command = Command::new(program);
        let s = &self.server;
        command.args([
            "--no-defaults",
            "--protocol=TCP",
            "--default-character-set=utf8mb4",
            "--connect-timeout=10",
            &format!("--host={}", s.host),
            &format!("--port={}", s.port),
            &format!("--user={}", s.user),
        ]);
        if let Some(password) = &s.password {
            command.env("MYSQL_PWD", password);
        }
        if let Some(database) = database {
            command.arg(format!("--database={database}"));
        }
        command
    }
}

impl Database for MySqlDb {
    /// Runs `sql`, stopping at the first error. MySQL commits each DDL statement on its own, so a
    /// failed script leaves the statements before the failing one applied.
    fn apply(&self, sql: &str) -> Result<(), String> {
        run(self.client(Some(&self.name)), sql).map(drop)
    }

    fn query(&self, sql: &str) -> Result<String, String> {
        let mut command = self.client(Some(&self.name));
        command.args(["--batch", "--raw", "--skip-column-names"]);
        let out = run(command, sql)?;
        let rows: Vec<String> = out
            .stdout
            .lines()
            .map(|row| {
                row.split('\t')
                    .map(|c| if c == "NULL" { "" } else { c })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        Ok(rows.join("\n"))
    }
}

impl Drop for MySqlDb {
    fn drop(&mut self) {
        // A database left behind is dropped by the next run of the same test.
        let _ = run(
            self.client(None),
            &format!("DROP DATABASE IF EXISTS `{}`;", self.name),
        );
    }
}

/// True when `program` is on PATH.
fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

fn parse_url(url: &str) -> Result<Server, String> {
    let rest = url
        .strip_prefix("mysql://")
        .ok_or("the URL does not start with mysql://")?;
    let authority = rest.split('/').next().unwrap_or_default();
    let (userinfo, hostport) = authority.rsplit_once('@').unwrap_or(("root", authority));
    let (user, password) = match userinfo.split_once(':') {
        Some((u, p)) => (u.to_string(), Some(p.to_string())),
        None => (userinfo.to_string(), None),
    };
    let (host, port) = hostport.rsplit_once(':').unwrap_or((hostport, "3306"));
    if host.is_empty() {
        return Err("the URL names no host".into());
    }
    Ok(Server {
        user,
        password,
        host: host.to_string(),
        port: port.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_read() {
        let s = parse_url("mysql://root@127.0.0.1:3307/").unwrap();
        assert_eq!(
            (
                s.user.as_str(),
                s.password,
                s.host.as_str(),
                s.port.as_str()
            ),
            ("root", None, "127.0.0.1", "3307")
        );
        let s = parse_url("mysql://app:secret@db").unwrap();
        assert_eq!(
            (s.user.as_str(), s.password.as_deref(), s.port.as_str()),
            ("app", Some("secret"), "3306")
        );
        assert!(parse_url("postgres://x@y/").is_err());
    }
}
