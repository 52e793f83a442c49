//! Giving memory back after documents close.
//!
//! glibc's malloc keeps freed memory in its per-thread arenas, so a server that opened
//! 500 templates and closed them would keep its peak resident size for good. After
//! closes (at most once per [`DELAY`]) we ask glibc to return free pages to the system,
//! on the background thread after the closed documents were freed there (see
//! [`super::background`]). Other platforms' allocators do this on their own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Closes within this window share one trim.
const DELAY: Duration = Duration::from_millis(200);

/// Schedules a trim unless one is already scheduled.
pub fn trim_soon(scheduled: &Arc<AtomicBool>) {
    if scheduled.swap(true, Ordering::AcqRel) {
        return;
    }
    let scheduled = Arc::clone(scheduled);
    tokio::spawn(async move {
        tokio::time::sleep(DELAY).await;
        scheduled.store(false, Ordering::Release);
        super::background::run(trim);
    });
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim() {
    // SAFETY: `malloc_trim` only releases free memory held by the allocator; it takes
    // no pointers and is safe to call from any thread at any time.
    #[allow(unsafe_code)]
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}
