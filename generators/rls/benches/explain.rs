//! The cost of row-level security in PostgreSQL, measured with `EXPLAIN ANALYZE`: the clinic
//! example (`examples/clinic`, through the real front end) with `schema.sql` and `policies.sql`
//! applied, 100,000 rows in each table the queries read (20 tenants; `clinic_seed.sql` says how
//! the rows are spread), then a set of tenant-scoped reads, each timed two ways:
//!
//! - **RLS**: as the application's role (not superuser, not owner, no BYPASSRLS) with the
//!   identity set by `set_config('forge.user', ..., true)`, the query as the application writes
//!   it when the policies do the filtering;
//! - **by hand**: as the owner (a superuser: the policies do not apply), the same query with the
//!   policy's predicate written out by hand for that user, as an application without row-level
//!   security would write it: the tenant and the user's ids as literals, the role checks left out
//!   (the application decides them before it queries), and other rows reached by joins or
//!   subqueries.
//!
//! Each query runs once untimed (which also counts the calls of `forge` functions, with
//! `track_functions`, and checks that both forms return the same rows), then `RLS_BENCH_RUNS`
//! times each way, alternating, in one session: the table reports the medians of `EXPLAIN
//! (ANALYZE, BUFFERS, FORMAT JSON)`'s "Execution Time" and their ratio. The target is a ratio of
//! at most 2; the process exits with 1 when a query misses it.
//!
//! Not run by `cargo test` or CI: run `ci/rls-bench.sh` (it starts a throwaway PostgreSQL), or
//! `cargo bench -p forge-gen-rls --bench explain` with `FORGE_TEST_PG_URL` set. Knobs:
//! `RLS_BENCH_ROWS` (100000; a multiple of 20), `RLS_BENCH_RUNS` (7), and `RLS_BENCH_KEEP=1` to
//! keep the database (`forge_test_rls_bench`, with the role `forge_test_rls_bench_app`) for
//! looking at plans afterwards.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use forge_frontend::{Severity, parse_file, validate};
use forge_gen_sql::{Dialect, generate};
use forge_schemas::Ir;
use forge_testkit::{Database, PgDb, pg_database};
use serde_json::Value;

/// The tenants of the seeded data.
const TENANTS: u64 = 20;
/// The tenant every query runs in.
const TENANT: u64 = 3;
/// The highest ratio of RLS to by-hand execution time that meets the target.
const TARGET: f64 = 2.0;

/// One query, under row-level security and by hand.
struct Query {
    name: &'static str,
    /// The rule that does the filtering, for the table.
    rule: &'static str,
    /// The identity JSON the application's role runs it under.
    identity: String,
    /// The query under row-level security.
    rls: String,
    /// The same query as the owner, the policy written out.
    by_hand: String,
}

/// What one query measured.
struct Measured {
    rows: u64,
    rls_ms: f64,
    by_hand_ms: f64,
    /// Calls of `forge` functions during one execution under row-level security.
    calls: u64,
}

fn main() -> ExitCode {
    let rows: u64 = env_number("RLS_BENCH_ROWS", 100_000);
    let runs: usize = env_number("RLS_BENCH_RUNS", 7);
    assert!(
        rows > 0 && rows.is_multiple_of(TENANTS),
        "RLS_BENCH_ROWS must be a positive multiple of {TENANTS}"
    );
    assert!(runs > 0, "RLS_BENCH_RUNS must be positive");

    let ir = clinic_ir();
    let db = pg_database("rls_bench");
    let role = setup(&db, &ir);
    let started = Instant::now();
    let seed = include_str!("clinic_seed.sql")
        .replace("{tenants}", &TENANTS.to_string())
        .replace("{rows}", &rows.to_string());
    db.apply(&seed).unwrap_or_else(|e| panic!("seeding: {e}"));
    query(&db, "VACUUM ANALYZE;");
    eprintln!(
        "seeded {rows} rows per table in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut results = Vec::new();
    for q in queries(&db) {
        let measured = measure(&db, &role, &q, runs);
        eprintln!(
            "{}: {:.2} ms under RLS, {:.2} ms by hand",
            q.name, measured.rls_ms, measured.by_hand_ms
        );
        results.push((q, measured));
    }

    println!(
        "{rows} rows per table, {TENANTS} tenants; medians of {runs} runs of EXPLAIN ANALYZE's execution time\n"
    );
    println!(
        "| query | rule | rows | RLS ms | by hand ms | ratio | `forge` calls | ratio ≤ {TARGET} |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
    let mut missed = false;
    for (q, m) in &results {
        let ratio = m.rls_ms / m.by_hand_ms;
        let met = ratio <= TARGET;
        missed |= !met;
        println!(
            "| {} | {} | {} | {:.2} | {:.2} | {:.2} | {} | {} |",
            q.name,
            q.rule,
            m.rows,
            m.rls_ms,
            m.by_hand_ms,
            ratio,
            m.calls,
            if met { "yes" } else { "**no**" }
        );
    }
    if std::env::var("RLS_BENCH_KEEP").is_ok_and(|v| v == "1") {
        eprintln!("kept the database {}", db.name());
        std::mem::forget(db);
    }
    if missed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// A number from the environment, or `default`.
fn env_number<T: std::str::FromStr>(var: &str, default: T) -> T {
    match std::env::var(var) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{var} is not a number: {text}")),
        Err(_) => default,
    }
}

/// The IR of `examples/clinic`, through the real front end.
fn clinic_ir() -> Ir {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/clinic/schema");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|x| x == "kdl"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a schema file");
            let name = path.file_name().expect("a file name").to_string_lossy();
            (format!("schema/{name}"), text)
        })
        .collect();
    files.sort();
    let parsed: Vec<_> = files
        .iter()
        .map(|(path, text)| {
            let (parsed, errors) = parse_file(path, text);
            assert!(errors.is_empty(), "{path}: {errors:?}");
            parsed
        })
        .collect();
    let refs: Vec<_> = parsed.iter().collect();
    let validated = validate(&refs);
    let errors: Vec<_> = validated
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    validated.ir.expect("the clinic example is valid")
}

