//! A snapshot table's DDL, from forge-gen-sql itself: the table is handed back to the generator
//! as a one-model IR (or as a join table), so a migration writes exactly the column types,
//! defaults, checks, keys and indexes that `schema.sql` writes.

use forge_gen_sql::{
    Dialect, ForeignKeyDdl, ModelDdl, default_sql, index_lines, join_table_ddl, model_ddl,
};
use forge_schemas::{
    Enum, Field, IR_VERSION, Identity, Index, Ir, JoinSide, JoinTable, JoinTenant, Model,
};

use crate::snapshot::{DbColumn, DbTable, JoinEnd};

/// One table's DDL in one dialect, with the lookups the SQL writers need.
pub(crate) struct TableDdl<'a> {
    pub dialect: Dialect,
    pub name: &'a str,
    pub table: &'a DbTable,
    pub enums: &'a [Enum],
    pub ddl: ModelDdl,
}

impl<'a> TableDdl<'a> {
    pub fn new(dialect: Dialect, name: &'a str, table: &'a DbTable, enums: &'a [Enum]) -> Self {
        let ddl = match &table.join {
            None => model_ddl(&one_model(name, table, enums), &table.model, dialect),
            Some(_) => join_ddl(dialect, name, table, enums),
        };
        TableDdl {
            dialect,
            name,
            table,
            enums,
            ddl,
        }
    }

    pub fn ident(&self, name: &str) -> String {
        self.dialect.ident(name)
    }

    /// `"name" type NOT NULL DEFAULT ... CHECK (...)`.
    pub fn column_line(&self, column: &str) -> &str {
        let prefix = format!("{} ", self.ident(column));
        self.ddl
            .lines
            .iter()
            .find(|l| l.sql.starts_with(&prefix))
            .map(|l| l.sql.as_str())
            .unwrap_or_else(|| panic!("column {column} is not in table {}", self.name))
    }

    /// `CONSTRAINT "name" <kind> ...` among the table's key and check lines; `None` for a check
    /// the dialect refuses (MySQL, on a column a foreign key's action writes).
    pub fn constraint_line(&self, name: &str) -> Option<&str> {
        let prefix = format!("CONSTRAINT {} ", self.ident(name));
        self.ddl
            .lines
            .iter()
            .chain(&self.ddl.checks)
            .find(|l| l.sql.starts_with(&prefix))
            .map(|l| l.sql.as_str())
    }

    pub fn foreign_key(&self, name: &str) -> &ForeignKeyDdl {
        self.ddl
            .foreign_keys
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("foreign key {name} is not in table {}", self.name))
    }

    /// The comments and the `CREATE INDEX` of `index`.
    pub fn index_lines(&self, index: &Index) -> Vec<String> {
        let columns: Vec<(&str, &forge_schemas::FieldType)> = self
            .table
            .columns
            .iter()
            .map(|c| (c.name.as_str(), &c.ty))
            .collect();
        index_lines(self.dialect, self.name, &columns, self.enums, index)
    }

    /// The expression after `DEFAULT` for `column`, if it has a default.
    pub fn default_sql(&self, column: &str) -> Option<String> {
        let c = self
            .table
            .column(column)
            .unwrap_or_else(|| panic!("column {column} is not in table {}", self.name));
        default_sql(self.dialect, &field(c))
    }

    /// The column type of `column`.
    pub fn column_type(&self, column: &str) -> String {
        let c = self
            .table
            .column(column)
            .unwrap_or_else(|| panic!("column {column} is not in table {}", self.name));
        forge_gen_sql::column_type(self.dialect, &c.ty, self.enums)
    }

    /// `CREATE TABLE "name" (...)`: columns, keys, the foreign keys when `foreign_keys`, checks.
    pub fn create_table(&self, name: &str, foreign_keys: bool) -> String {
        let mut items: Vec<&str> = self.ddl.lines.iter().map(|l| l.sql.as_str()).collect();
        if foreign_keys {
            items.extend(
                self.ddl
                    .foreign_keys
                    .iter()
                    .flat_map(|f| f.clauses.iter().map(String::as_str)),
            );
        }
        items.extend(self.ddl.checks.iter().map(|l| l.sql.as_str()));
        format!(
            "CREATE TABLE {} (\n  {}\n){};",
            self.ident(name),
            items.join(",\n  "),
            self.ddl.options
        )
    }

    /// The lines after the table in `schema.sql`: indexes and comments, each statement with the
    /// comments above it.
    pub fn after_statements(&self) -> Vec<(Vec<String>, String)> {
        let mut out = Vec::new();
        let mut comments = Vec::new();
        for line in &self.ddl.after {
            if line.sql.starts_with("--") {
                comments.push(line.sql.clone());
            } else {
                out.push((std::mem::take(&mut comments), line.sql.clone()));
            }
        }
        if !comments.is_empty() {
            out.push((comments, String::new()));
        }
        out
    }
}

