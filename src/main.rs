//! The `forge` command line: argument parsing, output and exit codes. Everything else lives in
//! the library crates.

mod cli;
mod commands;
mod output;

use std::process::ExitCode;

/// mimalloc: a build makes and drops many small values (keys, JSON, SQL text); with it an
/// incremental build of 1,000 models spends markedly less time in the allocator than with the
/// system's. Its v2 line, because an edit build's resident memory is about a third smaller with
/// it than with v3, and fresh memory is slow to touch on virtual machines (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

/// Exit codes (project-and-cli.md): 0 success, 1 the work failed, 2 the command line was wrong
/// (clap's own code), 3 a check found a difference.
pub mod exit {
    pub const FAILED: u8 = 1;
    pub const DIFFERENT: u8 = 3;
}

fn main() -> ExitCode {
    restore_sigpipe();
    let args = cli::Cli::parse();
    match commands::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(exit::FAILED)
        }
    }
}

/// Rust ignores SIGPIPE, so writing to a closed pipe (`forge build --json | head`) would make
/// `println!` panic. Like other command-line tools, forge ends quietly instead.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to the default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
