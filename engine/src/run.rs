//! The machinery every node shares: compute the key, look for it (first in the last build's state,
//! then in the action table), run the node's work on a miss, and record what it produced. Work
//! results are buffered and written to the cache in one transaction per wave of the graph.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use forge_cache::Cache;
use forge_frontend::{Diagnostic, SpanTable};
use forge_schemas::Origin;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::build::Progress;
use crate::error::EngineError;
use crate::key::KeyInputs;
use crate::node::NodeId;
use crate::report::{NodeReport, Status};
use crate::state::{BuildState, FileOut, NodeState};

/// What a node's work produced.
pub(crate) struct Produced {
    /// The output digest (what dependents' keys see).
    pub output: String,
    /// The node's value, stored as a blob.
    pub value: Option<Vec<u8>>,
    /// Further blobs the value refers to by digest (kept alive with it by `gc`).
    pub refs: Vec<Ref>,
    /// Files for the out folder: path, content, origins.
    pub files: Vec<(String, Blob, Vec<Origin>)>,
    /// Keys of the sub-actions the work used ([`Runner::subtask`]), kept alive with the node.
    pub subkeys: Vec<String>,
}

impl Produced {
    /// A generator's one file, placed in `folder` of the out folder; the output digest covers its
    /// path and content.
    pub fn file(folder: &str, file: forge_schemas::OutputFile) -> Produced {
        let path = format!("{folder}/{}", file.path);
        let content = Blob::new(file.content.into_bytes());
        let output = forge_schemas::digest_json(&[(&path, &content.digest)]);
        Produced {
            output,
            value: None,
            refs: Vec::new(),
            files: vec![(path, content, file.origins)],
            subkeys: Vec::new(),
        }
    }
}

/// Bytes to store, with their digest: hashed once, when made.
pub(crate) struct Blob {
    digest: String,
    bytes: Vec<u8>,
}

impl Blob {
    pub fn new(bytes: Vec<u8>) -> Blob {
        Blob {
            digest: forge_cache::digest_bytes(&bytes),
            bytes,
        }
    }

    /// `bytes` with the digest the caller took of them ([`forge_cache::digest_bytes`]); checked
    /// in debug builds.
    pub fn hashed(digest: String, bytes: Vec<u8>) -> Blob {
        debug_assert_eq!(digest, forge_cache::digest_bytes(&bytes), "a blob's digest");
        Blob { digest, bytes }
    }

    pub fn digest(&self) -> &str {
        &self.digest
    }
}

/// A blob that a node's value refers to.
pub(crate) enum Ref {
    /// New bytes, to store.
    New(Blob),
    /// A blob the cache already holds, by digest (an unchanged model of the IR, a sub-action's
    /// value): listed, not stored again.
    Stored(String),
}

/// A [`Runner::subtask`]'s result.
pub(crate) struct Subtask {
    pub key: String,
    /// The value's blob.
    pub digest: String,
    pub value: Arc<Vec<u8>>,
}

/// Why a [`Runner::subtask`] failed: its work failed, or the cache did.
pub(crate) enum SubtaskError<E> {
    Work(E),
    Engine(EngineError),
}

impl<E> From<EngineError> for SubtaskError<E> {
    fn from(e: EngineError) -> Self {
        SubtaskError::Engine(e)
    }
}

impl<E> From<forge_cache::CacheError> for SubtaskError<E> {
    fn from(e: forge_cache::CacheError) -> Self {
        SubtaskError::Engine(e.into())
    }
}

/// Why a node's work failed.
pub(crate) enum Failure {
    /// Problems in the user's input, with the sources to render them against.
    Diagnostics(Vec<Diagnostic>, Vec<(String, String, SpanTable)>),
    /// Anything else, as a message.
    Message(String),
}

/// The action record's body (JSON in the action table).
#[derive(Serialize, Deserialize)]
pub(crate) struct ActionBody {
    pub key_inputs: KeyInputs,
    pub output: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileOut>,
    /// File path -> origins of its lines.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub origins: BTreeMap<String, Vec<Origin>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subkeys: Vec<String>,
    pub micros: u64,
}

#[derive(Default)]
struct Pending {
    /// Digest and bytes.
    blobs: Vec<(String, Arc<Vec<u8>>)>,
    actions: Vec<(String, String, String, String)>,
}

