//! IRs for tests, through the real front end: from schema text, from several files, or from a
//! folder of the repository (`examples/blog/schema`). Any error fails the test, with every
//! diagnostic; warnings are fine.

use std::path::{Path, PathBuf};

use forge_frontend::{Severity, parse_file, validate};
use forge_schemas::Ir;

/// The IR of one schema file (`schema/app.kdl`), which must be valid.
pub fn ir(kdl: &str) -> Ir {
    ir_of_files(&[("schema/app.kdl", kdl)])
}

/// The IR of several schema files, by path and text.
pub fn ir_of_files(files: &[(&str, &str)]) -> Ir {
    let parsed: Vec<_> = files
        .iter()
        .map(|(path, text)| {
            let (parsed, errors) = parse_file(path, text);
            assert!(errors.is_empty(), "{path}: {errors:?}");
            parsed
        })
        .collect();
    let refs: Vec<_> = parsed.iter().collect();
    let validated = validate(&refs);
    let errors: Vec<_> = validated
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    validated.ir.expect("a valid schema")
}

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("testkit lies in the repository")
        .to_path_buf()
}

/// The IR of the `*.kdl` files of `folder` (relative to the repository), named
/// `schema/<file>` as a project's forge.kdl would name them.
pub fn ir_of_folder(folder: &str) -> Ir {
    let dir = repo_root().join(folder);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "kdl"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("a schema file");
            let name = p
                .file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned();
            (format!("schema/{name}"), text)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{folder} holds no .kdl file");
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    ir_of_files(&refs)
}

/// The IR of `examples/<name>`.
pub fn example_ir(name: &str) -> Ir {
    ir_of_folder(&format!("examples/{name}/schema"))
}
