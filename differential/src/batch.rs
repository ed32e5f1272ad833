//! One batch: a schema with several task models, each with its own random rules, one set of
//! rows and identities; every question asked of the three targets, and the answers compared.
//!
//! For each task model, identity and row, the questions are:
//!
//! | case | PostgreSQL | TypeScript | SQLite |
//! | --- | --- | --- | --- |
//! | read | the row is among `SELECT`'s rows | `read` | `allows(read)` |
//! | create | the `INSERT` passes | `create` | `passes_as_written(create)` on the row to insert |
//! | update | `SELECT ... FOR UPDATE` finds it and `UPDATE ... WHERE CURRENT OF` passes | `update(before, after)` | `allows(update)`, then `passes_as_written(update)` on the row the update writes |
//! | service update | `UPDATE ... WHERE id = ...` passes | the same, and `read(after)` | the same, and `passes_as_written(read)` |
//! | delete | `DELETE ... WHERE id = ...` deletes it | `delete` | `allows(delete)` |
//! | link read, create, delete | the same on the join table `task<n>_tags` | `joinGuards` | the join table's guards |
//!
//! A service update is the update generated services run: PostgreSQL checks the read rule on the
//! new row of an `UPDATE` that reads columns (rls.md, "Differences from the brief"), and the
//! guards' documentation says to ask `read(after)` with them.
//!
//! A write's rules read what they reach through relations as the database was before the write,
//! in every target (docs/language.md): PostgreSQL's checks run on the statement's snapshot,
//! SQLite's guards check the row the write will store before making it (`passes_as_written`),
//! and the records the TypeScript guards get are loaded without the written row.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use forge_schemas::{Action, Ir};
use forge_testkit::GuardRunner;
use serde_json::Value as Json;

use crate::domain::{self, Copy};
use crate::identity::Identity;
use crate::pg::Postgres;
use crate::sqlite::Sqlite;
use crate::value::{Value, quote};
use crate::world::{Needs, Row, World, WorldDraw, Written, insert};

/// Everything random about a batch.
#[derive(Clone, Debug)]
pub struct Batch {
    /// Task models, numbered from 0 in order, with their rules.
    pub copies: Vec<Copy>,
    pub world: WorldDraw,
    pub identities: Vec<Identity>,
}

/// What a case asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Act {
    Read,
    Create,
    Update,
    ServiceUpdate,
    Delete,
    LinkRead,
    LinkCreate,
    LinkDelete,
}

impl Act {
    pub const ALL: [Act; 8] = [
        Act::Read,
        Act::Create,
        Act::Update,
        Act::ServiceUpdate,
        Act::Delete,
        Act::LinkRead,
        Act::LinkCreate,
        Act::LinkDelete,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Act::Read => "read",
            Act::Create => "create",
            Act::Update => "update",
            Act::ServiceUpdate => "service update (UPDATE ... WHERE id)",
            Act::Delete => "delete",
            Act::LinkRead => "link read",
            Act::LinkCreate => "link create",
            Act::LinkDelete => "link delete",
        }
    }

    fn is_link(self) -> bool {
        matches!(self, Act::LinkRead | Act::LinkCreate | Act::LinkDelete)
    }
}

/// One question: a task model, an identity, what is asked, and of which row (an index into the
/// rows the act is about: tasks, created rows, links or new links).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Case {
    pub copy: usize,
    pub identity: usize,
    pub act: Act,
    pub row: usize,
}

/// The three answers to a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answers {
    pub pg: bool,
    pub ts: bool,
    pub sqlite: bool,
    /// The case writes a row, and the rules reach that row through relations (the created
    /// task from its parent's subtasks, the updated task as its own parent, a new link from its
    /// task's tags). Every target then reads what the rules reach as the database was before the
    /// write (docs/language.md, "Writes"); counted, to show such cases are drawn.
    pub reaches_written: bool,
}

impl Answers {
    /// True when the three targets agree.
    pub fn agree(&self) -> bool {
        self.ts == self.sqlite && self.pg == self.ts
    }
}

/// What the guards get for a case.
pub struct Input {
    /// The record, or the link with its task.
    pub record: Json,
    /// The record after an update.
    pub after: Option<Json>,
    /// Loading the records reached the row the case writes.
    pub reaches_written: bool,
}

/// An [`Input`] as the text the runner reads.
#[derive(Clone)]
struct Texts {
    record: String,
    after: Option<String>,
    reaches_written: bool,
}

impl Input {
    fn of(record: Json) -> Input {
        Input {
            record,
            after: None,
            reaches_written: false,
        }
    }
}

