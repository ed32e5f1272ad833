//! The `generator` block of forge.kdl: a generator plugin, run as a separate process.
//!
//! ```kdl
//! generator py-models {
//!   command python3 "plugins/py_models.py"
//!   scope model
//!   out "python"
//!   options { package "blog_models" }
//!   env PYTHONHASHSEED="0"
//!   timeout "30s"
//!   max-output "64MiB"
//! }
//! ```

use std::collections::BTreeMap;

use forge_schemas::ScopeKind;
use kdl::{KdlDocument, KdlNode, KdlValue};
use serde::{Deserialize, Serialize};

use super::{Cx, parse_size, parse_with_unit};

/// Names a generator may not take: the built-in targets and the folders they write.
pub const RESERVED_GENERATOR_NAMES: [&str; 12] = [
    "sql",
    "rls",
    "guards",
    "typescript",
    "services",
    "routes",
    "openapi",
    "client",
    "react",
    "erd",
    "migrations",
    "sandbox",
];

/// The default time limit of one request, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u64 = 60_000;
/// The default limit on one response's size, in bytes.
pub const DEFAULT_MAX_OUTPUT: u64 = 256 << 20;

/// A `generator` block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratorConfig {
    /// Its name in this project: node ids are `gen:<name>[:<Model>]`.
    pub name: String,
    /// The program and its arguments, run in the project's folder.
    pub command: Vec<String>,
    /// The scope forge.kdl expects; it must match what the plugin describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<ScopeKind>,
    /// Its folder below the out folder.
    pub out: String,
    /// Handed to the plugin as JSON (an object).
    pub options: serde_json::Value,
    /// The environment it gets besides `PATH`.
    pub env: BTreeMap<String, String>,
    pub timeout_ms: u64,
    pub max_output: u64,
}

