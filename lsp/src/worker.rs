//! One thread for linting documents and serialising their diagnostics.
//!
//! A document of thousands of Pods gives tens of thousands of findings and a notification of
//! tens of megabytes. Run on tokio's blocking pool, each lint lands on whichever thread is free,
//! and the C allocator keeps a separate arena per thread: every arena ends up holding the peak
//! of one lint, and the server's memory grew with each edit (a 5,000-Pod document: from 110 MB
//! after opening it to 430 MB after ten edits). On one thread the memory of one lint is reused
//! by the next, and two lints never hold their findings at once.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;

type Job = Box<dyn FnOnce() + Send>;

pub struct Worker {
    jobs: mpsc::Sender<Job>,
}

impl Default for Worker {
    fn default() -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name("podlint-lint".to_owned())
            .spawn(move || {
                // Ends when the server (the only sender) is gone.
                for job in queue {
                    // A job that panics gives no answer; the next one runs as usual.
                    let _ = catch_unwind(AssertUnwindSafe(job));
                }
            });
        if let Err(error) = spawned {
            eprintln!("podlint: could not start the lint thread: {error}");
        }
        Self { jobs }
    }
}

impl Worker {
    /// Runs `job` on the worker thread after the jobs queued before it. `None` when it
    /// panicked (or the thread could not start).
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = answer.send(job());
        });
        self.jobs.send(job).ok()?;
        answered.await.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_answer_in_order_and_a_panic_does_not_stop_the_next() {
        let worker = Worker::default();
        assert_eq!(worker.run(|| 1 + 1).await, Some(2));
        let panicked: Option<()> = worker.run(|| panic!("a rule panicked")).await;
        assert_eq!(panicked, None);
        assert_eq!(worker.run(|| "still here").await, Some("still here"));
    }
}
