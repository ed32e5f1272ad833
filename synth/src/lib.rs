//! Deterministic synthetic forge projects, for benchmarks and tests.
//!
//! [`project`] returns a `forge.kdl` and `schema/part_NNN.kdl` files holding a realistic
//! multi-tenant domain: model 0 is `Tenant`; every other model is tenant-scoped
//! (`tenant_id uuid tenant=#true`), has 6 to 12 fields of varied types, `belongs-to` relations to
//! earlier models only (so no cycle), some `has-many` inverses with and without `via`, a few
//! `many-to-many` relations, uniques, indexes, checks and a policy for every action. The same
//! arguments always give byte-identical output: the only randomness is a fixed-seed PRNG, seeded
//! per model, so model `i` reads the same whatever the model count.
//!
//! ```
//! let files = forge_synth::project(20, 3);
//! assert_eq!(files[0].0, "forge.kdl");
//! assert_eq!(files.len(), 4);
//! assert_eq!(forge_synth::model_file(&files, 0), "schema/part_000.kdl");
//!
//! let edited = forge_synth::with_added_field(&files, 7);
//! let changed: Vec<&str> =
//!     files.iter().zip(&edited).filter(|(a, b)| a != b).map(|(a, _)| a.0.as_str()).collect();
//! assert_eq!(changed, [forge_synth::model_file(&files, 7)]);
//! ```

mod edit;
mod names;
mod plan;
mod render;
mod rng;

use std::io;
use std::path::Path;

pub use edit::{model_file, with_added_field};
pub use names::model_name;

/// A project of `models` models (`Tenant` included) spread evenly over `files` schema files, as
/// `(path relative to the project folder, content)` pairs: `forge.kdl` first, then
/// `schema/part_000.kdl`, ... in order. Models are placed in index order, so a file only ever
/// points at models in itself or in earlier files.
///
/// `files` is clamped to `1..=max(models, 1)`, so that no schema file is empty.
pub fn project(models: usize, files: usize) -> Vec<(String, String)> {
    let files = files.clamp(1, models.max(1));
    let domain = plan::domain(models);
    let mut out = Vec::with_capacity(files + 1);
    out.push(("forge.kdl".to_owned(), render::forge_kdl(models, files)));
    for part in 0..files {
        let range = part * models / files..(part + 1) * models / files;
        out.push((
            render::part_path(part),
            render::part(&domain, part, files, range),
        ));
    }
    out
}

/// Writes [`project`]`(models, files)` below `dir`, creating folders as needed.
pub fn write_project(dir: &Path, models: usize, files: usize) -> io::Result<()> {
    write_files(dir, &project(models, files))
}

/// Writes `(relative path, content)` pairs below `dir`, creating folders as needed; for writing a
/// project after an edit such as [`with_added_field`].
pub fn write_files(dir: &Path, files: &[(String, String)]) -> io::Result<()> {
    for (path, content) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, content)?;
    }
    Ok(())
}
