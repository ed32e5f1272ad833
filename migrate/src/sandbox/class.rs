//! Why a database refused a statement of the history, from its error: the class, and a repair to
//! suggest for it. SQLite's errors come from rusqlite ([`FailureClass::of`]); a server's
//! (PostgreSQL, MySQL) from its SQLSTATE and message ([`FailureClass::of_server`]).

use std::fmt;

use rusqlite::ErrorCode;

/// `SQLITE_CONSTRAINT_DATATYPE`: a STRICT table refused a value of another type.
const CONSTRAINT_DATATYPE: i32 = 3091;

/// What kind of problem stopped the replay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureClass {
    /// `no such table`.
    MissingTable,
    /// `no such column`, `table t has no column named c`.
    MissingColumn,
    /// `no such index`.
    MissingIndex,
    /// A table, index or column whose name is taken.
    AlreadyExists,
    /// `datatype mismatch`, or a STRICT table's `cannot store`.
    TypeMismatch,
    /// A row breaks a NOT NULL, UNIQUE, PRIMARY KEY, CHECK or FOREIGN KEY constraint.
    ConstraintViolation,
    /// The database cannot parse the statement.
    Syntax,
    /// PostgreSQL waited longer than `lock_timeout` for a lock another session holds.
    LockTimeout,
    /// The role forge connected as may not do this.
    Permission,
    /// A transaction opened twice, closed without being open, or left open.
    Transaction,
    /// Anything else.
    Other,
}

impl FailureClass {
    /// The class of SQLite's error `error`.
    pub(crate) fn of(error: &rusqlite::Error) -> FailureClass {
        match error.sqlite_error() {
            Some(e) if e.extended_code == CONSTRAINT_DATATYPE => FailureClass::TypeMismatch,
            Some(e) if e.code == ErrorCode::ConstraintViolation => {
                FailureClass::ConstraintViolation
            }
            Some(e) if e.code == ErrorCode::TypeMismatch => FailureClass::TypeMismatch,
            _ => FailureClass::of_message(&message(error)),
        }
    }

    /// The class of a server's error: its SQLSTATE (PostgreSQL's, or the one MySQL gives with
    /// its error number) and its message.
    pub fn of_server(sqlstate: Option<&str>, message: &str) -> FailureClass {
        match sqlstate.unwrap_or_default() {
            "42P01" | "42S02" => FailureClass::MissingTable,
            "42703" | "42S22" => FailureClass::MissingColumn,
            "42P07" | "42701" | "42710" | "42P06" | "42S01" | "42S21" => {
                FailureClass::AlreadyExists
            }
            "42804" | "42846" | "22P02" | "22001" | "22003" | "22007" | "22008" | "01000" => {
                FailureClass::TypeMismatch
            }
            "42601" => FailureClass::Syntax,
            "55P03" => FailureClass::LockTimeout,
            "42501" => FailureClass::Permission,
            code if code.starts_with("23") => FailureClass::ConstraintViolation,
            code if code.starts_with("25") => FailureClass::Transaction,
            _ => {
                let lower = message.to_ascii_lowercase();
                let has = |text: &str| lower.contains(text);
                if has("doesn't exist") && has("table") {
                    FailureClass::MissingTable
                } else if has("unknown column") {
                    FailureClass::MissingColumn
                } else if has("syntax") {
                    FailureClass::Syntax
                } else if has("access denied") || has("permission denied") {
                    FailureClass::Permission
                } else if has("constraint") && (has("fail") || has("violat")) {
                    FailureClass::ConstraintViolation
                } else {
                    FailureClass::of_message(&lower)
                }
            }
        }
    }

    fn of_message(message: &str) -> FailureClass {
        let has = |text: &str| message.contains(text);
        if has("no such table") {
            FailureClass::MissingTable
        } else if has("no such column") || has("has no column named") {
            FailureClass::MissingColumn
        } else if has("no such index") {
            FailureClass::MissingIndex
        } else if has("already exists")
            || has("duplicate column name")
            || has("there is already another table or index")
        {
            FailureClass::AlreadyExists
        } else if has("syntax error") || has("incomplete input") || has("unrecognized token") {
            FailureClass::Syntax
        } else if has("transaction") {
            FailureClass::Transaction
        } else {
            FailureClass::Other
        }
    }

