//! One background thread for the work no handler should wait for: freeing big
//! structures (an index a new join replaced, a document replaced or closed:
//! milliseconds each in a template of thousands of resources), and giving memory back
//! to the system after closes.
//!
//! Jobs run one at a time, in the order they were queued, so a trim queued after
//! closes runs after their documents were freed. When the thread cannot be started,
//! jobs run where they are queued.

use std::sync::OnceLock;
use std::sync::mpsc::{self, Sender};

type Job = Box<dyn FnOnce() + Send>;

static WORKER: OnceLock<Option<Sender<Job>>> = OnceLock::new();

fn worker() -> Option<&'static Sender<Job>> {
    WORKER
        .get_or_init(|| {
            let (tx, rx) = mpsc::channel::<Job>();
            std::thread::Builder::new()
                .name("apigw-background".to_string())
                .spawn(move || {
                    for job in rx {
                        super::contain("background work", job);
                    }
                })
                .ok()
                .map(|_| tx)
        })
        .as_ref()
}

/// Runs `job` on the background thread, after the jobs queued before it.
pub fn run(job: impl FnOnce() + Send + 'static) {
    let job: Job = Box::new(job);
    match worker() {
        Some(tx) => {
            if let Err(mpsc::SendError(job)) = tx.send(job) {
                job();
            }
        }
        None => job(),
    }
}

/// Drops `value` on the background thread.
pub fn discard<T: Send + 'static>(value: T) {
    run(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn jobs_run_in_order() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (done_tx, done_rx) = mpsc::channel();
        for i in 0..50 {
            let seen = Arc::clone(&seen);
            run(move || seen.lock().map(|mut s| s.push(i)).unwrap_or(()));
        }
        run(move || {
            let _ = done_tx.send(());
        });
        done_rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the background thread ran the jobs");
        let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
        assert_eq!(seen, (0..50).collect::<Vec<_>>());
    }
}
