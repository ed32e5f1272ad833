//! Builds the IR's `RelationPath` for a to-many relation reached from a row.

use forge_schemas::{RefBase, RelationPath};

/// A `RelationPath` from its parts.
pub(crate) fn relation_path(
    base: &RefBase,
    base_model: &str,
    hops: &[String],
    model: &str,
    relation: &str,
    target: &str,
) -> RelationPath {
    RelationPath {
        base: base.clone(),
        base_model: base_model.into(),
        hops: hops.to_vec(),
        model: model.into(),
        relation: relation.into(),
        target: target.into(),
    }
}
