//! A text file written line by line, with the `origins` of its lines: which model, field or other
//! element of the schema each line (or range of lines) comes from, so that
//! `forge explain <file>:<line>` can point back at the schema.
//!
//! ```
//! use forge_plugin::Lines;
//!
//! let mut page = Lines::new();
//! let start = page.mark();
//! page.line("# Post").model("Post");
//! page.line("- title: string").model("Post").field("title");
//! page.line("- read: everyone").model("Post").element("policy:read");
//! page.since(start).model("Post");
//! assert_eq!(page.text(), "# Post\n- title: string\n- read: everyone\n");
//! assert_eq!(page.origins()[1].lines, [2, 2]);
//! assert_eq!(page.origins()[3].lines, [1, 3]);
//! ```
//!
//! When several origins hold a line, forge explains it with the narrowest.

use forge_schemas::Origin;

/// A text file being written, and the origins of its lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lines {
    text: String,
    /// Lines written so far.
    count: u32,
    origins: Vec<Origin>,
}

/// A place in a [`Lines`]: the number of the next line it will write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark(u32);

impl Lines {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `text` and a newline. Text holding newlines writes several lines, and what
    /// [`Span`] tags then covers all of them.
    pub fn line(&mut self, text: impl AsRef<str>) -> Span<'_> {
        let start = self.mark();
        let text = text.as_ref();
        self.text.push_str(text);
        self.text.push('\n');
        self.count += 1 + text.matches('\n').count() as u32;
        self.since(start)
    }

    /// Where the next line goes.
    pub fn mark(&self) -> Mark {
        Mark(self.count + 1)
    }

    /// The lines written since `mark`, to tag as a whole (nothing, when none were).
    pub fn since(&mut self, mark: Mark) -> Span<'_> {
        let lines = (mark.0 <= self.count).then_some([mark.0, self.count]);
        Span {
            origins: &mut self.origins,
            lines,
            index: None,
        }
    }

    /// The text written so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The origins recorded so far, in the order they were tagged.
    pub fn origins(&self) -> &[Origin] {
        &self.origins
    }

    /// The text and its origins.
    pub fn into_parts(self) -> (String, Vec<Origin>) {
        (self.text, self.origins)
    }
}

/// Lines just written, to say where they come from: `.model("Post").field("title")`. Tagging
/// nothing records nothing.
pub struct Span<'a> {
    origins: &'a mut Vec<Origin>,
    lines: Option<[u32; 2]>,
    /// The origin this span recorded, once tagged.
    index: Option<usize>,
}

impl Span<'_> {
    /// The lines come from this model.
    pub fn model(self, name: impl Into<String>) -> Self {
        self.tag(|o| o.model = Some(name.into()))
    }

    /// The lines come from this field (or relation) of the model.
    pub fn field(self, name: impl Into<String>) -> Self {
        self.tag(|o| o.field = Some(name.into()))
    }

    /// The lines come from another part of the model: `policy:read`, `permission:create:0`,
    /// `index:<name>`, `unique:<name>`, `check:<name>`, `pk`, `hook:<event>`.
    pub fn element(self, name: impl Into<String>) -> Self {
        self.tag(|o| o.element = Some(name.into()))
    }

    fn tag(mut self, set: impl FnOnce(&mut Origin)) -> Self {
        let Some(lines) = self.lines else {
            return self;
        };
        let index = *self.index.get_or_insert_with(|| {
            self.origins.push(Origin {
                lines,
                model: None,
                field: None,
                element: None,
            });
            self.origins.len() - 1
        });
        set(&mut self.origins[index]);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(lines: [u32; 2], model: &str, field: Option<&str>) -> Origin {
        Origin {
            lines,
            model: Some(model.into()),
            field: field.map(str::to_string),
            element: None,
        }
    }

    #[test]
    fn untagged_lines_record_no_origin() {
        let mut lines = Lines::new();
        lines.line("a");
        lines.line("");
        lines.line("b");
        assert_eq!(lines.text(), "a\n\nb\n");
        assert!(lines.origins().is_empty());
    }

    #[test]
    fn a_line_holding_newlines_counts_each_of_them() {
        let mut lines = Lines::new();
        lines.line("title");
        lines.line("one\ntwo\nthree").model("Post").field("body");
        lines.line("after").model("Post");
        assert_eq!(
            lines.origins(),
            [
                origin([2, 4], "Post", Some("body")),
                origin([5, 5], "Post", None)
            ]
        );
    }

    #[test]
    fn a_span_since_a_mark_covers_what_was_written_after_it() {
        let mut lines = Lines::new();
        lines.line("intro");
        let start = lines.mark();
        lines.since(start).model("Empty");
        assert!(lines.origins().is_empty(), "an empty span records nothing");
        lines.line("x");
        lines.line("y");
        lines.since(start).model("Post");
        assert_eq!(lines.origins(), [origin([2, 3], "Post", None)]);
        let (text, origins) = lines.into_parts();
        assert_eq!(text, "intro\nx\ny\n");
        assert_eq!(origins.len(), 1);
    }
}
