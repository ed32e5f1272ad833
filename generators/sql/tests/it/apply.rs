//! `schema.sql` applies to an empty database of each dialect, and is the same for the same IR.

use std::collections::BTreeMap;

use forge_gen_sql::{Dialect, ModelDdl, assemble, generate, model_ddl};

use crate::blog::blog;
use crate::databases::{open, rows};
use crate::each_dialect;

each_dialect!(applies_to_an_empty_database);

fn applies_to_an_empty_database(dialect: Dialect) {
    let db = open(dialect, "applies_to_an_empty_database");
    let tables = match dialect {
        Dialect::Postgres => "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
        Dialect::Sqlite => "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
        Dialect::Mysql => {
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = database()"
        }
    };
    assert_eq!(
        rows(&*db, dialect, tables),
        "9",
        "8 models and 1 join table"
    );
}

#[test]
fn output_is_deterministic() {
    for dialect in Dialect::ALL {
        assert_eq!(generate(&blog(), dialect), generate(&blog(), dialect));
    }
}

/// The engine caches fragments as JSON and assembles them later: the result is the same.
#[test]
fn assembling_cached_fragments_equals_generating() {
    let ir = blog();
    for dialect in Dialect::ALL {
        let fragments: BTreeMap<String, ModelDdl> = ir
            .models
            .iter()
            .map(|m| {
                let json = serde_json::to_string(&model_ddl(&ir, &m.name, dialect)).unwrap();
                (m.name.clone(), serde_json::from_str(&json).unwrap())
            })
            .collect();
        assert_eq!(assemble(&ir, dialect, fragments), generate(&ir, dialect));
        // A missing fragment is computed from the IR.
        assert_eq!(
            assemble(&ir, dialect, BTreeMap::new()),
            generate(&ir, dialect)
        );
    }
}

/// A model's fragment reads only the model and its enums: the same from the model's slice (other
/// models as stubs), which is what the engine passes.
#[test]
fn a_fragment_needs_only_its_slice() {
    let ir = blog();
    for m in &ir.models {
        let slice = ir.slice(&m.name).unwrap();
        for dialect in Dialect::ALL {
            assert_eq!(
                model_ddl(&slice, &m.name, dialect),
                model_ddl(&ir, &m.name, dialect),
                "{} in {dialect}",
                m.name
            );
        }
    }
}

#[test]
fn tables_are_created_in_dependency_order() {
    let sql = generate(&blog(), Dialect::Postgres).content;
    let tables: Vec<&str> = sql
        .lines()
        .filter_map(|l| l.strip_prefix("CREATE TABLE \"")?.split('"').next())
        .collect();
    // tenant, tag and café need nothing; group and user close a cycle through optional keys, so
    // group (first by name) goes first and its key to user is added at the end.
    assert_eq!(
        tables,
        [
            "café",
            "tag",
            "tenant",
            "group",
            "user",
            "order",
            "post",
            "comment",
            "post_tags"
        ]
    );
    assert!(sql.contains("ALTER TABLE \"group\" ADD CONSTRAINT \"group_tenant_id_lead_id_fkey\""));
}
