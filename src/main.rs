//! The `forge` command line: argument parsing, output and exit codes. Everything else lives in
//! the library crates.

mod cli;
mod commands;
mod output;

use std::process::ExitCode;

use clap::Parser;

/// Exit codes (project-and-cli.md): 0 success, 1 the work failed, 2 the command line was wrong
/// (clap's own code), 3 a check found a difference.
pub mod exit {
    pub const FAILED: u8 = 1;
    pub const DIFFERENT: u8 = 3;
}

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match commands::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(exit::FAILED)
        }
    }
}
