//! Worker mode: a generator that lists the `worker` capability is started with `--forge-worker`
//! and serves newline-delimited requests, each with an id, answering each with the same id. A
//! pool keeps at most one worker per build thread; a worker that fails in any way (dies, hangs,
//! floods, answers the wrong id, prints something that is not a response) is killed, and the next
//! request starts a fresh one. A worker found dead when a request is sent to it is restarted once,
//! transparently.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use forge_frontend::config::GeneratorConfig;
use forge_schemas::{Request, Response, WorkerRequest, WorkerResponse};

use super::failure::FailureKind;
use super::process::{STDERR_TAIL, command, kill, shield_sigpipe};

/// The argument that starts a worker.
pub(crate) const WORKER_FLAG: &str = "--forge-worker";

/// The workers of one generator during one build.
pub(crate) struct WorkerPool {
    root: PathBuf,
    generator: GeneratorConfig,
    idle: Mutex<Vec<Worker>>,
    next_id: AtomicU64,
}

/// A failed request: why, and the tail of the worker's standard error.
pub(crate) struct WorkerFailure {
    pub kind: FailureKind,
    pub stderr: String,
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<Result<Vec<u8>, ()>>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl Worker {
    fn start(root: &std::path::Path, generator: &GeneratorConfig) -> Result<Worker, WorkerFailure> {
        let mut child = command(root, generator, &[WORKER_FLAG])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| WorkerFailure {
                kind: FailureKind::Spawn(e.to_string()),
                stderr: String::new(),
            })?;
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, lines) = mpsc::channel();
        let limit = generator.max_output;
        std::thread::spawn(move || read_lines(BufReader::new(stdout), limit, tx));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = stderr.clone();
        let mut err = child.stderr.take().expect("stderr is piped");
        std::thread::spawn(move || {
            let mut buf = [0u8; 8 * 1024];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut tail = sink.lock().unwrap();
                tail.extend_from_slice(&buf[..n]);
                if tail.len() > 2 * STDERR_TAIL {
                    let cut = tail.len() - STDERR_TAIL;
                    tail.drain(..cut);
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            lines,
            stderr,
        })
    }

    fn stderr_tail(&self) -> String {
        // Give the stderr reader a moment to catch up with a worker that just failed.
        std::thread::sleep(Duration::from_millis(20));
        let tail = self.stderr.lock().unwrap();
        let start = tail.len().saturating_sub(STDERR_TAIL);
        String::from_utf8_lossy(&tail[start..])
            .trim_end()
            .to_string()
    }

    fn fail(mut self, kind: FailureKind) -> WorkerFailure {
        kill(&mut self.child);
        WorkerFailure {
            stderr: self.stderr_tail(),
            kind,
        }
    }
}

/// Sends each line of `stdout` (without its newline), or `Err` once a line passes `limit` bytes;
/// the channel closes when the worker's output ends.
fn read_lines(mut stdout: impl BufRead, limit: u64, tx: mpsc::Sender<Result<Vec<u8>, ()>>) {
    loop {
        let mut line = Vec::new();
        let mut reader = (&mut stdout).take(limit + 1);
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {
                if line.last() == Some(&b'\n') {
                    line.pop();
                } else if line.len() as u64 > limit {
                    let _ = tx.send(Err(()));
                    return;
                }
                if tx.send(Ok(line)).is_err() {
                    return;
                }
            }
        }
    }
}

impl WorkerPool {
    pub fn new(root: PathBuf, generator: GeneratorConfig) -> Self {
        WorkerPool {
            root,
            generator,
            idle: Mutex::new(Vec::new()),
            next_id: AtomicU64::new(1),
        }
    }

    /// Sends `request` to an idle worker (or a new one) and waits for its response.
    pub fn call(&self, request: &Request) -> Result<Response, WorkerFailure> {
        let reused = self.idle.lock().unwrap().pop();
        let fresh = reused.is_none();
        let worker = match reused {
            Some(worker) => worker,
            None => Worker::start(&self.root, &self.generator)?,
        };
        match self.exchange(worker, request) {
            Err(Retry::Dead(_)) if !fresh => {
                // The worker died while idle: start a new one, once.
                let worker = Worker::start(&self.root, &self.generator)?;
                self.exchange(worker, request).map_err(Retry::into_failure)
            }
            other => other.map_err(Retry::into_failure),
        }
    }

    fn exchange(&self, mut worker: Worker, request: &Request) -> Result<Response, Retry> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let frame = WorkerRequest {
            id,
            request: request.clone(),
        };
        let mut line = serde_json::to_vec(&frame).expect("requests serialize");
        line.push(b'\n');
        shield_sigpipe();
        if worker
            .stdin
            .write_all(&line)
            .and_then(|()| worker.stdin.flush())
            .is_err()
        {
            return Err(Retry::Dead(worker.fail(FailureKind::Exit(
                "its worker process is gone (it closed its input)".into(),
            ))));
        }
        let timeout = Duration::from_millis(self.generator.timeout_ms);
        let answer = match worker.lines.recv_timeout(timeout) {
            Ok(Ok(answer)) => answer,
            Ok(Err(())) => {
                let limit = self.generator.max_output;
                return Err(Retry::Failed(worker.fail(FailureKind::Overflow(limit))));
            }
            Err(RecvTimeoutError::Timeout) => {
                return Err(Retry::Failed(worker.fail(FailureKind::Timeout(timeout))));
            }
            Err(RecvTimeoutError::Disconnected) => {
                let status = worker.child.wait().ok();
                let how = match status.and_then(|s| s.code()) {
                    Some(code) => {
                        format!("its worker process exited with status {code} before answering")
                    }
                    None => "its worker process ended before answering".into(),
                };
                return Err(Retry::Dead(worker.fail(FailureKind::Exit(how))));
            }
        };
        let response: WorkerResponse = match serde_json::from_slice(&answer) {
            Ok(r) => r,
            Err(e) => {
                return Err(Retry::Failed(
                    worker.fail(FailureKind::InvalidJson(e.to_string())),
                ));
            }
        };
        if response.id != id {
            return Err(Retry::Failed(worker.fail(FailureKind::Protocol(format!(
                "its worker answered request {id} with id {}",
                response.id
            )))));
        }
        self.idle.lock().unwrap().push(worker);
        Ok(response.response)
    }
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        for mut worker in self.idle.lock().unwrap().drain(..) {
            kill(&mut worker.child);
        }
    }
}

/// How an exchange failed: the worker was already dead (worth one retry), or it failed.
enum Retry {
    Dead(WorkerFailure),
    Failed(WorkerFailure),
}

impl Retry {
    fn into_failure(self) -> WorkerFailure {
        match self {
            Retry::Dead(f) | Retry::Failed(f) => f,
        }
    }
}
