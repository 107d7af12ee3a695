//! Hashes for keys: of sources, library shapes and template contexts. Fast rather than
//! strong: whole sources are hashed on every rebuild, and nothing here faces an attacker.

use std::hash::{Hash, Hasher};

/// A hash of `value`.
pub fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A hash of `value` as JSON, written straight into the hasher: the key of a template
/// context (what a template sees of a value is its JSON).
pub fn json_key<T: serde::Serialize + ?Sized>(value: &T) -> u64 {
    let mut hasher = HashWriter(rustc_hash::FxHasher::default());
    serde_json::to_writer(&mut hasher, value).expect("JSON of a view");
    hasher.0.finish()
}

/// Hashes what is written to it.
struct HashWriter(rustc_hash::FxHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
