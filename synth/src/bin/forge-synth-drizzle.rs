//! `forge-synth-drizzle <models> <files> <out.ts>`: the synthetic domain of
//! `forge-synth <models> <files>` as a drizzle-orm (`drizzle-orm/pg-core`) TypeScript schema, for
//! timing `drizzle-kit generate` against `forge build` on the same tables (`ci/bench.sh`).
//!
//! The schema is read from the IR that forge's own front end builds (parse + validate), so it
//! declares what forge's PostgreSQL `schema.sql` declares: one `pgEnum` per enum, one `pgTable`
//! per model and per many-to-many join table, with the same column types, `NOT NULL`s, defaults,
//! named primary keys, unique constraints, foreign keys (single-column ones with `.references()`,
//! the tenant-scoped composite ones with `foreignKey()`), check constraints and indexes (`using
//! gin`, partial `where`). Check and index conditions are the SQL text forge's PostgreSQL generator
//! writes, inside drizzle's `sql` template.
//!
//! What drizzle cannot say is left out, and is the same for every run: forge's row-level-security
//! policies (forge writes no RLS in `schema.sql` today either), and PostgreSQL 15's
//! `ON DELETE SET NULL (column)` (drizzle writes a plain `SET NULL`).
//!
//! `--edit <model index>` adds the one field that `forge_synth::with_added_field` adds, so the
//! one-table-edit case compares like with like.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use forge_frontend::{ParsedFile, parse_file};
use forge_gen_sql::{Dialect, model_ddl};
use forge_schemas::{
    DefaultValue, Field, FieldType, ForeignKey, Index, IndexMethod, Ir, JoinTable, Key, Literal,
    OnDelete,
};

const USAGE: &str = "usage: forge-synth-drizzle [--edit <model index>] <models> <files> <out.ts>\n\
                     \n\
                     Writes the synthetic domain of `forge-synth <models> <files>` as one drizzle-orm\n\
                     pg-core schema file. --edit adds the field forge_synth::with_added_field adds.\n\
                     \n\
                     example: forge-synth-drizzle 1000 100 /tmp/drizzle/schema.ts";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let mut edit = None;
    if let Some(at) = args.iter().position(|a| a == "--edit") {
        let Some(Ok(index)) = args.get(at + 1).map(|v| v.parse::<usize>()) else {
            eprintln!("forge-synth-drizzle: --edit takes a model index\n\n{USAGE}");
            return ExitCode::from(2);
        };
        edit = Some(index);
        args.drain(at..at + 2);
    }
    let [models, files, out] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let (Ok(models), Ok(files)) = (models.parse::<usize>(), files.parse::<usize>()) else {
        eprintln!("forge-synth-drizzle: <models> and <files> must be whole numbers\n\n{USAGE}");
        return ExitCode::from(2);
    };
    let mut project = forge_synth::project(models, files);
    if let Some(index) = edit {
        if index >= models {
            eprintln!("forge-synth-drizzle: --edit {index} is not a model of {models}");
            return ExitCode::from(2);
        }
        project = forge_synth::with_added_field(&project, index);
    }
    let ir = match ir_of(&project) {
        Ok(ir) => ir,
        Err(message) => {
            eprintln!("forge-synth-drizzle: {message}");
            return ExitCode::from(1);
        }
    };
    let out = PathBuf::from(out);
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty())
        && let Err(err) = std::fs::create_dir_all(parent)
    {
        eprintln!(
            "forge-synth-drizzle: cannot create {}: {err}",
            parent.display()
        );
        return ExitCode::from(1);
    }
    match std::fs::write(&out, schema_ts(&ir)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("forge-synth-drizzle: cannot write {}: {err}", out.display());
            ExitCode::from(1)
        }
    }
}

/// The IR of a synthetic project, through forge's real front end.
fn ir_of(project: &[(String, String)]) -> Result<Ir, String> {
    let parsed: Vec<ParsedFile> = project
        .iter()
        .filter(|(path, _)| path.starts_with("schema/"))
        .map(|(path, text)| {
            let (file, diags) = parse_file(path, text);
            if diags.is_empty() {
                Ok(file)
            } else {
                Err(format!(
                    "{path}: {} diagnostic(s) from the parser",
                    diags.len()
                ))
            }
        })
        .collect::<Result<_, _>>()?;
    let validated = forge_frontend::validate(&parsed.iter().collect::<Vec<_>>());
    if !validated.diagnostics.is_empty() {
        return Err(format!(
            "{} diagnostic(s) from validation",
            validated.diagnostics.len()
        ));
    }
    validated
        .ir
        .ok_or_else(|| "validation gave no IR".to_string())
}

