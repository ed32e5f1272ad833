//! The slice of the IR that one model's nodes see: the model in full, the enums it uses, roles,
//! claims and the identity, its join tables, and a stub of each model it refers to (name, table,
//! primary key, tenant column, and only the fields and relations its relations and rules reach).
//! Editing a part of another model that this one cannot see leaves the slice, and so its digest,
//! unchanged.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::canonical::{Digest, digest_json};

use crate::expr::{Expr, RelationPath};
use crate::ir::{Condition, Enum, FieldType, Ir, JoinTable, Model, RelationKind};

impl Ir {
    /// The slice for `model`, or `None` when there is no such model.
    pub fn slice(&self, model: &str) -> Option<Ir> {
        let parts = self.slice_parts(model)?;
        let mut models = parts.stubs;
        models.push(parts.full.clone());
        models.sort_by(|a, b| a.name.cmp(&b.name));
        Some(Ir {
            ir_version: self.ir_version,
            roles: self.roles.clone(),
            claims: self.claims.clone(),
            identity: self.identity.clone(),
            enums: parts.enums.into_iter().cloned().collect(),
            models,
            join_tables: parts.join_tables.into_iter().cloned().collect(),
        })
    }

    /// A digest that changes exactly when [`Ir::slice`] of `model` does, without building the
    /// slice: what every model shares is hashed once ([`SliceDigests::new`]) and each model in full
    /// once, so digesting every model's slice costs about as much as hashing the IR once.
    pub fn slice_digest(&self, model: &str, shared: &SliceDigests) -> Option<Digest> {
        let parts = self.slice_parts(model)?;
        let full = shared.models.get(model)?;
        let mut models: Vec<(&str, Digest)> = parts
            .stubs
            .iter()
            .map(|stub| (stub.name.as_str(), digest_json(stub)))
            .collect();
        models.push((model, full.clone()));
        models.sort();
        Some(digest_json(&SliceKey {
            shared: &shared.vocabulary,
            enums: parts.enums,
            models,
            join_tables: parts.join_tables,
        }))
    }

    /// The model in full, the stubs of the models it reaches, and the enums and join tables the
    /// slice holds.
    fn slice_parts(&self, model: &str) -> Option<SliceParts<'_>> {
        let full = self.model(model)?;
        // What each other model must show: field names and relation names.
        let mut reached: BTreeMap<&str, (BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
        for relation in &full.relations {
            let entry = reached.entry(relation.target.as_str()).or_default();
            if let RelationKind::HasMany { via } = &relation.kind {
                entry.1.insert(via.as_str());
                let back = self.model(&relation.target).and_then(|t| t.relation(via));
                if let Some(RelationKind::BelongsTo { column, .. }) = back.map(|r| &r.kind) {
                    entry.0.insert(column.as_str());
                }
            }
        }
        for condition in conditions(full) {
            collect_refs(self, &condition.expr, &mut reached);
        }
        reached.remove(model);

        let stubs: Vec<Model> = reached
            .iter()
            .filter_map(|(name, (fields, relations))| {
                self.model(name).map(|other| stub(other, fields, relations))
            })
            .collect();
        let mut enum_names = BTreeSet::new();
        for m in stubs.iter().chain([full]) {
            for f in &m.fields {
                if let FieldType::Enum { name } = &f.ty {
                    enum_names.insert(name.as_str());
                }
            }
        }
        Some(SliceParts {
            full,
            enums: self
                .enums
                .iter()
                .filter(|e| enum_names.contains(e.name.as_str()))
                .collect(),
            join_tables: self
                .join_tables
                .iter()
                .filter(|j| j.left.model == model || j.right.model == model)
                .collect(),
            stubs,
        })
    }
}

/// What [`Ir::slice_digest`] needs hashed once per IR: the parts every slice shares, and each
/// model in full.
pub struct SliceDigests {
    vocabulary: Digest,
    models: HashMap<String, Digest>,
}

impl SliceDigests {
    /// From the IR and the digest of each model ([`digest_json`] of the model, computed by the
    /// caller, which may spread the work over threads).
    pub fn new(ir: &Ir, models: HashMap<String, Digest>) -> SliceDigests {
        SliceDigests {
            vocabulary: digest_json(&(ir.ir_version, &ir.roles, &ir.claims, &ir.identity)),
            models,
        }
    }
}

/// What a slice's digest is the digest of.
#[derive(Serialize)]
struct SliceKey<'a> {
    shared: &'a Digest,
    enums: Vec<&'a Enum>,
    models: Vec<(&'a str, Digest)>,
    join_tables: Vec<&'a JoinTable>,
}

