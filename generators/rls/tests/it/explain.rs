//! The identity is read once per statement: in the plan, the helpers are InitPlans and the scan's
//! filter compares with their parameters, so no helper runs per row; the tenant guard can use an
//! index.

use crate::setup::{app, ir, uuid, who};

const SCHEMA: &str = r#"
roles admin member

model Note {
  id uuid pk=#true default=uuid
  tenant_id uuid tenant=#true
  owner_id uuid
  title string
  policy read "record.owner_id == user.id || user.roles.includes('admin')"
}
"#;

#[test]
fn identity_helpers_are_init_plans() {
    let app = app("explain", &ir(SCHEMA));
    app.admin(
        "INSERT INTO note (tenant_id, owner_id, title)
           SELECT ('00000000-0000-0000-0000-0000000090' || lpad((i % 20)::text, 2, '0'))::uuid,
                  ('00000000-0000-0000-0000-0000000000' || lpad((i % 50)::text, 2, '0'))::uuid,
                  'note ' || i
           FROM generate_series(1, 5000) AS i;
         ANALYZE note;",
    );
    let me = who(&uuid(7), &uuid(9003), &["member"]);
    let plan = app.as_user(&me, "EXPLAIN (VERBOSE, COSTS OFF) SELECT title FROM note;");
    let init_plans = plan.lines().filter(|l| l.contains("InitPlan")).count();
    assert!(
        init_plans >= 3,
        "tenant, id and roles as InitPlans:\n{plan}"
    );
    let filters: Vec<&str> = plan
        .lines()
        .filter(|l| l.contains("Filter:") || l.contains("Cond:"))
        .collect();
    assert!(!filters.is_empty(), "{plan}");
    for line in &filters {
        assert!(
            !line.contains("forge."),
            "a helper is called per row: {line}\n{plan}"
        );
        assert!(line.contains('$'), "{line}\n{plan}");
    }
    // The guard is a plain `tenant_id = $n`: an index on the tenant can serve it.
    let indexed = app.as_user(
        &me,
        "SET LOCAL enable_seqscan = off; EXPLAIN (COSTS OFF) SELECT title FROM note;",
    );
    assert!(
        indexed
            .lines()
            .any(|l| l.contains("Index Cond: (tenant_id = $")),
        "{indexed}"
    );
    // The rows are right too: owner 7 in tenant 9003.
    let rows = app.rows(&me, "SELECT count(*) FROM note;");
    let expected = app.admin_rows(&format!(
        "SELECT count(*) FROM note WHERE tenant_id = '{}' AND owner_id = '{}'",
        uuid(9003),
        uuid(7)
    ));
    assert_eq!(rows, [expected]);
}
