//! Why SQLite refused a statement of the history, from its error: the class, and a repair to
//! suggest for it.

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
    /// SQLite cannot parse the statement.
    Syntax,
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
            FailureClass::Transaction => "transaction error",
            FailureClass::Other => "other error",
        }
    }

    /// A one-line repair for this class of `error` (SQLite's message, which names the object).
    pub(crate) fn repair(self, error: &str) -> String {
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
            FailureClass::Syntax => "SQLite cannot parse the statement: fix it (was it written for another database?)".to_string(),
            FailureClass::Transaction => "each migration opens and closes its own transactions: every BEGIN needs its COMMIT in the same file, and nothing else may open one".to_string(),
            FailureClass::Other => "fix the statement so that SQLite accepts it, or move it to a migration where what it needs exists".to_string(),
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
    if error.starts_with("NOT NULL") {
        "rows written earlier in the history hold null there: give them a value (an UPDATE before this statement) or give the column a DEFAULT"
    } else if error.starts_with("UNIQUE") || error.starts_with("PRIMARY KEY") {
        "rows written earlier in the history repeat the key: change or delete the repeats in a statement before this one"
    } else if error.starts_with("FOREIGN KEY") || error.contains("every foreign key holds") {
        "rows written earlier in the history point at no row: delete them, or insert the rows they point at, before this statement"
    } else {
        "rows written earlier in the history break the check: update or delete them in a statement before this one, or relax the check"
    }
}

/// The table, column or index an error message names: `no such column: "pinned"` gives
/// `pinned`.
fn named_object(error: &str) -> Option<String> {
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
