//! The serving loop over in-memory input and output: describe, one-shot requests, a worker
//! session of several requests, and what happens to requests that cannot be decoded.

use forge_plugin::schemas::{PROTOCOL_VERSION, Request as RawRequest};
use forge_plugin::{
    DESCRIBE_FLAG, DiagnosticSeverity, EXIT_FAILURE, EXIT_USAGE, Ir, Lines, Output, Plugin,
    Request, RequestScope, Response, ScopeKind, WORKER_FLAG, WorkerResponse, json,
};
use serde_json::Value;

/// A model-scope plugin that writes `<table>.txt` with the model's fields, warns about a model
/// without fields, and fails (with an `Err`) on a model called `Broken`.
fn plugin() -> Plugin {
    Plugin::new("fields", "2.0.0", ScopeKind::Model)
        .options_schema(json!({"type": "object", "properties": {"suffix": {"type": "string"}}}))
        .worker()
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Options {
    #[serde(default)]
    suffix: String,
}

fn generate(request: &Request) -> Result<Output, String> {
    let options: Options = request.options()?;
    let model = request.model()?;
    if model.name == "Broken" {
        return Err("model `Broken` cannot be documented".into());
    }
    let mut output = Output::new();
    let mut lines = Lines::new();
    lines
        .line(format!("{}{}", model.name, options.suffix))
        .model(&model.name);
    for field in &model.fields {
        lines
            .line(&field.name)
            .model(&model.name)
            .field(&field.name);
    }
    if model.fields.is_empty() {
        output.warning("no fields").model(&model.name);
    }
    output.file(format!("{}.txt", model.table), lines);
    Ok(output)
}

/// An IR with the models `Post` (fields `id`, `title`), `Empty` and `Broken`.
fn ir() -> Ir {
    let model = |name: &str, fields: &[&str]| {
        let fields: Vec<Value> = fields
            .iter()
            .map(|f| json!({"name": f, "type": {"kind": "text"}, "optional": false}))
            .collect();
        json!({
            "name": name, "table": name.to_lowercase(), "fields": fields, "relations": [],
            "primary_key": {"name": format!("{}_pkey", name.to_lowercase()), "columns": []},
            "uniques": [], "foreign_keys": [], "indexes": [], "checks": [], "policies": [],
            "permissions": [], "hooks": []
        })
    };
    let mut ir = Ir::empty();
    ir.models = vec![
        serde_json::from_value(model("Broken", &[])).unwrap(),
        serde_json::from_value(model("Empty", &[])).unwrap(),
        serde_json::from_value(model("Post", &["id", "title"])).unwrap(),
    ];
    ir
}

fn request(model: &str, options: Value) -> RawRequest {
    RawRequest {
        protocol: PROTOCOL_VERSION,
        generator: "my-fields".into(),
        options,
        scope: RequestScope::Model {
            model: model.into(),
        },
        ir: ir(),
    }
}

/// Runs the plugin on `args` and `input`: (exit status, standard output, standard error).
fn serve(args: &[&str], input: &[u8]) -> (u8, String, String) {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = plugin().serve(args, input, &mut stdout, &mut stderr, generate);
    (
        code,
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

#[test]
fn describe_prints_one_line_of_the_describe_answer() {
    let (code, stdout, stderr) = serve(&[DESCRIBE_FLAG], b"");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.ends_with('\n') && stdout.lines().count() == 1);
    let answer: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        answer,
        json!({
            "protocol": 1, "name": "fields", "version": "2.0.0", "scope": "model",
            "options": {"type": "object", "properties": {"suffix": {"type": "string"}}},
            "capabilities": ["worker"]
        })
    );
}

#[test]
fn worker_is_listed_once_and_only_when_asked() {
    let plain = Plugin::new("p", "1", ScopeKind::Project);
    assert!(plain.describe().capabilities.is_empty());
    assert_eq!(plain.describe().options, json!({}));
    assert_eq!(plain.worker().worker().describe().capabilities, ["worker"]);
}

#[test]
fn one_shot_answers_the_request_on_standard_input() {
    let input = serde_json::to_vec(&request("Post", json!({"suffix": "!"}))).unwrap();
    let (code, stdout, stderr) = serve(&[], &input);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let response: Response = serde_json::from_str(&stdout).unwrap();
    assert_eq!(response.files.len(), 1);
    let file = &response.files[0];
    assert_eq!(file.path, "post.txt");
    assert_eq!(file.content, "Post!\nid\ntitle\n");
    assert_eq!(file.origins[2].lines, [3, 3]);
    assert_eq!(file.origins[2].field.as_deref(), Some("title"));
    assert!(response.diagnostics.is_empty());
}

#[test]
fn one_shot_reports_an_err_as_an_error_diagnostic_and_exits_zero() {
    let input = serde_json::to_vec(&request("Broken", json!({}))).unwrap();
    let (code, stdout, _) = serve(&[], &input);
    assert_eq!(code, 0);
    let response: Response = serde_json::from_str(&stdout).unwrap();
    assert!(response.files.is_empty());
    let d = &response.diagnostics[0];
    assert_eq!(d.severity, DiagnosticSeverity::Error);
    assert_eq!(d.message, "model `Broken` cannot be documented");
    assert_eq!(d.model.as_deref(), Some("Broken"));
}

#[test]
fn one_shot_fails_clearly_on_input_that_is_not_a_request() {
    let cases: [(&[u8], &str); 4] = [
        (b"", "fields: standard input is empty"),
        (
            b"{not json",
            "fields: the request on standard input is not JSON: ",
        ),
        (
            br#"{"protocol": 2}"#,
            "fields: the request on standard input is of protocol 2, and this plugin speaks protocol 1",
        ),
        (
            br#"{"protocol": 1, "generator": "x"}"#,
            "fields: the request on standard input is not a valid request of protocol 1: missing field",
        ),
    ];
    for (input, message) in cases {
        let (code, stdout, stderr) = serve(&[], input);
        assert_eq!(code, EXIT_FAILURE, "{stderr}");
        assert_eq!(stdout, "");
        assert!(stderr.starts_with(message), "{stderr}");
    }
}

#[test]
fn a_worker_session_answers_each_request_with_its_id_in_order() {
    let frame = |id: u64, model: &str, options: Value| {
        let mut value = serde_json::to_value(request(model, options)).unwrap();
        value["id"] = json!(id);
        serde_json::to_string(&value).unwrap()
    };
    let input = [
        frame(7, "Post", json!({})),
        String::new(), // blank lines are skipped
        frame(8, "Broken", json!({})),
        frame(3, "Empty", json!({"suffix": "?"})),
        frame(9, "Post", json!({"colour": "blue"})),
    ]
    .join("\n");
    let (code, stdout, stderr) = serve(&[WORKER_FLAG], input.as_bytes());
    assert_eq!((code, stderr.as_str()), (0, ""));
    let answers: Vec<WorkerResponse> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let ids: Vec<u64> = answers.iter().map(|a| a.id).collect();
    assert_eq!(ids, [7, 8, 3, 9]);
    assert_eq!(answers[0].response.files[0].content, "Post\nid\ntitle\n");
    // A generate error is that request's error diagnostic; the worker goes on.
    let broken = &answers[1].response;
    assert!(broken.files.is_empty());
    assert_eq!(broken.diagnostics[0].severity, DiagnosticSeverity::Error);
    let empty = &answers[2].response;
    assert_eq!(empty.files[0].content, "Empty?\n");
    assert_eq!(empty.diagnostics[0].severity, DiagnosticSeverity::Warning);
    assert_eq!(empty.diagnostics[0].message, "no fields");
    let bad_options = &answers[3].response.diagnostics[0];
    assert!(
        bad_options
            .message
            .contains("the `options` of generator `my-fields` in forge.kdl are not valid"),
        "{}",
        bad_options.message
    );
}

#[test]
fn a_worker_stops_with_a_failure_on_a_frame_it_cannot_decode() {
    let good = {
        let mut value = serde_json::to_value(request("Post", json!({}))).unwrap();
        value["id"] = json!(1);
        serde_json::to_string(&value).unwrap()
    };
    let cases = [
        ("not json", "fields: a line of standard input is not JSON"),
        (
            r#"{"protocol": 1}"#,
            "fields: a line of standard input has no `id`",
        ),
        (
            r#"{"id": 2, "protocol": 1}"#,
            "fields: worker request 2 is not a valid request of protocol 1",
        ),
    ];
    for (bad, message) in cases {
        let input = format!("{good}\n{bad}\n{good}\n");
        let (code, stdout, stderr) = serve(&[WORKER_FLAG], input.as_bytes());
        assert_eq!(code, EXIT_FAILURE);
        assert!(stderr.starts_with(message), "{stderr}");
        // The request before it was answered; none after it.
        assert_eq!(stdout.lines().count(), 1);
    }
}

#[test]
fn the_command_line_is_checked() {
    let (code, stdout, stderr) = serve(&["--colour"], b"");
    assert_eq!((code, stdout.as_str()), (EXIT_USAGE, ""));
    assert!(
        stderr.starts_with("fields: unknown argument `--colour`"),
        "{stderr}"
    );
    assert!(stderr.contains("fields --forge-describe"), "{stderr}");

    let (code, _, stderr) = serve(&[DESCRIBE_FLAG, WORKER_FLAG], b"");
    assert_eq!(code, EXIT_USAGE);
    assert!(
        stderr.contains("expected at most one argument, got 2"),
        "{stderr}"
    );

    let (code, stdout, _) = serve(&["--help"], b"");
    assert_eq!(code, 0);
    assert!(stdout.contains("fields --forge-worker"), "{stdout}");

    let one_shot_only = Plugin::new("solo", "1", ScopeKind::Project);
    let mut stderr = Vec::new();
    let code = one_shot_only.serve(&[WORKER_FLAG], &b""[..], Vec::new(), &mut stderr, generate);
    assert_eq!(code, EXIT_USAGE);
    let stderr = String::from_utf8(stderr).unwrap();
    assert!(
        stderr.starts_with("solo: `--forge-worker`: this plugin does not serve worker mode"),
        "{stderr}"
    );
}
