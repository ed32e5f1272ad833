//! `--db URL`: which database, in which dialect, and how to show it without its password.
//!
//! URLs are read as sqlx reads them: `postgres://` (or `postgresql://`), `mysql://` (or
//! `mariadb://`), and `sqlite:///absolute/path.db` or `sqlite://relative.db` (relative to the
//! current folder), the file created when it is missing.

use std::fmt;

use forge_gen_sql::Dialect;

use crate::error::DbError;

/// A database URL, checked.
#[derive(Clone, PartialEq, Eq)]
pub struct DbUrl {
    pub dialect: Dialect,
    /// As given (`mariadb://` written `mysql://`).
    url: String,
}

impl DbUrl {
    /// Reads `url`.
    pub fn parse(url: &str) -> Result<DbUrl, DbError> {
        let bad = |reason: &str| DbError::Url {
            url: redact(url),
            reason: reason.to_string(),
        };
        let (scheme, rest) = url.split_once(':').ok_or_else(|| bad("it has no scheme"))?;
        let (dialect, url) = match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => (Dialect::Postgres, url.to_string()),
            "mysql" => (Dialect::Mysql, url.to_string()),
            "mariadb" => (Dialect::Mysql, format!("mysql:{rest}")),
            "sqlite" => {
                let path = rest.trim_start_matches("//");
                let path = path.split('?').next().unwrap_or_default();
                if path.is_empty() || path == ":memory:" {
                    return Err(bad(
                        "it names no file (an in-memory database ends with the command)",
                    ));
                }
                (Dialect::Sqlite, url.to_string())
            }
            other => {
                return Err(bad(&format!(
                    "the scheme `{other}` is not postgres, mysql or sqlite"
                )));
            }
        };
        if dialect != Dialect::Sqlite && !rest.starts_with("//") {
            return Err(bad("a server URL starts with `//` after the scheme"));
        }
        Ok(DbUrl { dialect, url })
    }

    /// The URL as sqlx takes it.
    pub(crate) fn as_str(&self) -> &str {
        &self.url
    }

    /// The same server's database `name` (for a scratch database); `None` for SQLite.
    pub(crate) fn with_database(&self, name: &str) -> Option<DbUrl> {
        if self.dialect == Dialect::Sqlite {
            return None;
        }
        let mut parsed = url::Url::parse(&self.url).ok()?;
        parsed.set_path(&format!("/{name}"));
        // sqlx also reads the database's name from `dbname=`, after the path: drop it, so the
        // scratch URL cannot lead back to the database it stands beside.
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("dbname"))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        parsed.set_query(None);
        if !pairs.is_empty() {
            parsed.query_pairs_mut().extend_pairs(pairs);
        }
        Some(DbUrl {
            dialect: self.dialect,
            url: parsed.to_string(),
        })
    }

    /// An SQLite URL's file: `sqlite:///abs/a.db` gives `/abs/a.db`, `sqlite://a.db` gives
    /// `a.db` (relative to the current folder).
    pub(crate) fn sqlite_path(&self) -> std::path::PathBuf {
        let rest = self.url.split_once(':').map_or("", |(_, rest)| rest);
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        std::path::PathBuf::from(rest.split('?').next().unwrap_or_default())
    }
}

/// Shown without its password.
impl fmt::Display for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.url))
    }
}

impl fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DbUrl({self})")
    }
}

/// `url` with its password (if any) written `***`, also in a URL too broken to parse, and in a
/// `password=` query parameter (which sqlx reads too).
pub fn redact(url: &str) -> String {
    let parsed = url::Url::parse(url)
        .ok()
        .filter(|p| p.has_host() || !url.contains('@'));
    if let Some(mut parsed) = parsed {
        if parsed.password().is_some() {
            // Only a URL that cannot have a password refuses one.
            let _ = parsed.set_password(Some("***"));
        }
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                let secret = k.eq_ignore_ascii_case("password");
                (
                    k.into_owned(),
                    if secret { "***".into() } else { v.into_owned() },
                )
            })
            .collect();
        if pairs
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("password"))
        {
            parsed.query_pairs_mut().clear().extend_pairs(pairs);
        }
        return parsed.to_string();
    }
    // `user:password@host`: whatever stands between the user's `:` and the last `@`.
    let Some(at) = url.rfind('@') else {
        return url.to_string();
    };
    let before = &url[..at];
    let user_start = before
        .find("://")
        .map(|i| i + 3)
        .or_else(|| before.find(':').map(|i| i + 1))
        .unwrap_or(0);
    match before[user_start..].find(':') {
        Some(colon) => format!("{}***{}", &url[..user_start + colon + 1], &url[at..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialects_come_from_the_scheme() {
        let dialect = |u: &str| DbUrl::parse(u).unwrap().dialect;
        assert_eq!(dialect("postgres://u@h/db"), Dialect::Postgres);
        assert_eq!(dialect("postgresql://u@h/db"), Dialect::Postgres);
        assert_eq!(dialect("mysql://u@h/db"), Dialect::Mysql);
        assert_eq!(dialect("mariadb://u@h/db"), Dialect::Mysql);
        assert_eq!(dialect("sqlite:///tmp/a.db"), Dialect::Sqlite);
        assert_eq!(dialect("sqlite://a.db"), Dialect::Sqlite);
        assert_eq!(
            DbUrl::parse("mariadb://u@h/db").unwrap().as_str(),
            "mysql://u@h/db"
        );
    }

    #[test]
    fn bad_urls_say_why_without_the_password() {
        for (url, reason) in [
            ("oracle://u:secret@h/db", "`oracle` is not"),
            ("sqlite::memory:", "names no file"),
            ("sqlite://", "names no file"),
            ("postgres:u:secret@h/db", "starts with `//`"),
            ("nothing", "no scheme"),
        ] {
            let message = DbUrl::parse(url).unwrap_err().to_string();
            assert!(message.contains(reason), "{url}: {message}");
            assert!(!message.contains("secret"), "{message}");
        }
    }

    #[test]
    fn passwords_are_not_shown() {
        let url = DbUrl::parse("postgres://app:hunter2@db.local:5432/shop").unwrap();
        assert_eq!(url.to_string(), "postgres://app:***@db.local:5432/shop");
        assert_eq!(
            url.with_database("scratch").unwrap().as_str(),
            "postgres://app:hunter2@db.local:5432/scratch"
        );
        // A password with a `/`, which the URL parser refuses, and one in the query.
        assert_eq!(redact("postgres://u:pa/ss@h/db"), "postgres://u:***@h/db");
        assert_eq!(
            redact("postgres://u@h/db?password=hunter2&sslmode=require"),
            "postgres://u@h/db?password=***&sslmode=require"
        );
        let aside = DbUrl::parse("postgres://u@h/live?dbname=live&sslmode=require").unwrap();
        assert_eq!(
            aside.with_database("scratch").unwrap().as_str(),
            "postgres://u@h/scratch?sslmode=require"
        );
        let file = DbUrl::parse("sqlite:///tmp/a.db?mode=rwc").unwrap();
        assert_eq!(file.sqlite_path(), std::path::Path::new("/tmp/a.db"));
        let file = DbUrl::parse("sqlite://dev.db").unwrap();
        assert_eq!(file.sqlite_path(), std::path::Path::new("dev.db"));
    }
}
