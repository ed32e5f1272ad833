//! `forge migrate apply`, `forge migrate status` and `forge drift` through the real binary, on a
//! real SQLite file, PostgreSQL and MariaDB: a schema evolves through a long sequence of edits
//! (columns and tables added, renamed and dropped with and without `--allow-destructive`, a type
//! widened, an index, unique keys added and dropped, enum values added and removed, a
//! many-to-many relation, a tenant column, a default, a check, a foreign key's action and a
//! nullability changed), and after each step every database holding rows applies the history, loses
//! no row unless the flag was given, and shows no drift from the declared schema.

mod support;

use std::path::Path;

use forge_testkit::{Database, mysql_database, pg_database};
use support::TestProject;

/// The project: SQL for the three dialects and the migration history.
fn project() -> TestProject {
    let p = TestProject::empty();
    p.write(
        "forge.kdl",
        "project evolve version=\"0.1.0\"\nschema \"schema/*.kdl\"\nout \"generated\"\ntarget sql dialects=\"postgres sqlite mysql\"\ntarget migrations dir=\"migrations\"\n",
    );
    p
}

/// An SQLite file, through rusqlite.
struct SqliteFile(std::path::PathBuf);

impl Database for SqliteFile {
    fn apply(&self, sql: &str) -> Result<(), String> {
        let conn = rusqlite::Connection::open(&self.0).map_err(|e| e.to_string())?;
        conn.execute_batch(sql).map_err(|e| format!("{e}\n{sql}"))
    }

    fn query(&self, sql: &str) -> Result<String, String> {
        let conn = rusqlite::Connection::open(&self.0).map_err(|e| e.to_string())?;
        let mut statement = conn.prepare(sql).map_err(|e| e.to_string())?;
        let columns = statement.column_count();
        let rows = statement
            .query_map([], |row| {
                (0..columns)
                    .map(|i| {
                        let value: rusqlite::types::Value = row.get(i)?;
                        Ok(match value {
                            rusqlite::types::Value::Null => String::new(),
                            rusqlite::types::Value::Integer(n) => n.to_string(),
                            rusqlite::types::Value::Real(f) => f.to_string(),
                            rusqlite::types::Value::Text(t) => t,
                            rusqlite::types::Value::Blob(b) => format!("{b:?}"),
                        })
                    })
                    .collect::<rusqlite::Result<Vec<String>>>()
                    .map(|r| r.join("|"))
            })
            .map_err(|e| e.to_string())?
            .collect::<rusqlite::Result<Vec<String>>>()
            .map_err(|e| e.to_string())?;
        Ok(rows.join("\n"))
    }
}

/// One database under test: its URL for forge, and a way in for the test.
struct Target {
    name: &'static str,
    url: String,
    db: Box<dyn Database>,
    /// `"` written as the dialect quotes identifiers.
    backticks: bool,
}

impl Target {
    fn exec(&self, sql: &str) {
        self.db
            .apply(&self.sql(sql))
            .unwrap_or_else(|e| panic!("{}: {e}", self.name));
    }

    fn query(&self, sql: &str) -> String {
        self.db
            .query(&self.sql(sql))
            .unwrap_or_else(|e| panic!("{}: {e}", self.name))
    }

    fn count(&self, table: &str) -> usize {
        self.query(&format!("SELECT count(*) FROM \"{table}\""))
            .trim()
            .parse()
            .unwrap_or_else(|e| panic!("{}: count of {table}: {e}", self.name))
    }

    fn sql(&self, sql: &str) -> String {
        if self.backticks {
            sql.replace('"', "`")
        } else {
            sql.to_string()
        }
    }
}

fn targets(dir: &Path, test: &str) -> Vec<Target> {
    let file = dir.join("live.db");
    let pg = pg_database(test);
    let mysql = mysql_database(test);
    vec![
        Target {
            name: "sqlite",
            url: format!("sqlite://{}", file.display()),
            db: Box::new(SqliteFile(file)),
            backticks: false,
        },
        Target {
            name: "postgres",
            url: pg.url().to_string(),
            db: Box::new(pg),
            backticks: false,
        },
        Target {
            name: "mysql",
            url: mysql.url(),
            db: Box::new(mysql),
            backticks: true,
        },
    ]
}

