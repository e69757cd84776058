//! Work on many items in parallel, results handed over one by one in the items' order as soon
//! as each one's turn comes. Workers take items in order and never run more than [`WINDOW`]
//! ahead of what was handed over, so a slow item holds back a bounded number of results.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// How far workers may run ahead of the item being waited for.
const WINDOW: usize = 256;

/// Calls `work(i)` for every `i` below `count` on the current rayon pool (or `pool`), and
/// `deliver(i, result)` on this thread for `i = 0, 1, 2, …` in turn.
pub(crate) fn for_each_in_order<T: Send>(
    count: usize,
    pool: Option<&rayon::ThreadPool>,
    work: impl Fn(usize) -> T + Sync,
    mut deliver: impl FnMut(usize, T),
) {
    let next = AtomicUsize::new(0);
    let panicked: Mutex<Option<Box<dyn std::any::Any + Send>>> = Mutex::new(None);
    let delivered = Delivered::default();
    let (sender, results) = mpsc::sync_channel::<(usize, T)>(WINDOW);
    std::thread::scope(|scope| {
        let (next, delivered, work, panicked) = (&next, &delivered, &work, &panicked);
        scope.spawn(move || {
            let run = move || {
                rayon::scope(|tasks| {
                    for _ in 0..rayon::current_num_threads() {
                        let sender = sender.clone();
                        tasks.spawn(move |_| loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= count {
                                break;
                            }
                            delivered.wait_for(i.saturating_sub(WINDOW));
                            if panicked.lock().unwrap_or_else(|e| e.into_inner()).is_some() {
                                break;
                            }
                            match panic::catch_unwind(AssertUnwindSafe(|| work(i))) {
                                Ok(result) => {
                                    if sender.send((i, result)).is_err() {
                                        break;
                                    }
                                }
                                // Every other worker stops too (none waits for this item
                                // forever), and the panic goes on once they have.
                                Err(payload) => {
                                    *panicked.lock().unwrap_or_else(|e| e.into_inner()) =
                                        Some(payload);
                                    delivered.advance(usize::MAX);
                                    break;
                                }
                            }
                        });
                    }
                });
            };
            match pool {
                Some(pool) => pool.install(run),
                None => run(),
            }
        });
        let mut waiting = BTreeMap::new();
        let mut turn = 0;
        for (i, result) in results {
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&turn) {
                deliver(turn, result);
                turn += 1;
                delivered.advance(turn);
            }
        }
    });
    if let Some(payload) = panicked.into_inner().unwrap_or_else(|e| e.into_inner()) {
        panic::resume_unwind(payload);
    }
}

/// How many results were handed over, for workers waiting to start an item.
#[derive(Default)]
struct Delivered {
    count: Mutex<usize>,
    changed: Condvar,
}

impl Delivered {
    /// Blocks until at least `n` results were handed over.
    fn wait_for(&self, n: usize) {
        let mut count = self.count.lock().unwrap_or_else(|e| e.into_inner());
        while *count < n {
            count = self.changed.wait(count).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn advance(&self, n: usize) {
        let mut count = self.count.lock().unwrap_or_else(|e| e.into_inner());
        *count = (*count).max(n);
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order_whatever_the_threads() {
        for threads in [1, 2, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let mut seen = Vec::new();
            // Uneven work, so workers finish out of order.
            for_each_in_order(
                2000,
                Some(&pool),
                |i| {
                    if i % 7 == 0 {
                        std::thread::yield_now();
                    }
                    i * 2
                },
                |i, doubled| seen.push((i, doubled)),
            );
            let expected: Vec<_> = (0..2000).map(|i| (i, i * 2)).collect();
            assert_eq!(seen, expected);
        }
    }

    #[test]
    fn a_panic_in_the_work_ends_the_run_and_goes_on() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let run = std::panic::catch_unwind(AssertUnwindSafe(|| {
            for_each_in_order(
                5000,
                Some(&pool),
                |i| assert_ne!(i, 10, "the work's own panic"),
                |_, _| {},
            )
        }));
        assert!(run.is_err());
    }

    #[test]
    fn nothing_to_do_delivers_nothing() {
        let mut calls = 0;
        for_each_in_order(0, None, |i| i, |_, _| calls += 1);
        assert_eq!(calls, 0);
    }
}
