//! One connection to a live database, whichever its dialect, behind a blocking interface: forge
//! is synchronous, so each [`Db`] drives its sqlx connection on its own single-threaded tokio
//! runtime.

use std::str::FromStr;

use forge_gen_sql::Dialect;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, Connection, Executor, Row};

use crate::error::DbError;
use crate::url::DbUrl;

/// A connection.
pub struct Db {
    url: DbUrl,
    runtime: tokio::runtime::Runtime,
    conn: Conn,
}

enum Conn {
    Postgres(PgConnection),
    Mysql(MySqlConnection),
    Sqlite(SqliteConnection),
}

/// A row: every column as text, or `None` for NULL.
pub type TextRow = Vec<Option<String>>;

impl Db {
    /// Connects to `url`; an SQLite file is created when missing.
    pub fn connect(url: &DbUrl) -> Result<Db, DbError> {
        Db::open(url, true)
    }

    /// Connects to `url`, which must exist: an SQLite file is not created (for the commands that
    /// only look, such as `forge migrate status`).
    pub fn connect_existing(url: &DbUrl) -> Result<Db, DbError> {
        if url.dialect == Dialect::Sqlite && !url.sqlite_path().is_file() {
            return Err(DbError::Invalid(format!(
                "{url}: no such file\n  help: check the path (sqlite://relative.db is relative to the current folder; sqlite:///abs/path.db is absolute); `forge migrate apply` creates it"
            )));
        }
        Db::open(url, false)
    }

    fn open(url: &DbUrl, create: bool) -> Result<Db, DbError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                DbError::Invalid(format!(
                    "cannot start an async runtime: {e}\n  help: the system refused a thread or a socket; check its limits (ulimit -n, ulimit -u)"
                ))
            })?;
        let failed = |source: sqlx::Error| DbError::Connect {
            url: url.to_string(),
            error: error_message(&source),
        };
        let conn = runtime.block_on(async {
            Ok(match url.dialect {
                Dialect::Postgres => {
                    let options = PgConnectOptions::from_str(url.as_str()).map_err(failed)?;
                    Conn::Postgres(PgConnection::connect_with(&options).await.map_err(failed)?)
                }
                Dialect::Mysql => {
                    let options = MySqlConnectOptions::from_str(url.as_str()).map_err(failed)?;
                    Conn::Mysql(
                        MySqlConnection::connect_with(&options)
                            .await
                            .map_err(failed)?,
                    )
                }
                Dialect::Sqlite => {
                    let options = SqliteConnectOptions::from_str(url.as_str())
                        .map_err(failed)?
                        .create_if_missing(create)
                        .foreign_keys(true);
                    Conn::Sqlite(
                        SqliteConnection::connect_with(&options)
                            .await
                            .map_err(failed)?,
                    )
                }
            })
        })?;
        Ok(Db {
            url: url.clone(),
            runtime,
            conn,
        })
    }

    pub fn dialect(&self) -> Dialect {
        self.url.dialect
    }

    pub fn url(&self) -> &DbUrl {
        &self.url
    }

    /// Runs `sql`: one statement, or several separated by `;`, without parameters.
    pub fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        let sql = sqlx::raw_sql(AssertSqlSafe(sql.to_string()));
        self.runtime.block_on(async {
            match &mut self.conn {
                Conn::Postgres(c) => c.execute(sql).await.map(drop),
                Conn::Mysql(c) => c.execute(sql).await.map(drop),
                Conn::Sqlite(c) => c.execute(sql).await.map(drop),
            }
        })
    }

    /// Runs the one statement `sql` with `binds` for its parameters (`$1` in PostgreSQL, `?`
    /// elsewhere: [`Db::placeholder`]).
    pub fn execute_bound(&mut self, sql: &str, binds: &[&str]) -> Result<(), sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_string());
        self.runtime.block_on(async {
            macro_rules! run {
                ($conn:expr) => {{
                    let mut query = sqlx::query(sql);
                    for bind in binds {
                        query = query.bind(bind.to_string());
                    }
                    query.execute($conn).await.map(drop)
                }};
            }
            match &mut self.conn {
                Conn::Postgres(c) => run!(c),
                Conn::Mysql(c) => run!(c),
                Conn::Sqlite(c) => run!(c),
            }
        })
    }

    /// The `n`th parameter (from 1) as the dialect writes it.
    pub fn placeholder(&self, n: usize) -> String {
        match self.dialect() {
            Dialect::Postgres => format!("${n}"),
            _ => "?".to_string(),
        }
    }

    /// The rows of the query `sql`, with `binds` for its parameters (`$1` in PostgreSQL, `?`
    /// elsewhere). Every column must be text or NULL: cast the others in the query.
    pub fn rows(&mut self, sql: &str, binds: &[&str]) -> Result<Vec<TextRow>, sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_string());
        self.runtime.block_on(async {
            macro_rules! fetch {
                ($conn:expr) => {{
                    let mut query = sqlx::query(sql);
                    for bind in binds {
                        query = query.bind(bind.to_string());
                    }
                    let rows = query.fetch_all($conn).await?;
                    rows.iter()
                        .map(|row| {
                            (0..row.len())
                                .map(|i| row.try_get_unchecked::<Option<String>, _>(i))
                                .collect::<Result<TextRow, _>>()
                        })
                        .collect()
                }};
            }
            match &mut self.conn {
                Conn::Postgres(c) => fetch!(c),
                Conn::Mysql(c) => fetch!(c),
                Conn::Sqlite(c) => fetch!(c),
            }
        })
    }

    /// Closes the connection cleanly.
    pub fn close(self) {
        let Db { runtime, conn, .. } = self;
        runtime.block_on(async {
            // A connection that cannot say goodbye is dropped all the same.
            let _ = match conn {
                Conn::Postgres(c) => c.close().await,
                Conn::Mysql(c) => c.close().await,
                Conn::Sqlite(c) => c.close().await,
            };
        });
    }
}

/// The database's own words for `error` (its message, and its code when it has one).
pub fn error_message(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Database(e) => match e.code() {
            Some(code) => format!("{} ({code})", e.message()),
            None => e.message().to_string(),
        },
        sqlx::Error::Io(e) => e.to_string(),
        other => other.to_string(),
    }
}

/// The database's code for `error` (SQLSTATE in PostgreSQL, the error number's state in
/// MySQL, the extended result code in SQLite), when it is a database error.
pub fn error_code(error: &sqlx::Error) -> Option<String> {
    match error {
        sqlx::Error::Database(e) => e.code().map(|c| c.into_owned()),
        _ => None,
    }
}
