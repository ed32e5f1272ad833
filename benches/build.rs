//! Build benchmarks: the engine, in-process (`forge_engine::build`), on synthetic domains from
//! `forge-synth` with 1,000 models (and 5,000 too when `FORGE_BENCH_LARGE=1`), ten models per
//! schema file.
//!
//! - `cold/<models>`: nothing cached; the cache folder (`.forge/`) and the out folder are removed
//!   before each iteration (not timed), so every node runs and every artifact is written.
//! - `noop/<models>`: everything cached, nothing changed; the build loads the last state, hashes
//!   the files and runs no node.
//! - `edit/<models>`: one model's file holds a version never built before on each iteration (the
//!   field that `forge_synth::with_added_field` adds, with a new `max=` each time; written before
//!   the timed build), so that file's `parse`, `validate`, the model's `gen:sql/<d>:<Model>` nodes,
//!   the three `gen:sql/<d>` assemblies and `sandbox:sqlite` really run.
//! - `edit_toggle/<models>`: the file alternates between two versions (edit, undo, edit, ...).
//!   After the first two builds both versions' keys are in the action table, so the nodes are
//!   found there instead of run: this measures the engine's cache lookup path after an undo, not a
//!   rebuild.
//!
//! Each timed build starts once the last one's results are freed, in a process whose allocator
//! keeps what it frees (see `main`): the conditions of `forge build`, which runs one build per
//! process.
//!
//! Run in release with `cargo bench --bench build`: about two minutes on 2 cores;
//! `FORGE_BENCH_LARGE=1` adds 5,000 models. `ci/bench.sh` times the real binary end to end with
//! hyperfine; `docs/performance.md` has the numbers, how they were taken, and where the time goes.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, criterion_group};
use forge_engine::{BuildOptions, BuildOutcome, Project, Status};

/// The binary's allocator (`src/main.rs`), so that the engine is timed as `forge` runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Models per schema file in every benchmark project.
const MODELS_PER_FILE: usize = 10;

/// The model sizes to run: 1,000 always; 5,000 with `FORGE_BENCH_LARGE=1` (not in CI).
fn sizes() -> Vec<usize> {
    let mut sizes = vec![1_000];
    if std::env::var("FORGE_BENCH_LARGE").is_ok_and(|v| v == "1") {
        sizes.push(5_000);
    }
    sizes
}

/// A synthetic project written to a temporary folder.
struct Fixture {
    dir: tempfile::TempDir,
    project: Project,
    /// The project's files as written.
    files: Vec<(String, String)>,
}

