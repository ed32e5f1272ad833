//! The file itself: its path and format, determinism, explicit denials, parameter counts that
//! match what the database sees, origins that point at the model (and policy) of each entry.

use forge_gen_guard_sql::{FORMAT, Guards, guards, path};
use forge_gen_sql::Dialect;
use forge_schemas::Origin;
use forge_testkit::sqlite_apply;
use rusqlite::params_from_iter;
use rusqlite::types::Value;

use crate::setup::{ir, ir_of_folder};

#[test]
fn the_file_is_json_named_after_the_dialect_and_deterministic() {
    let ir = ir_of_folder("examples/blog/schema");
    for dialect in [Dialect::Sqlite, Dialect::Mysql] {
        let file = guards(&ir, dialect);
        assert_eq!(file.path, format!("{}.json", dialect.as_str()));
        assert_eq!(file.path, path(dialect));
        assert_eq!(
            file,
            guards(&ir, dialect),
            "the same IR gives the same file"
        );
        let read = Guards::from_json(&file.content).expect("the file reads back");
        assert_eq!(
            (read.format, read.dialect, read.alias.as_str()),
            (FORMAT, dialect, "record")
        );
        // Models in IR order, then join tables.
        let names: Vec<&str> = read.tables.iter().map(|t| t.name.as_str()).collect();
        let mut expected: Vec<&str> = ir.models.iter().map(|m| m.name.as_str()).collect();
        expected.extend(ir.join_tables.iter().map(|j| j.name.as_str()));
        assert_eq!(names, expected);
        // serde_json's pretty output (one string per line), ending with a newline.
        assert!(file.content.starts_with("{\n  \"format\": 1,\n"));
        assert!(file.content.ends_with("\n  ]\n}\n"));
    }
}

#[test]
fn parameters_are_the_placeholders_the_database_sees() {
    let ir = ir_of_folder("examples/blog/schema");
    let schema = forge_gen_sql::generate(&ir, Dialect::Sqlite).content;
    let conn = sqlite_apply(&schema).expect("schema.sql");
    let read = Guards::from_json(&guards(&ir, Dialect::Sqlite).content).expect("guards");
    let mut conditions = 0;
    for table in &read.tables {
        for action in [&table.read, &table.create, &table.update, &table.delete] {
            for condition in action.filter.iter().chain(&action.check) {
                let sql = read.row_check(table, condition);
                let statement = conn.prepare(&sql).expect("the condition prepares");
                let expected = table.primary_key.len() + condition.params as usize;
                assert_eq!(statement.parameter_count(), expected, "{sql}");
                conditions += 1;
            }
        }
    }
    assert!(conditions > 40, "{conditions}");
}

