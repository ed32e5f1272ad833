//! `Ir::slice_digest` changes exactly when `Ir::slice` does: after each edit of an example's IR,
//! every model's slice digest is unchanged if and only if its slice is.

use std::collections::HashMap;

use forge_schemas::{FieldType, Ir, SliceDigests, digest_json};
use forge_testkit::example_ir;

fn digests(ir: &Ir) -> HashMap<String, String> {
    let full = ir
        .models
        .iter()
        .map(|m| (m.name.clone(), digest_json(m)))
        .collect();
    let shared = SliceDigests::new(ir, full);
    ir.models
        .iter()
        .map(|m| (m.name.clone(), ir.slice_digest(&m.name, &shared).unwrap()))
        .collect()
}

/// Edits of the IR, each named, each touching one thing.
fn edits(ir: &Ir) -> Vec<(String, Ir)> {
    let mut out = Vec::new();
    for (i, model) in ir.models.iter().enumerate() {
        let mut edited = ir.clone();
        edited.models[i].fields[0].optional = !model.fields[0].optional;
        out.push((format!("{}: first field's optional", model.name), edited));
        if let Some(last) = model.fields.len().checked_sub(1) {
            let mut edited = ir.clone();
            edited.models[i].fields[last].name.push('x');
            out.push((format!("{}: last field renamed", model.name), edited));
        }
        if !model.policies.is_empty() {
            let mut edited = ir.clone();
            edited.models[i].policies.pop();
            out.push((format!("{}: a policy dropped", model.name), edited));
        }
        let mut edited = ir.clone();
        edited.models[i].table.push('x');
        out.push((format!("{}: table renamed", model.name), edited));
    }
    for (i, e) in ir.enums.iter().enumerate() {
        let mut edited = ir.clone();
        edited.enums[i].values.push(format!("{}_more", e.name));
        out.push((format!("enum {}: a value added", e.name), edited));
    }
    if !ir.roles.is_empty() {
        let mut edited = ir.clone();
        edited.roles.pop();
        out.push(("a role dropped".into(), edited));
    }
    if !ir.join_tables.is_empty() {
        let mut edited = ir.clone();
        edited.join_tables[0].name.push('x');
        out.push(("a join table renamed".into(), edited));
    }
    out
}

fn check(name: &str) {
    let ir = example_ir(name);
    assert!(
        ir.models
            .iter()
            .flat_map(|m| &m.fields)
            .any(|f| matches!(f.ty, FieldType::Enum { .. })),
        "examples/{name} uses an enum"
    );
    let before = digests(&ir);
    let mut changed_somewhere = 0;
    for (edit, edited) in edits(&ir) {
        let after = digests(&edited);
        for model in &ir.models {
            let same_slice = ir.slice(&model.name) == edited.slice(&model.name);
            let same_digest = before[&model.name] == after[&model.name];
            assert_eq!(
                same_slice,
                same_digest,
                "examples/{name}, {edit}: slice of {} {} but its digest {}",
                model.name,
                if same_slice {
                    "is unchanged"
                } else {
                    "changed"
                },
                if same_digest { "did not" } else { "did" },
            );
            changed_somewhere += usize::from(!same_slice);
        }
    }
    // Edits of one model reach the slices of others, so the comparison above is not vacuous.
    assert!(changed_somewhere > ir.models.len() * 2);
}

#[test]
fn slice_digests_follow_slices_in_the_blog() {
    check("blog");
}

#[test]
fn slice_digests_follow_slices_in_the_clinic() {
    check("clinic");
}