/// The schema of one step.
fn schema(status: &str, user: &str, note: &str, extra: &str) -> String {
    format!(
        "enum Status {status}\n\nmodel User {{\n  id integer pk=#true\n  name string max=80\n{user}}}\n\n{note}\n\n{extra}\n"
    )
}

const SCRATCH: &str = "model Scratch {\n  id integer pk=#true\n  text text index=#true\n}\n";

const V1: &str = "model Note {
  id integer pk=#true
  title string max=120
  body text
  archived boolean default=#false
  status Status default=draft
  author belongs-to=User
  index title
}";

const ADDED: &str = "model Note {
  id integer pk=#true
  title string max=120
  body text
  archived boolean default=#false
  status Status default=draft
  author belongs-to=User
  pinned boolean default=#false
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=set-null
  index title
}";

const RENAMED: &str = "model Note {
  id integer pk=#true
  headline string max=120 renamed-from=\"title\"
  body text
  archived boolean default=#false
  status Status default=draft
  author belongs-to=User
  pinned boolean default=#false
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=set-null
  index headline
}";

const DROPPED: &str = "model Note {
  id integer pk=#true
  headline string max=120 renamed-from=\"title\"
  status Status default=draft
  author belongs-to=User
  pinned boolean default=#false
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=set-null
  index headline
}";

const UNPINNED: &str = "model Note {
  id integer pk=#true
  headline string max=240 renamed-from=\"title\"
  status Status default=draft
  author belongs-to=User
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=set-null
  index headline
  index status due_at where=\"status >= 'published'\"
  check \"status <= 'published'\" name=\"ordered\"
}";

const MEMO: &str = "model Memo renamed-from=\"Note\" {
  id integer pk=#true
  headline string max=240 renamed-from=\"title\"
  status Status default=draft
  author belongs-to=User
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=set-null
  priority integer default=0 min=0
  index headline
  index status due_at where=\"status >= 'published'\"
  check \"status <= 'published'\" name=\"ordered\"
}";

const TAGGED: &str = "model Memo renamed-from=\"Note\" {
  id integer pk=#true
  headline string max=240 renamed-from=\"title\"
  status Status default=draft
  author belongs-to=User
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=set-null
  priority integer default=0 min=0
  tags many-to-many=Tag
  index headline
  index status due_at where=\"status >= 'published'\"
  check \"status <= 'published'\" name=\"ordered\"
}";

/// A default changed, a check added, a foreign key's `on-delete` changed, a field made required
/// (with a default, over rows holding nulls) and another made optional.
const TUNED: &str = "model Memo renamed-from=\"Note\" {
  id integer pk=#true
  headline string max=240 renamed-from=\"title\" optional=#true
  status Status default=draft
  author belongs-to=User
  due_at datetime optional=#true
  reviewer belongs-to=User optional=#true on-delete=cascade
  priority integer default=1 min=0 max=10
  tags many-to-many=Tag
  index headline
  index status due_at where=\"status >= 'published'\"
  check \"status <= 'published'\" name=\"ordered\"
}";

const TAG: &str = "model Tag {\n  id integer pk=#true\n  label string max=40 unique=#true\n}\n";

const TENANT_TAG: &str = "model Tag {\n  id integer pk=#true\n  tenant_id uuid tenant=#true\n  label string max=40\n  unique tenant_id label\n}\n";

/// One step: a name, the schema, `--allow-destructive`, and rows to write after it.
struct Step {
    name: &'static str,
    schema: String,
    destructive: bool,
    rows: &'static str,
}

