//! `forge cache stats` and `forge cache gc`, and `forge graph`'s entry point.

use forge_cache::{Cache, GcReport, Stats};
use forge_frontend::config::parse_config;

use crate::build::{BuildOptions, build};
use crate::error::EngineError;
use crate::graph::BuildGraph;
use crate::project::{PROJECT_FILE, Project};
use crate::state::BuildState;

/// How many builds `gc` keeps by default.
pub const KEEP_BUILDS: usize = 10;

/// The project's cache, as forge.kdl places it.
fn open_cache(project: &Project) -> Result<Cache, EngineError> {
    let (config, _, _) = parse_config(PROJECT_FILE, &project.config_text);
    let config = config
        .ok_or_else(|| EngineError::Invalid("forge.kdl has errors; run `forge check`".into()))?;
    Ok(Cache::open(&project.cache_dir(&config))?)
}

/// What the project's cache holds.
pub fn cache_stats(project: &Project) -> Result<Stats, EngineError> {
    open_cache(project)?.stats().map_err(Into::into)
}

/// Deletes everything the newest `keep` builds cannot reach; then, while the cache is larger than
/// forge.kdl's `cache max-size`, keeps fewer builds (never fewer than the last one).
pub fn cache_gc(project: &Project, keep: usize) -> Result<GcReport, EngineError> {
    let (config, _, _) = parse_config(PROJECT_FILE, &project.config_text);
    let config = config
        .ok_or_else(|| EngineError::Invalid("forge.kdl has errors; run `forge check`".into()))?;
    let mut cache = Cache::open(&project.cache_dir(&config))?;
    let references = |bytes: &[u8]| {
        let state: BuildState =
            serde_json::from_slice(bytes).map_err(|source| forge_cache::CacheError::Corrupt {
                what: "build state".into(),
                source,
            })?;
        Ok(state.references())
    };
    let mut keep = keep.max(1);
    let mut report = cache.gc(keep, references)?;
    if let Some(max) = config.cache_max_size {
        while keep > 1 && size(&cache.stats()?) > max {
            keep -= 1;
            let more = cache.gc(keep, references)?;
            report.builds_removed += more.builds_removed;
            report.actions_removed += more.actions_removed;
            report.blobs_removed += more.blobs_removed;
            report.bytes_freed += more.bytes_freed;
        }
    }
    Ok(report)
}

fn size(stats: &Stats) -> u64 {
    stats.blob_bytes + stats.db_bytes
}

/// The project's whole build graph. Runs (or finds in the cache) the nodes up to `validate`, since
/// the per-model nodes depend on the models the schema declares.
pub fn full_graph(
    project: &Project,
) -> Result<Result<BuildGraph, crate::build::BuildOutcome>, EngineError> {
    let outcome = build(
        project,
        &BuildOptions {
            validate_only: true,
            ..BuildOptions::default()
        },
    )?;
    if !outcome.ok {
        return Ok(Err(outcome));
    }
    let (config, _, _) = parse_config(PROJECT_FILE, &project.config_text);
    let config = config.expect("the build parsed it");
    let files = project.schema_files(&config)?;
    let scopes =
        crate::plugin::Plugins::describe_all(&project.root, &config.generators, None).scopes();
    Ok(Ok(BuildGraph::plan(
        &config,
        &files,
        Some(&outcome.models),
        &scopes,
    )))
}
