//! Fingerprints of national text: what an overlay records as `pin:` to say which national text
//! it was written against, so that a later change of that text can be noticed.

use crate::base::hash::Fnv64;
use crate::model::Section;

/// The word the pinned text writes before an appendix's number. It is part of what a
/// fingerprint hashes (pins written before numbers took the interface's word used it), not
/// text a reader sees: kept so that existing pins stay valid.
const PINNED_APPENDIX_WORD: &str = "Bilag";

/// The text of a national section as it is pinned: its number, title and Markdown body.
pub fn pinned_text(s: &Section) -> String {
    let number = s
        .number
        .as_ref()
        .map(|n| n.shown(PINNED_APPENDIX_WORD))
        .unwrap_or_default();
    format!("# {number} {}\n\n{}", s.title, s.body.trim())
}

/// A fingerprint of a section's text: 64-bit FNV-1a over its words, so that re-wrapping lines
/// does not count as a change, as 16 hex digits.
pub fn fingerprint(s: &Section) -> String {
    let text = pinned_text(s);
    let mut h = Fnv64::default();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            h.write(b" ");
        }
        h.write(word.as_bytes());
    }
    h.hex()
}

/// Whether `s` is a fingerprint as [`fingerprint`] writes it: 16 lower-case hex digits.
pub fn is_fingerprint(s: &str) -> bool {
    s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