/// Applies `schema.sql` and `policies.sql` as the superuser and creates the application's role,
/// granted what `docs/rls.md` says; returns the role's name.
fn setup(db: &PgDb, ir: &Ir) -> String {
    db.apply(&generate(ir, Dialect::Postgres).content)
        .unwrap_or_else(|e| panic!("schema.sql: {e}"));
    db.apply(&forge_gen_rls::policies_sql(ir).content)
        .unwrap_or_else(|e| panic!("policies.sql: {e}"));
    let role = format!("{}_app", db.name());
    db.apply(&format!(
        "DO $$ BEGIN CREATE ROLE \"{role}\" NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
         GRANT USAGE ON SCHEMA public, forge TO \"{role}\";
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \"{role}\";
         GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA forge TO \"{role}\";"
    ))
    .unwrap_or_else(|e| panic!("the application's role: {e}"));
    role
}

/// The output of `sql` as the superuser.
fn query(db: &PgDb, sql: &str) -> String {
    db.query(sql).unwrap_or_else(|e| panic!("{e}"))
}

/// The key of row `local` of table `tag` in the benchmark's tenant, as `clinic_seed.sql` makes it.
fn key(db: &PgDb, tag: &str, local: u64) -> String {
    query(
        db,
        &format!(
            "SELECT md5('{tag}:' || {})::uuid;",
            local * TENANTS + TENANT
        ),
    )
}

/// An identity JSON object of the benchmark's tenant.
fn identity(tenant: &str, user: &str, role: &str, clinic: Option<&str>) -> String {
    let clinic = clinic.map_or(String::new(), |c| format!(",\"clinic_id\":\"{c}\""));
    format!(
        "{{\"id\":\"{user}\",\"tenant_id\":\"{tenant}\",\"roles\":[\"{role}\"],\"claims\":[]{clinic}}}"
    )
}

/// The queries, for users of the benchmark's tenant.
fn queries(db: &PgDb) -> Vec<Query> {
    let tenant = query(db, &format!("SELECT md5('tenant:' || {TENANT})::uuid;"));
    let nurse = key(db, "user", 120);
    let receptionist = key(db, "user", 200);
    let billing = key(db, "user", 300);
    // Doctor 0 logs in as user 0.
    let doctor = key(db, "user", 0);
    let clinic = key(db, "clinic", 0);
    // A patient doctor 0 sees only through an appointment (not their primary doctor): both of
    // Patient's lookups run for it.
    let seen = query(
        db,
        &format!(
            "SELECT a.patient_id FROM appointment a JOIN patient p ON p.id = a.patient_id
             WHERE a.doctor_id = '{}' AND p.primary_doctor_id IS DISTINCT FROM a.doctor_id
             ORDER BY a.patient_id LIMIT 1;",
            key(db, "doctor", 0)
        ),
    );
    let doctors_patients = format!(
        "tenant_id = '{tenant}' AND (primary_doctor_id IN (SELECT id FROM doctor WHERE tenant_id = '{tenant}' AND user_id = '{doctor}')
           OR EXISTS (SELECT 1 FROM appointment a JOIN doctor d ON d.id = a.doctor_id
                      WHERE a.patient_id = patient.id AND a.tenant_id = '{tenant}' AND d.tenant_id = '{tenant}' AND d.user_id = '{doctor}'))"
    );
    vec![
        Query {
            name: "owner rule: Note, list",
            rule: "`!record.confidential \\|\\| record.author_id == user.id \\|\\| …` (a nurse)",
            identity: identity(&tenant, &nurse, "nurse", None),
            rls: "SELECT id, appointment_id, created_at FROM note".into(),
            by_hand: format!(
                "SELECT id, appointment_id, created_at FROM note
                 WHERE tenant_id = '{tenant}' AND (NOT confidential OR author_id = '{nurse}')"
            ),
        },
        Query {
            name: "belongs-to chain: Appointment, list",
            rule: "`record.doctor.clinic_id == user.clinic_id` (a receptionist of one clinic)",
            identity: identity(&tenant, &receptionist, "receptionist", Some(&clinic)),
            rls: "SELECT id, patient_id, starts_at FROM appointment".into(),
            by_hand: format!(
                "SELECT id, patient_id, starts_at FROM appointment
                 WHERE tenant_id = '{tenant}'
                   AND doctor_id IN (SELECT id FROM doctor WHERE tenant_id = '{tenant}' AND clinic_id = '{clinic}')"
            ),
        },
        Query {
            name: "`some` over has-many: Patient, list",
            rule: "`record.primary_doctor.user_id == user.id \\|\\| record.appointments.some(a => a.doctor.user_id == user.id)` (a doctor)",
            identity: identity(&tenant, &doctor, "doctor", None),
            rls: "SELECT id, nom FROM patient".into(),
            by_hand: format!("SELECT id, nom FROM patient WHERE {doctors_patients}"),
        },
        Query {
            name: "roles (permissions): Invoice, list",
            rule: "`read billing receptionist admin` (a billing clerk)",
            identity: identity(&tenant, &billing, "billing", None),
            rls: "SELECT id, number, total FROM invoice".into(),
            by_hand: format!(
                "SELECT id, number, total FROM invoice WHERE tenant_id = '{tenant}'"
            ),
        },
        Query {
            name: "by id: one Patient",
            rule: "Patient's read rule, as above (a doctor; the patient is seen through an appointment)",
            identity: identity(&tenant, &doctor, "doctor", None),
            rls: format!("SELECT id, nom FROM patient WHERE id = '{seen}'"),
            by_hand: format!(
                "SELECT id, nom FROM patient WHERE id = '{seen}' AND {doctors_patients}"
            ),
        },
    ]
}