/// The shared state of one build while it runs.
pub(crate) struct Runner {
    pub cache: Mutex<Cache>,
    pub prev: BuildState,
    pub next: Mutex<BuildState>,
    pub reports: Mutex<Vec<NodeReport>>,
    pub diagnostics: Mutex<Vec<Diagnostic>>,
    pub sources: Mutex<BTreeMap<String, (String, SpanTable)>>,
    pub failures: Mutex<Vec<(String, String)>>,
    pending: Mutex<Pending>,
    /// Blobs produced or loaded in this build, by digest.
    memo: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    progress: Option<Arc<dyn Progress>>,
}

impl Runner {
    pub fn new(cache: Cache, prev: BuildState, progress: Option<Arc<dyn Progress>>) -> Self {
        Runner {
            cache: Mutex::new(cache),
            prev,
            next: Mutex::new(BuildState::default()),
            reports: Mutex::new(Vec::new()),
            diagnostics: Mutex::new(Vec::new()),
            sources: Mutex::new(BTreeMap::new()),
            failures: Mutex::new(Vec::new()),
            pending: Mutex::new(Pending::default()),
            memo: Mutex::new(HashMap::new()),
            progress,
        }
    }

    /// Records how a node ended, and tells the progress display.
    fn report(&self, report: NodeReport) {
        if let Some(p) = &self.progress {
            p.node_done(&report.id, report.status);
        }
        self.reports.lock().unwrap().push(report);
    }

    /// Runs node `id` under `key`: a cache hit returns the stored state; a miss runs `work`.
    /// Returns the node's state, or `None` when it failed.
    pub fn node(
        &self,
        id: &NodeId,
        key_inputs: KeyInputs,
        work: impl FnOnce() -> Result<Produced, Failure>,
    ) -> Result<Option<NodeState>, EngineError> {
        let name = id.to_string();
        let key = key_inputs.digest();
        if let Some(state) = self.lookup(&name, &key)? {
            self.finish(&name, state.clone(), Status::Cached, 0, key, key_inputs);
            return Ok(Some(state));
        }
        let started = Instant::now();
        let result = work();
        let micros = started.elapsed().as_micros() as u64;
        match result {
            Ok(produced) => {
                let state = self.store(&name, &key, &key_inputs, produced, micros)?;
                self.finish(
                    &name,
                    state.clone(),
                    Status::Executed,
                    micros,
                    key,
                    key_inputs,
                );
                Ok(Some(state))
            }
            Err(failure) => {
                match failure {
                    Failure::Diagnostics(diags, sources) => {
                        let mut map = self.sources.lock().unwrap();
                        for (path, text, spans) in sources {
                            map.insert(path, (text, spans));
                        }
                        self.diagnostics.lock().unwrap().extend(diags);
                    }
                    Failure::Message(message) => {
                        self.failures.lock().unwrap().push((name.clone(), message))
                    }
                }
                self.report(NodeReport {
                    id: name,
                    status: Status::Failed,
                    micros,
                    key: Some(key),
                    key_inputs: Some(key_inputs),
                });
                Ok(None)
            }
        }
    }

    /// Takes every node of the previous build as found in the cache.
    pub fn reuse_previous(&self) {
        let mut next = self.next.lock().unwrap();
        for (id, state) in &self.prev.nodes {
            if id == "config" {
                continue;
            }
            next.nodes.insert(id.clone(), state.clone());
            self.report(NodeReport {
                id: id.clone(),
                status: Status::Cached,
                micros: 0,
                key: Some(state.key.clone()),
                key_inputs: None,
            });
        }
    }

    /// Marks `id` as skipped (an input failed, or the build stopped).
    pub fn skip(&self, id: &NodeId) {
        self.report(NodeReport {
            id: id.to_string(),
            status: Status::Skipped,
            micros: 0,
            key: None,
            key_inputs: None,
        });
    }

    fn lookup(&self, name: &str, key: &str) -> Result<Option<NodeState>, EngineError> {
        if let Some(prev) = self.prev.nodes.get(name)
            && prev.key == key
        {
            return Ok(Some(prev.clone()));
        }
        let record = self.cache.lock().unwrap().get_action(key)?;
        let Some(record) = record else {
            return Ok(None);
        };
        let body: ActionBody = decode_json(
            &format!("action record of {name}"),
            record.record.as_bytes(),
        )?;
        Ok(Some(NodeState {
            key: key.to_string(),
            output: body.output,
            value: body.value,
            refs: body.refs,
            files: body.files,
            subkeys: body.subkeys,
        }))
    }

