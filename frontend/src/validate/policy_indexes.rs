//! The indexes the policies need, added to the IR: the tenant column of every tenant-scoped model,
//! `(tenant, column)` for a column a rule compares with `user.*`, and the key a has-many lookup
//! follows (`forge_schemas::wanted_indexes` says which; an index, unique key or primary key that
//! already serves a lookup is enough). Being in the IR, they are part of every dialect's
//! `schema.sql` (and of its migrations), so the application's SQL filters use them as much as
//! PostgreSQL's row-level security does. They are named like any index (`<table>_<cols>_idx`),
//! made unique in the database with the others, and their provenance is the model's first rule
//! (or the model, for the key of a lookup from another model).

use forge_schemas::{Index, IndexMethod, Ir, constraint_name, wanted_indexes};

use crate::validate::decls::Spot;
use crate::validate::report::Cx;

/// Adds the wanted indexes to their models. `spots[i]` is where model `i`'s rules are (policies
/// first), `models[i]` where it is declared.
pub fn add(cx: &mut Cx, ir: &mut Ir, rule_spots: &[Vec<Spot>], model_spots: &[Spot]) {
    for wanted in wanted_indexes(ir) {
        let Some(i) = ir.model_position(&wanted.model) else {
            continue;
        };
        let parts: Vec<&str> = wanted.columns.iter().map(String::as_str).collect();
        let name = constraint_name(&wanted.table, &parts, "idx");
        let spot = rule_spots[i].first().copied().unwrap_or(model_spots[i]);
        cx.provenance(|| format!("{}#index:{name}", wanted.model), spot);
        ir.models[i].indexes.push(Index {
            name,
            columns: wanted.columns,
            using: IndexMethod::Btree,
            r#where: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::parse_file;

    fn ir(text: &str) -> (forge_schemas::Ir, crate::Provenance) {
        let (parsed, diags) = parse_file("schema.kdl", text);
        assert!(diags.is_empty(), "{diags:?}");
        let validated = crate::validate(&[&parsed]);
        (validated.ir.expect("valid"), validated.provenance)
    }

    fn indexes(ir: &forge_schemas::Ir, model: &str) -> Vec<(String, Vec<String>)> {
        ir.model(model)
            .unwrap()
            .indexes
            .iter()
            .map(|i| (i.name.clone(), i.columns.clone()))
            .collect()
    }

    #[test]
    fn the_indexes_policies_filter_on_are_in_the_ir() {
        let (ir, provenance) = ir(r#"
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
  policy read "record.account.owner_id == user.id"
}
"#);
        // Account: the owner rule, with the tenant first (which also serves the tenant guard).
        // Entry: the has-many lookup from Account, which serves its tenant guard too.
        let cols = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            indexes(&ir, "Account"),
            [(
                "account_tenant_id_owner_id_idx".to_string(),
                cols(&["tenant_id", "owner_id"])
            )]
        );
        assert_eq!(
            indexes(&ir, "Entry"),
            [(
                "entry_tenant_id_account_id_idx".to_string(),
                cols(&["tenant_id", "account_id"])
            )]
        );
        // `forge explain` finds where each comes from: the model's first rule.
        let at = &provenance.entries["Account#index:account_tenant_id_owner_id_idx"];
        assert_eq!(at.file, "schema.kdl");
    }

    #[test]
    fn a_wanted_index_an_existing_key_serves_is_not_added() {
        let (ir, _) = ir(r#"
model Doc {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  owner_id uuid
  index tenant_id owner_id
  policy read "record.owner_id == user.id"
}
"#);
        assert_eq!(indexes(&ir, "Doc").len(), 1);
    }

    #[test]
    fn an_index_name_taken_in_the_database_gets_a_hash() {
        // The table `a_tenant_id_idx`... and model A's tenant index would be `a_tenant_id_idx`.
        let (ir, _) = ir(r#"
model A {
  id uuid pk=#true
  tenant_id uuid tenant=#true
  policy read "true"
}
model B table="a_tenant_id_idx" {
  id uuid pk=#true
  policy read "user.id != null"
}
"#);
        let a = indexes(&ir, "A");
        assert_eq!(a.len(), 1);
        assert_ne!(a[0].0, "a_tenant_id_idx");
        assert!(a[0].0.starts_with("a_tenant_id_"), "{}", a[0].0);
        assert!(a[0].0.ends_with("_idx"));
    }
}
