//! The engine's error type: failures of the machinery (I/O, cache, a project that cannot be found),
//! as opposed to problems in the user's schema, which are diagnostics.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("no forge.kdl in {start} or any folder above it")]
    NoProject { start: PathBuf },
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Cache(#[from] forge_cache::CacheError),
    #[error(
        "the cache is missing blob {digest} that {node} needs; run `forge cache gc` or delete the cache folder"
    )]
    MissingBlob { node: String, digest: String },
    #[error("cannot decode {what}: {source}")]
    Decode {
        what: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("cannot decode {what}: {source}")]
    DecodeParse {
        what: String,
        #[source]
        source: forge_frontend::DecodeError,
    },
    #[error(
        "refusing to overwrite {path}: forge did not create it\n  help: move the file away, or choose another `out` folder in forge.kdl"
    )]
    NotOwned { path: String },
    #[error("no artifact {0} in the last build; run `forge build` first, or check the path")]
    UnknownArtifact(String),
    #[error("nothing has been built yet in this project; run `forge build` first")]
    NoBuild,
    #[error("{0}")]
    Invalid(String),
}

impl EngineError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        EngineError::Io {
            path: path.into(),
            source,
        }
    }
}
