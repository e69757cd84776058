//! What a rule has met so far in one of a pod's lists (container names, ports, volumes, env
//! vars): a handful of items each, so comparing them in turn beats hashing every one. A long
//! list moves to a hash map, so no input makes a rule quadratic.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

/// Up to this many items are kept in a list.
const SMALL: usize = 24;

/// A map from the first occurrences of keys, for lists that are nearly always short.
pub(crate) struct Seen<K, V> {
    small: Vec<(K, V)>,
    large: HashMap<K, V>,
}

impl<K: Eq + Hash, V> Default for Seen<K, V> {
    fn default() -> Self {
        Self {
            small: Vec::new(),
            large: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash, V> Seen<K, V> {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        if self.large.is_empty() {
            self.small
                .iter()
                .find(|(k, _)| k.borrow() == key)
                .map(|(_, v)| v)
        } else {
            self.large.get(key)
        }
    }

    pub(crate) fn contains<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.get(key).is_some()
    }

    /// Records `value` for `key`, like `HashMap::insert`: the value it replaces, if any.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        if !self.large.is_empty() {
            return self.large.insert(key, value);
        }
        if let Some((_, old)) = self.small.iter_mut().find(|(k, _)| *k == key) {
            return Some(std::mem::replace(old, value));
        }
        if self.small.len() < SMALL {
            self.small.push((key, value));
        } else {
            self.large.extend(self.small.drain(..));
            self.large.insert(key, value);
        }
        None
    }
}

impl<K: Eq + Hash> FromIterator<K> for Seen<K, ()> {
    fn from_iter<I: IntoIterator<Item = K>>(items: I) -> Self {
        let mut seen = Self::new();
        for item in items {
            seen.insert(item, ());
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_behaves_like_a_short_one() {
        for count in [3, SMALL, SMALL + 1, 3 * SMALL] {
            let mut seen = Seen::new();
            for i in 0..count {
                assert_eq!(seen.insert(i.to_string(), i), None);
            }
            for i in 0..count {
                assert_eq!(seen.get(i.to_string().as_str()), Some(&i));
                assert_eq!(seen.insert(i.to_string(), i + 1), Some(i));
                assert_eq!(seen.get(i.to_string().as_str()), Some(&(i + 1)));
            }
            assert!(!seen.contains("absent"));
        }
    }

    #[test]
    fn a_set_from_names() {
        let names: Seen<&str, ()> = ["a", "b", "a"].into_iter().collect();
        assert!(names.contains("a") && names.contains("b") && !names.contains("c"));
    }
}
