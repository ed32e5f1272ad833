//! `splice` writes the same file and layout as assembling from scratch, for edits it accepts, and
//! declines the edits that move tables; the layout's origins are the ones `assemble` gives.

use std::collections::BTreeMap;

use forge_gen_sql::{
    Dialect, Fragment, ModelDdl, assemble, assemble_with_layout, model_ddl, splice,
};
use forge_schemas::{FieldType, Ir, digest_json};

use crate::blog::blog;
use crate::ir_build::{field, optional, string};

fn fragments(ir: &Ir, dialect: Dialect) -> BTreeMap<String, ModelDdl> {
    ir.models
        .iter()
        .map(|m| (m.name.clone(), model_ddl(ir, &m.name, dialect)))
        .collect()
}

fn with_digests(fragments: BTreeMap<String, ModelDdl>) -> BTreeMap<String, Fragment> {
    fragments
        .into_iter()
        .map(|(model, ddl)| {
            let digest = digest_json(&ddl);
            (model, Fragment { ddl, digest })
        })
        .collect()
}

/// Splices `edited` onto the file of `ir`; when it splices, checks it against a full assembly.
/// Returns whether it spliced.
fn spliced(ir: &Ir, edited: &Ir, dialect: Dialect) -> bool {
    let (before, layout) = assemble_with_layout(ir, dialect, with_digests(fragments(ir, dialect)));
    let now = fragments(edited, dialect);
    let digests: BTreeMap<String, String> = now
        .iter()
        .map(|(m, d)| (m.clone(), digest_json(d)))
        .collect();
    let changed: BTreeMap<String, ModelDdl> = now
        .iter()
        .filter(|(m, _)| {
            layout
                .tables
                .iter()
                .find(|t| &t.model == *m && !t.fragment.is_empty())
                .is_none_or(|t| t.fragment != digests[*m])
        })
        .map(|(m, d)| (m.clone(), d.clone()))
        .collect();
    let Some((file, new_layout)) = splice(
        &layout,
        &before.content,
        edited,
        dialect,
        &digests,
        &changed,
    ) else {
        return false;
    };
    let (whole, whole_layout) = assemble_with_layout(edited, dialect, with_digests(now.clone()));
    assert_eq!(file.content, whole.content, "{dialect}");
    assert_eq!(new_layout, whole_layout, "{dialect}");
    assert_eq!(
        new_layout.origins(),
        assemble(edited, dialect, now).origins,
        "{dialect}"
    );
    true
}

fn edit(ir: &Ir, change: impl FnOnce(&mut Ir)) -> Ir {
    let mut edited = ir.clone();
    change(&mut edited);
    edited
}

fn model<'a>(ir: &'a mut Ir, name: &str) -> &'a mut forge_schemas::Model {
    ir.models.iter_mut().find(|m| m.name == name).unwrap()
}

#[test]
fn a_changed_table_is_spliced_in_and_matches_a_full_assembly() {
    let ir = blog();
    for dialect in Dialect::ALL {
        // A column added to a table in the middle, and one to the first table.
        for name in ["Post", "Tenant", "Comment"] {
            let edited = edit(&ir, |ir| {
                model(ir, name)
                    .fields
                    .push(optional(field("extra", string(20))));
            });
            assert!(spliced(&ir, &edited, dialect), "{dialect}: {name}");
        }
        // Two tables at once, one of them losing a column.
        let edited = edit(&ir, |ir| {
            model(ir, "Post").fields.retain(|f| f.name != "subtitle");
            model(ir, "Comment")
                .fields
                .push(field("score", FieldType::Integer));
        });
        assert!(spliced(&ir, &edited, dialect), "{dialect}");
        // Nothing changed: the same file.
        assert!(spliced(&ir, &ir.clone(), dialect), "{dialect}");
    }
}

#[test]
fn edits_that_move_tables_are_declined() {
    let ir = blog();
    for dialect in Dialect::ALL {
        // A renamed table sorts elsewhere.
        let edited = edit(&ir, |ir| model(ir, "Tag").table = "aaa_tag".into());
        assert!(!spliced(&ir, &edited, dialect), "{dialect}");
        // A model fewer.
        let edited = edit(&ir, |ir| ir.models.retain(|m| m.name != "Café"));
        assert!(!spliced(&ir, &edited, dialect), "{dialect}");
        // An enum changed: the head and the join tables may change.
        let edited = edit(&ir, |ir| ir.enums[0].values.push("more".into()));
        assert!(!spliced(&ir, &edited, dialect), "{dialect}");
    }
    // A table on the cycle (User -> Group, optional) whose key is added at the end.
    let cyclic = edit(&ir, |ir| {
        model(ir, "Group")
            .fields
            .push(optional(field("motto", string(80))));
    });
    assert!(!spliced(&ir, &cyclic, Dialect::Postgres));
}
