//! Content digests (BLAKE3): what the build cache names files and keys by.

use std::fmt;
use std::io;

/// A BLAKE3 digest of some bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Digest(*blake3::hash(bytes).as_bytes())
    }

    /// 64 lower-case hex digits.
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The digest written as [`hex`](Digest::hex); None for anything else.
    pub fn parse(hex: &str) -> Option<Self> {
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Digest(out))
    }

    /// A digest no key of another build or process has (for values that cannot be keyed).
    pub fn unique() -> Self {
        Digest::of(&unique_bytes())
    }

    /// The first eight bytes as a number (a short id, such as the service worker's build id).
    pub fn short(&self) -> u64 {
        let mut first = [0u8; 8];
        first.copy_from_slice(&self.0[..8]);
        u64::from_be_bytes(first)
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", &self.hex()[..16])
    }
}

/// A digest of several parts, each length-prefixed so that no two sequences of parts give the
/// same bytes ("ab" + "c" is not "a" + "bc").
pub struct KeyHasher(blake3::Hasher);

impl KeyHasher {
    /// A hasher for keys of `kind` ("page", "search", "inputs" …), under this build of vejviser.
    pub fn new(kind: &str) -> Self {
        let mut h = KeyHasher(blake3::Hasher::new());
        h.part(super::BUILD_ID.as_bytes());
        h.part(kind.as_bytes());
        h
    }

    /// Add one part.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Add a digest as one part.
    pub fn digest(&mut self, d: &Digest) -> &mut Self {
        self.part(&d.0)
    }

    /// Add `value` as its JSON (one part, however it is written out).
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        let mut inner = blake3::Hasher::new();
        let written = serde_json::to_writer(HashWriter(&mut inner), value);
        match written {
            Ok(()) => self.part(inner.finalize().as_bytes()),
            // A value that cannot be written as JSON makes a key that matches nothing.
            Err(_) => self.part(Digest::of(&unique_bytes()).0.as_slice()),
        }
    }

    /// Add `value` as its `Debug` text (one part): for model types that are not serialised,
    /// whose every field then counts.
    pub fn debug<T: fmt::Debug + ?Sized>(&mut self, value: &T) -> &mut Self {
        let mut inner = blake3::Hasher::new();
        let _ = fmt::write(&mut HashWriter(&mut inner), format_args!("{value:?}"));
        self.part(inner.finalize().as_bytes())
    }

    pub fn finish(&self) -> Digest {
        Digest(*self.0.finalize().as_bytes())
    }
}

/// Bytes no other key is made of (the time and the process), for values that cannot be keyed.
fn unique_bytes() -> Vec<u8> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("unkeyable {now} {}", std::process::id()).into_bytes()
}

/// Writes into a BLAKE3 hasher.
struct HashWriter<'a>(&'a mut blake3::Hasher);

impl fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

impl io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects_other_text() {
        let d = Digest::of(b"vejviser");
        assert_eq!(Digest::parse(&d.hex()), Some(d));
        assert_eq!(Digest::parse("zz"), None);
        assert_eq!(Digest::parse(&"g".repeat(64)), None);
    }

    #[test]
    fn parts_are_kept_apart() {
        let a = KeyHasher::new("t").part(b"ab").part(b"c").finish();
        let b = KeyHasher::new("t").part(b"a").part(b"bc").finish();
        assert_ne!(a, b);
        let c = KeyHasher::new("u").part(b"ab").part(b"c").finish();
        assert_ne!(a, c);
    }
}
