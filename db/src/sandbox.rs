//! The PostgreSQL sandbox (`sandbox postgres url-env=NAME` in forge.kdl): on a real server, the
//! schema's `schema.sql` is built in one scratch database and the whole migration history
//! replayed from empty in another; both are read back and must not differ, what the history's
//! fallbacks kept set aside. The first statement the server refuses stops the replay with the
//! migration, the line, the server's error, its class and a repair.

use forge_migrate::{DbSchema, Difference, FailureClass, sandbox_diff, split_statements};

use crate::apply::StatementFailure;
use crate::connection::{Db, error_code, error_message};
use crate::error::DbError;
use crate::scratch::Scratch;
use crate::url::DbUrl;

/// What the sandbox found.
#[derive(Debug)]
pub struct SandboxReport {
    /// The server's version: `PostgreSQL 15.18`.
    pub server: String,
    /// What the history builds and the schema does not (or the reverse); empty when they agree
    /// or when there was no history to replay.
    pub differences: Vec<Difference>,
}

/// Builds `schema_sql` on the server of `server`, and replays `history` (folder, `postgres.sql`)
/// when given, comparing it with the schema under `snapshot`.
pub fn sandbox_postgres(
    server: &DbUrl,
    schema_sql: &str,
    history: Option<(&[(String, String)], &DbSchema)>,
) -> Result<SandboxReport, DbError> {
    let (declared, version) = Scratch::with(server, |db| {
        db.execute(schema_sql).map_err(|e| {
            DbError::Invalid(format!(
                "sql/postgres/schema.sql does not build on an empty database: {}\n  help: this is a bug of forge's SQL generator when the schema validated; please report it with the schema",
                error_message(&e)
            ))
        })?;
        Ok((crate::introspect::introspect(db)?, server_version(db)?))
    })?;
    let mut report = SandboxReport {
        server: version,
        differences: Vec::new(),
    };
    if let Some((migrations, snapshot)) = history {
        let replayed = Scratch::with(server, |db| {
            replay(db, migrations)?;
            crate::introspect::introspect(db)
        })?;
        report.differences = sandbox_diff(&replayed, &declared, snapshot);
    }
    Ok(report)
}

/// Every migration's statements in order, as `psql -f` would run the files.
fn replay(db: &mut Db, migrations: &[(String, String)]) -> Result<(), DbError> {
    for (migration, sql) in migrations {
        for statement in split_statements(sql) {
            if let Err(e) = db.execute(statement.text) {
                let error = error_message(&e);
                let class = FailureClass::of_server(error_code(&e).as_deref(), &error);
                return Err(DbError::Statement(Box::new(StatementFailure {
                    migration: migration.clone(),
                    file: "postgres.sql".into(),
                    line: statement.line,
                    statement: statement.text.trim().to_string(),
                    repair: class.repair(&error),
                    error,
                    class,
                    state: "the history was replayed on an empty scratch database, from its first migration".into(),
                })));
            }
        }
    }
    Ok(())
}

fn server_version(db: &mut Db) -> Result<String, DbError> {
    let rows = db
        .rows(
            "SELECT 'PostgreSQL ' || current_setting('server_version')",
            &[],
        )
        .map_err(|e| DbError::query(db, "reading the server's version", e))?;
    Ok(rows
        .first()
        .and_then(|r| r.first())
        .cloned()
        .flatten()
        .unwrap_or_default())
}
