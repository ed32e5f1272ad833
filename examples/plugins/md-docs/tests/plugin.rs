//! The built plugin, run as forge runs it: `--forge-describe`, one-shot requests for models of
//! examples/blog (the IR made by the real front end), and a worker session of three requests.
//! Every answer is checked against the checked-in JSON Schemas in `schemas/protocol/`, the pages
//! against what a reader expects, and two runs against each other, byte for byte.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use forge_plugin::schemas::Request;
use forge_plugin::{DiagnosticSeverity, Ir, PROTOCOL_VERSION, RequestScope, Response, json};
use serde_json::Value;

const PLUGIN: &str = env!("CARGO_BIN_EXE_forge-plugin-md-docs");

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

/// The IR of examples/blog, from its schema files through the front end.
fn blog_ir() -> Ir {
    let root = repo().join("examples/blog");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("schema"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "kdl"))
        .collect();
    paths.sort();
    let parsed: Vec<_> = paths
        .iter()
        .map(|path| {
            let rel = path.strip_prefix(&root).unwrap().to_string_lossy();
            let (file, errors) =
                forge_frontend::parse_file(&rel, &std::fs::read_to_string(path).unwrap());
            assert!(errors.is_empty(), "{rel}: {errors:?}");
            file
        })
        .collect();
    let refs: Vec<_> = parsed.iter().collect();
    let validated = forge_frontend::validate(&refs);
    validated
        .ir
        .unwrap_or_else(|| panic!("examples/blog: {:?}", validated.diagnostics))
}

/// The request forge sends for `model`: the model's slice of the IR.
fn request(ir: &Ir, model: &str, options: Value) -> Value {
    let request = Request {
        protocol: PROTOCOL_VERSION,
        generator: "md-docs".into(),
        options,
        scope: RequestScope::Model {
            model: model.into(),
        },
        ir: ir.slice(model).unwrap(),
    };
    serde_json::to_value(request).unwrap()
}

/// Errors of `instance` against the checked-in `schemas/protocol/<file>`.
fn schema_errors(file: &str, instance: &Value) -> Vec<String> {
    let path = repo().join("schemas/protocol").join(file);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|err| panic!("{file} does not compile: {err}"));
    validator
        .iter_errors(instance)
        .map(|err| format!("at {}: {err}", err.instance_path()))
        .collect()
}

fn assert_valid(file: &str, instance: &Value) {
    let errors = schema_errors(file, instance);
    assert!(errors.is_empty(), "{file}:\n{}", errors.join("\n"));
}

