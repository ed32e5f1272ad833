//! The rows of one batch, built from random draws so that every foreign key holds (between
//! tenant-scoped models, inside one tenant), and what each target is given of them: `INSERT`s
//! for PostgreSQL and SQLite, and records for the TypeScript guards with the relations their
//! rules follow loaded.
//!
//! Ids are readable: `<8 hex digits naming the table>-0000-4000-8000-<n>`, e.g. the second user
//! is `cccccccc-0000-4000-8000-000000000001`.

use std::collections::BTreeMap;

use forge_schemas::{Expr, Field, Ir, Model, RefBase, RelationKind};
use serde_json::{Map, Value as Json};

use crate::domain::Copy;
use crate::value::{Case, Value};

/// How many tenants the rows spread over.
pub const TENANTS: usize = 3;

/// How many random numbers a [`RowDraw`] carries.
pub const PICKS: usize = 6;

/// What a uuid names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Tenant,
    Org,
    User,
    Team,
    Project,
    Tag,
    Task,
    Note,
    /// A task row that a create inserts.
    Created,
}

/// The `n`th id of `kind`, lower-case.
pub fn id(kind: Kind, n: usize) -> String {
    let prefix = match kind {
        Kind::Tenant => "aaaaaaaa",
        Kind::Org => "bbbbbbbb",
        Kind::User => "cccccccc",
        Kind::Team => "dddddddd",
        Kind::Project => "eeeeeeee",
        Kind::Tag => "ffffffff",
        Kind::Task => "7a5cf00d",
        Kind::Note => "0be5e7ed",
        Kind::Created => "c4ea7ed0",
    };
    format!("{prefix}-0000-4000-8000-{n:012x}")
}

/// The columns of `model` that hold data of their own: not the key, not the tenant column, not a
/// foreign key.
pub fn own_columns(model: &Model) -> Vec<&Field> {
    model
        .fields
        .iter()
        .filter(|f| {
            !model.primary_key.columns.contains(&f.name)
                && model.tenant.as_deref() != Some(f.name.as_str())
                && f.relation.is_none()
        })
        .collect()
}

/// The random material of one row.
#[derive(Clone, Debug)]
pub struct RowDraw {
    /// Values for [`own_columns`], in order.
    pub values: Vec<Value>,
    /// [`PICKS`] numbers that choose the tenant, foreign keys, links, what an update changes and
    /// how uuids are written.
    pub picks: Vec<u32>,
}

/// The random material of a batch's rows.
#[derive(Clone, Debug)]
pub struct WorldDraw {
    pub orgs: Vec<RowDraw>,
    pub users: Vec<RowDraw>,
    pub teams: Vec<RowDraw>,
    pub projects: Vec<RowDraw>,
    pub tags: Vec<RowDraw>,
    /// One per task copy, in order.
    pub copies: Vec<CopyDraw>,
}

/// The random material of one copy's rows.
#[derive(Clone, Debug)]
pub struct CopyDraw {
    pub tasks: Vec<RowDraw>,
    pub notes: Vec<RowDraw>,
    /// One per task: the row an update makes of it (and, under a new id, a create inserts).
    pub changes: Vec<RowDraw>,
}

/// One row: its columns in the model's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Row(pub Vec<(String, Value)>);

impl Row {
    /// The value of `column`.
    pub fn get(&self, column: &str) -> &Value {
        self.0
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no column `{column}` in {self:?}"))
    }

    fn set(&mut self, column: &str, value: Value) {
        match self.0.iter_mut().find(|(c, _)| c == column) {
            Some(slot) => slot.1 = value,
            None => self.0.push((column.to_string(), value)),
        }
    }

    /// The lower-case uuid in `column`, if any.
    pub fn uuid(&self, column: &str) -> Option<&str> {
        self.get(column).uuid()
    }

    /// The row as JSON, every value as the guards get it.
    pub fn ts(&self) -> Json {
        Json::Object(
            self.0
                .iter()
                .map(|(c, v)| (c.clone(), v.ts()))
                .collect::<Map<_, _>>(),
        )
    }
}

