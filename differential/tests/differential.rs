//! The differential test: for random policies (proptest strategies over the expression
//! language), random rows and random identities, PostgreSQL's row-level security, the
//! TypeScript guards (on Node) and the SQLite filters give the same answer to every question
//! (read, create, update, delete of rows and of join-table links).
//!
//! A batch is one schema with many copies of a task model, each with its own rules, so that one
//! compilation, one Node process and one database serve many policies. By default one batch runs
//! (CI: one Node process, one PostgreSQL database). For a long run:
//!
//! ```sh
//! eval "$(ci/db.sh start)"
//! FORGE_DIFF_BATCHES=500 cargo test -p forge-differential --release -- --nocapture
//! ```
//!
//! `FORGE_DIFF_MODELS` (task models per batch, 16), `FORGE_DIFF_IDENTITIES` (identities per
//! batch, 10) and `FORGE_DIFF_SEED` (the first batch's seed; batch `b` uses seed + `b`; a fixed
//! seed when unset, so that CI runs the same cases every time; printed) change the rest. A disagreement is shrunk to one task
//! model, simpler rules and a simpler identity over the same rows, and printed.
//!
//! Every run draws the identity inputs PostgreSQL's `jsonb` reads in its own way (U+0000 and lone
//! surrogates, keys given twice, whole numbers with exponents, subnormal floats, microseconds).
//! Writes whose rules reach the written row are compared in every run (every target reads what
//! they reach as before the write).

#[path = "differential/data.rs"]
mod data;
#[path = "differential/rules.rs"]
mod rules;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use forge_differential::batch::{Act, Batch, Prepared};
use forge_differential::catalog::Catalog;
use forge_differential::domain::{self, Copy};
use forge_differential::pg::Postgres;
use forge_differential::rule::RuleSet;
use forge_differential::shrink::shrink;
use forge_schemas::Ir;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// How many disagreements of one batch are shrunk and printed (the rest are counted).
const SHRUNK_PER_BATCH: usize = 3;

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not `{text}`")),
        Err(_) => default,
    }
}

/// The IR of the domain with one task model, with or without a tenant column, and no rules.
fn bare_ir(tenant: bool) -> Ir {
    let copy = Copy {
        n: 0,
        tenant,
        rules: RuleSet::default(),
    };
    domain::compile(&domain::files(&[copy])).expect("the domain compiles")
}

/// A value of `strategy`, drawn with `runner`'s random numbers (no shrinking: a disagreement is
/// shrunk case by case, see `forge_differential::shrink`).
fn draw<S: Strategy>(runner: &mut TestRunner, strategy: S) -> S::Value {
    strategy
        .new_tree(runner)
        .unwrap_or_else(|e| panic!("drawing a value: {e}"))
        .current()
}

/// Totals over the batches.
#[derive(Default)]
struct Totals {
    batches: usize,
    models: usize,
    rules: usize,
    discarded: usize,
    cases: usize,
    disagreements: usize,
    /// Write cases whose rules reach the written row.
    reaching: usize,
    /// Cases per act.
    acts: Vec<(Act, usize)>,
    timings: Vec<(&'static str, Duration)>,
}

impl Totals {
    fn add_timing(&mut self, name: &'static str, spent: Duration) {
        match self.timings.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => *total += spent,
            None => self.timings.push((name, spent)),
        }
    }
}

/// A batch drawn from `seed`: `models` task models with rules that type-check (how many rule
/// sets the front end rejected on the way is the second value), rows, `identities` identities.
fn batch(
    seed: u64,
    catalogs: &[Arc<Catalog>; 2],
    ir: &Ir,
    models: usize,
    identities: usize,
) -> (Batch, usize) {
    let mut bytes = [0u8; 32];
    for chunk in bytes.chunks_mut(8) {
        chunk.copy_from_slice(&seed.to_le_bytes());
    }
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    );
    let mut discarded = 0;
    let mut copies = Vec::new();
    for n in 0..models {
        let tenant = draw(&mut runner, proptest::bool::weighted(0.75));
        let strategy = rules::rule_set(catalogs[usize::from(tenant)].clone(), "Task0");
        loop {
            let copy = Copy {
                n,
                tenant,
                rules: draw(&mut runner, strategy.clone()),
            };
            if domain::compile(&domain::files(std::slice::from_ref(&copy))).is_ok() {
                copies.push(copy);
                break;
            }
            discarded += 1;
        }
    }
    let world = draw(&mut runner, data::world(ir, models));
    let identities = draw(
        &mut runner,
        proptest::collection::vec(data::identity(ir), identities),
    );
    (
        Batch {
            copies,
            world,
            identities,
        },
        discarded,
    )
}