/// The whole `schema.ts`.
fn schema_ts(ir: &Ir) -> String {
    let mut out = String::new();
    out.push_str(
        "// Generated by forge-synth-drizzle from forge's IR of the synthetic domain. Do not edit.\n\
         import { sql } from \"drizzle-orm\";\n\
         import {\n  bigint, boolean, check, customType, date, doublePrecision, foreignKey, index,\n  \
         integer, jsonb, numeric, pgEnum, pgTable, primaryKey, text, timestamp, unique, uuid,\n  \
         varchar,\n} from \"drizzle-orm/pg-core\";\n\n\
         const bytea = customType<{ data: Buffer }>({ dataType: () => \"bytea\" });\n",
    );
    for e in &ir.enums {
        let values: Vec<String> = e.values.iter().map(|v| js_string(v)).collect();
        let _ = writeln!(
            out,
            "export const {} = pgEnum({}, [{}]);",
            enum_var(&e.sql_name),
            js_string(&e.sql_name),
            values.join(", ")
        );
    }
    for model in ir.models.iter().filter(|m| !m.stub) {
        out.push('\n');
        model_table(&mut out, ir, &model.name);
    }
    for join in &ir.join_tables {
        out.push('\n');
        join_table(&mut out, ir, join);
    }
    out
}

fn model_table(out: &mut String, ir: &Ir, name: &str) {
    let m = ir.model(name).expect("the model is in the IR");
    let ddl = model_ddl(ir, name, Dialect::Postgres);
    let _ = writeln!(
        out,
        "export const {} = pgTable({}, {{",
        table_var(&m.table),
        js_string(&m.table)
    );
    for f in &m.fields {
        let mut column = column(ir, &f.name, &f.ty);
        if !f.optional {
            column.push_str(".notNull()");
        }
        if let Some(default) = default(f) {
            column.push_str(&default);
        }
        // A single-column foreign key is declared on its column, as drizzle users write it.
        if let Some(fk) = m
            .foreign_keys
            .iter()
            .find(|k| k.columns == [f.name.clone()])
        {
            let _ = write!(
                column,
                ".references(() => {}.{}, {{ onDelete: {} }})",
                table_var(&fk.target_table),
                prop(&fk.target_columns[0]),
                js_string(on_delete(fk.on_delete))
            );
        }
        let _ = writeln!(out, "  {}: {column},", prop(&f.name));
    }
    out.push_str("}, (t) => [\n");
    primary_key(out, &m.primary_key);
    for key in &m.uniques {
        let _ = writeln!(
            out,
            "  unique({}).on({}),",
            js_string(&key.name),
            cols(&key.columns)
        );
    }
    for fk in m.foreign_keys.iter().filter(|k| k.columns.len() > 1) {
        foreign_key(out, fk);
    }
    for line in &ddl.checks {
        // `CONSTRAINT "name" CHECK (body)`, as forge writes it.
        let name = m
            .checks
            .iter()
            .find(|c| {
                line.sql
                    .starts_with(&format!("CONSTRAINT {} ", Dialect::Postgres.ident(&c.name)))
            })
            .map(|c| c.name.clone())
            .expect("every check line names one of the model's checks");
        let body = line
            .sql
            .split_once(" CHECK (")
            .and_then(|(_, rest)| rest.strip_suffix(')'))
            .expect("a check constraint line");
        let _ = writeln!(
            out,
            "  check({}, sql`{}`),",
            js_string(&name),
            template(body)
        );
    }
    for index in &m.indexes {
        let statement = ddl
            .after
            .iter()
            .map(|l| l.sql.as_str())
            .find(|sql| {
                sql.starts_with(&format!(
                    "CREATE INDEX {} ",
                    Dialect::Postgres.ident(&index.name)
                ))
            })
            .expect("every index has a CREATE INDEX line in PostgreSQL");
        index_entry(out, &m.table, index, statement);
    }
    out.push_str("]);\n");
}

fn join_table(out: &mut String, ir: &Ir, join: &JoinTable) {
    let _ = writeln!(
        out,
        "export const {} = pgTable({}, {{",
        table_var(&join.name),
        js_string(&join.name)
    );
    if let Some(tenant) = &join.tenant {
        let _ = writeln!(
            out,
            "  {}: {}.notNull(),",
            prop(&tenant.column),
            column(ir, &tenant.column, &tenant.ty)
        );
    }
    for side in [&join.left, &join.right] {
        let _ = writeln!(
            out,
            "  {}: {}.notNull(),",
            prop(&side.column),
            column(ir, &side.column, &side.ty)
        );
    }
    out.push_str("}, (t) => [\n");
    primary_key(out, &join.primary_key);
    for fk in &join.foreign_keys {
        foreign_key(out, fk);
    }
    for index in &join.indexes {
        // Join tables' lookup indexes are plain btree indexes without a condition.
        let statement = format!("CREATE INDEX \"{}\" ON \"{}\"", index.name, join.name);
        index_entry(out, &join.name, index, &statement);
    }
    out.push_str("]);\n");
}

