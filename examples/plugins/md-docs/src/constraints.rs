//! The primary key, unique keys, indexes and checks, one line each (its origin the element: `pk`,
//! `unique:<name>`, `index:<name>`, `check:<name>`). Bounds checks are left out: the fields table
//! shows them.

use forge_plugin::schemas::{CheckKind, IndexMethod};
use forge_plugin::{Lines, Model};

use crate::markdown::code;
use crate::prose::words;

pub fn write(page: &mut Lines, model: &Model, expressions: bool) {
    let columns = |names: &[String]| {
        let names: Vec<String> = names.iter().map(|c| code(c)).collect();
        names.join(", ")
    };
    page.line("");
    page.line("## Keys and indexes");
    page.line("");
    let pk = &model.primary_key;
    let text = format!("- Primary key {}: {}", code(&pk.name), columns(&pk.columns));
    page.line(text).model(&model.name).element("pk");
    for key in &model.uniques {
        let text = format!("- Unique {}: {}", code(&key.name), columns(&key.columns));
        let element = format!("unique:{}", key.name);
        page.line(text).model(&model.name).element(element);
    }
    for index in &model.indexes {
        let mut text = format!("- Index {}: {}", code(&index.name), columns(&index.columns));
        if index.using == IndexMethod::Gin {
            text.push_str(" (GIN on PostgreSQL)");
        }
        if let Some(condition) = &index.r#where {
            text.push_str(&format!(
                ", only over rows where {}",
                words(&condition.expr)
            ));
        }
        let element = format!("index:{}", index.name);
        page.line(text).model(&model.name).element(element);
    }
    let checks: Vec<_> = model
        .checks
        .iter()
        .filter_map(|c| match &c.kind {
            CheckKind::Expr { condition } => Some((&c.name, condition)),
            CheckKind::Bounds { .. } => None,
        })
        .collect();
    if checks.is_empty() {
        return;
    }
    page.line("");
    page.line("## Checks");
    page.line("");
    page.line("Every row must satisfy:");
    page.line("");
    for (name, condition) in checks {
        let start = page.mark();
        page.line(format!("- {}: {}", code(name), words(&condition.expr)));
        if expressions {
            page.line(format!("  - as written: {}", code(&condition.source)));
        }
        page.since(start)
            .model(&model.name)
            .element(format!("check:{name}"));
    }
}
