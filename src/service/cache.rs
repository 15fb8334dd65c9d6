//! A small map of recently built things, shared by the threads of one server.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// Entries kept: a long-running server with many studies must not grow without limit, and
/// rebuilding an entry costs one page view a few milliseconds.
const ENTRIES: usize = 256;

/// Values by key, each kept until the map is full (then it starts again). Callers decide
/// whether a value is still fresh, usually by a stamp stored in the value.
pub struct Recent<K, V> {
    map: Mutex<HashMap<K, Arc<V>>>,
    capacity: usize,
}

impl<K, V> Default for Recent<K, V> {
    fn default() -> Self {
        Recent::with_capacity(ENTRIES)
    }
}

impl<K, V> Recent<K, V> {
    /// A map of up to `capacity` entries (many small ones: one per expert link).
    pub fn with_capacity(capacity: usize) -> Self {
        Recent {
            map: Mutex::new(HashMap::new()),
            capacity,
        }
    }
}

impl<K: Hash + Eq, V> Recent<K, V> {
    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        self.map.lock().ok().and_then(|m| m.get(key).cloned())
    }

    pub fn put(&self, key: K, value: &Arc<V>) {
        if let Ok(mut m) = self.map.lock() {
            if m.len() >= self.capacity {
                m.clear();
            }
            m.insert(key, Arc::clone(value));
        }
    }
}

impl<K, V> std::fmt::Debug for Recent<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = self.map.lock().map(|m| m.len()).unwrap_or(0);
        write!(f, "Recent({len} entries)")
    }
}
