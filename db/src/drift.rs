//! `forge drift`: a live database against the declared schema. The declared schema is built in a
//! scratch database on the same server (in memory for SQLite) from the schema's own SQL, both
//! are read back ([`crate::introspect`], `introspect_sqlite`) and compared as the sandbox
//! compares them, what the migration history's fallbacks kept set aside. The live database is
//! only read.

use forge_gen_sql::Dialect;
use forge_migrate::{
    DbSchema, Difference, LiveSchema, introspect_sqlite, sandbox_diff, split_statements,
};

use crate::connection::{Db, error_message};
use crate::error::DbError;
use crate::history::HISTORY_TABLE;
use crate::scratch::Scratch;
use crate::url::DbUrl;

/// What the database should hold: the schema's SQL in its dialect.
pub struct DeclaredSql<'a> {
    /// `sql/<dialect>/schema.sql`.
    pub schema: &'a str,
    /// `rls/policies.sql` (PostgreSQL with `target rls`).
    pub policies: Option<&'a str>,
    /// The history's snapshot: what its fallbacks kept.
    pub snapshot: &'a DbSchema,
}

/// Every way the database at `url` differs from `declared`; `scratch` is the server to build
/// the declared schema on (default: the database's own).
pub fn drift(
    url: &DbUrl,
    declared: &DeclaredSql<'_>,
    scratch: Option<&DbUrl>,
) -> Result<Vec<Difference>, DbError> {
    let live = read_live(url)?;
    let built = build(url.dialect, scratch.unwrap_or(url), declared)?;
    Ok(sandbox_diff(&live, &built, declared.snapshot))
}

/// What the database at `url` holds, forge's history table left out. An SQLite file is opened
/// read-only and must exist.
pub fn read_live(url: &DbUrl) -> Result<LiveSchema, DbError> {
    let mut live = match url.dialect {
        Dialect::Sqlite => {
            let path = url.sqlite_path();
            let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
            let conn = rusqlite::Connection::open_with_flags(&path, flags).map_err(|e| {
                DbError::Invalid(format!(
                    "cannot open {url}: {e}\n  help: the file must exist (drift only reads); check the path, which is relative to the current folder in sqlite://relative.db"
                ))
            })?;
            introspect_sqlite(&conn).map_err(|e| DbError::Invalid(format!("{url}: {e}")))?
        }
        _ => {
            let mut db = Db::connect(url)?;
            let live = crate::introspect::introspect(&mut db);
            db.close();
            live?
        }
    };
    live.tables.remove(HISTORY_TABLE);
    Ok(live)
}

/// The declared schema built on an empty database of `server` and read back.
fn build(
    dialect: Dialect,
    server: &DbUrl,
    declared: &DeclaredSql<'_>,
) -> Result<LiveSchema, DbError> {
    let failed = |what: &str, error: String| {
        DbError::Invalid(format!(
            "the declared {what} does not build on an empty database of {server}: {error}\n  help: run `forge build` and apply generated/{what} to an empty database to see why; policies.sql needs a superuser or a role with BYPASSRLS"
        ))
    };
    if dialect == Dialect::Sqlite {
        let conn = rusqlite::Connection::open_in_memory().map_err(|e| {
            DbError::Invalid(format!(
                "SQLite cannot open a database in memory: {e}\n  help: the machine is out of memory"
            ))
        })?;
        conn.execute_batch(declared.schema)
            .map_err(|e| failed("sql/sqlite/schema.sql", e.to_string()))?;
        return introspect_sqlite(&conn).map_err(|e| DbError::Invalid(e.to_string()));
    }
    if server.dialect != dialect {
        return Err(DbError::Invalid(format!(
            "the scratch server {server} is not {dialect}, as the database is\n  help: give --scratch a {dialect} server of the same version"
        )));
    }
    let file = format!("sql/{dialect}/schema.sql");
    Scratch::with(server, |db| {
        run_script(db, declared.schema).map_err(|e| failed(&file, e))?;
        if let Some(policies) = declared.policies {
            run_script(db, policies).map_err(|e| failed("rls/policies.sql", e))?;
        }
        crate::introspect::introspect(db)
    })
}

/// Runs a whole file: PostgreSQL takes it at once (its functions' bodies hold `;`), MySQL one
/// statement at a time.
fn run_script(db: &mut Db, sql: &str) -> Result<(), String> {
    if db.dialect() == Dialect::Postgres {
        return db.execute(sql).map_err(|e| error_message(&e));
    }
    for statement in split_statements(sql) {
        db.execute(statement.text)
            .map_err(|e| format!("line {}: {}", statement.line, error_message(&e)))?;
    }
    Ok(())
}
