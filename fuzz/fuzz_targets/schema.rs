//! A schema file's bytes through the whole front end: `parse_file`, `validate` on the result, and
//! `render` of every diagnostic (syntax errors and validation findings) with the file as source.
//! None of them may panic, whatever the input.

#![no_main]

use forge_frontend::{ParsedFile, Sources, SpanTable, parse_file, render, validate};
use libfuzzer_sys::fuzz_target;

const PATH: &str = "schema/fuzz.kdl";

/// The one fuzzed file as the renderer's source.
struct OneFile<'a> {
    text: &'a str,
    spans: &'a SpanTable,
}

impl Sources for OneFile<'_> {
    fn source(&self, file: &str) -> Option<(&str, &SpanTable)> {
        (file == PATH).then_some((self.text, self.spans))
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (parsed, mut diags): (ParsedFile, _) = parse_file(PATH, text);
    let validated = validate(&[&parsed]);
    // Contract of `Validated`: no IR if and only if there is an error among its diagnostics.
    assert_eq!(
        validated.ir.is_none(),
        validated.diagnostics.iter().any(|d| d.is_error()),
    );
    diags.extend(validated.diagnostics);
    let sources = OneFile {
        text,
        spans: &parsed.spans,
    };
    let _ = render(&diags, &sources, false);
});
