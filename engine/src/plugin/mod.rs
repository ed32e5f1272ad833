//! Generator plugins: any executable that speaks the protocol of `docs/plugins.md` (the types are
//! in `forge_schemas::plugin`). The host describes each plugin once per executable digest (the
//! answer is a memoized sub-action), runs its nodes one-shot or through a pool of workers, and
//! checks every answer before anything of it is used: a plugin that crashes, hangs, floods, lies
//! about ids or paths, or prints something that is not a response fails its node with a report
//! that names it, and nothing of it is written or cached.

mod failure;
mod identity;
mod process;
mod response;
mod worker;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use forge_frontend::config::GeneratorConfig;
use forge_schemas::{Describe, PROTOCOL_VERSION, Request, RequestScope, Response, ScopeKind};
use rayon::prelude::*;

use crate::key::KeyInputs;
use crate::run::{Runner, SubtaskError};

use failure::FailureKind;
pub use failure::PluginFailure;
use worker::WorkerPool;

/// The argument that asks a plugin to describe itself.
pub const DESCRIBE_FLAG: &str = "--forge-describe";

/// One configured plugin, described.
pub(crate) struct Plugin {
    pub config: GeneratorConfig,
    /// Key inputs naming its code (see `identity.rs`).
    pub code: Vec<(String, String)>,
    pub described: Result<Describe, Box<PluginFailure>>,
    /// The key of the memoized describe answer, kept alive by the plugin's nodes.
    pub describe_key: Option<String>,
    pool: Option<WorkerPool>,
}

/// The plugins of one build, by name.
#[derive(Default)]
pub(crate) struct Plugins {
    pub entries: BTreeMap<String, Plugin>,
    root: PathBuf,
}

impl Plugins {
    /// Describes every plugin of `generators` (in parallel), from the cache (when there is a
    /// runner) when its code has not changed.
    pub fn describe_all(
        root: &Path,
        generators: &[GeneratorConfig],
        runner: Option<&Runner>,
    ) -> Plugins {
        let entries = generators
            .par_iter()
            .map(|config| {
                let code = identity::code_inputs(root, config);
                let (described, describe_key) = describe_cached(root, config, &code, runner);
                let pool = match &described {
                    Ok(d) if d.has_worker() => {
                        Some(WorkerPool::new(root.to_path_buf(), config.clone()))
                    }
                    _ => None,
                };
                let plugin = Plugin {
                    config: config.clone(),
                    code,
                    described,
                    describe_key,
                    pool,
                };
                (config.name.clone(), plugin)
            })
            .collect();
        Plugins {
            entries,
            root: root.to_path_buf(),
        }
    }

    /// Each plugin's scope (a plugin that could not be described gets one project node, which
    /// fails with the reason).
    pub fn scopes(&self) -> Vec<(String, ScopeKind)> {
        self.entries
            .iter()
            .map(|(name, p)| {
                let scope = p.described.as_ref().map_or(ScopeKind::Project, |d| d.scope);
                (name.clone(), scope)
            })
            .collect()
    }

    /// Runs plugin `name` on `request` and checks its answer; `folder` is its out folder on disk.
    pub fn generate(
        &self,
        name: &str,
        request: &Request,
        folder: &Path,
    ) -> Result<Response, Box<PluginFailure>> {
        let plugin = &self.entries[name];
        let config = &plugin.config;
        let fail = |kind: FailureKind, stderr: String| {
            Box::new(PluginFailure {
                generator: config.name.clone(),
                command: config.command.join(" "),
                request: request_name(&request.scope),
                kind,
                stderr,
            })
        };
        let response = match &plugin.pool {
            Some(pool) => pool.call(request).map_err(|f| fail(f.kind, f.stderr))?,
            None => {
                let input = serde_json::to_vec(request).expect("requests serialize");
                let finished = process::run_once(
                    process::command(&self.root, config, &[]),
                    input,
                    Duration::from_millis(config.timeout_ms),
                    config.max_output,
                )
                .map_err(|f| fail(f.kind, f.stderr))?;
                response::decode(&finished.stdout).map_err(|k| fail(k, String::new()))?
            }
        };
        response::check_paths(&response, folder).map_err(|k| fail(k, String::new()))?;
        Ok(response)
    }
}

/// `describe`, `model Post` or `project`: what a failure report says was asked.
fn request_name(scope: &RequestScope) -> String {
    match scope {
        RequestScope::Project => "project".into(),
        RequestScope::Model { model } => format!("model {model}"),
    }
}

