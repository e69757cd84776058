//! Shared strings for facts: the names, namespaces, kinds and labels of a corpus repeat from
//! file to file, so each distinct one is allocated once and every fact that holds it holds a
//! reference (`Arc<str>`, 16 bytes) to it.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::{Arc, Mutex, MutexGuard};

/// A string shared by every fact that holds an equal one.
pub type Shared = Arc<str>;

/// The strings handed out, and how many there were after the last sweep.
struct Pool {
    strings: HashSet<Shared, BuildHasherDefault<DefaultHasher>>,
    swept: usize,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    strings: HashSet::with_hasher(BuildHasherDefault::new()),
    swept: 0,
});

/// Below this many strings the pool is never swept.
const SWEEP_FLOOR: usize = 4096;

fn pool() -> MutexGuard<'static, Pool> {
    // A panic elsewhere while the lock was held leaves a valid set.
    POOL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The shared copy of `text`.
pub fn intern(text: &str) -> Shared {
    let mut pool = pool();
    if let Some(shared) = pool.strings.get(text) {
        return shared.clone();
    }
    // Strings no fact holds any more (a language server's edited buffers) are dropped once
    // the pool has doubled, so it stays proportional to what is alive.
    if pool.strings.len() >= SWEEP_FLOOR.max(2 * pool.swept) {
        pool.strings.retain(|s| Arc::strong_count(s) > 1);
        pool.swept = pool.strings.len();
    }
    let shared: Shared = Arc::from(text);
    pool.strings.insert(shared.clone());
    shared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_strings_share_one_allocation() {
        let a = intern("app.kubernetes.io/name");
        let b = intern(&String::from("app.kubernetes.io/name"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*a, "app.kubernetes.io/name");
        assert!(!Arc::ptr_eq(&a, &intern("app.kubernetes.io/part-of")));
    }

    #[test]
    fn strings_no_one_holds_are_swept() {
        for i in 0..3 * SWEEP_FLOOR {
            drop(intern(&format!("sweep-test-{i}")));
        }
        let held = intern("sweep-test-held");
        for i in 0..3 * SWEEP_FLOOR {
            drop(intern(&format!("sweep-test-again-{i}")));
        }
        assert!(pool().strings.len() < 3 * SWEEP_FLOOR);
        assert!(Arc::ptr_eq(&held, &intern("sweep-test-held")));
    }
}
