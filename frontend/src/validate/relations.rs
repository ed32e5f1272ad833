//! Diagnostics family "relations": targets that exist, belongs-to only to single-column primary
//! keys (composite ones are not supported yet), a belongs-to's `<name>_id` column that no field
//! already uses, `on-delete=set-null` only on optional relations, and a has-many that finds its
//! belongs-to on the target (exactly one, or the one `via=` names). Builds the IR's relations,
//! key columns and foreign keys (tenant-scoped between tenant-scoped models).

use std::collections::BTreeMap;

use forge_schemas::{Field, ForeignKey, OnDelete, Relation, RelationKind, constraint_name};

use crate::validate::decls::{ColumnDecl, RelationDecl, RelationDeclKind, Spot};
use crate::validate::draft::{Drafts, KeyInfo};
use crate::validate::report::{Cx, Report, close_names, did_you_mean, list};

pub const UNKNOWN_RELATION_TARGET: &str = "forge::unknown-relation-target";
pub const COMPOSITE_KEY_REFERENCE: &str = "forge::composite-key-reference";
pub const COLUMN_CLASH: &str = "forge::column-clash";
pub const SET_NULL_REQUIRED: &str = "forge::set-null-required";
pub const MISSING_INVERSE: &str = "forge::missing-inverse";
pub const AMBIGUOUS_INVERSE: &str = "forge::ambiguous-inverse";
pub const INVALID_VIA: &str = "forge::invalid-via";

/// A unique key on (tenant, primary key) that a tenant-scoped foreign key into `model` needs.
pub struct TenantKey {
    pub model: usize,
    pub tenant: String,
    pub key: String,
    /// The relation that needs it.
    pub origin: Spot,
}

/// Join table names by (model, many-to-many relation).
pub type JoinNames = BTreeMap<(String, String), String>;

/// What the columns of one model resolve to.
#[derive(Default)]
pub struct Resolved {
    pub fields: Vec<Field>,
    pub relations: Vec<Relation>,
    pub foreign_keys: Vec<ForeignKey>,
    pub tenant_keys: Vec<TenantKey>,
}

/// The target of `relation`, reported when unknown.
pub fn target(cx: &mut Cx, drafts: &Drafts, relation: &RelationDecl) -> Option<usize> {
    let found = drafts.find(&relation.target.value);
    if found.is_none() {
        let name = &relation.target.value;
        let help = format!(
            "{}the models are {}",
            did_you_mean(&close_names(name, drafts.names())),
            list(drafts.names())
        );
        cx.emit(
            Report::error(
                UNKNOWN_RELATION_TARGET,
                format!(
                    "relation `{}` points to unknown model `{name}`",
                    relation.name.value
                ),
            )
            .at(relation.target.at, "no such model")
            .help(help),
        );
    }
    found
}

/// Fields, relations and foreign keys of model `i`, in declaration order.
pub fn resolve(cx: &mut Cx, drafts: &Drafts, i: usize, joins: &JoinNames) -> Resolved {
    let draft = &drafts.list[i];
    let mut out = Resolved::default();
    for (ci, column) in draft.columns() {
        let relation = match column {
            ColumnDecl::Field(_) => {
                out.fields.extend(draft.plain[ci].clone());
                continue;
            }
            ColumnDecl::Relation(r) => r,
        };
        let Some(t) = target(cx, drafts, relation) else {
            continue;
        };
        let name = relation.name.value.clone();
        let target_name = drafts.list[t].name.clone();
        let kind = match &relation.kind {
            RelationDeclKind::BelongsTo {
                optional,
                on_delete,
                ..
            } => {
                let Some((column, references)) = belongs_to(cx, drafts, (i, t), relation, &mut out)
                else {
                    continue;
                };
                RelationKind::BelongsTo {
                    column,
                    references,
                    optional: optional.is_some(),
                    on_delete: on_delete.as_ref().map_or(OnDelete::Restrict, |o| o.value),
                }
            }
            RelationDeclKind::HasMany { via } => {
                let Some(via) = inverse(
                    cx,
                    drafts,
                    i,
                    t,
                    relation,
                    via.as_ref().map(|v| (v.value.as_str(), v.at)),
                ) else {
                    continue;
                };
                RelationKind::HasMany { via }
            }
            RelationDeclKind::ManyToMany { .. } => {
                let Some(join_table) = joins.get(&(draft.name.clone(), name.clone())) else {
                    continue;
                };
                RelationKind::ManyToMany {
                    join_table: join_table.clone(),
                }
            }
        };
        out.relations.push(Relation {
            name,
            target: target_name,
            kind,
        });
    }
    out
}

