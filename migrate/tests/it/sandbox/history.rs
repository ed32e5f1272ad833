//! A history in memory: one migration per schema, planned from the snapshot the previous one led
//! to (as `forge migrate new` plans it), and what the sandbox says about it.

use forge_gen_sql::{Dialect, generate};
use forge_migrate::{
    DbSchema, Difference, LiveSchema, Migration, PlanOptions, RenameHints, ReplayFailure,
    introspect_sqlite, plan, replay_sqlite, sandbox_diff,
};
use forge_schemas::Ir;
use forge_testkit::sqlite_apply;

use crate::schema::ir;

/// Migration folders with their `sqlite.sql`, and the snapshot they lead to.
pub struct History {
    pub migrations: Vec<(String, String)>,
    pub snapshot: DbSchema,
}

impl History {
    /// No migration yet.
    pub fn new() -> History {
        History {
            migrations: Vec::new(),
            snapshot: DbSchema::empty(),
        }
    }

    /// Plans the next migration, called `name`, to the schema `kdl`, and adds it.
    pub fn migrate(&mut self, name: &str, kdl: &str, allow_destructive: bool) -> &mut History {
        self.migrate_ir(name, &ir(kdl), allow_destructive)
    }

    /// Plans the next migration to `ir` and adds it.
    pub fn migrate_ir(&mut self, name: &str, ir: &Ir, allow_destructive: bool) -> &mut History {
        let target = DbSchema::from_ir(ir);
        let planned = plan(
            &self.snapshot,
            &target,
            &RenameHints::from_ir(ir),
            &PlanOptions { allow_destructive },
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!planned.is_empty(), "{name}: nothing to migrate");
        let number = u32::try_from(self.migrations.len()).unwrap() + 1;
        let migration = Migration::new(number, name, &self.snapshot, &planned);
        self.migrations.push((
            migration.dir.clone(),
            migration.sql(Dialect::Sqlite).to_string(),
        ));
        self.snapshot = planned.snapshot;
        self
    }

    /// Adds a hand-written migration.
    pub fn push(&mut self, dir: &str, sql: &str) -> &mut History {
        self.migrations.push((dir.to_string(), sql.to_string()));
        self
    }

    /// The history replayed and read back.
    pub fn replay(&self) -> Result<LiveSchema, ReplayFailure> {
        let conn = replay_sqlite(&self.migrations)?;
        Ok(introspect_sqlite(&conn).expect("the replayed database reads back"))
    }

    /// What differs between the replayed history and the schema `kdl`.
    pub fn diff(&self, kdl: &str) -> Vec<String> {
        self.diff_ir(&ir(kdl))
    }

    /// What differs between the replayed history and `ir`'s `schema.sql`.
    pub fn diff_ir(&self, ir: &Ir) -> Vec<String> {
        let replayed = self.replay().unwrap_or_else(|e| panic!("{e}"));
        let declared = declared(ir);
        assert!(!declared.tables.is_empty());
        sandbox_diff(&replayed, &declared, &self.snapshot)
            .iter()
            .map(Difference::to_string)
            .collect()
    }

    /// The replay's failure, which must happen.
    pub fn failure(&self) -> ReplayFailure {
        match self.replay() {
            Ok(_) => panic!("the replay should fail"),
            Err(e) => e,
        }
    }
}

/// A fresh database built from `ir`'s `schema.sql`, read back.
pub fn declared(ir: &Ir) -> LiveSchema {
    let sql = generate(ir, Dialect::Sqlite).content;
    let conn = sqlite_apply(&sql).unwrap_or_else(|e| panic!("{e}"));
    introspect_sqlite(&conn).expect("the fresh database reads back")
}
