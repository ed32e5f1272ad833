//! Source positions kept outside the AST: the AST holds [`SpanId`]s, a file's [`SpanTable`] maps
//! them to byte ranges.

use serde::{Deserialize, Serialize};

/// An index into a file's [`SpanTable`]. Ids are handed out in traversal order, so two parses of
/// files that differ only in comments or layout give the same ids to the same elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SpanId(pub u32);

/// Byte ranges (`start`, `len`) of one file, indexed by [`SpanId`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanTable {
    pub spans: Vec<(u32, u32)>,
}

impl SpanTable {
    /// Records a byte range and returns its id.
    pub fn push(&mut self, start: usize, len: usize) -> SpanId {
        let id = SpanId(self.spans.len() as u32);
        self.spans.push((start as u32, len as u32));
        id
    }

    /// The byte range of `id`, or an empty range at 0 for an unknown id.
    pub fn get(&self, id: SpanId) -> (usize, usize) {
        self.spans
            .get(id.0 as usize)
            .map(|&(s, l)| (s as usize, l as usize))
            .unwrap_or((0, 0))
    }
}
