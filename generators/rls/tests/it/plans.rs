//! The plans of tenant-scoped reads on the clinic example, seeded with the benchmark's data
//! (`benches/clinic_seed.sql`) at 10,000 rows per table (500 per tenant) and analyzed: what
//! `benches/explain.rs` times on 100,000 rows, checked here by structure only, never by time.
//!
//! For each read (as the application's role, under an identity), `EXPLAIN (ANALYZE, FORMAT
//! JSON)` and the function statistics of the statement (`track_functions = 'all'`) show that:
//!
//! - nothing of the schema `forge` is evaluated per row: every InitPlan and SubPlan runs at most
//!   once, the scan's filter calls no `forge` function, and no `forge` function is called as
//!   many times as a tenant has rows;
//! - the tenant guard is served by an index that starts with the tenant column, which the
//!   planner picks on its own (no `enable_seqscan = off`): a tenant holds 5% of each table.

use serde_json::Value;

use crate::examples::example;
use crate::setup::{App, app};

/// As in the benchmark: rows per table, and tenants.
const ROWS: u64 = 10_000;
const TENANTS: u64 = 20;
/// The tenant the reads run in.
const TENANT: u64 = 3;

/// The clinic example with the benchmark's data.
fn seeded() -> App {
    let app = app("plans", &example("clinic"));
    let seed = include_str!("../../benches/clinic_seed.sql")
        .replace("{tenants}", &TENANTS.to_string())
        .replace("{rows}", &ROWS.to_string());
    app.admin(&seed);
    app.admin("ANALYZE;");
    // Sessions of this database count function calls, for pg_stat_xact_user_functions.
    app.admin(&format!(
        "ALTER DATABASE \"{}\" SET track_functions = 'all';",
        app.db.name()
    ));
    app
}

/// The key of row `local` of table `tag` in the tenant, as the seed makes it.
fn key(app: &App, tag: &str, local: u64) -> String {
    app.admin_rows(&format!(
        "SELECT md5('{tag}:' || {})::uuid;",
        local * TENANTS + TENANT
    ))
}

/// An identity of the tenant.
fn identity(app: &App, user: u64, role: &str, clinic: Option<u64>) -> String {
    let clinic = clinic.map_or(String::new(), |c| {
        format!(",\"clinic_id\":\"{}\"", key(app, "clinic", c))
    });
    format!(
        "{{\"id\":\"{}\",\"tenant_id\":\"{}\",\"roles\":[\"{role}\"],\"claims\":[]{clinic}}}",
        key(app, "user", user),
        app.admin_rows(&format!("SELECT md5('tenant:' || {TENANT})::uuid;"))
    )
}

/// The plan of `sql` as `identity`, executed, and the calls of each `forge` function.
fn explain(app: &App, identity: &str, sql: &str) -> (Value, Vec<(String, u64)>) {
    let out = app.as_user(
        identity,
        &format!(
            "EXPLAIN (ANALYZE, FORMAT JSON) {sql};
             SELECT funcname || ' ' || calls FROM pg_stat_xact_user_functions WHERE schemaname = 'forge';"
        ),
    );
    // The plan's JSON spans lines, and ends with `]`; one line per function follows.
    let end = out.rfind("\n]").map_or(out.len(), |i| i + 2);
    let plan = serde_json::from_str(&out[..end]).unwrap_or_else(|e| panic!("{e}: {out}"));
    let calls = out[end..]
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (name, n) = l.rsplit_once(' ').expect("name and calls");
            (name.to_string(), n.parse().expect("a count"))
        })
        .collect();
    (plan, calls)
}

/// Every node of a plan.
fn nodes(plan: &Value) -> Vec<&Value> {
    let mut out = vec![plan];
    for child in plan["Plans"].as_array().into_iter().flatten() {
        out.extend(nodes(child));
    }
    out
}

