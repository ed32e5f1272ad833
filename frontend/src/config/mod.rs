//! `forge.kdl`, the project file: what to read, where to write, which targets to build.
//!
//! Unknown nodes, properties and targets are errors with a span, never ignored. Every path is
//! relative to forge.kdl's folder and may not climb out of it, so no absolute path of this machine
//! ever reaches a cache key.

mod generator;

use std::collections::BTreeSet;

use kdl::{KdlDocument, KdlEntry, KdlNode, KdlValue};
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Label, Severity, SourceLoc};
use crate::span::SpanTable;

pub use generator::{
    DEFAULT_MAX_OUTPUT, DEFAULT_TIMEOUT_MS, GeneratorConfig, RESERVED_GENERATOR_NAMES,
    parse_duration_ms,
};

/// The dialects the `sql` target knows.
pub const SQL_DIALECTS: [&str; 3] = ["postgres", "sqlite", "mysql"];

/// Targets the language brief names that this version of forge does not build yet: naming one is
/// an error that says so, rather than an "unknown target".
const PLANNED_TARGETS: [&str; 7] = [
    "typescript",
    "services",
    "routes",
    "openapi",
    "client",
    "react",
    "erd",
];

/// A parsed and checked `forge.kdl`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectConfig {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Glob patterns of schema files, relative to forge.kdl.
    pub schema: Vec<String>,
    /// The out folder, relative to forge.kdl.
    pub out: String,
    pub targets: Vec<Target>,
    /// Sandboxes to run (`sqlite` is always on).
    pub sandboxes: Vec<String>,
    /// `sandbox postgres url-env=NAME`: the environment variable that holds the server's URL
    /// (its value is read when the sandbox runs, and is part of no key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres_url_env: Option<String>,
    /// The cache folder, relative to forge.kdl.
    pub cache_dir: String,
    /// `max-size` of the cache in bytes, for `forge cache gc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_max_size: Option<u64>,
    /// Generator plugins, in the order forge.kdl gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub generators: Vec<GeneratorConfig>,
}

/// A `target` line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "target", rename_all = "snake_case")]
pub enum Target {
    /// `target sql dialects="postgres sqlite mysql"`.
    Sql { dialects: Vec<String> },
    /// `target rls`: PostgreSQL row-level security from the policies.
    Rls,
    /// `target guards for="typescript sqlite mysql"`: the same rules for the application, as a
    /// TypeScript guard module and parameterized SQL filters (`guards/`).
    Guards { kinds: Vec<String> },
    /// `target migrations dir="migrations"`: the committed migration history, checked against
    /// the schema on every build.
    Migrations { dir: String },
}

/// What the `guards` target can make.
pub const GUARD_KINDS: [&str; 3] = ["typescript", "sqlite", "mysql"];

/// Parses forge.kdl. The config is `None` when there is an error; the span table covers every
/// diagnostic's location.
pub fn parse_config(path: &str, text: &str) -> (Option<ProjectConfig>, SpanTable, Vec<Diagnostic>) {
    let mut spans = SpanTable::default();
    if let Some(diag) = crate::nesting::check_nesting(path, text, &mut spans) {
        return (None, spans, vec![diag]);
    }
    let mut cx = Cx {
        path,
        spans,
        diags: Vec::new(),
    };
    let doc = match KdlDocument::parse_v2(text) {
        Ok(doc) => doc,
        Err(err) => {
            for d in &err.diagnostics {
                let span = cx.spans.push(d.span.offset(), d.span.len());
                cx.diags.push(Diagnostic {
                    severity: Severity::Error,
                    code: "forge::kdl-syntax".into(),
                    message: d.message.clone().unwrap_or_else(|| "invalid KDL".into()),
                    primary: Some(Label {
                        loc: SourceLoc {
                            file: path.into(),
                            span,
                            inner: None,
                        },
                        text: d.label.clone().unwrap_or_else(|| "here".into()),
                    }),
                    related: Vec::new(),
                    help: d.help.clone(),
                });
            }
            return (None, cx.spans, cx.diags);
        }
    };
    let config = cx.project(&doc);
    let config = if cx.diags.iter().any(Diagnostic::is_error) {
        None
    } else {
        config
    };
    (config, cx.spans, cx.diags)
}

