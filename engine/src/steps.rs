//! The work of each kind of node: what its key holds and what it computes on a miss. Every
//! built-in step is a pure function of its key's inputs and reads the file system only through the
//! texts the build read up front; a plugin step runs the plugin's process (in the project's
//! folder), whose code is part of its key.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use forge_frontend::{
    Diagnostic, Label, ParsedFile, Provenance, Severity, parse_file, validate_ir,
};
use forge_gen_sql::{Dialect, ModelDdl};
use forge_migrate::LiveSchema;
use forge_schemas::{DiagnosticSeverity, PROTOCOL_VERSION, Request, RequestScope};
use forge_schemas::{Ir, canonical_json, digest_json};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::EngineError;
use crate::key::KeyInputs;
use crate::node::NodeId;
use crate::plugin::Plugins;
use crate::run::{Blob, Failure, Produced, Ref, Runner, SubtaskError, decode_json};
use crate::state::NodeState;

/// What `validate` produces: kept in one blob, read on every build (the slices' digests make the
/// per-model keys). The IR is stored a model per blob beside a skeleton (everything else), so an
/// edit stores only the models it changed, and the IR is only loaded when a node must run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ValidateRecord {
    /// The schema files validated, in order (`explain` validates them again for provenance).
    pub files: Vec<String>,
    /// The blob of the IR without its models (canonical JSON).
    pub skeleton: String,
    /// Each model's name and blob (its canonical JSON), in the IR's order.
    pub models: Vec<(String, String)>,
    /// Model name -> digest of its slice.
    pub slices: BTreeMap<String, String>,
    /// Warnings, replayed on every build until fixed.
    pub warnings: Vec<Diagnostic>,
}

/// The shape of [`ValidateRecord`], in validate's key: bumped when the shape changes, so that a
/// cache written by an earlier build of the same forge version is not misread.
const RECORD_FORMAT: &str = "2";

/// The shape of the layout that is a `gen:sql/<dialect>` node's value, in its key: bumped when
/// the shape changes, so that the node runs again and an older layout is never read as a new one.
const LAYOUT_FORMAT: &str = "2";

/// The shapes above, in the key of the `config` node: a build whose last state holds values of
/// other shapes (written by another forge) never takes the path that reuses that state whole
/// (`nothing_changed`), so each node whose value changed shape runs again.
pub(crate) fn value_formats() -> String {
    format!("record {RECORD_FORMAT}, layout {LAYOUT_FORMAT}")
}

impl ValidateRecord {
    /// The IR's digest (validate's output): over the skeleton's and every model's, so it changes
    /// exactly when the IR's canonical JSON does.
    fn ir_digest(&self) -> String {
        digest_json(&(&self.skeleton, &self.models))
    }
}

