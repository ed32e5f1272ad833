//! A small stand-in checker for forge schemas, used to keep the examples and the synthetic projects
//! honest while the real front end is being written: KDL 2.0 parsing (kdl-rs), the node and
//! property vocabulary of notes/syntax.md, relation rules, access coverage, and names in rule
//! expressions. It is deliberately strict and simple; the front end is the real judge.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use kdl::{KdlDocument, KdlNode, KdlValue};

/// What the checker learned about a project, for tests to assert on.
#[derive(Debug, Default)]
pub struct Schema {
    pub roles: BTreeSet<String>,
    pub claims: BTreeSet<String>,
    pub enums: BTreeMap<String, Vec<String>>,
    pub identity: BTreeSet<String>,
    /// Models in declaration order (files in the order given).
    pub models: Vec<Model>,
    /// `(model, action, roles, if)` lines of every permissions block.
    pub permissions: Vec<(String, String, Vec<String>, Option<String>)>,
}

#[derive(Debug, Default)]
pub struct Model {
    pub name: String,
    pub file: String,
    pub table: String,
    pub tenant_scoped: bool,
    /// Field name -> (type, optional).
    pub fields: BTreeMap<String, (String, bool)>,
    pub field_order: Vec<String>,
    pub relations: Vec<Relation>,
    /// `(action, expression)`.
    pub policies: Vec<(String, String)>,
    pub checks: Vec<String>,
    pub index_wheres: Vec<String>,
    pub key_lists: Vec<Vec<String>>,
    pub pk_count: usize,
    pub composite_pk: bool,
    pub hooks: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Relation {
    pub name: String,
    /// `belongs-to`, `has-many` or `many-to-many`.
    pub kind: String,
    pub target: String,
    pub optional: bool,
    pub on_delete: Option<String>,
    pub via: Option<String>,
    pub table: Option<String>,
}

impl Model {
    fn relation(&self, name: &str) -> Option<&Relation> {
        self.relations.iter().find(|r| r.name == name)
    }