/// Runs `q` once untimed, then `runs` times each way, and returns the medians.
fn measure(db: &PgDb, role: &str, q: &Query, runs: usize) -> Measured {
    // The application's transaction: its role, then the identity. The first run also counts the
    // calls of functions (a superuser's setting, so it comes before the role).
    let as_app = |count_calls: bool| {
        let track = if count_calls {
            "SET LOCAL track_functions = 'all';\n"
        } else {
            ""
        };
        format!(
            "BEGIN;\n{track}SET LOCAL ROLE \"{role}\";\nSELECT set_config('forge.user', '{}', true) AS forge_user \\gset\n",
            q.identity.replace('\'', "''")
        )
    };
    let explain = |sql: &str| format!("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql};\n");
    // The same rows both ways: their count and a digest of their text.
    let digest = |sql: &str| {
        format!(
            "SELECT count(*) || ' ' || md5(coalesce(string_agg(q::text, ',' ORDER BY q::text), '')) FROM ({sql}) AS q;\n"
        )
    };
    let next = "\\echo @@\n";
    let mut script = as_app(true);
    script.push_str(&explain(&q.rls));
    script.push_str(next);
    script.push_str(
        "SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions WHERE schemaname = 'forge';\n",
    );
    script.push_str(next);
    script.push_str(&digest(&q.rls));
    script.push_str("COMMIT;\n");
    script.push_str(next);
    script.push_str(&digest(&q.by_hand));
    for _ in 0..runs {
        script.push_str(next);
        script.push_str(&as_app(false));
        script.push_str(&explain(&q.rls));
        script.push_str("COMMIT;\n");
        script.push_str(next);
        script.push_str(&explain(&q.by_hand));
    }
    let out = query(db, &script);
    // Untimed: the plan, the calls, the digests; then RLS and by hand, alternating.
    let parts: Vec<&str> = out.split("\n@@\n").collect();
    assert_eq!(parts.len(), 4 + 2 * runs, "{}: {out}", q.name);
    let calls: u64 = parts[1].trim().parse().expect("a count of calls");
    assert_eq!(
        parts[2], parts[3],
        "{}: the query under RLS and by hand return different rows",
        q.name
    );
    let rows: u64 = parts[2]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count of rows");
    let mut rls: Vec<f64> = parts[4..]
        .iter()
        .step_by(2)
        .map(|p| execution_ms(p))
        .collect();
    let mut by_hand: Vec<f64> = parts[5..]
        .iter()
        .step_by(2)
        .map(|p| execution_ms(p))
        .collect();
    Measured {
        rows,
        rls_ms: median(&mut rls),
        by_hand_ms: median(&mut by_hand),
        calls,
    }
}

/// "Execution Time" of an `EXPLAIN (ANALYZE, FORMAT JSON)` output, in milliseconds.
fn execution_ms(json: &str) -> f64 {
    let plan: Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("EXPLAIN's JSON: {e}\n{json}"));
    plan[0]["Execution Time"]
        .as_f64()
        .unwrap_or_else(|| panic!("no Execution Time in {json}"))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}