/// Adds the key column and foreign key of belongs-to `relation` (from model `i` to model `t`) to
/// `out`; returns (column, referenced column).
fn belongs_to(
    cx: &mut Cx,
    drafts: &Drafts,
    (i, t): (usize, usize),
    relation: &RelationDecl,
    out: &mut Resolved,
) -> Option<(String, String)> {
    let RelationDeclKind::BelongsTo {
        optional,
        on_delete,
        renamed_from,
    } = &relation.kind
    else {
        return None;
    };
    let (optional, on_delete) = (
        optional.is_some(),
        on_delete.as_ref().map(|o| (o.value, o.at)),
    );
    let (draft, target) = (&drafts.list[i], &drafts.list[t]);
    let (references, ty) = match drafts.key(t) {
        KeyInfo::Single { column, ty } => (column, ty),
        KeyInfo::Composite => {
            cx.emit(
                Report::error(
                    COMPOSITE_KEY_REFERENCE,
                    format!("`{}` belongs to `{}`, whose primary key is composite: this is not supported yet", relation.name.value, target.name),
                )
                .at(relation.target.at, "target has a composite primary key")
                .help(format!("give `{}` a single-column primary key (e.g. `id uuid pk=#true default=uuid`) and make its composite key a `unique`", target.name)),
            );
            return None;
        }
        KeyInfo::Unknown => return None,
    };
    let column = format!("{}_id", relation.name.value);
    if let Some((_, clash)) = draft.columns().find(|(_, c)| c.name().value == column) {
        cx.emit(
            Report::error(
                COLUMN_CLASH,
                format!(
                    "relation `{}` needs the column `{column}`, which a field already uses",
                    relation.name.value
                ),
            )
            .at(relation.name.at, format!("creates column `{column}`"))
            .related(clash.name().at, "already a field")
            .help(format!(
                "rename the field `{column}` or the relation `{}`",
                relation.name.value
            )),
        );
        return None;
    }
    if let Some((OnDelete::SetNull, at)) = on_delete
        && !optional
    {
        cx.emit(
            Report::error(SET_NULL_REQUIRED, format!("on-delete=set-null on the required relation `{}`", relation.name.value))
                .at(at, "cannot set a required column to null")
                .help("add optional=#true to the relation, or choose on-delete=cascade or on-delete=restrict"),
        );
    }
    let on_delete = on_delete.map_or(OnDelete::Restrict, |(o, _)| o);
    out.fields.push(Field {
        name: column.clone(),
        ty,
        optional,
        default: None,
        min: None,
        max: None,
        pattern: None,
        pii: false,
        secret: false,
        residency: None,
        renamed_from: renamed_from.as_ref().map(|old| format!("{}_id", old.value)),
        relation: Some(relation.name.value.clone()),
    });
    let (columns, target_columns, set_null_columns) = match (&draft.tenant, &target.tenant) {
        (Some(own), Some(theirs)) => {
            out.tenant_keys.push(TenantKey {
                model: t,
                tenant: theirs.clone(),
                key: references.clone(),
                origin: relation.node,
            });
            let set_null = if on_delete == OnDelete::SetNull {
                vec![column.clone()]
            } else {
                Vec::new()
            };
            (
                vec![own.clone(), column.clone()],
                vec![theirs.clone(), references.clone()],
                set_null,
            )
        }
        _ => (vec![column.clone()], vec![references.clone()], Vec::new()),
    };
    let parts: Vec<&str> = columns.iter().map(String::as_str).collect();
    out.foreign_keys.push(ForeignKey {
        name: constraint_name(&draft.table, &parts, "fkey"),
        relation: relation.name.value.clone(),
        columns,
        target: target.name.clone(),
        target_table: target.table.clone(),
        target_columns,
        on_delete,
        set_null_columns,
    });
    Some((column, references))
}

