//! One interface over the three databases, so a test can run the same steps on each.

/// A database a test can change and read.
pub trait Database {
    /// Runs `sql` (one or more statements). The error names the failing statement.
    fn apply(&self, sql: &str) -> Result<(), String>;

    /// Runs `sql` and returns its rows as `psql -At` prints them: one line per row, columns
    /// separated by `|`, NULL as an empty string, no trailing newline.
    fn query(&self, sql: &str) -> Result<String, String>;
}