/// What `sandbox:sqlite` keeps as its value: each group of statements it applied, with the
/// subtask that holds the group's result and the tables the group made. The next build takes an
/// unchanged group's tables from here instead of looking its subtask up and reading its result.
#[derive(Debug, Serialize, Deserialize)]
struct SandboxRecord {
    groups: Vec<GroupRecord>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct GroupRecord {
    /// The subtask's key.
    key: String,
    /// The blob of its result (a `LiveSchema`).
    result: String,
    tables: Vec<String>,
}

/// The key of `sandbox:sqlite`: the SQLite schema, validate's output, and the migration history
/// (its snapshot and every migration's `sqlite.sql`) when there is one.
pub(crate) fn sandbox_key(
    file: &crate::state::FileOut,
    validate_output: &str,
    snapshot: &[u8],
    history: &[(String, String)],
) -> KeyInputs {
    let mut key = KeyInputs::builtin("sandbox:sqlite", "sqlite")
        .input(file.path.clone(), file.digest.clone())
        .input("validate", validate_output);
    if !history.is_empty() {
        key = key.input("snapshot", forge_cache::digest_bytes(snapshot));
        for (folder, sql) in history {
            key = key.input(
                format!("history:{folder}"),
                forge_cache::digest_bytes(sql.as_bytes()),
            );
        }
    }
    key
}

/// Model name -> the digest of its slice, for every model of `ir`, given each model's digest.
fn slice_digests(ir: &Ir, models: &[(String, String)]) -> BTreeMap<String, String> {
    let shared = forge_schemas::SliceDigests::new(ir, models.iter().cloned().collect());
    ir.models
        .par_iter()
        .map(|m| {
            let digest = ir.slice_digest(&m.name, &shared).expect("the model exists");
            (m.name.clone(), digest)
        })
        .collect()
}

/// The IR in blobs: the skeleton's canonical JSON and each model's, with their digests.
struct IrBlobs {
    skeleton: Vec<u8>,
    models: Vec<Vec<u8>>,
    digests: Vec<(String, String)>,
}

impl IrBlobs {
    fn of(ir: &mut Ir) -> IrBlobs {
        let models = std::mem::take(&mut ir.models);
        let skeleton = canonical_json(&*ir);
        ir.models = models;
        let (models, digests) = ir
            .models
            .par_iter()
            .map(|m| {
                let bytes = canonical_json(m);
                let digest = forge_cache::digest_bytes(&bytes);
                (bytes, (m.name.clone(), digest))
            })
            .unzip();
        IrBlobs {
            skeleton,
            models,
            digests,
        }
    }
}

/// A sub-action's failure as a message.
fn subtask_message(e: SubtaskError<String>) -> String {
    match e {
        SubtaskError::Work(message) => message,
        SubtaskError::Engine(e) => e.to_string(),
    }
}

/// The warning of `sandbox:postgres` when its variable is not set.
pub const SANDBOX_SKIPPED: &str = "forge::sandbox-skipped";

/// The warning of the `migrations` node.
pub const MIGRATION_PENDING: &str = "forge::migration-pending";

/// The key of the `migrations` node: validate's output and the history's snapshot.
pub(crate) fn migrations_key(validate_output: &str, snapshot: &[u8]) -> KeyInputs {
    KeyInputs::builtin("migrations", "migrations")
        .input("validate", validate_output)
        .input("snapshot", forge_cache::digest_bytes(snapshot))
}

/// The inputs of one build's steps, read once.
pub(crate) struct Steps<'r> {
    pub runner: &'r Runner,
    /// Schema file path -> text.
    pub texts: BTreeMap<String, String>,
    /// The out folder on disk (plugins' paths are checked against it).
    out: PathBuf,
    /// The migration history's snapshot as read at the start of the build (empty when there is
    /// none), for the `migrations` node and the sandbox.
    pub snapshot: Vec<u8>,
    /// The history's migrations, in order: folder and `sqlite.sql`, for the sandbox's replay.
    pub history: Vec<(String, String)>,
    /// The same with `postgres.sql`, when forge.kdl asks for the PostgreSQL sandbox.
    pub history_postgres: Vec<(String, String)>,
    /// `sandbox postgres url-env=NAME`: the variable's name.
    pub postgres_url_env: Option<String>,
    record: OnceLock<ValidateRecord>,
    ir: OnceLock<Arc<Ir>>,
    /// Where each IR element was declared: builds do not keep it, so it is worked out (by
    /// validating the parsed files again) the first time a plugin's diagnostic needs it.
    provenance: OnceLock<Provenance>,
    /// The generator plugins, described once validation succeeded.
    pub plugins: OnceLock<Plugins>,
}

impl<'r> Steps<'r> {
    pub fn new(runner: &'r Runner, texts: BTreeMap<String, String>, out: PathBuf) -> Self {
        Steps {
            runner,
            texts,
            out,
            snapshot: Vec::new(),
            history: Vec::new(),
            history_postgres: Vec::new(),
            postgres_url_env: None,
            record: OnceLock::new(),
            ir: OnceLock::new(),
            provenance: OnceLock::new(),
            plugins: OnceLock::new(),
        }
    }

