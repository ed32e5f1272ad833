//! The build graph (petgraph): which nodes exist for a project and what each depends on, its
//! waves (nodes whose inputs are all in earlier waves, run in parallel), and its renderings for
//! `forge graph` (text, dot, mermaid, json).

use std::collections::HashMap;
use std::fmt::Write;

use forge_frontend::config::{ProjectConfig, Target};
use forge_schemas::ScopeKind;
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::node::NodeId;

/// The nodes of one build and their dependencies (edges point from an input to its dependent).
pub struct BuildGraph {
    graph: DiGraph<NodeId, ()>,
    /// foldhash: a large project's graph has thousands of nodes, each looked up several times.
    index: foldhash::HashMap<NodeId, NodeIndex>,
}

/// The SQL dialects the config asks for.
pub fn sql_dialects(config: &ProjectConfig) -> Vec<String> {
    config
        .targets
        .iter()
        .flat_map(|t| match t {
            Target::Sql { dialects } => dialects.clone(),
            Target::Rls | Target::Guards { .. } | Target::Migrations { .. } => Vec::new(),
        })
        .collect()
}

/// What the `guards` target asks for (`typescript`, `sqlite`, `mysql`).
pub fn guard_kinds(config: &ProjectConfig) -> Vec<String> {
    config
        .targets
        .iter()
        .flat_map(|t| match t {
            Target::Guards { kinds } => kinds.clone(),
            _ => Vec::new(),
        })
        .collect()
}

/// The dialects whose SQL the graph computes: the configured ones, plus SQLite for the SQLite
/// sandbox, which always runs when there is SQL to check, and PostgreSQL for its sandbox when
/// forge.kdl asks for it (their files are written only when the dialect is configured).
pub fn built_dialects(config: &ProjectConfig) -> Vec<String> {
    let mut dialects = sql_dialects(config);
    let sandbox = config.sandboxes.iter().any(|s| s == "sqlite");
    if sandbox && !dialects.is_empty() && !dialects.iter().any(|d| d == "sqlite") {
        dialects.push("sqlite".into());
    }
    let postgres = config.postgres_url_env.is_some();
    if postgres && !dialects.is_empty() && !dialects.iter().any(|d| d == "postgres") {
        dialects.push("postgres".into());
    }
    dialects
}

impl BuildGraph {
    /// The graph for `config`, its schema `files` and, once validation has run, its `models` and
    /// the scope of each generator plugin. Without models, the graph stops at `validate`.
    pub fn plan(
        config: &ProjectConfig,
        files: &[String],
        models: Option<&[String]>,
        plugins: &[(String, ScopeKind)],
    ) -> BuildGraph {
        let mut g = BuildGraph {
            graph: DiGraph::new(),
            index: foldhash::HashMap::default(),
        };
        let config_node = g.add(NodeId::Config, &[]);
        let parses: Vec<NodeId> = files.iter().map(|f| NodeId::Parse(f.clone())).collect();
        for p in &parses {
            g.add(p.clone(), std::slice::from_ref(&config_node));
        }
        let validate = g.add(NodeId::Validate, &parses);
        let Some(models) = models else { return g };
        for dialect in built_dialects(config) {
            let generator = format!("sql/{dialect}");
            let mut fragments = vec![validate.clone()];
            for model in models {
                let id = NodeId::ModelGen {
                    generator: generator.clone(),
                    model: model.clone(),
                };
                fragments.push(g.add(id, std::slice::from_ref(&validate)));
            }
            let project = g.add(
                NodeId::ProjectGen {
                    generator: generator.clone(),
                },
                &fragments,
            );
            if dialect == "sqlite" && config.sandboxes.iter().any(|s| s == "sqlite") {
                g.add(NodeId::Sandbox("sqlite".into()), &[project]);
            } else if dialect == "postgres" && config.postgres_url_env.is_some() {
                g.add(NodeId::Sandbox("postgres".into()), &[project]);
            }
        }
        if config.targets.contains(&Target::Rls) {
            g.add(
                NodeId::ProjectGen {
                    generator: "rls".into(),
                },
                std::slice::from_ref(&validate),
            );
        }
        if crate::migrations::migrations_dir(config).is_some() {
            g.add(NodeId::Migrations, std::slice::from_ref(&validate));
        }
        for kind in guard_kinds(config) {
            g.add(
                NodeId::ProjectGen {
                    generator: format!("guard/{kind}"),
                },
                std::slice::from_ref(&validate),
            );
        }
        for (generator, scope) in plugins {
            match scope {
                ScopeKind::Model => {
                    for model in models {
                        let id = NodeId::Plugin {
                            generator: generator.clone(),
                            model: Some(model.clone()),
                        };
                        g.add(id, std::slice::from_ref(&validate));
                    }
                }
                ScopeKind::Project => {
                    let id = NodeId::Plugin {
                        generator: generator.clone(),
                        model: None,
                    };
                    g.add(id, std::slice::from_ref(&validate));
                }
            }
        }
        g
    }

    fn add(&mut self, id: NodeId, deps: &[NodeId]) -> NodeId {
        let ix = self.graph.add_node(id.clone());
        self.index.insert(id.clone(), ix);
        for dep in deps {
            self.graph.add_edge(self.index[dep], ix, ());
        }
        id
    }

