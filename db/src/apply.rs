//! `forge migrate apply`: the history's pending migrations run on a live database, each from its
//! dialect's file as committed (`postgres.sql`, ...), statement by statement, with the file's own
//! transactions (`BEGIN;` ... `COMMIT;`). Progress is recorded in `_forge_migrations` inside each
//! transaction, so a migration stopped half-way (a lock timeout, a row a new constraint refuses)
//! resumes after its last committed statement.
//!
//! Before anything runs, the history and the database must agree: a migration whose files
//! changed after it was applied, one applied here that the history lacks, or a pending one
//! before an applied one stops the command with what to do. Only one `apply` runs at a time on
//! a server database (an advisory lock).

use std::time::Instant;

use forge_gen_sql::Dialect;
use forge_migrate::{FailureClass, Migration, split_statements};

use crate::connection::{Db, error_code, error_message};
use crate::error::DbError;
use crate::history::{self, AppliedMigration};
use crate::status::{State, compare, file_digests};

/// What `apply` did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyReport {
    /// The migrations it ran, in order.
    pub applied: Vec<AppliedStep>,
    /// Migrations that were applied already.
    pub already: usize,
}

/// One migration run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedStep {
    pub id: String,
    /// Statements it ran now.
    pub statements: u64,
    /// The statements it skipped because an earlier run had committed them.
    pub resumed_after: Option<u64>,
    pub millis: u128,
}

/// A statement the database refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "migration {migration}, {file} line {line}: {class}: {error}\n  in the statement: {statement}\n  help: {repair}\n  note: {state}"
)]
pub struct StatementFailure {
    pub migration: String,
    /// `postgres.sql`.
    pub file: String,
    pub line: usize,
    pub statement: String,
    pub error: String,
    pub class: FailureClass,
    pub repair: String,
    /// What stays applied of the migration.
    pub state: String,
}

/// A statement of a script, as `apply` runs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Begin,
    Commit,
    /// `ROLLBACK`: a migration file may not undo its own work.
    Rollback,
    /// A statement that sets up the session (`SET lock_timeout`, `SET NAMES`, `PRAGMA
    /// foreign_keys`): made again when a migration resumes, and not progress by itself.
    Session,
    Work,
}

fn step(statement: &str) -> Step {
    let words: Vec<String> = statement
        .trim()
        .trim_end_matches(';')
        .split_whitespace()
        .take(2)
        .map(str::to_ascii_uppercase)
        .collect();
    let second = words.get(1).map(String::as_str);
    match words.first().map(String::as_str) {
        Some("BEGIN") => Step::Begin,
        Some("START") if second == Some("TRANSACTION") => Step::Begin,
        Some("COMMIT" | "END") => Step::Commit,
        Some("ROLLBACK") => Step::Rollback,
        Some("SET") => Step::Session,
        Some("PRAGMA") if second.is_some_and(|w| w.starts_with("FOREIGN_KEYS")) => Step::Session,
        _ => Step::Work,
    }
}

/// Why the transactions of a script do not nest as `apply` needs (every `BEGIN` closed by a
/// `COMMIT` before the next one and before the end, no `ROLLBACK`), with the statement's line.
fn shape_error(steps: &[Step], lines: &[usize]) -> Option<(usize, &'static str)> {
    let mut open: Option<usize> = None;
    for (kind, &line) in steps.iter().zip(lines) {
        match (kind, open) {
            (Step::Begin, Some(_)) => return Some((line, "a BEGIN inside an open transaction")),
            (Step::Begin, None) => open = Some(line),
            (Step::Commit, None) => return Some((line, "a COMMIT outside any transaction")),
            (Step::Commit, Some(_)) => open = None,
            (Step::Rollback, _) => return Some((line, "a ROLLBACK")),
            _ => {}
        }
    }
    open.map(|line| (line, "a BEGIN whose transaction the file never commits"))
}

/// Applies every pending migration of `history` (in order) to `db`.
pub fn apply(db: &mut Db, history: &[Migration]) -> Result<ApplyReport, DbError> {
    lock(db)?;
    let result = apply_locked(db, history);
    unlock(db);
    result
}

