//! `forge build` and `forge check`: read the project, run the graph wave by wave (each wave in
//! parallel on rayon), sync the out folder, record the build.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

use forge_cache::Cache;
use forge_frontend::config::{ProjectConfig, parse_config};
use forge_frontend::{Diagnostic, SpanTable};
use forge_gen_sql::Dialect;
use rayon::prelude::*;

use crate::error::EngineError;
use crate::graph::BuildGraph;
use crate::key::KeyInputs;
use crate::node::NodeId;
use crate::outdir::{self, OutChanges};
use crate::plugin::Plugins;
use crate::project::{PROJECT_FILE, Project};
use crate::report::{NodeReport, Status, Summary};
use crate::run::{Produced, Runner, decode_json};
use crate::state::BuildState;
use crate::steps::Steps;

/// Told about a build's progress (the binary draws a bar on a terminal).
pub trait Progress: Send + Sync {
    /// Another build holds the project's lock; this one waits.
    fn waiting_for_lock(&self) {}
    /// The graph has `total` nodes.
    fn planned(&self, _total: usize) {}
    /// A node ended.
    fn node_done(&self, _id: &str, _status: Status) {}
}

/// How to build.
#[derive(Clone, Default)]
pub struct BuildOptions {
    /// Worker threads; 0 = one per core.
    pub jobs: usize,
    /// Keep building nodes that do not depend on a failed one.
    pub keep_going: bool,
    /// Write nothing to the out folder; report what would change.
    pub check: bool,
    /// Stop after `validate` (`forge check`): no generators, no out folder, no build record.
    pub validate_only: bool,
    /// Compute every node's key even when nothing changed (`-v` prints them all).
    pub all_keys: bool,
    pub progress: Option<Arc<dyn Progress>>,
}

/// Everything a build found out.
pub struct BuildOutcome {
    pub ok: bool,
    pub reports: Vec<NodeReport>,
    /// Problems in the user's input (errors and warnings).
    pub diagnostics: Vec<Diagnostic>,
    /// Texts and span tables to render `diagnostics` against.
    pub sources: BTreeMap<String, (String, SpanTable)>,
    /// Node failures that are not diagnostics: (node, message).
    pub failures: Vec<(String, String)>,
    pub changes: OutChanges,
    pub artifacts: usize,
    pub duration_ms: u64,
    /// The models the schema declares (empty when validation did not succeed).
    pub models: Vec<String>,
}

impl BuildOutcome {
    pub fn summary(&self) -> Summary {
        Summary::new(
            self.ok,
            &self.reports,
            self.artifacts,
            self.duration_ms,
            &self.changes,
        )
    }
}

/// Runs the build graph of `project`.
pub fn build(project: &Project, opts: &BuildOptions) -> Result<BuildOutcome, EngineError> {
    let started = Instant::now();
    let (config, spans, diags) = parse_config(PROJECT_FILE, &project.config_text);
    let Some(config) = config else {
        return Ok(config_failure(project, spans, diags, started));
    };
    let cache_dir = project.cache_dir(&config);
    let progress = opts.progress.clone();
    let _lock = crate::lock::acquire(&cache_dir, &|| {
        if let Some(p) = &progress {
            p.waiting_for_lock();
        }
    })?;
    let cache = Cache::open(&cache_dir)?;
    let last = cache.last_build_with_state()?;
    let prev = load_state(&cache, last.as_ref())?;
    let previous = Previous {
        digest: last.as_ref().and_then(|b| b.state_digest.as_deref()),
        ok: last.as_ref().is_some_and(|b| b.ok),
    };
    let runner = Runner::new(cache, prev, opts.progress.clone());

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs)
        .build()
        .map_err(|e| {
            EngineError::Invalid(format!("cannot start {} worker threads: {e}", opts.jobs))
        })?;
    pool.install(|| run_graph(project, &config, &runner, previous, opts, started))
}

