//! `forge plugin test <generator>`.

use forge_engine::Project;

use crate::cli::PluginCommand;
use crate::exit;

pub fn run(project: &Project, command: &PluginCommand) -> anyhow::Result<u8> {
    let PluginCommand::Test { generator, json } = command;
    let report = forge_engine::plugin_test(project, generator)?;
    if *json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if report.passed() {
        eprintln!(
            "generator `{}` passed: {} requests, {} files, identical in two runs",
            report.generator, report.requests, report.files
        );
    } else {
        for problem in &report.problems {
            eprintln!("error: {problem}");
        }
        eprintln!(
            "generator `{}` failed its test: {} problems",
            report.generator,
            report.problems.len()
        );
    }
    Ok(if report.passed() { 0 } else { exit::FAILED })
}