    /// The class in words: `missing column`.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::MissingTable => "missing table",
            FailureClass::MissingColumn => "missing column",
            FailureClass::MissingIndex => "missing index",
            FailureClass::AlreadyExists => "name already taken",
            FailureClass::TypeMismatch => "type mismatch",
            FailureClass::ConstraintViolation => "constraint violation",
            FailureClass::Syntax => "syntax error",
            FailureClass::LockTimeout => "lock timeout",
            FailureClass::Permission => "permission denied",
            FailureClass::Transaction => "transaction error",
            FailureClass::Other => "other error",
        }
    }

    /// A one-line repair for this class of `error` (the database's message, which names the
    /// object).
    pub fn repair(self, error: &str) -> String {
        let named = named_object(error);
        let object = |what: &str| match &named {
            Some(name) => format!("{what} `{name}`"),
            None => format!("the {what}"),
        };
        match self {
            FailureClass::MissingTable => format!(
                "{} does not exist at this point of the history: create it in an earlier migration (or earlier in this one), or use the name it has here, since a rename takes effect in the migration that makes it",
                object("table")
            ),
            FailureClass::MissingColumn => format!(
                "{} does not exist at this point of the history: add it in an earlier migration (or earlier in this one), or use the name it has here, since a rename takes effect in the migration that makes it",
                object("column")
            ),
            FailureClass::MissingIndex => format!(
                "{} does not exist at this point of the history: use the name an earlier migration gave it, or write DROP INDEX IF EXISTS",
                object("index")
            ),
            FailureClass::AlreadyExists => format!(
                "{} already exists at this point of the history: drop or rename it first, or remove this statement if an earlier migration already makes it",
                object("name")
            ),
            FailureClass::TypeMismatch => "a value does not fit the column's type: convert it (CAST, or an UPDATE before this statement), or change the column's type first".to_string(),
            FailureClass::ConstraintViolation => constraint_repair(error).to_string(),
            FailureClass::Syntax => "the database cannot parse the statement: fix it (was it written for another database?)".to_string(),
            FailureClass::LockTimeout => "another session holds a lock on the table for longer than the script's lock_timeout: run the migration again when the table is quiet (it resumes where it stopped), or raise lock_timeout at the top of the file".to_string(),
            FailureClass::Permission => "the role forge connected as may not run this statement: apply migrations as the role that owns the tables, or grant it what the statement needs".to_string(),
            FailureClass::Transaction => "each migration opens and closes its own transactions: every BEGIN needs its COMMIT in the same file, and nothing else may open one".to_string(),
            FailureClass::Other => "fix the statement so that the database accepts it, or move it to a migration where what it needs exists".to_string(),
        }
    }
}