fn run_graph(
    project: &Project,
    config: &ProjectConfig,
    runner: &Runner,
    previous: Previous<'_>,
    opts: &BuildOptions,
    started: Instant,
) -> Result<BuildOutcome, EngineError> {
    let config_digest = forge_schemas::digest_json(config);
    let key = KeyInputs::builtin("config", "config")
        .option("formats", crate::steps::value_formats())
        .input(
            PROJECT_FILE,
            forge_cache::digest_bytes(project.config_text.as_bytes()),
        );
    runner.node(&NodeId::Config, key, || {
        Ok(Produced {
            output: config_digest.clone(),
            value: None,
            refs: Vec::new(),
            files: Vec::new(),
            subkeys: Vec::new(),
        })
    })?;

    let files = project.schema_files(config)?;
    let texts = files
        .par_iter()
        .map(|f| {
            let path = project.root.join(f);
            std::fs::read_to_string(&path)
                .map(|t| (f.clone(), t))
                .map_err(|e| EngineError::io(path, e))
        })
        .collect::<Result<BTreeMap<_, _>, _>>()?;
    // A plugin's code is an input that no schema file or forge.kdl shows, so a project with
    // plugins always takes the full path (where each plugin node's key covers its code).
    // So is the PostgreSQL sandbox's server (set or not): such a project takes the full path too.
    let (snapshot, history) = read_history(project, config, "sqlite.sql")?;
    let unchanged = !opts.validate_only
        && !opts.all_keys
        && config.generators.is_empty()
        && config.postgres_url_env.is_none()
        && nothing_changed(runner, previous, &files, &texts, &snapshot, &history);
    let mut steps = Steps::new(runner, texts, project.out_dir(config));
    if config.postgres_url_env.is_some() {
        steps.history_postgres = read_history(project, config, "postgres.sql")?.1;
    }
    steps.postgres_url_env = config.postgres_url_env.clone();
    steps.snapshot = snapshot;
    steps.history = history;
    let front = BuildGraph::plan(config, &files, None, &[]);
    let mut stopped = false;
    if unchanged {
        // No input of any node differs from the last successful build: every node is "not reached
        // because nothing upstream changed", so it counts as cached, and the last state stands.
        if let Some(p) = &opts.progress {
            p.planned(runner.prev.nodes.len());
        }
        runner.reuse_previous();
        steps.load_record()?;
    } else {
        if let Some(p) = &opts.progress {
            p.planned(front.len());
        }
        stopped = run_waves(&front, &steps, runner, opts, &files, &[], 1)?;
    }
    let mut graph = front;
    let record = steps
        .record_if_any()
        .filter(|_| !unchanged && !stopped && !opts.validate_only);
    if let Some(record) = record {
        let models = record.slices.keys().cloned().collect::<Vec<_>>();
        let plugins = Plugins::describe_all(&project.root, &config.generators, Some(runner));
        let scopes = plugins.scopes();
        let _ = steps.plugins.set(plugins);
        graph = BuildGraph::plan(config, &files, Some(&models), &scopes);
        if let Some(p) = &opts.progress {
            p.planned(graph.len());
        }
        stopped = run_waves(&graph, &steps, runner, opts, &files, &models, 3)?;
    }
    runner.flush()?;

    // validate's warnings live in its record, and a plugin node's in its value, so cached nodes
    // replay them too.
    if let Some(record) = steps.record_if_any() {
        runner
            .diagnostics
            .lock()
            .unwrap()
            .extend(record.warnings.iter().cloned());
    }
    if unchanged {
        // The fast path planned no generator node; of the nodes whose value is warnings only
        // `migrations` can be in a project that takes it (plugins never do).
        replay_warnings(runner, &[NodeId::Migrations])?;
    } else {
        let reporting: Vec<NodeId> = graph
            .nodes()
            .filter(|id| {
                matches!(id, NodeId::Plugin { .. } | NodeId::Migrations)
                    || **id == NodeId::Sandbox("postgres".into())
            })
            .cloned()
            .collect();
        replay_warnings(runner, &reporting)?;
    }
    fill_sources(&steps, runner)?;

    let failed = runner
        .reports
        .lock()
        .unwrap()
        .iter()
        .any(|r| r.status == Status::Failed);
    let ok = !failed && !stopped;
    let state = if unchanged {
        runner.prev.clone()
    } else {
        merged_state(runner, &graph)
    };
    let configured = crate::graph::sql_dialects(config);
    let artifacts: BTreeMap<String, String> = state
        .nodes
        .iter()
        .filter(|(id, _)| match id.strip_prefix("gen:sql/") {
            Some(dialect) => configured.iter().any(|d| d == dialect),
            None => id.starts_with("gen:"),
        })
        .flat_map(|(_, s)| s.files.iter().map(|f| (f.path.clone(), f.digest.clone())))
        .collect();
    let mut changes = OutChanges::default();
    // With --keep-going, what did build is written (a failed node keeps its last good files).
    let complete = steps.record_if_any().is_some() && !stopped;
    if !opts.validate_only && (ok || (opts.keep_going && complete)) {
        let out = project.out_dir(config);
        changes = outdir::sync(
            &out,
            &artifacts,
            &|digest| Ok(runner.blob("out", digest)?.to_vec()),
            opts.check,
        )?;
    }
    let mut reports = std::mem::take(&mut *runner.reports.lock().unwrap());
    reports.sort_by(|a, b| a.id.cmp(&b.id));
    let outcome = BuildOutcome {
        ok,
        reports,
        diagnostics: std::mem::take(&mut *runner.diagnostics.lock().unwrap()),
        sources: std::mem::take(&mut *runner.sources.lock().unwrap()),
        failures: std::mem::take(&mut *runner.failures.lock().unwrap()),
        changes,
        artifacts: if opts.validate_only {
            0
        } else {
            artifacts.len()
        },
        duration_ms: started.elapsed().as_millis() as u64,
        models: steps
            .record_if_any()
            .map(|r| r.slices.keys().cloned().collect())
            .unwrap_or_default(),
    };
    if !opts.check && !opts.validate_only {
        let cache = runner.cache.lock().unwrap();
        let state_digest = match (unchanged, previous.digest) {
            (true, Some(digest)) => digest.to_string(),
            _ => cache.put_blob(&serde_json::to_vec(&state).expect("states serialize"))?,
        };
        let summary = serde_json::to_string(&outcome.summary()).expect("summaries serialize");
        cache.record_build(
            outcome.duration_ms as i64,
            ok,
            Some(&state_digest),
            &summary,
        )?;
    }
    crate::background::drop_later((steps.into_results(), graph, state));
    Ok(outcome)
}

