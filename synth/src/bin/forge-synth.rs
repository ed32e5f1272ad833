//! `forge-synth <models> <files> <dir>`: writes a synthetic forge project to `dir`.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: forge-synth <models> <files> <dir>\n\
                     \n\
                     Writes a deterministic synthetic forge project (forge.kdl and schema/part_NNN.kdl)\n\
                     with <models> models (Tenant included) spread over <files> files.\n\
                     \n\
                     example: forge-synth 200 20 /tmp/synth-200";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let [models, files, dir] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let (Ok(models), Ok(files)) = (models.parse::<usize>(), files.parse::<usize>()) else {
        eprintln!("forge-synth: <models> and <files> must be whole numbers\n\n{USAGE}");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    match forge_synth::write_project(&dir, models, files) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("forge-synth: cannot write {}: {err}", dir.display());
            ExitCode::from(1)
        }
    }
}