impl Cx<'_> {
    pub(super) fn generator(&mut self, node: &KdlNode) -> Option<GeneratorConfig> {
        let name = self.single_string(node)?;
        let name_at = node.entries()[0].span();
        let mut ok = true;
        if !valid_name(&name) {
            self.error(
                name_at,
                "forge::config-generator-name",
                format!("`{name}` is not a valid generator name"),
                "invalid name",
                Some("use lowercase letters, digits and `-`, starting with a letter, e.g. `py-models`".into()),
            );
            ok = false;
        } else if RESERVED_GENERATOR_NAMES.contains(&name.as_str()) {
            self.error(
                name_at,
                "forge::config-generator-name",
                format!("`{name}` is the name of a built-in target"),
                "taken by forge",
                Some(format!(
                    "choose another name; these are reserved: {}",
                    RESERVED_GENERATOR_NAMES.join(", ")
                )),
            );
            ok = false;
        }
        self.no_props(node);
        let Some(children) = node.children() else {
            self.error(
                node.span(),
                "forge::config-missing",
                format!("generator `{name}` has no block"),
                "expected `{ command ... }`",
                Some(format!(
                    "write `generator {name} {{ command python3 \"plugins/{name}.py\" }}`"
                )),
            );
            return None;
        };
        let mut config = GeneratorConfig {
            name: name.clone(),
            command: Vec::new(),
            scope: None,
            out: name.clone(),
            options: serde_json::Value::Object(Default::default()),
            env: BTreeMap::new(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_output: DEFAULT_MAX_OUTPUT,
        };
        let mut seen: Vec<String> = Vec::new();
        for child in children.nodes() {
            let kind = child.name().value().to_string();
            if seen.contains(&kind) {
                self.error(
                    child.name().span(),
                    "forge::config-duplicate",
                    format!("`{kind}` is given twice in generator `{name}`"),
                    "second time",
                    Some(format!("keep one `{kind}` line")),
                );
                ok = false;
                continue;
            }
            seen.push(kind.clone());
            match kind.as_str() {
                "command" => {
                    self.no_props(child);
                    self.no_children(child);
                    for entry in self.args(child) {
                        match self.string_value(entry) {
                            Some(word) => config.command.push(word),
                            None => ok = false,
                        }
                    }
                    if config.command.is_empty() {
                        self.error(
                            child.span(),
                            "forge::config-value",
                            "`command` needs the program to run".into(),
                            "missing value",
                            Some("write e.g. `command python3 \"plugins/gen.py\"`".into()),
                        );
                        ok = false;
                    }
                }
                "scope" => {
                    self.no_props(child);
                    self.no_children(child);
                    match self.single_string(child).as_deref() {
                        Some("model") => config.scope = Some(ScopeKind::Model),
                        Some("project") => config.scope = Some(ScopeKind::Project),
                        Some(other) => {
                            self.error(
                                child.entries()[0].span(),
                                "forge::config-value",
                                format!("unknown scope `{other}`"),
                                "expected model or project",
                                Some("write `scope model` or `scope project`".into()),
                            );
                            ok = false;
                        }
                        None => ok = false,
                    }
                }
                "out" => {
                    self.no_props(child);
                    self.no_children(child);
                    match self.single_string(child) {
                        Some(dir) => match self.relative_path(&child.entries()[0], &dir) {
                            Some(dir) => config.out = dir.trim_end_matches('/').to_string(),
                            None => ok = false,
                        },
                        None => ok = false,
                    }
                }
                "options" => {
                    self.no_args(child);
                    self.no_props(child);
                    match child.children() {
                        Some(block) => match self.options(block) {
                            Some(options) => config.options = options,
                            None => ok = false,
                        },
                        None => config.options = serde_json::Value::Object(Default::default()),
                    }
                }
                "env" => {
                    self.no_args(child);
                    self.no_children(child);
                    for entry in child.entries() {
                        let Some(key) = entry.name() else { continue };
                        match self.string_value(entry) {
                            Some(value) => {
                                config.env.insert(key.value().to_string(), value);
                            }
                            None => ok = false,
                        }
                    }
                }
                "timeout" | "max-output" => {
                    self.no_props(child);
                    self.no_children(child);
                    let Some(text) = self.single_string(child) else {
                        ok = false;
                        continue;
                    };
                    let parsed = if kind == "timeout" {
                        parse_duration_ms(&text)
                    } else {
                        parse_size(&text)
                    };
                    match parsed {
                        Some(0) | None => {
                            let example = if kind == "timeout" {
                                "\"30s\", \"500ms\" or \"2m\""
                            } else {
                                "\"64MiB\""
                            };
                            self.error(
                                child.entries()[0].span(),
                                "forge::config-value",
                                format!("`{text}` is not a valid {kind}"),
                                "not understood",
                                Some(format!("write a positive value such as {example}")),
                            );
                            ok = false;
                        }
                        Some(n) if kind == "timeout" => config.timeout_ms = n,
                        Some(n) => config.max_output = n,
                    }
                }
                other => {
                    self.error(
                        child.name().span(),
                        "forge::config-unknown-node",
                        format!("unknown node `{other}` in generator `{name}`"),
                        "not understood",
                        Some(
                            "a generator knows: command, scope, out, options, env, timeout, max-output"
                                .into(),
                        ),
                    );
                    ok = false;
                }
            }
        }
        if !seen.iter().any(|k| k == "command") {
            self.error(
                node.name().span(),
                "forge::config-missing",
                format!("generator `{name}` has no `command`"),
                "expected `command ...`",
                Some("add e.g. `command python3 \"plugins/gen.py\"` to the block".into()),
            );
            ok = false;
        }
        ok.then_some(config)
    }

    /// An `options` block as a JSON object: a node with one argument is a value, with several an
    /// array, with a block an object.
    fn options(&mut self, block: &KdlDocument) -> Option<serde_json::Value> {
        let mut object = serde_json::Map::new();
        let mut ok = true;
        for node in block.nodes() {
            let key = node.name().value().to_string();
            if object.contains_key(&key) {
                self.error(
                    node.name().span(),
                    "forge::config-duplicate",
                    format!("option `{key}` is given twice"),
                    "second time",
                    None,
                );
                ok = false;
                continue;
            }
            self.no_props(node);
            let args = self.args(node);
            let value = match (node.children(), args.as_slice()) {
                (Some(children), []) => self.options(children),
                (None, [one]) => Some(json_value(one.value())),
                (None, many) if many.len() > 1 => Some(serde_json::Value::Array(
                    many.iter().map(|e| json_value(e.value())).collect(),
                )),
                _ => {
                    self.error(
                        node.span(),
                        "forge::config-value",
                        format!("option `{key}` needs one value, several values, or a block"),
                        "not understood",
                        Some(format!("write e.g. `{key} \"value\"`")),
                    );
                    None
                }
            };
            match value {
                Some(value) => {
                    object.insert(key, value);
                }
                None => ok = false,
            }
        }
        ok.then_some(serde_json::Value::Object(object))
    }
}

