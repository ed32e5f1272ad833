//! Node.js and the TypeScript compiler, for tests of generated TypeScript.
//!
//! The compiler is the project's own: `ci/node/package.json` pins it, and
//! `npm ci --prefix ci/node` (which `ci/test` runs) installs it under `ci/node/node_modules`.
//! Without it [`tsc`] panics with that command, so a test never skips silently. Node itself is
//! the `node` on the `PATH`.

mod guard_runner;

use std::path::{Path, PathBuf};
use std::process::Command;

pub use guard_runner::{GuardRunner, TSC_OPTIONS};

use crate::command::run;

/// `ci/node/node_modules/.bin/tsc`; panics when it is not installed.
pub fn tsc() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ci/node/node_modules/.bin/tsc");
    assert!(
        path.is_file(),
        "the TypeScript compiler is not installed at {}: run `npm ci --prefix ci/node`",
        path.display()
    );
    path
}

/// Runs `tsc` with `args` in `dir`; the error holds everything it printed (its diagnostics).
pub fn run_tsc(dir: &Path, args: &[&str]) -> Result<String, String> {
    let mut command = Command::new(tsc());
    command.current_dir(dir).args(args);
    run(command, "").map(|o| o.stdout)
}

/// Runs `node` with `args` in `dir`, `input` on its standard input; its standard output, or an
/// error with everything it printed.
pub fn run_node(dir: &Path, args: &[&str], input: &str) -> Result<String, String> {
    let mut command = Command::new("node");
    command.current_dir(dir).args(args);
    run(command, input).map(|o| o.stdout)
}

/// A fresh, empty folder under the system's temporary folder, named after `prefix`; the caller
/// removes it.
pub fn scratch_dir(prefix: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!(
        "forge-{prefix}-{}-{}-{nanos}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("could not create {}: {e}", dir.display()));
    dir
}
