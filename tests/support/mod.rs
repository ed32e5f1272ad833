//! Drives the real `forge` binary on a copy of a fixture folder, and redacts what differs between
//! machines and runs (the temp folder, digests, timings) so outputs can be snapshotted.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A project in a temp folder.
pub struct TestProject {
    pub dir: tempfile::TempDir,
}

/// The repository's root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl TestProject {
    /// A copy of `examples/<name>` or `tests/fixtures/<name>` (without its generated files or cache).
    pub fn fixture(name: &str) -> TestProject {
        let src = [
            repo().join("examples").join(name),
            repo().join("tests/fixtures").join(name),
        ]
        .into_iter()
        .find(|p| p.join("forge.kdl").exists())
        .unwrap_or_else(|| panic!("no fixture {name}"));
        let project = TestProject::empty();
        copy_dir(&src, project.path());
        project
    }

    /// An empty folder.
    pub fn empty() -> TestProject {
        TestProject {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A project from (path, content) pairs.
    pub fn from_files(files: &[(String, String)]) -> TestProject {
        let project = TestProject::empty();
        for (path, content) in files {
            project.write(path, content);
        }
        project
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, content: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Runs `forge <args>` in the project folder.
    pub fn forge(&self, args: &[&str]) -> Run {
        Run::new(forge_in(self.path(), args, &[]))
    }

    /// Runs `forge <args>` in the project folder with the variables `env` set (`None`: unset).
    pub fn forge_env(&self, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
        Run::new(forge_in(self.path(), args, env))
    }

    /// `forge build --json`, asserting success; returns the summary.
    pub fn build(&self) -> serde_json::Value {
        let run = self.forge(&["build", "--json"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run.json()
    }

    /// The sorted list of nodes a `forge build --json` executed.
    pub fn executed(&self) -> Vec<String> {
        nodes(&self.build(), "executed_nodes")
    }
}

pub fn nodes(summary: &serde_json::Value, list: &str) -> Vec<String> {
    summary[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn forge_in(dir: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_forge"));
    command.args(args).current_dir(dir).env_remove("RUST_LOG");
    for (name, value) in env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    command.output().expect("forge runs")
}

/// One finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs `forge <args>` in `dir`.
    pub fn in_dir(dir: &Path, args: &[&str]) -> Run {
        Run::new(forge_in(dir, args, &[]))
    }

    fn new(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }
}

/// Replaces what differs between runs and machines: the project folder, 64-hex digests, timings.
pub fn redact(text: &str, project: &Path) -> String {
    let mut out = text.replace(&project.display().to_string(), "[PROJECT]");
    out = redact_hex(&out);
    let mut result = String::with_capacity(out.len());
    for line in out.lines() {
        result.push_str(&redact_timing(line));
        result.push('\n');
    }
    result
}

fn redact_hex(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            .count();
        if run >= 16 {
            out.push_str("[DIGEST]");
            i += run;
        } else {
            let ch = text[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn redact_timing(line: &str) -> String {
    for key in ["\"duration_ms\": ", "\"micros\": ", "\"built_at\": "] {
        if let Some(pos) = line.find(key) {
            let start = pos + key.len();
            let end = line[start..]
                .find(|c: char| !c.is_ascii_digit())
                .map(|e| start + e)
                .unwrap_or(line.len());
            return format!("{}0{}", &line[..start], &line[end..]);
        }
    }
    line.to_string()
}

pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "generated" || name == ".forge" {
            continue;
        }
        let from = entry.path();
        let to = dst.join(&name);
        if from.is_dir() {
            copy_dir(&from, &to);
        } else {
            std::fs::copy(&from, &to).unwrap();
        }
    }
}
