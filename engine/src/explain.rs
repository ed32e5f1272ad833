//! `forge explain <artifact>[:line]`: where a file (or one line of it) came from, answered from the
//! last build's state and the action table: the node, its generator and version, its key and
//! inputs with their digests, when it was built and whether the last build found it in the cache,
//! and the schema spans behind it. `--why-rebuilt` names the inputs whose digests changed the last
//! time the node ran.

use std::collections::BTreeMap;
use std::path::Path;

use forge_cache::Cache;
use forge_frontend::config::parse_config;
use forge_frontend::{ParsedFile, Provenance, SourceLoc};
use forge_schemas::Origin;
use serde::Serialize;

use crate::error::EngineError;
use crate::key::KeyInputs;
use crate::project::{PROJECT_FILE, Project};
use crate::run::{ActionBody, decode_json};
use crate::state::{BuildState, NodeState};
use crate::steps::ValidateRecord;

/// The answer of `forge explain`.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    /// The artifact's path relative to the project root.
    pub artifact: String,
    pub node: String,
    pub generator: String,
    pub version: String,
    pub key: String,
    pub options: BTreeMap<String, String>,
    /// Input -> digest.
    pub inputs: BTreeMap<String, String>,
    /// The artifact's content digest.
    pub digest: String,
    /// When the node ran (seconds since the epoch).
    pub built_at: i64,
    pub micros: u64,
    /// The build this answer comes from, and whether that build found the node in the cache.
    pub build: i64,
    pub cache_hit: bool,
    /// Schema files behind the artifact.
    pub schema_files: Vec<String>,
    /// With `:line`: what that line comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<LineOrigin>,
    /// With `--why-rebuilt`: the inputs that changed the last time the node ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_rebuilt: Option<Vec<String>>,
}

