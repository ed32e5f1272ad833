//! `forge generator run <name>`: a built-in generator as a plugin process.

use std::io::Read;

use anyhow::{Context, bail};

use crate::cli::GeneratorCommand;

pub fn run(command: &GeneratorCommand) -> anyhow::Result<u8> {
    let GeneratorCommand::Run { name, describe } = command;
    let Some(described) = forge_engine::builtin_describe(name) else {
        bail!(
            "no built-in generator `{name}`; built-ins: {}",
            forge_engine::BUILTIN_GENERATORS.join(", ")
        );
    };
    if *describe {
        println!("{}", serde_json::to_string(&described)?);
        return Ok(0);
    }
    let mut input = Vec::new();
    std::io::stdin()
        .read_to_end(&mut input)
        .context("cannot read the request on standard input")?;
    let request: forge_schemas::Request =
        serde_json::from_slice(&input).context("the request is not valid")?;
    let response = forge_engine::run_builtin(name, &request).map_err(anyhow::Error::msg)?;
    println!("{}", serde_json::to_string(&response)?);
    Ok(0)
}