/// The rows of one copy, and the rows its cases write.
#[derive(Clone, Debug, Default)]
pub struct CopyRows {
    pub tasks: Vec<Row>,
    /// `afters[i]`: task `i` as an update leaves it.
    pub afters: Vec<Row>,
    /// `creates[i]`: `afters[i]` under a new id, as a create inserts it.
    pub creates: Vec<Row>,
    /// Links of the join table `task<n>_tags`.
    pub links: Vec<Row>,
    /// Links that do not exist yet, as a create inserts them.
    pub new_links: Vec<Row>,
}

/// Every row of a batch.
#[derive(Clone, Debug)]
pub struct World {
    /// Rows by table, and the order to insert the tables in.
    tables: BTreeMap<String, Vec<Row>>,
    order: Vec<String>,
    pub copies: Vec<CopyRows>,
}

/// A uuid value written the way `pick` says.
fn uuid(id: String, pick: u32) -> Value {
    let case = match pick % 3 {
        0 => Case::Lower,
        1 => Case::Upper,
        _ => Case::Mixed,
    };
    Value::Uuid(id, case)
}

/// One of `candidates` (indexes), chosen by `pick`; `None` sometimes when `optional`, and always
/// when there is none.
fn choose(pick: u32, candidates: &[usize], optional: bool) -> Option<usize> {
    let slots = candidates.len() + usize::from(optional);
    if slots == 0 {
        return None;
    }
    candidates.get(pick as usize % slots).copied()
}

/// A row of `model` with key `id`, tenant `tenant` (when the model has one) and the drawn values
/// of its own columns; foreign keys NULL until set.
fn start_row(model: &Model, id: Value, tenant: Option<Value>, draw: &RowDraw) -> Row {
    let own = own_columns(model);
    assert_eq!(own.len(), draw.values.len(), "values for {}", model.name);
    let mut row = Row(Vec::new());
    for field in &model.fields {
        let value = if model.primary_key.columns.contains(&field.name) {
            id.clone()
        } else if model.tenant.as_deref() == Some(field.name.as_str()) {
            tenant.clone().expect("a tenant for a tenant-scoped model")
        } else if let Some(i) = own.iter().position(|f| f.name == field.name) {
            draw.values[i].clone()
        } else {
            Value::Null
        };
        row.0.push((field.name.clone(), value));
    }
    row
}

fn model<'i>(ir: &'i Ir, name: &str) -> &'i Model {
    ir.model(name)
        .unwrap_or_else(|| panic!("no model `{name}` in the IR"))
}

/// The tenant index of a row (by its tenant id), if it has one.
fn tenant_of(row: &Row) -> Option<usize> {
    let tenant = row.0.iter().find(|(c, _)| c == "tenant_id")?.1.uuid()?;
    (0..TENANTS).find(|t| id(Kind::Tenant, *t) == tenant)
}

/// Indexes of `rows` in tenant `tenant` (every row when `tenant` is `None`).
fn in_tenant(rows: &[Row], tenant: Option<usize>) -> Vec<usize> {
    (0..rows.len())
        .filter(|i| tenant.is_none() || tenant_of(&rows[*i]) == tenant)
        .collect()
}

