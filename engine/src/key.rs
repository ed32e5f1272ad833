//! Cache keys: a plain serializable struct, hashed with blake3 over its canonical JSON. It holds
//! the node's kind, the generator's identity, its options and the digests of its inputs, and
//! nothing else: no absolute path, user, host, time or environment. `forge build -v` prints it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// forge's own version: part of every built-in node's key, so a new forge never reuses an old
/// forge's outputs.
pub const FORGE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Everything a node's output depends on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyInputs {
    /// The node kind (`parse`, `gen:sql/postgres:model`, ...).
    pub kind: String,
    /// The generator (or built-in step) and its version.
    pub generator: String,
    pub version: String,
    /// The node's subject, when it has one (a file path relative to forge.kdl, a model name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Options, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// Input name -> digest.
    pub inputs: BTreeMap<String, String>,
}

impl KeyInputs {
    /// A key for a built-in step of this forge.
    pub fn builtin(kind: impl Into<String>, generator: impl Into<String>) -> Self {
        KeyInputs {
            kind: kind.into(),
            generator: generator.into(),
            version: FORGE_VERSION.into(),
            ..KeyInputs::default()
        }
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub fn option(mut self, name: &str, value: impl Into<String>) -> Self {
        self.options.insert(name.into(), value.into());
        self
    }

    pub fn input(mut self, name: impl Into<String>, digest: impl Into<String>) -> Self {
        self.inputs.insert(name.into(), digest.into());
        self
    }

    /// The key: blake3 of the canonical JSON.
    pub fn digest(&self) -> String {
        forge_schemas::digest_json(self)
    }

    /// The names of inputs (and options) whose values differ between `self` and `older`, for
    /// `--why-rebuilt`.
    pub fn changed_since(&self, older: &KeyInputs) -> Vec<String> {
        let mut changed = Vec::new();
        if self.version != older.version || self.generator != older.generator {
            changed.push(format!("generator {} {}", self.generator, self.version));
        }
        let names: std::collections::BTreeSet<&String> =
            self.inputs.keys().chain(older.inputs.keys()).collect();
        for name in names {
            if self.inputs.get(name) != older.inputs.get(name) {
                changed.push(name.clone());
            }
        }
        let options: std::collections::BTreeSet<&String> =
            self.options.keys().chain(older.options.keys()).collect();
        for name in options {
            if self.options.get(name) != older.options.get(name) {
                changed.push(format!("option {name}"));
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::KeyInputs;

    #[test]
    fn equal_inputs_give_equal_keys_and_any_change_changes_the_key() {
        let a = KeyInputs::builtin("parse", "parse")
            .subject("schema/a.kdl")
            .input("file", "d1");
        let b = KeyInputs::builtin("parse", "parse")
            .subject("schema/a.kdl")
            .input("file", "d1");
        let c = KeyInputs::builtin("parse", "parse")
            .subject("schema/a.kdl")
            .input("file", "d2");
        assert_eq!(a.digest(), b.digest());
        assert_ne!(a.digest(), c.digest());
        assert_eq!(c.changed_since(&a), ["file"]);
    }
}
