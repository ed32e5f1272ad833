//! Join tables of many-to-many relations. A relation declared on both sides (`tags
//! many-to-many=Tag` on Post, `posts many-to-many=Post` on Tag) is one relation and one table,
//! named from the model that sorts first; a self relation's second column is `<relation>_id`.
//! Between two tenant-scoped models the table gets a tenant column and tenant-scoped foreign keys.
//! Diagnostics: two different `table=` for one relation (`forge::join-table-conflict`), the two
//! columns of a join table clashing, and targets with a composite key.

use forge_schemas::{
    FieldType, ForeignKey, Index, IndexMethod, JoinSide, JoinTable, JoinTenant, Key,
    MAX_IDENT_BYTES, OnDelete, constraint_name,
};

use crate::validate::decls::{RelationDecl, RelationDeclKind, Spot};
use crate::validate::draft::{Drafts, KeyInfo};
use crate::validate::names::NAME_TOO_LONG;
use crate::validate::relations::{COLUMN_CLASH, COMPOSITE_KEY_REFERENCE, JoinNames, TenantKey};
use crate::validate::report::{Cx, Report};

pub const JOIN_TABLE_CONFLICT: &str = "forge::join-table-conflict";

/// The join tables, the name each many-to-many relation uses, the tenant keys their foreign keys
/// need, and (table, owner, where) for the duplicate-table check.
#[derive(Default)]
pub struct Joins {
    pub tables: Vec<JoinTable>,
    pub names: JoinNames,
    pub tenant_keys: Vec<TenantKey>,
    pub origins: Vec<(String, Spot)>,
}

/// A side before resolution: the model and, when it declares the relation, the declaration.
struct Side<'d> {
    model: usize,
    relation: Option<&'d RelationDecl>,
}

pub fn join_tables(cx: &mut Cx, drafts: &Drafts, tenant_type: &FieldType) -> Joins {
    let mut joins = Joins::default();
    let mut consumed: Vec<(usize, String)> = Vec::new();
    for (a, draft) in drafts.list.iter().enumerate() {
        for relation in draft.relations() {
            let RelationDeclKind::ManyToMany { table } = &relation.kind else {
                continue;
            };
            if consumed.contains(&(a, relation.name.value.clone())) {
                continue;
            }
            let Some(b) = drafts.find(&relation.target.value) else {
                continue;
            };
            let partner = if a == b { None } else { partner(drafts, a, b) };
            let mut name = table.as_ref().map(|t| t.value.clone());
            // Where the name comes from: a `table=`, or the relation's name.
            let mut origin = table.as_ref().map_or(relation.name.at, |t| t.at);
            if let Some(back) = partner {
                consumed.push((b, back.name.value.clone()));
                if let RelationDeclKind::ManyToMany {
                    table: Some(theirs),
                } = &back.kind
                {
                    match &table {
                        Some(ours) if ours.value != theirs.value => cx.emit(
                            Report::error(JOIN_TABLE_CONFLICT, format!("the two sides of one many-to-many relation name different tables (`{}` and `{}`)", ours.value, theirs.value))
                                .at(theirs.at, "this side")
                                .related(ours.at, "the other side")
                                .help("both declarations are one relation with one join table: give table= on one side only, or the same on both"),
                        ),
                        Some(_) => {}
                        None => {
                            name = Some(theirs.value.clone());
                            origin = theirs.at;
                        }
                    }
                }
            }
            let name = name.unwrap_or_else(|| format!("{}_{}", draft.table, relation.name.value));
            let left = Side {
                model: a,
                relation: Some(relation),
            };
            let right = Side {
                model: b,
                relation: partner,
            };
            if let Some(table) = build(
                cx,
                drafts,
                &name,
                left,
                right,
                tenant_type,
                &mut joins.tenant_keys,
            ) {
                cx.provenance(|| format!("join:{name}"), relation.node);
                joins.names.insert(
                    (draft.name.clone(), relation.name.value.clone()),
                    name.clone(),
                );
                if let Some(back) = partner {
                    joins.names.insert(
                        (drafts.list[b].name.clone(), back.name.value.clone()),
                        name.clone(),
                    );
                }
                joins.origins.push((name, origin));
                joins.tables.push(table);
            }
        }
    }
    joins.tables.sort_by(|x, y| x.name.cmp(&y.name));
    joins
}

