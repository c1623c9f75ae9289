//! A page's template context together with a digest of everything in it, so that the build
//! cache can tell whether a page would come out as before (see [`crate::cache`]).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cache::{Digest, KeyHasher};

/// A page's template context, each value's digest kept beside it.
#[derive(Clone, Default)]
pub struct PageContext {
    tera: tera::Context,
    /// The digest of each value's JSON, by key.
    digests: BTreeMap<&'static str, Digest>,
}

impl PageContext {
    /// Set `key` to `value` (replacing what it held).
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.tera.insert(key, value);
        self.digests
            .insert(key, KeyHasher::new("value").json(value).finish());
    }

    /// The value at `key`.
    pub fn get(&self, key: &str) -> Option<&tera::Value> {
        self.tera.get(key)
    }

    /// The context as Tera takes it.
    pub fn tera(&self) -> &tera::Context {
        &self.tera
    }

    /// The digest of the whole context: every key and its value's digest, in key order.
    pub fn digest(&self) -> Digest {
        let mut h = KeyHasher::new("context");
        for (key, d) in &self.digests {
            h.part(key.as_bytes()).digest(d);
        }
        h.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_follows_every_value_and_not_the_order_of_insertion() {
        let mut a = PageContext::default();
        a.insert("x", &1);
        a.insert("y", "text");
        let mut b = PageContext::default();
        b.insert("y", "text");
        b.insert("x", &1);
        assert_eq!(a.digest(), b.digest());
        b.insert("x", &2);
        assert_ne!(a.digest(), b.digest());
        assert_eq!(a.get("y").and_then(|v| v.as_str()), Some("text"));
    }
}