impl World {
    /// The rows of `draw` for a batch of `copies`, with `ir` the batch's IR.
    pub fn build(ir: &Ir, copies: &[Copy], draw: &WorldDraw) -> World {
        let mut world = World {
            tables: BTreeMap::new(),
            order: Vec::new(),
            copies: Vec::new(),
        };
        let tenant = |t: usize, pick: u32| uuid(id(Kind::Tenant, t), pick);
        // Shared models: each row in tenant `i % TENANTS`.
        let orgs: Vec<Row> = draw
            .orgs
            .iter()
            .enumerate()
            .map(|(i, d)| {
                start_row(
                    model(ir, "Org"),
                    uuid(id(Kind::Org, i), d.picks[0]),
                    None,
                    d,
                )
            })
            .collect();
        let users: Vec<Row> = draw
            .users
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let t = Some(tenant(i % TENANTS, d.picks[1]));
                start_row(model(ir, "User"), uuid(id(Kind::User, i), d.picks[0]), t, d)
            })
            .collect();
        let teams: Vec<Row> = draw
            .teams
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let t = i % TENANTS;
                let mut row = start_row(
                    model(ir, "Team"),
                    uuid(id(Kind::Team, i), d.picks[0]),
                    Some(tenant(t, d.picks[1])),
                    d,
                );
                let all: Vec<usize> = (0..orgs.len()).collect();
                row.set(
                    "org_id",
                    key(&orgs, choose(d.picks[2], &all, true), d.picks[3]),
                );
                let leads = in_tenant(&users, Some(t));
                row.set(
                    "lead_id",
                    key(&users, choose(d.picks[3], &leads, true), d.picks[4]),
                );
                row
            })
            .collect();
        let mut members = Vec::new();
        let projects: Vec<Row> = draw
            .projects
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let t = i % TENANTS;
                let mut row = start_row(
                    model(ir, "Project"),
                    uuid(id(Kind::Project, i), d.picks[0]),
                    Some(tenant(t, d.picks[1])),
                    d,
                );
                let teams_here = in_tenant(&teams, Some(t));
                row.set(
                    "team_id",
                    key(&teams, choose(d.picks[2], &teams_here, true), d.picks[4]),
                );
                let users_here = in_tenant(&users, Some(t));
                row.set(
                    "owner_id",
                    key(&users, choose(d.picks[3], &users_here, false), d.picks[4]),
                );
                for (bit, u) in users_here.iter().enumerate() {
                    if d.picks[5] >> bit & 1 == 1 {
                        members.push(Row(vec![
                            ("project_id".into(), uuid(id(Kind::Project, i), d.picks[5])),
                            ("user_id".into(), users[*u].get("id").clone()),
                            ("tenant_id".into(), tenant(t, d.picks[4])),
                        ]));
                    }
                }
                row
            })
            .collect();
        let tags: Vec<Row> = draw
            .tags
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let t = Some(tenant(i % TENANTS, d.picks[1]));
                start_row(model(ir, "Tag"), uuid(id(Kind::Tag, i), d.picks[0]), t, d)
            })
            .collect();
        for (copy, draw) in copies.iter().zip(&draw.copies) {
            world
                .copies
                .push(World::copy_rows(ir, copy, draw, &users, &projects, &tags));
        }
        world.put("org", orgs);
        world.put("user", users);
        world.put("team", teams);
        world.put("project", projects);
        world.put("project_members", members);
        world.put("tag", tags);
        for ((copy, rows), copy_draw) in copies.iter().zip(world.copies.clone()).zip(&draw.copies) {
            world.put(&copy.table(), rows.tasks);
            world.put(&copy.notes_table(), notes_of(ir, copy, copy_draw, &world));
            world.put(&copy.tags_table(), rows.links);
        }
        world
    }

    fn put(&mut self, table: &str, rows: Vec<Row>) {
        self.order.push(table.to_string());
        self.tables.insert(table.to_string(), rows);
    }

    /// The tasks, their links, and the rows the copy's writes use.
    fn copy_rows(
        ir: &Ir,
        copy: &Copy,
        draw: &CopyDraw,
        users: &[Row],
        projects: &[Row],
        tags: &[Row],
    ) -> CopyRows {
        let task_model = model(ir, &copy.model());
        let mut rows = CopyRows::default();
        for (i, d) in draw.tasks.iter().enumerate() {
            let t = copy.tenant.then_some(d.picks[1] as usize % TENANTS);
            let tenant = t.map(|t| uuid(id(Kind::Tenant, t), d.picks[2]));
            let mut row = start_row(task_model, uuid(id(Kind::Task, i), d.picks[0]), tenant, d);
            // Parents come first: a task's parent is an earlier task.
            let earlier = in_tenant(&rows.tasks, t);
            set_keys(&mut row, d, t, users, projects, &rows.tasks, &earlier);
            let linkable = in_tenant(tags, tenant_of(&row));
            for (bit, g) in linkable.iter().enumerate() {
                if d.picks[5] >> bit & 1 == 1 {
                    rows.links.push(link(copy, &row, &tags[*g], d.picks[4]));
                }
            }
            rows.tasks.push(row);
        }
        for (i, (before, d)) in rows.tasks.clone().iter().zip(&draw.changes).enumerate() {
            let mut after = before.clone();
            let own = own_columns(task_model);
            for (j, field) in own.iter().enumerate() {
                if d.picks[0] >> j & 1 == 1 {
                    after.set(&field.name, d.values[j].clone());
                }
            }
            let mut t = tenant_of(before);
            let moved = copy.tenant && d.picks[1] % 8 == 0;
            if moved {
                let to = (t.expect("a tenant") + 1 + (d.picks[1] as usize / 8) % 2) % TENANTS;
                t = Some(to);
                after.set("tenant_id", uuid(id(Kind::Tenant, to), d.picks[2]));
            }
            if moved || d.picks[3] % 4 == 0 {
                // Any task of the tenant may become the parent, itself included.
                let any = in_tenant(&rows.tasks, t);
                set_keys(&mut after, d, t, users, projects, &rows.tasks, &any);
            }
            let mut created = after.clone();
            created.set("id", uuid(id(Kind::Created, i), d.picks[4]));
            rows.afters.push(after);
            rows.creates.push(created);
            let task = &rows.tasks[i];
            let free: Vec<usize> = in_tenant(tags, tenant_of(task))
                .into_iter()
                .filter(|g| {
                    let tag = tags[*g].uuid("id");
                    !rows.links.iter().any(|l| {
                        l.uuid(&format!("task{}_id", copy.n)) == task.uuid("id")
                            && l.uuid("tag_id") == tag
                    })
                })
                .collect();
            if let Some(g) = choose(d.picks[5], &free, false) {
                rows.new_links.push(link(copy, task, &tags[g], d.picks[5]));
            }
        }
        rows
    }

    /// `INSERT` statements for every row, in an order the foreign keys accept, with values as
    /// `literal` writes them.
    pub fn inserts(&self, literal: fn(&Value) -> String) -> String {
        let mut out = String::new();
        for table in &self.order {
            for row in &self.tables[table] {
                out.push_str(&insert(table, row, literal));
                out.push_str(";\n");
            }
        }
        out
    }

    /// The rows of `table`.
    pub fn rows(&self, table: &str) -> &[Row] {
        self.tables.get(table).map_or(&[], Vec::as_slice)
    }

    /// The record the guards get for `row` of `model`: its columns, and the relations of `needs`
    /// loaded from the rows (recursively), as they are once `written` is written, if given.
    pub fn record(
        &self,
        ir: &Ir,
        model: &Model,
        row: &Row,
        needs: &Needs,
        written: Option<&Written>,
    ) -> Json {
        let mut object = match row.ts() {
            Json::Object(map) => map,
            _ => unreachable!("a row is an object"),
        };
        for (relation, more) in &needs.0 {
            let rel = model
                .relation(relation)
                .unwrap_or_else(|| panic!("{} has no relation `{relation}`", model.name));
            let target = self::model(ir, &rel.target);
            let record = |r: &Row| self.record(ir, target, r, more, written);
            let loaded = match &rel.kind {
                RelationKind::BelongsTo {
                    column, references, ..
                } => match row.uuid(column) {
                    Some(key) => self
                        .find(&target.table, written, |r| r.uuid(references) == Some(key))
                        .first()
                        .map_or(Json::Null, &record),
                    None => Json::Null,
                },
                RelationKind::HasMany { via } => {
                    let column = match &target.relation(via).map(|r| &r.kind) {
                        Some(RelationKind::BelongsTo { column, .. }) => column.clone(),
                        other => panic!("`{via}` of {} is {other:?}", target.name),
                    };
                    let key = row.uuid("id");
                    Json::Array(
                        self.find(&target.table, written, |r| r.uuid(&column) == key)
                            .iter()
                            .map(&record)
                            .collect(),
                    )
                }
                RelationKind::ManyToMany { join_table } => {
                    let join = ir
                        .join_tables
                        .iter()
                        .find(|j| &j.name == join_table)
                        .expect("the join table");
                    let (mine, theirs) = if join.left.model == model.name {
                        (&join.left, &join.right)
                    } else {
                        (&join.right, &join.left)
                    };
                    let key = row.uuid(&mine.references);
                    let linked: Vec<String> = self
                        .find(join_table, written, |l| l.uuid(&mine.column) == key)
                        .iter()
                        .filter_map(|l| l.uuid(&theirs.column).map(str::to_string))
                        .collect();
                    Json::Array(
                        self.find(&target.table, written, |r| {
                            r.uuid(&theirs.references)
                                .is_some_and(|k| linked.iter().any(|l| l == k))
                        })
                        .iter()
                        .map(&record)
                        .collect(),
                    )
                }
            };
            object.insert(relation.clone(), loaded);
        }
        Json::Object(object)
    }

    /// The rows of `table` that pass `test`, once `written` is written; notes in `written` when
    /// the written row is among them.
    fn find(
        &self,
        table: &str,
        written: Option<&Written>,
        test: impl Fn(&Row) -> bool,
    ) -> Vec<Row> {
        let stored = self.rows(table);
        let mut rows: Vec<&Row> = stored.iter().collect();
        if let Some(w) = written.filter(|w| w.table == table) {
            match stored.iter().position(|r| w.replaces(r)) {
                Some(i) => rows[i] = w.row,
                None => rows.push(w.row),
            }
        }
        rows.into_iter()
            .filter(|r| test(r))
            .inspect(|r| {
                if let Some(w) = written.filter(|w| w.table == table && std::ptr::eq(*r, w.row)) {
                    w.reached.set(true);
                }
            })
            .cloned()
            .collect()
    }
}