    fn store(
        &self,
        name: &str,
        key: &str,
        key_inputs: &KeyInputs,
        produced: Produced,
        micros: u64,
    ) -> Result<NodeState, EngineError> {
        let mut pending_blobs = Vec::new();
        let value = produced.value.map(|bytes| {
            let digest = forge_cache::digest_bytes(&bytes);
            pending_blobs.push((digest.clone(), Arc::new(bytes)));
            digest
        });
        let refs = produced
            .refs
            .into_iter()
            .map(|r| match r {
                Ref::New(blob) => {
                    pending_blobs.push((blob.digest.clone(), Arc::new(blob.bytes)));
                    blob.digest
                }
                Ref::Stored(digest) => digest,
            })
            .collect::<Vec<_>>();
        let mut files = Vec::new();
        let mut origins = BTreeMap::new();
        for (path, blob, file_origins) in produced.files {
            let digest = blob.digest;
            pending_blobs.push((digest.clone(), Arc::new(blob.bytes)));
            if !file_origins.is_empty() {
                origins.insert(path.clone(), file_origins);
            }
            files.push(FileOut { path, digest });
        }
        let body = ActionBody {
            key_inputs: key_inputs.clone(),
            output: produced.output.clone(),
            value: value.clone(),
            refs: refs.clone(),
            files: files.clone(),
            origins,
            subkeys: produced.subkeys.clone(),
            micros,
        };
        let record = serde_json::to_string(&body).expect("action records serialize");
        {
            let mut memo = self.memo.lock().unwrap();
            let mut pending = self.pending.lock().unwrap();
            for (digest, bytes) in pending_blobs {
                pending.blobs.push((digest.clone(), bytes.clone()));
                memo.insert(digest, bytes);
            }
            pending.actions.push((
                key.to_string(),
                name.to_string(),
                produced.output.clone(),
                record,
            ));
        }
        Ok(NodeState {
            key: key.to_string(),
            output: produced.output,
            value,
            refs,
            files,
            subkeys: produced.subkeys,
        })
    }

    fn finish(
        &self,
        name: &str,
        state: NodeState,
        status: Status,
        micros: u64,
        key: String,
        key_inputs: KeyInputs,
    ) {
        self.next
            .lock()
            .unwrap()
            .nodes
            .insert(name.to_string(), state);
        self.reports.lock().unwrap().push(NodeReport {
            id: name.to_string(),
            status,
            micros,
            key: Some(key),
            key_inputs: Some(key_inputs),
        });
    }

