//! The ICF checklist (an appendix of ICF-based guiding questions) as data: components, items,
//! answer options, ICF codes and the sections an answer points to.

use serde::Serialize;

use crate::base::source::{Origin, SourceFile};

/// The checklist: the five ICF components with their items.
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub title: String,
    /// The section the checklist encodes (Bilag 3).
    pub source: String,
    pub intro: String,
    pub components: Vec<Component>,
    #[serde(skip)]
    pub file: Option<SourceFile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub id: String,
    pub title: String,
    pub anchor: Option<String>,
    pub items: Vec<Item>,
    #[serde(skip)]
    pub origin: Origin,
}

/// A question; with sub-items it is a group and has no options of its own.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: String,
    pub text: String,
    pub icf: Option<String>,
    pub options: Vec<String>,
    pub items: Vec<Item>,
    pub points_to: Vec<Pointer>,
    #[serde(skip)]
    pub origin: Origin,
    #[serde(skip)]
    pub icf_origin: Option<Origin>,
}

/// An answer that points to a passage of the guideline.
#[derive(Debug, Clone, Serialize)]
pub struct Pointer {
    pub when: String,
    pub section: String,
    pub note: Option<String>,
    #[serde(skip)]
    pub origin: Origin,
}

/// Whether a code looks like an ICF category: b, s, d or e followed by 3 to 5 digits.
pub fn is_icf_code(code: &str) -> bool {
    let mut chars = code.chars();
    matches!(chars.next(), Some('b' | 's' | 'd' | 'e'))
        && (3..=5).contains(&chars.clone().count())
        && chars.all(|c| c.is_ascii_digit())
}

impl Checklist {
    /// Every item, depth first, with its component.
    pub fn all_items(&self) -> Vec<(&Component, &Item)> {
        fn walk<'a>(c: &'a Component, items: &'a [Item], out: &mut Vec<(&'a Component, &'a Item)>) {
            for i in items {
                out.push((c, i));
                walk(c, &i.items, out);
            }
        }
        let mut out = Vec::new();
        for c in &self.components {
            walk(c, &c.items, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icf_codes() {
        for ok in ["b280", "d430", "e1101", "s12000"] {
            assert!(is_icf_code(ok), "{ok}");
        }
        for bad in ["x430", "d43", "d430000", "D430", "d43a", ""] {
            assert!(!is_icf_code(bad), "{bad}");
        }
    }
}
