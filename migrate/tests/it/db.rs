//! Real databases for the migration tests: a schema's `schema.sql` applied, rows inserted, a
//! migration run as its file, and the shape of the result read back (tables, columns with types,
//! nullability and defaults, constraints, indexes) to compare with a fresh database built from the
//! new `schema.sql`. Server tests need `eval "$(ci/db.sh start)"` first; they fail without it.

use forge_gen_sql::{Dialect, generate};
use forge_migrate::{DEPRECATED_PREFIX, DbSchema, Migration, Plan};
use forge_testkit::{Database, mysql_database, pg_database, sqlite_apply};

use crate::schema::{ir, try_plan_from};

/// An empty database of `dialect`, named after `name` on a server.
pub fn empty(dialect: Dialect, name: &str) -> Box<dyn Database> {
    let name = format!("migrate_{name}");
    match dialect {
        Dialect::Sqlite => Box::new(sqlite_apply("").unwrap_or_else(|e| panic!("{e}"))),
        Dialect::Postgres => Box::new(pg_database(&name)),
        Dialect::Mysql => Box::new(mysql_database(&name)),
    }
}

/// A database holding `schema.sql` of `kdl`.
pub fn with_schema(dialect: Dialect, name: &str, kdl: &str) -> Box<dyn Database> {
    let db = empty(dialect, name);
    let sql = generate(&ir(kdl), dialect).content;
    db.apply(&sql)
        .unwrap_or_else(|e| panic!("{dialect}: schema.sql does not apply: {e}"));
    db
}

/// Runs a migration file as it is (on PostgreSQL without `--single-transaction`: the file opens
/// its own transactions).
pub fn run_file(db: &dyn Database, dialect: Dialect, file: &str) -> Result<(), String> {
    match dialect {
        Dialect::Postgres => db.query(file).map(drop),
        Dialect::Sqlite | Dialect::Mysql => db.apply(file),
    }
}

/// `sql` written with `"double-quoted"` identifiers, in the dialect's quoting.
pub fn q(dialect: Dialect, sql: &str) -> String {
    if dialect != Dialect::Mysql {
        return sql.to_string();
    }
    let mut in_string = false;
    sql.chars()
        .map(|c| match c {
            '\'' => {
                in_string = !in_string;
                c
            }
            '"' if !in_string => '`',
            c => c,
        })
        .collect()
}

/// Runs `sql` (double-quoted identifiers), which must succeed.
pub fn exec(db: &dyn Database, dialect: Dialect, sql: &str) {
    db.apply(&q(dialect, sql))
        .unwrap_or_else(|e| panic!("{dialect}: {sql}\n{e}"));
}

/// The rows of `sql` (double-quoted identifiers), as `psql -At` prints them.
pub fn rows(db: &dyn Database, dialect: Dialect, sql: &str) -> String {
    db.query(&q(dialect, sql))
        .unwrap_or_else(|e| panic!("{dialect}: {sql}\n{e}"))
}

/// Everything about the database's tables that a migration must get right, one line per fact,
/// sorted. Objects whose names start with the deprecated prefix are left out when `deprecated` is
/// false.
pub fn shape(db: &dyn Database, dialect: Dialect, deprecated: bool) -> String {
    let queries: &[&str] = match dialect {
        Dialect::Sqlite => &[
            "SELECT 'column', m.name, p.name, p.type, p.\"notnull\", coalesce(p.dflt_value, ''), p.pk \
             FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%'",
            "SELECT 'index', m.name, i.name, i.\"unique\", i.origin, i.partial, \
             (SELECT group_concat(name, ',') FROM pragma_index_info(i.name)) \
             FROM sqlite_master m, pragma_index_list(m.name) i \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%'",
            "SELECT 'foreign key', m.name, f.\"table\", f.\"from\", f.\"to\", f.on_delete \
             FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%'",
            "SELECT 'index sql', name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
        ],
        Dialect::Postgres => &[
            "SELECT 'column', table_name, column_name, data_type, udt_name, \
             coalesce(character_maximum_length, 0), coalesce(numeric_precision, 0), \
             coalesce(numeric_scale, 0), is_nullable, coalesce(column_default, '') \
             FROM information_schema.columns WHERE table_schema = 'public'",
            "SELECT 'constraint', conrelid::regclass::text, conname, contype, convalidated, \
             pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE connamespace = 'public'::regnamespace",
            "SELECT 'index', tablename, indexname, indexdef FROM pg_indexes \
             WHERE schemaname = 'public'",
            "SELECT 'enum', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) \
             FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname",
        ],
        Dialect::Mysql => &[
            "SELECT 'column', TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, \
             coalesce(COLUMN_DEFAULT, '') FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA = DATABASE()",
            "SELECT 'constraint', TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE \
             FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
            "SELECT 'check', TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE \
             FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
            "SELECT 'index', TABLE_NAME, INDEX_NAME, NON_UNIQUE, \
             GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) \
             FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
             GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE",
            "SELECT 'foreign key', TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, DELETE_RULE \
             FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
        ],
    };
    let mut lines: Vec<String> = Vec::new();
    for query in queries {
        let out = db.query(query).unwrap_or_else(|e| panic!("{dialect}: {e}"));
        lines.extend(out.lines().map(str::to_string));
    }
    if dialect == Dialect::Sqlite {
        lines.extend(sqlite_checks(db));
    }
    lines.retain(|l| deprecated || !l.contains(DEPRECATED_PREFIX));
    lines.sort();
    lines.join("\n")
}