/// The key inputs of a plugin node: the protocol, the plugin's name and version, its code, its
/// options, environment and out folder from forge.kdl (the node's files are placed there), and
/// the digest of the IR it is given.
pub(crate) fn node_key(
    plugin: &Plugin,
    described: &Describe,
    model: Option<&str>,
    ir_digest: &str,
) -> KeyInputs {
    let config = &plugin.config;
    let mut key = KeyInputs {
        kind: format!("plugin:{}", described.scope.as_str()),
        generator: described.name.clone(),
        version: described.version.clone(),
        subject: model.map(str::to_string),
        ..KeyInputs::default()
    }
    .option("protocol", PROTOCOL_VERSION.to_string())
    .option("forge", crate::key::FORGE_VERSION)
    .option("out", config.out.clone())
    .option(
        "options",
        String::from_utf8(forge_schemas::canonical_json(&config.options)).expect("JSON is UTF-8"),
    )
    .input("ir", ir_digest);
    for (name, value) in &config.env {
        key = key.option(&format!("env:{name}"), value.clone());
    }
    for (name, digest) in &plugin.code {
        key = key.input(name.clone(), digest.clone());
    }
    key
}

/// Describes `config`, memoized under its code and command: `(answer, memo key)`.
fn describe_cached(
    root: &Path,
    config: &GeneratorConfig,
    code: &[(String, String)],
    runner: Option<&Runner>,
) -> (Result<Describe, Box<PluginFailure>>, Option<String>) {
    let fail = |kind: FailureKind, stderr: String| {
        Box::new(PluginFailure {
            generator: config.name.clone(),
            command: config.command.join(" "),
            request: "describe".into(),
            kind,
            stderr,
        })
    };
    let mut key = KeyInputs::builtin("plugin:describe", config.name.clone())
        .option("protocol", PROTOCOL_VERSION.to_string())
        .option("command", config.command.join("\u{1f}"));
    for (name, value) in &config.env {
        key = key.option(&format!("env:{name}"), value.clone());
    }
    for (name, digest) in code {
        key = key.input(name.clone(), digest.clone());
    }
    let run = || {
        let finished = process::run_once(
            process::command(root, config, &[DESCRIBE_FLAG]),
            Vec::new(),
            Duration::from_millis(config.timeout_ms),
            config.max_output,
        )
        .map_err(|f| fail(f.kind, f.stderr))?;
        // Only a valid answer is memoized.
        check_describe(&finished.stdout, config).map_err(|k| fail(k, String::new()))?;
        Ok(finished.stdout)
    };
    let Some(runner) = runner else {
        let described = run()
            .and_then(|bytes| check_describe(&bytes, config).map_err(|k| fail(k, String::new())));
        return (described, None);
    };
    let memo = runner.subtask("plugin:describe", key, run);
    match memo {
        Ok(done) => (
            check_describe(&done.value, config).map_err(|k| fail(k, String::new())),
            Some(done.key),
        ),
        Err(SubtaskError::Work(failure)) => (Err(failure), None),
        Err(SubtaskError::Engine(e)) => (
            Err(fail(
                FailureKind::Spawn(format!("the cache failed: {e}")),
                String::new(),
            )),
            None,
        ),
    }
}

/// Decodes a describe answer and checks it against the protocol and forge.kdl.
fn check_describe(bytes: &[u8], config: &GeneratorConfig) -> Result<Describe, FailureKind> {
    let describe: Describe = serde_json::from_slice(bytes)
        .map_err(|e| FailureKind::InvalidJson(format!("its describe answer: {e}")))?;
    if describe.protocol != PROTOCOL_VERSION {
        return Err(FailureKind::Protocol(format!(
            "it speaks protocol {}, and this forge speaks protocol {PROTOCOL_VERSION}",
            describe.protocol
        )));
    }
    if let Some(scope) = config.scope
        && scope != describe.scope
    {
        return Err(FailureKind::Protocol(format!(
            "forge.kdl says `scope {}`, and the plugin describes scope `{}`",
            scope.as_str(),
            describe.scope.as_str()
        )));
    }
    if describe.name.is_empty() || describe.version.is_empty() {
        return Err(FailureKind::Protocol(
            "its describe answer has an empty name or version".into(),
        ));
    }
    Ok(describe)
}