#[test]
fn denied_actions_are_explicit_and_false() {
    let logs = ir(r#"
model Log {
  id uuid pk=#true
  policy read "true"
}
"#);
    let read = Guards::from_json(&guards(&logs, Dialect::Sqlite).content).expect("guards");
    let log = read.table("Log").expect("Log");
    assert!(!log.read.deny);
    assert_eq!(
        log.read.filter.as_ref().map(|f| f.sql.as_str()),
        Some("TRUE")
    );
    for (action, filter, check) in [
        (&log.create, false, true),
        (&log.update, true, true),
        (&log.delete, true, false),
    ] {
        assert!(action.deny);
        assert_eq!(action.reason.as_deref(), Some("no policy, no permission"));
        assert_eq!(
            action.filter.as_ref().map(|f| (f.sql.as_str(), f.params)),
            filter.then_some(("FALSE", 0))
        );
        assert_eq!(
            action.check.as_ref().map(|c| (c.sql.as_str(), c.params)),
            check.then_some(("FALSE", 0))
        );
    }
    let unreadable = ir(r#"
model Inbox {
  id uuid pk=#true
  policy update "true"
}
"#);
    let read = Guards::from_json(&guards(&unreadable, Dialect::Mysql).content).expect("guards");
    let update = &read.table("Inbox").expect("Inbox").update;
    assert!(update.deny);
    assert_eq!(
        update.reason.as_deref(),
        Some("a row that cannot be read cannot be updated or deleted")
    );
}

/// The origin of line `n` (1-based) that starts last, i.e. the innermost.
fn origin_of(origins: &[Origin], n: u32) -> Option<&Origin> {
    origins
        .iter()
        .filter(|o| o.lines[0] <= n && n <= o.lines[1])
        .max_by_key(|o| o.lines[0])
}

#[test]
fn origins_point_at_the_model_and_the_rule() {
    let ir = ir_of_folder("examples/blog/schema");
    let file = guards(&ir, Dialect::Sqlite);
    let lines: Vec<&str> = file.content.lines().collect();
    // The line that names each table's entry comes from its model.
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = line.strip_prefix("      \"name\": \"") else {
            continue;
        };
        let name = name.trim_end_matches("\",");
        let origin = origin_of(&file.origins, i as u32 + 1).expect("an origin");
        let model = match name {
            "post_tags" => "Post",
            "user_follows" => "User",
            model => model,
        };
        assert_eq!(origin.model.as_deref(), Some(model), "{name}");
        assert_eq!(origin.element, None);
    }
    // Each action's lines come from its policy, the `all` policy or its first permission line.
    let element = |model: &str, action: &str| {
        let entry = lines
            .iter()
            .position(|l| *l == format!("      \"name\": \"{model}\","))
            .expect("the entry");
        let at = (entry..lines.len())
            .find(|&i| lines[i] == format!("      \"{action}\": {{"))
            .expect("the action");
        origin_of(&file.origins, at as u32 + 1).and_then(|o| o.element.clone())
    };
    assert_eq!(element("Post", "read").as_deref(), Some("policy:read"));
    assert_eq!(
        element("Category", "create").as_deref(),
        Some("permission:create:0")
    );
    assert_eq!(
        element("Subscription", "update").as_deref(),
        Some("policy:all")
    );
    assert_eq!(element("post_tags", "create"), None);
    // Every origin lies inside the file.
    let last = lines.len() as u32;
    assert!(
        file.origins
            .iter()
            .all(|o| 1 <= o.lines[0] && o.lines[0] <= o.lines[1] && o.lines[1] <= last)
    );
}

#[test]
#[should_panic(expected = "row-level security")]
fn postgres_has_no_guards() {
    guards(&forge_schemas::Ir::empty(), Dialect::Postgres);
}

#[test]
fn the_tenant_guard_is_served_by_an_index() {
    // SQLite: the identity's tenant is an uncorrelated subquery, evaluated once, and the scan of
    // the table is a search on its (tenant_id, ...) key.
    let ir = ir_of_folder("examples/blog/schema");
    let conn =
        sqlite_apply(&forge_gen_sql::generate(&ir, Dialect::Sqlite).content).expect("schema.sql");
    let read = Guards::from_json(&guards(&ir, Dialect::Sqlite).content).expect("guards");
    let filter = read
        .table("Post")
        .and_then(|t| t.read.filter.as_ref())
        .expect("a filter");
    let sql = format!(
        "EXPLAIN QUERY PLAN SELECT * FROM \"post\" AS \"record\" WHERE {}",
        filter.sql
    );
    let mut statement = conn.prepare(&sql).expect("the plan");
    let identity = vec![Value::Text("{}".into()); filter.params as usize];
    let plan: Vec<String> = statement
        .query_map(params_from_iter(identity), |row| row.get(3))
        .and_then(|rows| rows.collect())
        .expect("the plan's rows");
    assert!(
        plan[0].starts_with("SEARCH record USING INDEX") && plan[0].contains("(tenant_id=?)"),
        "{plan:#?}"
    );
    assert!(
        plan.iter().all(|step| !step.starts_with("SCAN record")),
        "{plan:#?}"
    );
}