    /// Every node, in insertion order.
    pub fn nodes(&self) -> impl Iterator<Item = &NodeId> {
        self.graph.node_weights()
    }

    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    /// The direct inputs of `id`.
    pub fn inputs(&self, id: &NodeId) -> Vec<&NodeId> {
        self.graph
            .neighbors_directed(self.index[id], Direction::Incoming)
            .map(|ix| &self.graph[ix])
            .collect()
    }

    /// Nodes grouped in waves: every node's inputs lie in earlier waves. Each wave is sorted.
    pub fn waves(&self) -> Vec<Vec<NodeId>> {
        let order =
            petgraph::algo::toposort(&self.graph, None).expect("the build graph has no cycle");
        let mut depth = vec![0; self.graph.node_count()];
        let mut waves: Vec<Vec<NodeId>> = Vec::new();
        for ix in order {
            let d = self
                .graph
                .neighbors_directed(ix, Direction::Incoming)
                .map(|p| depth[p.index()] + 1)
                .max()
                .unwrap_or(0);
            depth[ix.index()] = d;
            if waves.len() <= d {
                waves.resize_with(d + 1, Vec::new);
            }
            waves[d].push(self.graph[ix].clone());
        }
        for wave in &mut waves {
            wave.sort();
        }
        waves
    }

    /// `forge graph` output in `format`: `text`, `dot`, `mermaid` or `json`.
    pub fn render(&self, format: GraphFormat) -> String {
        let mut nodes: Vec<&NodeId> = self.nodes().collect();
        nodes.sort();
        let mut edges: Vec<(String, String)> = self
            .graph
            .edge_indices()
            .map(|e| {
                let (a, b) = self.graph.edge_endpoints(e).expect("edges have endpoints");
                (self.graph[a].to_string(), self.graph[b].to_string())
            })
            .collect();
        edges.sort();
        let mut out = String::new();
        match format {
            GraphFormat::Text => {
                for node in nodes {
                    let mut inputs: Vec<String> =
                        self.inputs(node).iter().map(|n| n.to_string()).collect();
                    inputs.sort();
                    if inputs.is_empty() {
                        writeln!(out, "{node}").unwrap();
                    } else {
                        writeln!(out, "{node} <- {}", inputs.join(", ")).unwrap();
                    }
                }
            }
            GraphFormat::Dot => {
                out.push_str(
                    "digraph forge {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n",
                );
                for node in nodes {
                    writeln!(out, "  {};", quote(&node.to_string())).unwrap();
                }
                for (a, b) in &edges {
                    writeln!(out, "  {} -> {};", quote(a), quote(b)).unwrap();
                }
                out.push_str("}\n");
            }
            GraphFormat::Mermaid => {
                out.push_str("graph LR\n");
                let ids: HashMap<String, usize> = nodes
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.to_string(), i))
                    .collect();
                for (i, node) in nodes.iter().enumerate() {
                    writeln!(
                        out,
                        "  n{i}[\"{}\"]",
                        node.to_string().replace('"', "#quot;")
                    )
                    .unwrap();
                }
                for (a, b) in &edges {
                    writeln!(out, "  n{} --> n{}", ids[a], ids[b]).unwrap();
                }
            }
            GraphFormat::Json => {
                let value = serde_json::json!({
                    "nodes": nodes.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
                    "edges": edges.iter().map(|(a, b)| serde_json::json!({"from": a, "to": b})).collect::<Vec<_>>(),
                });
                out = serde_json::to_string_pretty(&value).expect("json") + "\n";
            }
        }
        out
    }
}

/// The formats of `forge graph`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    Text,
    Dot,
    Mermaid,
    Json,
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> ProjectConfig {
        ProjectConfig {
            name: "t".into(),
            version: None,
            schema: vec!["*.kdl".into()],
            out: "generated".into(),
            targets: vec![Target::Sql {
                dialects: vec!["postgres".into(), "sqlite".into()],
            }],
            sandboxes: vec!["sqlite".into()],
            postgres_url_env: None,
            cache_dir: ".forge/cache".into(),
            cache_max_size: None,
            generators: Vec::new(),
        }
    }

    #[test]
    fn waves_put_every_node_after_its_inputs() {
        let g = BuildGraph::plan(
            &config(),
            &["a.kdl".into(), "b.kdl".into()],
            Some(&["Post".into(), "User".into()]),
            &[],
        );
        let waves: Vec<Vec<String>> = g
            .waves()
            .iter()
            .map(|w| w.iter().map(|n| n.to_string()).collect())
            .collect();
        assert_eq!(
            waves,
            vec![
                vec!["config".to_string()],
                vec!["parse:a.kdl".into(), "parse:b.kdl".into()],
                vec!["validate".into()],
                vec![
                    "gen:sql/postgres:Post".into(),
                    "gen:sql/postgres:User".into(),
                    "gen:sql/sqlite:Post".into(),
                    "gen:sql/sqlite:User".into()
                ],
                vec!["gen:sql/postgres".into(), "gen:sql/sqlite".into()],
                vec!["sandbox:sqlite".into()],
            ]
        );
    }
}
