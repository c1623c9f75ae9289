//! 64-bit FNV-1a: a small, stable, non-cryptographic hash for build ids and text fingerprints
//! (stable across platforms and versions, unlike `std`'s `DefaultHasher`).

/// An FNV-1a hasher, fed bytes in pieces.
#[derive(Debug, Clone, Copy)]
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    /// Feed `bytes`.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// The hash so far.
    pub fn finish(self) -> u64 {
        self.0
    }

    /// The hash so far as 16 lower-case hex digits.
    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Fnv64;

    #[test]
    fn known_values() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(Fnv64::default().finish(), 0xcbf2_9ce4_8422_2325);
        let mut h = Fnv64::default();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
        let mut h = Fnv64::default();
        h.write(b"foo");
        assert_eq!(h.hex(), "dcb27518fed9d577");
    }

    #[test]
    fn pieces_equal_the_whole() {
        let mut a = Fnv64::default();
        a.write(b"foo");
        a.write(b"bar");
        let mut b = Fnv64::default();
        b.write(b"foobar");
        assert_eq!(a.finish(), b.finish());
    }
}
