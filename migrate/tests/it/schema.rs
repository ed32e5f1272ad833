//! Schema text through the real front end: KDL to IR, and the snapshot and hints the planner
//! takes.

use forge_frontend::{ParsedFile, parse_file, validate};
use forge_migrate::{DbSchema, Plan, PlanError, PlanOptions, RenameHints, plan};
use forge_schemas::Ir;

/// The IR of one schema file; panics on any error (warnings are allowed).
pub fn ir(kdl: &str) -> Ir {
    let (parsed, mut diags): (ParsedFile, _) = parse_file("schema.kdl", kdl);
    let validated = validate(&[&parsed]);
    diags.extend(validated.diagnostics);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(
        errors.is_empty(),
        "the schema has errors:\n{}\n{kdl}",
        errors.join("\n")
    );
    validated.ir.expect("no error, so an IR")
}

/// The plan from schema `old` to schema `new`, with `new`'s rename hints.
pub fn try_plan(old: &str, new: &str, allow_destructive: bool) -> Result<Plan, PlanError> {
    try_plan_from(&DbSchema::from_ir(&ir(old)), new, allow_destructive)
}

/// The plan from snapshot `old` to schema `new`.
pub fn try_plan_from(
    old: &DbSchema,
    new: &str,
    allow_destructive: bool,
) -> Result<Plan, PlanError> {
    let new = ir(new);
    plan(
        old,
        &DbSchema::from_ir(&new),
        &RenameHints::from_ir(&new),
        &PlanOptions { allow_destructive },
    )
}
