//! What can go wrong with a plugin, and the report forge prints: the plugin's name and command,
//! what it did wrong, the request that caused it, and the tail of its standard error.

use std::fmt;
use std::time::Duration;

/// What a plugin did wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FailureKind {
    /// It could not be started (or waited for).
    Spawn(String),
    /// It exited with an error status or was killed by a signal.
    Exit(String),
    /// It ran past its time limit.
    Timeout(Duration),
    /// It wrote more than its output limit.
    Overflow(u64),
    /// Its answer is not valid JSON of the expected message.
    InvalidJson(String),
    /// Its answer breaks the protocol (a bad path, a wrong id, a wrong version, ...).
    Protocol(String),
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailureKind::Spawn(e) => write!(f, "it could not be started: {e}"),
            FailureKind::Exit(how) => f.write_str(how),
            FailureKind::Timeout(limit) => write!(
                f,
                "it ran longer than its time limit of {} and was stopped",
                show_duration(*limit)
            ),
            FailureKind::Overflow(limit) => write!(
                f,
                "it wrote more than its output limit of {} bytes and was stopped",
                limit
            ),
            FailureKind::InvalidJson(e) => write!(f, "its answer is not valid: {e}"),
            FailureKind::Protocol(e) => f.write_str(e),
        }
    }
}

fn show_duration(d: Duration) -> String {
    if d.as_millis().is_multiple_of(1000) {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// A plugin failure, ready to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PluginFailure {
    /// The generator's name in forge.kdl.
    pub generator: String,
    /// Its command line as forge.kdl gives it.
    pub command: String,
    /// What was asked: `describe`, `model Post`, `project`.
    pub request: String,
    pub(crate) kind: FailureKind,
    /// The last lines of its standard error.
    pub stderr: String,
}

impl fmt::Display for PluginFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "generator `{}` failed: {}\n  command: {}\n  request: {}",
            self.generator, self.kind, self.command, self.request
        )?;
        if self.stderr.is_empty() {
            f.write_str("\n  stderr: (empty)")?;
        } else {
            f.write_str("\n  stderr (last lines):")?;
            for line in self.stderr.lines() {
                write!(f, "\n    {line}")?;
            }
        }
        Ok(())
    }
}
