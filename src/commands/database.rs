//! `forge migrate apply --db URL`, `forge migrate status --db URL` and `forge drift --db URL`:
//! the committed history and the declared schema against a live database (forge-db).

use forge_db::{Db, DbUrl, Sides, State};

use forge_engine::Project;
use serde_json::json;

use crate::exit;

/// Connects to `url`.
fn connect(url: &str) -> anyhow::Result<Db> {
    Ok(Db::connect(&DbUrl::parse(url)?)?)
}

pub fn apply(project: &Project, url: &str, json_out: bool) -> anyhow::Result<u8> {
    let history = forge_engine::project_history(project)?;
    let migrations = history.load(&project.root)?;
    let mut db = connect(url)?;
    let report = forge_db::apply(&mut db, &migrations);
    let shown = db.url().to_string();
    db.close();
    let report = report?;
    if json_out {
        let applied: Vec<serde_json::Value> = report
            .applied
            .iter()
            .map(|s| {
                json!({
                    "id": s.id,
                    "statements": s.statements,
                    "resumed_after": s.resumed_after,
                    "duration_ms": s.millis,
                })
            })
            .collect();
        let answer = json!({"database": shown, "applied": applied, "already": report.already});
        println!("{}", serde_json::to_string_pretty(&answer)?);
        return Ok(0);
    }
    for step in &report.applied {
        let resumed = step
            .resumed_after
            .map(|n| format!(", resumed after {n}"))
            .unwrap_or_default();
        eprintln!(
            "  applied {:<32} {} statements{resumed} in {} ms",
            step.id, step.statements, step.millis
        );
    }
    match report.applied.len() {
        0 => eprintln!("{shown} is up to date: {} applied", count(report.already)),
        n => eprintln!(
            "applied {} to {shown} ({} applied before)",
            count(n),
            report.already
        ),
    }
    Ok(0)
}

pub fn status(project: &Project, url: &str, json_out: bool) -> anyhow::Result<u8> {
    let history = forge_engine::project_history(project)?;
    let migrations = history.load(&project.root)?;
    let mut db = Db::connect_existing(&DbUrl::parse(url)?)?;
    let recorded = forge_db::history::read(&mut db);
    let shown = db.url().to_string();
    db.close();
    let states = forge_db::compare(&migrations, &recorded?);
    let up_to_date = states.iter().all(|s| s.state == State::Applied);
    if json_out {
        let list: Vec<serde_json::Value> = states
            .iter()
            .map(|s| {
                json!({
                    "id": s.id,
                    "state": state_name(&s.state),
                    "description": s.state.describe(),
                    "applied_at": s.applied_at,
                })
            })
            .collect();
        let answer = json!({"database": shown, "up_to_date": up_to_date, "migrations": list});
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else {
        for s in &states {
            let at = s
                .applied_at
                .as_deref()
                .filter(|_| s.state == State::Applied)
                .map(|t| format!(" {t}"))
                .unwrap_or_default();
            eprintln!("  {:<32} {}{at}", s.id, s.state.describe());
        }
        let pending = states.iter().filter(|s| s.state != State::Applied).count();
        if up_to_date {
            eprintln!("{shown} is up to date ({})", count(states.len()));
        } else if states.iter().any(|s| s.state.is_wrong()) {
            eprintln!(
                "{shown}: the history and the database disagree (above); `forge migrate apply` refuses until they agree, and says what to do"
            );
        } else {
            eprintln!(
                "{shown}: {pending} of {} migrations not applied as committed; run `forge migrate apply --db URL`",
                states.len()
            );
        }
    }
    Ok(if up_to_date { 0 } else { exit::DIFFERENT })
}

/// `1 migration`, `2 migrations`.
fn count(n: usize) -> String {
    format!("{n} migration{}", if n == 1 { "" } else { "s" })
}

fn state_name(state: &State) -> &'static str {
    match state {
        State::Applied => "applied",
        State::Pending => "pending",
        State::Partial { .. } => "partial",
        State::Edited { .. } => "edited",
        State::OutOfOrder { .. } => "out-of-order",
        State::NotInHistory => "not-in-history",
    }
}

pub fn drift(
    project: &Project,
    url: &str,
    scratch: Option<&str>,
    json_out: bool,
) -> anyhow::Result<u8> {
    let url = DbUrl::parse(url)?;
    let scratch = scratch.map(DbUrl::parse).transpose()?;
    let declared = forge_engine::declared(project, url.dialect)?;
    let sql = forge_db::DeclaredSql {
        schema: &declared.schema_sql,
        policies: declared.policies_sql.as_deref(),
        snapshot: &declared.snapshot,
    };
    let differences = forge_db::drift(&url, &sql, scratch.as_ref())?;
    if json_out {
        let list: Vec<serde_json::Value> = differences
            .iter()
            .map(|d| {
                json!({"object": d.object, "part": d.part, "difference": d.describe(Sides::DRIFT)})
            })
            .collect();
        let answer = json!({"database": url.to_string(), "drift": !differences.is_empty(), "differences": list});
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else {
        for d in &differences {
            println!("{}", d.describe(Sides::DRIFT));
        }
        let no_rls = differences.iter().any(|d| {
            d.object.starts_with("function forge.") && matches!(d.change, forge_db::Change::Missing)
        });
        if no_rls {
            eprintln!(
                "help: the row-level security of rls/policies.sql is not applied to this database: apply it as docs/rls.md says (a superuser or a role with BYPASSRLS)"
            );
        }
        match differences.len() {
            0 => eprintln!("no drift: {url} holds the declared schema"),
            n => eprintln!(
                "{n} difference{} between {url} and the declared schema",
                if n == 1 { "" } else { "s" }
            ),
        }
    }
    Ok(if differences.is_empty() {
        0
    } else {
        exit::DIFFERENT
    })
}