struct Cx<'a> {
    path: &'a str,
    spans: SpanTable,
    diags: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn error(
        &mut self,
        at: miette::SourceSpan,
        code: &str,
        message: String,
        label: &str,
        help: Option<String>,
    ) {
        let span = self.spans.push(at.offset(), at.len());
        self.diags.push(Diagnostic {
            severity: Severity::Error,
            code: code.into(),
            message,
            primary: Some(Label {
                loc: SourceLoc {
                    file: self.path.into(),
                    span,
                    inner: None,
                },
                text: label.into(),
            }),
            related: Vec::new(),
            help,
        });
    }

    fn project(&mut self, doc: &KdlDocument) -> Option<ProjectConfig> {
        let mut name = None;
        let mut version = None;
        let mut schema = Vec::new();
        let mut out = None;
        let mut targets = Vec::new();
        let mut sandboxes = BTreeSet::from(["sqlite".to_string()]);
        let mut postgres_url_env = None;
        let mut cache_dir = ".forge/cache".to_string();
        let mut cache_max_size = None;
        let mut generators: Vec<(GeneratorConfig, miette::SourceSpan)> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for node in doc.nodes() {
            let kind = node.name().value();
            if ["project", "out", "cache"].contains(&kind) {
                if seen.contains(&kind) {
                    self.error(
                        node.name().span(),
                        "forge::config-duplicate",
                        format!("`{kind}` is given twice in forge.kdl"),
                        "second time",
                        Some(format!("keep one `{kind}` line")),
                    );
                    continue;
                }
                seen.push(kind);
            }
            match kind {
                "project" => {
                    name = self.single_string(node);
                    for entry in self.props(node, &["version"]) {
                        version = self.string_value(entry);
                    }
                    self.no_children(node);
                }
                "schema" => {
                    for entry in self.args(node) {
                        if let Some(pattern) = self.string_value(entry)
                            && let Some(p) = self.relative_path(entry, &pattern)
                        {
                            schema.push(p);
                        }
                    }
                    self.no_props(node);
                    self.no_children(node);
                }
                "out" => {
                    if let Some(dir) = self.single_string(node) {
                        out = self.relative_path(&node.entries()[0], &dir);
                    }
                    self.no_props(node);
                    self.no_children(node);
                }
                "target" => {
                    if let Some(target) = self.target(node) {
                        if targets.iter().any(|t| same_kind(t, &target)) {
                            self.error(
                                node.span(),
                                "forge::config-duplicate",
                                "this target is given twice in forge.kdl".into(),
                                "second time",
                                Some("list every dialect in one line: target sql dialects=\"postgres sqlite\"".into()),
                            );
                        } else {
                            targets.push(target);
                        }
                    }
                }
                "sandbox" => {
                    if let Some(kind) = self.single_string(node) {
                        match kind.as_str() {
                            "sqlite" => self.no_props(node),
                            "postgres" => {
                                postgres_url_env = self.url_env(node);
                            }
                            other => {
                                self.error(
                                    node.entries()[0].span(),
                                    "forge::config-unknown-sandbox",
                                    format!("unknown sandbox `{other}`"),
                                    "unknown sandbox",
                                    Some("sandboxes: sqlite, postgres".into()),
                                );
                                self.no_props(node);
                            }
                        }
                        sandboxes.insert(kind);
                    }
                    self.no_children(node);
                }
                "cache" => {
                    self.no_args(node);
                    for entry in self.props(node, &["dir", "max-size"]) {
                        let key = entry
                            .name()
                            .map(|n| n.value().to_string())
                            .unwrap_or_default();
                        let Some(value) = self.string_value(entry) else {
                            continue;
                        };
                        if key == "dir" {
                            if let Some(p) = self.relative_path(entry, &value) {
                                cache_dir = p;
                            }
                        } else {
                            match parse_size(&value) {
                                Some(n) => cache_max_size = Some(n),
                                None => self.error(
                                    entry.span(),
                                    "forge::config-value",
                                    format!("`{value}` is not a size"),
                                    "expected a size",
                                    Some("write a size such as \"512MiB\" or \"2GiB\"".into()),
                                ),
                            }
                        }
                    }
                    if let Some(children) = node.children() {
                        for child in children.nodes() {
                            self.error(
                                child.span(),
                                "forge::config-not-available",
                                format!(
                                    "cache `{}` is not available in this version of forge",
                                    child.name().value()
                                ),
                                "planned",
                                Some("remove this node; the local cache is always on".into()),
                            );
                        }
                    }
                }
                "generator" => {
                    if let Some(generator) = self.generator(node) {
                        let at = node.entries()[0].span();
                        if generators.iter().any(|(g, _)| g.name == generator.name) {
                            self.error(
                                at,
                                "forge::config-duplicate",
                                format!("generator `{}` is declared twice", generator.name),
                                "second time",
                                Some("give each generator its own name".into()),
                            );
                        } else {
                            generators.push((generator, at));
                        }
                    }
                }
                other => {
                    let (code, message, help) = if ["sbom", "sign"].contains(&other) {
                        (
                            "forge::config-not-available",
                            format!("`{other}` is not available in this version of forge"),
                            "remove this node for now".to_string(),
                        )
                    } else {
                        (
                            "forge::config-unknown-node",
                            format!("unknown node `{other}` in forge.kdl"),
                            "forge.kdl knows: project, schema, out, target, sandbox, cache, generator"
                                .to_string(),
                        )
                    };
                    self.error(
                        node.name().span(),
                        code,
                        message,
                        "not understood",
                        Some(help),
                    );
                }
            }
        }
        let whole = doc.span();
        if name.is_none() {
            self.error(
                (whole.offset(), 0).into(),
                "forge::config-missing",
                "forge.kdl has no `project` node".into(),
                "expected `project <name>`",
                Some("add a line such as `project blog version=\"0.1.0\"`".into()),
            );
        }
        if schema.is_empty() {
            self.error(
                (whole.offset(), 0).into(),
                "forge::config-missing",
                "forge.kdl names no schema files".into(),
                "expected `schema \"<glob>\"`",
                Some("add a line such as `schema \"schema/*.kdl\"`".into()),
            );
        }
        self.generator_outs(&generators);
        Some(ProjectConfig {
            name: name?,
            version,
            schema,
            out: out.unwrap_or_else(|| "generated".into()),
            targets,
            sandboxes: sandboxes.into_iter().collect(),
            postgres_url_env,
            cache_dir,
            cache_max_size,
            generators: generators.into_iter().map(|(g, _)| g).collect(),
        })
    }

    /// Two generators may not share an out folder, nor nest one in the other, nor write into a
    /// built-in target's folder.
    fn generator_outs(&mut self, generators: &[(GeneratorConfig, miette::SourceSpan)]) {
        let inside = |a: &str, b: &str| a == b || a.starts_with(&format!("{b}/"));
        for (i, (g, at)) in generators.iter().enumerate() {
            let first = g.out.split('/').next().unwrap_or_default();
            if RESERVED_GENERATOR_NAMES.contains(&first) {
                self.error(
                    *at,
                    "forge::config-generator-out",
                    format!(
                        "generator `{}` would write into `{}`, a built-in target's folder",
                        g.name, g.out
                    ),
                    "out folder taken",
                    Some("give it an `out` folder of its own".into()),
                );
                continue;
            }
            if let Some((other, _)) = generators[..i]
                .iter()
                .find(|(o, _)| inside(&g.out, &o.out) || inside(&o.out, &g.out))
            {
                self.error(
                    *at,
                    "forge::config-generator-out",
                    format!(
                        "generators `{}` and `{}` would write into the same folder (`{}` and `{}`)",
                        other.name, g.name, other.out, g.out
                    ),
                    "out folder overlaps",
                    Some("give each generator an `out` folder of its own".into()),
                );
            }
        }
    }

    fn target(&mut self, node: &KdlNode) -> Option<Target> {
        let kind = self.single_string(node)?;
        self.no_children(node);
        match kind.as_str() {
            "rls" => {
                self.no_props(node);
                Some(Target::Rls)
            }
            "migrations" => {
                let mut dir = "migrations".to_string();
                for entry in self.props(node, &["dir"]) {
                    if let Some(value) = self.string_value(entry)
                        && let Some(path) = self.relative_path(entry, &value)
                    {
                        dir = path.trim_end_matches('/').to_string();
                    }
                }
                Some(Target::Migrations { dir })
            }
            "guards" => {
                let mut kinds: Vec<String> = GUARD_KINDS.iter().map(|k| k.to_string()).collect();
                for entry in self.props(node, &["for"]) {
                    let list = WordList {
                        known: &GUARD_KINDS,
                        code: "forge::config-value",
                        noun: "guard kind",
                        example: "for=\"typescript sqlite\"",
                    };
                    if let Some(chosen) = self.word_list(entry, &list) {
                        kinds = chosen;
                    }
                }
                Some(Target::Guards { kinds })
            }
            "sql" => {
                let mut dialects: Vec<String> =
                    SQL_DIALECTS.iter().map(|d| d.to_string()).collect();
                for entry in self.props(node, &["dialects"]) {
                    let list = WordList {
                        known: &SQL_DIALECTS,
                        code: "forge::config-unknown-dialect",
                        noun: "SQL dialect",
                        example: "dialects=\"postgres sqlite\"",
                    };
                    if let Some(chosen) = self.word_list(entry, &list) {
                        dialects = chosen;
                    }
                }
                Some(Target::Sql { dialects })
            }
            planned if PLANNED_TARGETS.contains(&planned) => {
                self.error(
                    node.entries()[0].span(),
                    "forge::config-not-available",
                    format!("target `{planned}` is not available in this version of forge"),
                    "planned",
                    Some("targets available now: sql, rls, guards, migrations".into()),
                );
                None
            }
            other => {
                self.error(
                    node.entries()[0].span(),
                    "forge::config-unknown-target",
                    format!("unknown target `{other}`"),
                    "unknown target",
                    Some("targets available now: sql, rls, guards, migrations".into()),
                );
                None
            }
        }
    }

    /// A space-separated list of the words `list.known` allows, each once, in `list.known`'s
    /// order. An unknown word is `list.code`; an empty list is `forge::config-value`. `None` when
    /// the value is not a string or the list is empty.
    fn word_list(&mut self, entry: &KdlEntry, list: &WordList<'_>) -> Option<Vec<String>> {
        let text = self.string_value(entry)?;
        let name = entry
            .name()
            .map(|n| n.value().to_string())
            .unwrap_or_default();
        let mut chosen: Vec<String> = Vec::new();
        for word in text.split_whitespace() {
            if !list.known.contains(&word) {
                self.error(
                    entry.span(),
                    list.code,
                    format!("unknown {} `{word}`", list.noun),
                    &format!("unknown {}", list.noun),
                    Some(format!("`{name}` takes: {}", list.known.join(", "))),
                );
            } else if !chosen.iter().any(|c| c == word) {
                chosen.push(word.to_string());
            }
        }
        if chosen.is_empty() {
            self.error(
                entry.span(),
                "forge::config-value",
                format!("`{name}` names no {}", list.noun),
                "empty",
                Some(format!("write for example {}", list.example)),
            );
            return None;
        }
        chosen.sort_by_key(|w| list.known.iter().position(|k| k == w));
        Some(chosen)
    }

    /// The node's one string argument (and no other argument).
    fn single_string(&mut self, node: &KdlNode) -> Option<String> {
        let args: Vec<&KdlEntry> = node
            .entries()
            .iter()
            .filter(|e| e.name().is_none())
            .collect();
        match args.as_slice() {
            [one] => self.string_value(one),
            [] => {
                self.error(
                    node.span(),
                    "forge::config-value",
                    format!("`{}` needs a value", node.name().value()),
                    "missing value",
                    None,
                );
                None
            }
            [_, extra, ..] => {
                self.error(
                    extra.span(),
                    "forge::config-value",
                    format!("`{}` takes one value", node.name().value()),
                    "unexpected",
                    None,
                );
                None
            }
        }
    }

    fn string_value(&mut self, entry: &KdlEntry) -> Option<String> {
        match entry.value() {
            KdlValue::String(s) => Some(s.clone()),
            _ => {
                self.error(
                    entry.span(),
                    "forge::config-value",
                    "expected a string".into(),
                    "not a string",
                    None,
                );
                None
            }
        }
    }

    fn relative_path(&mut self, entry: &KdlEntry, path: &str) -> Option<String> {
        let climbs = path.split(['/', '\\']).any(|part| part == "..");
        if path.starts_with('/')
            || path.starts_with('\\')
            || path.contains(':')
            || climbs
            || path.is_empty()
        {
            self.error(
                entry.span(),
                "forge::config-path",
                format!("`{path}` must be a relative path inside the project"),
                "not inside the project",
                Some("paths in forge.kdl are relative to its folder and may not use `..`".into()),
            );
            return None;
        }
        Some(path.trim_start_matches("./").to_string())
    }

    fn args<'n>(&mut self, node: &'n KdlNode) -> Vec<&'n KdlEntry> {
        node.entries()
            .iter()
            .filter(|e| e.name().is_none())
            .collect()
    }

    fn props<'n>(&mut self, node: &'n KdlNode, known: &[&str]) -> Vec<&'n KdlEntry> {
        let mut out = Vec::new();
        for entry in node.entries() {
            let Some(name) = entry.name() else { continue };
            if known.contains(&name.value()) {
                out.push(entry);
            } else {
                let help = if known.is_empty() {
                    format!("`{}` takes no properties", node.name().value())
                } else {
                    format!("`{}` knows: {}", node.name().value(), known.join(", "))
                };
                self.error(
                    entry.span(),
                    "forge::config-unknown-property",
                    format!("unknown property `{}`", name.value()),
                    "not understood",
                    Some(help),
                );
            }
        }
        out
    }

    /// `url-env="NAME"` of `sandbox postgres`: required, and a valid variable name.
    fn url_env(&mut self, node: &KdlNode) -> Option<String> {
        let entry = self.props(node, &["url-env"]).into_iter().next();
        let Some(entry) = entry else {
            self.error(
                node.span(),
                "forge::config-value",
                "`sandbox postgres` needs `url-env`: the variable that holds the server's URL".into(),
                "no url-env",
                Some("write `sandbox postgres url-env=\"FORGE_PG_URL\"`; the URL itself stays out of forge.kdl and out of every cache key".into()),
            );
            return None;
        };
        let name = self.string_value(entry)?;
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            self.error(
                entry.span(),
                "forge::config-value",
                format!("`{name}` is not an environment variable's name"),
                "not a variable name",
                Some("letters, digits and `_`, not starting with a digit: FORGE_PG_URL".into()),
            );
            return None;
        }
        Some(name)
    }

    fn no_props(&mut self, node: &KdlNode) {
        self.props(node, &[]);
    }

    fn no_args(&mut self, node: &KdlNode) {
        for entry in node.entries().iter().filter(|e| e.name().is_none()) {
            self.error(
                entry.span(),
                "forge::config-value",
                format!("`{}` takes no arguments", node.name().value()),
                "unexpected",
                None,
            );
        }
    }

    fn no_children(&mut self, node: &KdlNode) {
        if let Some(children) = node.children() {
            self.error(
                children.span(),
                "forge::config-unknown-node",
                format!("`{}` takes no children", node.name().value()),
                "unexpected block",
                None,
            );
        }
    }
}

