//! Finding and loading a project: the nearest forge.kdl, its config, and the schema files its
//! globs name (sorted, as paths relative to forge.kdl with `/` separators).

use std::path::{Path, PathBuf};

use forge_frontend::config::ProjectConfig;

use crate::error::EngineError;

/// The project file's name.
pub const PROJECT_FILE: &str = "forge.kdl";

/// A project on disk: its root folder and forge.kdl's text. The config itself is the output of the
/// `config` node.
#[derive(Clone, Debug)]
pub struct Project {
    /// The folder holding forge.kdl.
    pub root: PathBuf,
    pub config_text: String,
}

impl Project {
    /// The project whose forge.kdl is in `start` or the nearest folder above it.
    pub fn discover(start: &Path) -> Result<Project, EngineError> {
        let start = std::path::absolute(start).map_err(|e| EngineError::io(start, e))?;
        let mut dir = Some(start.as_path());
        while let Some(d) = dir {
            if d.join(PROJECT_FILE).is_file() {
                return Project::open(d);
            }
            dir = d.parent();
        }
        Err(EngineError::NoProject { start })
    }

    /// The project in `root` (which must hold forge.kdl).
    pub fn open(root: &Path) -> Result<Project, EngineError> {
        let path = root.join(PROJECT_FILE);
        let config_text = std::fs::read_to_string(&path).map_err(|e| EngineError::io(&path, e))?;
        Ok(Project {
            root: root.to_path_buf(),
            config_text,
        })
    }

    /// The cache folder the config names.
    pub fn cache_dir(&self, config: &ProjectConfig) -> PathBuf {
        self.root.join(&config.cache_dir)
    }

    /// The out folder the config names.
    pub fn out_dir(&self, config: &ProjectConfig) -> PathBuf {
        self.root.join(&config.out)
    }

    /// The schema files matched by the config's globs, relative to the root, sorted, each once.
    /// A pattern that matches nothing is reported by name.
    pub fn schema_files(&self, config: &ProjectConfig) -> Result<Vec<String>, EngineError> {
        let mut files = std::collections::BTreeSet::new();
        for pattern in &config.schema {
            let full = self.root.join(pattern);
            let full = full
                .to_str()
                .ok_or_else(|| EngineError::Invalid(format!("path {pattern} is not UTF-8")))?;
            let escaped = glob::Pattern::escape(&self.root.to_string_lossy());
            let relative_pattern = full[self.root.to_string_lossy().len()..].to_string();
            let entries = glob::glob(&format!("{escaped}{relative_pattern}")).map_err(|e| {
                EngineError::Invalid(format!("bad schema pattern `{pattern}` in forge.kdl: {e}"))
            })?;
            let mut matched = false;
            for entry in entries {
                let path = entry.map_err(|e| {
                    let path = e.path().to_path_buf();
                    EngineError::io(path, e.into())
                })?;
                if path.is_file() {
                    let rel = path
                        .strip_prefix(&self.root)
                        .expect("glob results lie under the root");
                    let rel: Vec<String> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    files.insert(rel.join("/"));
                    matched = true;
                }
            }
            if !matched {
                return Err(EngineError::Invalid(format!(
                    "schema pattern `{pattern}` in forge.kdl matches no file\n  help: check the path; it is relative to {}",
                    PROJECT_FILE
                )));
            }
        }
        Ok(files.into_iter().collect())
    }

    /// The project's IR, straight from its schema files (no cache), for the commands that need
    /// it outside a build (`forge plugin test`, `forge migrate`).
    pub(crate) fn compile_ir(
        &self,
        config: &ProjectConfig,
    ) -> Result<forge_schemas::Ir, EngineError> {
        let files = self.schema_files(config)?;
        let mut parsed = Vec::with_capacity(files.len());
        for file in &files {
            let path = self.root.join(file);
            let text = std::fs::read_to_string(&path).map_err(|e| EngineError::io(path, e))?;
            let (ast, diags) = forge_frontend::parse_file(file, &text);
            if diags.iter().any(forge_frontend::Diagnostic::is_error) {
                return Err(schema_errors());
            }
            parsed.push(ast);
        }
        let refs: Vec<_> = parsed.iter().collect();
        forge_frontend::validate(&refs).ir.ok_or_else(schema_errors)
    }
}

fn schema_errors() -> EngineError {
    EngineError::Invalid("the schema has errors; run `forge check` to see them".into())
}
