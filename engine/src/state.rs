//! The build state: for every node of the last build, its key and what it produced. It is stored
//! as one blob per build (content-addressed, so an unchanged state costs nothing to store) and is
//! where the next build looks first, before the action table.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Node id -> what it produced.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildState {
    pub nodes: BTreeMap<String, NodeState>,
}

/// One node's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeState {
    /// The cache key it ran (or was found) under.
    pub key: String,
    /// The digest of its output: dependents' keys use this, so equal outputs stop the wave.
    pub output: String,
    /// The blob holding its value (an AST, the IR, a fragment), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Further blobs the value refers to (the IR behind validate's record).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    /// Files it puts in the out folder.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileOut>,
    /// Keys of the memoized parts of its work (sub-actions), kept alive with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subkeys: Vec<String>,
}

/// One artifact: a path relative to the out folder and the blob of its content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileOut {
    pub path: String,
    pub digest: String,
}

impl BuildState {
    /// Every action key and blob digest this state refers to (for `forge cache gc`).
    pub fn references(&self) -> (Vec<String>, Vec<String>) {
        let mut keys = Vec::with_capacity(self.nodes.len());
        let mut blobs = Vec::new();
        for node in self.nodes.values() {
            keys.push(node.key.clone());
            keys.extend(node.subkeys.iter().cloned());
            blobs.extend(node.value.iter().cloned());
            blobs.extend(node.refs.iter().cloned());
            blobs.extend(node.files.iter().map(|f| f.digest.clone()));
        }
        (keys, blobs)
    }
}
