//! The JSON Schemas (draft 2020-12) of the plugin protocol's messages, generated from the Rust
//! types in `plugin.rs` and checked in under `schemas/protocol/`, one file per message. A test in
//! `schemas/tests/json_schema.rs` fails when a checked-in file differs;
//! `FORGE_UPDATE_SCHEMAS=1 cargo test -p forge-schemas` rewrites them.
//!
//! A request holds the IR, so the request schemas embed the IR's definitions; `protocol` is
//! pinned to [`PROTOCOL_VERSION`] with `const` in every message that carries it.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::json_schema::schema_text;
use crate::plugin::{Describe, PROTOCOL_VERSION, Request, Response, WorkerRequest, WorkerResponse};

/// The folder of the checked-in protocol schemas, relative to the `forge-schemas` crate's folder.
pub const PROTOCOL_SCHEMA_DIR: &str = "protocol";

/// One message's schema: its file name and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolSchema {
    pub file: &'static str,
    pub text: String,
}

/// Every protocol message's schema, in a fixed order.
pub fn protocol_json_schemas() -> Vec<ProtocolSchema> {
    vec![
        one::<Describe>(
            "describe.schema.json",
            "describe",
            "The answer of `<command> --forge-describe`.",
        ),
        one::<Request>(
            "request.schema.json",
            "request",
            "One generation request, on standard input in one-shot mode.",
        ),
        one::<Response>(
            "response.schema.json",
            "response",
            "A generator's answer, on standard output in one-shot mode.",
        ),
        one::<WorkerRequest>(
            "worker-request.schema.json",
            "worker request",
            "One line of standard input in worker mode (`--forge-worker`): a request with an id.",
        ),
        one::<WorkerResponse>(
            "worker-response.schema.json",
            "worker response",
            "One line of standard output in worker mode: the response to the request with this id.",
        ),
    ]
}

/// The schema of message `T` as a value (for validators), by file name.
pub fn protocol_json_schema_value(file: &str) -> Option<Value> {
    let value = match file {
        "describe.schema.json" => value::<Describe>(),
        "request.schema.json" => value::<Request>(),
        "response.schema.json" => value::<Response>(),
        "worker-request.schema.json" => value::<WorkerRequest>(),
        "worker-response.schema.json" => value::<WorkerResponse>(),
        _ => return None,
    };
    Some(value)
}

fn one<T: JsonSchema>(file: &'static str, title: &str, description: &str) -> ProtocolSchema {
    let mut value = value::<T>();
    let root = value
        .as_object_mut()
        .expect("a message's schema is an object");
    root.insert(
        "$id".into(),
        Value::String(format!(
            "https://forge.dev/schemas/protocol-v{PROTOCOL_VERSION}/{file}"
        )),
    );
    root.insert(
        "title".into(),
        Value::String(format!("forge plugin protocol {PROTOCOL_VERSION}: {title}")),
    );
    root.insert("description".into(), Value::String(description.into()));
    ProtocolSchema {
        file,
        text: schema_text(&value),
    }
}

fn value<T: JsonSchema>() -> Value {
    let schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    let mut value = schema.to_value();
    if let Some(protocol) = value
        .get_mut("properties")
        .and_then(|p| p.get_mut("protocol"))
        .and_then(Value::as_object_mut)
    {
        protocol.insert("const".into(), Value::from(PROTOCOL_VERSION));
    }
    value.sort_all_objects();
    value
}
