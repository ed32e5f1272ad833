//! Planning between two 1,000-model snapshots that differ in one model (a field added), from a
//! synthetic domain built by the real front end. The budget is 100 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use forge_frontend::{ParsedFile, parse_file, validate};
use forge_migrate::{DbSchema, PlanOptions, RenameHints, plan};
use forge_schemas::Ir;

const MODELS: usize = 1000;
const FILES: usize = 100;

/// The IR of a synthetic project's schema files (`forge.kdl` is skipped).
fn ir(files: &[(String, String)]) -> Ir {
    let parsed: Vec<ParsedFile> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".kdl") && path != "forge.kdl")
        .map(|(path, text)| parse_file(path, text).0)
        .collect();
    let validated = validate(&parsed.iter().collect::<Vec<_>>());
    let errors: Vec<&str> = validated
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        errors.is_empty(),
        "the synthetic domain has errors: {errors:?}"
    );
    validated.ir.expect("no error, so an IR")
}

fn bench(c: &mut Criterion) {
    let files = forge_synth::project(MODELS, FILES);
    let edited = forge_synth::with_added_field(&files, MODELS / 2);
    let (old_ir, new_ir) = (ir(&files), ir(&edited));
    let old = DbSchema::from_ir(&old_ir);
    let new = DbSchema::from_ir(&new_ir);
    let hints = RenameHints::from_ir(&new_ir);
    let options = PlanOptions::default();
    let planned = plan(&old, &new, &hints, &options).expect("the edit plans");
    let tables: std::collections::BTreeSet<_> = planned
        .operations
        .iter()
        .map(|p| p.operation.table())
        .collect();
    assert_eq!(tables.len(), 1, "one model edited: {:?}", planned.steps());

    let mut group = c.benchmark_group("migrate");
    group.sample_size(20);
    group.bench_function("plan 1000 models, one edited", |b| {
        b.iter(|| plan(&old, &new, &hints, &options).expect("the edit plans"))
    });
    group.bench_function("snapshot of 1000 models", |b| {
        b.iter(|| DbSchema::from_ir(&new_ir))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
