//! Shared strings for facts: the names, namespaces, kinds and labels of a corpus repeat from
//! file to file, so each distinct one is allocated once and every fact that holds it holds a
//! reference (`Arc<str>`, 16 bytes) to it.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::{Arc, Mutex, MutexGuard};

/// A string shared by every fact that holds an equal one. Read back from parked facts, it is
/// copied once from the record (serde's `Arc<str>` would build a `Box<str>` first and copy
/// it again: a third of reading facts back).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shared(Arc<str>);

impl std::ops::Deref for Shared {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Shared {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::fmt::Display for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Shared {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Shared;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }

            // Borrowed or not, the text is copied once, straight into the shared allocation.
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Shared, E> {
                Ok(Shared(Arc::from(text)))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

impl From<&str> for Shared {
    /// A copy of its own, outside the pool (for a string that is rarely repeated).
    fn from(text: &str) -> Self {
        Shared(Arc::from(text))
    }
}

impl Shared {
    /// Whether two are the same allocation (not only equal text).
    pub fn same(a: &Shared, b: &Shared) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

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
        pool.strings.retain(|s| Arc::strong_count(&s.0) > 1);
        pool.swept = pool.strings.len();
    }
    let shared = Shared(Arc::from(text));
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
        assert!(Shared::same(&a, &b));
        assert_eq!(&*a, "app.kubernetes.io/name");
        assert!(!Shared::same(&a, &intern("app.kubernetes.io/part-of")));
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
        assert!(Shared::same(&held, &intern("sweep-test-held")));
    }
}
