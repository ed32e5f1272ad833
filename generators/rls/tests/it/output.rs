//! The shape of `policies.sql` without a database: origins, one policy per allowed action, what a
//! denied action gets, the indexes, and lookups created once, before the policies that call them.

use forge_gen_rls::{PolicyIndex, policies_sql, policy_indexes};

use crate::setup::ir;

const SCHEMA: &str = r#"
model Account {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  owner_id uuid
  entries has-many=Entry
  policy read "record.owner_id == user.id"
  policy update "record.entries.every(e => e.amount > 0)"
}

model Entry {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  account belongs-to=Account
  amount integer
  // No read rule: update and delete are denied too, whatever their rules say.
  policy update "record.account.owner_id == user.id"
  policy delete "record.account.owner_id == user.id"
}

model Log {
  id uuid pk=#true
  message text
  tags many-to-many=Label
  policy all "user.roles.includes('auditor')"
}

model Label {
  id uuid pk=#true
  name string
  policy read "true"
}

roles auditor
"#;

#[test]
fn origins_cover_each_table_and_each_policy() {
    let file = policies_sql(&ir(SCHEMA));
    assert_eq!(file.path, "policies.sql");
    let lines: Vec<&str> = file.content.lines().collect();
    let line = |n: u32| lines[n as usize - 1];
    for origin in &file.origins {
        assert!(origin.field.is_none());
        assert!(origin.lines[0] <= origin.lines[1]);
    }
    // Every CREATE POLICY is covered by an origin that starts on it and names its model.
    for (i, text) in lines.iter().enumerate() {
        if let Some(rest) = text.strip_prefix("CREATE POLICY \"") {
            let n = u32::try_from(i + 1).unwrap();
            let origin = file
                .origins
                .iter()
                .find(|o| o.lines[0] == n)
                .unwrap_or_else(|| panic!("no origin starts at line {n}: {text}"));
            let model = origin.model.as_deref().unwrap();
            let table = rest.split('"').next().unwrap();
            let expected = match table {
                t if t.starts_with("account_") => "Account",
                t if t.starts_with("entry_") => "Entry",
                // The join table follows the model that declares it.
                t if t.starts_with("log_tags_") || t.starts_with("log_") => "Log",
                t if t.starts_with("label_") => "Label",
                other => panic!("unexpected policy {other}"),
            };
            assert_eq!(model, expected, "{text}");
            assert!(line(origin.lines[1]).ends_with(");"), "{text}");
        }
    }
    // Each table's block starts at its comment and names its model.
    for (model, comment) in [
        ("Account", "-- Account (\"account\")"),
        ("Entry", "-- Entry (\"entry\")"),
        ("Log", "-- join table \"log_tags\" of Log.tags (to Label)"),
    ] {
        assert!(
            file.origins
                .iter()
                .any(|o| o.model.as_deref() == Some(model) && line(o.lines[0]) == comment),
            "{model}"
        );
    }
}

#[test]
fn one_policy_per_allowed_action() {
    let sql = policies_sql(&ir(SCHEMA)).content;
    let policies: Vec<&str> = sql
        .lines()
        .filter_map(|l| l.strip_prefix("CREATE POLICY "))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        policies,
        [
            "\"account_read\"",
            "\"account_update\"",
            "\"label_read\"",
            "\"log_read\"",
            "\"log_create\"",
            "\"log_update\"",
            "\"log_delete\"",
            "\"log_tags_read\"",
            "\"log_tags_create\"",
            "\"log_tags_delete\"",
        ]
    );
    assert!(sql.contains("-- denied to everyone (no policy, no permission): read, create\n-- denied to everyone (a row that cannot be read cannot be updated or deleted): update, delete\n"));
    // Every table is forced, join tables included.
    for table in ["account", "entry", "log", "label", "log_tags"] {
        assert!(
            sql.contains(&format!(
                "ALTER TABLE \"{table}\" FORCE ROW LEVEL SECURITY;"
            )),
            "{table}"
        );
    }
}

