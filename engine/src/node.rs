//! Node ids: small, readable, stable names for the nodes of the build graph (`parse:schema/blog.kdl`,
//! `gen:sql/postgres:Post`). They appear in `--json`, `forge graph` and `forge explain`.

use std::fmt;

/// One node of the build graph.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeId {
    /// forge.kdl.
    Config,
    /// One schema file, by its path relative to forge.kdl.
    Parse(String),
    /// Every AST to the IR.
    Validate,
    /// A built-in generator's per-model stage: `gen:sql/postgres:Post`.
    ModelGen { generator: String, model: String },
    /// A built-in generator's project stage: `gen:sql/postgres`.
    ProjectGen { generator: String },
    /// `sandbox:sqlite`.
    Sandbox(String),
    /// `migrations`: is the schema what the committed migration history leads to?
    Migrations,
    /// A generator plugin's node: `gen:<generator>` (project scope) or `gen:<generator>:<Model>`.
    Plugin {
        generator: String,
        model: Option<String>,
    },
}

impl NodeId {
    /// The node's kind, as it appears in its cache key (no file or model name).
    pub fn kind(&self) -> String {
        match self {
            NodeId::Config => "config".into(),
            NodeId::Parse(_) => "parse".into(),
            NodeId::Validate => "validate".into(),
            NodeId::ModelGen { generator, .. } => format!("gen:{generator}:model"),
            NodeId::ProjectGen { generator } => format!("gen:{generator}"),
            NodeId::Sandbox(kind) => format!("sandbox:{kind}"),
            NodeId::Plugin { generator, .. } => format!("plugin:{generator}"),
            NodeId::Migrations => "migrations".into(),
        }
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeId::Config => f.write_str("config"),
            NodeId::Parse(path) => write!(f, "parse:{path}"),
            NodeId::Validate => f.write_str("validate"),
            NodeId::ModelGen { generator, model } => write!(f, "gen:{generator}:{model}"),
            NodeId::ProjectGen { generator } => write!(f, "gen:{generator}"),
            NodeId::Sandbox(kind) => write!(f, "sandbox:{kind}"),
            NodeId::Migrations => f.write_str("migrations"),
            NodeId::Plugin {
                generator,
                model: None,
            } => write!(f, "gen:{generator}"),
            NodeId::Plugin {
                generator,
                model: Some(model),
            } => write!(f, "gen:{generator}:{model}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NodeId;

    #[test]
    fn ids_read_as_the_spec_writes_them() {
        let ids = [
            NodeId::Config,
            NodeId::Parse("schema/blog.kdl".into()),
            NodeId::Validate,
            NodeId::ModelGen {
                generator: "sql/postgres".into(),
                model: "Post".into(),
            },
            NodeId::ProjectGen {
                generator: "sql/postgres".into(),
            },
            NodeId::Sandbox("sqlite".into()),
            NodeId::Plugin {
                generator: "py-models".into(),
                model: Some("Post".into()),
            },
            NodeId::Plugin {
                generator: "erd-plugin".into(),
                model: None,
            },
        ];
        let shown: Vec<String> = ids.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "config",
                "parse:schema/blog.kdl",
                "validate",
                "gen:sql/postgres:Post",
                "gen:sql/postgres",
                "sandbox:sqlite",
                "gen:py-models:Post",
                "gen:erd-plugin"
            ]
        );
    }
}