/// Checks the read `sql` of `table` as `identity`; returns how many rows it gave.
fn check(app: &App, identity: &str, table: &str, sql: &str) -> u64 {
    let (plan, calls) = explain(app, identity, sql);
    let root = &plan[0]["Plan"];
    let all = nodes(root);
    let text = |node: &Value, key: &str| node[key].as_str().unwrap_or_default().to_string();

    // Subplans run at most once; at least the identity is read by an InitPlan.
    let subplans: Vec<&&Value> = all
        .iter()
        .filter(|n| {
            matches!(
                n["Parent Relationship"].as_str(),
                Some("InitPlan" | "SubPlan")
            )
        })
        .collect();
    assert!(
        subplans
            .iter()
            .any(|n| text(n, "Subplan Name").starts_with("InitPlan")),
        "{table}: no InitPlan\n{plan:#}"
    );
    for node in &subplans {
        let loops = node["Actual Loops"].as_u64().expect("loops");
        assert!(
            loops <= 1,
            "{table}: {} runs {loops} times\n{plan:#}",
            text(node, "Subplan Name")
        );
    }

    // The scan of the table: through an index on the tenant, filtered without calls.
    let scans: Vec<&&Value> = all
        .iter()
        .filter(|n| n["Relation Name"].as_str() == Some(table))
        .collect();
    assert_eq!(scans.len(), 1, "{table}: one scan\n{plan:#}");
    let scan = scans[0];
    assert!(
        !text(scan, "Filter").contains("forge."),
        "{table}: a `forge` function in the scan's filter\n{plan:#}"
    );
    let index = match text(scan, "Node Type").as_str() {
        "Index Scan" | "Index Only Scan" => *scan,
        "Bitmap Heap Scan" => nodes(scan)
            .into_iter()
            .find(|n| n["Node Type"] == "Bitmap Index Scan")
            .expect("a bitmap index scan"),
        other => panic!("{table}: a {other}, not an index scan\n{plan:#}"),
    };
    assert!(
        text(index, "Index Cond").contains("(tenant_id = $"),
        "{table}: the index does not serve the tenant guard\n{plan:#}"
    );
    let first_column = app.admin_rows(&format!(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
         WHERE i.indexrelid = '\"{}\"'::regclass",
        text(index, "Index Name")
    ));
    assert_eq!(first_column, "tenant_id", "{table}\n{plan:#}");

    // No function runs per row: a tenant has ROWS / TENANTS rows in the table.
    let scanned = scan["Actual Rows"].as_u64().unwrap_or(0)
        + scan["Rows Removed by Filter"].as_u64().unwrap_or(0);
    for (function, n) in &calls {
        assert!(
            *n < ROWS / TENANTS / 2,
            "{table}: forge.{function} called {n} times for {scanned} rows\n{plan:#}"
        );
    }
    assert!(calls.iter().any(|(f, _)| f == "identity"), "{calls:?}");
    root["Actual Rows"].as_u64().expect("rows")
}

#[test]
fn identity_and_lookups_run_once_per_statement_and_the_tenant_index_serves_the_guard() {
    let app = seeded();
    // A nurse (user 120): an owner rule and roles, no lookup.
    let nurse = identity(&app, 120, "nurse", None);
    let notes = check(&app, &nurse, "note", "SELECT id FROM note");
    // A receptionist of clinic 0: a belongs-to chain, as a set of doctors.
    let receptionist = identity(&app, 200, "receptionist", Some(0));
    let appointments = check(
        &app,
        &receptionist,
        "appointment",
        "SELECT id FROM appointment",
    );
    // Doctor 0 (user 0): a chain and `some` over the patient's appointments.
    let doctor = identity(&app, 0, "doctor", None);
    let patients = check(&app, &doctor, "patient", "SELECT id FROM patient");
    // A billing clerk: roles only.
    let billing = identity(&app, 300, "billing", None);
    let invoices = check(&app, &billing, "invoice", "SELECT id FROM invoice");

    // The rules filtered: the counts are the ones written by hand, as the superuser.
    let tenant = app.admin_rows(&format!("SELECT md5('tenant:' || {TENANT})::uuid;"));
    let count = |sql: &str| -> u64 { app.admin_rows(sql).parse().expect("a count") };
    let nurse_id = key(&app, "user", 120);
    assert_eq!(
        notes,
        count(&format!(
            "SELECT count(*) FROM note WHERE tenant_id = '{tenant}' AND (NOT confidential OR author_id = '{nurse_id}')"
        ))
    );
    assert_eq!(
        appointments,
        count(&format!(
            "SELECT count(*) FROM appointment a JOIN doctor d ON d.id = a.doctor_id
             WHERE a.tenant_id = '{tenant}' AND d.clinic_id = '{}'",
            key(&app, "clinic", 0)
        ))
    );
    let doctor_id = key(&app, "doctor", 0);
    assert_eq!(
        patients,
        count(&format!(
            "SELECT count(*) FROM patient p WHERE tenant_id = '{tenant}' AND (primary_doctor_id = '{doctor_id}'
               OR EXISTS (SELECT 1 FROM appointment a WHERE a.patient_id = p.id AND a.doctor_id = '{doctor_id}'))"
        ))
    );
    assert!(patients > 0 && patients < appointments, "{patients}");
    assert_eq!(
        invoices,
        count(&format!(
            "SELECT count(*) FROM invoice WHERE tenant_id = '{tenant}'"
        ))
    );
}
