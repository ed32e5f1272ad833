//! The snapshot a schema needs: [`DbSchema::from_ir`]. Names (tables, constraints, join tables)
//! come from the IR as the front end resolved them, the same names forge-gen-sql writes.

use forge_schemas::{Ir, JoinSide, JoinTable, Model};

use crate::snapshot::{DbColumn, DbEnum, DbSchema, DbTable, JoinEnd, JoinInfo, SNAPSHOT_VERSION};

impl DbSchema {
    /// The tables and enums that `schema.sql` of `ir` creates. Stub models (in a slice) are left
    /// out.
    pub fn from_ir(ir: &Ir) -> DbSchema {
        let enums = ir
            .enums
            .iter()
            .map(|e| {
                let db = DbEnum {
                    sql_name: e.sql_name.clone(),
                    values: e.values.clone(),
                    deprecated_values: Vec::new(),
                    deprecated: false,
                };
                (e.name.clone(), db)
            })
            .collect();
        let models = ir
            .models
            .iter()
            .filter(|m| !m.stub)
            .map(|m| (m.table.clone(), model_table(m)));
        let joins = ir
            .join_tables
            .iter()
            .map(|j| (j.name.clone(), join_table(j)));
        DbSchema {
            version: SNAPSHOT_VERSION,
            enums,
            tables: models.chain(joins).collect(),
        }
    }
}

fn model_table(m: &Model) -> DbTable {
    DbTable {
        model: m.name.clone(),
        join: None,
        columns: m
            .fields
            .iter()
            .map(|f| DbColumn {
                name: f.name.clone(),
                ty: f.ty.clone(),
                nullable: f.optional,
                default: f.default.clone(),
                relation: f.relation.clone(),
                deprecated_from: None,
            })
            .collect(),
        primary_key: m.primary_key.clone(),
        tenant: m.tenant.clone(),
        uniques: m.uniques.clone(),
        foreign_keys: m.foreign_keys.clone(),
        indexes: m.indexes.clone(),
        checks: m.checks.clone(),
        deprecated_from: None,
    }
}

fn join_table(j: &JoinTable) -> DbTable {
    let declaring = if j.left.relation.is_some() {
        &j.left
    } else {
        &j.right
    };
    let column = |name: &str, ty: &forge_schemas::FieldType| DbColumn {
        name: name.to_string(),
        ty: ty.clone(),
        nullable: false,
        default: None,
        relation: None,
        deprecated_from: None,
    };
    let mut columns = Vec::new();
    if let Some(tenant) = &j.tenant {
        columns.push(column(&tenant.column, &tenant.ty));
    }
    columns.push(column(&j.left.column, &j.left.ty));
    columns.push(column(&j.right.column, &j.right.ty));
    DbTable {
        model: declaring.model.clone(),
        join: Some(JoinInfo {
            left: join_end(&j.left),
            right: join_end(&j.right),
            tenant: j.tenant.as_ref().map(|t| t.column.clone()),
        }),
        columns,
        primary_key: j.primary_key.clone(),
        tenant: j.tenant.as_ref().map(|t| t.column.clone()),
        uniques: Vec::new(),
        foreign_keys: j.foreign_keys.clone(),
        indexes: j.indexes.clone(),
        checks: Vec::new(),
        deprecated_from: None,
    }
}

fn join_end(side: &JoinSide) -> JoinEnd {
    JoinEnd {
        model: side.model.clone(),
        relation: side.relation.clone(),
        column: side.column.clone(),
        references_table: side.references_table.clone(),
        references: side.references.clone(),
    }
}