/// The snapshot column as an IR field.
pub(crate) fn field(c: &DbColumn) -> Field {
    Field {
        name: c.name.clone(),
        ty: c.ty.clone(),
        optional: c.nullable,
        default: c.default.clone(),
        min: None,
        max: None,
        pattern: None,
        pii: false,
        secret: false,
        residency: None,
        renamed_from: None,
        relation: c.relation.clone(),
    }
}

/// An IR holding only `table`'s model and the enums.
fn one_model(name: &str, table: &DbTable, enums: &[Enum]) -> Ir {
    let model = Model {
        name: table.model.clone(),
        table: name.to_string(),
        renamed_from: None,
        stub: false,
        fields: table.columns.iter().map(field).collect(),
        relations: Vec::new(),
        primary_key: table.primary_key.clone(),
        tenant: table.tenant.clone(),
        uniques: table.uniques.clone(),
        foreign_keys: table.foreign_keys.clone(),
        indexes: table.indexes.clone(),
        checks: table.checks.clone(),
        policies: Vec::new(),
        permissions: Vec::new(),
        hooks: Vec::new(),
    };
    Ir {
        ir_version: IR_VERSION,
        roles: Vec::new(),
        claims: Vec::new(),
        identity: Identity::default(),
        enums: enums.to_vec(),
        models: vec![model],
        join_tables: Vec::new(),
    }
}

/// A join table's DDL; a deprecated column (kept by a fallback) follows the others.
fn join_ddl(dialect: Dialect, name: &str, table: &DbTable, enums: &[Enum]) -> ModelDdl {
    let join = table.join.as_ref().expect("a join table");
    let ty = |column: &str| {
        table
            .column(column)
            .unwrap_or_else(|| panic!("join column {column} is not in table {name}"))
            .ty
            .clone()
    };
    let side = |end: &JoinEnd| JoinSide {
        model: end.model.clone(),
        relation: end.relation.clone(),
        column: end.column.clone(),
        ty: ty(&end.column),
        references_table: end.references_table.clone(),
        references: end.references.clone(),
    };
    let ir = JoinTable {
        name: name.to_string(),
        left: side(&join.left),
        right: side(&join.right),
        primary_key: table.primary_key.clone(),
        tenant: join.tenant.as_ref().map(|column| JoinTenant {
            column: column.clone(),
            ty: ty(column),
        }),
        foreign_keys: table.foreign_keys.clone(),
        indexes: table.indexes.clone(),
    };
    let mut ddl = join_table_ddl(dialect, &ir, enums);
    let deprecated = table
        .columns
        .iter()
        .filter(|c| c.deprecated_from.is_some())
        .map(|c| forge_gen_sql::DdlLine {
            sql: format!(
                "{} {}",
                dialect.ident(&c.name),
                forge_gen_sql::column_type(dialect, &c.ty, enums)
            ),
            field: None,
        });
    let at = ddl
        .lines
        .iter()
        .position(|l| l.sql.starts_with("CONSTRAINT "))
        .unwrap_or(ddl.lines.len());
    let rest = ddl.lines.split_off(at);
    ddl.lines.extend(deprecated);
    ddl.lines.extend(rest);
    ddl
}
