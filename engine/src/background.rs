//! Work taken off a build's critical path.

use std::sync::{Condvar, Mutex, MutexGuard};

/// How many values are being dropped on their own threads right now.
static RUNNING: Mutex<usize> = Mutex::new(0);
static DONE: Condvar = Condvar::new();

/// Drops `value` on a thread of its own. Freeing a large schema's IR, parsed files and build
/// graph (hundreds of thousands of small allocations) takes milliseconds that the caller need not
/// wait for: a command that ends right after the build exits without waiting, and a longer-lived
/// caller (the tests) gets the memory back shortly after. When no thread can be started, the value
/// is dropped here.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    let running = Running::start();
    // On failure `spawn` drops the closure, and with it the value and `running`, right away.
    let _ = std::thread::Builder::new()
        .name("forge-drop".into())
        .spawn(move || {
            drop(value);
            drop(running);
        });
}

/// Waits until every value handed to [`drop_later`] is freed. For a caller that runs many builds
/// in one process and times each alone (the benchmarks): `forge` itself exits after its build
/// without waiting, so its next build never shares the cores with the last one's frees.
pub fn settle() {
    let mut running = count();
    while *running > 0 {
        running = DONE.wait(running).unwrap_or_else(|e| e.into_inner());
    }
}

/// One value being dropped; counted from `start` until it is itself dropped (after the value,
/// even if dropping the value panicked).
struct Running;

impl Running {
    fn start() -> Running {
        *count() += 1;
        Running
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        *count() -= 1;
        DONE.notify_all();
    }
}

fn count() -> MutexGuard<'static, usize> {
    RUNNING.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settle_returns_once_every_value_is_dropped() {
        struct Slow(std::sync::Arc<std::sync::atomic::AtomicBool>);
        impl Drop for Slow {
            fn drop(&mut self) {
                std::thread::sleep(std::time::Duration::from_millis(50));
                self.0.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        }
        let dropped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        drop_later(Slow(dropped.clone()));
        settle();
        assert!(dropped.load(std::sync::atomic::Ordering::SeqCst));
    }
}