/// SQLite keeps checks only in each table's SQL text: every `CHECK (...)` found there, with the
/// table.
fn sqlite_checks(db: &dyn Database) -> Vec<String> {
    let tables = db
        .query(
            "SELECT name, replace(sql, char(10), ' ') FROM sqlite_master \
             WHERE type = 'table' AND name NOT LIKE 'sqlite%'",
        )
        .unwrap_or_else(|e| panic!("sqlite: {e}"));
    let mut out = Vec::new();
    for line in tables.lines() {
        let (table, sql) = line.split_once('|').expect("two columns");
        let mut rest = sql;
        while let Some(at) = rest.find("CHECK (") {
            let body = &rest[at + "CHECK ".len()..];
            let mut depth = 0;
            let end = body
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(body.len(), |(i, _)| i + 1);
            out.push(format!("check|{table}|{}", &body[..end]));
            rest = &body[end..];
        }
    }
    out
}

/// A change from one schema to another, run on every dialect.
pub struct Scenario<'a> {
    /// Names the server databases.
    pub name: &'a str,
    pub old: &'a str,
    pub new: &'a str,
    /// Inserted into the old schema (double-quoted identifiers); empty for none.
    pub rows: &'a str,
    pub allow_destructive: bool,
}

impl Scenario<'_> {
    /// The plan from the old schema to the new one.
    pub fn plan(&self) -> Plan {
        let old = DbSchema::from_ir(&ir(self.old));
        try_plan_from(&old, self.new, self.allow_destructive)
            .unwrap_or_else(|e| panic!("{}: the plan stops: {e}", self.name))
    }

    /// The migration folder of [`Scenario::plan`].
    pub fn migration(&self) -> Migration {
        let old = DbSchema::from_ir(&ir(self.old));
        Migration::new(1, self.name, &old, &self.plan())
    }

    /// On each dialect: the old schema with the rows, then the migration, then `check` on the
    /// result; its shape must equal a fresh database's built from the new schema (deprecated
    /// objects aside).
    pub fn run(&self, check: impl Fn(Dialect, &dyn Database)) {
        let migration = self.migration();
        for dialect in Dialect::ALL {
            let db = self.migrated(dialect, &migration);
            check(dialect, &*db);
            let fresh = with_schema(dialect, &format!("{}_fresh", self.name), self.new);
            assert_eq!(
                shape(&*db, dialect, false),
                shape(&*fresh, dialect, false),
                "{dialect}: the migrated database differs from the new schema.sql's\n{}",
                migration.sql(dialect)
            );
        }
    }

    /// On each dialect in `dialects`: the old schema with the rows, then the migration, which
    /// must fail; then `check` on what is left.
    pub fn run_failing(&self, dialects: &[Dialect], check: impl Fn(Dialect, &dyn Database)) {
        let migration = self.migration();
        for &dialect in dialects {
            let db = with_schema(dialect, self.name, self.old);
            exec(&*db, dialect, self.rows);
            let file = migration.sql(dialect);
            assert!(
                run_file(&*db, dialect, file).is_err(),
                "{dialect}: the migration should fail\n{file}"
            );
            check(dialect, &*db);
        }
    }

    /// On each dialect: the old schema with the rows, the migration, then its down script; the
    /// shape must equal a fresh database's built from the old schema (deprecated objects
    /// included: the down script gives them their names back), and `check` runs on the result.
    pub fn round_trip(&self, check: impl Fn(Dialect, &dyn Database)) {
        let migration = self.migration();
        for dialect in Dialect::ALL {
            let db = self.migrated(dialect, &migration);
            let down = migration
                .down_sql(dialect)
                .unwrap_or_else(|| panic!("{}: the migration has no down script", self.name));
            if let Err(e) = run_file(&*db, dialect, down) {
                panic!("{dialect}: the down script fails: {e}\n{down}");
            }
            let fresh = with_schema(dialect, &format!("{}_fresh", self.name), self.old);
            assert_eq!(
                shape(&*db, dialect, true),
                shape(&*fresh, dialect, true),
                "{dialect}: the database after down differs from the old schema.sql's\n{down}"
            );
            check(dialect, &*db);
        }
    }

    /// The old schema with the rows, migrated by `migration`.
    pub fn migrated(&self, dialect: Dialect, migration: &Migration) -> Box<dyn Database> {
        let db = with_schema(dialect, self.name, self.old);
        if !self.rows.is_empty() {
            exec(&*db, dialect, self.rows);
        }
        let file = migration.sql(dialect);
        if let Err(e) = run_file(&*db, dialect, file) {
            panic!("{dialect}: the migration fails: {e}\n{file}");
        }
        db
    }
}