fn apply_locked(db: &mut Db, history: &[Migration]) -> Result<ApplyReport, DbError> {
    history::ensure_table(db)?;
    let recorded = history::read(db)?;
    let states = compare(history, &recorded);
    if let Some(wrong) = states.iter().find(|s| s.state.is_wrong()) {
        return Err(DbError::Invalid(refusal(db, &wrong.id, &wrong.state)));
    }
    let mut report = ApplyReport::default();
    for (migration, status) in history.iter().zip(&states) {
        let resume = match status.state {
            State::Applied => {
                report.already += 1;
                continue;
            }
            State::Partial { done, .. } => Some(done),
            _ => None,
        };
        let started = Instant::now();
        let ran = run_migration(db, migration, resume)?;
        report.applied.push(AppliedStep {
            id: migration.dir.clone(),
            statements: ran,
            resumed_after: resume.filter(|d| *d > 0),
            millis: started.elapsed().as_millis(),
        });
    }
    Ok(report)
}

/// Runs one migration (after `resume` statements, when an earlier run stopped there); returns
/// how many statements ran.
fn run_migration(db: &mut Db, migration: &Migration, resume: Option<u64>) -> Result<u64, DbError> {
    let dialect = db.dialect();
    let file = format!("{dialect}.sql");
    let text = migration
        .files
        .get(&file)
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .ok_or_else(|| {
            DbError::Invalid(format!(
                "migration {} has no {file}\n  help: every migration folder holds one script per dialect; restore it from version control",
                migration.dir
            ))
        })?;
    let statements = split_statements(&text);
    let steps: Vec<Step> = statements.iter().map(|s| step(s.text)).collect();
    let lines: Vec<usize> = statements.iter().map(|s| s.line).collect();
    if let Some((line, what)) = shape_error(&steps, &lines) {
        return Err(DbError::Invalid(format!(
            "migration {}, {file} line {line}: {what}; nothing was run\n  help: a migration opens and commits its own transactions: every BEGIN needs its COMMIT in the same file, one at a time",
            migration.dir
        )));
    }
    let counted = |s: &Step| matches!(s, Step::Work | Step::Session);
    let total = steps.iter().filter(|s| counted(s)).count() as u64;
    let row = AppliedMigration {
        id: migration.dir.clone(),
        checksum: migration.checksum(),
        files: file_digests(migration),
        statements_done: 0,
        statements: total,
        applied_at: None,
    };
    history::start(db, &row, resume.is_some())?;
    let skip = resume.unwrap_or(0);
    let mut run = Run {
        migration,
        file: &file,
        // A resumed migration may have committed statements already.
        anything_applied: steps
            .iter()
            .filter(|s| counted(s))
            .take(usize::try_from(skip).unwrap_or(usize::MAX))
            .any(|s| *s == Step::Work),
    };
    // MySQL commits each DDL statement even inside BEGIN: its progress is recorded after each.
    let autocommits = dialect == Dialect::Mysql;
    let mut index = 0u64; // statements (BEGIN and COMMIT aside) met so far
    let mut in_transaction = false;
    let mut block_skipped = false;
    let mut block_work = false;
    let mut ran = 0u64;
    for (statement, kind) in statements.iter().zip(&steps) {
        let position = index;
        if counted(kind) {
            index += 1;
        }
        // An earlier run committed everything before `skip`: always at the end of a
        // transaction or after a statement outside one.
        let done_before = position < skip;
        match kind {
            Step::Begin => {
                block_skipped = done_before;
                if block_skipped {
                    continue;
                }
                db.execute(statement.text)
                    .map_err(|e| run.fail(db, statement, e, false))?;
                in_transaction = true;
                block_work = false;
            }
            Step::Commit => {
                if block_skipped {
                    block_skipped = false;
                    continue;
                }
                // The progress commits with the statements it counts.
                history::progress(db, &migration.dir, index)
                    .map_err(|e| run.fail(db, statement, e, true))?;
                db.execute(statement.text)
                    .map_err(|e| run.fail(db, statement, e, true))?;
                in_transaction = false;
                run.anything_applied |= block_work;
            }
            Step::Rollback => unreachable!("refused by shape_error"),
            Step::Session if done_before => {
                // Settings of the session are made again when a migration resumes.
                if !block_skipped && !in_transaction {
                    db.execute(statement.text)
                        .map_err(|e| run.fail(db, statement, e, false))?;
                }
            }
            Step::Work if done_before => {}
            Step::Session => {
                // Recorded with the next statement that does some work.
                db.execute(statement.text)
                    .map_err(|e| run.fail(db, statement, e, in_transaction))?;
            }
            Step::Work => {
                db.execute(statement.text)
                    .map_err(|e| run.fail(db, statement, e, in_transaction))?;
                ran += 1;
                block_work = true;
                if !in_transaction || autocommits {
                    run.anything_applied = true;
                    history::progress(db, &migration.dir, index).map_err(|source| {
                        let mut error = DbError::query(db, "writing to _forge_migrations", source);
                        if let DbError::Query { error: e, .. } = &mut error {
                            e.push_str(&format!("; the statement at {file} line {} ran, but is not recorded: `forge migrate apply` will run it again", statement.line));
                        }
                        error
                    })?;
                }
            }
        }
    }
    history::finish(db, &migration.dir, total)?;
    Ok(ran)
}