/// A row a write puts in a table: an update replaces the stored row with its key, a create adds
/// it. Loading a record through it notes that the record reaches the written row.
pub struct Written<'w> {
    pub table: &'w str,
    pub row: &'w Row,
    /// The primary key columns of the table.
    pub key: &'w [String],
    reached: std::cell::Cell<bool>,
}

impl<'w> Written<'w> {
    pub fn new(table: &'w str, row: &'w Row, key: &'w [String]) -> Written<'w> {
        Written {
            table,
            row,
            key,
            reached: std::cell::Cell::new(false),
        }
    }

    /// True when `stored` is the row this write replaces (the same key).
    fn replaces(&self, stored: &Row) -> bool {
        self.key.iter().all(|k| stored.uuid(k) == self.row.uuid(k))
    }

    /// True when a record loaded through this write reached the written row.
    pub fn reached(&self) -> bool {
        self.reached.get()
    }
}

/// The foreign keys of a task in tenant `t` (any tenant when `None`): a project, maybe an
/// assignee, maybe a parent among `parents` (indexes of `tasks`).
fn set_keys(
    row: &mut Row,
    d: &RowDraw,
    t: Option<usize>,
    users: &[Row],
    projects: &[Row],
    tasks: &[Row],
    parents: &[usize],
) {
    let project = choose(d.picks[3], &in_tenant(projects, t), false);
    row.set("project_id", key(projects, project, d.picks[4]));
    let assignee = choose(d.picks[4], &in_tenant(users, t), true);
    row.set("assignee_id", key(users, assignee, d.picks[3]));
    row.set(
        "parent_id",
        key(tasks, choose(d.picks[5], parents, true), d.picks[0]),
    );
}

/// The id of `rows[index]` written the way `pick` says, or NULL.
fn key(rows: &[Row], index: Option<usize>, pick: u32) -> Value {
    match index.and_then(|i| rows[i].uuid("id")) {
        Some(id) => uuid(id.to_string(), pick),
        None => Value::Null,
    }
}

/// The link of `task` and `tag` in the copy's join table (with the tenant column when the task
/// is tenant-scoped).
fn link(copy: &Copy, task: &Row, tag: &Row, pick: u32) -> Row {
    let mut row = Row(vec![
        (format!("task{}_id", copy.n), task.get("id").clone()),
        (
            "tag_id".into(),
            uuid(tag.uuid("id").expect("an id").to_string(), pick),
        ),
    ]);
    if copy.tenant {
        row.0
            .push(("tenant_id".into(), task.get("tenant_id").clone()));
    }
    row
}

/// The notes of a copy: each on a task its draw picks, in the task's tenant (any tenant when the
/// task has none), maybe by an author of the note's tenant.
fn notes_of(ir: &Ir, copy: &Copy, draw: &CopyDraw, world: &World) -> Vec<Row> {
    let tasks = world.rows(&copy.table());
    let users = world.rows("user");
    draw.notes
        .iter()
        .enumerate()
        .filter(|_| !tasks.is_empty())
        .map(|(i, d)| {
            let task = &tasks[d.picks[1] as usize % tasks.len()];
            let t = tenant_of(task).unwrap_or(d.picks[2] as usize % TENANTS);
            let mut row = start_row(
                model(ir, &copy.notes_model()),
                uuid(id(Kind::Note, i), d.picks[0]),
                Some(uuid(id(Kind::Tenant, t), d.picks[3])),
                d,
            );
            row.set(
                "task_id",
                uuid(task.uuid("id").expect("an id").into(), d.picks[4]),
            );
            let author = choose(d.picks[5], &in_tenant(users, Some(t)), true);
            row.set("author_id", key(users, author, d.picks[0]));
            row
        })
        .collect()
}

/// `INSERT INTO "<table>" ("a", ...) VALUES (...)`.
pub fn insert(table: &str, row: &Row, literal: fn(&Value) -> String) -> String {
    let columns: Vec<String> = row.0.iter().map(|(c, _)| format!("\"{c}\"")).collect();
    let values: Vec<String> = row.0.iter().map(|(_, v)| literal(v)).collect();
    format!(
        "INSERT INTO \"{table}\" ({}) VALUES ({})",
        columns.join(", "),
        values.join(", ")
    )
}

/// The relations a model's rules follow from its rows, as a tree: relation name, then what they
/// follow from the related rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Needs(pub BTreeMap<String, Needs>);

impl Needs {
    /// What the rules of `model` (policies and permission conditions) follow.
    pub fn of(model: &Model) -> Needs {
        let mut needs = Needs::default();
        let conditions = model.policies.iter().map(|p| &p.condition).chain(
            model
                .permissions
                .iter()
                .filter_map(|p| p.condition.as_ref()),
        );
        for condition in conditions {
            needs.walk(&condition.expr, &BTreeMap::new());
        }
        needs
    }

