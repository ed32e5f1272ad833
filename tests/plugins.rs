//! Generator plugins as real processes: the Python example on the blog, a rogue's gallery of
//! plugins that crash, hang, flood, lie about ids or paths, and `forge plugin test`; plus built-in
//! generators run as plugin processes. Needs `python3`.

mod support;

use support::{TestProject, nodes, repo};

/// The tiny fixture with `tests/fixtures/plugins/rogue.py` and the given generator blocks.
fn rogue_project(generators: &str) -> TestProject {
    let p = TestProject::fixture("tiny");
    p.write(
        "plugins/rogue.py",
        &std::fs::read_to_string(repo().join("tests/fixtures/plugins/rogue.py")).unwrap(),
    );
    let config = p.read("forge.kdl");
    p.write("forge.kdl", &format!("{config}{generators}"));
    p
}

fn blog_with_py_models() -> TestProject {
    let p = TestProject::fixture("blog");
    p.write(
        "plugins/py_models.py",
        &std::fs::read_to_string(repo().join("examples/plugins/py_models.py")).unwrap(),
    );
    let config = p.read("forge.kdl");
    p.write(
        "forge.kdl",
        &format!(
            "{config}generator py-models {{\n  command python3 \"plugins/py_models.py\"\n  scope model\n  out \"python\"\n  options {{ package \"blog_models\" }}\n  env PYTHONHASHSEED=\"0\"\n}}\n"
        ),
    );
    p
}

#[test]
fn a_python_plugin_builds_each_model_caches_and_explains() {
    let p = blog_with_py_models();
    let first = p.build();
    let executed = nodes(&first, "executed_nodes");
    assert!(
        executed.contains(&"gen:py-models:Post".to_string()),
        "{executed:?}"
    );
    let post = p.read("generated/python/post.py");
    assert!(
        post.contains("@dataclass(frozen=True)\nclass Post:"),
        "{post}"
    );
    assert!(post.contains("# package: blog_models"), "{post}");
    // Every generated module is valid Python.
    let check = std::process::Command::new("python3")
        .args(["-m", "py_compile"])
        .args(
            std::fs::read_dir(p.path().join("generated/python"))
                .unwrap()
                .map(|e| e.unwrap().path()),
        )
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // Nothing changed: nothing runs, and no plugin process starts.
    assert_eq!(p.executed(), Vec::<String>::new());
    // A line of a plugin's file leads back to the schema.
    let line = post
        .lines()
        .position(|l| l.starts_with("    title:"))
        .unwrap()
        + 1;
    let explain = p.forge(&[
        "explain",
        &format!("generated/python/post.py:{line}"),
        "--json",
    ]);
    assert_eq!(explain.code, 0, "{}", explain.stderr);
    let json = explain.json();
    assert_eq!(json["node"], "gen:py-models:Post");
    assert_eq!(json["generator"], "py-models");
    assert_eq!(json["version"], "1.0.0");
    assert!(
        json["inputs"]["command:plugins/py_models.py"].is_string(),
        "{json}"
    );
    assert_eq!(json["line"]["field"], "title");
    assert_eq!(json["line"]["source"]["file"], "schema/content.kdl");
    assert!(
        json["line"]["source"]["text"]
            .as_str()
            .unwrap()
            .trim_start()
            .starts_with("title "),
        "{json}"
    );
}