/// The migration being run, for its failure.
struct Run<'a> {
    migration: &'a Migration,
    file: &'a str,
    /// True once a statement (not a setting) of the migration is committed.
    anything_applied: bool,
}

impl Run<'_> {
    /// The failure of `statement`: the open transaction rolled back, and the history row
    /// removed when nothing of the migration stays applied (it is simply pending again).
    fn fail(
        &self,
        db: &mut Db,
        statement: &forge_migrate::SourceStatement<'_>,
        error: sqlx::Error,
        in_transaction: bool,
    ) -> DbError {
        let message = error_message(&error);
        let class = match db.dialect() {
            Dialect::Sqlite => FailureClass::of_server(None, &message),
            _ => FailureClass::of_server(error_code(&error).as_deref(), &message),
        };
        if in_transaction {
            // The database may have ended the transaction itself; a ROLLBACK then only warns.
            let _ = db.execute("ROLLBACK");
        }
        let id = &self.migration.dir;
        let state = if self.anything_applied {
            "the statements of this migration before this one's transaction stay applied (recorded in _forge_migrations); `forge migrate apply` resumes after them, from the file as it is committed".to_string()
        } else {
            // Nothing of it stays: the migration is simply pending again. A row that cannot be
            // removed says "stopped after 0 statements", which `apply` treats as pending too.
            let _ = history::remove(db, id);
            "nothing of this migration was applied: fix the file (or the rows) and run `forge migrate apply` again".to_string()
        };
        DbError::Statement(Box::new(StatementFailure {
            migration: id.clone(),
            file: self.file.to_string(),
            line: statement.line,
            statement: statement.text.trim().to_string(),
            repair: repair(class, &message, statement.text),
            error: message,
            class,
            state,
        }))
    }
}

/// The repair of a failed statement: its class's, and for a `CREATE INDEX CONCURRENTLY` the
/// invalid index PostgreSQL leaves behind.
fn repair(class: FailureClass, message: &str, statement: &str) -> String {
    let repair = class.repair(message);
    if statement
        .to_ascii_uppercase()
        .contains("INDEX CONCURRENTLY")
    {
        format!(
            "{repair}; a failed CREATE INDEX CONCURRENTLY leaves an invalid index: drop it (DROP INDEX CONCURRENTLY IF EXISTS ...) before running again"
        )
    } else {
        repair
    }
}

