//! Write a forge generator plugin in Rust. A plugin is an executable that speaks forge's plugin
//! protocol (`docs/plugins.md`); this crate speaks it for you, so a plugin is a name, a scope and
//! a function from a [`Request`] to an [`Output`]:
//!
//! ```no_run
//! use forge_plugin::{Lines, Output, Plugin, Request, ScopeKind};
//!
//! fn main() -> std::process::ExitCode {
//!     Plugin::new("hello", "1.0.0", ScopeKind::Model)
//!         .worker()
//!         .run(|request: &Request| -> Result<Output, String> {
//!             let model = request.model()?;
//!             let mut text = Lines::new();
//!             text.line(format!("{} (table {})", model.name, model.table))
//!                 .model(&model.name);
//!             for field in &model.fields {
//!                 text.line(format!("- {}", field.name))
//!                     .model(&model.name)
//!                     .field(&field.name);
//!             }
//!             let mut output = Output::new();
//!             output.file(format!("{}.txt", model.table), text);
//!             Ok(output)
//!         })
//! }
//! ```
//!
//! [`Plugin::run`] answers `--forge-describe`, a one-shot request on standard input, and (with
//! [`Plugin::worker`]) `--forge-worker`, one request per line. The generate function's `Err` is a
//! problem in the user's project: it becomes an `error` diagnostic of that request, and a worker
//! stays alive. A request that cannot be decoded is a failure of the plugin: a message on
//! standard error and exit status 1. [`Plugin::serve`] is the same loop over any reader and
//! writers, for tests.
//!
//! [`Lines`] writes a text file line by line and records which model, field or element each line
//! comes from (`origins`, for `forge explain`); [`Output::warning`] and [`Output::error`] report
//! diagnostics about a model or field.

mod lines;
mod output;
mod plugin;
mod request;
mod serve;

pub use lines::{Lines, Mark, Span};
pub use output::{Content, DiagnosticMut, Output};
pub use plugin::{DESCRIBE_FLAG, EXIT_FAILURE, EXIT_USAGE, Plugin, WORKER_FLAG};
pub use request::Request;

/// The IR and protocol types, all of them (`forge_plugin::schemas::Expr`, ...).
pub use forge_schemas as schemas;
pub use forge_schemas::{
    Action, Describe, DiagnosticSeverity, Field, FieldType, Ir, Model, Origin, OutputFile,
    PROTOCOL_VERSION, PluginDiagnostic, RequestScope, Response, ScopeKind, WORKER_CAPABILITY,
    WorkerRequest, WorkerResponse,
};
/// For [`Plugin::options_schema`]: `forge_plugin::json!({...})`.
pub use serde_json::{Value, json};
