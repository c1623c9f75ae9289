//! Where each section sits in the guideline: its parent, its depth and the document order.
//!
//! A numbered section's parent follows from its number ("4.9.1" → "4.9", "A.1" → "A"); an
//! unnumbered one names its parent (`parent:`) or is a top-level chapter. Document order:
//! numbered chapters by number, then unnumbered chapters, then appendices (numbered by digits,
//! by letters, then unnumbered); below a section its numbered subsections by number, then its
//! unnumbered ones; unnumbered siblings in file-name order. An unknown parent or a circle of
//! parents (which validation reports) leaves a section at the top level.

use std::collections::HashMap;

use super::{Section, SectionNumber};

/// The parent (by index) and depth of each section of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    pub parent: Vec<Option<usize>>,
    /// 1 for a chapter or appendix, 2 for its subsections, …
    pub depth: Vec<usize>,
}

impl Outline {
    /// The outline of `sections` (in any order). The first of several sections with one number
    /// (a local section shares its national section's) or one id is the one found.
    pub fn of(sections: &[Section]) -> Outline {
        let mut by_number: HashMap<&SectionNumber, usize> = HashMap::new();
        let mut by_id: HashMap<&str, usize> = HashMap::new();
        for (i, s) in sections.iter().enumerate() {
            if let Some(n) = &s.number {
                by_number.entry(n).or_insert(i);
            }
            by_id.entry(s.id.as_str()).or_insert(i);
        }
        let direct: Vec<Option<usize>> = sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let p = match (&s.number, &s.parent) {
                    (Some(n), _) => n.parent().and_then(|p| by_number.get(&p).copied()),
                    (None, Some(id)) => by_id.get(id.as_str()).copied(),
                    (None, None) => None,
                };
                p.filter(|&p| p != i)
            })
            .collect();
        // A circle of parents is cut where it closes: such a section counts as top-level.
        let mut parent = direct.clone();
        for (i, p) in parent.iter_mut().enumerate() {
            if in_circle(&direct, i) {
                *p = None;
            }
        }
        let depth = (0..sections.len())
            .map(|i| {
                let mut d = 1;
                let mut at = i;
                while let Some(p) = parent[at] {
                    d += 1;
                    at = p;
                    if d > sections.len() {
                        break;
                    }
                }
                d
            })
            .collect();
        Outline { parent, depth }
    }

    /// The ancestors of section `i`, nearest first.
    pub fn ancestors(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut at = i;
        while let Some(p) = self.parent.get(at).copied().flatten() {
            if out.contains(&p) {
                break;
            }
            out.push(p);
            at = p;
        }
        out
    }
}

/// Whether following the parents from `i` comes back to `i`.
pub fn in_circle(parent: &[Option<usize>], i: usize) -> bool {
    let mut at = i;
    for _ in 0..parent.len() {
        match parent[at] {
            Some(p) if p == i => return true,
            Some(p) => at = p,
            None => return false,
        }
    }
    false
}

/// One step of a section's place in the document order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    /// A top-level section: its group (see [`group`]), its number and its file name.
    Top(u8, u32, String),
    /// A numbered subsection's part.
    Number(u32),
    /// An unnumbered subsection, by file name.
    Unnumbered(String),
}

/// Chapters 0, unnumbered chapters 1, appendices by digits 2, by letters 3, unnumbered 4.
fn group(s: &Section) -> u8 {
    match &s.number {
        Some(n) if !n.appendix => 0,
        Some(n) if !n.lettered => 2,
        Some(_) => 3,
        None if s.kind.is_appendix() => 4,
        None => 1,
    }
}

fn file_name(s: &Section) -> String {
    s.file
        .path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Sort `sections` into document order (ties, such as duplicate numbers, by id).
pub fn sort(sections: &mut Vec<Section>) {
    let outline = Outline::of(sections);
    let keys: Vec<Vec<Step>> = (0..sections.len())
        .map(|i| {
            let mut chain = outline.ancestors(i);
            chain.reverse();
            chain.push(i);
            let mut key = Vec::new();
            for (k, &j) in chain.iter().enumerate() {
                let s = &sections[j];
                match &s.number {
                    // A numbered section's key is its whole number (its numbered ancestors'
                    // are prefixes of it).
                    Some(n) => {
                        key.clear();
                        key.push(Step::Top(group(s), n.parts[0], String::new()));
                        key.extend(n.parts[1..].iter().map(|&p| Step::Number(p)));
                    }
                    None if k == 0 => key.push(Step::Top(group(s), 0, file_name(s))),
                    None => key.push(Step::Unnumbered(file_name(s))),
                }
            }
            key
        })
        .collect();
    let mut keyed: Vec<(Vec<Step>, Section)> = keys.into_iter().zip(sections.drain(..)).collect();
    keyed.sort_by(|(ka, a), (kb, b)| ka.cmp(kb).then_with(|| a.id.cmp(&b.id)));
    sections.extend(keyed.into_iter().map(|(_, s)| s));
}
