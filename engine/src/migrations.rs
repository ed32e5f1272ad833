//! The committed migration history (`target migrations dir="migrations"`): reading it, planning
//! the next migration against the schema (`forge migrate plan`), writing it (`forge migrate new`),
//! and the build's `migrations` node, which says when the schema changed and no migration records
//! it. The planning itself is `forge-migrate`'s: pure functions of two snapshots.
//!
//! A history is a folder of migration folders (`0001_<name>/`, ...) and `schema.json`, the
//! snapshot the last one leads to. A new migration is written into a temporary folder and renamed
//! into place, then the snapshot is replaced atomically; a history whose snapshot is not the one
//! its last migration leads to (a write cut short, or a hand edit) is refused with what to do.

use std::path::{Path, PathBuf};

use forge_frontend::config::{ProjectConfig, Target, parse_config};
use forge_migrate::{
    DbSchema, Migration, PLAN_FILE, Plan, PlanError, PlanFile, PlanOptions, RenameHints,
    SNAPSHOT_FILE, plan,
};
use forge_schemas::Ir;

use crate::error::EngineError;
use crate::project::{PROJECT_FILE, Project};
use crate::run::decode_json;

/// The history folder of `config`, when it has `target migrations`.
pub fn migrations_dir(config: &ProjectConfig) -> Option<&str> {
    config.targets.iter().find_map(|t| match t {
        Target::Migrations { dir } => Some(dir.as_str()),
        _ => None,
    })
}

/// The migration history on disk.
#[derive(Clone, Debug)]
pub struct History {
    /// The folder, relative to forge.kdl.
    pub dir: String,
    /// The migration folders, in order (`0001_init`, ...).
    pub migrations: Vec<String>,
    /// The snapshot the history leads to (empty before the first migration).
    pub snapshot: DbSchema,
}

