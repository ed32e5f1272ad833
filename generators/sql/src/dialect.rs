//! The three SQL dialects, and how each one quotes identifiers and string literals.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A database that `schema.sql` is written for. MySQL output is tested on MariaDB and written to
/// run on MySQL 8 as well.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Postgres,
    Sqlite,
    Mysql,
}

impl Dialect {
    /// Every dialect, in a fixed order.
    pub const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql];

    /// `postgres`, `sqlite` or `mysql`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Sqlite => "sqlite",
            Dialect::Mysql => "mysql",
        }
    }

    /// `name` as a quoted identifier: `"x"` with `"` doubled, or in MySQL `` `x` `` with `` ` ``
    /// doubled. Every name forge emits goes through here, reserved word or not.
    pub fn ident(self, name: &str) -> String {
        let quote = match self {
            Dialect::Postgres | Dialect::Sqlite => '"',
            Dialect::Mysql => '`',
        };
        let mut out = String::with_capacity(name.len() + 2);
        out.push(quote);
        for c in name.chars() {
            if c == quote {
                out.push(quote);
            }
            out.push(c);
        }
        out.push(quote);
        out
    }

    /// Quoted identifiers joined by `, `.
    pub fn ident_list(self, names: &[String]) -> String {
        names
            .iter()
            .map(|n| self.ident(n))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `text` as a string literal: `'` doubled; in MySQL `\` doubled too (MySQL reads backslash
    /// escapes in literals under its default `sql_mode`).
    pub fn string(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 2);
        out.push('\'');
        for c in text.chars() {
            match c {
                '\'' => out.push_str("''"),
                '\\' if self == Dialect::Mysql => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
        out.push('\'');
        out
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A dialect name that is not `postgres`, `sqlite` or `mysql`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownDialect(pub String);

impl fmt::Display for UnknownDialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown SQL dialect `{}` (expected postgres, sqlite or mysql)",
            self.0
        )
    }
}

impl std::error::Error for UnknownDialect {}

impl FromStr for Dialect {
    type Err = UnknownDialect;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| UnknownDialect(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for d in Dialect::ALL {
            assert_eq!(d.as_str().parse::<Dialect>(), Ok(d));
        }
        assert!("oracle".parse::<Dialect>().is_err());
    }

    #[test]
    fn identifiers_double_their_quote() {
        assert_eq!(Dialect::Postgres.ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(Dialect::Sqlite.ident("order"), "\"order\"");
        assert_eq!(Dialect::Mysql.ident("a`b"), "`a``b`");
        assert_eq!(Dialect::Mysql.ident("prénom"), "`prénom`");
    }

    #[test]
    fn strings_escape_quotes_and_mysql_backslashes() {
        assert_eq!(Dialect::Postgres.string("it's \\"), "'it''s \\'");
        assert_eq!(Dialect::Sqlite.string("it's"), "'it''s'");
        assert_eq!(Dialect::Mysql.string("it's \\"), "'it''s \\\\'");
    }
}
