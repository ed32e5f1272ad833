//! The server helpers against real servers (start them with `eval "$(ci/db.sh start)"`): a fresh
//! database per test, errors that name the failing statement, rows printed like `psql -At`, and
//! the database dropped with its handle.

use forge_testkit::{Database, mysql_database, pg_database};

const SCRIPT: &str = "CREATE TABLE t (x INTEGER NOT NULL, y VARCHAR(10));\n\
                      INSERT INTO t VALUES (1, 'é'), (2, NULL);\n";

fn check(db: &dyn Database) {
    db.apply(SCRIPT).unwrap();
    assert_eq!(
        db.query("SELECT x, y FROM t ORDER BY x").unwrap(),
        "1|é\n2|"
    );
    let err = db
        .apply("INSERT INTO t VALUES (3, 'a');\nINSERT INTO t VALUES (NULL, 'nope');\n")
        .unwrap_err();
    assert!(
        err.contains("INSERT INTO t VALUES (NULL, 'nope')"),
        "the error names the statement: {err}"
    );
    assert!(db.query("SELECT nothing FROM nowhere").is_err());
}

#[test]
fn postgres_databases_apply_query_and_drop() {
    let name;
    {
        let db = pg_database("testkit_postgres");
        name = db.name().to_string();
        check(&db);
        // One transaction: the failed script left no row behind.
        assert_eq!(db.query("SELECT count(*) FROM t").unwrap(), "2");
    }
    let admin = pg_database("testkit_postgres_admin");
    let left = admin
        .query(&format!(
            "SELECT count(*) FROM pg_database WHERE datname = '{name}'"
        ))
        .unwrap();
    assert_eq!(left, "0", "the database is dropped with its handle");
}

#[test]
fn mysql_databases_apply_query_and_drop() {
    let name;
    {
        let db = mysql_database("testkit_mysql");
        name = db.name().to_string();
        check(&db);
    }
    let admin = mysql_database("testkit_mysql_admin");
    let left = admin
        .query(&format!(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '{name}'"
        ))
        .unwrap();
    assert_eq!(left, "0", "the database is dropped with its handle");
}