/// The belongs-to on the target that a has-many is the inverse of.
fn inverse(
    cx: &mut Cx,
    drafts: &Drafts,
    i: usize,
    t: usize,
    relation: &RelationDecl,
    via: Option<(&str, Spot)>,
) -> Option<String> {
    let (this, target) = (&drafts.list[i], &drafts.list[t]);
    let back: Vec<&str> = target
        .relations()
        .filter(|r| {
            matches!(r.kind, RelationDeclKind::BelongsTo { .. }) && r.target.value == this.name
        })
        .map(|r| r.name.value.as_str())
        .collect();
    let add_one = format!(
        "add `{} belongs-to={}` to model `{}`",
        snake(&this.name),
        this.name,
        target.name
    );
    match (via, back.as_slice()) {
        (Some((via, _)), _) if back.contains(&via) => Some(via.to_string()),
        (Some((via, at)), _) => {
            let help = if back.is_empty() {
                add_one
            } else {
                format!(
                    "{}the belongs-to relations of `{}` to `{}` are {}",
                    did_you_mean(&close_names(via, back.iter().copied())),
                    target.name,
                    this.name,
                    list(&back)
                )
            };
            cx.emit(
                Report::error(
                    INVALID_VIA,
                    format!(
                        "via={via} is not a belongs-to relation of `{}` to `{}`",
                        target.name, this.name
                    ),
                )
                .at(at, "not a belongs-to back to this model")
                .help(help),
            );
            None
        }
        (None, [one]) => Some(one.to_string()),
        (None, []) => {
            cx.emit(
                Report::error(
                    MISSING_INVERSE,
                    format!(
                        "has-many `{}` has no matching belongs-to on `{}`",
                        relation.name.value, target.name
                    ),
                )
                .at(relation.node, "no belongs-to back")
                .help(format!(
                    "a has-many is the inverse of a belongs-to: {add_one}"
                )),
            );
            None
        }
        (None, several) => {
            cx.emit(
                Report::error(
                    AMBIGUOUS_INVERSE,
                    format!(
                        "has-many `{}` could be the inverse of several relations of `{}`",
                        relation.name.value, target.name
                    ),
                )
                .at(relation.node, "ambiguous")
                .help(format!("say which with via=, one of {}", list(several))),
            );
            None
        }
    }
}

fn snake(model: &str) -> String {
    forge_schemas::snake_case(model)
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes;

    const USER: &str = "model User {\n id uuid pk=#true\n policy all \"true\"\n}\n";

    fn post(body: &str) -> Vec<String> {
        codes(&format!(
            "{USER}model Post {{\n id uuid pk=#true\n{body}\n policy all \"true\"\n}}\n"
        ))
    }

    #[test]
    fn targets_must_exist() {
        assert_eq!(
            post(" author belongs-to=Usr"),
            vec!["forge::unknown-relation-target"]
        );
        assert_eq!(
            post(" tags many-to-many=Tag"),
            vec!["forge::unknown-relation-target"]
        );
    }

    #[test]
    fn belongs_to_checks() {
        assert!(post(" author belongs-to=User on-delete=cascade").is_empty());
        assert_eq!(
            post(" author belongs-to=User\n author_id uuid"),
            vec!["forge::column-clash"]
        );
        assert_eq!(
            post(" author belongs-to=User on-delete=set-null"),
            vec!["forge::set-null-required"]
        );
        assert!(post(" author belongs-to=User optional=#true on-delete=set-null").is_empty());
        let composite = "model Pair {\n a string\n b string\n pk a b\n policy all \"true\"\n}\n";
        assert_eq!(
            codes(&format!(
                "{composite}model Post {{\n id uuid pk=#true\n pair belongs-to=Pair\n policy all \"true\"\n}}\n"
            )),
            vec!["forge::composite-key-reference"]
        );
    }

    #[test]
    fn has_many_needs_one_belongs_to_back() {
        let user = |body: &str, post: &str| {
            codes(&format!(
                "model User {{\n id uuid pk=#true\n{body}\n policy all \"true\"\n}}\nmodel Post {{\n id uuid pk=#true\n{post}\n policy all \"true\"\n}}\n"
            ))
        };
        assert!(user(" posts has-many=Post", " author belongs-to=User").is_empty());
        assert_eq!(
            user(" posts has-many=Post", " title string"),
            vec!["forge::missing-inverse"]
        );
        assert_eq!(
            user(
                " posts has-many=Post",
                " author belongs-to=User\n editor belongs-to=User optional=#true"
            ),
            vec!["forge::ambiguous-inverse"]
        );
        assert!(
            user(
                " posts has-many=Post via=editor",
                " author belongs-to=User\n editor belongs-to=User optional=#true"
            )
            .is_empty()
        );
        assert_eq!(
            user(
                " posts has-many=Post via=title",
                " author belongs-to=User\n title string"
            ),
            vec!["forge::invalid-via"]
        );
    }
}
