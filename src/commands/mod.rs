//! One file per command; `run` dispatches.

mod build;
mod cache;
mod check;
#[cfg(feature = "db")]
mod database;
mod explain;
mod generator;
mod graph;
mod init;
mod migrate;
mod plugin;

use std::path::PathBuf;

use anyhow::Context;
use forge_engine::Project;

use crate::cli::{Cli, Command};

/// Runs the command and returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    let project = || -> anyhow::Result<Project> {
        match &cli.project {
            Some(dir) => {
                Project::open(dir).with_context(|| format!("no forge.kdl in {}", dir.display()))
            }
            None => Ok(Project::discover(&cwd()?)?),
        }
    };
    match cli.command {
        Command::Init { ref dir } => init::run(dir.clone().unwrap_or(cwd()?)),
        Command::Build(ref args) => build::run(&project()?, args),
        Command::Check { json } => check::run(&project()?, json),
        Command::Explain {
            ref artifact,
            why_rebuilt,
            json,
        } => explain::run(&project()?, &cwd()?, artifact, why_rebuilt, json),
        Command::Graph { format } => graph::run(&project()?, format),
        Command::Cache(ref command) => cache::run(&project()?, command),
        Command::Plugin(ref command) => plugin::run(&project()?, command),
        Command::Generator(ref command) => generator::run(command),
        Command::Migrate(ref command) => migrate::run(&project()?, command),
        #[cfg(feature = "db")]
        Command::Drift {
            ref db,
            ref scratch,
            json,
        } => database::drift(&project()?, db, scratch.as_deref(), json),
        #[cfg(not(feature = "db"))]
        Command::Drift { .. } => anyhow::bail!(
            "this forge was built without the `db` feature, which talks to databases\n  help: build it with `cargo build --features db` (on by default)"
        ),
    }
}

fn cwd() -> anyhow::Result<PathBuf> {
    std::env::current_dir().context("cannot read the current folder")
}