/// The relation of model `b` that declares the same many-to-many back to `a`: only when each side
/// has exactly one many-to-many to the other.
fn partner<'d>(drafts: &Drafts<'d, '_>, a: usize, b: usize) -> Option<&'d RelationDecl> {
    let to = |from: usize, to: usize| -> Vec<&'d RelationDecl> {
        drafts.list[from]
            .relations()
            .filter(|r| {
                matches!(r.kind, RelationDeclKind::ManyToMany { .. })
                    && r.target.value == drafts.list[to].name
            })
            .collect()
    };
    match (to(a, b).as_slice(), to(b, a).as_slice()) {
        ([_], [back]) => Some(*back),
        _ => None,
    }
}

fn build(
    cx: &mut Cx,
    drafts: &Drafts,
    name: &str,
    left: Side,
    right: Side,
    tenant_type: &FieldType,
    tenant_keys: &mut Vec<TenantKey>,
) -> Option<JoinTable> {
    let declared = left.relation.expect("the left side declares the relation");
    let key = |cx: &mut Cx, side: usize| match drafts.key(side) {
        KeyInfo::Single { column, ty } => Some((column, ty)),
        KeyInfo::Composite => {
            cx.emit(
                Report::error(COMPOSITE_KEY_REFERENCE, format!("many-to-many `{}` reaches `{}`, whose primary key is composite: this is not supported yet", declared.name.value, drafts.list[side].name))
                    .at(declared.node, "composite primary key on one side")
                    .help("give both models single-column primary keys"),
            );
            None
        }
        KeyInfo::Unknown => None,
    };
    let (left_key, right_key) = (key(cx, left.model)?, key(cx, right.model)?);
    let (l, r) = (&drafts.list[left.model], &drafts.list[right.model]);
    let left_column = format!("{}_id", l.table);
    let right_column = if left.model == right.model {
        format!("{}_id", declared.name.value)
    } else {
        format!("{}_id", r.table)
    };
    for (column, from_table) in [
        (&left_column, Some(l)),
        (&right_column, (left.model != right.model).then_some(r)),
    ] {
        // A table name that is itself too long is reported as such.
        if column.len() <= MAX_IDENT_BYTES
            || from_table.is_some_and(|t| t.table.len() > MAX_IDENT_BYTES)
        {
            continue;
        }
        let help = match from_table {
            Some(t) => format!(
                "the column is `<table>_id`: give model `{}` a shorter table name with table=\"...\"",
                t.name
            ),
            None => "a self relation's second column is `<relation>_id`: give the relation a shorter name".to_string(),
        };
        cx.emit(
            Report::error(
                NAME_TOO_LONG,
                format!(
                    "join table `{name}` needs the column `{column}`, {} bytes long, more than {MAX_IDENT_BYTES}",
                    column.len()
                ),
            )
            .at(declared.name.at, "column name too long")
            .help(format!(
                "{help}; PostgreSQL keeps at most {MAX_IDENT_BYTES} bytes of a name"
            )),
        );
    }
    if left_column == right_column {
        cx.emit(
            Report::error(
                COLUMN_CLASH,
                format!("both columns of join table `{name}` would be `{left_column}`"),
            )
            .at(declared.name.at, "clashing column names")
            .help("rename the relation: a self relation's second column is `<relation>_id`"),
        );
        return None;
    }
    let tenant = match (&l.tenant, &r.tenant) {
        (Some(lt), Some(rt)) => Some((lt.clone(), lt.clone(), rt.clone())),
        _ => None,
    };
    let fkey = |side: &Side, column: &str, references: &str, side_tenant: Option<&String>| {
        let d = &drafts.list[side.model];
        let (columns, target_columns) = match (&tenant, side_tenant) {
            (Some((own, _, _)), Some(theirs)) => (
                vec![own.clone(), column.to_string()],
                vec![theirs.clone(), references.to_string()],
            ),
            _ => (vec![column.to_string()], vec![references.to_string()]),
        };
        let parts: Vec<&str> = columns.iter().map(String::as_str).collect();
        ForeignKey {
            name: constraint_name(name, &parts, "fkey"),
            relation: side.relation.unwrap_or(declared).name.value.clone(),
            columns,
            target: d.name.clone(),
            target_table: d.table.clone(),
            target_columns,
            on_delete: OnDelete::Cascade,
            set_null_columns: Vec::new(),
        }
    };
    let foreign_keys = vec![
        fkey(
            &left,
            &left_column,
            &left_key.0,
            tenant.as_ref().map(|t| &t.1),
        ),
        fkey(
            &right,
            &right_column,
            &right_key.0,
            tenant.as_ref().map(|t| &t.2),
        ),
    ];
    if let Some((_, lt, rt)) = &tenant {
        tenant_keys.push(TenantKey {
            model: left.model,
            tenant: lt.clone(),
            key: left_key.0.clone(),
            origin: declared.node,
        });
        tenant_keys.push(TenantKey {
            model: right.model,
            tenant: rt.clone(),
            key: right_key.0.clone(),
            origin: declared.node,
        });
    }
    let side = |s: &Side, column: String, (references, ty): (String, FieldType)| {
        let d = &drafts.list[s.model];
        JoinSide {
            model: d.name.clone(),
            relation: s.relation.map(|r| r.name.value.clone()),
            column,
            ty,
            references_table: d.table.clone(),
            references,
        }
    };
    Some(JoinTable {
        name: name.to_string(),
        primary_key: Key {
            name: constraint_name(name, &[], "pkey"),
            columns: vec![left_column.clone(), right_column.clone()],
        },
        tenant: tenant.map(|(column, _, _)| JoinTenant {
            column,
            ty: tenant_type.clone(),
        }),
        foreign_keys,
        indexes: vec![Index {
            name: constraint_name(name, &[&right_column], "idx"),
            columns: vec![right_column.clone()],
            using: IndexMethod::Btree,
            r#where: None,
        }],
        left: side(&left, left_column, left_key),
        right: side(&right, right_column, right_key),
    })
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::{codes, ir_of};

    const TAG: &str = "model Tag {\n id uuid pk=#true\n policy all \"true\"\n}\n";

    #[test]
    fn one_table_per_relation_named_from_the_first_model() {
        let ir = ir_of(
            "model Post {\n id uuid pk=#true\n tags many-to-many=Tag\n policy all \"true\"\n}\nmodel Tag {\n id uuid pk=#true\n posts many-to-many=Post\n policy all \"true\"\n}\n",
        );
        assert_eq!(ir.join_tables.len(), 1);
        let join = &ir.join_tables[0];
        assert_eq!(join.name, "post_tags");
        assert_eq!(
            (join.left.column.as_str(), join.right.column.as_str()),
            ("post_id", "tag_id")
        );
        assert_eq!(join.right.relation.as_deref(), Some("posts"));
    }

    #[test]
    fn self_relations_use_the_relation_name() {
        let ir = ir_of(
            "model User {\n id uuid pk=#true\n friends many-to-many=User\n policy all \"true\"\n}\n",
        );
        let join = &ir.join_tables[0];
        assert_eq!(join.name, "user_friends");
        assert_eq!(
            (join.left.column.as_str(), join.right.column.as_str()),
            ("user_id", "friends_id")
        );
    }

    #[test]
    fn two_table_names_for_one_relation_are_an_error() {
        let text = format!(
            "model Post {{\n id uuid pk=#true\n tags many-to-many=Tag table=\"a\"\n policy all \"true\"\n}}\n{}",
            TAG.replace(" policy", " posts many-to-many=Post table=\"b\"\n policy")
        );
        assert_eq!(codes(&text), vec!["forge::join-table-conflict"]);
    }
}