/// What a batch came to.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Every case asked, with the answers.
    pub answers: BTreeMap<Case, Answers>,
    /// Time spent per phase.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Outcome {
    /// The cases the targets disagree on (see [`Answers::agree`]).
    pub fn disagreements(&self) -> impl Iterator<Item = (&Case, &Answers)> {
        self.answers.iter().filter(|(_, a)| !a.agree())
    }
}

/// A batch made ready: its IR and rows, and per copy what the guards need.
pub struct Prepared<'b> {
    pub batch: &'b Batch,
    pub ir: Ir,
    pub world: World,
    needs: Vec<Needs>,
    /// The identities' JSON texts.
    identities: Vec<String>,
}

impl<'b> Prepared<'b> {
    /// Compiles the batch's schema (which must be valid) and builds its rows.
    pub fn new(batch: &'b Batch) -> Prepared<'b> {
        for (i, copy) in batch.copies.iter().enumerate() {
            assert_eq!(copy.n, i, "copies are numbered from 0 in order");
        }
        let ir = domain::compile(&domain::files(&batch.copies)).unwrap_or_else(|errors| {
            panic!("the batch's schema does not compile: {errors:#?}");
        });
        let world = World::build(&ir, &batch.copies, &batch.world);
        let needs = batch
            .copies
            .iter()
            .map(|c| Needs::of(ir.model(&c.model()).expect("the copy's model")))
            .collect();
        Prepared {
            batch,
            ir,
            world,
            needs,
            identities: batch.identities.iter().map(Identity::to_string).collect(),
        }
    }

    /// Every case of the batch, in order.
    pub fn cases(&self) -> Vec<Case> {
        let mut out = Vec::new();
        for copy in 0..self.batch.copies.len() {
            for identity in 0..self.batch.identities.len() {
                for act in Act::ALL {
                    for row in 0..self.rows(copy, act).len() {
                        out.push(Case {
                            copy,
                            identity,
                            act,
                            row,
                        });
                    }
                }
            }
        }
        out
    }

    /// The rows `act` is about in copy `copy`.
    fn rows(&self, copy: usize, act: Act) -> &[Row] {
        let rows = &self.world.copies[copy];
        match act {
            Act::Read | Act::Update | Act::ServiceUpdate | Act::Delete => &rows.tasks,
            Act::Create => &rows.creates,
            Act::LinkRead | Act::LinkDelete => &rows.links,
            Act::LinkCreate => &rows.new_links,
        }
    }

    /// Asks every case of the batch of the three targets.
    pub fn run(&self, pg: &Postgres) -> Outcome {
        self.run_cases(pg, &self.cases())
    }

    /// Asks `cases` of the three targets.
    pub fn run_cases(&self, pg: &Postgres, cases: &[Case]) -> Outcome {
        let mut timings = Vec::new();
        let mut time = |name: &'static str, since: Instant| timings.push((name, since.elapsed()));
        let start = Instant::now();
        let mut runner = GuardRunner::new(&forge_gen_guard_ts::guards_ts(&self.ir).content);
        time("tsc and node", start);
        let start = Instant::now();
        pg.load(&self.ir, &self.world);
        let pg_answers = self.postgres(pg, cases);
        time("PostgreSQL", start);
        let start = Instant::now();
        let sqlite = Sqlite::new(&self.ir, &self.world);
        let sqlite_answers = self.sqlite(&sqlite, cases);
        time("SQLite", start);
        let start = Instant::now();
        let ts_answers = self.typescript(&mut runner, cases);
        time("TypeScript", start);
        let answers = cases
            .iter()
            .map(|c| {
                let (ts, reaches_written) = ts_answers[c];
                let answers = Answers {
                    pg: pg_answers[c],
                    ts,
                    sqlite: sqlite_answers[c],
                    reaches_written,
                };
                (*c, answers)
            })
            .collect();
        Outcome { answers, timings }
    }

    /// PostgreSQL's answers: one script, one transaction per identity.
    fn postgres(&self, pg: &Postgres, cases: &[Case]) -> BTreeMap<Case, bool> {
        let copies = &self.batch.copies;
        let mut script = String::new();
        let mut writes: Vec<Case> = Vec::new();
        for (i, identity) in self.identities.iter().enumerate() {
            script.push_str(&pg.as_identity(identity));
            for copy in copies {
                let c = copy.n;
                let _ = writeln!(
                    script,
                    "SELECT 'r {i} {c} ' || \"id\" FROM \"{}\";",
                    copy.table()
                );
                let _ = writeln!(
                    script,
                    "SELECT 'l {i} {c} ' || \"task{c}_id\" || ' ' || \"tag_id\" FROM \"{}\";",
                    copy.tags_table()
                );
            }
            for case in cases.iter().filter(|c| c.identity == i) {
                if let Some(call) = self.pg_write(case) {
                    let _ = writeln!(script, "SELECT 'w {} ' || {call};", writes.len());
                    writes.push(*case);
                }
            }
            script.push_str("COMMIT;\n");
        }
        let out = pg.query(&script);
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut written = vec![None; writes.len()];
        for line in out.lines() {
            match line.split_once(' ') {
                Some(("r" | "l", _)) => {
                    seen.insert(line.to_string());
                }
                Some(("w", rest)) => {
                    let (k, word) = rest.split_once(' ').expect("`w <k> <word>`");
                    let k: usize = k.parse().expect("a case number");
                    written[k] = Some(match word {
                        "done" => true,
                        "none" | "check" => false,
                        other => panic!("PostgreSQL answered `{other}` for {:?}", writes[k]),
                    });
                }
                _ if line == "identity" => {}
                _ => panic!("unexpected PostgreSQL output: {line}"),
            }
        }
        let mut answers: BTreeMap<Case, bool> = writes
            .iter()
            .zip(written)
            .map(|(case, w)| (*case, w.unwrap_or_else(|| panic!("no answer for {case:?}"))))
            .collect();
        for case in cases {
            let row = &self.rows(case.copy, case.act)[case.row];
            let (i, c) = (case.identity, case.copy);
            let line = match case.act {
                Act::Read => format!("r {i} {c} {}", uuid(row, "id")),
                Act::LinkRead => format!(
                    "l {i} {c} {} {}",
                    uuid(row, &format!("task{c}_id")),
                    uuid(row, "tag_id")
                ),
                _ => continue,
            };
            answers.insert(*case, seen.contains(&line));
        }
        answers
    }

    /// The call that tries the write of `case` in PostgreSQL, if it is a write.
    fn pg_write(&self, case: &Case) -> Option<String> {
        let copy = &self.batch.copies[case.copy];
        let row = &self.rows(case.copy, case.act)[case.row];
        let table = copy.table();
        let attempt = |statement: String| format!("differential.attempt({})", quote(&statement));
        let by_id = || format!("\"id\" = '{}'", uuid(row, "id"));
        Some(match case.act {
            Act::Read | Act::LinkRead => return None,
            Act::Create => attempt(insert(&table, row, Value::pg)),
            Act::Update => {
                let after = &self.world.copies[case.copy].afters[case.row];
                format!(
                    "differential.update_rule({}, '{}', {})",
                    quote(&table),
                    uuid(row, "id"),
                    quote(&assignments(after, Value::pg))
                )
            }
            Act::ServiceUpdate => {
                let after = &self.world.copies[case.copy].afters[case.row];
                attempt(format!(
                    "UPDATE \"{table}\" SET {} WHERE {}",
                    assignments(after, Value::pg),
                    by_id()
                ))
            }
            Act::Delete => attempt(format!("DELETE FROM \"{table}\" WHERE {}", by_id())),
            Act::LinkCreate => attempt(insert(&copy.tags_table(), row, Value::pg)),
            Act::LinkDelete => attempt(format!(
                "DELETE FROM \"{}\" WHERE {}",
                copy.tags_table(),
                self.link_key(case.copy)
                    .iter()
                    .map(|c| format!("\"{c}\" = '{}'", uuid(row, c)))
                    .collect::<Vec<_>>()
                    .join(" AND ")
            )),
        })
    }

    /// The primary key columns of copy `copy`'s join table.
    fn link_key(&self, copy: usize) -> Vec<String> {
        let name = self.batch.copies[copy].tags_table();
        self.ir
            .join_tables
            .iter()
            .find(|j| j.name == name)
            .expect("the join table")
            .primary_key
            .columns
            .clone()
    }

    /// SQLite's answers. A write is made once for all the cases that look at its result.
    fn sqlite(&self, db: &Sqlite, cases: &[Case]) -> BTreeMap<Case, bool> {
        let mut answers = BTreeMap::new();
        let mut writes: BTreeMap<(usize, Act, usize), Vec<Case>> = BTreeMap::new();
        for case in cases {
            let copy = &self.batch.copies[case.copy];
            let identity = &self.identities[case.identity];
            let row = &self.rows(case.copy, case.act)[case.row];
            let (model, links) = (copy.model(), copy.tags_table());
            let key = || [uuid(row, "id")];
            let answer = match case.act {
                Act::Read => db.allows(&model, Action::Read, identity, &key()),
                Act::Delete => db.allows(&model, Action::Delete, identity, &key()),
                Act::LinkRead => {
                    db.allows(&links, Action::Read, identity, &self.key_of(case.copy, row))
                }
                Act::LinkDelete => db.allows(
                    &links,
                    Action::Delete,
                    identity,
                    &self.key_of(case.copy, row),
                ),
                // Both updates follow one write.
                Act::Update | Act::ServiceUpdate => {
                    writes
                        .entry((case.copy, Act::Update, case.row))
                        .or_default()
                        .push(*case);
                    continue;
                }
                Act::Create | Act::LinkCreate => {
                    writes
                        .entry((case.copy, case.act, case.row))
                        .or_default()
                        .push(*case);
                    continue;
                }
            };
            answers.insert(*case, answer);
        }
        for ((c, act, r), group) in writes {
            let copy = &self.batch.copies[c];
            let rows = &self.world.copies[c];
            let (model, links) = (copy.model(), copy.tags_table());
            let identity = |case: &Case| self.identities[case.identity].as_str();
            let id = ["id".to_string()];
            match act {
                Act::Update => {
                    let before = &rows.tasks[r];
                    let key = [uuid(before, "id")];
                    let allowed: Vec<bool> = group
                        .iter()
                        .map(|case| db.allows(&model, Action::Update, identity(case), &key))
                        .collect();
                    let update = format!(
                        "UPDATE \"{}\" SET {} WHERE \"id\" = '{}'",
                        copy.table(),
                        assignments(&rows.afters[r], Value::sqlite),
                        key[0]
                    );
                    // The row as the update writes it, checked before the update.
                    let after_key = [uuid(&rows.afters[r], "id")];
                    let written = db.written_row(&update, &copy.table(), &id, &after_key);
                    let after: Vec<bool> = group
                        .iter()
                        .map(|case| {
                            let id = identity(case);
                            db.passes_as_written(&model, Action::Update, id, &written)
                                && (case.act == Act::Update
                                    || db.passes_as_written(&model, Action::Read, id, &written))
                        })
                        .collect();
                    for ((case, before), after) in group.iter().zip(allowed).zip(after) {
                        answers.insert(*case, before && after);
                    }
                }
                Act::Create => {
                    let row = &rows.creates[r];
                    let insert = insert(&copy.table(), row, Value::sqlite);
                    let written = db.written_row(&insert, &copy.table(), &id, &[uuid(row, "id")]);
                    answers.extend(group.iter().map(|case| {
                        let answer =
                            db.passes_as_written(&model, Action::Create, identity(case), &written);
                        (*case, answer)
                    }));
                }
                _ => {
                    let row = &rows.new_links[r];
                    let key = self.key_of(c, row);
                    let insert = insert(&links, row, Value::sqlite);
                    let written = db.written_row(&insert, &links, &self.link_key(c), &key);
                    answers.extend(group.iter().map(|case| {
                        let answer =
                            db.passes_as_written(&links, Action::Create, identity(case), &written);
                        (*case, answer)
                    }));
                }
            }
        }
        answers
    }

    /// The primary key of a link of copy `copy`, as SQLite holds it.
    fn key_of(&self, copy: usize, row: &Row) -> Vec<String> {
        self.link_key(copy).iter().map(|k| uuid(row, k)).collect()
    }

    /// What the guards get for `case`.
    pub fn ts_input(&self, case: &Case) -> Input {
        let copy = &self.batch.copies[case.copy];
        let model = self.ir.model(&copy.model()).expect("the copy's model");
        let needs = &self.needs[case.copy];
        let rows = &self.world.copies[case.copy];
        let record = |row: &Row, written: Option<&Written>| {
            self.world.record(&self.ir, model, row, needs, written)
        };
        let id = ["id".to_string()];
        let table = copy.table();
        let row = &self.rows(case.copy, case.act)[case.row];
        match case.act {
            Act::Read | Act::Delete => Input::of(record(row, None)),
            // A write's rules read what they reach as the database was before it: the records
            // are loaded without the written row. Loading them with it only tells whether they
            // reach it.
            Act::Create => {
                let written = Written::new(&table, row, &id);
                record(row, Some(&written));
                Input {
                    reaches_written: written.reached(),
                    ..Input::of(record(row, None))
                }
            }
            Act::Update | Act::ServiceUpdate => {
                let after = &rows.afters[case.row];
                let written = Written::new(&table, after, &id);
                record(after, Some(&written));
                Input {
                    after: Some(record(after, None)),
                    reaches_written: written.reached(),
                    ..Input::of(record(row, None))
                }
            }
            Act::LinkRead | Act::LinkCreate | Act::LinkDelete => {
                let task_id = uuid(row, &format!("task{}_id", copy.n));
                let task = rows
                    .tasks
                    .iter()
                    .find(|t| t.uuid("id") == Some(task_id.as_str()))
                    .expect("the link's task");
                let links = copy.tags_table();
                let key = self.link_key(case.copy);
                let written = Written::new(&links, row, &key);
                if case.act == Act::LinkCreate {
                    record(task, Some(&written));
                }
                let mut link = match row.ts() {
                    Json::Object(map) => map,
                    _ => unreachable!("a row is an object"),
                };
                link.insert(copy.model(), record(task, None));
                Input {
                    reaches_written: written.reached(),
                    ..Input::of(Json::Object(link))
                }
            }
        }
    }

    /// The TypeScript guards' answers, through one Node process, and whether the record reaches
    /// the written row.
    fn typescript(&self, runner: &mut GuardRunner, cases: &[Case]) -> BTreeMap<Case, (bool, bool)> {
        // Records are the same for every identity: written once per row and act.
        let mut inputs: BTreeMap<(usize, Act, usize), Texts> = BTreeMap::new();
        let mut answers = BTreeMap::new();
        for case in cases {
            let Texts {
                record,
                after,
                reaches_written: reaches,
            } = inputs
                .entry((case.copy, case.act, case.row))
                .or_insert_with(|| {
                    let input = self.ts_input(case);
                    Texts {
                        record: input.record.to_string(),
                        after: input.after.map(|a| a.to_string()),
                        reaches_written: input.reaches_written,
                    }
                })
                .clone();
            let copy = &self.batch.copies[case.copy];
            let identity = &self.identities[case.identity];
            let model = copy.model();
            let answer = match case.act {
                Act::Read => runner.check(&model, "read", identity, &record, None),
                Act::Create => runner.check(&model, "create", identity, &record, None),
                Act::Delete => runner.check(&model, "delete", identity, &record, None),
                Act::Update => runner.check(&model, "update", identity, &record, after.as_deref()),
                Act::ServiceUpdate => {
                    let after = after.expect("an after record");
                    runner.check(&model, "update", identity, &record, Some(&after))
                        && runner.check(&model, "read", identity, &after, None)
                }
                Act::LinkRead => runner.check_join(&copy.tags_table(), "read", identity, &record),
                Act::LinkCreate => {
                    runner.check_join(&copy.tags_table(), "create", identity, &record)
                }
                Act::LinkDelete => {
                    runner.check_join(&copy.tags_table(), "delete", identity, &record)
                }
            };
            answers.insert(*case, (answer, reaches));
        }
        answers
    }

    /// A readable reproduction of `case`: the model's rules, the identity, what the guards get
    /// (the row with the relations its rules follow), and the three answers.
    pub fn describe(&self, case: &Case, answers: &Answers) -> String {
        let copy = &self.batch.copies[case.copy];
        let input = self.ts_input(case);
        let mut out = format!(
            "{} ({}), {}: PostgreSQL {}{}, TypeScript {}, SQLite {}\n",
            copy.model(),
            if copy.tenant {
                "tenant-scoped"
            } else {
                "no tenant column"
            },
            case.act.name(),
            answers.pg,
            if answers.reaches_written {
                " (the checks reach the written row)"
            } else {
                ""
            },
            answers.ts,
            answers.sqlite
        );
        for line in copy.rules.to_string().lines() {
            let _ = writeln!(out, "  {line}");
        }
        let _ = writeln!(out, "identity: {}", self.identities[case.identity]);
        let label = if case.act.is_link() { "link" } else { "row" };
        let _ = writeln!(out, "{label}: {}", input.record);
        if let Some(after) = input.after {
            let _ = writeln!(out, "after: {after}");
        }
        out
    }
}

/// `"a" = <literal>, ...` for every column but the key.
fn assignments(row: &Row, literal: fn(&Value) -> String) -> String {
    row.0
        .iter()
        .filter(|(c, _)| c != "id")
        .map(|(c, v)| format!("\"{c}\" = {}", literal(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lower-case uuid in `column` of `row`.
fn uuid(row: &Row, column: &str) -> String {
    row.uuid(column)
        .unwrap_or_else(|| panic!("no uuid in `{column}` of {row:?}"))
        .to_string()
}
