//! `forge plugin test <generator>`: runs a generator plugin twice over the whole project (every
//! model for a model scope, the project once otherwise), each time with fresh processes and no
//! cache, and reports every invalid answer, every path it may not write, and every byte that
//! differs between the two runs.

use forge_frontend::config::parse_config;
use forge_schemas::{PROTOCOL_VERSION, Request, RequestScope, ScopeKind, canonical_json};

use crate::error::EngineError;
use crate::plugin::Plugins;
use crate::project::{PROJECT_FILE, Project};

/// What `forge plugin test` found.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PluginTestReport {
    pub generator: String,
    /// Requests per run.
    pub requests: usize,
    /// Files the first run produced.
    pub files: usize,
    /// Everything wrong, one line each; empty when the plugin passed.
    pub problems: Vec<String>,
}

impl PluginTestReport {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Runs the test for generator `name` of `project`.
pub fn plugin_test(project: &Project, name: &str) -> Result<PluginTestReport, EngineError> {
    let (config, _, _) = parse_config(PROJECT_FILE, &project.config_text);
    let config = config.ok_or_else(|| {
        EngineError::Invalid("forge.kdl has errors; run `forge check` to see them".into())
    })?;
    let Some(generator) = config.generators.iter().find(|g| g.name == name) else {
        let known: Vec<&str> = config.generators.iter().map(|g| g.name.as_str()).collect();
        return Err(EngineError::Invalid(format!(
            "forge.kdl has no generator `{name}`{}",
            if known.is_empty() {
                String::new()
            } else {
                format!("; it has: {}", known.join(", "))
            }
        )));
    };
    let ir = project.compile_ir(&config)?;
    let folder = project.out_dir(&config).join(&generator.out);
    let mut report = PluginTestReport {
        generator: name.to_string(),
        ..PluginTestReport::default()
    };
    let mut runs: Vec<Vec<(String, Option<Vec<u8>>)>> = Vec::new();
    for _ in 0..2 {
        // A new host each time: fresh processes, fresh workers.
        let plugins = Plugins::describe_all(&project.root, std::slice::from_ref(generator), None);
        let described = match &plugins.entries[name].described {
            Ok(d) => d.clone(),
            Err(failure) => {
                report.problems.push(failure.to_string());
                return Ok(report);
            }
        };
        let requests: Vec<RequestScope> = match described.scope {
            ScopeKind::Model => ir
                .models
                .iter()
                .map(|m| RequestScope::Model {
                    model: m.name.clone(),
                })
                .collect(),
            ScopeKind::Project => vec![RequestScope::Project],
        };
        report.requests = requests.len();
        let mut answers = Vec::with_capacity(requests.len());
        for scope in requests {
            let label = match &scope {
                RequestScope::Model { model } => format!("model {model}"),
                RequestScope::Project => "project".into(),
            };
            let request = Request {
                protocol: PROTOCOL_VERSION,
                generator: name.to_string(),
                options: generator.options.clone(),
                ir: match &scope {
                    RequestScope::Model { model } => ir.slice(model).expect("the model exists"),
                    RequestScope::Project => ir.clone(),
                },
                scope,
            };
            match plugins.generate(name, &request, &folder) {
                Ok(response) => {
                    if runs.is_empty() {
                        report.files += response.files.len();
                    }
                    answers.push((label, Some(canonical_json(&response))));
                }
                Err(failure) => {
                    if runs.is_empty() {
                        report.problems.push(failure.to_string());
                    }
                    answers.push((label, None));
                }
            }
        }
        runs.push(answers);
    }
    for ((label, first), (_, second)) in runs[0].iter().zip(&runs[1]) {
        if let (Some(a), Some(b)) = (first, second)
            && a != b
        {
            report.problems.push(format!(
                "{label}: the two runs answered differently{}",
                first_difference(a, b)
            ));
        }
    }
    Ok(report)
}

/// ` (first in <file>, line N)` for two canonical responses that differ.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (Ok(a), Ok(b)) = (
        serde_json::from_slice::<forge_schemas::Response>(a),
        serde_json::from_slice::<forge_schemas::Response>(b),
    ) else {
        return String::new();
    };
    for (fa, fb) in a.files.iter().zip(&b.files) {
        if fa.path != fb.path {
            return format!(" (files `{}` and `{}`)", fa.path, fb.path);
        }
        if let Some(n) = fa
            .content
            .lines()
            .zip(fb.content.lines())
            .position(|(x, y)| x != y)
        {
            return format!(" (first in `{}`, line {})", fa.path, n + 1);
        }
        if fa.content != fb.content {
            return format!(" (in `{}`)", fa.path);
        }
    }
    if a.files.len() != b.files.len() {
        return format!(" ({} files, then {})", a.files.len(), b.files.len());
    }
    String::new()
}