#[test]
fn postgres_typescript_and_sqlite_agree_on_random_policies() {
    let batches = env_number("FORGE_DIFF_BATCHES", 1);
    let models = env_number("FORGE_DIFF_MODELS", 16) as usize;
    let identities = env_number("FORGE_DIFF_IDENTITIES", 10) as usize;
    // A fixed default: CI runs the same cases every time; long runs choose their own seed.
    let seed = env_number("FORGE_DIFF_SEED", 20_261_121);
    println!(
        "differential: seed {seed}, {batches} batch(es) of {models} task models and {identities} identities"
    );
    let ir = bare_ir(true);
    let catalogs = [
        Arc::new(Catalog::new(&bare_ir(false))),
        Arc::new(Catalog::new(&ir)),
    ];
    let pg = Postgres::new("policies");
    let started = Instant::now();
    let mut totals = Totals::default();
    let mut reports = Vec::new();
    for b in 0..batches {
        let batch_started = Instant::now();
        let batch_seed = seed.wrapping_add(b);
        let (batch, discarded) = batch(batch_seed, &catalogs, &ir, models, identities);
        let prepared = Prepared::new(&batch);
        let outcome = prepared.run(&pg);
        totals.batches += 1;
        totals.models += batch.copies.len();
        totals.rules += batch
            .copies
            .iter()
            .map(|c| c.rules.policies.len() + c.rules.permissions.len())
            .sum::<usize>();
        totals.discarded += discarded;
        totals.cases += outcome.answers.len();
        totals.reaching += outcome
            .answers
            .values()
            .filter(|a| a.reaches_written)
            .count();
        for case in outcome.answers.keys() {
            match totals.acts.iter_mut().find(|(a, _)| *a == case.act) {
                Some((_, n)) => *n += 1,
                None => totals.acts.push((case.act, 1)),
            }
        }
        for (name, spent) in &outcome.timings {
            totals.add_timing(name, *spent);
        }
        let disagreements: Vec<_> = outcome.disagreements().collect();
        totals.disagreements += disagreements.len();
        // One shrunk reproduction per task model and act, a few per batch.
        let mut shown = BTreeSet::new();
        for (case, answers) in &disagreements {
            if shown.len() == SHRUNK_PER_BATCH || !shown.insert((case.copy, case.act)) {
                continue;
            }
            let found = prepared.describe(case, answers);
            let report = match shrink(&batch, case, &pg) {
                Some((small, steps)) => format!(
                    "batch seed {batch_seed}, found:\n{found}shrunk in {steps} steps to:\n{small}"
                ),
                None => format!("batch seed {batch_seed} (does not disagree once alone):\n{found}"),
            };
            println!("DISAGREEMENT {report}");
            reports.push(report);
        }
        if batches > 1 {
            println!(
                "batch {}/{batches} (seed {batch_seed}): {} models, {} cases, {} discarded, {} disagreements, {:.1} s",
                b + 1,
                batch.copies.len(),
                outcome.answers.len(),
                discarded,
                disagreements.len(),
                batch_started.elapsed().as_secs_f64()
            );
        }
    }
    totals.acts.sort();
    let acts: Vec<String> = totals
        .acts
        .iter()
        .map(|(a, n)| format!("{} {n}", a.name()))
        .collect();
    let timings: Vec<String> = totals
        .timings
        .iter()
        .map(|(name, spent)| format!("{name} {:.1} s", spent.as_secs_f64()))
        .collect();
    println!(
        "differential: {} batches, {} task models with {} rules, {} rule sets discarded (did not type-check), {} cases ({}; {} writes whose rules reach the written row), {} disagreements, {:.1} s ({})",
        totals.batches,
        totals.models,
        totals.rules,
        totals.discarded,
        totals.cases,
        acts.join(", "),
        totals.reaching,
        totals.disagreements,
        started.elapsed().as_secs_f64(),
        timings.join(", ")
    );
    assert!(
        totals.disagreements == 0,
        "{} cases disagree; reproductions:\n\n{}",
        totals.disagreements,
        reports.join("\n")
    );
}
