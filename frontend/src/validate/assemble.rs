//! IR assembly: runs the families in order and puts their results together. Models sorted by
//! name; fields and relations in declaration order (a belongs-to's key column at its place);
//! then keys, foreign keys, checks, join tables, and finally the rules, whose expressions are
//! type-checked against the IR built so far. The warnings about what the rules mean come last.

use forge_schemas::{IR_VERSION, Ir, Key, Model, constraint_name};
use rayon::prelude::*;

use crate::validate::decls::{ColumnDecl, Decls, ExprSource, RelationDecl, RelationDeclKind, Spot};
use crate::validate::draft::Drafts;
use crate::validate::names::TableOwner;
use crate::validate::relations::{JoinNames, TenantKey};
use crate::validate::report::Cx;
use crate::validate::vocabulary::vocabulary;
use crate::validate::{
    access, checks, cycles, db_names, hooks, impossible, join_tables, keys, names, permissions,
    policies, policy_indexes, relations, rules, unindexed,
};

pub fn assemble(cx: &mut Cx, decls: &Decls) -> Ir {
    let vocabulary = vocabulary(cx, decls);
    names::enums(cx, decls);
    let models = names::models(cx, decls);
    let drafts = Drafts::build(cx, &models, &vocabulary);
    let joins = join_tables::join_tables(cx, &drafts, &vocabulary.identity.tenant_id);

    // Each model is resolved on its own (in parallel, like the rules below), its diagnostics and
    // provenance merged back in model order, so the result is the one a sequential pass gives.
    let (files, recording) = (cx.files, cx.recording());
    let resolved: Vec<_> = (0..drafts.list.len())
        .into_par_iter()
        .map(|i| {
            let mut own = Cx::new(files, recording);
            let (model, wheres, tenant_keys) = model_of(&mut own, &drafts, i, &joins.names);
            (own, model, wheres, tenant_keys)
        })
        .collect();
    let mut ir_models = Vec::with_capacity(drafts.list.len());
    let mut tenant_keys: Vec<TenantKey> = Vec::new();
    let mut wheres = Vec::with_capacity(drafts.list.len());
    for (own, model, model_wheres, model_tenant_keys) in resolved {
        cx.merge(own);
        ir_models.push(model);
        wheres.push(model_wheres);
        tenant_keys.extend(model_tenant_keys);
    }
    tenant_keys.extend(joins.tenant_keys);
    for key in tenant_keys {
        add_tenant_key(cx, &mut ir_models[key.model], key);
    }
    cycles::required_cycles(cx, &drafts);
    let mut tables: Vec<_> = drafts
        .list
        .iter()
        .map(|d| {
            (
                d.table.clone(),
                TableOwner::Model(d.name.clone()),
                d.decl.table.as_ref().map_or(d.decl.name.at, |t| t.at),
            )
        })
        .collect();
    tables.extend(
        joins
            .origins
            .iter()
            .map(|(name, at)| (name.clone(), TableOwner::JoinTable, *at)),
    );
    // An enum named like a model is already `forge::duplicate-model`.
    tables.extend(vocabulary.enums.iter().filter_map(|e| {
        let decl = decls.enums.iter().find(|d| d.name.value == e.name)?;
        if drafts.find(&e.name).is_some() {
            return None;
        }
        Some((
            e.sql_name.clone(),
            TableOwner::Enum(e.name.clone()),
            decl.name.at,
        ))
    }));
    names::tables(cx, &tables);

    let mut ir = Ir {
        ir_version: IR_VERSION,
        roles: vocabulary.roles,
        claims: vocabulary.claims,
        identity: vocabulary.identity,
        enums: vocabulary.enums,
        models: ir_models,
        join_tables: joins.tables,
    };
    // Each model's expressions are checked on their own (in parallel: this is most of the work
    // on a large domain); diagnostics and provenance are merged back in model order.
    let typed: Vec<_> = drafts
        .list
        .par_iter()
        .zip(&wheres)
        .map(|(draft, wheres)| {
            let mut own = Cx::new(files, recording);
            let checks = checks::typed(&mut own, &ir, draft, wheres);
            let policies = policies::policies(&mut own, &ir, draft);
            (own, checks, policies)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|(own, checks, policies)| {
            cx.merge(own);
            (checks, policies)
        })
        .collect();
    let permissions = permissions::permissions(cx, &ir, decls);
    // Where each model's policies and permission lines were written, in the model's order.
    let mut spots: Vec<(Vec<Spot>, Vec<Spot>)> = vec![Default::default(); ir.models.len()];
    for ((model, (checks, policies)), spots) in ir.models.iter_mut().zip(typed).zip(&mut spots) {
        checks::attach(cx, model, checks);
        for (policy, at) in policies {
            access::anonymous(
                cx,
                &model.name,
                model.tenant.is_some(),
                &policy.condition.expr,
                policy.action,
                at,
            );
            model.policies.push(policy);
            spots.0.push(at);
        }
    }
    for (name, permission, at) in permissions {
        if let Some(i) = ir.model_position(&name) {
            let model = &mut ir.models[i];
            cx.provenance(
                || {
                    format!(
                        "{name}#permission:{}:{}",
                        permission.action.as_str(),
                        model.permissions.len()
                    )
                },
                at,
            );
            model.permissions.push(permission);
            spots[i].1.push(at);
        }
    }
    access::denied(cx, &drafts, decls);
    let rule_spots: Vec<Vec<_>> = spots
        .iter()
        .map(|(policies, permissions)| policies.iter().chain(permissions).copied().collect())
        .collect();
    let model_spots: Vec<_> = drafts.list.iter().map(|d| d.decl.name.at).collect();
    policy_indexes::add(cx, &mut ir, &rule_spots, &model_spots);
    db_names::make_unique(cx, &mut ir);
    // The warnings that judge what the rules mean need every rule, so they wait for a schema
    // without errors.
    if !cx.has_errors() {
        let judged: Vec<Cx> = ir
            .models
            .par_iter()
            .zip(&spots)
            .map(|(model, (policy_spots, permission_spots))| {
                let mut own = Cx::new(files, recording);
                let rules = rules::rules(model, policy_spots, permission_spots);
                impossible::impossible(&mut own, model, &rules);
                unindexed::unindexed(&mut own, model, &rules);
                own
            })
            .collect();
        judged.into_iter().for_each(|own| cx.merge(own));
        access::tenantless(cx, &ir, &drafts);
    }
    ir
}

/// Model `i` of the IR as far as its own declaration goes: fields, relations, keys, foreign
/// keys, bounds and hooks; with the `where=` conditions of its indexes still to check and the
/// tenant keys it needs in other models.
fn model_of<'a>(
    cx: &mut Cx,
    drafts: &Drafts<'_, 'a>,
    i: usize,
    joins: &JoinNames,
) -> (Model, Vec<(usize, ExprSource<'a>)>, Vec<TenantKey>) {
    let draft = &drafts.list[i];
    let resolved = relations::resolve(cx, drafts, i, joins);
    for (_, column) in draft.columns() {
        cx.provenance(
            || format!("{}.{}", draft.name, column.name().value),
            column.node(),
        );
        if let ColumnDecl::Relation(
            r @ RelationDecl {
                kind: RelationDeclKind::BelongsTo { .. },
                ..
            },
        ) = column
        {
            cx.provenance(|| format!("{}.{}_id", draft.name, r.name.value), r.node);
        }
    }
    let mut model = Model {
        name: draft.name.clone(),
        table: draft.table.clone(),
        renamed_from: draft.decl.renamed_from.as_ref().map(|r| r.value.clone()),
        stub: false,
        fields: resolved.fields,
        relations: resolved.relations,
        primary_key: Key {
            name: constraint_name(&draft.table, &[], "pkey"),
            columns: Vec::new(),
        },
        tenant: draft.tenant.clone(),
        uniques: Vec::new(),
        foreign_keys: resolved.foreign_keys,
        indexes: Vec::new(),
        checks: Vec::new(),
        policies: Vec::new(),
        permissions: Vec::new(),
        hooks: hooks::hooks(cx, draft),
    };
    let wheres = keys::keys(cx, draft, &mut model);
    checks::bounds(cx, draft, &mut model);
    (model, wheres, resolved.tenant_keys)
}

/// The unique key on (tenant, key) that a tenant-scoped foreign key into `model` needs, once.
fn add_tenant_key(cx: &mut Cx, model: &mut Model, key: TenantKey) {
    let columns = vec![key.tenant, key.key];
    if model.uniques.iter().any(|k| k.columns == columns) {
        return;
    }
    let name = constraint_name(&model.table, &[&columns[0], &columns[1]], "key");
    cx.provenance(|| format!("{}#unique:{name}", model.name), key.origin);
    model.uniques.push(Key { name, columns });
}