struct SliceParts<'a> {
    full: &'a Model,
    stubs: Vec<Model>,
    enums: Vec<&'a Enum>,
    join_tables: Vec<&'a JoinTable>,
}

fn conditions(model: &Model) -> impl Iterator<Item = &Condition> {
    let policies = model.policies.iter().map(|p| &p.condition);
    let permissions = model
        .permissions
        .iter()
        .filter_map(|p| p.condition.as_ref());
    policies.chain(permissions)
}

fn stub(model: &Model, fields: &BTreeSet<&str>, relations: &BTreeSet<&str>) -> Model {
    let keep_field = |name: &str| {
        model.primary_key.columns.iter().any(|c| c == name)
            || model.tenant.as_deref() == Some(name)
            || fields.contains(name)
    };
    let mut relations_kept: Vec<_> = model
        .relations
        .iter()
        .filter(|r| relations.contains(r.name.as_str()))
        .cloned()
        .collect();
    relations_kept.sort_by(|a, b| a.name.cmp(&b.name));
    let relation_columns: BTreeSet<String> = relations_kept
        .iter()
        .filter_map(|r| match &r.kind {
            RelationKind::BelongsTo { column, .. } => Some(column.clone()),
            _ => None,
        })
        .collect();
    Model {
        name: model.name.clone(),
        table: model.table.clone(),
        renamed_from: None,
        stub: true,
        fields: model
            .fields
            .iter()
            .filter(|f| keep_field(&f.name) || relation_columns.contains(&f.name))
            .cloned()
            .collect(),
        relations: relations_kept,
        primary_key: model.primary_key.clone(),
        tenant: model.tenant.clone(),
        uniques: Vec::new(),
        foreign_keys: Vec::new(),
        indexes: Vec::new(),
        checks: Vec::new(),
        policies: Vec::new(),
        permissions: Vec::new(),
        hooks: Vec::new(),
    }
}

type Reached<'a> = BTreeMap<&'a str, (BTreeSet<&'a str>, BTreeSet<&'a str>)>;

/// Records, for every model an expression reaches, the fields and relations it reads.
fn collect_refs<'a>(ir: &'a Ir, expr: &'a Expr, reached: &mut Reached<'a>) {
    match expr {
        Expr::Literal { .. } | Expr::User { .. } => {}
        Expr::Field { field } => {
            note_hops(ir, &field.base_model, &field.hops, reached);
            reached
                .entry(field.model.as_str())
                .or_default()
                .0
                .insert(field.field.as_str());
        }
        Expr::Not { expr } => collect_refs(ir, expr, reached),
        Expr::And { exprs } | Expr::Or { exprs } => {
            exprs.iter().for_each(|e| collect_refs(ir, e, reached))
        }
        Expr::Compare { left, right, .. } => {
            collect_refs(ir, left, reached);
            collect_refs(ir, right, reached);
        }
        Expr::In { value, list } => {
            collect_refs(ir, value, reached);
            list.iter().for_each(|e| collect_refs(ir, e, reached));
        }
        Expr::ListIncludes { list, value } => {
            collect_refs(ir, list, reached);
            collect_refs(ir, value, reached);
        }
        Expr::RelationIncludes { relation, value } => {
            note_relation_path(ir, relation, reached);
            collect_refs(ir, value, reached);
        }
        Expr::Quantified { relation, body, .. } => {
            note_relation_path(ir, relation, reached);
            collect_refs(ir, body, reached);
        }
    }
}

fn note_relation_path<'a>(ir: &'a Ir, path: &'a RelationPath, reached: &mut Reached<'a>) {
    note_hops(ir, &path.base_model, &path.hops, reached);
    reached
        .entry(path.model.as_str())
        .or_default()
        .1
        .insert(path.relation.as_str());
    let target = reached.entry(path.target.as_str()).or_default();
    // The rows on the far side are found through the relation's key column.
    let relation = ir
        .model(&path.model)
        .and_then(|m| m.relation(&path.relation));
    if let Some(RelationKind::HasMany { via }) = relation.map(|r| &r.kind) {
        target.1.insert(via.as_str());
    }
}

/// Follows `hops` (belongs-to relation names) from `base_model`, recording each relation on the
/// model that declares it.
fn note_hops<'a>(ir: &'a Ir, base_model: &'a str, hops: &'a [String], reached: &mut Reached<'a>) {
    let mut current = base_model;
    for hop in hops {
        reached.entry(current).or_default().1.insert(hop.as_str());
        let Some(next) = ir.model(current).and_then(|m| m.relation(hop)) else {
            return;
        };
        current = next.target.as_str();
    }
}
