//! Markdown that survives any name or expression: code spans whose fence outgrows the backticks
//! inside, table cells whose pipes are escaped, links between model pages, and lists in words.

use forge_plugin::schemas::snake_case;

/// `text` as a code span, on one line.
pub fn code(text: &str) -> String {
    let text = one_line(text);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// Whitespace runs (newlines included) as single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A row of a table: each cell with its pipes escaped (also needed inside code spans).
pub fn row(cells: &[String]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
    format!("| {} |", cells.join(" | "))
}

/// The page of model `name`, relative to the `docs/` folder every page is in.
pub fn page_file(name: &str) -> String {
    format!("{}.md", snake_case(name))
}

/// A link to the page of model `name`.
pub fn model_link(name: &str) -> String {
    let label = name.replace('[', "\\[").replace(']', "\\]");
    format!("[{label}]({})", page_file(name))
}

/// `a`, `a or b`, `a, b or c` (with `word` for "or").
pub fn list(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_backticks_and_stay_on_one_line() {
        assert_eq!(code("title"), "`title`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("a ==\n  b"), "`a == b`");
    }

    #[test]
    fn table_cells_escape_pipes() {
        let cells = [code("a || b"), "yes".to_string()];
        assert_eq!(row(&cells), "| `a \\|\\| b` | yes |");
    }

    #[test]
    fn lists_and_links_read_naturally() {
        let items = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(list(&items(&["a"]), "or"), "a");
        assert_eq!(list(&items(&["a", "b", "c"]), "or"), "a, b or c");
        assert_eq!(model_link("BlogPost"), "[BlogPost](blog_post.md)");
    }
}
