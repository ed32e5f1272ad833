//! What identifies a plugin's code in its keys: the digest of every file of the project its
//! command names (`python3 plugins/gen.py` -> `plugins/gen.py`), or, when it names none, the
//! digest of its executable. Never an absolute path: the same plugin script gives the same keys
//! on every machine, whatever `python3` is there.

use std::path::{Path, PathBuf};

use forge_frontend::config::GeneratorConfig;

/// Key inputs naming the plugin's code: `(input name, digest)`, sorted.
pub(crate) fn code_inputs(root: &Path, generator: &GeneratorConfig) -> Vec<(String, String)> {
    let mut inputs: Vec<(String, String)> = generator
        .command
        .iter()
        .filter_map(|word| project_file(root, word))
        .filter_map(|rel| {
            let bytes = std::fs::read(root.join(&rel)).ok()?;
            Some((format!("command:{rel}"), forge_cache::digest_bytes(&bytes)))
        })
        .collect();
    if inputs.is_empty() {
        let program = &generator.command[0];
        let name = Path::new(program)
            .file_name()
            .map_or_else(|| program.clone(), |n| n.to_string_lossy().into_owned());
        let digest = executable(root, program)
            .and_then(|path| std::fs::read(path).ok())
            .map_or_else(|| "missing".to_string(), |b| forge_cache::digest_bytes(&b));
        inputs.push((format!("executable:{name}"), digest));
    }
    inputs.sort();
    inputs.dedup();
    inputs
}

/// `word` as a path relative to the project, when it names a file inside it.
fn project_file(root: &Path, word: &str) -> Option<String> {
    let path = Path::new(word);
    let rel = if path.is_absolute() {
        path.strip_prefix(root).ok()?.to_path_buf()
    } else {
        path.to_path_buf()
    };
    if rel.components().any(|c| {
        !matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    }) {
        return None;
    }
    if !root.join(&rel).is_file() {
        return None;
    }
    let text = rel.to_string_lossy().replace('\\', "/");
    Some(text.trim_start_matches("./").to_string())
}

/// Where `program` is: a path (relative to the project), or the first match on `PATH`.
fn executable(root: &Path, program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let path = root.join(program);
        return path.is_file().then_some(path);
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generator(command: &[&str]) -> GeneratorConfig {
        GeneratorConfig {
            name: "g".into(),
            command: command.iter().map(|s| s.to_string()).collect(),
            scope: None,
            out: "g".into(),
            options: serde_json::json!({}),
            env: Default::default(),
            timeout_ms: 1000,
            max_output: 1000,
        }
    }

    #[test]
    fn a_script_in_the_project_is_named_by_its_relative_path_and_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("plugins")).unwrap();
        std::fs::write(dir.path().join("plugins/gen.py"), "print(1)").unwrap();
        let inputs = code_inputs(
            dir.path(),
            &generator(&["python3", "plugins/gen.py", "--x"]),
        );
        assert_eq!(
            inputs,
            [(
                "command:plugins/gen.py".to_string(),
                forge_cache::digest_bytes(b"print(1)")
            )]
        );
        // The same script in another folder gives the same inputs.
        let other = tempfile::tempdir().unwrap();
        std::fs::create_dir(other.path().join("plugins")).unwrap();
        std::fs::write(other.path().join("plugins/gen.py"), "print(1)").unwrap();
        assert_eq!(
            code_inputs(
                other.path(),
                &generator(&["python3", "./plugins/gen.py", "--x"])
            ),
            inputs
        );
    }

    #[test]
    fn without_a_project_file_the_executable_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = code_inputs(dir.path(), &generator(&["sh", "-c", "true"]));
        assert_eq!(inputs.len(), 1);
        assert_eq!(inputs[0].0, "executable:sh");
        assert_ne!(inputs[0].1, "missing");
        let missing = code_inputs(dir.path(), &generator(&["no-such-program-anywhere"]));
        assert_eq!(missing[0].1, "missing");
    }
}
