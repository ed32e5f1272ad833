//! The out folder: forge writes only the files it owns, listed in `<out>/.forge-manifest.json`.
//! A file it no longer produces is removed; a file it never owned is never touched (writing over
//! one is an error); an owned file edited by hand is reported and restored. Every write is atomic
//! and the manifest is written before (as the union of old and new) and after the files, so a build
//! killed at any moment leaves no torn file and no file forge would later disown.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use serde::{Deserialize, Serialize};

use crate::error::EngineError;

/// The manifest's file name, inside the out folder.
pub const MANIFEST: &str = ".forge-manifest.json";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    files: BTreeMap<String, ManifestEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct ManifestEntry {
    digest: String,
    /// While a build is writing: the digest the file had before, also accepted as untouched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    previous: Option<String>,
    /// Size and modification time when forge last wrote or checked the file: while both still
    /// match, the file is taken as unchanged without reading it (as git does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stamp: Option<Stamp>,
}

/// A file's size and modification time (nanoseconds since the epoch).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    size: u64,
    mtime_ns: u128,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(Stamp {
        size: meta.len(),
        mtime_ns: mtime.as_nanos(),
    })
}

/// What syncing the out folder did (or, with `--check`, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OutChanges {
    /// Files written because they were new or changed.
    pub written: Vec<String>,
    /// Owned files removed because no node produces them any more.
    pub removed: Vec<String>,
    /// Owned files that had been edited by hand and were restored.
    pub restored: Vec<String>,
}

impl OutChanges {
    pub fn is_empty(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty() && self.restored.is_empty()
    }
}