    fn add(&mut self, path: &[String]) {
        let mut at = self;
        for step in path {
            at = at.0.entry(step.clone()).or_default();
        }
    }

    /// Adds what `expr` follows; `vars` holds each variable's path from `record`.
    fn walk(&mut self, expr: &Expr, vars: &BTreeMap<String, Vec<String>>) {
        let start = |base: &RefBase| match base {
            RefBase::Record => Vec::new(),
            RefBase::Var { name } => vars.get(name).cloned().expect("a bound variable"),
        };
        match expr {
            Expr::Literal { .. } | Expr::User { .. } => {}
            Expr::Field { field } => {
                let mut path = start(&field.base);
                path.extend(field.hops.iter().cloned());
                self.add(&path);
            }
            Expr::Not { expr } => self.walk(expr, vars),
            Expr::And { exprs } | Expr::Or { exprs } => {
                for e in exprs {
                    self.walk(e, vars);
                }
            }
            Expr::Compare { left, right, .. } => {
                self.walk(left, vars);
                self.walk(right, vars);
            }
            Expr::In { value, list } => {
                self.walk(value, vars);
                for e in list {
                    self.walk(e, vars);
                }
            }
            Expr::ListIncludes { list, value } => {
                self.walk(list, vars);
                self.walk(value, vars);
            }
            Expr::RelationIncludes { relation, value } => {
                let mut path = start(&relation.base);
                path.extend(relation.hops.iter().cloned());
                path.push(relation.relation.clone());
                self.add(&path);
                self.walk(value, vars);
            }
            Expr::Quantified {
                relation,
                var,
                body,
                ..
            } => {
                let mut path = start(&relation.base);
                path.extend(relation.hops.iter().cloned());
                path.push(relation.relation.clone());
                self.add(&path);
                let mut inner = vars.clone();
                inner.insert(var.clone(), path);
                self.walk(body, &inner);
            }
        }
    }
}
