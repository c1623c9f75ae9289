//! A page's template context together with a digest of everything in it, so that the build
//! cache can tell whether a page would come out as before (see [`crate::cache`]).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cache::{Digest, KeyHasher};

/// A page's template context, each value's digest kept beside it while it is keyed.
#[derive(Clone)]
pub struct PageContext {
    tera: tera::Context,
    /// The digest of each value's JSON, by key.
    digests: BTreeMap<&'static str, Digest>,
    /// Whether values are digested as they are inserted (not when no cache asks: the work
    /// would be thrown away).
    keyed: bool,
}

impl Default for PageContext {
    fn default() -> Self {
        PageContext {
            tera: tera::Context::new(),
            digests: BTreeMap::new(),
            keyed: true,
        }
    }
}

impl PageContext {
    /// Set `key` to `value` (replacing what it held).
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.tera.insert(key, value);
        if self.keyed {
            self.digests
                .insert(key, KeyHasher::new("value").json(value).finish());
        }
    }

    /// Key `key` by `digest` without a value for templates: a digest that stands for a value
    /// not made yet (a section's body, by what it is rendered from), set later with
    /// [`fill`](PageContext::fill) when the page has to be rendered.
    pub fn stand_in(&mut self, key: &'static str, digest: Digest) {
        if self.keyed {
            self.digests.insert(key, digest);
        }
    }

    /// Set `key` to `value` for templates, leaving its digest as it is (the value is the one
    /// a [`stand_in`](PageContext::stand_in) stood for, or its digest stands for it).
    pub fn fill<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.tera.insert(key, value);
    }

    /// This context, digesting what is inserted from now on only when `keyed`.
    pub fn keyed(mut self, keyed: bool) -> Self {
        self.keyed = keyed;
        self
    }

    /// The value at `key`.
    pub fn get(&self, key: &str) -> Option<&tera::Value> {
        self.tera.get(key)
    }

    /// The context as Tera takes it.
    pub fn tera(&self) -> &tera::Context {
        &self.tera
    }

    /// The digest of the whole context: every key and its value's digest, in key order; None
    /// for a context that was not keyed.
    pub fn digest(&self) -> Option<Digest> {
        if !self.keyed {
            return None;
        }
        let mut h = KeyHasher::new("context");
        for (key, d) in &self.digests {
            h.part(key.as_bytes()).digest(d);
        }
        Some(h.finish())
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
        assert!(a.digest().is_some());
        b.insert("x", &2);
        assert_ne!(a.digest(), b.digest());
        assert_eq!(a.clone().keyed(false).digest(), None);
        assert_eq!(a.get("y").and_then(|v| v.as_str()), Some("text"));
    }
}
