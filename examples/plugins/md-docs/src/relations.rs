//! The relations table: one row per relation (its origin the relation), saying what the relation
//! holds and what deleting the other side does.

use forge_plugin::schemas::{OnDelete, Relation, RelationKind};
use forge_plugin::{Lines, Model};

use crate::markdown::{code, model_link, row};

pub fn write(page: &mut Lines, model: &Model) {
    if model.relations.is_empty() {
        return;
    }
    page.line("");
    page.line("## Relations");
    page.line("");
    page.line("| Relation | Kind | Model | Details |");
    page.line("| --- | --- | --- | --- |");
    for relation in &model.relations {
        let (kind, details) = describe(model, relation);
        let cells = [
            code(&relation.name),
            kind.to_string(),
            model_link(&relation.target),
            details,
        ];
        page.line(row(&cells))
            .model(&model.name)
            .field(&relation.name);
    }
}

/// The kind in words, and the details.
fn describe(model: &Model, relation: &Relation) -> (&'static str, String) {
    let target = code(&relation.target);
    match &relation.kind {
        RelationKind::BelongsTo {
            column,
            references,
            optional,
            on_delete,
        } => {
            let kind = if *optional {
                "belongs to (optional)"
            } else {
                "belongs to"
            };
            let same_tenant = model.foreign_keys.iter().any(|k| {
                k.relation == relation.name
                    && model.tenant.as_ref().is_some_and(|t| k.columns.contains(t))
            });
            let mut details = format!("{} points at its {}", code(column), code(references));
            if same_tenant {
                details.push_str(", in the same tenant");
            }
            let effect = match on_delete {
                OnDelete::Restrict => {
                    format!("a {target} that rows here point at cannot be deleted")
                }
                OnDelete::Cascade => format!("deleting the {target} deletes this row"),
                OnDelete::SetNull => format!("deleting the {target} clears {}", code(column)),
            };
            (kind, format!("{details}; {effect}"))
        }
        RelationKind::HasMany { via } => (
            "has many",
            format!("the {target} rows whose {} is this row", code(via)),
        ),
        RelationKind::ManyToMany { join_table } => (
            "many to many",
            format!("linked through the table {}", code(join_table)),
        ),
    }
}