fn run(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(PLUGIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs one request one-shot: the response, checked against its schema, and its raw bytes.
fn one_shot(request: &Value) -> (Response, Vec<u8>) {
    assert_valid("request.schema.json", request);
    let out = run(&[], &serde_json::to_vec(request).unwrap());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr, "");
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid("response.schema.json", &value);
    (serde_json::from_value(value).unwrap(), out.stdout)
}

/// The text of line `n` (1-based) of `content`.
fn line(content: &str, n: u32) -> &str {
    content.lines().nth(n as usize - 1).unwrap()
}

#[test]
fn describe_answers_a_valid_model_scope_worker() {
    let out = run(&["--forge-describe"], b"");
    assert!(out.status.success());
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid("describe.schema.json", &value);
    assert_eq!(value["name"], "md-docs");
    assert_eq!(value["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(value["scope"], "model");
    assert_eq!(value["capabilities"], json!(["worker"]));
    assert_eq!(value["options"]["additionalProperties"], false);
    assert_eq!(
        value["options"]["properties"]["expressions"]["default"],
        true
    );
}

#[test]
fn the_post_page_documents_fields_relations_keys_and_access() {
    let ir = blog_ir();
    let (response, _) = one_shot(&request(&ir, "Post", json!({"project": "Blog"})));
    assert!(
        response.diagnostics.is_empty(),
        "{:?}",
        response.diagnostics
    );
    let [file] = response.files.as_slice() else {
        panic!("one file: {:?}", response.files)
    };
    assert_eq!(file.path, "docs/post.md");
    let page = file.content.as_str();
    for expected in [
        "# Post\n\nPart of the *Blog* data model.\n",
        "- Table: `post`\n",
        "| `title` | string(200) | no |  | length 1 to 200 |  |\n",
        "| `slug` | string(200) | no |  | length at most 200; matches `^[a-z0-9-]+$` |  |\n",
        "| `status` | PostStatus | no | `draft` |  |  |\n",
        "| `reading_minutes` | integer | yes |  | 1 to 600 |  |\n",
        "| `author_id` | uuid | no |  |  | key of `author` ([User](user.md)) |\n",
        "- `PostStatus`: `draft`, `review`, `published`, `archived`, in this order\n",
        "| `comments` | has many | [Comment](comment.md) | the `Comment` rows whose `post` is this row |\n",
        "deleting the `User` clears `reviewer_id`",
        "- Index `post_metadata_idx`: `metadata` (GIN on PostgreSQL)\n",
        "- `post_published_has_date_check`: `status` is not `published`, or `published_at` is set\n",
        "### Read\n\n- the row's `tenant_id` is the user's tenant\n- policy `read`: `status` is `published`, or `author_id` is the user's id, or the user has role `editor`, or the user has role `admin`\n",
        "  - role `member`, when `status` is `draft`\n    - as written: `record.status == 'draft'`\n",
        "for every `c` in `comments`, `c.status` is `spam` (true when there is none)",
        "- before create: `slugify` from `hooks/post.ts`\n",
    ] {
        assert!(page.contains(expected), "no {expected:?} in:\n{page}");
    }
    assert!(page.ends_with("`hooks/post.ts`\n"), "{page}");

    // Every field's row is explained by that field, and each rule's lines by the rule.
    let post = ir.model("Post").unwrap();
    for field in &post.fields {
        let row = format!("| `{}` |", field.name);
        let origin = file
            .origins
            .iter()
            .find(|o| {
                o.field.as_ref() == Some(&field.name) && line(page, o.lines[0]).starts_with(&row)
            })
            .unwrap_or_else(|| panic!("no origin for the row of {}", field.name));
        assert_eq!(origin.lines[0], origin.lines[1]);
        assert_eq!(origin.model.as_deref(), Some("Post"));
    }
    let read = file
        .origins
        .iter()
        .find(|o| o.element.as_deref() == Some("policy:read"))
        .unwrap();
    assert!(line(page, read.lines[0]).starts_with("- policy `read`: "));
    assert!(line(page, read.lines[1]).starts_with("  - as written: `record.status"));
    let member_create = file
        .origins
        .iter()
        .find(|o| o.element.as_deref() == Some("permission:create:1"))
        .unwrap();
    assert_eq!(
        line(page, member_create.lines[0]),
        "  - role `member`, when `status` is `draft`"
    );
    // The whole page comes from the model.
    let lines = page.lines().count() as u32;
    assert!(
        file.origins
            .iter()
            .any(|o| o.lines == [1, lines] && o.field.is_none())
    );
}

#[test]
fn options_change_the_page_and_bad_options_are_an_error_diagnostic() {
    let ir = blog_ir();
    let (terse, _) = one_shot(&request(&ir, "Tag", json!({"expressions": false})));
    let page = &terse.files[0].content;
    assert!(!page.contains("as written"), "{page}");
    assert!(!page.contains("Part of the"), "{page}");
    assert!(page.contains(
        "- policy `delete`: there is no `p` in `posts` such that `p.status` is `published`\n"
    ));

    let (bad, _) = one_shot(&request(&ir, "Tag", json!({"colour": "blue"})));
    assert!(bad.files.is_empty());
    let [d] = bad.diagnostics.as_slice() else {
        panic!("{:?}", bad.diagnostics)
    };
    assert_eq!(d.severity, DiagnosticSeverity::Error);
    assert_eq!(d.model.as_deref(), Some("Tag"));
    assert!(
        d.message.contains("unknown field `colour`"),
        "{}",
        d.message
    );
}

#[test]
fn sensitive_fields_of_models_anyone_may_read_are_warned_about() {
    let ir = blog_ir();
    // In the blog, reading users needs a role: no warning.
    let (guarded, _) = one_shot(&request(&ir, "User", json!({})));
    assert!(guarded.diagnostics.is_empty(), "{:?}", guarded.diagnostics);
    let page = &guarded.files[0].content;
    assert!(
        page.contains("- Sensitive fields: `email` (pii), `phone` (pii), `api_key` (secret)\n")
    );
    assert!(page.contains("| **pii**, resides in `eu` |\n"), "{page}");

    // Without its read permission, every user of the tenant may read them.
    let mut open = ir.clone();
    let user = open.models.iter_mut().find(|m| m.name == "User").unwrap();
    user.permissions
        .retain(|p| p.action != forge_plugin::Action::Read);
    let (warned, _) = one_shot(&request(&open, "User", json!({})));
    let fields: Vec<(&str, DiagnosticSeverity)> = warned
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.model.as_deref(), Some("User"));
            (d.field.as_deref().unwrap(), d.severity)
        })
        .collect();
    let warning = DiagnosticSeverity::Warning;
    assert_eq!(
        fields,
        [("email", warning), ("phone", warning), ("api_key", warning)]
    );
    assert!(
        warned.diagnostics[2]
            .message
            .starts_with("`User.api_key` is marked secret, and every user of its tenant may read")
    );
    assert_eq!(warned.files.len(), 1, "a warning still writes the page");
}