#[test]
fn lookups_are_created_once_before_their_first_use() {
    let sql = policies_sql(&ir(SCHEMA)).content;
    // `every`: the accounts with an entry that fails it, once per statement.
    let created = sql
        .find("CREATE FUNCTION \"forge\".\"lookup_account_update_1\"() RETURNS SETOF uuid")
        .expect("the every lookup");
    let used = sql
        .find("\"id\" NOT IN (SELECT \"forge\".\"lookup_account_update_1\"())")
        .unwrap();
    assert!(created < used);
    assert_eq!(
        sql.matches("CREATE FUNCTION \"forge\".\"lookup_").count(),
        1
    );
    assert!(sql.contains("SECURITY DEFINER SET search_path = pg_catalog, pg_temp"));
}

#[test]
fn indexes_cover_what_policies_filter_on() {
    let indexes = policy_indexes(&ir(SCHEMA));
    let index = |table: &str, columns: &[&str]| PolicyIndex {
        model: match table {
            "account" => "Account",
            _ => "Entry",
        }
        .into(),
        table: table.into(),
        name: format!("{table}_{}_idx", columns.join("_")),
        columns: columns.iter().map(|c| c.to_string()).collect(),
    };
    // Account: the owner rule, with the tenant first (which also serves the tenant guard).
    // Entry: the has-many lookup from Account. Its tenant alone would be served by it too.
    assert_eq!(
        indexes,
        [
            index("account", &["tenant_id", "owner_id"]),
            index("entry", &["tenant_id", "account_id"]),
        ]
    );
    assert_eq!(
        indexes[0].create_sql(),
        "CREATE INDEX IF NOT EXISTS \"account_tenant_id_owner_id_idx\" ON \"account\" (\"tenant_id\", \"owner_id\");"
    );
}

#[test]
fn an_index_name_taken_in_the_database_gets_a_hash() {
    // The table `a_tenant_id_idx`... and model A's tenant index would be `a_tenant_id_idx`.
    let schema = ir(r#"
model A {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  policy read "true"
}
model B table="a_tenant_id_idx" {
  id uuid pk=#true
  policy read "true"
}
"#);
    let indexes = policy_indexes(&schema);
    assert_eq!(indexes.len(), 1);
    assert_ne!(indexes[0].name, "a_tenant_id_idx");
    assert!(indexes[0].name.starts_with("a_tenant_id_"));
    assert!(indexes[0].name.ends_with("_idx"));
}

#[test]
fn an_empty_schema_gets_the_helpers_only() {
    let sql = policies_sql(&forge_schemas::Ir::empty()).content;
    assert!(sql.starts_with("-- generated by forge; do not edit\n"));
    assert!(!sql.contains("CREATE POLICY"));
    assert!(sql.contains("CREATE SCHEMA \"forge\";"));
    assert!(sql.ends_with("REVOKE ALL ON ALL FUNCTIONS IN SCHEMA \"forge\" FROM PUBLIC;\n"));
}

#[test]
fn lookups_run_once_per_statement_unless_they_read_the_row_or_check_an_insert() {
    let sql = policies_sql(&ir(r#"
model Account {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  owner_id uuid
  entries has-many=Entry
  policy read "record.entries.some(e => e.amount > 0)"
  policy update "record.entries.some(e => e.author_id == record.owner_id)"
}

model Entry {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  account belongs-to=Account
  author_id uuid
  amount integer
  policy read "record.account.owner_id == user.id"
  policy create "record.account.owner_id == user.id"
}
"#))
    .content;
    // Sets of keys, once per statement: the accounts with a positive entry, and the accounts
    // the user owns (named after the chain).
    for used in [
        "\"id\" IN (SELECT \"forge\".\"lookup_account_read_1\"())",
        "\"account_id\" IN (SELECT \"forge\".\"lookup_account_owner_id_1\"())",
    ] {
        assert!(sql.contains(used), "{used}\n{sql}");
    }
    assert_eq!(sql.matches("RETURNS SETOF uuid").count(), 2, "{sql}");
    // A condition that reads more of the row (`record.owner_id`) runs per row, with its columns;
    // so does a chain in an INSERT's check, which sees one row at a time.
    for used in [
        "\"forge\".\"lookup_account_update_1\"(\"id\", \"owner_id\")",
        "COALESCE(\"forge\".\"lookup_account_owner_id\"(\"account_id\") = (SELECT \"forge\".\"user_id\"()), FALSE)",
    ] {
        assert!(sql.contains(used), "{used}\n{sql}");
    }
}
