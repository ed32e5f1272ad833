//! `forge check`: parse and validate only.

use forge_engine::{BuildOptions, Project};
use forge_frontend::Severity;
use serde_json::json;

use crate::exit;
use crate::output::{diagnostics_json, print_problems};

pub fn run(project: &Project, as_json: bool) -> anyhow::Result<u8> {
    let opts = BuildOptions {
        validate_only: true,
        ..BuildOptions::default()
    };
    let outcome = match forge_engine::build(project, &opts) {
        Ok(outcome) => outcome,
        Err(err) if as_json => return super::build::json_error(&err),
        Err(err) => return Err(err.into()),
    };
    let errors = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = outcome.diagnostics.len() - errors;
    if as_json {
        let value = json!({"ok": outcome.ok, "errors": errors, "warnings": warnings, "diagnostics": diagnostics_json(&outcome)});
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print_problems(&outcome);
        if outcome.ok {
            eprintln!(
                "checked {} models: {errors} errors, {warnings} warnings",
                outcome.models.len()
            );
        } else {
            eprintln!("check failed: {errors} errors, {warnings} warnings");
        }
    }
    Ok(if outcome.ok { 0 } else { exit::FAILED })
}