    /// A memoized part of a node's work: looks `key_inputs` up in the action table and returns
    /// the stored value, or runs `work` and records its value under the key. The node lists the
    /// returned key in [`Produced::subkeys`] and the value's digest in its `refs`, so `gc` keeps
    /// both.
    pub fn subtask<E>(
        &self,
        name: &str,
        key_inputs: KeyInputs,
        work: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Subtask, SubtaskError<E>> {
        let key = key_inputs.digest();
        let record = self.cache.lock().unwrap().get_action(&key)?;
        if let Some(record) = record {
            let body: ActionBody = decode_json(
                &format!("action record of {name}"),
                record.record.as_bytes(),
            )?;
            // A value whose blob is gone counts as a miss.
            if let Some(digest) = body.value
                && let Ok(value) = self.blob(name, &digest)
            {
                return Ok(Subtask { key, digest, value });
            }
        }
        let started = Instant::now();
        let bytes = work().map_err(SubtaskError::Work)?;
        let micros = started.elapsed().as_micros() as u64;
        let digest = forge_cache::digest_bytes(&bytes);
        let body = ActionBody {
            key_inputs,
            output: digest.clone(),
            value: Some(digest.clone()),
            refs: Vec::new(),
            files: Vec::new(),
            origins: BTreeMap::new(),
            subkeys: Vec::new(),
            micros,
        };
        let record = serde_json::to_string(&body).expect("action records serialize");
        let bytes = Arc::new(bytes);
        self.memo
            .lock()
            .unwrap()
            .insert(digest.clone(), bytes.clone());
        let mut pending = self.pending.lock().unwrap();
        pending.blobs.push((digest.clone(), bytes.clone()));
        pending
            .actions
            .push((key.clone(), name.to_string(), digest.clone(), record));
        Ok(Subtask {
            key,
            digest,
            value: bytes,
        })
    }

    /// Writes the buffered blobs and action records in one transaction.
    pub fn flush(&self) -> Result<(), EngineError> {
        let pending = std::mem::take(&mut *self.pending.lock().unwrap());
        if pending.blobs.is_empty() && pending.actions.is_empty() {
            return Ok(());
        }
        let mut cache = self.cache.lock().unwrap();
        cache.transaction(|cache| {
            for (digest, bytes) in &pending.blobs {
                cache.put_hashed_blob(digest, bytes)?;
            }
            for (key, node, output, record) in &pending.actions {
                cache.put_action(key, node, output, record)?;
            }
            Ok(())
        })?;
        Ok(())
    }

    /// The bytes of blob `digest`, from this build's memory or the cache.
    pub fn blob(&self, node: &str, digest: &str) -> Result<Arc<Vec<u8>>, EngineError> {
        let mut found = self.blobs(node, &[digest])?;
        Ok(found.remove(0))
    }

    /// The bytes of several blobs: those this build has not seen yet are read from the cache
    /// under one lock (a build may load a thousand fragments at once).
    pub fn blobs(&self, node: &str, digests: &[&str]) -> Result<Vec<Arc<Vec<u8>>>, EngineError> {
        let mut found: Vec<Option<Arc<Vec<u8>>>> = {
            let memo = self.memo.lock().unwrap();
            digests.iter().map(|d| memo.get(*d).cloned()).collect()
        };
        if found.iter().any(Option::is_none) {
            let mut loaded = Vec::new();
            {
                let cache = self.cache.lock().unwrap();
                for (slot, digest) in found.iter_mut().zip(digests) {
                    if slot.is_none() {
                        let bytes =
                            cache
                                .get_blob(digest)?
                                .ok_or_else(|| EngineError::MissingBlob {
                                    node: node.to_string(),
                                    digest: digest.to_string(),
                                })?;
                        let bytes = Arc::new(bytes);
                        loaded.push((digest.to_string(), bytes.clone()));
                        *slot = Some(bytes);
                    }
                }
            }
            self.memo.lock().unwrap().extend(loaded);
        }
        Ok(found.into_iter().flatten().collect())
    }

    /// Decodes the JSON values of several nodes' states (`(name, state)`), in parallel.
    pub fn values<T: serde::de::DeserializeOwned + Send>(
        &self,
        states: &[(String, &NodeState)],
    ) -> Result<Vec<T>, EngineError> {
        self.values_with(states, |name, bytes| {
            decode_json(&format!("value of {name}"), bytes)
        })
    }

    /// The parsed files that `parse:` nodes' states (`(name, state)`) hold, decoded in parallel.
    pub fn parsed_files(
        &self,
        states: &[(String, &NodeState)],
    ) -> Result<Vec<forge_frontend::ParsedFile>, EngineError> {
        self.values_with(states, |name, bytes| {
            forge_frontend::ParsedFile::from_bytes(bytes).map_err(|source| {
                EngineError::DecodeParse {
                    what: format!("value of {name}"),
                    source,
                }
            })
        })
    }

    /// Decodes the values of several nodes' states with `decode`, in parallel.
    fn values_with<T: Send>(
        &self,
        states: &[(String, &NodeState)],
        decode: impl Fn(&str, &[u8]) -> Result<T, EngineError> + Sync,
    ) -> Result<Vec<T>, EngineError> {
        let digests = states
            .iter()
            .map(|(name, state)| {
                state
                    .value
                    .as_deref()
                    .ok_or_else(|| EngineError::Invalid(format!("node {name} has no value")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let node = states.first().map_or("", |(name, _)| name.as_str());
        let bytes = self.blobs(node, &digests)?;
        bytes
            .par_iter()
            .zip(states)
            .map(|(bytes, (name, _))| decode(name, bytes))
            .collect()
    }

    /// Decodes the JSON value of a node's state.
    pub fn value<T: serde::de::DeserializeOwned + Send>(
        &self,
        node: &str,
        state: &NodeState,
    ) -> Result<T, EngineError> {
        let mut found = self.values(&[(node.to_string(), state)])?;
        Ok(found.remove(0))
    }
}

/// Decodes JSON `bytes` (`what` names them in the error).
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(
    what: &str,
    bytes: &[u8],
) -> Result<T, EngineError> {
    serde_json::from_slice(bytes).map_err(|source| EngineError::Decode {
        what: what.to_string(),
        source,
    })
}
