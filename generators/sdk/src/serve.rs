//! The three modes over any reader and writer: the describe answer, one request on standard input
//! answered on standard output, and the worker loop (one request per line, each answered on its
//! own line with its id, flushed at once). A request that cannot be decoded, or input and output
//! that fail, end the mode with the reason (the caller prints it and exits non-zero); the
//! generate function's `Err` is an `error` diagnostic of its request, and a worker goes on.

use std::io::{BufRead, Write};

use forge_schemas::{
    Describe, DiagnosticSeverity, PROTOCOL_VERSION, PluginDiagnostic, Response, WorkerResponse,
};
use serde::Serialize;
use serde_json::Value;

use crate::output::Output;
use crate::request::Request;

/// Prints the describe answer.
pub(crate) fn describe(describe: &Describe, output: &mut impl Write) -> Result<(), String> {
    send(output, describe)
}

/// Prints plain text (the usage).
pub(crate) fn text(text: &str, output: &mut impl Write) -> Result<(), String> {
    output
        .write_all(text.as_bytes())
        .and_then(|()| output.flush())
        .map_err(|e| format!("cannot write standard output: {e}"))
}

/// Reads one request to the end of the input and prints its response.
pub(crate) fn once<F>(
    mut input: impl BufRead,
    output: &mut impl Write,
    mut generate: F,
) -> Result<(), String>
where
    F: FnMut(&Request) -> Result<Output, String>,
{
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(format!(
            "standard input is empty: forge sends one request there (and runs \
             `{}` to ask what this plugin is)",
            crate::plugin::DESCRIBE_FLAG
        ));
    }
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("the request on standard input is not JSON: {e}"))?;
    let request = decode(value).map_err(|why| format!("the request on standard input {why}"))?;
    send(output, &answer(&request, &mut generate))
}

/// Answers requests, one a line, until the input ends.
pub(crate) fn worker<F>(
    mut input: impl BufRead,
    output: &mut impl Write,
    mut generate: F,
) -> Result<(), String>
where
    F: FnMut(&Request) -> Result<Output, String>,
{
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = input
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        if read == 0 {
            return Ok(());
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let mut value: Value = serde_json::from_slice(&line)
            .map_err(|e| format!("a line of standard input is not JSON: {e}"))?;
        let id = value
            .as_object_mut()
            .and_then(|frame| frame.remove("id"))
            .and_then(|id| id.as_u64())
            .ok_or(
                "a line of standard input has no `id` (a whole number): it is not a worker request",
            )?;
        let request = decode(value).map_err(|why| format!("worker request {id} {why}"))?;
        let response = answer(&request, &mut generate);
        send(output, &WorkerResponse { id, response })?;
    }
}

/// A request of this protocol, or why the value is not one (to follow "the request ...").
fn decode(value: Value) -> Result<Request, String> {
    if let Some(protocol) = value.get("protocol").and_then(Value::as_u64)
        && protocol != u64::from(PROTOCOL_VERSION)
    {
        return Err(format!(
            "is of protocol {protocol}, and this plugin speaks protocol {PROTOCOL_VERSION}: \
             use a forge and a plugin of the same protocol"
        ));
    }
    serde_json::from_value::<forge_schemas::Request>(value)
        .map(Request::from)
        .map_err(|e| format!("is not a valid request of protocol {PROTOCOL_VERSION}: {e}"))
}

/// Runs the generate function; its `Err` is an error diagnostic about the request's model.
fn answer<F>(request: &Request, generate: &mut F) -> Response
where
    F: FnMut(&Request) -> Result<Output, String>,
{
    match generate(request) {
        Ok(output) => output.into_response(),
        Err(message) => Response {
            files: Vec::new(),
            diagnostics: vec![PluginDiagnostic {
                severity: DiagnosticSeverity::Error,
                message,
                model: request.model_name().map(str::to_string),
                field: None,
            }],
        },
    }
}

/// Writes one message as a line of JSON and flushes it.
fn send(output: &mut impl Write, message: &impl Serialize) -> Result<(), String> {
    serde_json::to_writer(&mut *output, message)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            output
                .write_all(b"\n")
                .and_then(|()| output.flush())
                .map_err(|e| e.to_string())
        })
        .map_err(|e| format!("cannot write standard output: {e}"))
}
