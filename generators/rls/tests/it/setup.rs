//! Test setup: an IR from KDL through the real front end, a fresh PostgreSQL database with
//! `schema.sql` and `policies.sql` applied by the superuser, a role for the application that is
//! neither superuser, nor owner, nor BYPASSRLS, and statements run as that role under an identity.

use forge_gen_sql::{Dialect, generate};
use forge_schemas::Ir;
pub use forge_testkit::ir;
use forge_testkit::{Database, PgDb, pg_database};

/// A database with the schema and its policies, and an application role.
pub struct App {
    pub db: PgDb,
    pub role: String,
    pub policies: String,
}

/// Applies `schema.sql` and `policies.sql` of `ir` to a fresh database named after `test`, as the
/// superuser, and creates the application role `<database>_app`.
pub fn app(test: &str, ir: &Ir) -> App {
    app_with(test, ir, "")
}

/// Like [`app`], running `between` (as the superuser) after `schema.sql`, before `policies.sql`.
pub fn app_with(test: &str, ir: &Ir, between: &str) -> App {
    let db = pg_database(&format!("rls_{test}"));
    let schema = generate(ir, Dialect::Postgres).content;
    db.apply(&schema)
        .unwrap_or_else(|e| panic!("schema.sql: {e}\n{schema}"));
    if !between.is_empty() {
        db.apply(between)
            .unwrap_or_else(|e| panic!("{between}: {e}"));
    }
    let policies = forge_gen_rls::policies_sql(ir).content;
    db.apply(&policies)
        .unwrap_or_else(|e| panic!("policies.sql: {e}\n{policies}"));
    let role = format!("{}_app", db.name());
    let quoted = format!("\"{role}\"");
    db.apply(&format!(
        "DO $$ BEGIN CREATE ROLE {quoted} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
         GRANT USAGE ON SCHEMA public, forge TO {quoted};
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted};
         GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA forge TO {quoted};"
    ))
    .expect("the application role");
    App { db, role, policies }
}

impl App {
    /// Runs `sql` as the superuser (seeding, checking the result).
    pub fn admin(&self, sql: &str) {
        self.db
            .apply(sql)
            .unwrap_or_else(|e| panic!("as the superuser: {e}"));
    }

    /// The rows of `sql`, as the superuser.
    pub fn admin_rows(&self, sql: &str) -> String {
        self.db
            .query(sql)
            .unwrap_or_else(|e| panic!("as the superuser: {e}"))
    }

    /// Runs `sql` as the application role with the identity `identity` (the text of the setting
    /// `forge.user`, set with `set_config` as generated services do), in one transaction; returns
    /// its rows, or the error.
    pub fn try_as(&self, identity: &str, sql: &str) -> Result<String, String> {
        let script = format!(
            "BEGIN;\nSET LOCAL ROLE \"{}\";\nSELECT set_config('forge.user', '{}', true);\n{sql}\nCOMMIT;",
            self.role,
            identity.replace('\'', "''")
        );
        // The first line is set_config's result.
        self.db
            .query(&script)
            .map(|out| match out.split_once('\n') {
                Some((_, rest)) => rest.to_string(),
                None => String::new(),
            })
    }

    /// Like [`App::try_as`], panicking on an error.
    pub fn as_user(&self, identity: &str, sql: &str) -> String {
        self.try_as(identity, sql)
            .unwrap_or_else(|e| panic!("as {identity}: {e}\n--- policies.sql:\n{}", self.policies))
    }

    /// The rows of `sql` as `identity`, one per line, as a list.
    pub fn rows(&self, identity: &str, sql: &str) -> Vec<String> {
        lines(&self.as_user(identity, sql))
    }
}

/// Lines of psql output as a list (none for empty output).
pub fn lines(out: &str) -> Vec<String> {
    if out.is_empty() {
        Vec::new()
    } else {
        out.lines().map(str::to_string).collect()
    }
}

/// A readable uuid: `00000000-0000-0000-0000-<n, 12 digits>`.
pub fn uuid(n: u64) -> String {
    format!("00000000-0000-0000-0000-{n:012}")
}

/// An identity JSON object.
pub fn who(id: &str, tenant: &str, roles: &[&str]) -> String {
    let roles: Vec<String> = roles.iter().map(|r| format!("\"{r}\"")).collect();
    format!(
        "{{\"id\":\"{id}\",\"tenant_id\":\"{tenant}\",\"roles\":[{}],\"claims\":[]}}",
        roles.join(",")
    )
}

/// Asserts that `result` is an error from row-level security on a new row.
pub fn assert_rls_denied(result: Result<String, String>) {
    match result {
        Ok(rows) => panic!("expected a row-level security error, got rows: {rows:?}"),
        Err(e) => assert!(
            e.contains("new row violates row-level security policy"),
            "expected a row-level security error, got: {e}"
        ),
    }
}
