//! The file from its blocks: a block is a declaration (or a few) with its lines and origins.
//! Blocks that may be left out (the runtime's sections and the generated helpers) are kept only
//! when something kept refers to them, so the file has no unused declaration (it compiles under
//! `noUnusedLocals`). Kept blocks are written in order, separated by blank lines.

use std::collections::BTreeSet;

use forge_schemas::{Origin, OutputFile};

use crate::scan::identifiers;

/// Lines of the file and where they come from.
#[derive(Default)]
pub(crate) struct Block {
    /// The name it declares, when it is kept only if used; `None` for a block always kept.
    pub optional: Option<String>,
    pub lines: Vec<String>,
    /// Lines `first..=last` (0-based, in this block) come from `model` (and `field` or `element`).
    pub origins: Vec<BlockOrigin>,
}

/// An origin inside a block.
pub(crate) struct BlockOrigin {
    pub first: usize,
    pub last: usize,
    pub model: String,
    pub field: Option<String>,
    pub element: Option<String>,
}

impl Block {
    /// A block that is always kept.
    pub fn new() -> Self {
        Block::default()
    }

    /// A block kept only when another kept block uses `name`.
    pub fn optional(name: &str) -> Self {
        Block {
            optional: Some(name.to_string()),
            ..Block::default()
        }
    }

    pub fn line(&mut self, text: impl Into<String>) {
        self.lines.push(text.into());
    }

    pub fn lines(&mut self, lines: impl IntoIterator<Item = String>) {
        self.lines.extend(lines);
    }

    /// The index of the next line.
    pub fn next(&self) -> usize {
        self.lines.len()
    }

    /// Appends `other`'s lines and origins.
    pub fn append(&mut self, other: Block) {
        let offset = self.lines.len();
        self.lines.extend(other.lines);
        self.origins
            .extend(other.origins.into_iter().map(|o| BlockOrigin {
                first: o.first + offset,
                last: o.last + offset,
                ..o
            }));
    }

    /// Lines `first` to the last one written come from `model`, or from its `element` (such as
    /// `policy:read`) or `field` when given. Nothing when no line was written since `first`.
    pub fn origin(
        &mut self,
        first: usize,
        model: &str,
        field: Option<String>,
        element: Option<String>,
    ) {
        if self.lines.len() > first {
            self.origins.push(BlockOrigin {
                first,
                last: self.lines.len() - 1,
                model: model.to_string(),
                field,
                element,
            });
        }
    }
}

/// The file `path` made of `blocks`: the kept ones in order, a blank line between two, origins
/// sorted by first line (a block before the parts inside it).
pub(crate) fn file(path: &str, blocks: &[Block]) -> OutputFile {
    let kept = kept(blocks);
    let mut lines: Vec<&str> = Vec::new();
    let mut origins = Vec::new();
    for (block, _) in blocks.iter().zip(&kept).filter(|(_, keep)| **keep) {
        if !lines.is_empty() {
            lines.push("");
        }
        let start = lines.len() + 1;
        lines.extend(block.lines.iter().map(String::as_str));
        origins.extend(block.origins.iter().map(|o| Origin {
            lines: [line_number(start + o.first), line_number(start + o.last)],
            model: Some(o.model.clone()),
            field: o.field.clone(),
            element: o.element.clone(),
        }));
    }
    origins.sort_by_key(|o| (o.lines[0], std::cmp::Reverse(o.lines[1])));
    let mut content = lines.join("\n");
    content.push('\n');
    OutputFile {
        path: path.to_string(),
        content,
        origins,
    }
}

/// Which blocks are kept: every block that is not optional, and every optional block whose name a
/// kept block uses.
fn kept(blocks: &[Block]) -> Vec<bool> {
    let mut keep: Vec<bool> = blocks.iter().map(|b| b.optional.is_none()).collect();
    let mut todo: Vec<usize> = (0..blocks.len()).filter(|&i| keep[i]).collect();
    while let Some(i) = todo.pop() {
        let text = blocks[i].lines.join("\n");
        let used: BTreeSet<&str> = identifiers(&text);
        for (j, block) in blocks.iter().enumerate() {
            if !keep[j] && block.optional.as_deref().is_some_and(|n| used.contains(n)) {
                keep[j] = true;
                todo.push(j);
            }
        }
    }
    keep
}

fn line_number(n: usize) -> u32 {
    u32::try_from(n).expect("guards.ts has fewer than 4 billion lines")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_blocks_are_kept_when_used_directly_or_not() {
        let block = |optional: Option<&str>, text: &str| {
            let mut b = optional.map_or_else(Block::new, Block::optional);
            b.line(text);
            b
        };
        let blocks = [
            block(Some("a"), "function a() { return b(); }"),
            block(Some("b"), "function b() { return 1; }"),
            block(Some("c"), "function c() { return \"a\"; }"),
            block(None, "export const x = a();"),
        ];
        let file = file("f.ts", &blocks);
        assert_eq!(
            file.content,
            "function a() { return b(); }\n\nfunction b() { return 1; }\n\nexport const x = a();\n"
        );
    }
}
