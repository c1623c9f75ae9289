//! Finding glossary terms in text, so that the first use of each in a body links to its entry.

use std::collections::HashSet;
use std::ops::Range;

/// Finds glossary terms in text. Each entry is linked once per body, at its first use.
pub struct GlossaryMatcher {
    /// (pattern, entry index, anchor), longest patterns first.
    patterns: Vec<(String, usize, String)>,
    /// All patterns at once (pattern id = index in `patterns`), so a text is scanned once
    /// rather than once per pattern.
    automaton: Option<aho_corasick::AhoCorasick>,
    longest: usize,
}

impl GlossaryMatcher {
    pub fn new(entries: &[(Vec<String>, String)]) -> Self {
        let mut patterns = Vec::new();
        for (i, (spellings, anchor)) in entries.iter().enumerate() {
            for s in spellings {
                if !s.trim().is_empty() {
                    patterns.push((s.clone(), i, anchor.clone()));
                }
            }
        }
        patterns.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let automaton = aho_corasick::AhoCorasick::new(patterns.iter().map(|p| p.0.as_str())).ok();
        let longest = patterns.first().map_or(0, |p| p.0.len());
        GlossaryMatcher {
            patterns,
            automaton,
            longest,
        }
    }

    /// The earliest whole-word match of an entry not yet used: (range, entry, anchor). At the
    /// same start the longest pattern wins (then the first in byte order).
    pub(super) fn find(
        &self,
        text: &str,
        used: &HashSet<usize>,
    ) -> Option<(Range<usize>, usize, &str)> {
        let automaton = self.automaton.as_ref()?;
        // (start, pattern id) of the best match so far.
        let mut best: Option<(usize, usize)> = None;
        for m in automaton.find_overlapping_iter(text) {
            // Matches come in order of their end: none later can start before `best`.
            if let Some((start, _)) = best {
                if m.end() > start + self.longest {
                    break;
                }
            }
            let id = m.pattern().as_usize();
            let (_, entry, _) = &self.patterns[id];
            if used.contains(entry) {
                continue;
            }
            let (start, end) = (m.start(), m.end());
            let before_ok = !text[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let after_ok = !text[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            if before_ok && after_ok && best.is_none_or(|b| (start, id) < b) {
                best = Some((start, id));
            }
        }
        let (start, id) = best?;
        let (pattern, entry, anchor) = &self.patterns[id];
        Some((start..start + pattern.len(), *entry, anchor.as_str()))
    }
}