impl History {
    /// Reads the history in `root`/`dir`; a missing folder is an empty history.
    pub fn read(root: &Path, dir: &str) -> Result<History, EngineError> {
        let folder = root.join(dir);
        let mut migrations = Vec::new();
        match std::fs::read_dir(&folder) {
            Ok(entries) => {
                for entry in entries {
                    let entry = entry.map_err(|e| EngineError::io(&folder, e))?;
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if entry.path().is_dir() && is_migration_folder(&name) {
                        migrations.push(name);
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(EngineError::io(folder, e)),
        }
        migrations.sort();
        let snapshot_path = folder.join(SNAPSHOT_FILE);
        let snapshot = match std::fs::read(&snapshot_path) {
            Ok(bytes) => DbSchema::from_json(&bytes)
                .map_err(|e| EngineError::Invalid(format!("{}: {e}", snapshot_path.display())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && migrations.is_empty() => {
                DbSchema::empty()
            }
            Err(e) => return Err(EngineError::io(snapshot_path, e)),
        };
        let history = History {
            dir: dir.to_string(),
            migrations,
            snapshot,
        };
        history.check_snapshot(root)?;
        Ok(history)
    }

    /// The snapshot must be where the last migration leads.
    fn check_snapshot(&self, root: &Path) -> Result<(), EngineError> {
        let Some(last) = self.migrations.last() else {
            return Ok(());
        };
        let path = root.join(&self.dir).join(last).join(PLAN_FILE);
        let bytes = std::fs::read(&path).map_err(|e| EngineError::io(&path, e))?;
        let plan: PlanFile = decode_json(&path.display().to_string(), &bytes)?;
        if plan.to != self.snapshot.digest() {
            return Err(EngineError::Invalid(format!(
                "{dir}/{SNAPSHOT_FILE} is not the schema that {dir}/{last} leads to (it was edited, or a `forge migrate new` was cut short)\n  help: restore {dir}/{SNAPSHOT_FILE} from version control, or delete {dir}/{last} and run `forge migrate new` again",
                dir = self.dir
            )));
        }
        Ok(())
    }

    /// Every migration folder's files, in order, as they are on disk (what `forge migrate
    /// apply` runs and checksums). Only regular files directly in each folder count.
    pub fn load(&self, root: &Path) -> Result<Vec<Migration>, EngineError> {
        self.migrations
            .iter()
            .map(|dir| {
                let folder = root.join(&self.dir).join(dir);
                let mut files = std::collections::BTreeMap::new();
                let entries =
                    std::fs::read_dir(&folder).map_err(|e| EngineError::io(&folder, e))?;
                for entry in entries {
                    let entry = entry.map_err(|e| EngineError::io(&folder, e))?;
                    let kind = entry
                        .file_type()
                        .map_err(|e| EngineError::io(entry.path(), e))?;
                    if !kind.is_file() {
                        continue;
                    }
                    let bytes = std::fs::read(entry.path())
                        .map_err(|e| EngineError::io(entry.path(), e))?;
                    files.insert(entry.file_name().to_string_lossy().into_owned(), bytes);
                }
                Ok(Migration {
                    name: dir[5..].to_string(),
                    dir: dir.clone(),
                    files,
                })
            })
            .collect()
    }

    /// The number the next migration gets.
    pub fn next_number(&self) -> u32 {
        self.migrations
            .last()
            .and_then(|m| m[..4].parse::<u32>().ok())
            .map_or(1, |n| n + 1)
    }
}

/// `0001_name`: four digits, `_`, a name.
fn is_migration_folder(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'_'
}

/// What `forge migrate plan` found.
pub struct MigrationPlan {
    pub history: History,
    /// The schema's snapshot (what the database should hold).
    pub target: DbSchema,
    pub plan: Plan,
}

/// The migration history of `project` (its `target migrations` folder).
pub fn project_history(project: &Project) -> Result<History, EngineError> {
    history_of(project, &project_config(project)?)
}

fn history_of(project: &Project, config: &ProjectConfig) -> Result<History, EngineError> {
    let Some(dir) = migrations_dir(config) else {
        return Err(EngineError::Invalid(
            "forge.kdl has no `target migrations`\n  help: add the line `target migrations dir=\"migrations\"`".into(),
        ));
    };
    History::read(&project.root, dir)
}

/// What a database of `project` should hold in `dialect`, for `forge drift`: the schema's
/// `schema.sql`, its RLS `policies.sql` (PostgreSQL, with `target rls`), and the snapshot of the
/// migration history (what its fallbacks kept; empty without `target migrations`).
pub struct Declared {
    pub schema_sql: String,
    pub policies_sql: Option<String>,
    pub snapshot: DbSchema,
}

/// The [`Declared`] state of `project` in `dialect`.
pub fn declared(
    project: &Project,
    dialect: forge_gen_sql::Dialect,
) -> Result<Declared, EngineError> {
    let config = project_config(project)?;
    let ir = project.compile_ir(&config)?;
    let snapshot = match migrations_dir(&config) {
        Some(dir) => History::read(&project.root, dir)?.snapshot,
        None => DbSchema::empty(),
    };
    let rls = config.targets.iter().any(|t| matches!(t, Target::Rls));
    Ok(Declared {
        schema_sql: forge_gen_sql::generate(&ir, dialect).content,
        policies_sql: (rls && dialect == forge_gen_sql::Dialect::Postgres)
            .then(|| forge_gen_rls::policies_sql(&ir).content),
        snapshot,
    })
}

/// Plans the next migration of `project`: from the history's snapshot to the schema.
pub fn migrate_plan(
    project: &Project,
    allow_destructive: bool,
) -> Result<MigrationPlan, EngineError> {
    let config = project_config(project)?;
    let history = history_of(project, &config)?;
    let ir = project.compile_ir(&config)?;
    let target = DbSchema::from_ir(&ir);
    let plan = plan(
        &history.snapshot,
        &target,
        &RenameHints::from_ir(&ir),
        &PlanOptions { allow_destructive },
    )
    .map_err(plan_error)?;
    Ok(MigrationPlan {
        history,
        target,
        plan,
    })
}

/// Writes the next migration, called `name`; `None` when the schema needs none.
pub fn migrate_new(
    project: &Project,
    name: &str,
    allow_destructive: bool,
) -> Result<Option<(Migration, MigrationPlan)>, EngineError> {
    let planned = migrate_plan(project, allow_destructive)?;
    if planned.plan.is_empty() {
        return Ok(None);
    }
    let history = &planned.history;
    let migration = Migration::new(
        history.next_number(),
        name,
        &history.snapshot,
        &planned.plan,
    );
    let folder = project.root.join(&history.dir);
    std::fs::create_dir_all(&folder).map_err(|e| EngineError::io(&folder, e))?;
    // The folder appears whole or not at all.
    let staging = tempfile::Builder::new()
        .prefix(".forge-new-")
        .tempdir_in(&folder)
        .map_err(|e| EngineError::io(&folder, e))?;
    for (path, bytes) in &migration.files {
        forge_cache::atomic_write(&staging.path().join(path), bytes)?;
    }
    let target_dir: PathBuf = folder.join(&migration.dir);
    let staged = staging.keep();
    std::fs::rename(&staged, &target_dir).map_err(|e| EngineError::io(&target_dir, e))?;
    forge_cache::atomic_write(&folder.join(SNAPSHOT_FILE), migration.snapshot())?;
    Ok(Some((migration, planned)))
}

/// Whether the schema differs from what the history leads to: `Ok(None)` in step, or the reason
/// a migration is needed (for the `migrations` node).
pub(crate) fn pending(history_snapshot: &[u8], ir: &Ir) -> Result<Option<String>, String> {
    let old = if history_snapshot.is_empty() {
        DbSchema::empty()
    } else {
        DbSchema::from_json(history_snapshot).map_err(|e| e.to_string())?
    };
    let new = DbSchema::from_ir(ir);
    match plan(
        &old,
        &new,
        &RenameHints::from_ir(ir),
        &PlanOptions {
            allow_destructive: false,
        },
    ) {
        Ok(p) if p.is_empty() => Ok(None),
        Ok(p) => Ok(Some(format!(
            "{} operation{} pending",
            p.operations.len(),
            if p.operations.len() == 1 { "" } else { "s" }
        ))),
        Err(e) => Ok(Some(e.to_string())),
    }
}

fn plan_error(e: PlanError) -> EngineError {
    EngineError::Invalid(format!("cannot plan the migration: {e}"))
}

fn project_config(project: &Project) -> Result<ProjectConfig, EngineError> {
    let (config, _, _) = parse_config(PROJECT_FILE, &project.config_text);
    config.ok_or_else(|| {
        EngineError::Invalid("forge.kdl has errors; run `forge check` to see them".into())
    })
}