/// The words a list property allows, and how its errors read.
struct WordList<'k> {
    known: &'k [&'k str],
    /// The code of an unknown word.
    code: &'static str,
    /// What a word is: `SQL dialect`.
    noun: &'static str,
    /// A valid property, for the help of an empty list.
    example: &'static str,
}

/// True when two targets are the same generator (whatever their options).
fn same_kind(a: &Target, b: &Target) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// `512MiB`, `2GiB`, `64KB`, `1000` (bytes).
pub fn parse_size(text: &str) -> Option<u64> {
    parse_with_unit(
        text,
        &[
            ("", 1),
            ("B", 1),
            ("KB", 1_000),
            ("MB", 1_000_000),
            ("GB", 1_000_000_000),
            ("KiB", 1 << 10),
            ("MiB", 1 << 20),
            ("GiB", 1 << 30),
        ],
    )
}

/// A whole number followed by one of `units` (name, factor), multiplied out; `None` on anything
/// else or on overflow.
pub(crate) fn parse_with_unit(text: &str, units: &[(&str, u64)]) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number.parse().ok()?;
    let unit = unit.trim();
    let (_, factor) = units.iter().find(|(name, _)| *name == unit)?;
    n.checked_mul(*factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_config_parses() {
        let text = r#"
project blog version="0.1.0"
schema "schema/*.kdl"
out "generated"
target sql dialects="sqlite postgres"
sandbox sqlite
cache dir=".forge/cache" max-size="2GiB"
"#;
        let (config, _, diags) = parse_config("forge.kdl", text);
        assert!(diags.is_empty(), "{diags:?}");
        let config = config.unwrap();
        assert_eq!(
            config.targets,
            vec![Target::Sql {
                dialects: vec!["postgres".into(), "sqlite".into()]
            }]
        );
        assert_eq!(config.cache_max_size, Some(2 << 30));
    }

    #[test]
    fn unknown_nodes_properties_targets_and_climbing_paths_are_errors() {
        let text = r#"
project blog colour="red"
schema "../elsewhere/*.kdl"
target cobol
target react
frobnicate
"#;
        let (config, _, diags) = parse_config("forge.kdl", text);
        assert!(config.is_none());
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "forge::config-unknown-property",
                "forge::config-path",
                "forge::config-unknown-target",
                "forge::config-not-available",
                "forge::config-unknown-node",
                "forge::config-missing",
            ]
        );
    }

    #[test]
    fn the_postgres_sandbox_names_a_variable() {
        let base = "project a\nschema \"*.kdl\"\n";
        let (config, _, diags) = parse_config(
            "forge.kdl",
            &format!("{base}sandbox postgres url-env=\"FORGE_PG_URL\"\n"),
        );
        assert!(diags.is_empty(), "{diags:?}");
        let config = config.unwrap();
        assert_eq!(config.postgres_url_env.as_deref(), Some("FORGE_PG_URL"));
        assert_eq!(config.sandboxes, ["postgres", "sqlite"]);
        for (line, message) in [
            ("sandbox postgres", "needs `url-env`"),
            (
                "sandbox postgres url-env=\"9PG\"",
                "not an environment variable",
            ),
            (
                "sandbox postgres url=\"postgres://x\"",
                "unknown property `url`",
            ),
            ("sandbox sqlite url-env=\"X\"", "unknown property `url-env`"),
        ] {
            let (_, _, diags) = parse_config("forge.kdl", &format!("{base}{line}\n"));
            assert!(
                diags.iter().any(|d| d.message.contains(message)),
                "{line}: {diags:?}"
            );
        }
    }

    #[test]
    fn repeated_nodes_and_stray_properties_are_errors() {
        let text = r#"
project a
project b
schema "*.kdl"
out "generated" colour="red"
target sql dialects="postgres"
target sql dialects="sqlite"
"#;
        let (config, _, diags) = parse_config("forge.kdl", text);
        assert!(config.is_none());
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "forge::config-duplicate",
                "forge::config-unknown-property",
                "forge::config-duplicate"
            ]
        );
    }

    #[test]
    fn list_properties_take_known_words_each_once() {
        let text = r#"
project blog
schema "*.kdl"
target sql dialects="sqlite mysql sqlite"
target guards for="mysql typescript"
"#;
        let (config, _, diags) = parse_config("forge.kdl", text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            config.unwrap().targets,
            vec![
                Target::Sql {
                    dialects: vec!["sqlite".into(), "mysql".into()]
                },
                Target::Guards {
                    kinds: vec!["typescript".into(), "mysql".into()]
                }
            ]
        );
        let bad = "project blog\nschema \"*.kdl\"\ntarget sql dialects=\"oracle\"\ntarget guards for=\"\"\n";
        let (config, _, diags) = parse_config("forge.kdl", bad);
        assert!(config.is_none());
        let found: Vec<(&str, &str)> = diags
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "forge::config-unknown-dialect",
                    "unknown SQL dialect `oracle`"
                ),
                ("forge::config-value", "`dialects` names no SQL dialect"),
                ("forge::config-value", "`for` names no guard kind"),
            ]
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64MiB"), Some(64 << 20));
        assert_eq!(parse_size("10"), Some(10));
        assert_eq!(parse_size("ten"), None);
    }
}