impl fmt::Display for FailureClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// SQLite's message of `error`, without the statement rusqlite adds to errors of preparation.
pub(crate) fn message(error: &rusqlite::Error) -> String {
    match error {
        rusqlite::Error::SqliteFailure(_, Some(msg))
        | rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

/// The repair of a constraint violation, by the constraint's kind.
fn constraint_repair(error: &str) -> &'static str {
    let lower = error.to_ascii_lowercase();
    let has = |text: &str| lower.contains(text);
    if error.starts_with("NOT NULL") || has("not-null") || has("cannot be null") {
        "rows written earlier in the history hold null there: give them a value (an UPDATE before this statement) or give the column a DEFAULT"
    } else if error.starts_with("UNIQUE")
        || error.starts_with("PRIMARY KEY")
        || has("duplicate key")
        || has("duplicate entry")
        || has("could not create unique index")
    {
        "rows written earlier in the history repeat the key: change or delete the repeats in a statement before this one"
    } else if error.starts_with("FOREIGN KEY")
        || error.contains("every foreign key holds")
        || has("foreign key")
    {
        "rows written earlier in the history point at no row: delete them, or insert the rows they point at, before this statement"
    } else {
        "rows written earlier in the history break the check: update or delete them in a statement before this one, or relax the check"
    }
}

/// The table, column or index an error message names: `no such column: "pinned"` gives
/// `pinned`.
fn named_object(error: &str) -> Option<String> {
    // A server quotes the name: `relation "note" does not exist`, `Unknown column 'pinned'`.
    let quoted = |q: char| {
        let (_, rest) = error.split_once(q)?;
        let (name, _) = rest.split_once(q)?;
        let name = name.rsplit('.').next().unwrap_or(name);
        (!name.is_empty() && !name.contains(' ')).then(|| name.to_string())
    };
    let server = [
        "does not exist",
        "doesn't exist",
        "Unknown column",
        "Duplicate column",
    ]
    .iter()
    .any(|m| error.contains(m))
        || (error.contains("already exists") && !error.starts_with("table "));
    if server && let Some(name) = quoted('"').or_else(|| quoted('\'')) {
        return Some(name);
    }
    let raw = if let Some((_, after)) = error.split_once(" has no column named ") {
        after
    } else if let Some((before, _)) = error.split_once(" already exists") {
        before.rsplit(' ').next().unwrap_or(before)
    } else {
        error.rsplit_once(": ")?.1
    };
    let name = raw
        .trim()
        .trim_matches(|c| matches!(c, '"' | '`' | '[' | ']' | '\''));
    let name = name.strip_prefix("main.").unwrap_or(name);
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_give_classes() {
        let cases = [
            ("no such table: main.note", FailureClass::MissingTable),
            ("no such column: \"pinned\"", FailureClass::MissingColumn),
            (
                "table note has no column named pinned",
                FailureClass::MissingColumn,
            ),
            ("no such index: note_idx", FailureClass::MissingIndex),
            ("table \"note\" already exists", FailureClass::AlreadyExists),
            ("duplicate column name: title", FailureClass::AlreadyExists),
            ("near \"ALTER\": syntax error", FailureClass::Syntax),
            (
                "cannot start a transaction within a transaction",
                FailureClass::Transaction,
            ),
            ("out of memory", FailureClass::Other),
        ];
        for (message, class) in cases {
            assert_eq!(FailureClass::of_message(message), class, "{message}");
        }
    }

    #[test]
    fn server_errors_give_classes_and_names() {
        let cases = [
            (
                Some("42P01"),
                "relation \"note\" does not exist",
                FailureClass::MissingTable,
                "table `note`",
            ),
            (
                Some("42S22"),
                "Unknown column 'pinned' in 'field list'",
                FailureClass::MissingColumn,
                "column `pinned`",
            ),
            (
                Some("42S02"),
                "Table 'shop.note' doesn't exist",
                FailureClass::MissingTable,
                "table `note`",
            ),
            (
                Some("42701"),
                "column \"title\" of relation \"note\" already exists",
                FailureClass::AlreadyExists,
                "name `title`",
            ),
            (
                Some("23502"),
                "null value in column \"title\" of relation \"note\" violates not-null constraint",
                FailureClass::ConstraintViolation,
                "give them a value",
            ),
            (
                Some("23000"),
                "Duplicate entry 'a' for key 'note_title_key'",
                FailureClass::ConstraintViolation,
                "repeat the key",
            ),
            (
                Some("55P03"),
                "canceling statement due to lock timeout",
                FailureClass::LockTimeout,
                "lock_timeout",
            ),
            (
                None,
                "permission denied for table note",
                FailureClass::Permission,
                "role",
            ),
        ];
        for (code, message, class, repair) in cases {
            assert_eq!(FailureClass::of_server(code, message), class, "{message}");
            let said = class.repair(message);
            assert!(said.contains(repair), "{message}: {said}");
        }
    }

    #[test]
    fn the_repair_names_the_object() {
        let repair = FailureClass::MissingColumn.repair("no such column: \"pinned\"");
        assert!(
            repair.starts_with("column `pinned` does not exist"),
            "{repair}"
        );
        let repair = FailureClass::AlreadyExists.repair("table \"note\" already exists");
        assert!(repair.starts_with("name `note` already exists"), "{repair}");
        let repair = FailureClass::MissingTable.repair("no such table: main.tag");
        assert!(repair.starts_with("table `tag` does not"), "{repair}");
        let repair =
            FailureClass::ConstraintViolation.repair("UNIQUE constraint failed: note.title");
        assert!(repair.contains("repeat the key"), "{repair}");
    }
}
