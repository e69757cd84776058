//! An index of values by the hash of their key, as one sorted vector: 16 bytes an entry where
//! a hash map of string keys with a vector per key takes about a hundred. The project holds
//! one entry per object and per pod label, so over a big corpus this is most of what indexing
//! costs. Keys are not kept: a lookup yields every value whose key hashes alike, in the order
//! they were added, and the caller checks each against the key it wanted.

use std::hash::{DefaultHasher, Hash, Hasher};

pub(super) struct HashIndex<T> {
    /// Sorted by hash; values of one hash in the order added.
    entries: Vec<(u64, T)>,
}

impl<T: Copy> HashIndex<T> {
    /// The index of `entries` (hash, value), taken in the order given.
    pub(super) fn new(mut entries: Vec<(u64, T)>) -> Self {
        // Stable: values of one hash stay in the order given.
        entries.sort_by_key(|&(hash, _)| hash);
        entries.shrink_to_fit();
        Self { entries }
    }

    /// The values added under `hash`, in the order added.
    pub(super) fn get(&self, hash: u64) -> impl Iterator<Item = T> + '_ {
        let start = self.entries.partition_point(|&(h, _)| h < hash);
        self.entries[start..]
            .iter()
            .take_while(move |&&(h, _)| h == hash)
            .map(|&(_, value)| value)
    }
}

/// The hash of a key made of strings (`("ab", "c")` and `("a", "bc")` hash apart).
pub(super) fn hash_of(parts: &[&str]) -> u64 {
    let mut hasher = DefaultHasher::new();
    parts.iter().for_each(|part| part.hash(&mut hasher));
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_back_by_hash_in_the_order_added() {
        let keys = [["a", "b"], ["ab", ""], ["a", "b"], ["c", "d"], ["a", "b"]];
        let index = HashIndex::new(
            keys.iter()
                .enumerate()
                .map(|(i, key)| (hash_of(key), i))
                .collect(),
        );
        assert_eq!(
            index.get(hash_of(&["a", "b"])).collect::<Vec<_>>(),
            [0, 2, 4]
        );
        assert_eq!(index.get(hash_of(&["ab", ""])).collect::<Vec<_>>(), [1]);
        assert_eq!(index.get(hash_of(&["x", "y"])).count(), 0);
    }
}
