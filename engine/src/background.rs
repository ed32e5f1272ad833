//! Work taken off a build's critical path.

/// Drops `value` on a thread of its own. Freeing a large schema's IR, parsed files and build
/// graph (hundreds of thousands of small allocations) takes milliseconds that the caller need not
/// wait for: a command that ends right after the build exits without waiting, and a longer-lived
/// caller (the tests) gets the memory back shortly after. When no thread can be started, the value
/// is dropped here.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    // On failure `spawn` drops the closure, and with it the value, right away.
    let _ = std::thread::Builder::new()
        .name("forge-drop".into())
        .spawn(move || drop(value));
}
