//! Work taken off a build's critical path.

/// Drops `value` on a thread of its own. Freeing a large schema's IR, provenance and build graph
/// (hundreds of thousands of small allocations) takes milliseconds that the caller need not wait
/// for: a command that ends right after the build exits without waiting, and a longer-lived
/// caller (the tests) gets the memory back shortly after.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}