#[test]
fn rogue_plugins_fail_by_name_and_nothing_of_theirs_is_written_or_cached() {
    let p = rogue_project(
        r#"
generator good { command python3 "plugins/rogue.py" ok }
generator good-worker { command python3 "plugins/rogue.py" ok worker }
generator crash { command python3 "plugins/rogue.py" crash }
generator crash-worker { command python3 "plugins/rogue.py" crash worker }
generator exit { command python3 "plugins/rogue.py" exit }
generator hang { command python3 "plugins/rogue.py" hang; timeout "1s" }
generator hang-worker { command python3 "plugins/rogue.py" hang worker; timeout "1s" }
generator invalid-json { command python3 "plugins/rogue.py" invalid-json }
generator absolute { command python3 "plugins/rogue.py" absolute }
generator dotdot { command python3 "plugins/rogue.py" dotdot }
generator symlink { command python3 "plugins/rogue.py" symlink; out "rogue-symlink" }
generator flood { command python3 "plugins/rogue.py" flood; max-output "1MiB" }
generator wrong-id { command python3 "plugins/rogue.py" wrong-id }
generator bad-describe { command python3 "plugins/rogue.py" bad-describe }
"#,
    );
    let run = p.forge(&["build", "--keep-going", "--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let summary = run.json();
    let mut failed = nodes(&summary, "failed_nodes");
    failed.sort();
    let mut expected = vec!["gen:bad-describe".to_string()];
    for rogue in [
        "absolute",
        "crash",
        "crash-worker",
        "dotdot",
        "exit",
        "flood",
        "hang",
        "hang-worker",
        "invalid-json",
        "symlink",
        "wrong-id",
    ] {
        for model in ["Account", "Note"] {
            expected.push(format!("gen:{rogue}:{model}"));
        }
    }
    expected.sort();
    assert_eq!(failed, expected);

    // Each failure names the plugin, says what went wrong, and shows its stderr.
    let stderr = &run.stderr;
    for needle in [
        "generator `crash` failed: it exited with status 1",
        "RuntimeError: rogue plugin crashed on Account",
        "generator `crash-worker` failed: its worker process exited with status 1 before answering",
        "generator `exit` failed: it exited with status 3",
        "rogue: giving up on Note",
        "generator `hang` failed: it ran longer than its time limit of 1s and was stopped",
        "generator `hang-worker` failed: it ran longer than its time limit of 1s",
        "generator `invalid-json` failed: its answer is not valid",
        "generator `absolute` failed: it answered a file path it may not write, `/tmp/rogue-account.txt`: it is absolute",
        "generator `dotdot` failed: it answered a file path it may not write, `../../escaped-note.txt`: it climbs out with `..`",
        "generator `symlink` failed: its file `through/account.txt` would be written through the symbolic link `through`",
        "generator `flood` failed: it wrote more than its output limit of 1048576 bytes",
        "generator `wrong-id` failed: its worker answered request",
        "generator `bad-describe` failed: its answer is not valid: its describe answer: missing field `version`",
        "request: model Account",
        "command: python3 plugins/rogue.py crash",
    ] {
        assert!(stderr.contains(needle), "missing `{needle}` in:\n{stderr}");
    }

    // The good plugins and the SQL still built and were written; nothing of the rogues was.
    assert_eq!(p.read("generated/good/account.txt"), "model Account\n");
    assert_eq!(p.read("generated/good-worker/note.txt"), "model Note\n");
    assert!(p.path().join("generated/sql/postgres/schema.sql").exists());
    let mut written: Vec<String> = summary["written"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "good-worker/account.txt",
            "good-worker/note.txt",
            "good/account.txt",
            "good/note.txt",
            "sql/mysql/schema.sql",
            "sql/postgres/schema.sql",
            "sql/sqlite/schema.sql"
        ]
    );
    assert!(!std::path::Path::new("/tmp/rogue-account.txt").exists());
    assert!(!p.path().join("escaped-note.txt").exists());
    assert!(!p.path().parent().unwrap().join("account.txt").exists());

    // Nothing of theirs was cached: the next build runs them again (and they fail again), while
    // everything else is found in the cache.
    let again = p.forge(&["build", "--keep-going", "--json"]).json();
    let mut failed_again = nodes(&again, "failed_nodes");
    failed_again.sort();
    assert_eq!(failed_again, expected);
    assert_eq!(nodes(&again, "executed_nodes"), Vec::<String>::new());

    // Without --keep-going the build stops, and still exits 1.
    assert_eq!(p.forge(&["build"]).code, 1);
}

#[test]
fn a_worker_that_exits_is_restarted() {
    let p =
        rogue_project("generator brief { command python3 \"plugins/rogue.py\" one-and-done }\n");
    // One build thread: the second model's request goes to the worker that already exited.
    let run = p.forge(&["build", "-j", "1", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(p.read("generated/brief/account.txt"), "model Account\n");
    assert_eq!(p.read("generated/brief/note.txt"), "model Note\n");
}

#[test]
fn an_error_diagnostic_from_a_plugin_points_at_the_schema() {
    let p = rogue_project(
        "generator picky { command python3 \"plugins/rogue.py\" error-diagnostic }\n",
    );
    let run = p.forge(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error[forge::plugin-error]: generator `picky`: cannot handle this field"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("schema/notes.kdl:3:3"),
        "{}",
        run.stderr
    );
    assert!(!p.path().join("generated/picky").exists());
}

#[test]
fn forge_plugin_test_passes_a_deterministic_plugin_and_fails_the_others() {
    let p = rogue_project(
        r#"
generator good { command python3 "plugins/rogue.py" ok worker }
generator random { command python3 "plugins/rogue.py" random }
generator dotdot { command python3 "plugins/rogue.py" dotdot }
"#,
    );
    let good = p.forge(&["plugin", "test", "good"]);
    assert_eq!(good.code, 0, "{}", good.stderr);
    assert!(
        good.stderr
            .contains("generator `good` passed: 2 requests, 2 files, identical in two runs"),
        "{}",
        good.stderr
    );
    let random = p.forge(&["plugin", "test", "random", "--json"]);
    assert_eq!(random.code, 1);
    let report = random.json();
    assert_eq!(
        report["problems"][0],
        "model Account: the two runs answered differently (first in `account.txt`, line 2)"
    );
    let dotdot = p.forge(&["plugin", "test", "dotdot"]);
    assert_eq!(dotdot.code, 1);
    assert!(
        dotdot.stderr.contains("it climbs out with `..`"),
        "{}",
        dotdot.stderr
    );
    let unknown = p.forge(&["plugin", "test", "nope"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown
            .stderr
            .contains("forge.kdl has no generator `nope`; it has: good, random, dotdot"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn built_in_generators_give_the_same_bytes_as_plugin_processes() {
    let p = TestProject::fixture("blog");
    p.build();
    let ir = forge_testkit::example_ir("blog");
    for (name, path) in [
        ("sql/postgres", "generated/sql/postgres/schema.sql"),
        ("sql/sqlite", "generated/sql/sqlite/schema.sql"),
        ("sql/mysql", "generated/sql/mysql/schema.sql"),
        ("rls", "generated/rls/policies.sql"),
    ] {
        let request = serde_json::json!({
            "protocol": 1,
            "generator": name,
            "options": {},
            "scope": {"kind": "project"},
            "ir": ir,
        });
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_forge"))
            .args(["generator", "run", name])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(
            child.stdin.as_mut().unwrap(),
            &serde_json::to_vec(&request).unwrap(),
        )
        .unwrap();
        drop(child.stdin.take());
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{name}");
        let response: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(
            response["files"][0]["content"].as_str().unwrap(),
            p.read(path),
            "{name}"
        );
    }
    let describe = p.forge(&["generator", "run", "rls", "--forge-describe"]);
    let describe: serde_json::Value = serde_json::from_str(&describe.stdout).unwrap();
    assert_eq!(describe["protocol"], 1);
    assert_eq!(describe["scope"], "project");
}

#[test]
fn a_per_model_plugin_reruns_only_what_its_inputs_touch() {
    let files = forge_synth::project(200, 10);
    let p = TestProject::from_files(&files);
    p.write(
        "plugins/rogue.py",
        &std::fs::read_to_string(repo().join("tests/fixtures/plugins/rogue.py")).unwrap(),
    );
    let config = p.read("forge.kdl");
    p.write(
        "forge.kdl",
        &format!("{config}generator echo {{ command python3 \"plugins/rogue.py\" ok worker }}\n"),
    );
    let first = p.build();
    let plugin_nodes = |list: &[String]| -> Vec<String> {
        list.iter()
            .filter(|n| n.starts_with("gen:echo"))
            .cloned()
            .collect()
    };
    assert_eq!(plugin_nodes(&nodes(&first, "executed_nodes")).len(), 200);

    // One field added to one model: exactly that model's plugin node.
    let model = 137;
    let edited = forge_synth::with_added_field(&files, model);
    let file = forge_synth::model_file(&files, model);
    let content = &edited.iter().find(|(path, _)| path == file).unwrap().1;
    p.write(file, content);
    let name = forge_synth::model_name(model);
    assert_eq!(plugin_nodes(&p.executed()), [format!("gen:echo:{name}")]);

    // A comment-only edit of a schema file: only its parse node.
    let text = p.read(file);
    p.write(file, &format!("// a comment\n{text}"));
    assert_eq!(p.executed(), [format!("parse:{file}")]);

    // Its out folder moved: all of its nodes run (their files' paths change), and the files move.
    let config = p.read("forge.kdl");
    p.write(
        "forge.kdl",
        &config.replace("ok worker }", "ok worker; out \"moved\" }"),
    );
    let executed = p.executed();
    assert_eq!(plugin_nodes(&executed).len(), 200, "{executed:?}");
    assert!(
        p.path()
            .join(format!("generated/moved/{}.txt", name.to_lowercase()))
            .exists()
    );
    assert!(!p.path().join("generated/echo").exists());

    // The plugin's script changed: all of its nodes, and nothing else.
    let script = p.read("plugins/rogue.py");
    p.write("plugins/rogue.py", &format!("{script}\n# a new version\n"));
    let executed = p.executed();
    assert_eq!(executed.len(), 200, "{executed:?}");
    assert_eq!(plugin_nodes(&executed), executed);
}
