//! forge.kdl's bytes through `parse_config`, and the diagnostics through `render` with the file as
//! source. Neither may panic, whatever the input.

#![no_main]

use forge_frontend::config::parse_config;
use forge_frontend::{Sources, SpanTable, render};
use libfuzzer_sys::fuzz_target;

const PATH: &str = "forge.kdl";

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
    let (config, spans, diags) = parse_config(PATH, text);
    // Contract of `parse_config`: no config if and only if there is an error.
    assert_eq!(config.is_none(), diags.iter().any(|d| d.is_error()));
    let sources = OneFile {
        text,
        spans: &spans,
    };
    let _ = render(&diags, &sources, false);
});
