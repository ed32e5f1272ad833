//! Join tables of many-to-many relations: the tenant column (when both sides are tenant-scoped),
//! the two key columns, the composite primary key, both foreign keys and the lookup index.

use forge_schemas::{Enum, JoinTable};

use crate::Dialect;
use crate::column::plain_column_line;
use crate::foreign_key::foreign_key_ddl;
use crate::index::index_lines;
use crate::model_ddl::{DdlLine, ModelDdl, key_line, table_options};

/// The DDL of `join`. Its lines come from the declaring model's relation.
pub fn join_table_ddl(dialect: Dialect, join: &JoinTable, enums: &[Enum]) -> ModelDdl {
    let declaring = if join.left.relation.is_some() {
        &join.left
    } else {
        &join.right
    };
    let relation = declaring.relation.as_deref();
    let mut columns = Vec::new();
    if let Some(tenant) = &join.tenant {
        columns.push((tenant.column.as_str(), &tenant.ty));
    }
    columns.push((join.left.column.as_str(), &join.left.ty));
    columns.push((join.right.column.as_str(), &join.right.ty));
    let mut lines: Vec<DdlLine> = columns
        .iter()
        .map(|(name, ty)| DdlLine::new(plain_column_line(dialect, name, ty, enums), relation))
        .collect();
    lines.push(DdlLine {
        field: relation.map(str::to_string),
        ..key_line(dialect, "PRIMARY KEY", &join.primary_key)
    });
    let foreign_keys = join
        .foreign_keys
        .iter()
        .map(|fk| foreign_key_ddl(dialect, &join.name, fk, false))
        .collect();
    let after = join
        .indexes
        .iter()
        .flat_map(|index| index_lines(dialect, &join.name, &columns, enums, index))
        .map(|sql| DdlLine::new(sql, relation))
        .collect();
    ModelDdl {
        dialect,
        model: declaring.model.clone(),
        table: join.name.clone(),
        lines,
        foreign_keys,
        checks: Vec::new(),
        options: table_options(dialect).to_string(),
        after,
    }
}