impl Fixture {
    fn new(models: usize) -> Fixture {
        let dir = tempfile::Builder::new()
            .prefix("forge-bench-")
            .tempdir()
            .expect("a temporary folder");
        let files = forge_synth::project(models, models / MODELS_PER_FILE);
        forge_synth::write_files(dir.path(), &files).expect("the project is written");
        let project = Project::open(dir.path()).expect("the project opens");
        Fixture {
            dir,
            project,
            files,
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Removes the cache and the out folder: the next build is cold.
    fn clean(&self) {
        for folder in [".forge", "generated"] {
            match std::fs::remove_dir_all(self.root().join(folder)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => panic!("cannot remove {folder}: {e}"),
            }
        }
    }

    fn build(&self) -> BuildOutcome {
        let outcome =
            forge_engine::build(&self.project, &BuildOptions::default()).expect("the build runs");
        assert!(outcome.ok, "the synthetic project builds without error");
        outcome
    }
}

fn executed(outcome: &BuildOutcome) -> Vec<&str> {
    outcome
        .reports
        .iter()
        .filter(|r| r.status == Status::Executed)
        .map(|r| r.id.as_str())
        .collect()
}

/// The model whose file the edit benchmarks change: one in the middle of the domain (the first
/// model of the middle file, the one `ci/bench.sh` edits too).
fn edited_model(models: usize) -> usize {
    models / 2
}

/// Writes `content` to the project's file `path`.
fn write(fixture: &Fixture, path: &str, content: &str) {
    std::fs::write(fixture.root().join(path), content).expect("the schema file is written");
}

fn cold(c: &mut Criterion) {
    let mut group = c.benchmark_group("cold");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(15));
    for models in sizes() {
        let fixture = Fixture::new(models);
        group.bench_with_input(BenchmarkId::from_parameter(models), &fixture, |b, f| {
            b.iter_batched(
                || {
                    f.clean();
                    forge_engine::settle();
                },
                |()| black_box(f.build()),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

fn noop(c: &mut Criterion) {
    let mut group = c.benchmark_group("noop");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for models in sizes() {
        let fixture = Fixture::new(models);
        fixture.build();
        let again = fixture.build();
        assert_eq!(
            executed(&again),
            Vec::<&str>::new(),
            "a no-op build runs nothing"
        );
        group.bench_with_input(BenchmarkId::from_parameter(models), &fixture, |b, f| {
            b.iter(|| black_box(f.build()));
        });
    }
    group.finish();
}

fn edit(c: &mut Criterion) {
    let mut group = c.benchmark_group("edit");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    for models in sizes() {
        let fixture = Fixture::new(models);
        fixture.build();
        let model = edited_model(models);
        let path = forge_synth::model_file(&fixture.files, model).to_owned();
        let edited = forge_synth::with_added_field(&fixture.files, model);
        let template = edited
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, text)| text.clone())
            .expect("the edited file");
        let added = "added_field_1 string max=100 ";
        assert!(template.contains(added), "with_added_field adds `{added}`");
        // A version of the file that no build has seen: a new `max=` each time.
        let mut round = 0u32;
        let mut next_version = move || {
            round += 1;
            template.replace(added, &format!("added_field_1 string max={} ", 100 + round))
        };

        write(&fixture, &path, &next_version());
        let outcome = fixture.build();
        let ran = executed(&outcome);
        let model_node = format!("gen:sql/postgres:{}", forge_synth::model_name(model));
        assert!(
            ran.contains(&model_node.as_str()),
            "the edit runs {model_node}: {ran:?}"
        );
        assert!(
            ran.len() <= 12,
            "the edit runs only the edited model's nodes and the assemblies: {ran:?}"
        );

        group.bench_with_input(BenchmarkId::from_parameter(models), &fixture, |b, f| {
            b.iter_batched(
                || {
                    write(f, &path, &next_version());
                    forge_engine::settle();
                },
                |()| black_box(f.build()),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

fn edit_toggle(c: &mut Criterion) {
    let mut group = c.benchmark_group("edit_toggle");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for models in sizes() {
        let fixture = Fixture::new(models);
        let model = edited_model(models);
        let path = forge_synth::model_file(&fixture.files, model).to_owned();
        let edited = forge_synth::with_added_field(&fixture.files, model);
        let versions: Vec<String> = [&fixture.files, &edited]
            .iter()
            .map(|files| {
                files
                    .iter()
                    .find(|(p, _)| *p == path)
                    .map(|(_, text)| text.clone())
                    .expect("the model's file")
            })
            .collect();
        // Both versions built once, so both are in the action table.
        fixture.build();
        write(&fixture, &path, &versions[1]);
        fixture.build();
        let mut flip = 0usize;
        group.bench_with_input(BenchmarkId::from_parameter(models), &fixture, |b, f| {
            b.iter_batched(
                || {
                    flip ^= 1;
                    write(f, &path, &versions[flip ^ 1]);
                    forge_engine::settle();
                },
                |()| black_box(f.build()),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, noop, edit, edit_toggle, cold);

/// The variable that keeps mimalloc from returning freed memory to the system.
const PURGE_DELAY: &str = "MIMALLOC_PURGE_DELAY";

/// Runs the benchmarks in a process whose allocator keeps what it frees. `forge` runs one build
/// per process, which never gives memory back; a benchmark runs hundreds in one. With mimalloc's
/// default (freed memory returned to the system 10 ms later) each build would fault in again, as
/// small pages, what the last one freed: that costs an edit at 1,000 models about 25 ms here, a
/// cost `forge build` never has. mimalloc reads its options when the process starts, so the
/// benchmark starts itself again with the variable set (unless it is set already).
fn main() {
    #[cfg(unix)]
    if std::env::var_os(PURGE_DELAY).is_none() {
        use std::os::unix::process::CommandExt;
        let me = std::env::current_exe().expect("the benchmark's path");
        let err = std::process::Command::new(me)
            .args(std::env::args_os().skip(1))
            .env(PURGE_DELAY, "-1")
            .exec();
        panic!("cannot start the benchmark again: {err}");
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
