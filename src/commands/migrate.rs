//! `forge migrate plan`, `forge migrate new NAME`, and (with the `db` feature) `apply` and
//! `status`.

use forge_engine::{MigrationPlan, Project};
use serde_json::json;

use crate::cli::MigrateCommand;

pub fn run(project: &Project, command: &MigrateCommand) -> anyhow::Result<u8> {
    match command {
        MigrateCommand::Plan {
            allow_destructive,
            json,
        } => {
            let planned = forge_engine::migrate_plan(project, *allow_destructive)?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&plan_json(&planned))?);
            } else {
                print_plan(&planned, *allow_destructive);
            }
            Ok(0)
        }
        #[cfg(feature = "db")]
        MigrateCommand::Apply { db, json } => super::database::apply(project, db, *json),
        #[cfg(feature = "db")]
        MigrateCommand::Status { db, json } => super::database::status(project, db, *json),
        #[cfg(not(feature = "db"))]
        MigrateCommand::Apply { .. } | MigrateCommand::Status { .. } => anyhow::bail!(
            "this forge was built without the `db` feature, which talks to databases\n  help: build it with `cargo build --features db` (on by default)"
        ),
        MigrateCommand::New {
            name,
            allow_destructive,
        } => match forge_engine::migrate_new(project, name, *allow_destructive)? {
            None => {
                eprintln!("nothing to migrate: the schema is what the history leads to");
                Ok(0)
            }
            Some((migration, planned)) => {
                print_plan(&planned, *allow_destructive);
                let files: Vec<&str> = migration.files.keys().map(String::as_str).collect();
                eprintln!(
                    "wrote {}/{}/ ({}) and {}/schema.json",
                    planned.history.dir,
                    migration.dir,
                    files.join(", "),
                    planned.history.dir
                );
                Ok(0)
            }
        },
    }
}

fn print_plan(planned: &MigrationPlan, allow_destructive: bool) {
    let ops = &planned.plan.operations;
    if ops.is_empty() {
        eprintln!("nothing to migrate: the schema is what the history leads to");
        return;
    }
    eprintln!(
        "{} operation{} (riskiest: {}):",
        ops.len(),
        if ops.len() == 1 { "" } else { "s" },
        planned.plan.class()
    );
    for op in ops {
        eprintln!(
            "  {:<22} {} {:<24} {}",
            op.class().to_string(),
            op.rule.code(),
            op.rule.name(),
            op.operation.describe()
        );
        eprintln!("  {:<22} {}", "", op.rule.reason());
    }
    let fallbacks = ops
        .iter()
        .any(|op| op.rule.name().contains("deprecate") || op.rule.name().contains("fallback"));
    if fallbacks && !allow_destructive {
        eprintln!(
            "note: destructive changes are planned as fallbacks that keep the data; pass --allow-destructive to drop instead"
        );
    }
}

fn plan_json(planned: &MigrationPlan) -> serde_json::Value {
    let ops: Vec<serde_json::Value> = planned
        .plan
        .operations
        .iter()
        .map(|op| {
            json!({
                "description": op.operation.describe(),
                "rule": op.rule.code(),
                "name": op.rule.name(),
                "class": op.class().to_string(),
                "reason": op.rule.reason(),
            })
        })
        .collect();
    json!({
        "history": planned.history.dir,
        "next": planned.history.next_number(),
        "empty": planned.plan.is_empty(),
        "class": (!planned.plan.is_empty()).then(|| planned.plan.class().to_string()),
        "operations": ops,
    })
}
