//! The IR of an example project, for the tests that need a real one.

use std::fs;
use std::path::{Path, PathBuf};

use forge_schemas::Ir;

/// Parses and validates every `.kdl` file under `examples/<name>/schema` and returns the IR.
pub fn example_ir(name: &str) -> Ir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    let mut paths: Vec<PathBuf> = fs::read_dir(root.join("schema"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "kdl"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "examples/{name} has no schema files");
    let parsed: Vec<_> = paths
        .iter()
        .map(|path| {
            let rel = path.strip_prefix(&root).unwrap().to_string_lossy();
            let text = fs::read_to_string(path).unwrap();
            let (file, syntax_errors) = forge_frontend::parse_file(&rel, &text);
            assert!(syntax_errors.is_empty(), "{rel}: {syntax_errors:?}");
            file
        })
        .collect();
    let refs: Vec<_> = parsed.iter().collect();
    let validated = forge_frontend::validate(&refs);
    validated
        .ir
        .unwrap_or_else(|| panic!("examples/{name}: {:?}", validated.diagnostics))
}