fn steps() -> Vec<Step> {
    let two = "draft published";
    let email = "  email string max=200 optional=#true unique=#true\n";
    let step = |name, schema, destructive, rows| Step {
        name,
        schema,
        destructive,
        rows,
    };
    vec![
        step(
            "initial",
            schema(two, "", V1, SCRATCH),
            false,
            "INSERT INTO \"user\" (\"id\", \"name\") VALUES (1, 'ann'), (2, 'bob');
             INSERT INTO \"note\" (\"id\", \"title\", \"body\", \"author_id\") VALUES (1, 'first', 'b1', 1), (2, 'second', 'b2', 2);
             INSERT INTO \"scratch\" (\"id\", \"text\") VALUES (1, 'kept until the flag');",
        ),
        step(
            "add fields",
            schema(two, email, ADDED, SCRATCH),
            false,
            "INSERT INTO \"user\" (\"id\", \"name\", \"email\") VALUES (3, 'cy', 'cy@example.com');
             INSERT INTO \"note\" (\"id\", \"title\", \"body\", \"author_id\", \"reviewer_id\") VALUES (3, 'third', 'b3', 3, 1);",
        ),
        step("rename title", schema(two, email, RENAMED, SCRATCH), false, ""),
        // Without the flag: `body`, `archived` and `scratch` are kept under deprecated names.
        step(
            "drop body and scratch",
            schema(two, email, DROPPED, ""),
            false,
            "INSERT INTO \"note\" (\"id\", \"headline\", \"author_id\") VALUES (4, 'fourth', 2);",
        ),
        // With the flag: `pinned` dropped and the deprecated ones purged; `headline` widened.
        step(
            "drop pinned",
            schema(two, email, UNPINNED, ""),
            true,
            "",
        ),
        step(
            "add status",
            schema("draft review published", email, UNPINNED, ""),
            false,
            "UPDATE \"note\" SET \"status\" = 'review' WHERE \"id\" = 1;",
        ),
        // Without the flag, `review` stays in the database.
        step("remove review", schema(two, email, UNPINNED, ""), false, ""),
        step("rename note", schema(two, email, MEMO, ""), false, ""),
        step("tags", schema(two, email, TAGGED, TAG), false, ""),
        step(
            "tenant tags",
            schema(two, email, TAGGED, TENANT_TAG),
            false,
            "INSERT INTO \"tag\" (\"id\", \"tenant_id\", \"label\") VALUES (1, '00000000-0000-4000-8000-000000000001', 'urgent');
             INSERT INTO \"memo_tags\" (\"memo_id\", \"tag_id\") VALUES (1, 1), (2, 1);",
        ),
        // The unique email dropped too (a destructive change only of a key: no row goes).
        step(
            "tune",
            schema(two, "  email string max=200 optional=#true\n", TUNED, TENANT_TAG),
            false,
            "INSERT INTO \"memo\" (\"id\", \"author_id\") VALUES (5, 1);",
        ),
    ]
}

#[test]
fn a_long_evolution_applies_to_three_databases_without_losing_rows_or_drifting() {
    let p = project();
    let targets = targets(p.path(), "apply_evolution");
    let mut users = 0;
    let mut notes = 0;
    for (i, step) in steps().iter().enumerate() {
        p.write("schema/app.kdl", &step.schema);
        let mut args = vec!["migrate", "new", step.name];
        if step.destructive {
            args.push("--allow-destructive");
        }
        let new = p.forge(&args);
        assert_eq!(new.code, 0, "{}: {}", step.name, new.stderr);
        for t in &targets {
            let apply = p.forge(&["migrate", "apply", "--db", &t.url]);
            assert_eq!(
                apply.code, 0,
                "{} on {}: {}",
                step.name, t.name, apply.stderr
            );
            assert!(
                apply.stderr.contains("applied 1 migration"),
                "{}: {}",
                t.name,
                apply.stderr
            );
            let status = p.forge(&["migrate", "status", "--db", &t.url, "--json"]);
            assert_eq!(status.code, 0, "{}: {}", t.name, status.stderr);
            assert_eq!(status.json()["migrations"].as_array().unwrap().len(), i + 1);
            let drift = p.forge(&["drift", "--db", &t.url]);
            assert_eq!(
                drift.code, 0,
                "drift after {} on {}:\n{}{}",
                step.name, t.name, drift.stdout, drift.stderr
            );
            if !step.rows.is_empty() {
                t.exec(step.rows);
            }
        }
        users += match step.name {
            "initial" => 2,
            "add fields" => 1,
            _ => 0,
        };
        notes += match step.name {
            "initial" => 2,
            "add fields" | "drop body and scratch" | "tune" => 1,
            _ => 0,
        };
        let note_table = if i >= 7 { "memo" } else { "note" };
        for t in &targets {
            assert_eq!(t.count("user"), users, "{} after {}", t.name, step.name);
            assert_eq!(t.count(note_table), notes, "{} after {}", t.name, step.name);
        }
        if step.name == "drop body and scratch" {
            // The fallback kept the rows and the values.
            for t in &targets {
                assert_eq!(t.count("_forge_deprecated_scratch"), 1, "{}", t.name);
                assert_eq!(
                    t.query("SELECT \"_forge_deprecated_body\" FROM \"note\" WHERE \"id\" = 1"),
                    "b1",
                    "{}",
                    t.name
                );
            }
        }
    }
    for t in &targets {
        // The rename kept the values; the kept enum value too.
        assert_eq!(
            t.query("SELECT \"headline\", \"status\" FROM \"memo\" WHERE \"id\" = 1"),
            "first|review",
            "{}",
            t.name
        );
        assert_eq!(t.count("memo_tags"), 2, "{}", t.name);
    }
}

