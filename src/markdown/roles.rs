//! Roles in the text: finding the passages that concern an actor, from the words the text
//! uses for it (`mentions` in `roles.yaml`).

use crate::model::Role;

/// Finds which roles a passage mentions (case-insensitive, whole words).
#[derive(Debug, Default)]
pub struct RoleMatcher {
    /// (lower-case phrase, role id)
    phrases: Vec<(String, String)>,
    /// All phrases at once (pattern id = index in `phrases`): one pass over a text.
    automaton: Option<aho_corasick::AhoCorasick>,
}

impl RoleMatcher {
    pub fn new(roles: &[Role]) -> Self {
        let mut phrases = Vec::new();
        for r in roles {
            for m in &r.mentions {
                let m = m.trim().to_lowercase();
                if !m.is_empty() {
                    phrases.push((m, r.id.clone()));
                }
            }
            // A unit also concerns the role it is part of (a jobcenter passage concerns the
            // municipality).
            if let Some(parent) = &r.part_of {
                for m in &r.mentions {
                    let m = m.trim().to_lowercase();
                    if !m.is_empty() {
                        phrases.push((m, parent.clone()));
                    }
                }
            }
        }
        phrases.sort();
        phrases.dedup();
        let automaton = aho_corasick::AhoCorasick::new(phrases.iter().map(|p| p.0.as_str())).ok();
        RoleMatcher { phrases, automaton }
    }

    /// The ids of the roles a text mentions, sorted and without duplicates.
    pub fn roles_in(&self, text: &str) -> Vec<String> {
        if self.phrases.is_empty() {
            return Vec::new();
        }
        let lower = text.to_lowercase();
        let mut found: Vec<String> = Vec::new();
        let Some(automaton) = &self.automaton else {
            return found;
        };
        for m in automaton.find_overlapping_iter(&lower) {
            let role = &self.phrases[m.pattern().as_usize()].1;
            if found.contains(role) {
                continue;
            }
            let before = lower[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let after = lower[m.end()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            if !before && !after {
                found.push(role.clone());
            }
        }
        found.sort();
        found
    }
}

/// Whether `phrase` occurs in `text` with no letter or digit right before or after it.
pub fn contains_word(text: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(p) = text[from..].find(phrase) {
        let start = from + p;
        let end = start + phrase.len();
        let before = text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let after = text[end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        if !before && !after {
            return true;
        }
        from = start + phrase.chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn role(id: &str, part_of: Option<&str>, mentions: &[&str]) -> Role {
        Role {
            id: id.into(),
            name: id.into(),
            description: String::new(),
            part_of: part_of.map(str::to_string),
            mentions: mentions.iter().map(|m| m.to_string()).collect(),
            origin: Origin {
                path: "roles.yaml".into(),
                line: 1,
                column: 1,
            },
            part_of_origin: None,
        }
    }

    #[test]
    fn finds_whole_word_mentions_and_parents() {
        let m = RoleMatcher::new(&[
            role("kiropraktor", None, &["kiropraktor", "kiropraktoren"]),
            role("kommune", None, &["kommunen"]),
            role("jobcenter", Some("kommune"), &["jobcenteret"]),
        ]);
        assert_eq!(
            m.roles_in("Praktiserende Kiropraktor henviser."),
            vec!["kiropraktor"]
        );
        assert!(m.roles_in("kiropraktorbehandling").is_empty());
        assert_eq!(
            m.roles_in("Jobcenteret indkalder."),
            vec!["jobcenter", "kommune"]
        );
    }
}
