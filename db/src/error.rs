//! What can go wrong with a live database, each case saying which database (its URL without the
//! password) and what to do.

/// An error of `forge-db`.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "`{url}` is not a database URL forge reads: {reason}\n  help: postgres://user:password@host:5432/db, mysql://user:password@host:3306/db, sqlite:///absolute/path.db or sqlite://relative.db"
    )]
    Url { url: String, reason: String },
    #[error(
        "cannot connect to {url}: {error}\n  help: check the URL, that the server runs and that the user may log in"
    )]
    Connect {
        url: String,
        /// The driver's or the database's words.
        error: String,
    },
    #[error(
        "{url}: {what}: {error}\n  help: check that the server is reachable and that the user may do this (forge reads the catalog; `migrate apply` also creates and writes _forge_migrations)"
    )]
    Query {
        url: String,
        /// What forge was doing: `reading the columns`.
        what: String,
        error: String,
    },
    /// A statement of a migration that the database refused.
    #[error(transparent)]
    Statement(Box<crate::apply::StatementFailure>),
    /// Anything else, already in words (with its `help:` line).
    #[error("{0}")]
    Invalid(String),
}

impl DbError {
    /// A query of `db` failed while forge was doing `what` (`reading the columns`).
    pub(crate) fn query(db: &crate::Db, what: &str, source: sqlx::Error) -> DbError {
        DbError::Query {
            url: db.url().to_string(),
            what: what.to_string(),
            error: crate::connection::error_message(&source),
        }
    }
}
