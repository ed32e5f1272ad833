//! Running a database client: SQL on standard input, output and errors captured.

use std::io::Write;
use std::process::{Command, Stdio};

/// What a client printed when it succeeded.
pub(crate) struct Output {
    pub stdout: String,
}

/// Runs `command` with `input` on its standard input. On failure the error holds the exit status
/// and everything the client printed (both clients print the failing statement).
pub(crate) fn run(mut command: Command, input: &str) -> Result<Output, String> {
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run `{program}`: {e} (is the client installed?)"))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_string();
    // Written from another thread: a client may fill its output pipe before it reads all input.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("`{program}` failed to run: {e}"))?;
    let written = writer.join().expect("the writer thread does not panic");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(format!(
            "`{program}` failed ({}):\n{}{}",
            output.status,
            stderr.trim_end(),
            tail(&stdout)
        ));
    }
    written.map_err(|e| format!("could not write to `{program}`: {e}"))?;
    Ok(Output { stdout })
}

/// Standard output after the error, when there is any.
fn tail(stdout: &str) -> String {
    if stdout.trim().is_empty() {
        String::new()
    } else {
        format!("\n-- output:\n{}", stdout.trim_end())
    }
}