#[test]
fn input_that_is_not_a_request_fails_the_plugin() {
    let out = run(&[], b"{\"protocol\": 1, \"generator\": \"md-docs\"}");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("md-docs: the request on standard input is not a valid request"),
        "{stderr}"
    );
}

/// A worker session: each request is written and its answer read before the next is sent, so
/// an answer that is not flushed at once fails the test (after a minute) instead of passing.
fn worker_session(frames: &[Value]) -> Vec<u8> {
    let mut child = Command::new(PLUGIN)
        .arg("--forge-worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for answer in stdout.lines() {
            if tx.send(answer.unwrap()).is_err() {
                return;
            }
        }
    });
    let mut transcript = Vec::new();
    for frame in frames {
        assert_valid("worker-request.schema.json", frame);
        let mut bytes = serde_json::to_vec(frame).unwrap();
        bytes.push(b'\n');
        stdin.write_all(&bytes).unwrap();
        stdin.flush().unwrap();
        let answer = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the worker answers each request at once");
        transcript.extend_from_slice(answer.as_bytes());
        transcript.push(b'\n');
    }
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success(), "the worker ends when its input does");
    transcript
}

#[test]
fn a_worker_answers_three_requests_with_their_ids_and_the_one_shot_bytes() {
    let ir = blog_ir();
    let models = ["Post", "Comment", "Subscription"];
    let frames: Vec<Value> = models
        .iter()
        .zip([41, 7, 1000])
        .map(|(model, id)| {
            let mut frame = request(&ir, model, json!({}));
            frame["id"] = json!(id);
            frame
        })
        .collect();
    let transcript = worker_session(&frames);
    let answers: Vec<Value> = String::from_utf8(transcript.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 3);
    for ((answer, model), id) in answers.iter().zip(models).zip([41, 7, 1000]) {
        assert_valid("worker-response.schema.json", answer);
        assert_eq!(answer["id"], id);
        // The same answer as one-shot.
        let (single, _) = one_shot(&request(&ir, model, json!({})));
        let mut without_id = answer.clone();
        without_id.as_object_mut().unwrap().remove("id");
        assert_eq!(without_id, serde_json::to_value(single).unwrap(), "{model}");
    }
    let comment = answers[1]["files"][0]["content"].as_str().unwrap();
    assert!(
        comment.contains("| `ip_address` | string(45) | yes |  | length at most 45 | **pii** |\n")
    );
    let subscription = answers[2]["files"][0]["content"].as_str().unwrap();
    assert!(subscription.contains(
        "### Delete\n\n- the row's `tenant_id` is the user's tenant\n- policy `all`: `subscriber_id` is the user's id, or the user has role `admin`\n"
    ), "{subscription}");
    assert!(subscription.contains("`renews_on` is missing, or `renews_on` is after `started_on`"));

    // Deterministic: a second session gives the same bytes.
    assert_eq!(worker_session(&frames), transcript);
}

#[test]
fn one_shot_output_is_deterministic() {
    let ir = blog_ir();
    for model in ir.models.iter().map(|m| m.name.clone()) {
        let request = request(&ir, &model, json!({"project": "Blog"}));
        let (_, first) = one_shot(&request);
        let (_, second) = one_shot(&request);
        assert_eq!(first, second, "{model}");
    }
}