/// The schema element behind one line of an artifact.
#[derive(Clone, Debug, Serialize)]
pub struct LineOrigin {
    pub line: u32,
    /// The range of lines of the artifact that share this origin.
    pub lines: [u32; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// Where it is declared: `file:line:column` and the source line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourcePlace>,
}

/// A place in a schema file.
#[derive(Clone, Debug, Serialize)]
pub struct SourcePlace {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub text: String,
}

/// Explains `artifact` (a path relative to the current folder or to the project's root, optionally
/// with `:LINE`).
pub fn explain(
    project: &Project,
    cwd: &Path,
    artifact: &str,
    why_rebuilt: bool,
) -> Result<Explanation, EngineError> {
    let (path, line) = split_line(artifact);
    let (config, _, diags) = parse_config(PROJECT_FILE, &project.config_text);
    let config = config.ok_or_else(|| {
        EngineError::Invalid(format!(
            "forge.kdl has {} error(s); run `forge check`",
            diags.len()
        ))
    })?;
    let cache = Cache::open(&project.cache_dir(&config))?;
    let build = cache.last_build_with_state()?.ok_or(EngineError::NoBuild)?;
    let state = state_of(&cache, build.state_digest.as_deref())?;
    let out_rel = relative_to_out(project, cwd, &config.out, path);
    let (node, node_state, file) = state
        .nodes
        .iter()
        .find_map(|(id, s)| {
            s.files
                .iter()
                .find(|f| f.path == out_rel)
                .map(|f| (id.clone(), s.clone(), f.clone()))
        })
        .ok_or_else(|| EngineError::UnknownArtifact(path.to_string()))?;
    let record = cache
        .get_action(&node_state.key)?
        .ok_or(EngineError::NoBuild)?;
    let body: ActionBody = decode_json(
        &format!("action record of {node}"),
        record.record.as_bytes(),
    )?;
    let summary: serde_json::Value = serde_json::from_str(&build.summary).unwrap_or_default();
    let executed = summary["executed_nodes"]
        .as_array()
        .is_some_and(|a| a.iter().any(|n| n == node.as_str()));

    let schema_files: Vec<String> = state
        .nodes
        .keys()
        .filter_map(|id| id.strip_prefix("parse:").map(str::to_string))
        .collect();
    let line_origin = match line {
        None => None,
        Some(n) => {
            let origins = origins_of(&cache, &node, &node_state, &body, &out_rel)?;
            Some(origin_of_line(project, &cache, &state, &origins, n)?)
        }
    };
    let why = if why_rebuilt {
        Some(why_rebuilt_of(&cache, &node)?)
    } else {
        None
    };
    Ok(Explanation {
        artifact: format!("{}/{}", config.out, out_rel),
        node,
        generator: body.key_inputs.generator.clone(),
        version: body.key_inputs.version.clone(),
        key: node_state.key.clone(),
        options: body.key_inputs.options.clone(),
        inputs: body.key_inputs.inputs.clone(),
        digest: file.digest,
        built_at: record.created_at,
        micros: body.micros,
        build: build.id,
        cache_hit: !executed,
        schema_files,
        line: line_origin,
        why_rebuilt: why,
    })
}

/// `path:12` -> (`path`, Some(12)).
fn split_line(arg: &str) -> (&str, Option<u32>) {
    if let Some((path, line)) = arg.rsplit_once(':')
        && let Ok(n) = line.parse::<u32>()
    {
        return (path, Some(n));
    }
    (arg, None)
}

/// The artifact's path relative to the out folder, whether it was given relative to the current
/// folder, to the project root, or to the out folder.
fn relative_to_out(project: &Project, cwd: &Path, out: &str, path: &str) -> String {
    let out_dir = project.root.join(out);
    let candidates = [cwd.join(path), project.root.join(path)];
    for candidate in candidates {
        let candidate = std::path::absolute(&candidate).unwrap_or(candidate);
        if let Ok(rel) = candidate.strip_prefix(&out_dir) {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            return parts.join("/");
        }
    }
    path.trim_start_matches("./").to_string()
}

fn state_of(cache: &Cache, digest: Option<&str>) -> Result<BuildState, EngineError> {
    blob_json(cache, "build state", digest.ok_or(EngineError::NoBuild)?)
}

/// The bytes of blob `digest` (`what` names it in the error when the cache lacks it).
fn blob_bytes(cache: &Cache, what: &str, digest: &str) -> Result<Vec<u8>, EngineError> {
    cache
        .get_blob(digest)?
        .ok_or_else(|| EngineError::MissingBlob {
            node: what.into(),
            digest: digest.into(),
        })
}

fn blob_json<T: serde::de::DeserializeOwned>(
    cache: &Cache,
    what: &str,
    digest: &str,
) -> Result<T, EngineError> {
    decode_json(what, &blob_bytes(cache, what, digest)?)
}

/// The origins of the lines of `out_rel`: recorded with the action, or, for an assembled
/// `schema.sql`, made from the layout that is the node's value.
fn origins_of(
    cache: &Cache,
    node: &str,
    state: &NodeState,
    body: &ActionBody,
    out_rel: &str,
) -> Result<Vec<Origin>, EngineError> {
    if let Some(origins) = body.origins.get(out_rel) {
        return Ok(origins.clone());
    }
    match (node.strip_prefix("gen:sql/"), &state.value) {
        (Some(_), Some(value)) => {
            let layout: forge_gen_sql::Layout = blob_json(cache, "schema layout", value)?;
            Ok(layout.origins())
        }
        _ => Ok(Vec::new()),
    }
}

fn origin_of_line(
    project: &Project,
    cache: &Cache,
    state: &BuildState,
    origins: &[Origin],
    line: u32,
) -> Result<LineOrigin, EngineError> {
    let origin = origins
        .iter()
        .filter(|o| o.lines[0] <= line && line <= o.lines[1])
        .min_by_key(|o| o.lines[1] - o.lines[0])
        .cloned();
    let Some(origin) = origin else {
        return Ok(LineOrigin {
            line,
            lines: [line, line],
            model: None,
            field: None,
            element: None,
            source: None,
        });
    };
    let validate = state
        .nodes
        .get("validate")
        .and_then(|s| s.value.clone())
        .ok_or(EngineError::NoBuild)?;
    let record: ValidateRecord = blob_json(cache, "validate record", &validate)?;
    let parsed = record
        .files
        .iter()
        .map(|f| {
            let digest = state
                .nodes
                .get(&format!("parse:{f}"))
                .and_then(|s| s.value.as_deref())
                .ok_or(EngineError::NoBuild)?;
            parsed_file(cache, digest)
        })
        .collect::<Result<Vec<ParsedFile>, _>>()?;
    let provenance = provenance_of(&parsed);
    let key = match (&origin.model, &origin.element, &origin.field) {
        (Some(m), Some(e), _) => Some(format!("{m}#{e}")),
        (Some(m), None, Some(f)) => Some(format!("{m}.{f}")),
        (Some(m), None, None) => Some(m.clone()),
        _ => None,
    };
    let loc = key.and_then(|k| {
        provenance
            .entries
            .get(&k)
            .or_else(|| {
                origin
                    .model
                    .as_ref()
                    .and_then(|m| provenance.entries.get(m))
            })
            .cloned()
    });
    let source = match loc {
        Some(loc) => place(project, &parsed, &loc)?,
        None => None,
    };
    Ok(LineOrigin {
        line,
        lines: origin.lines,
        model: origin.model,
        field: origin.field,
        element: origin.element,
        source,
    })
}

/// The parsed file in blob `digest` (a `parse:` node's value).
fn parsed_file(cache: &Cache, digest: &str) -> Result<ParsedFile, EngineError> {
    let bytes = blob_bytes(cache, "parsed file", digest)?;
    ParsedFile::from_bytes(&bytes).map_err(|source| EngineError::DecodeParse {
        what: "parsed file".into(),
        source,
    })
}

/// Where each IR element of the schema made of `parsed` (validated files, in order) was declared.
/// Builds do not store it: it is a function of the parsed files, which they do store, and only
/// `explain` and plugins' diagnostics need it.
pub(crate) fn provenance_of(parsed: &[ParsedFile]) -> Provenance {
    let refs: Vec<&ParsedFile> = parsed.iter().collect();
    forge_frontend::validate(&refs).provenance
}

/// Resolves a source location through the span table of the file as the last build parsed it
/// (`parsed`: every file that build validated).
fn place(
    project: &Project,
    parsed: &[ParsedFile],
    loc: &SourceLoc,
) -> Result<Option<SourcePlace>, EngineError> {
    let Some(parsed) = parsed.iter().find(|p| p.path == loc.file) else {
        return Ok(None);
    };
    let (start, _) = parsed.spans.get(loc.span);
    let start = start + loc.inner.map(|(s, _)| s as usize).unwrap_or(0);
    let path = project.root.join(&loc.file);
    let text = std::fs::read_to_string(&path).map_err(|e| EngineError::io(path, e))?;
    let start = start.min(text.len());
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = text[line_start..start].chars().count() + 1;
    let line_text = text[line_start..].lines().next().unwrap_or("").to_string();
    Ok(Some(SourcePlace {
        file: loc.file.clone(),
        line,
        column,
        text: line_text,
    }))
}

/// The inputs whose digests differ between the last time `node` ran and the build before it.
fn why_rebuilt_of(cache: &Cache, node: &str) -> Result<Vec<String>, EngineError> {
    let builds = cache.recent_builds(200)?;
    let ran_in = builds.iter().position(|b| {
        let summary: serde_json::Value = serde_json::from_str(&b.summary).unwrap_or_default();
        summary["executed_nodes"]
            .as_array()
            .is_some_and(|a| a.iter().any(|n| n == node))
    });
    let Some(i) = ran_in else {
        return Ok(vec![
            "not rebuilt in the recorded builds: it has been a cache hit since".into(),
        ]);
    };
    let key_inputs_in = |build: &forge_cache::BuildRow| -> Result<Option<KeyInputs>, EngineError> {
        let state = state_of(cache, build.state_digest.as_deref())?;
        let Some(ns) = state.nodes.get(node) else {
            return Ok(None);
        };
        let Some(record) = cache.get_action(&ns.key)? else {
            return Ok(None);
        };
        let body: ActionBody = decode_json(
            &format!("action record of {node}"),
            record.record.as_bytes(),
        )?;
        Ok(Some(body.key_inputs))
    };
    let now = key_inputs_in(&builds[i])?;
    let before = match builds.get(i + 1) {
        Some(b) if b.state_digest.is_some() => key_inputs_in(b)?,
        _ => None,
    };
    Ok(match (now, before) {
        (Some(now), Some(before)) => {
            let changed = now.changed_since(&before);
            if changed.is_empty() {
                vec!["no input changed: its earlier result was not in the cache".into()]
            } else {
                changed
            }
        }
        _ => vec!["first build of this node".into()],
    })
}