/// A small schema with policies (for RLS) and an index a hand can drop.
const NOTES: &str = r#"
roles admin member

model Account {
  id uuid pk=#true default=uuid
  email string unique=#true max=320
  notes has-many=Note via=author
  policy read "record.id == user.id || user.roles.includes('admin')"
  policy all "user.roles.includes('admin')"
}

model Note {
  id uuid pk=#true default=uuid
  author belongs-to=Account on-delete=cascade
  title string min=1 max=200
  due_at datetime optional=#true
  index title due_at
  policy all "record.author_id == user.id"
}
"#;

/// The notes project with RLS and a history of one migration, applied to the three databases
/// (and its policies to PostgreSQL).
fn notes_project(test: &str) -> (TestProject, Vec<Target>) {
    let p = project();
    let config = p.read("forge.kdl");
    p.write("forge.kdl", &format!("{config}target rls\n"));
    p.write("schema/app.kdl", NOTES);
    assert_eq!(p.forge(&["migrate", "new", "init"]).code, 0);
    let build = p.forge(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let targets = targets(p.path(), test);
    for t in &targets {
        let apply = p.forge(&["migrate", "apply", "--db", &t.url]);
        assert_eq!(apply.code, 0, "{}: {}", t.name, apply.stderr);
        if t.name == "postgres" {
            t.exec(&p.read("generated/rls/policies.sql"));
        }
    }
    (p, targets)
}

#[test]
fn drift_names_each_change_made_by_hand_and_nothing_on_a_database_forge_built() {
    let (p, targets) = notes_project("apply_drift");
    for t in &targets {
        let drift = p.forge(&["drift", "--db", &t.url]);
        assert_eq!(
            drift.code, 0,
            "{}: {}{}",
            t.name, drift.stdout, drift.stderr
        );
        assert!(drift.stderr.contains("no drift"), "{}", drift.stderr);
        t.exec("ALTER TABLE \"note\" ADD COLUMN \"extra\" integer;");
        t.exec(if t.name == "mysql" {
            "DROP INDEX \"note_title_due_at_idx\" ON \"note\";"
        } else {
            "DROP INDEX \"note_title_due_at_idx\";"
        });
        if t.name == "postgres" {
            t.exec(
                "ALTER TABLE \"account\" NO FORCE ROW LEVEL SECURITY;
                 ALTER TABLE \"note\" DISABLE ROW LEVEL SECURITY;
                 DROP POLICY \"note_read\" ON \"note\";
                 CREATE POLICY \"note_read\" ON \"note\" FOR SELECT USING (true);",
            );
        }
        let drift = p.forge(&["drift", "--db", &t.url]);
        assert_eq!(
            drift.code, 3,
            "{}: {}{}",
            t.name, drift.stdout, drift.stderr
        );
        let mut expected = vec![
            "table note: column extra is not in the schema",
            "table note: index note_title_due_at_idx is missing",
        ];
        if t.name == "postgres" {
            expected.extend([
                "table account: row level security: forced no in the database, yes in the schema",
                "table note: row level security: enabled no in the database, yes in the schema",
                "table note: policy note_read",
            ]);
        }
        for line in expected {
            assert!(
                drift.stdout.contains(line),
                "{}: no `{line}` in\n{}",
                t.name,
                drift.stdout
            );
        }
        // The whole report, as each server writes its expressions.
        insta::assert_snapshot!(format!("drift_{}", t.name), drift.stdout);
        let json = p.forge(&["drift", "--db", &t.url, "--json"]);
        assert_eq!(json.code, 3);
        assert_eq!(json.json()["drift"], true);
    }
}

#[test]
fn an_edited_migration_is_refused_and_a_stopped_one_resumes() {
    let (p, targets) = notes_project("apply_refuse");
    let account = "INSERT INTO \"account\" (\"id\", \"email\") VALUES ('00000000-0000-4000-8000-000000000001', 'a@example.com');
         INSERT INTO \"note\" (\"id\", \"author_id\", \"title\") VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'ab');";
    for t in &targets {
        t.exec(account);
    }
    // An applied migration edited by hand.
    let file = "migrations/0001_init/postgres.sql";
    let original = p.read(file);
    p.write(file, &format!("{original}-- a late edit\n"));
    for t in &targets {
        let apply = p.forge(&["migrate", "apply", "--db", &t.url]);
        assert_eq!(apply.code, 1, "{}", t.name);
        assert!(
            apply.stderr.contains("refusing to apply: migration 0001_init: edited after it was applied: postgres.sql changed"),
            "{}: {}",
            t.name,
            apply.stderr
        );
        let status = p.forge(&["migrate", "status", "--db", &t.url]);
        assert_eq!(status.code, 3, "{}", t.name);
        let url = t.url.replace("sqlite://", "");
        let shown = support::redact(&status.stderr.replace(&url, "[DB]"), p.path());
        insta::assert_snapshot!(format!("status_edited_{}", t.name), shown);
    }
    p.write(file, &original);
    // A check that an existing row breaks: PostgreSQL commits the constraint NOT VALID, then
    // stops at VALIDATE; SQLite and MySQL keep nothing.
    p.write(
        "schema/app.kdl",
        &NOTES.replace(
            "  index title due_at\n",
            "  index title due_at\n  check \"title != 'ab'\" name=\"not_ab\"\n",
        ),
    );
    assert_eq!(p.forge(&["migrate", "new", "not_ab"]).code, 0);
    for t in &targets {
        let apply = p.forge(&["migrate", "apply", "--db", &t.url]);
        assert_eq!(apply.code, 1, "{}: {}", t.name, apply.stderr);
        assert!(
            apply.stderr.contains("migration 0002_not_ab")
                && apply.stderr.contains("constraint violation"),
            "{}: {}",
            t.name,
            apply.stderr
        );
        let status = p.forge(&["migrate", "status", "--db", &t.url, "--json"]);
        assert_eq!(status.code, 3);
        let state = status.json()["migrations"][1]["state"].clone();
        let expected = if t.name == "postgres" {
            "partial"
        } else {
            "pending"
        };
        assert_eq!(state, expected, "{}: {}", t.name, status.stdout);
        // The row fixed, the migration goes on from where it stopped.
        t.exec("UPDATE \"note\" SET \"title\" = 'abc';");
        let apply = p.forge(&["migrate", "apply", "--db", &t.url, "--json"]);
        assert_eq!(apply.code, 0, "{}: {}", t.name, apply.stderr);
        let resumed = &apply.json()["applied"][0]["resumed_after"];
        assert_eq!(
            resumed.is_null(),
            t.name != "postgres",
            "{}: {resumed}",
            t.name
        );
        let drift = p.forge(&["drift", "--db", &t.url]);
        assert_eq!(drift.code, 0, "{}: {}", t.name, drift.stdout);
    }
}

#[test]
fn the_postgres_sandbox_replays_the_history_on_a_real_server() {
    let server = std::env::var("FORGE_TEST_PG_URL")
        .expect("FORGE_TEST_PG_URL is not set: start a server with `eval \"$(ci/db.sh start)\"`");
    let p = project();
    let config = p.read("forge.kdl");
    p.write(
        "forge.kdl",
        &format!("{config}sandbox postgres url-env=\"FORGE_SANDBOX_PG\"\n"),
    );
    p.write("schema/app.kdl", NOTES);
    assert_eq!(p.forge(&["migrate", "new", "init"]).code, 0);
    let warnings = |run: &support::Run| -> Vec<String> {
        run.json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    let unset = [("FORGE_SANDBOX_PG", None)];
    let set = [("FORGE_SANDBOX_PG", Some(server.as_str()))];
    // Unset: a warning, and the build passes.
    let run = p.forge_env(&["build", "--json"], &unset);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(warnings(&run), ["forge::sandbox-skipped"]);
    // Set: the schema is built and the history replayed on the server; then cached.
    let run = p.forge_env(&["build", "--json"], &set);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(warnings(&run).is_empty(), "{}", run.stdout);
    assert_eq!(
        support::nodes(&run.json(), "executed_nodes"),
        ["sandbox:postgres"]
    );
    let run = p.forge_env(&["build", "--json"], &set);
    assert!(support::nodes(&run.json(), "executed_nodes").is_empty());
    // A hand edit that makes the history build something else.
    let file = "migrations/0001_init/postgres.sql";
    let original = p.read(file);
    p.write(
        file,
        &format!("{original}ALTER TABLE \"note\" ADD COLUMN \"extra\" integer;\n"),
    );
    let run = p.forge_env(&["build"], &set);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("sandbox:postgres")
            && run
                .stderr
                .contains("table note: column extra is not in the schema"),
        "{}",
        run.stderr
    );
    // A statement the server refuses: the migration, the line, the class and a repair.
    p.write(
        file,
        &format!("{original}ALTER TABLE \"nope\" ADD COLUMN \"extra\" integer;\n"),
    );
    let line = original.lines().count() + 1;
    let run = p.forge_env(&["build"], &set);
    assert_eq!(run.code, 1);
    let expected = format!(
        "migration 0001_init, postgres.sql line {line}: missing table: relation \"nope\" does not exist (42P01)"
    );
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    assert!(
        run.stderr.contains("help: table `nope` does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn sqlite_urls_are_read_as_sqlx_reads_them_and_passwords_are_never_shown() {
    let p = project();
    p.write("schema/app.kdl", NOTES);
    assert_eq!(p.forge(&["migrate", "new", "init"]).code, 0);
    // Relative to the current folder, created when missing.
    let apply = p.forge(&["migrate", "apply", "--db", "sqlite://dev.db"]);
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert!(p.path().join("dev.db").is_file());
    assert_eq!(p.forge(&["drift", "--db", "sqlite://dev.db"]).code, 0);
    // drift only reads: a missing file is an error, and stays missing.
    let drift = p.forge(&["drift", "--db", "sqlite://missing.db"]);
    assert_eq!(drift.code, 1);
    assert!(
        drift.stderr.contains("the file must exist"),
        "{}",
        drift.stderr
    );
    assert!(!p.path().join("missing.db").exists());
    // A server that is not there: the error shows the URL without its password.
    let status = p.forge(&[
        "migrate",
        "status",
        "--db",
        "postgres://app:hunter2@127.0.0.1:1/shop",
    ]);
    assert_eq!(status.code, 1);
    assert!(
        status
            .stderr
            .contains("cannot connect to postgres://app:***@127.0.0.1:1/shop"),
        "{}",
        status.stderr
    );
    assert!(!status.stderr.contains("hunter2"), "{}", status.stderr);
    let bad = p.forge(&["drift", "--db", "oracle://app:hunter2@db/shop"]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr
            .contains("`oracle` is not postgres, mysql or sqlite"),
        "{}",
        bad.stderr
    );
    assert!(!bad.stderr.contains("hunter2"), "{}", bad.stderr);
}
