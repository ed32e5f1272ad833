//! What a build reports: per node, whether it ran, was found in the cache, failed or was skipped;
//! for the build, the counts and lists that `forge build --json` prints.

use serde::Serialize;

use crate::key::KeyInputs;
use crate::outdir::OutChanges;

/// How a node ended in one build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// It ran (even if its output turned out identical).
    Executed,
    /// Its key was found in the cache.
    Cached,
    /// It ran and failed; nothing of it was cached or written.
    Failed,
    /// It did not run because an input failed or the build stopped.
    Skipped,
}

/// One node's report.
#[derive(Clone, Debug, Serialize)]
pub struct NodeReport {
    pub id: String,
    pub status: Status,
    /// Wall time of the node's own work, in microseconds (0 when cached).
    pub micros: u64,
    /// The key and what it was made of (for `-v`), when it got that far.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip)]
    pub key_inputs: Option<KeyInputs>,
}

/// The `--json` summary of a build.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub ok: bool,
    pub nodes: usize,
    pub executed: usize,
    pub cached: usize,
    pub failed: usize,
    pub skipped: usize,
    pub artifacts: usize,
    pub duration_ms: u64,
    pub executed_nodes: Vec<String>,
    pub failed_nodes: Vec<String>,
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub restored: Vec<String>,
}

impl Summary {
    pub fn new(
        ok: bool,
        reports: &[NodeReport],
        artifacts: usize,
        duration_ms: u64,
        changes: &OutChanges,
    ) -> Self {
        let ids = |status| {
            let mut v: Vec<String> = reports
                .iter()
                .filter(|r| r.status == status)
                .map(|r| r.id.clone())
                .collect();
            v.sort();
            v
        };
        let count = |status| reports.iter().filter(|r| r.status == status).count();
        Summary {
            ok,
            nodes: reports.len(),
            executed: count(Status::Executed),
            cached: count(Status::Cached),
            failed: count(Status::Failed),
            skipped: count(Status::Skipped),
            artifacts,
            duration_ms,
            executed_nodes: ids(Status::Executed),
            failed_nodes: ids(Status::Failed),
            written: changes.written.clone(),
            removed: changes.removed.clone(),
            restored: changes.restored.clone(),
        }
    }
}
