//! `forge build`.

use std::sync::Arc;

use forge_engine::{BuildOptions, Project, Status};
use serde_json::json;

use crate::cli::BuildArgs;
use crate::exit;
use crate::output::{Bar, diagnostics_json, print_problems};

pub fn run(project: &Project, args: &BuildArgs) -> anyhow::Result<u8> {
    let bar = Arc::new(Bar::new());
    let opts = BuildOptions {
        jobs: args.jobs.unwrap_or(0),
        keep_going: args.keep_going,
        check: args.check,
        validate_only: false,
        all_keys: args.verbose,
        progress: (!args.json).then(|| bar.clone() as Arc<dyn forge_engine::Progress>),
    };
    let outcome = forge_engine::build(project, &opts);
    bar.finish();
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(err) if args.json => return json_error(&err),
        Err(err) => return Err(err.into()),
    };
    print_problems(&outcome);
    if args.verbose {
        for report in &outcome.reports {
            if let (Some(key), Some(inputs)) = (&report.key, &report.key_inputs) {
                let status = match report.status {
                    Status::Executed => "ran",
                    Status::Cached => "cached",
                    Status::Failed => "failed",
                    Status::Skipped => "skipped",
                };
                eprintln!(
                    "{status:>7} {} ({} µs) key={key}\n        {}",
                    report.id,
                    report.micros,
                    serde_json::to_string(inputs)?
                );
            }
        }
    }
    let summary = outcome.summary();
    if args.json {
        let mut value = serde_json::to_value(&summary)?;
        value["diagnostics"] = json!(diagnostics_json(&outcome));
        value["check"] = json!(args.check);
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        let changes = &outcome.changes;
        let (write, remove, restore) = if args.check {
            ("would write", "would remove", "would restore")
        } else {
            ("wrote", "removed", "restored")
        };
        eprintln!(
            "{} {} nodes: {} ran, {} cached, {} failed{} in {} ms; {} artifacts, {write} {}, {remove} {}, {restore} {}",
            if outcome.ok { "built" } else { "failed:" },
            summary.nodes,
            summary.executed,
            summary.cached,
            summary.failed,
            if summary.skipped > 0 {
                format!(", {} skipped", summary.skipped)
            } else {
                String::new()
            },
            summary.duration_ms,
            summary.artifacts,
            changes.written.len(),
            changes.removed.len(),
            changes.restored.len(),
        );
        for path in &changes.restored {
            eprintln!(
                "warning: {path} had been edited by hand; forge {} it",
                if args.check {
                    "would restore"
                } else {
                    "restored"
                }
            );
        }
        if args.check {
            for path in changes.written.iter().chain(&changes.removed) {
                eprintln!("  would change: {path}");
            }
        }
    }
    let migration_pending = outcome
        .diagnostics
        .iter()
        .any(|d| d.code == forge_engine::MIGRATION_PENDING);
    Ok(if !outcome.ok {
        exit::FAILED
    } else if args.check && (!outcome.changes.is_empty() || migration_pending) {
        exit::DIFFERENT
    } else {
        0
    })
}

/// With `--json`, a failure of the machinery (not of the schema) is still one JSON object.
pub fn json_error(err: &forge_engine::EngineError) -> anyhow::Result<u8> {
    eprintln!("error: {err}");
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({"ok": false, "error": err.to_string()}))?
    );
    Ok(exit::FAILED)
}
