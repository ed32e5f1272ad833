//! Running a plugin process once: a clean environment (`PATH` and what forge.kdl passes on), the
//! project's folder as working directory, the request on standard input, standard output read up
//! to the size limit, the tail of standard error kept for the report, and the whole run inside the
//! time limit. A process that overruns either limit is killed with its process group.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use forge_frontend::config::GeneratorConfig;

use super::failure::FailureKind;

/// How much of standard error a failure report shows.
pub(crate) const STDERR_TAIL: usize = 2048;

/// The command of `generator` with `extra` arguments, ready to spawn: clean environment, the
/// project's folder as working directory, its own process group.
pub(crate) fn command(root: &Path, generator: &GeneratorConfig, extra: &[&str]) -> Command {
    let mut cmd = Command::new(&generator.command[0]);
    cmd.args(&generator.command[1..])
        .args(extra)
        .current_dir(root)
        .env_clear()
        .env(
            "PATH",
            std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()),
        )
        .envs(&generator.env);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    cmd
}

/// What a finished one-shot run gave.
pub(crate) struct Finished {
    pub stdout: Vec<u8>,
}

/// A failed run: why, and the tail of its standard error.
pub(crate) struct Failed {
    pub kind: FailureKind,
    pub stderr: String,
}

/// Runs `cmd` once with `input` on standard input, within `timeout` and `max_output`.
pub(crate) fn run_once(
    mut cmd: Command,
    input: Vec<u8>,
    timeout: Duration,
    max_output: u64,
) -> Result<Finished, Failed> {
    let deadline = Instant::now() + timeout;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Failed {
            kind: FailureKind::Spawn(e.to_string()),
            stderr: String::new(),
        })?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // A plugin that never reads its input must not block forge: write from a thread, and ignore a
    // closed pipe (the exit status tells what happened).
    let writer = std::thread::spawn(move || {
        shield_sigpipe();
        let _ = stdin.write_all(&input);
    });
    let stderr = tail_reader(child.stderr.take().expect("stderr is piped"));
    let (tx, rx) = mpsc::channel();
    let mut stdout = child.stdout.take().expect("stdout is piped");
    std::thread::spawn(move || {
        let _ = tx.send(read_limited(&mut stdout, max_output));
    });

    let fail = |child: &mut Child, kind: FailureKind, stderr: StderrTail| {
        kill(child);
        Failed {
            kind,
            stderr: stderr.finish(),
        }
    };
    let output = match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(())) => return Err(fail(&mut child, FailureKind::Overflow(max_output), stderr)),
        Err(_) => return Err(fail(&mut child, FailureKind::Timeout(timeout), stderr)),
    };
    // Standard output is closed; the process should be ending.
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Ok(None) => return Err(fail(&mut child, FailureKind::Timeout(timeout), stderr)),
            Err(e) => return Err(fail(&mut child, FailureKind::Spawn(e.to_string()), stderr)),
        }
    };
    let _ = writer.join();
    if !status.success() {
        return Err(Failed {
            kind: FailureKind::Exit(describe_status(status)),
            stderr: stderr.finish(),
        });
    }
    Ok(Finished { stdout: output })
}

/// Makes a write to a plugin's closed input fail with an error on this thread, instead of
/// raising SIGPIPE, which the `forge` binary leaves at its default (ending the process) so that
/// `forge ... | head` ends quietly. The signal is blocked for this thread only, and never
/// unblocked: a pending SIGPIPE here is harmless.
pub(crate) fn shield_sigpipe() {
    #[cfg(unix)]
    // SAFETY: sigemptyset/sigaddset fill a local set; pthread_sigmask changes only this thread's
    // mask. None of them has memory-safety preconditions beyond valid pointers, which these are.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// Reads `reader` to its end, or fails once it has given more than `limit` bytes.
pub(crate) fn read_limited(reader: &mut impl Read, limit: u64) -> Result<Vec<u8>, ()> {
    let mut out = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok(out),
            Ok(n) => {
                if out.len() as u64 + n as u64 > limit {
                    return Err(());
                }
                out.extend_from_slice(&buf[..n]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Ok(out),
        }
    }
}

/// Standard error, read on its own thread, of which the last [`STDERR_TAIL`] bytes are kept.
pub(crate) struct StderrTail(std::thread::JoinHandle<Vec<u8>>);

impl StderrTail {
    /// The kept text, waiting at most a moment for the stream to end.
    pub fn finish(self) -> String {
        let deadline = Instant::now() + Duration::from_millis(200);
        while !self.0.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        if !self.0.is_finished() {
            return String::new();
        }
        let bytes = self.0.join().unwrap_or_default();
        String::from_utf8_lossy(&bytes).trim_end().to_string()
    }
}

pub(crate) fn tail_reader(mut stream: impl Read + Send + 'static) -> StderrTail {
    StderrTail(std::thread::spawn(move || {
        let mut tail: Vec<u8> = Vec::new();
        let mut buf = [0u8; 8 * 1024];
        loop {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    tail.extend_from_slice(&buf[..n]);
                    if tail.len() > 2 * STDERR_TAIL {
                        tail.drain(..tail.len() - STDERR_TAIL);
                    }
                }
            }
        }
        if tail.len() > STDERR_TAIL {
            tail.drain(..tail.len() - STDERR_TAIL);
        }
        tail
    }))
}

/// Kills the process and everything it started (its process group), and reaps it.
pub(crate) fn kill(child: &mut Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals the process group the child leads (it was
        // started with process_group(0)); it has no memory-safety preconditions.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn describe_status(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("it was killed by signal {signal}");
        }
    }
    match status.code() {
        Some(code) => format!("it exited with status {code}"),
        None => "it exited abnormally".into(),
    }
}