/// What the engine knows of the last build that recorded a state.
#[derive(Clone, Copy)]
struct Previous<'a> {
    digest: Option<&'a str>,
    ok: bool,
}

/// A migration history as the build sees it: the snapshot's bytes (empty without one) and each
/// migration's folder and its script `file` (`sqlite.sql`), in order.
type HistoryInputs = (Vec<u8>, Vec<(String, String)>);

/// The history's inputs (both empty without `target migrations` or before the first migration).
fn read_history(
    project: &Project,
    config: &ProjectConfig,
    file: &str,
) -> Result<HistoryInputs, EngineError> {
    let Some(dir) = crate::migrations::migrations_dir(config) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let path = project.root.join(dir).join(forge_migrate::SNAPSHOT_FILE);
    let snapshot = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
        Err(e) => return Err(EngineError::io(path, e)),
    };
    let history = crate::migrations::History::read(&project.root, dir)?;
    let mut migrations = Vec::with_capacity(history.migrations.len());
    for folder in history.migrations {
        let path = project.root.join(dir).join(&folder).join(file);
        let sql = std::fs::read_to_string(&path).map_err(|e| EngineError::io(path, e))?;
        migrations.push((folder, sql));
    }
    Ok((snapshot, migrations))
}

/// True when the last build succeeded and neither forge.kdl nor any schema file (nor their list)
/// changed since: then no node's key can differ, since every key derives from those inputs and
/// forge's version (which the config and parse keys hold).
fn nothing_changed(
    runner: &Runner,
    previous: Previous<'_>,
    files: &[String],
    texts: &BTreeMap<String, String>,
    snapshot: &[u8],
    history: &[(String, String)],
) -> bool {
    let prev = &runner.prev.nodes;
    let same_key = |id: &str, key: &str| prev.get(id).is_some_and(|s| s.key == key);
    let config_same = runner
        .next
        .lock()
        .unwrap()
        .nodes
        .get("config")
        .is_some_and(|s| same_key("config", &s.key));
    let parse_count = prev.keys().filter(|id| id.starts_with("parse:")).count();
    // The history (its snapshot, its migrations) is an input of the `migrations` node and of the
    // sandbox only: their keys, recomputed from the last state, must be the same.
    let validate = prev.get("validate");
    let migrations_same = match (prev.get("migrations"), validate) {
        (Some(m), Some(v)) => m.key == crate::steps::migrations_key(&v.output, snapshot).digest(),
        (None, _) => true,
        (Some(_), None) => false,
    };
    let sqlite_file = prev.get("gen:sql/sqlite").and_then(|s| s.files.first());
    let sandbox_same = match (prev.get("sandbox:sqlite"), sqlite_file, validate) {
        (Some(sandbox), Some(file), Some(v)) => {
            sandbox.key == crate::steps::sandbox_key(file, &v.output, snapshot, history).digest()
        }
        (None, _, _) => true,
        _ => false,
    };
    previous.ok
        && previous.digest.is_some()
        && config_same
        && migrations_same
        && sandbox_same
        && parse_count == files.len()
        && files.iter().all(|f| {
            same_key(
                &NodeId::Parse(f.clone()).to_string(),
                &parse_key(f, &texts[f]).digest(),
            )
        })
}