/// What to do when the history and the database disagree about `id`.
fn refusal(db: &Db, id: &str, state: &State) -> String {
    let help = match state {
        State::Edited {
            unfinished: true, ..
        } => format!(
            "{id} stopped half-way, and its files changed since it started: restore them as they were, fix what stopped it (rows, locks) and run `forge migrate apply` again, which resumes it; to change the statements it has not run yet, first undo the ones it ran by hand and delete its row from _forge_migrations"
        ),
        State::Edited { .. } => format!(
            "an applied migration must stay as it was: restore {id} from version control and put the change in a new migration (`forge migrate new NAME`)"
        ),
        State::OutOfOrder { after } => format!(
            "{id} came after {after} was applied (two branches merged?): give {id} a number after the last applied one (rename its folder and regenerate it with `forge migrate new`), so that every database applies the history in one order"
        ),
        State::NotInHistory => format!(
            "the database is ahead of this checkout: pull the branch that has {id}, or apply from it"
        ),
        _ => String::new(),
    };
    format!(
        "{}: refusing to apply: migration {id}: {}\n  help: {help}",
        db.url(),
        state.describe()
    )
}

/// Only one `apply` at a time on a server.
fn lock(db: &mut Db) -> Result<(), DbError> {
    let sql = match db.dialect() {
        Dialect::Postgres => "SELECT pg_try_advisory_lock(7302461055218764)::text",
        Dialect::Mysql => {
            "SELECT CAST(GET_LOCK(CONCAT('forge_migrations.', DATABASE()), 0) AS CHAR)"
        }
        Dialect::Sqlite => return Ok(()),
    };
    let rows = db
        .rows(sql, &[])
        .map_err(|source| DbError::query(db, "taking the migration lock", source))?;
    let got = rows.first().and_then(|r| r.first()).cloned().flatten();
    match got.as_deref() {
        Some("true" | "1") => Ok(()),
        None => Err(DbError::Invalid(format!(
            "{}: the URL names no database\n  help: add the database's name to the URL: mysql://user@host:3306/shop",
            db.url()
        ))),
        Some(_) => Err(DbError::Invalid(format!(
            "{}: another `forge migrate apply` is running on this database\n  help: wait for it to end, then run this one again",
            db.url()
        ))),
    }
}

fn unlock(db: &mut Db) {
    let sql = match db.dialect() {
        Dialect::Postgres => "SELECT pg_advisory_unlock(7302461055218764)::text",
        Dialect::Mysql => {
            "SELECT CAST(RELEASE_LOCK(CONCAT('forge_migrations.', DATABASE())) AS CHAR)"
        }
        Dialect::Sqlite => return,
    };
    // The lock ends with the session anyway.
    let _ = db.rows(sql, &[]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_told_apart() {
        assert_eq!(step("BEGIN;"), Step::Begin);
        assert_eq!(step("BEGIN IMMEDIATE;"), Step::Begin);
        assert_eq!(step("commit;"), Step::Commit);
        assert_eq!(step("SET lock_timeout = '5s';"), Step::Session);
        assert_eq!(step("PRAGMA foreign_keys = OFF;"), Step::Session);
        assert_eq!(step("PRAGMA foreign_key_check;"), Step::Work);
        assert_eq!(step("ALTER TABLE \"post\" ADD COLUMN x int;"), Step::Work);
        assert_eq!(step("START TRANSACTION;"), Step::Begin);
        assert_eq!(step("END;"), Step::Commit);
        assert_eq!(step("rollback;"), Step::Rollback);
    }

    #[test]
    fn transactions_must_open_and_close_one_at_a_time() {
        use Step::*;
        let lines = [1, 2, 3, 4, 5];
        assert_eq!(
            shape_error(&[Session, Begin, Work, Commit, Work], &lines),
            None
        );
        assert_eq!(
            shape_error(&[Begin, Begin, Work, Commit, Commit], &lines),
            Some((2, "a BEGIN inside an open transaction"))
        );
        assert_eq!(
            shape_error(&[Work, Commit], &lines),
            Some((2, "a COMMIT outside any transaction"))
        );
        assert_eq!(
            shape_error(&[Begin, Work, Rollback], &lines),
            Some((3, "a ROLLBACK"))
        );
        assert_eq!(
            shape_error(&[Work, Begin, Work], &lines),
            Some((2, "a BEGIN whose transaction the file never commits"))
        );
    }
}
