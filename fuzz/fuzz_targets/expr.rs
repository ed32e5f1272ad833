//! An expression's bytes through `forge_expr::parse`. It may not panic, whatever the input.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(errors) = forge_expr::parse(src) {
        // A failed parse always says why.
        assert!(!errors.is_empty());
    }
});