/// The key of `parse:<path>`.
pub(crate) fn parse_key(path: &str, text: &str) -> KeyInputs {
    KeyInputs::builtin("parse", "parse")
        .subject(path)
        .option("value", forge_frontend::PARSE_FORMAT)
        .input("file", forge_cache::digest_bytes(text.as_bytes()))
}

/// Runs the waves of `graph` from wave `first` on. Returns true when the build stopped because a
/// node failed (and `--keep-going` was not given).
fn run_waves(
    graph: &BuildGraph,
    steps: &Steps<'_>,
    runner: &Runner,
    opts: &BuildOptions,
    files: &[String],
    models: &[String],
    first: usize,
) -> Result<bool, EngineError> {
    let mut stopped = false;
    for wave in graph.waves().into_iter().skip(first) {
        if stopped {
            wave.iter().for_each(|id| runner.skip(id));
            continue;
        }
        wave.par_iter()
            .try_for_each(|id| -> Result<(), EngineError> {
                let ready = {
                    let next = runner.next.lock().unwrap();
                    graph
                        .inputs(id)
                        .iter()
                        .all(|input| next.nodes.contains_key(&input.to_string()))
                };
                if !ready {
                    runner.skip(id);
                } else {
                    run_node(id, steps, files, models)?;
                }
                Ok(())
            })?;
        runner.flush()?;
        let failed = runner
            .reports
            .lock()
            .unwrap()
            .iter()
            .any(|r| r.status == Status::Failed);
        if failed && !opts.keep_going {
            stopped = true;
        }
    }
    Ok(stopped)
}

fn run_node(
    id: &NodeId,
    steps: &Steps<'_>,
    files: &[String],
    models: &[String],
) -> Result<(), EngineError> {
    match id {
        NodeId::Config => {}
        NodeId::Parse(path) => {
            steps.parse(path)?;
        }
        NodeId::Validate => {
            steps.validate(files)?;
        }
        NodeId::ModelGen { generator, model } => {
            steps.sql_model(dialect_of(generator)?, model)?;
        }
        NodeId::ProjectGen { generator } if generator == "rls" => {
            steps.rls()?;
        }
        NodeId::ProjectGen { generator } if generator.starts_with("guard/") => {
            steps.guard(generator)?;
        }
        NodeId::ProjectGen { generator } => {
            steps.sql_project(dialect_of(generator)?, models)?;
        }
        NodeId::Sandbox(kind) if kind == "postgres" => {
            steps.sandbox_postgres()?;
        }
        NodeId::Sandbox(_) => {
            steps.sandbox_sqlite()?;
        }
        NodeId::Plugin { generator, model } => {
            steps.plugin(generator, model.as_deref())?;
        }
        NodeId::Migrations => {
            steps.migrations()?;
        }
    }
    Ok(())
}

