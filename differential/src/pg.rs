//! PostgreSQL: one database for a whole run, reloaded for each batch (`schema.sql` and
//! `policies.sql` applied by the superuser, then the rows), and questions asked as an
//! application role that is neither superuser, nor owner, nor `BYPASSRLS`, under the identity
//! set with `set_config('forge.user', ..., true)` as generated services do.
//!
//! Writes are tried inside PL/pgSQL functions (schema `differential`) that always roll back and
//! say what happened: `done` (row-level security let the write through; a foreign key that
//! fails afterwards counts as done, since PostgreSQL checks policies first), `none` (no row
//! passed the `USING` filter) or `check` (`new row violates row-level security policy`).
//!
//! An update is tried twice. `update_rule` finds the row with `SELECT ... FOR UPDATE` (the read
//! and update `USING`) and updates it `WHERE CURRENT OF`, a statement that reads no column, so
//! that PostgreSQL checks the language's rule and nothing more. `attempt` runs the
//! `UPDATE ... WHERE id = ...` a service runs, for which PostgreSQL also requires the new row to
//! be readable (rls.md, "Differences from the brief").

use forge_gen_sql::{Dialect, generate};
use forge_schemas::Ir;
use forge_testkit::{Database, PgDb, pg_database};

use crate::value::quote;
use crate::world::World;

/// The helpers, created by the superuser once per batch.
const HELPERS: &str = r#"
CREATE SCHEMA differential;

CREATE FUNCTION differential.attempt(statement text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
  n bigint;
BEGIN
  BEGIN
    EXECUTE statement;
    GET DIAGNOSTICS n = ROW_COUNT;
    RAISE EXCEPTION USING ERRCODE = 'P0D1F', MESSAGE = CASE WHEN n > 0 THEN 'done' ELSE 'none' END;
  EXCEPTION
    WHEN SQLSTATE 'P0D1F' THEN RETURN SQLERRM;
    WHEN foreign_key_violation THEN RETURN 'done';
    WHEN insufficient_privilege THEN
      IF SQLERRM LIKE 'new row violates row-level security policy%' THEN
        RETURN 'check';
      END IF;
      RAISE;
  END;
END
$f$;

CREATE FUNCTION differential.update_rule(target text, key uuid, assignments text) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE
  c refcursor := 'differential_row';
  one integer;
  n bigint := 0;
BEGIN
  BEGIN
    OPEN c FOR EXECUTE format('SELECT 1 FROM %I WHERE id = $1 FOR UPDATE', target) USING key;
    FETCH c INTO one;
    IF FOUND THEN
      EXECUTE format('UPDATE %I SET %s WHERE CURRENT OF differential_row', target, assignments);
      GET DIAGNOSTICS n = ROW_COUNT;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'P0D1F', MESSAGE = CASE WHEN n > 0 THEN 'done' ELSE 'none' END;
  EXCEPTION
    WHEN SQLSTATE 'P0D1F' THEN RETURN SQLERRM;
    WHEN foreign_key_violation THEN RETURN 'done';
    WHEN insufficient_privilege THEN
      IF SQLERRM LIKE 'new row violates row-level security policy%' THEN
        RETURN 'check';
      END IF;
      RAISE;
  END;
END
$f$;
"#;

/// The run's database and its application role.
pub struct Postgres {
    db: PgDb,
    role: String,
}

impl Postgres {
    /// A fresh database `forge_test_differential_<name>` and its application role.
    pub fn new(name: &str) -> Postgres {
        let db = pg_database(&format!("differential_{name}"));
        let role = format!("{}_app", db.name());
        db.apply(&format!(
            "DO $$ BEGIN CREATE ROLE \"{role}\" NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
        ))
        .unwrap_or_else(|e| panic!("the application role: {e}"));
        Postgres { db, role }
    }

    /// Replaces everything in the database with the schema, policies and rows of a batch.
    pub fn load(&self, ir: &Ir, world: &World) {
        let role = &self.role;
        let script = format!(
            "DROP SCHEMA IF EXISTS differential CASCADE;
DROP SCHEMA IF EXISTS forge CASCADE;
DROP SCHEMA public CASCADE;
CREATE SCHEMA public;
{}
{}
{HELPERS}
GRANT USAGE ON SCHEMA public, forge, differential TO \"{role}\";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \"{role}\";
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA forge, differential TO \"{role}\";
{}",
            generate(ir, Dialect::Postgres).content,
            forge_gen_rls::policies_sql(ir).content,
            world.inserts(crate::value::Value::pg),
        );
        self.db
            .apply(&script)
            .unwrap_or_else(|e| panic!("loading the batch into PostgreSQL: {e}"));
    }

    /// The start of a transaction that runs as the application role under `identity`.
    pub fn as_identity(&self, identity: &str) -> String {
        format!(
            "BEGIN;\nSET LOCAL ROLE \"{}\";\nSELECT 'identity' FROM (SELECT set_config('forge.user', {}, true)) AS s;\n",
            self.role,
            quote(identity)
        )
    }

    /// The rows `script` prints, one line each.
    pub fn query(&self, script: &str) -> String {
        self.db
            .query(script)
            .unwrap_or_else(|e| panic!("PostgreSQL: {e}"))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        // The role is the server's, not the database's: remove it with what it was granted.
        let _ = self.db.apply(&format!(
            "DROP OWNED BY \"{0}\"; DROP ROLE \"{0}\";",
            self.role
        ));
    }
}