    /// Columns: fields and belongs-to key columns, with their type (`fk` for key columns).
    fn column(&self, name: &str) -> Option<(String, bool)> {
        if let Some(f) = self.fields.get(name) {
            return Some(f.clone());
        }
        let rel = name.strip_suffix("_id")?;
        let r = self.relation(rel)?;
        (r.kind == "belongs-to").then(|| ("fk".to_owned(), r.optional))
    }
}

const MODEL_NODES: &[&str] = &["pk", "unique", "index", "check", "policy", "hook"];
const BUILTIN_TYPES: &[&str] = &[
    "uuid", "string", "text", "integer", "bigint", "decimal", "float", "boolean", "date",
    "datetime", "json", "bytes",
];
const FIELD_PROPS: &[&str] = &[
    "pk",
    "unique",
    "optional",
    "default",
    "min",
    "max",
    "pattern",
    "pii",
    "secret",
    "residency",
    "renamed-from",
    "index",
    "tenant",
    "precision",
    "scale",
];
const ACTIONS: &[&str] = &["read", "create", "update", "delete"];
const HOOK_EVENTS: &[&str] = &[
    "before-create",
    "after-create",
    "before-update",
    "after-update",
    "before-delete",
    "after-delete",
];

/// snake_case by the language's rule.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let starts = match prev {
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(char::is_lowercase),
                _ => false,
            };
            if starts {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn string_arg(node: &KdlNode, i: usize) -> Option<String> {
    node.entries()
        .iter()
        .filter(|e| e.name().is_none())
        .nth(i)
        .and_then(|e| match e.value() {
            KdlValue::String(s) => Some(s.clone()),
            _ => None,
        })
}

fn args(node: &KdlNode) -> Vec<&KdlValue> {
    node.entries()
        .iter()
        .filter(|e| e.name().is_none())
        .map(|e| e.value())
        .collect()
}

fn props(node: &KdlNode) -> BTreeMap<String, KdlValue> {
    node.entries()
        .iter()
        .filter_map(|e| e.name().map(|n| (n.value().to_owned(), e.value().clone())))
        .collect()
}

fn prop_str(props: &BTreeMap<String, KdlValue>, key: &str) -> Option<String> {
    match props.get(key) {
        Some(KdlValue::String(s)) => Some(s.clone()),
        _ => None,
    }
}

fn prop_true(props: &BTreeMap<String, KdlValue>, key: &str) -> bool {
    matches!(props.get(key), Some(KdlValue::Bool(true)))
}

/// Parses and checks `(path, text)` schema files. `hooks_root` is the folder hook paths are
/// relative to (forge.kdl's), or `None` to skip checking that hook files exist.
pub fn check(files: &[(String, String)], hooks_root: Option<&Path>) -> (Schema, Vec<String>) {
    let mut problems = Vec::new();
    let mut schema = Schema::default();
    let mut docs = Vec::new();
    for (path, text) in files {
        match KdlDocument::parse_v2(text) {
            Ok(doc) => docs.push((path.clone(), doc)),
            Err(err) => problems.push(format!("{path}: not KDL 2.0: {err:?}")),
        }
    }

    // Declarations first, so that order across files does not matter.
    let mut permission_nodes = Vec::new();
    let mut model_nodes = Vec::new();
    for (path, doc) in &docs {
        for node in doc.nodes() {
            let name = node.name().value();
            match name {
                "roles" => {
                    for v in args(node) {
                        if let KdlValue::String(s) = v
                            && !schema.roles.insert(s.clone())
                        {
                            problems.push(format!("{path}: role {s} declared twice"));
                        }
                    }
                }
                "claims" => {
                    for v in args(node) {
                        if let KdlValue::String(s) = v
                            && !schema.claims.insert(s.clone())
                        {
                            problems.push(format!("{path}: claim {s} declared twice"));
                        }
                    }
                }
                "enum" => {
                    let members: Vec<String> = (1..args(node).len())
                        .filter_map(|i| string_arg(node, i))
                        .collect();
                    let ename = string_arg(node, 0).unwrap_or_default();
                    if schema.enums.insert(ename.clone(), members).is_some() {
                        problems.push(format!("{path}: enum {ename} declared twice"));
                    }
                }
                "identity" => {
                    for child in node.children().map(|d| d.nodes()).unwrap_or_default() {
                        schema.identity.insert(child.name().value().to_owned());
                    }
                }
                "permissions" => permission_nodes.push((path.clone(), node)),
                "model" => model_nodes.push((path.clone(), node)),
                other => problems.push(format!("{path}: unknown top-level node `{other}`")),
            }
        }
    }

    for (path, node) in &model_nodes {
        let model = read_model(path, node, &schema, &mut problems);
        if schema.models.iter().any(|m| m.name == model.name) {
            problems.push(format!("{path}: model {} declared twice", model.name));
        }
        schema.models.push(model);
    }

    for (path, node) in &permission_nodes {
        for entry in node.children().map(|d| d.nodes()).unwrap_or_default() {
            let model = entry.name().value().to_owned();
            if !schema.models.iter().any(|m| m.name == model) {
                problems.push(format!("{path}: permissions for unknown model {model}"));
            }
            for line in entry.children().map(|d| d.nodes()).unwrap_or_default() {
                let action = line.name().value().to_owned();
                if !ACTIONS.contains(&action.as_str()) {
                    problems.push(format!(
                        "{path}: permissions {model}: unknown action {action}"
                    ));
                }
                let roles: Vec<String> = (0..args(line).len())
                    .filter_map(|i| string_arg(line, i))
                    .collect();
                for role in &roles {
                    if !schema.roles.contains(role) {
                        problems.push(format!(
                            "{path}: permissions {model} {action}: undeclared role {role}"
                        ));
                    }
                }
                let p = props(line);
                for key in p.keys() {
                    if key != "if" {
                        problems.push(format!(
                            "{path}: permissions {model} {action}: unknown property {key}"
                        ));
                    }
                }
                schema
                    .permissions
                    .push((model.clone(), action, roles, prop_str(&p, "if")));
            }
        }
    }

    check_models(&schema, hooks_root, &mut problems);
    (schema, problems)
}

fn read_model(path: &str, node: &KdlNode, schema: &Schema, problems: &mut Vec<String>) -> Model {
    let name = string_arg(node, 0).unwrap_or_default();
    let mprops = props(node);
    let mut model = Model {
        table: prop_str(&mprops, "table").unwrap_or_else(|| snake_case(&name)),
        name: name.clone(),
        file: path.to_owned(),
        ..Model::default()
    };
    for key in mprops.keys() {
        if key != "table" && key != "renamed-from" {
            problems.push(format!("{path}: model {name}: unknown property {key}"));
        }
    }
    let mut member_names = BTreeSet::new();
    for child in node.children().map(|d| d.nodes()).unwrap_or_default() {
        let cname = child.name().value().to_owned();
        let p = props(child);
        let here = format!("{path}: {name}.{cname}");
        match cname.as_str() {
            "pk" | "unique" | "index" => {
                let cols: Vec<String> = (0..args(child).len())
                    .filter_map(|i| string_arg(child, i))
                    .collect();
                if cname == "pk" {
                    model.pk_count += 1;
                    model.composite_pk = true;
                }
                if cname == "index" {
                    if let Some(w) = prop_str(&p, "where") {
                        model.index_wheres.push(w);
                    }
                    if let Some(u) = prop_str(&p, "using")
                        && u != "gin"
                        && u != "btree"
                    {
                        problems.push(format!("{here}: using={u}"));
                    }
                }
                model.key_lists.push(cols);
            }
            "check" => model.checks.push(string_arg(child, 0).unwrap_or_default()),
            "policy" => {
                let action = string_arg(child, 0).unwrap_or_default();
                if !ACTIONS.contains(&action.as_str()) && action != "all" {
                    problems.push(format!("{here}: unknown action {action}"));
                }
                if model.policies.iter().any(|(a, _)| *a == action) {
                    problems.push(format!("{here}: a second policy for {action}"));
                }
                model
                    .policies
                    .push((action, string_arg(child, 1).unwrap_or_default()));
            }
            "hook" => {
                let event = string_arg(child, 0).unwrap_or_default();
                if !HOOK_EVENTS.contains(&event.as_str()) {
                    problems.push(format!("{here}: unknown hook event {event}"));
                }
                model.hooks.push(string_arg(child, 1).unwrap_or_default());
            }
            _ => {
                if !member_names.insert(cname.clone()) {
                    problems.push(format!("{here}: declared twice"));
                }
                let kind = ["belongs-to", "has-many", "many-to-many"]
                    .into_iter()
                    .find(|k| p.contains_key(*k));
                if let Some(kind) = kind {
                    let allowed: &[&str] = match kind {
                        "belongs-to" => &["belongs-to", "optional", "on-delete", "renamed-from"],
                        "has-many" => &["has-many", "via"],
                        _ => &["many-to-many", "table"],
                    };
                    for key in p.keys() {
                        if !allowed.contains(&key.as_str()) {
                            problems.push(format!("{here}: property {key} not allowed on {kind}"));
                        }
                    }
                    if !args(child).is_empty() {
                        problems.push(format!("{here}: a relation takes no type argument"));
                    }
                    let on_delete = prop_str(&p, "on-delete");
                    if let Some(od) = &on_delete
                        && !["cascade", "restrict", "set-null"].contains(&od.as_str())
                    {
                        problems.push(format!("{here}: on-delete={od}"));
                    }
                    let optional = prop_true(&p, "optional");
                    if on_delete.as_deref() == Some("set-null") && !optional {
                        problems.push(format!("{here}: set-null on a required relation"));
                    }
                    model.relations.push(Relation {
                        name: cname.clone(),
                        kind: kind.to_owned(),
                        target: prop_str(&p, kind).unwrap_or_default(),
                        optional,
                        on_delete,
                        via: prop_str(&p, "via"),
                        table: prop_str(&p, "table"),
                    });
                } else {
                    let ty = string_arg(child, 0).unwrap_or_default();
                    if args(child).len() != 1 {
                        problems.push(format!("{here}: a field takes exactly one type argument"));
                    }
                    if !BUILTIN_TYPES.contains(&ty.as_str()) && !schema.enums.contains_key(&ty) {
                        problems.push(format!("{here}: unknown type {ty}"));
                    }
                    for key in p.keys() {
                        if !FIELD_PROPS.contains(&key.as_str()) {
                            problems.push(format!("{here}: unknown field property {key}"));
                        }
                        if (key == "precision" || key == "scale") && ty != "decimal" {
                            problems.push(format!("{here}: {key} on a {ty}"));
                        }
                    }
                    check_default(&here, &ty, p.get("default"), schema, problems);
                    if prop_true(&p, "pk") {
                        model.pk_count += 1;
                    }
                    if prop_true(&p, "tenant") {
                        if model.tenant_scoped {
                            problems.push(format!("{here}: a second tenant field"));
                        }
                        if ty != "uuid" {
                            problems.push(format!("{here}: the tenant field must be a uuid"));
                        }
                        model.tenant_scoped = true;
                    }
                    model
                        .fields
                        .insert(cname.clone(), (ty, prop_true(&p, "optional")));
                    model.field_order.push(cname);
                }
            }
        }
    }
    model
}

fn check_default(
    here: &str,
    ty: &str,
    default: Option<&KdlValue>,
    schema: &Schema,
    problems: &mut Vec<String>,
) {
    let Some(value) = default else { return };
    let ok = match (ty, value) {
        ("date" | "datetime", KdlValue::String(s)) => s == "now",
        ("uuid", KdlValue::String(s)) => s == "uuid",
        ("string" | "text", KdlValue::String(s)) => s != "now" && s != "uuid",
        ("boolean", KdlValue::Bool(_)) => true,
        ("integer" | "bigint", KdlValue::Integer(_)) => true,
        ("decimal" | "float", KdlValue::Integer(_) | KdlValue::Float(_)) => true,
        (other, KdlValue::String(s)) => schema.enums.get(other).is_some_and(|m| m.contains(s)),
        _ => false,
    };
    if !ok {
        problems.push(format!("{here}: default {value:?} does not fit {ty}"));
    }
}

fn check_models(schema: &Schema, hooks_root: Option<&Path>, problems: &mut Vec<String>) {
    let by_name: BTreeMap<&str, &Model> =
        schema.models.iter().map(|m| (m.name.as_str(), m)).collect();
    let mut tables = BTreeSet::new();
    for m in &schema.models {
        let here = format!("{}: {}", m.file, m.name);
        if !m.name.chars().next().is_some_and(char::is_uppercase) {
            problems.push(format!("{here}: model names are PascalCase"));
        }
        if !tables.insert(m.table.clone()) {
            problems.push(format!("{here}: table {} used twice", m.table));
        }
        if m.pk_count != 1 {
            problems.push(format!("{here}: {} primary keys", m.pk_count));
        }
        for r in &m.relations {
            let Some(target) = by_name.get(r.target.as_str()) else {
                problems.push(format!("{here}.{}: unknown model {}", r.name, r.target));
                continue;
            };
            if r.kind == "has-many" {
                let back: Vec<&Relation> = target
                    .relations
                    .iter()
                    .filter(|b| b.kind == "belongs-to" && b.target == m.name)
                    .filter(|b| r.via.as_ref().is_none_or(|v| *v == b.name))
                    .collect();
                if back.len() != 1 {
                    problems.push(format!(
                        "{here}.{}: {} matching belongs-to on {}",
                        r.name,
                        back.len(),
                        r.target
                    ));
                }
            }
            if r.kind == "belongs-to" && target.composite_pk {
                problems.push(format!(
                    "{here}.{}: belongs-to a model with a composite key",
                    r.name
                ));
            }
        }
        for cols in &m.key_lists {
            for col in cols {
                let is_rel = m.relation(col).is_some_and(|r| r.kind == "belongs-to");
                if m.column(col).is_none() && !is_rel {
                    problems.push(format!("{here}: unique/index/pk names unknown field {col}"));
                }
            }
        }
        for expr in m.checks.iter().chain(&m.index_wheres) {
            check_expr(
                schema,
                m,
                expr,
                false,
                &format!("{here}: `{expr}`"),
                problems,
            );
        }
        let mut covered = BTreeSet::new();
        for (action, expr) in &m.policies {
            check_expr(
                schema,
                m,
                expr,
                true,
                &format!("{here}: policy {action}"),
                problems,
            );
            covered.insert(action.clone());
        }
        for (model, action, _, cond) in &schema.permissions {
            if *model == m.name {
                covered.insert(action.clone());
                if let Some(cond) = cond {
                    check_expr(
                        schema,
                        m,
                        cond,
                        true,
                        &format!("{here}: permission {action} if"),
                        problems,
                    );
                }
            }
        }
        for action in ACTIONS {
            if !covered.contains(*action) && !covered.contains("all") {
                problems.push(format!(
                    "{here}: nothing grants {action} (it would be denied)"
                ));
            }
        }
        for hook in &m.hooks {
            let Some((file, export)) = hook.split_once('#') else {
                problems.push(format!("{here}: hook {hook} is not file#export"));
                continue;
            };
            if let Some(root) = hooks_root {
                match std::fs::read_to_string(root.join(file)) {
                    Ok(text) => {
                        let exported = [
                            format!("export function {export}("),
                            format!("export async function {export}("),
                        ]
                        .iter()
                        .any(|p| text.contains(p.as_str()));
                        if !exported {
                            problems
                                .push(format!("{here}: hook {hook}: {file} exports no {export}"));
                        }
                    }
                    Err(_) => problems.push(format!(
                        "{here}: hook {hook}: no file {}",
                        root.join(file).display()
                    )),
                }
            }
        }
    }

    // Join tables: one per relation (a declaration back from the target is the same one).
    let mut joins = BTreeSet::new();
    for m in &schema.models {
        for r in m.relations.iter().filter(|r| r.kind == "many-to-many") {
            let back = by_name.get(r.target.as_str()).is_some_and(|t| {
                t.name != m.name
                    && t.relations
                        .iter()
                        .any(|b| b.kind == "many-to-many" && b.target == m.name)
            });
            if back && r.target < m.name {
                continue;
            }
            let name = r
                .table
                .clone()
                .unwrap_or_else(|| format!("{}_{}", m.table, r.name));
            if tables.contains(&name) || !joins.insert(name.clone()) {
                problems.push(format!(
                    "{}: {}.{}: join table {name} collides",
                    m.file, m.name, r.name
                ));
            }
        }
    }

    // A cycle of required belongs-to relations can never be inserted.
    for start in &schema.models {
        let mut stack = vec![(start.name.as_str(), 0usize)];
        let mut seen = BTreeSet::new();
        while let Some((name, depth)) = stack.pop() {
            let Some(m) = by_name.get(name) else { continue };
            for r in m
                .relations
                .iter()
                .filter(|r| r.kind == "belongs-to" && !r.optional)
            {
                if r.target == start.name {
                    problems.push(format!(
                        "{}: {} is on a cycle of required belongs-to",
                        start.file, start.name
                    ));
                    stack.clear();
                    break;
                }
                if seen.insert(r.target.as_str()) && depth < schema.models.len() {
                    stack.push((r.target.as_str(), depth + 1));
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num,
    Punct(String),
}

fn tokenize(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            out.push(Tok::Num);
        } else if c == '\'' || c == '"' {
            let start = i + 1;
            i += 1;
            while i < chars.len() && chars[i] != c {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            if i >= chars.len() {
                return Err("unterminated string".to_owned());
            }
            out.push(Tok::Str(chars[start..i].iter().collect()));
            i += 1;
        } else {
            let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
            let op = ["===", "!==", "==", "!=", "<=", ">=", "&&", "||", "=>"]
                .into_iter()
                .find(|op| rest.starts_with(op))
                .map(str::to_owned)
                .unwrap_or_else(|| c.to_string());
            if !"()[],.!<>".contains(op.as_str()) && op.len() == 1 {
                return Err(format!("unexpected `{op}`"));
            }
            i += op.chars().count();
            out.push(Tok::Punct(op));
        }
    }
    Ok(out)
}

/// Checks names in an expression: `rule` for policies and permission conditions (`record.`,
/// `user.`), otherwise a check or index condition (bare columns, no `user`).
fn check_expr(
    schema: &Schema,
    model: &Model,
    src: &str,
    rule: bool,
    here: &str,
    problems: &mut Vec<String>,
) {
    let toks = match tokenize(src) {
        Ok(t) => t,
        Err(e) => return problems.push(format!("{here}: {e}")),
    };
    let by_name: BTreeMap<&str, &Model> =
        schema.models.iter().map(|m| (m.name.as_str(), m)).collect();
    let mut vars: BTreeMap<String, &Model> = BTreeMap::new();
    let punct = |i: usize, p: &str| matches!(toks.get(i), Some(Tok::Punct(x)) if x == p);
    let ident = |i: usize| match toks.get(i) {
        Some(Tok::Ident(s)) => Some(s.as_str()),
        _ => None,
    };
    let mut depth = 0;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Punct(p) => {
                depth += match p.as_str() {
                    "(" | "[" => 1,
                    ")" | "]" => -1,
                    _ => 0,
                };
                i += 1;
            }
            Tok::Str(_) | Tok::Num => i += 1,
            Tok::Ident(word) => {
                let start_model = if word == "record" {
                    Some(model)
                } else {
                    vars.get(word.as_str()).copied()
                };
                if let Some(mut cur) = start_model.filter(|_| punct(i + 1, ".")) {
                    // A chain: record.rel.rel.column, or record.many.some(x => ...)
                    let mut j = i + 1;
                    let mut column_type: Option<String> = None;
                    while punct(j, ".") {
                        let Some(seg) = ident(j + 1) else {
                            problems.push(format!("{here}: `.` not followed by a name"));
                            return;
                        };
                        if let Some((ty, _)) = cur.column(seg) {
                            column_type = Some(ty);
                            j += 2;
                            break;
                        }
                        match cur.relation(seg) {
                            Some(r) if r.kind == "belongs-to" => {
                                let Some(t) = by_name.get(r.target.as_str()) else {
                                    return;
                                };
                                cur = t;
                                j += 2;
                            }
                            Some(r) => {
                                let Some(t) = by_name.get(r.target.as_str()) else {
                                    return;
                                };
                                let method = ident(j + 3).unwrap_or_default();
                                if !punct(j + 2, ".")
                                    || !["some", "every", "includes"].contains(&method)
                                {
                                    problems.push(format!(
                                        "{here}: {seg} is a collection: use .some/.every/.includes"
                                    ));
                                }
                                if method == "includes" {
                                    j += 4;
                                } else if let (true, Some(var), true) =
                                    (punct(j + 4, "("), ident(j + 5), punct(j + 6, "=>"))
                                {
                                    vars.insert(var.to_owned(), t);
                                    // The `(` was consumed here: count it.
                                    depth += 1;
                                    j += 7;
                                } else {
                                    problems.push(format!("{here}: {method} needs `(x => ...)`"));
                                    j += 4;
                                }
                                break;
                            }
                            None => {
                                problems.push(format!(
                                    "{here}: {} has no field or relation `{seg}`",
                                    cur.name
                                ));
                                j += 2;
                                break;
                            }
                        }
                    }
                    if let Some(ty) = column_type {
                        check_enum_literal(schema, &ty, &toks, j, here, problems);
                    }
                    i = j;
                    continue;
                }
                match word.as_str() {
                    "true" | "false" | "null" | "in" => i += 1,
                    "user" if rule => {
                        let attr = ident(i + 2).unwrap_or_default();
                        let known = ["id", "tenant_id", "roles", "claims"].contains(&attr)
                            || schema.identity.contains(attr);
                        if !punct(i + 1, ".") || !known {
                            problems.push(format!("{here}: unknown user attribute `{attr}`"));
                        }
                        if (attr == "roles" || attr == "claims") && ident(i + 4) == Some("includes")
                        {
                            if let Some(Tok::Str(value)) = toks.get(i + 6) {
                                let declared = if attr == "roles" {
                                    &schema.roles
                                } else {
                                    &schema.claims
                                };
                                if !declared.contains(value) {
                                    problems
                                        .push(format!("{here}: undeclared {attr} entry '{value}'"));
                                }
                            }
                            i += 8;
                        } else {
                            i += 3;
                        }
                    }
                    _ if !rule && model.column(word).is_some() => {
                        let (ty, _) = model.column(word).unwrap_or_default();
                        check_enum_literal(schema, &ty, &toks, i + 1, here, problems);
                        i += 1;
                    }
                    _ if vars.contains_key(word.as_str()) => i += 1,
                    _ if punct(i + 1, "=>") => i += 1,
                    other => {
                        problems.push(format!("{here}: unknown name `{other}`"));
                        i += 1;
                    }
                }
            }
        }
    }
    if depth != 0 {
        problems.push(format!("{here}: unbalanced brackets"));
    }
}

/// `<enum column> == 'x'` or `!= 'x'`: `x` must be a member.
fn check_enum_literal(
    schema: &Schema,
    ty: &str,
    toks: &[Tok],
    at: usize,
    here: &str,
    problems: &mut Vec<String>,
) {
    let Some(members) = schema.enums.get(ty) else {
        return;
    };
    let is_cmp = matches!(toks.get(at), Some(Tok::Punct(p)) if ["==", "!=", "===", "!=="].contains(&p.as_str()));
    if let (true, Some(Tok::Str(value))) = (is_cmp, toks.get(at + 1))
        && !members.contains(value)
    {
        problems.push(format!("{here}: '{value}' is not a member of {ty}"));
    }
}

/// A forge.kdl: its schema glob resolved to `(path relative to forge.kdl, text)` pairs.
pub struct ProjectFile {
    pub dir: PathBuf,
    pub nodes: Vec<String>,
    pub schema_files: Vec<(String, String)>,
    pub out: Option<String>,
    pub problems: Vec<String>,
}

/// Reads `forge.kdl` in `dir` and the schema files its `schema` glob (`folder/*.kdl`) names.
pub fn read_project(dir: &Path) -> ProjectFile {
    let mut problems = Vec::new();
    let text = std::fs::read_to_string(dir.join("forge.kdl")).expect("forge.kdl exists");
    let doc = match KdlDocument::parse_v2(&text) {
        Ok(doc) => doc,
        Err(err) => panic!("{}: forge.kdl is not KDL 2.0: {err:?}", dir.display()),
    };
    let mut nodes = Vec::new();
    let mut schema_files = Vec::new();
    let mut out = None;
    for node in doc.nodes() {
        let name = node.name().value();
        nodes.push(name.to_owned());
        match name {
            "project" => {
                if string_arg(node, 0).is_none() {
                    problems.push("project needs a name".to_owned());
                }
            }
            "schema" => {
                let glob = string_arg(node, 0).unwrap_or_default();
                let (folder, pattern) = glob.rsplit_once('/').unwrap_or((".", glob.as_str()));
                if pattern != "*.kdl" || Path::new(folder).is_absolute() {
                    problems.push(format!(
                        "schema glob {glob}: this checker only knows relative `folder/*.kdl`"
                    ));
                    continue;
                }
                let mut found: Vec<String> = std::fs::read_dir(dir.join(folder))
                    .map(|rd| {
                        rd.filter_map(Result::ok)
                            .map(|e| e.file_name().to_string_lossy().into_owned())
                            .filter(|n| n.ends_with(".kdl"))
                            .map(|n| format!("{folder}/{n}"))
                            .collect()
                    })
                    .unwrap_or_default();
                found.sort();
                for rel in found {
                    let text =
                        std::fs::read_to_string(dir.join(&rel)).expect("readable schema file");
                    schema_files.push((rel, text));
                }
            }
            "out" => out = string_arg(node, 0),
            "target" => {
                if string_arg(node, 0).as_deref() == Some("sql") {
                    let dialects = prop_str(&props(node), "dialects").unwrap_or_default();
                    for d in dialects.split_whitespace() {
                        if !["postgres", "sqlite", "mysql"].contains(&d) {
                            problems.push(format!("unknown dialect {d}"));
                        }
                    }
                }
            }
            "sandbox" => {}
            other => problems.push(format!(
                "unexpected node `{other}` in this project's forge.kdl"
            )),
        }
    }
    if schema_files.is_empty() {
        problems.push("the schema glob matches no file".to_owned());
    }
    ProjectFile {
        dir: dir.to_owned(),
        nodes,
        schema_files,
        out,
        problems,
    }
}
