//! [`GuardRunner`]: a generated `guards.ts`, compiled once, answering many questions through one
//! Node process (`guard_runner.mjs`, reading JSON lines), so that tests over many cases, and
//! differential tests, pay for the compiler and Node once.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use super::{run_tsc, scratch_dir};

/// The runner script, next to the compiled `guards.js`.
const RUNNER: &str = include_str!("guard_runner.mjs");

/// The compiler options guards are built with: strict, ES2020, no DOM.
pub const TSC_OPTIONS: [&str; 8] = [
    "--strict",
    "--target",
    "es2020",
    "--module",
    "es2020",
    "--lib",
    "es2020",
    "--skipLibCheck",
];

/// A compiled `guards.ts` and the Node process that runs it.
pub struct GuardRunner {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl GuardRunner {
    /// Compiles `guards_ts` with `tsc` ([`TSC_OPTIONS`]) in a fresh folder and starts Node on it.
    /// Panics with the compiler's diagnostics when it does not compile. The folder is removed
    /// once Node has loaded the module.
    pub fn new(guards_ts: &str) -> GuardRunner {
        let dir = scratch_dir("guards");
        let write = |name: &str, text: &str| {
            std::fs::write(dir.join(name), text)
                .unwrap_or_else(|e| panic!("could not write {name}: {e}"));
        };
        write("guards.ts", guards_ts);
        write("package.json", "{\"type\": \"module\"}\n");
        write("runner.mjs", RUNNER);
        let mut args = TSC_OPTIONS.to_vec();
        args.extend(["--outDir", ".", "guards.ts"]);
        if let Err(e) = run_tsc(&dir, &args) {
            let _ = std::fs::remove_dir_all(&dir);
            panic!("guards.ts does not compile:\n{e}");
        }
        let mut child = Command::new("node")
            .arg("runner.mjs")
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("could not run `node`: {e} (is Node.js installed?)"));
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut runner = GuardRunner {
            child,
            stdin: Some(stdin),
            stdout,
        };
        let ready = runner.read_line();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(ready, "ready", "the guard runner did not start");
        runner
    }

    /// May `identity` do `action` (`read`, `create`, `update`, `delete`) on `record` of `model`?
    /// `after` is the row after an update. Every argument but the names is JSON text.
    pub fn check(
        &mut self,
        model: &str,
        action: &str,
        identity: &str,
        record: &str,
        after: Option<&str>,
    ) -> bool {
        self.ask("guards", model, action, identity, record, after)
    }

    /// May `identity` do `action` on the link `row` of join table `table` (JSON text, with the
    /// declaring model's row under the model's name)?
    pub fn check_join(&mut self, table: &str, action: &str, identity: &str, row: &str) -> bool {
        self.ask("joinGuards", table, action, identity, row, None)
    }

    fn ask(
        &mut self,
        table: &str,
        name: &str,
        action: &str,
        identity: &str,
        record: &str,
        after: Option<&str>,
    ) -> bool {
        let mut line = format!(
            "{{\"table\":{},\"name\":{},\"action\":{},\"user\":{},\"record\":{}",
            json_string(table),
            json_string(name),
            json_string(action),
            one_line(identity),
            one_line(record)
        );
        if let Some(after) = after {
            line.push_str(&format!(",\"after\":{}", one_line(after)));
        }
        line.push_str("}\n");
        let stdin = self.stdin.as_mut().expect("the runner's input is open");
        stdin
            .write_all(line.as_bytes())
            .and_then(|()| stdin.flush())
            .unwrap_or_else(|e| panic!("could not write to the guard runner: {e}"));
        match self.read_line().as_str() {
            "true" => true,
            "false" => false,
            other => panic!("{name}.{action}: {other}\nquestion: {line}"),
        }
    }

    fn read_line(&mut self) -> String {
        let mut line = String::new();
        let n = self
            .stdout
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("could not read from the guard runner: {e}"));
        if n == 0 {
            let status = self.child.wait().map(|s| s.to_string());
            panic!("the guard runner stopped ({status:?}); its errors are above");
        }
        line.trim_end().to_string()
    }
}

impl Drop for GuardRunner {
    fn drop(&mut self) {
        // Closing its input ends the runner.
        self.stdin.take();
        let _ = self.child.wait();
    }
}

/// JSON text on one line: outside strings a line break is only whitespace, and inside them it is
/// always escaped.
fn one_line(json: &str) -> String {
    json.replace(['\n', '\r'], " ")
}

/// `s` as a JSON string.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_are_one_json_line() {
        assert_eq!(json_string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\u000ad\"");
        assert_eq!(one_line("{\n  \"a\": 1\r\n}"), "{   \"a\": 1  }");
    }
}
