//! forge's build engine: the build graph and everything that runs it.
//!
//! A build reads forge.kdl (`config`), parses each schema file (`parse:<file>`), validates them
//! into the IR (`validate`), runs each generator per model and per project (`gen:...`) and checks
//! the result in a sandbox (`sandbox:sqlite`). Every node is a pure function of its key
//! ([`KeyInputs`]); a node whose key is in the cache does not run, and a node whose output digest
//! did not change does not wake its dependents. Independent nodes run in parallel on rayon.
//!
//! The engine owns the out folder ([`outdir`]): only files listed in its manifest are ever written
//! or removed.

mod background;
mod build;
mod builtin;
mod error;
mod explain;
mod graph;
mod key;
mod lock;
mod maintenance;
mod migrations;
mod node;
pub mod outdir;
mod plugin;
mod plugin_test;
mod project;
mod report;
mod run;
mod sandbox;
mod sandbox_pg;
mod state;
mod steps;

pub use background::settle;
pub use build::{BuildOptions, BuildOutcome, Progress, build};
pub use builtin::{BUILTIN_GENERATORS, builtin_describe, run_builtin};
pub use error::EngineError;
pub use explain::{Explanation, LineOrigin, SourcePlace, explain};
pub use graph::{BuildGraph, GraphFormat};
pub use key::{FORGE_VERSION, KeyInputs};
pub use maintenance::{KEEP_BUILDS, cache_gc, cache_stats, full_graph};
pub use migrations::{
    Declared, History, MigrationPlan, declared, migrate_new, migrate_plan, migrations_dir,
    project_history,
};
pub use node::NodeId;
pub use plugin::{DESCRIBE_FLAG, PluginFailure};
pub use plugin_test::{PluginTestReport, plugin_test};
pub use project::{PROJECT_FILE, Project};
pub use report::{NodeReport, Status, Summary};
pub use state::BuildState;
pub use steps::MIGRATION_PENDING;