    /// What the steps computed and kept (the IR, the provenance), to be dropped by the caller.
    pub fn into_results(self) -> impl Send + 'static {
        (
            self.ir,
            self.provenance,
            self.record,
            self.texts,
            self.plugins,
        )
    }

    fn state(&self, id: &NodeId) -> Result<NodeState, EngineError> {
        self.runner
            .next
            .lock()
            .unwrap()
            .nodes
            .get(&id.to_string())
            .cloned()
            .ok_or_else(|| EngineError::Invalid(format!("{id} has not run")))
    }

    pub fn parse(&self, path: &str) -> Result<Option<NodeState>, EngineError> {
        let text = &self.texts[path];
        let key = crate::build::parse_key(path, text);
        self.runner.node(&NodeId::Parse(path.to_string()), key, || {
            let (parsed, diags) = parse_file(path, text);
            if diags.iter().any(Diagnostic::is_error) {
                return Err(Failure::Diagnostics(
                    diags,
                    vec![(path.to_string(), text.clone(), parsed.spans)],
                ));
            }
            Ok(Produced {
                output: parsed.digest(),
                value: Some(parsed.to_bytes()),
                refs: Vec::new(),
                files: Vec::new(),
                subkeys: Vec::new(),
            })
        })
    }

    /// The parsed file of `path`, from this build or the cache.
    pub fn parsed(&self, path: &str) -> Result<ParsedFile, EngineError> {
        let mut parsed = self.parsed_files(&[path.to_string()])?;
        Ok(parsed.remove(0))
    }

    /// The parsed files of `files`, from this build or the cache, decoded in parallel.
    fn parsed_files(&self, files: &[String]) -> Result<Vec<ParsedFile>, EngineError> {
        let states = files
            .iter()
            .map(|f| {
                let id = NodeId::Parse(f.clone());
                self.state(&id).map(|state| (id.to_string(), state))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let named: Vec<(String, &NodeState)> = states
            .iter()
            .map(|(name, state)| (name.clone(), state))
            .collect();
        self.runner.parsed_files(&named)
    }

    pub fn validate(&self, files: &[String]) -> Result<Option<NodeState>, EngineError> {
        let mut key = KeyInputs::builtin("validate", "validate").option("record", RECORD_FORMAT);
        for file in files {
            let id = NodeId::Parse(file.clone());
            key = key.input(id.to_string(), self.state(&id)?.output);
        }
        let state = self.runner.node(&NodeId::Validate, key, || {
            let parsed = self
                .parsed_files(files)
                .map_err(|e| Failure::Message(e.to_string()))?;
            let refs: Vec<&ParsedFile> = parsed.iter().collect();
            let validated = validate_ir(&refs);
            let Some(mut ir) = validated.ir else {
                let sources = parsed
                    .into_iter()
                    .map(|p| (p.path.clone(), self.texts[&p.path].clone(), p.spans))
                    .collect();
                return Err(Failure::Diagnostics(validated.diagnostics, sources));
            };
            let blobs = IrBlobs::of(&mut ir);
            let slices = slice_digests(&ir, &blobs.digests);
            // A model whose blob the last IR had is not stored again.
            let stored = self.previous_models();
            let mut refs: Vec<Ref> = blobs
                .models
                .into_iter()
                .zip(&blobs.digests)
                .map(|(bytes, (_, digest))| {
                    if stored.contains(digest.as_str()) {
                        Ref::Stored(digest.clone())
                    } else {
                        Ref::New(Blob::hashed(digest.clone(), bytes))
                    }
                })
                .collect();
            let skeleton = Blob::new(blobs.skeleton);
            let skeleton_digest = skeleton.digest().to_string();
            refs.push(Ref::New(skeleton));
            let record = ValidateRecord {
                files: files.to_vec(),
                skeleton: skeleton_digest,
                models: blobs.digests,
                slices,
                warnings: validated.diagnostics,
            };
            let output = record.ir_digest();
            let value = serde_json::to_vec(&record).expect("records serialize");
            let _ = self.ir.set(Arc::new(ir));
            let _ = self.record.set(record);
            crate::background::drop_later(parsed);
            Ok(Produced {
                output,
                value: Some(value),
                refs,
                files: Vec::new(),
                subkeys: Vec::new(),
            })
        })?;
        if let Some(state) = &state
            && self.record.get().is_none()
        {
            let record: ValidateRecord = self.runner.value("validate", state)?;
            let _ = self.record.set(record);
        }
        Ok(state)
    }

    /// The blobs of the models of the last build's IR (none when it had no IR, or its record
    /// cannot be read).
    fn previous_models(&self) -> std::collections::HashSet<String> {
        /// The part of a [`ValidateRecord`] read here (the rest is skipped, not built).
        #[derive(Deserialize)]
        struct Models {
            models: Vec<(serde::de::IgnoredAny, String)>,
        }
        self.previous_value::<Models>(&NodeId::Validate)
            .map(|record| record.models.into_iter().map(|(_, d)| d).collect())
            .unwrap_or_default()
    }

    /// The value node `id` had in the last build; `None` when it had none, or it cannot be read
    /// (then the caller does without what it would have reused).
    fn previous_value<T: serde::de::DeserializeOwned + Send>(&self, id: &NodeId) -> Option<T> {
        let name = id.to_string();
        let state = self.runner.prev.nodes.get(&name)?;
        state.value.as_ref()?;
        self.runner.value(&name, state).ok()
    }

    fn record(&self) -> &ValidateRecord {
        self.record
            .get()
            .expect("per-model nodes are planned only after validate succeeded")
    }

    /// Loads validate's record from the state (when the whole graph was found unchanged).
    pub fn load_record(&self) -> Result<(), EngineError> {
        let state = self.state(&NodeId::Validate)?;
        let record: ValidateRecord = self.runner.value("validate", &state)?;
        let _ = self.record.set(record);
        Ok(())
    }

    /// validate's record, when validate succeeded (or was found in the cache).
    pub fn record_if_any(&self) -> Option<&ValidateRecord> {
        self.record.get()
    }

    /// The IR, loaded from the cache (its skeleton and every model) the first time a node needs it.
    pub fn ir(&self) -> Result<Arc<Ir>, EngineError> {
        if let Some(ir) = self.ir.get() {
            return Ok(ir.clone());
        }
        let record = self.record();
        let skeleton = self.runner.blob("validate", &record.skeleton)?;
        let mut ir: Ir = decode_json("the IR", &skeleton)?;
        let digests: Vec<&str> = record.models.iter().map(|(_, d)| d.as_str()).collect();
        let bytes = self.runner.blobs("validate", &digests)?;
        ir.models = bytes
            .par_iter()
            .zip(&record.models)
            .map(|(bytes, (name, _))| decode_json(&format!("model {name} of the IR"), bytes))
            .collect::<Result<_, _>>()?;
        Ok(self.ir.get_or_init(|| Arc::new(ir)).clone())
    }

    pub fn sql_model(
        &self,
        dialect: Dialect,
        model: &str,
    ) -> Result<Option<NodeState>, EngineError> {
        let generator = format!("sql/{}", dialect.as_str());
        let id = NodeId::ModelGen {
            generator: generator.clone(),
            model: model.to_string(),
        };
        let key = KeyInputs::builtin(id.kind(), "sql")
            .subject(model)
            .option("dialect", dialect.as_str())
            .input("slice", self.record().slices[model].clone());
        self.runner.node(&id, key, || {
            let ir = self.ir().map_err(|e| Failure::Message(e.to_string()))?;
            let slice = ir.slice(model).expect("the model exists");
            let ddl = forge_gen_sql::model_ddl(&slice, model, dialect);
            let bytes = serde_json::to_vec(&ddl).expect("fragments serialize");
            Ok(Produced {
                output: forge_cache::digest_bytes(&bytes),
                value: Some(bytes),
                refs: Vec::new(),
                files: Vec::new(),
                subkeys: Vec::new(),
            })
        })
    }

    pub fn sql_project(
        &self,
        dialect: Dialect,
        models: &[String],
    ) -> Result<Option<NodeState>, EngineError> {
        let generator = format!("sql/{}", dialect.as_str());
        let id = NodeId::ProjectGen {
            generator: generator.clone(),
        };
        let mut key = KeyInputs::builtin(id.kind(), "sql")
            .option("dialect", dialect.as_str())
            .option("layout", LAYOUT_FORMAT)
            .input("validate", self.state(&NodeId::Validate)?.output);
        let mut fragment_states = Vec::with_capacity(models.len());
        for model in models {
            let fid = NodeId::ModelGen {
                generator: generator.clone(),
                model: model.clone(),
            };
            let state = self.state(&fid)?;
            key = key.input(fid.to_string(), state.output.clone());
            fragment_states.push((model, fid, state));
        }
        self.runner.node(&id, key, || {
            let fail = |e: EngineError| Failure::Message(e.to_string());
            let ir = self.ir().map_err(fail)?;
            let digests: BTreeMap<String, String> = fragment_states
                .iter()
                .map(|(model, _, state)| ((*model).clone(), state.output.clone()))
                .collect();
            let spliced = self
                .splice_sql(&id, dialect, &ir, &digests, &fragment_states)
                .map_err(fail)?;
            let (file, layout) = match spliced {
                Some(done) => done,
                None => {
                    let named: Vec<(String, &NodeState)> = fragment_states
                        .iter()
                        .map(|(_, fid, state)| (fid.to_string(), state))
                        .collect();
                    let ddls: Vec<ModelDdl> = self.runner.values(&named).map_err(fail)?;
                    let fragments = fragment_states
                        .iter()
                        .zip(ddls)
                        .map(|((model, _, state), ddl)| {
                            let digest = state.output.clone();
                            ((*model).clone(), forge_gen_sql::Fragment { ddl, digest })
                        })
                        .collect();
                    forge_gen_sql::assemble_with_layout(&ir, dialect, fragments)
                }
            };
            let mut produced = Produced::file(&format!("sql/{}", dialect.as_str()), file);
            produced.value = Some(serde_json::to_vec(&layout).expect("layouts serialize"));
            Ok(produced)
        })
    }

    /// The assembly of `id` from its last version when only some fragments changed: the last
    /// layout and file, and only the changed fragments, are loaded. `None` when there is no last
    /// version (or it has no layout) or `forge_gen_sql::splice` declines.
    fn splice_sql(
        &self,
        id: &NodeId,
        dialect: Dialect,
        ir: &Ir,
        digests: &BTreeMap<String, String>,
        fragment_states: &[(&String, NodeId, NodeState)],
    ) -> Result<Option<(forge_schemas::OutputFile, forge_gen_sql::Layout)>, EngineError> {
        let name = id.to_string();
        let Some(prev) = self.runner.prev.nodes.get(&name) else {
            return Ok(None);
        };
        let (Some(_), Some(file)) = (&prev.value, prev.files.first()) else {
            return Ok(None);
        };
        let layout: forge_gen_sql::Layout = match self.runner.value(&name, prev) {
            Ok(layout) => layout,
            // A layout of an earlier shape (see `LAYOUT_FORMAT`): the file is assembled whole.
            Err(EngineError::Decode { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let placed: BTreeMap<&str, &str> = layout
            .tables
            .iter()
            .filter(|t| !t.fragment.is_empty())
            .map(|t| (t.model.as_str(), t.fragment.as_str()))
            .collect();
        let changed: Vec<(&String, String, &NodeState)> = fragment_states
            .iter()
            .filter(|(model, _, state)| placed.get(model.as_str()) != Some(&state.output.as_str()))
            .map(|(model, fid, state)| (*model, fid.to_string(), state))
            .collect();
        // Past a few changed tables, loading them all and writing the file whole costs the same.
        if changed.len() > fragment_states.len() / 4 {
            return Ok(None);
        }
        let named: Vec<(String, &NodeState)> = changed
            .iter()
            .map(|(_, fid, state)| (fid.clone(), *state))
            .collect();
        let ddls: Vec<ModelDdl> = self.runner.values(&named)?;
        let changed: BTreeMap<String, ModelDdl> = changed
            .into_iter()
            .map(|(model, _, _)| model.clone())
            .zip(ddls)
            .collect();
        let content = self.runner.blob(&name, &file.digest)?;
        let Ok(content) = std::str::from_utf8(&content) else {
            return Ok(None);
        };
        Ok(forge_gen_sql::splice(
            &layout, content, ir, dialect, digests, &changed,
        ))
    }

    /// `gen:rls`: PostgreSQL row-level security, `rls/policies.sql`.
    pub fn rls(&self) -> Result<Option<NodeState>, EngineError> {
        let id = NodeId::ProjectGen {
            generator: "rls".into(),
        };
        let key = KeyInputs::builtin(id.kind(), "rls")
            .input("validate", self.state(&NodeId::Validate)?.output);
        self.runner.node(&id, key, || {
            let ir = self.ir().map_err(|e| Failure::Message(e.to_string()))?;
            let mut response = crate::builtin::generate("rls", &ir).expect("rls is built in");
            Ok(Produced::file("rls", response.files.remove(0)))
        })
    }

    /// `gen:guard/<kind>`: the policies for the application, `guards/guards.ts` or
    /// `guards/<dialect>.json`.
    pub fn guard(&self, generator: &str) -> Result<Option<NodeState>, EngineError> {
        let id = NodeId::ProjectGen {
            generator: generator.to_string(),
        };
        let key = KeyInputs::builtin(id.kind(), generator)
            .input("validate", self.state(&NodeId::Validate)?.output);
        self.runner.node(&id, key, || {
            let ir = self.ir().map_err(|e| Failure::Message(e.to_string()))?;
            let mut response = crate::builtin::generate(generator, &ir)
                .ok_or_else(|| Failure::Message(format!("unknown generator {generator}")))?;
            Ok(Produced::file("guards", response.files.remove(0)))
        })
    }

    /// `migrations`: whether the schema is what the history leads to. When it is not, the node's
    /// value is a warning (replayed on every build until a migration records the change).
    pub fn migrations(&self) -> Result<Option<NodeState>, EngineError> {
        let key = migrations_key(&self.state(&NodeId::Validate)?.output, &self.snapshot);
        self.runner.node(&NodeId::Migrations, key, || {
            let ir = self.ir().map_err(|e| Failure::Message(e.to_string()))?;
            let pending = crate::migrations::pending(&self.snapshot, &ir)
                .map_err(|e| Failure::Message(format!("the migration history: {e}")))?;
            let value = pending.as_ref().map(|reason| {
                let warning = Diagnostic {
                    severity: Severity::Warning,
                    code: MIGRATION_PENDING.into(),
                    message: format!("the schema changed and no migration records it ({reason})"),
                    primary: None,
                    related: Vec::new(),
                    help: Some(
                        "run `forge migrate plan` to see the operations, then `forge migrate new <name>`"
                            .into(),
                    ),
                };
                serde_json::to_vec(&vec![warning]).expect("diagnostics serialize")
            });
            Ok(Produced {
                output: forge_cache::digest_bytes(pending.unwrap_or_default().as_bytes()),
                value,
                refs: Vec::new(),
                files: Vec::new(),
                subkeys: Vec::new(),
            })
        })
    }

    /// The `schema.sql` that `gen:sql/<dialect>` assembled.
    fn schema_file(&self, dialect: &str) -> Result<crate::state::FileOut, EngineError> {
        let state = self.state(&NodeId::ProjectGen {
            generator: format!("sql/{dialect}"),
        })?;
        state
            .files
            .first()
            .cloned()
            .ok_or_else(|| EngineError::Invalid(format!("gen:sql/{dialect} wrote no schema")))
    }

    /// `sandbox:sqlite`: applies the SQLite schema to in-memory databases (groups memoized), and,
    /// when the project keeps a migration history that records the schema, replays the history
    /// (memoized under its files' digests) and requires it to build exactly what the schema
    /// declares.
    pub fn sandbox_sqlite(&self) -> Result<Option<NodeState>, EngineError> {
        let file = self.schema_file("sqlite")?;
        let key = sandbox_key(
            &file,
            &self.state(&NodeId::Validate)?.output,
            &self.snapshot,
            &self.history,
        );
        self.runner
            .node(&NodeId::Sandbox("sqlite".into()), key, || {
                let fail = |e: EngineError| Failure::Message(e.to_string());
                let bytes = self
                    .runner
                    .blob("sandbox:sqlite", &file.digest)
                    .map_err(fail)?;
                let sql = String::from_utf8_lossy(&bytes);
                let ir = self.ir().map_err(fail)?;
                let previous = self.previous_groups();
                let (mut report, mut groups) =
                    self.apply_groups(&file.path, &sql, &ir, &previous)?;
                let mut replayed = None;
                if self.history_due(&ir)? {
                    // The history is compared with what the groups hold, so their results are
                    // read back. A result the cache lost (or holds damaged) behind a reused group
                    // makes every group go through its sub-action again, which applies the group
                    // anew when its result is missing.
                    let results = match self.group_results(&groups) {
                        Err(_) if !previous.is_empty() => {
                            (report, groups) =
                                self.apply_groups(&file.path, &sql, &ir, &Default::default())?;
                            self.group_results(&groups)
                        }
                        read => read,
                    }
                    .map_err(fail)?;
                    let replay = self.replay_history(&results)?;
                    report.push_str(&format!(
                        "; history of {} migrations replayed",
                        self.history.len()
                    ));
                    replayed = Some(replay);
                }
                let mut stored: Vec<(String, String)> = groups
                    .iter()
                    .map(|g| (g.key.clone(), g.result.clone()))
                    .collect();
                if let Some(replay) = replayed {
                    stored.push((replay.key, replay.digest));
                }
                stored.sort();
                let record = SandboxRecord { groups };
                Ok(Produced {
                    output: forge_cache::digest_bytes(report.as_bytes()),
                    value: Some(serde_json::to_vec(&record).expect("records serialize")),
                    refs: stored.iter().map(|(_, d)| Ref::Stored(d.clone())).collect(),
                    files: Vec::new(),
                    subkeys: stored.into_iter().map(|(k, _)| k).collect(),
                })
            })
    }

    /// Applies the SQLite schema in groups (`crate::sandbox::apply_sqlite`): a group recorded in
    /// `previous` gives its tables from there, any other goes through its sub-action. Returns the
    /// report and every group, sorted by key.
    fn apply_groups(
        &self,
        file: &str,
        sql: &str,
        ir: &Ir,
        previous: &HashMap<String, GroupRecord>,
    ) -> Result<(String, Vec<GroupRecord>), Failure> {
        let used = std::sync::Mutex::new(Vec::new());
        let memo = |digest: &str, apply: &dyn Fn() -> Result<LiveSchema, String>| {
            let key = KeyInputs::builtin("sandbox:sqlite/group", "sqlite")
                .option("sqlite", rusqlite::version())
                .option("result", "introspection")
                .input("statements", digest);
            if let Some(group) = previous.get(&key.digest()) {
                used.lock().unwrap().push(group.clone());
                return Ok(group.tables.clone());
            }
            let done = self
                .runner
                .subtask("sandbox:sqlite/group", key, || {
                    apply().map(|live| serde_json::to_vec(&live).expect("schemas serialize"))
                })
                .map_err(subtask_message)?;
            let tables = crate::sandbox::table_names(&done.value)?;
            used.lock().unwrap().push(GroupRecord {
                key: done.key,
                result: done.digest,
                tables: tables.clone(),
            });
            Ok(tables)
        };
        let report =
            crate::sandbox::apply_sqlite(file, sql, ir, &memo).map_err(Failure::Message)?;
        let mut groups = used.into_inner().unwrap();
        groups.sort_by(|a, b| a.key.cmp(&b.key));
        Ok((report, groups))
    }

    /// The stored results of `groups` (what each group's database held), checked against their
    /// digests.
    fn group_results(&self, groups: &[GroupRecord]) -> Result<Vec<Arc<Vec<u8>>>, EngineError> {
        let digests: Vec<&str> = groups.iter().map(|g| g.result.as_str()).collect();
        self.runner.blobs("sandbox:sqlite", &digests)
    }

    /// The groups the last `sandbox:sqlite` applied, by subtask key (none when it kept no
    /// record, or its record cannot be read).
    fn previous_groups(&self) -> HashMap<String, GroupRecord> {
        self.previous_value::<SandboxRecord>(&NodeId::Sandbox("sqlite".into()))
            .map(|record| {
                record
                    .groups
                    .into_iter()
                    .map(|g| (g.key.clone(), g))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `sandbox:postgres`: builds the PostgreSQL schema on the server named by the variable of
    /// `url-env`, and replays the history there as the SQLite sandbox does (`sandbox_pg.rs`).
    /// The key holds whether the variable is set, never its value; unset, the node only warns.
    pub fn sandbox_postgres(&self) -> Result<Option<NodeState>, EngineError> {
        let file = self.schema_file("postgres")?;
        let env = self.postgres_url_env.clone().unwrap_or_default();
        let url = std::env::var(&env).ok().filter(|v| !v.trim().is_empty());
        let mut key = KeyInputs::builtin("sandbox:postgres", "postgres")
            .input(file.path.clone(), file.digest.clone())
            .input("validate", self.state(&NodeId::Validate)?.output)
            .option("url-env", &env)
            .option("server", if url.is_some() { "set" } else { "unset" });
        if !self.history_postgres.is_empty() {
            key = key.input("snapshot", forge_cache::digest_bytes(&self.snapshot));
            for (folder, sql) in &self.history_postgres {
                key = key.input(
                    format!("history:{folder}"),
                    forge_cache::digest_bytes(sql.as_bytes()),
                );
            }
        }
        self.runner
            .node(&NodeId::Sandbox("postgres".into()), key, || {
                let fail = |e: String| Failure::Message(e);
                let Some(url) = &url else {
                    let note = Diagnostic {
                        severity: Severity::Warning,
                        code: SANDBOX_SKIPPED.into(),
                        message: format!("sandbox:postgres skipped: {env} is not set"),
                        primary: None,
                        related: Vec::new(),
                        help: Some(format!(
                            "set {env} to a PostgreSQL server's URL (forge creates and drops scratch databases there) to check the schema and the migration history on it"
                        )),
                    };
                    return Ok(Produced {
                        output: forge_cache::digest_bytes(b"skipped"),
                        value: Some(serde_json::to_vec(&vec![note]).expect("diagnostics serialize")),
                        refs: Vec::new(),
                        files: Vec::new(),
                        subkeys: Vec::new(),
                    });
                };
                let bytes = self
                    .runner
                    .blob("sandbox:postgres", &file.digest)
                    .map_err(|e| fail(e.to_string()))?;
                let sql = String::from_utf8_lossy(&bytes);
                let ir = self.ir().map_err(|e| fail(e.to_string()))?;
                let history = match crate::migrations::pending(&self.snapshot, &ir) {
                    Ok(None) if !self.history_postgres.is_empty() => {
                        let snapshot = forge_migrate::DbSchema::from_json(&self.snapshot)
                            .map_err(|e| fail(format!("the migration snapshot: {e}")))?;
                        Some((self.history_postgres.as_slice(), snapshot))
                    }
                    Ok(_) => None,
                    Err(e) => return Err(fail(format!("the migration history: {e}"))),
                };
                let history = history.as_ref().map(|(m, s)| (*m, s));
                let report = crate::sandbox_pg::run(url, &sql, history).map_err(fail)?;
                Ok(Produced {
                    output: forge_cache::digest_bytes(report.as_bytes()),
                    value: None,
                    refs: Vec::new(),
                    files: Vec::new(),
                    subkeys: Vec::new(),
                })
            })
    }

    /// Whether the migration history is to be replayed: there is one, and it records the schema
    /// (while the schema has changes no migration records yet, the `migrations` node warns about
    /// those instead).
    fn history_due(&self, ir: &Ir) -> Result<bool, Failure> {
        if self.history.is_empty() {
            return Ok(false);
        }
        match crate::migrations::pending(&self.snapshot, ir) {
            Ok(None) => Ok(true),
            Ok(Some(_)) => Ok(false),
            Err(e) => Err(Failure::Message(format!("the migration history: {e}"))),
        }
    }

    /// Replays the migration history on an empty SQLite database and compares what it builds with
    /// what the groups' databases held (`results`, their stored results).
    fn replay_history(&self, results: &[Arc<Vec<u8>>]) -> Result<crate::run::Subtask, Failure> {
        let mut key = KeyInputs::builtin("sandbox:sqlite/history", "sqlite")
            .option("sqlite", rusqlite::version());
        for (folder, sql) in &self.history {
            key = key.input(folder.clone(), forge_cache::digest_bytes(sql.as_bytes()));
        }
        let done = self
            .runner
            .subtask("sandbox:sqlite/history", key, || {
                let conn =
                    forge_migrate::replay_sqlite(&self.history).map_err(|f| f.to_string())?;
                let live = forge_migrate::introspect_sqlite(&conn)
                    .map_err(|e| format!("cannot read back the replayed schema: {e}"))?;
                Ok::<_, String>(serde_json::to_vec(&live).expect("schemas serialize"))
            })
            .map_err(|e| {
                Failure::Message(format!(
                    "the migration history does not replay on SQLite: {}",
                    subtask_message(e)
                ))
            })?;
        let replayed: LiveSchema = serde_json::from_slice(&done.value)
            .map_err(|e| Failure::Message(format!("a stored replay does not decode: {e}")))?;
        let snapshot = forge_migrate::DbSchema::from_json(&self.snapshot)
            .map_err(|e| Failure::Message(format!("the migration snapshot: {e}")))?;
        let declared = crate::sandbox::declared(results).map_err(Failure::Message)?;
        let differences = forge_migrate::sandbox_diff(&replayed, &declared, &snapshot);
        if !differences.is_empty() {
            let list: Vec<String> = differences.iter().map(|d| format!("  - {d}")).collect();
            return Err(Failure::Message(format!(
                "the migration history does not build the schema on SQLite ({} difference{}):\n{}\n  help: a migration was edited by hand, or the snapshot no longer matches the history; restore the edited file, or add a migration that makes the change (`forge migrate new <name>`)",
                differences.len(),
                if differences.len() == 1 { "" } else { "s" },
                list.join("\n")
            )));
        }
        Ok(done)
    }

    /// `gen:<plugin>[:<Model>]`: runs a generator plugin on the model's slice (model scope) or the
    /// whole IR (project scope). Its warnings are the node's value, replayed on every build.
    pub fn plugin(
        &self,
        generator: &str,
        model: Option<&str>,
    ) -> Result<Option<NodeState>, EngineError> {
        let plugins = self
            .plugins
            .get()
            .expect("plugin nodes are planned only after the plugins are described");
        let plugin = &plugins.entries[generator];
        let id = NodeId::Plugin {
            generator: generator.to_string(),
            model: model.map(str::to_string),
        };
        let described = match &plugin.described {
            Ok(d) => d,
            Err(failure) => {
                let message = failure.to_string();
                return self
                    .runner
                    .node(&id, KeyInputs::builtin("plugin", generator), || {
                        Err(Failure::Message(message))
                    });
            }
        };
        let ir_digest = match model {
            Some(m) => self.record().slices[m].clone(),
            None => self.state(&NodeId::Validate)?.output,
        };
        let key = crate::plugin::node_key(plugin, described, model, &ir_digest);
        self.runner.node(&id, key, || {
            let fail = |e: EngineError| Failure::Message(e.to_string());
            let ir = self.ir().map_err(fail)?;
            let (scope, ir) = match model {
                Some(m) => (
                    RequestScope::Model {
                        model: m.to_string(),
                    },
                    ir.slice(m).expect("the model exists"),
                ),
                None => (RequestScope::Project, (*ir).clone()),
            };
            let request = Request {
                protocol: PROTOCOL_VERSION,
                generator: generator.to_string(),
                options: plugin.config.options.clone(),
                scope,
                ir,
            };
            let folder = self.out.join(&plugin.config.out);
            let response = plugins
                .generate(generator, &request, &folder)
                .map_err(|f| Failure::Message(f.to_string()))?;
            let diagnostics = self
                .plugin_diagnostics(generator, &response.diagnostics)
                .map_err(fail)?;
            if diagnostics.iter().any(Diagnostic::is_error) {
                return Err(Failure::Diagnostics(diagnostics, Vec::new()));
            }
            let mut files = Vec::with_capacity(response.files.len());
            let mut listing = Vec::with_capacity(response.files.len());
            for file in response.files {
                let path = format!("{}/{}", plugin.config.out, file.path);
                let content = Blob::new(file.content.into_bytes());
                listing.push((path.clone(), content.digest().to_string()));
                files.push((path, content, file.origins));
            }
            let describe = plugin.describe_key.iter().cloned().collect();
            Ok(Produced {
                output: digest_json(&listing),
                value: (!diagnostics.is_empty())
                    .then(|| serde_json::to_vec(&diagnostics).expect("diagnostics serialize")),
                refs: Vec::new(),
                files,
                subkeys: describe,
            })
        })
    }

    /// A plugin's diagnostics as forge's, pointing at the model (or field) they are about.
    fn plugin_diagnostics(
        &self,
        generator: &str,
        found: &[forge_schemas::PluginDiagnostic],
    ) -> Result<Vec<Diagnostic>, EngineError> {
        if found.is_empty() {
            return Ok(Vec::new());
        }
        let provenance = self.provenance()?;
        Ok(found
            .iter()
            .map(|d| {
                let place = match (&d.model, &d.field) {
                    (Some(m), Some(f)) => provenance
                        .entries
                        .get(&format!("{m}.{f}"))
                        .or_else(|| provenance.entries.get(m)),
                    (Some(m), None) => provenance.entries.get(m),
                    _ => None,
                };
                let (severity, code) = match d.severity {
                    DiagnosticSeverity::Error => (Severity::Error, "forge::plugin-error"),
                    DiagnosticSeverity::Warning => (Severity::Warning, "forge::plugin-warning"),
                };
                Diagnostic {
                    severity,
                    code: code.into(),
                    message: format!("generator `{generator}`: {}", d.message),
                    primary: place.map(|loc| Label {
                        loc: loc.clone(),
                        text: format!("reported by generator `{generator}`"),
                    }),
                    related: Vec::new(),
                    help: None,
                }
            })
            .collect())
    }

    fn provenance(&self) -> Result<&Provenance, EngineError> {
        if let Some(p) = self.provenance.get() {
            return Ok(p);
        }
        let parsed = self.parsed_files(&self.record().files)?;
        let provenance = crate::explain::provenance_of(&parsed);
        Ok(self.provenance.get_or_init(|| provenance))
    }
}
