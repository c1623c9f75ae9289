//! Small text helpers: Danish-aware slugs, HTML escaping and collation by language; plain text from
//! Markdown and HTML is in `crate::markdown::plain`.

use std::cmp::Ordering;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::Locale;

/// An ASCII slug for ids and anchors: "Henvisning til øvrig praksissektor" →
/// "henvisning-til-oevrig-praksissektor".
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'æ' | 'ä' => "ae",
            'ø' | 'ö' => "oe",
            'å' => "aa",
            'ü' => "ue",
            'é' | 'è' => "e",
            '§' => "paragraf",
            _ => "",
        };
        if !mapped.is_empty() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push_str(mapped);
        } else if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

/// Escape text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Sorts strings by the rules of a language: Danish puts æ ø å after z and "aa" as "å";
/// English sorts them as accented a and o. A language ICU does not know sorts by the root
/// collation.
pub struct LanguageCollator {
    collator: Option<CollatorBorrowed<'static>>,
}

impl LanguageCollator {
    /// The collator of `language` (a BCP 47 tag such as `da` or `en-GB`).
    pub fn new(language: &str) -> Self {
        let locale = Locale::try_from_str(language).unwrap_or(Locale::UNKNOWN);
        let collator = Collator::try_new(locale.into(), CollatorOptions::default()).ok();
        LanguageCollator { collator }
    }

    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        match &self.collator {
            Some(c) => c.compare(a, b).then_with(|| a.cmp(b)),
            None => a.to_lowercase().cmp(&b.to_lowercase()),
        }
    }
}

/// Escape text for XML (SVG) content and attributes, dropping the characters XML 1.0 forbids.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(
            slugify("Henvisning til øvrig praksissektor"),
            "henvisning-til-oevrig-praksissektor"
        );
        assert_eq!(slugify("§ 79-sygehus"), "paragraf-79-sygehus");
        assert_eq!(slugify("LÆ 165"), "lae-165");
        assert_eq!(slugify("--"), "x");
    }

    #[test]
    fn danish_order_puts_aeoeaa_after_z() {
        let c = LanguageCollator::new("da");
        let mut words = vec![
            "Aalborg", "ø", "æble", "zebra", "Århus", "ADL", "åben", "Odense",
        ];
        words.sort_by(|a, b| c.compare(a, b));
        assert_eq!(
            words,
            vec!["ADL", "Odense", "zebra", "æble", "ø", "åben", "Aalborg", "Århus"]
        );
        let en = LanguageCollator::new("en");
        words.sort_by(|a, b| en.compare(a, b));
        assert_eq!(
            words,
            vec!["Aalborg", "åben", "ADL", "æble", "Århus", "ø", "Odense", "zebra"]
        );
    }
}
