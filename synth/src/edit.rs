//! Helpers for incremental-build tests: where a model lives, and a project with one edit.

use crate::names::model_name;

/// The path of the file in `project` that declares model `model_index` (0 is `Tenant`).
///
/// # Panics
/// When no file declares that model (the index is out of range for this project).
pub fn model_file(project: &[(String, String)], model_index: usize) -> &str {
    let header = model_header(model_index);
    project
        .iter()
        .find(|(_, text)| text.lines().any(|line| line == header))
        .map(|(path, _)| path.as_str())
        .unwrap_or_else(|| {
            panic!(
                "no file declares model {model_index} ({})",
                model_name(model_index)
            )
        })
}

/// `project` with one optional string field added to model `model_index`, right after its `id`
/// (and after the fields earlier calls added). Only that model's file changes; calling it again
/// adds another field (`added_field_1`, `added_field_2`, ...).
///
/// # Panics
/// When no file declares that model.
pub fn with_added_field(project: &[(String, String)], model_index: usize) -> Vec<(String, String)> {
    let path = model_file(project, model_index).to_owned();
    let header = model_header(model_index);
    project
        .iter()
        .map(|(p, text)| {
            if *p == path {
                (p.clone(), add_field(text, &header))
            } else {
                (p.clone(), text.clone())
            }
        })
        .collect()
}

fn model_header(model_index: usize) -> String {
    format!("model {} {{", model_name(model_index))
}

fn add_field(text: &str, header: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == header)
        .expect("the model is in this file");
    let end = start
        + lines[start..]
            .iter()
            .position(|l| *l == "}")
            .expect("the model block ends");
    let body = &lines[start + 1..end];
    let added = body
        .iter()
        .filter(|l| l.starts_with("  added_field_"))
        .count();
    let after = body
        .iter()
        .rposition(|l| l.starts_with("  added_field_"))
        .or_else(|| body.iter().position(|l| l.starts_with("  id ")))
        .map_or(0, |i| i + 1);
    let line = format!("  added_field_{} string max=100 optional=#true", added + 1);
    lines.insert(start + 1 + after, &line);
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}