/// Adds the warnings that `nodes` (plugin nodes and `migrations`, whose values are their warnings)
/// reported.
fn replay_warnings(runner: &Runner, nodes: &[NodeId]) -> Result<(), EngineError> {
    let states: Vec<(String, crate::state::NodeState)> = {
        let next = runner.next.lock().unwrap();
        nodes
            .iter()
            .filter_map(|id| {
                let name = id.to_string();
                next.nodes.get(&name).map(|s| (name, s.clone()))
            })
            .filter(|(_, s)| s.value.is_some())
            .collect()
    };
    for (name, state) in states {
        let warnings: Vec<Diagnostic> = runner.value(&name, &state)?;
        runner.diagnostics.lock().unwrap().extend(warnings);
    }
    Ok(())
}

fn dialect_of(generator: &str) -> Result<Dialect, EngineError> {
    let name = generator.strip_prefix("sql/").unwrap_or(generator);
    Dialect::from_str(name)
        .map_err(|_| EngineError::Invalid(format!("unknown generator {generator}")))
}

/// The state to record: this build's nodes, plus the previous results of nodes of this graph that
/// failed or did not run (so their artifacts stay known).
fn merged_state(runner: &Runner, graph: &BuildGraph) -> BuildState {
    let mut state = runner.next.lock().unwrap().clone();
    for id in graph.nodes() {
        let name = id.to_string();
        if let (std::collections::btree_map::Entry::Vacant(slot), Some(prev)) = (
            state.nodes.entry(name.clone()),
            runner.prev.nodes.get(&name),
        ) {
            slot.insert(prev.clone());
        }
    }
    state
}

/// The state of the last build, or an empty one.
fn load_state(
    cache: &Cache,
    last: Option<&forge_cache::BuildRow>,
) -> Result<BuildState, EngineError> {
    let Some(digest) = last.and_then(|b| b.state_digest.as_deref()) else {
        return Ok(BuildState::default());
    };
    let Some(bytes) = cache.get_blob(digest)? else {
        return Ok(BuildState::default());
    };
    decode_json("the last build state", &bytes)
}

/// Makes sure every file a diagnostic points into has its text and span table in `sources`.
fn fill_sources(steps: &Steps<'_>, runner: &Runner) -> Result<(), EngineError> {
    let wanted: Vec<String> = {
        let diags = runner.diagnostics.lock().unwrap();
        let have = runner.sources.lock().unwrap();
        let mut files: Vec<String> = diags
            .iter()
            .flat_map(|d| d.primary.iter().chain(d.related.iter()))
            .map(|l| l.loc.file.clone())
            .filter(|f| !have.contains_key(f))
            .collect();
        files.sort();
        files.dedup();
        files
    };
    for file in wanted {
        let Some(text) = steps.texts.get(&file) else {
            continue;
        };
        let parsed = steps.parsed(&file)?;
        runner
            .sources
            .lock()
            .unwrap()
            .insert(file, (text.clone(), parsed.spans));
    }
    Ok(())
}

fn config_failure(
    project: &Project,
    spans: SpanTable,
    diags: Vec<Diagnostic>,
    started: Instant,
) -> BuildOutcome {
    let mut sources = BTreeMap::new();
    sources.insert(
        PROJECT_FILE.to_string(),
        (project.config_text.clone(), spans),
    );
    BuildOutcome {
        ok: false,
        reports: vec![NodeReport {
            id: "config".into(),
            status: Status::Failed,
            micros: 0,
            key: None,
            key_inputs: None,
        }],
        diagnostics: diags,
        sources,
        failures: Vec::new(),
        changes: OutChanges::default(),
        artifacts: 0,
        duration_ms: started.elapsed().as_millis() as u64,
        models: Vec::new(),
    }
}