fn json_value(value: &KdlValue) -> serde_json::Value {
    match value {
        KdlValue::String(s) => serde_json::Value::String(s.clone()),
        KdlValue::Integer(i) => match i64::try_from(*i) {
            Ok(n) => serde_json::Value::from(n),
            Err(_) => serde_json::Value::String(i.to_string()),
        },
        KdlValue::Float(f) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        KdlValue::Bool(b) => serde_json::Value::Bool(*b),
        KdlValue::Null => serde_json::Value::Null,
    }
}

/// Lowercase letters, digits and `-`, starting with a letter.
fn valid_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `30s`, `500ms`, `2m`.
pub fn parse_duration_ms(text: &str) -> Option<u64> {
    parse_with_unit(text, &[("ms", 1), ("s", 1_000), ("m", 60_000)])
}

#[cfg(test)]
mod tests {
    use crate::config::parse_config;

    use super::*;

    #[test]
    fn a_generator_block_parses() {
        let text = r#"
project blog
schema "schema/*.kdl"
generator py-models {
  command python3 "plugins/py_models.py"
  scope model
  out "python"
  options {
    package "blog_models"
    flags "a" "b"
    nested { depth 2; on #true }
  }
  env PYTHONHASHSEED="0"
  timeout "30s"
  max-output "64MiB"
}
"#;
        let (config, _, diags) = parse_config("forge.kdl", text);
        assert!(diags.is_empty(), "{diags:?}");
        let g = &config.unwrap().generators[0];
        assert_eq!(g.name, "py-models");
        assert_eq!(g.command, ["python3", "plugins/py_models.py"]);
        assert_eq!(g.scope, Some(ScopeKind::Model));
        assert_eq!(g.out, "python");
        assert_eq!(
            g.options,
            serde_json::json!({"package": "blog_models", "flags": ["a", "b"], "nested": {"depth": 2, "on": true}})
        );
        assert_eq!(g.env["PYTHONHASHSEED"], "0");
        assert_eq!(g.timeout_ms, 30_000);
        assert_eq!(g.max_output, 64 << 20);
    }

    #[test]
    fn bad_generator_blocks_are_errors() {
        let text = r#"
project blog
schema "schema/*.kdl"
generator sql { command "x" }
generator Bad { command "x" }
generator a { scope galaxy; timeout "soon"; out "../x"; colour "red" }
generator b { command "x" }
generator b { command "y" }
generator c { command "x"; out "shared" }
generator d { command "x"; out "shared/inner" }
"#;
        let (config, _, diags) = parse_config("forge.kdl", text);
        assert!(config.is_none());
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "forge::config-generator-name",
                "forge::config-generator-name",
                "forge::config-value",
                "forge::config-value",
                "forge::config-path",
                "forge::config-unknown-node",
                "forge::config-missing",
                "forge::config-duplicate",
                "forge::config-generator-out",
            ]
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("30s"), Some(30_000));
        assert_eq!(parse_duration_ms("250ms"), Some(250));
        assert_eq!(parse_duration_ms("2m"), Some(120_000));
        assert_eq!(parse_duration_ms("soon"), None);
    }
}
