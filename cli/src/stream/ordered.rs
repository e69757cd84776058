//! Work on many items in parallel, results handed over one by one in the items' order as soon
//! as each one's turn comes. Workers take items in order and never run more than [`WINDOW`]
//! ahead of what was handed over, so a slow item holds back a bounded number of results.
//!
//! The worker that finishes the item whose turn it is hands it over itself, with any later
//! items already waiting: no thread sits between the workers and the output, so one thread
//! runs without a wake-up per item.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

/// How far workers may run ahead of the item being waited for.
const WINDOW: usize = 256;

/// Calls `work(i)` for every `i` below `count` on the current rayon pool (or `pool`), and
/// `deliver(i, result)` for `i = 0, 1, 2, …` in turn, one call at a time.
pub(crate) fn for_each_in_order<T: Send>(
    count: usize,
    pool: Option<&rayon::ThreadPool>,
    work: impl Fn(usize) -> T + Sync,
    deliver: impl FnMut(usize, T) + Send,
) {
    let next = AtomicUsize::new(0);
    let turns = Turns {
        state: Mutex::new(Turn {
            next: 0,
            waiting: BTreeMap::new(),
            deliver,
            stopped: false,
            panic: None,
            sleepers: 0,
        }),
        changed: Condvar::new(),
    };
    let run = || {
        rayon::scope(|tasks| {
            for _ in 0..rayon::current_num_threads() {
                let (next, turns, work) = (&next, &turns, &work);
                tasks.spawn(move |_| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count || !turns.wait_for(i.saturating_sub(WINDOW)) {
                        break;
                    }
                    match panic::catch_unwind(AssertUnwindSafe(|| work(i))) {
                        Ok(result) => turns.hand_over(i, result),
                        // Every other worker stops too (none waits for this item forever),
                        // and the panic goes on once they have.
                        Err(payload) => {
                            turns.stop(payload);
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
    let turn = turns.state.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(payload) = turn.panic {
        panic::resume_unwind(payload);
    }
}

struct Turns<T, D> {
    state: Mutex<Turn<T, D>>,
    /// Signalled when items were handed over or the run stopped, for workers too far ahead.
    changed: Condvar,
}

struct Turn<T, D> {
    /// The item whose turn it is.
    next: usize,
    /// Results done before their turn.
    waiting: BTreeMap<usize, T>,
    deliver: D,
    stopped: bool,
    panic: Option<Box<dyn std::any::Any + Send>>,
    /// Workers blocked in `wait_for`: without any, nobody needs waking.
    sleepers: usize,
}

impl<T, D: FnMut(usize, T)> Turns<T, D> {
    fn lock(&self) -> MutexGuard<'_, Turn<T, D>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Blocks until at least `n` results were handed over; false when the run stopped.
    fn wait_for(&self, n: usize) -> bool {
        let mut turn = self.lock();
        while turn.next < n && !turn.stopped {
            turn.sleepers += 1;
            turn = self.changed.wait(turn).unwrap_or_else(|e| e.into_inner());
            turn.sleepers -= 1;
        }
        !turn.stopped
    }

    /// Hands over `result` if its turn has come, and every waiting result after it.
    fn hand_over(&self, i: usize, result: T) {
        let mut turn = self.lock();
        if turn.stopped {
            return;
        }
        turn.waiting.insert(i, result);
        let before = turn.next;
        loop {
            let at = turn.next;
            let Some(result) = turn.waiting.remove(&at) else {
                break;
            };
            (turn.deliver)(at, result);
            turn.next += 1;
        }
        if turn.next != before && turn.sleepers > 0 {
            self.changed.notify_all();
        }
    }

    fn stop(&self, payload: Box<dyn std::any::Any + Send>) {
        let mut turn = self.lock();
        turn.stopped = true;
        turn.panic.get_or_insert(payload);
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
