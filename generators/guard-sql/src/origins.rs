//! Which lines of `<dialect>.json` come from which model: each table's entry (a join table's to
//! the model that declares the relation), and within a model's entry each action, to the policy
//! or permission line it comes from (for `forge explain`).
//!
//! The file is serde_json's pretty output, in which every string stays on one line: an entry of
//! `tables` is the lines from `    {` to `    }` (four spaces), an action the lines from
//! `      "read": {` to `      }` (six spaces), and nothing else starts at those indents.

use forge_schemas::{Action, Ir, Origin};

use crate::access::source_element;
use crate::format::Guards;

/// The origins of `content`, the pretty JSON of `file`, built from `ir`.
pub(crate) fn origins(content: &str, file: &Guards, ir: &Ir) -> Vec<Origin> {
    let lines: Vec<&str> = content.lines().collect();
    let closes = |at: usize, indent: &str| {
        (at..lines.len())
            .find(|&i| lines[i] == format!("{indent}}}") || lines[i] == format!("{indent}}},"))
            .expect("every object of the file is closed")
    };
    let mut out = Vec::new();
    let mut tables = file.tables.iter();
    let mut at = 0;
    while at < lines.len() {
        if lines[at] != "    {" {
            at += 1;
            continue;
        }
        let end = closes(at, "    ");
        let table = tables.next().expect("one entry per table");
        out.push(origin(at, end, &table.model, None));
        // A join table's actions all follow the declaring model's rules as a whole.
        let model = ir.model(&table.model).filter(|_| table.relation.is_none());
        for action in Action::CONCRETE {
            let key = format!("      \"{}\": {{", action.as_str());
            let Some(start) = (at..end).find(|&i| lines[i] == key) else {
                continue;
            };
            let element = model.and_then(|m| source_element(m, action));
            out.push(origin(
                start,
                closes(start, "      "),
                &table.model,
                element,
            ));
        }
        at = end + 1;
    }
    out
}

/// Lines `start..=end` (0-based) come from `model` (its `element`, when given).
fn origin(start: usize, end: usize, model: &str, element: Option<String>) -> Origin {
    let number = |i: usize| u32::try_from(i + 1).expect("fewer than 4 billion lines");
    Origin {
        lines: [number(start), number(end)],
        model: Some(model.to_string()),
        field: None,
        element,
    }
}