/// Makes `out` hold exactly `artifacts` (path relative to `out` -> content digest). `content`
/// fetches a digest's bytes. With `check`, nothing is written: the changes are only reported.
pub fn sync(
    out: &Path,
    artifacts: &BTreeMap<String, String>,
    content: &dyn Fn(&str) -> Result<Vec<u8>, EngineError>,
    check: bool,
) -> Result<OutChanges, EngineError> {
    let manifest_path = out.join(MANIFEST);
    let old: Manifest = match std::fs::read(&manifest_path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
        Err(_) => Manifest::default(),
    };
    let mut changes = OutChanges::default();
    let mut to_write = Vec::new();
    for (path, digest) in artifacts {
        check_relative(path)?;
        check_no_link(out, path)?;
        let full = out.join(path);
        let known = old.files.get(path);
        // A file whose size and time are still those forge recorded holds what forge wrote.
        let untouched = known.filter(|e| e.stamp.is_some() && e.stamp == stamp(&full));
        if untouched.is_some_and(|e| &e.digest == digest) {
            continue;
        }
        let on_disk = match untouched {
            Some(entry) => Some(entry.digest.clone()),
            None => match std::fs::read(&full) {
                Ok(bytes) => Some(forge_cache::digest_bytes(&bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(EngineError::io(full, e)),
            },
        };
        match (&on_disk, old.files.get(path)) {
            (Some(d), _) if d == digest => continue,
            (Some(_), None) => {
                return Err(EngineError::NotOwned {
                    path: full.display().to_string(),
                });
            }
            (Some(d), Some(entry)) if d != &entry.digest && Some(d) != entry.previous.as_ref() => {
                changes.restored.push(path.clone())
            }
            _ => changes.written.push(path.clone()),
        }
        to_write.push((path, digest));
    }
    let stale: Vec<&String> = old
        .files
        .keys()
        .filter(|p| !artifacts.contains_key(*p))
        .collect();
    for path in &stale {
        if out.join(path).exists() {
            changes.removed.push((*path).clone());
        }
    }
    let settled = old.files.len() == artifacts.len()
        && old
            .files
            .values()
            .all(|e| e.previous.is_none() && e.stamp.is_some());
    if check || (to_write.is_empty() && stale.is_empty() && settled) {
        return Ok(changes);
    }

    // Phase 1: own the union of old and new files, accepting either content for each.
    let mut pending = old.clone();
    for (path, digest) in artifacts {
        let previous = old
            .files
            .get(path)
            .map(|e| e.digest.clone())
            .filter(|d| d != digest);
        pending.files.insert(
            path.clone(),
            ManifestEntry {
                digest: digest.clone(),
                previous,
                stamp: None,
            },
        );
    }
    write_manifest(&manifest_path, &pending)?;
    // Phase 2: write and remove.
    for (path, digest) in to_write {
        let bytes = content(digest)?;
        forge_cache::atomic_write(&out.join(path), &bytes)?;
    }
    for path in stale {
        let full = out.join(path);
        match std::fs::remove_file(&full) {
            Ok(()) => remove_empty_parents(out, &full),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(EngineError::io(full, e)),
        }
    }
    // Phase 3: own exactly the new files.
    let done = Manifest {
        files: artifacts
            .iter()
            .map(|(p, d)| {
                (
                    p.clone(),
                    ManifestEntry {
                        digest: d.clone(),
                        previous: None,
                        stamp: stamp(&out.join(p)),
                    },
                )
            })
            .collect(),
    };
    write_manifest(&manifest_path, &done)?;
    Ok(changes)
}

fn write_manifest(path: &Path, manifest: &Manifest) -> Result<(), EngineError> {
    let mut bytes = serde_json::to_vec_pretty(manifest).expect("manifest serializes");
    bytes.push(b'\n');
    Ok(forge_cache::atomic_write(path, &bytes)?)
}

fn check_relative(path: &str) -> Result<(), EngineError> {
    let p = Path::new(path);
    let ok = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(EngineError::Invalid(format!(
            "artifact path `{path}` is not a plain relative path"
        )))
    }
}

/// Removes the folders between `file` and `out` that became empty.
/// Refuses a path that leads through a symbolic link inside the out folder (a plugin, or anyone,
/// may have planted one to make forge write elsewhere). The out folder itself may be a link.
fn check_no_link(out: &Path, path: &str) -> Result<(), EngineError> {
    let mut current = out.to_path_buf();
    for part in path.split('/') {
        current.push(part);
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(EngineError::Invalid(format!(
                    "refusing to write {}: {} is a symbolic link\n  help: remove the link; forge writes only real files and folders below the out folder",
                    out.join(path).display(),
                    current.display()
                )));
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(items: &[(&str, &str)]) -> (BTreeMap<String, String>, BTreeMap<String, Vec<u8>>) {
        let mut artifacts = BTreeMap::new();
        let mut blobs = BTreeMap::new();
        for (path, text) in items {
            let digest = forge_cache::digest_bytes(text.as_bytes());
            artifacts.insert(path.to_string(), digest.clone());
            blobs.insert(digest, text.as_bytes().to_vec());
        }
        (artifacts, blobs)
    }

    fn run(out: &Path, items: &[(&str, &str)], check: bool) -> Result<OutChanges, EngineError> {
        let (artifacts, blobs) = store(items);
        sync(out, &artifacts, &|d| Ok(blobs[d].clone()), check)
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("a/link")).unwrap();
        let err = run(&out, &[("a/link/x.sql", "one")], false).unwrap_err();
        assert!(err.to_string().contains("is a symbolic link"), "{err}");
        assert!(!elsewhere.join("x.sql").exists());
    }

    #[test]
    fn writes_removes_restores_and_never_touches_foreign_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = run(&out, &[("a/x.sql", "one"), ("b.sql", "two")], false).unwrap();
        assert_eq!(first.written, ["a/x.sql", "b.sql"]);
        std::fs::write(out.join("mine.txt"), "user file").unwrap();
        std::fs::write(out.join("b.sql"), "edited by hand").unwrap();
        let second = run(&out, &[("b.sql", "two")], false).unwrap();
        assert_eq!(second.removed, ["a/x.sql"]);
        assert_eq!(second.restored, ["b.sql"]);
        assert!(!out.join("a").exists(), "the emptied folder is removed");
        assert_eq!(std::fs::read_to_string(out.join("b.sql")).unwrap(), "two");
        assert_eq!(
            std::fs::read_to_string(out.join("mine.txt")).unwrap(),
            "user file"
        );
        let err = run(&out, &[("b.sql", "two"), ("mine.txt", "generated")], false).unwrap_err();
        assert!(matches!(err, EngineError::NotOwned { .. }));
        assert_eq!(
            std::fs::read_to_string(out.join("mine.txt")).unwrap(),
            "user file"
        );
    }

    #[test]
    fn a_changed_file_is_written_and_a_hand_edit_under_it_still_reported() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        run(&out, &[("b.sql", "two")], false).unwrap();
        // As forge left it (its size and time say so): written without being read back.
        let changed = run(&out, &[("b.sql", "three")], false).unwrap();
        assert_eq!(changed.written, ["b.sql"]);
        assert!(changed.restored.is_empty());
        assert_eq!(std::fs::read_to_string(out.join("b.sql")).unwrap(), "three");
        // Edited by hand, and changed by the build as well: restored, and said so.
        std::fs::write(out.join("b.sql"), "edited by hand").unwrap();
        let restored = run(&out, &[("b.sql", "four")], false).unwrap();
        assert_eq!(restored.restored, ["b.sql"]);
        assert_eq!(std::fs::read_to_string(out.join("b.sql")).unwrap(), "four");
    }

    #[test]
    fn check_reports_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        run(&out, &[("b.sql", "two")], false).unwrap();
        let changes = run(&out, &[("b.sql", "three")], true).unwrap();
        assert_eq!(changes.written, ["b.sql"]);
        assert_eq!(std::fs::read_to_string(out.join("b.sql")).unwrap(), "two");
        assert!(run(&out, &[("b.sql", "two")], true).unwrap().is_empty());
    }

    #[test]
    fn a_half_written_build_is_not_taken_for_hand_edits() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        run(&out, &[("b.sql", "old")], false).unwrap();
        // A build that wrote the pending manifest but was killed before writing the file.
        let (artifacts, _) = store(&[("b.sql", "new")]);
        let pending = Manifest {
            files: [(
                "b.sql".to_string(),
                ManifestEntry {
                    digest: artifacts["b.sql"].clone(),
                    previous: Some(forge_cache::digest_bytes(b"old")),
                    stamp: None,
                },
            )]
            .into(),
        };
        write_manifest(&out.join(MANIFEST), &pending).unwrap();
        let changes = run(&out, &[("b.sql", "new")], false).unwrap();
        assert_eq!(changes.written, ["b.sql"]);
        assert!(changes.restored.is_empty());
    }
}
