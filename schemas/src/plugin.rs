//! The generator plugin protocol, version [`PROTOCOL_VERSION`]: the describe answer, the request
//! forge sends, the response it accepts, and the frames of worker mode. Built-in generators speak
//! it too (`forge generator run <name>`), so these types are the one contract every generator
//! builds against. `docs/plugins.md` is the reference for plugin authors; the JSON Schema of each
//! message is checked in under `schemas/protocol/` ([`protocol_json_schemas`](crate::protocol_json_schemas)).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ir::Ir;
use crate::protocol::OutputFile;

/// The protocol version this forge speaks; every message carries it.
pub const PROTOCOL_VERSION: u32 = 1;

/// What a generator's nodes are about: the whole project, or one model at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    Project,
    Model,
}

impl ScopeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeKind::Project => "project",
            ScopeKind::Model => "model",
        }
    }
}

/// The answer to `<command> --forge-describe`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Describe {
    /// Must be [`PROTOCOL_VERSION`].
    pub protocol: u32,
    /// The generator's own name (forge.kdl may call it something else).
    pub name: String,
    /// Its version; part of every cache key of its nodes.
    pub version: String,
    pub scope: ScopeKind,
    /// The JSON Schema of its `options` (an empty schema accepts anything).
    #[serde(default)]
    pub options: serde_json::Value,
    /// Optional abilities: `worker` (serves many requests over one process).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<String>,
}

/// The capability a generator lists to be run in worker mode.
pub const WORKER_CAPABILITY: &str = "worker";

impl Describe {
    pub fn has_worker(&self) -> bool {
        self.capabilities.iter().any(|c| c == WORKER_CAPABILITY)
    }
}

/// Which part of the project a request is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RequestScope {
    Project,
    Model { model: String },
}

/// One generation request, on standard input (one-shot) or as a worker frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub protocol: u32,
    /// The generator's name in forge.kdl.
    pub generator: String,
    /// The `options` block of forge.kdl, as JSON (an object).
    pub options: serde_json::Value,
    pub scope: RequestScope,
    /// The whole IR for a project scope; for a model scope, the slice that model needs.
    pub ir: Ir,
}

/// How serious a generator's diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticSeverity {
    /// The build fails; the generator's files are not written.
    Error,
    Warning,
}

/// A problem a generator found in the user's project (not in itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PluginDiagnostic {
    pub severity: DiagnosticSeverity,
    pub message: String,
    /// The model it is about; forge points at its declaration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The field of `model` it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// A generator's answer to a request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// Files relative to the generator's out folder.
    #[serde(default)]
    pub files: Vec<OutputFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<PluginDiagnostic>,
}

/// A request in worker mode: one line of standard input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WorkerRequest {
    /// Answered with the same id.
    pub id: u64,
    #[serde(flatten)]
    pub request: Request,
}

/// A response in worker mode: one line of standard output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WorkerResponse {
    /// The id of the request it answers.
    pub id: u64,
    #[serde(flatten)]
    pub response: Response,
}
