//! The work of `sandbox:postgres`, through forge-db (cargo feature `db`): the schema built and
//! the history replayed on a real server, in scratch databases. Without the feature the node
//! fails and says so.

use forge_migrate::DbSchema;

/// Runs the sandbox on the server at `url`; the report on success, or what failed in words.
#[cfg(feature = "db")]
pub(crate) fn run(
    url: &str,
    schema_sql: &str,
    history: Option<(&[(String, String)], &DbSchema)>,
) -> Result<String, String> {
    let server = forge_db::DbUrl::parse(url).map_err(|e| e.to_string())?;
    if server.dialect != forge_gen_sql::Dialect::Postgres {
        return Err(format!(
            "sandbox:postgres needs a postgres:// URL, and {server} is {}",
            server.dialect
        ));
    }
    let report = forge_db::sandbox_postgres(&server, schema_sql, history).map_err(|e| match e {
        forge_db::DbError::Statement(failure) => {
            format!("the migration history does not replay on PostgreSQL: {failure}")
        }
        other => other.to_string(),
    })?;
    if !report.differences.is_empty() {
        let list: Vec<String> = report
            .differences
            .iter()
            .map(|d| format!("  - {d}"))
            .collect();
        return Err(format!(
            "the migration history does not build the schema on {} ({} difference{}):\n{}\n  help: a migration was edited by hand, or the snapshot no longer matches the history; restore the edited file, or add a migration that makes the change (`forge migrate new <name>`)",
            report.server,
            list.len(),
            if list.len() == 1 { "" } else { "s" },
            list.join("\n")
        ));
    }
    // The report becomes the node's output digest: nothing of the machine (the server's
    // version) goes in.
    Ok(match history {
        Some((migrations, _)) => format!(
            "schema.sql built on PostgreSQL; history of {} migrations replayed",
            migrations.len()
        ),
        None => "schema.sql built on PostgreSQL".to_string(),
    })
}

/// Without the `db` feature there is no driver to reach the server.
#[cfg(not(feature = "db"))]
pub(crate) fn run(
    _url: &str,
    _schema_sql: &str,
    _history: Option<(&[(String, String)], &DbSchema)>,
) -> Result<String, String> {
    Err("sandbox:postgres needs a forge built with the cargo feature `db` (on by default)".into())
}