fn primary_key(out: &mut String, key: &Key) {
    let _ = writeln!(
        out,
        "  primaryKey({{ name: {}, columns: [{}] }}),",
        js_string(&key.name),
        cols(&key.columns)
    );
}

fn foreign_key(out: &mut String, fk: &ForeignKey) {
    let target = table_var(&fk.target_table);
    let foreign: Vec<String> = fk
        .target_columns
        .iter()
        .map(|c| format!("{target}.{}", prop(c)))
        .collect();
    let _ = writeln!(
        out,
        "  foreignKey({{ name: {}, columns: [{}], foreignColumns: [{}] }}).onDelete({}),",
        js_string(&fk.name),
        cols(&fk.columns),
        foreign.join(", "),
        js_string(on_delete(fk.on_delete))
    );
}

/// `statement` is forge's PostgreSQL `CREATE INDEX` for `index`: the method and the condition are
/// taken from it, so a gin index that forge turns into btree is btree here too.
fn index_entry(out: &mut String, table: &str, index: &Index, statement: &str) {
    let gin = index.using == IndexMethod::Gin
        && statement.contains(&format!(
            " ON {} USING gin (",
            Dialect::Postgres.ident(table)
        ));
    let mut entry = if gin {
        format!(
            "index({}).using(\"gin\", {})",
            js_string(&index.name),
            cols(&index.columns)
        )
    } else {
        format!(
            "index({}).on({})",
            js_string(&index.name),
            cols(&index.columns)
        )
    };
    if let Some((_, condition)) = statement.split_once(") WHERE ") {
        let condition = condition.strip_suffix(';').unwrap_or(condition);
        let _ = write!(entry, ".where(sql`{}`)", template(condition));
    }
    let _ = writeln!(out, "  {entry},");
}

/// The column builder of a field of type `ty`.
fn column(ir: &Ir, name: &str, ty: &FieldType) -> String {
    let n = js_string(name);
    match ty {
        FieldType::Uuid => format!("uuid({n})"),
        FieldType::String { max } => format!("varchar({n}, {{ length: {max} }})"),
        FieldType::Text => format!("text({n})"),
        FieldType::Integer => format!("integer({n})"),
        FieldType::Bigint => format!("bigint({n}, {{ mode: \"number\" }})"),
        FieldType::Decimal { precision, scale } => {
            format!("numeric({n}, {{ precision: {precision}, scale: {scale} }})")
        }
        FieldType::Float => format!("doublePrecision({n})"),
        FieldType::Boolean => format!("boolean({n})"),
        FieldType::Date => format!("date({n})"),
        FieldType::Datetime => format!("timestamp({n}, {{ withTimezone: true }})"),
        FieldType::Json => format!("jsonb({n})"),
        FieldType::Bytes => format!("bytea({n})"),
        FieldType::Enum { name: e } => {
            let sql_name = &ir.enum_(e).expect("the enum is in the IR").sql_name;
            format!("{}({n})", enum_var(sql_name))
        }
    }
}

/// `.default...` for a field's default, as forge's PostgreSQL generator writes it.
fn default(field: &Field) -> Option<String> {
    Some(match field.default.as_ref()? {
        DefaultValue::Uuid => ".defaultRandom()".into(),
        DefaultValue::Now if field.ty == FieldType::Date => {
            ".default(sql`((now() AT TIME ZONE 'UTC')::date)`)".into()
        }
        DefaultValue::Now => ".defaultNow()".into(),
        DefaultValue::Value { value } => match (value, &field.ty) {
            (Literal::Null, _) => ".default(sql`NULL`)".into(),
            (Literal::Bool(b), _) => format!(".default({b})"),
            (Literal::Number(text), FieldType::Decimal { .. }) => {
                format!(".default({})", js_string(text))
            }
            (Literal::Number(text), _) => format!(".default({text})"),
            (Literal::String(text), _) => format!(".default({})", js_string(text)),
        },
    })
}

fn on_delete(on_delete: OnDelete) -> &'static str {
    match on_delete {
        OnDelete::Restrict => "restrict",
        OnDelete::Cascade => "cascade",
        // PostgreSQL's `SET NULL (column)` has no drizzle spelling.
        OnDelete::SetNull => "set null",
    }
}

/// `t.a, t.b`.
fn cols(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| format!("t.{}", prop(c)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A table's variable; the prefix keeps table names apart from drizzle's imports.
fn table_var(table: &str) -> String {
    format!("t_{table}")
}

fn enum_var(sql_name: &str) -> String {
    format!("e_{sql_name}")
}

/// A column's property name: the column name, which forge keeps to `[a-z0-9_]`.
fn prop(column: &str) -> &str {
    debug_assert!(
        column
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    );
    column
}

/// `text` as a double-quoted JavaScript string.
fn js_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` for the inside of a JavaScript template literal.
fn template(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('`', "\\`")
        .replace("${", "\\${")
}
