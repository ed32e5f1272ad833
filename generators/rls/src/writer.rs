//! The lines of `policies.sql` and their origins (which model each range of lines comes from).

use forge_schemas::{Origin, OutputFile};

/// Lines, numbered from 1, and origins.
#[derive(Default)]
pub(crate) struct Writer {
    lines: Vec<String>,
    origins: Vec<Origin>,
}

impl Writer {
    /// The number the next line will get.
    pub fn next_line(&self) -> u32 {
        line_number(self.lines.len() + 1)
    }

    pub fn line(&mut self, text: impl Into<String>) {
        self.lines.push(text.into());
    }

    pub fn lines(&mut self, lines: impl IntoIterator<Item = String>) {
        self.lines.extend(lines);
    }

    pub fn blank(&mut self) {
        self.lines.push(String::new());
    }

    /// Lines `start` to the last one written come from `model`.
    pub fn origin(&mut self, start: u32, model: &str) {
        self.origin_of(start, model, None);
    }

    /// Lines `start` to the last one written come from `element` of `model` (e.g. `policy:read`),
    /// or from the model as a whole.
    pub fn origin_of(&mut self, start: u32, model: &str, element: Option<String>) {
        let end = line_number(self.lines.len());
        if end >= start {
            self.origins.push(Origin {
                lines: [start, end],
                model: Some(model.to_string()),
                field: None,
                element,
            });
        }
    }

    pub fn finish(mut self, path: &str) -> OutputFile {
        // By first line; a table's block before the policies inside it.
        self.origins
            .sort_by_key(|o| (o.lines[0], std::cmp::Reverse(o.lines[1])));
        let mut content = self.lines.join("\n");
        content.push('\n');
        OutputFile {
            path: path.to_string(),
            content,
            origins: self.origins,
        }
    }
}

fn line_number(n: usize) -> u32 {
    u32::try_from(n).expect("policies.sql has fewer than 4 billion lines")
}
