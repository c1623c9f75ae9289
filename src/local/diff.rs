//! Text diffs (with `similar`): a unified line diff for the terminal, and a word diff as HTML
//! for the "Lokale tilpasninger" page.

use similar::{ChangeTag, TextDiff};

use crate::base::text::escape_html;

/// Lines of a unified diff (`-` removed, `+` added), at most 60 lines.
pub fn unified(old: &str, new: &str) -> String {
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::new();
    let mut shown = 0;
    for group in diff.grouped_ops(1) {
        for op in group {
            for change in diff.iter_changes(&op) {
                let sign = match change.tag() {
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                    ChangeTag::Equal => ' ',
                };
                if shown == 60 {
                    out.push_str("  …\n");
                    return out;
                }
                out.push(sign);
                out.push(' ');
                out.push_str(change.value().trim_end());
                out.push('\n');
                shown += 1;
            }
        }
    }
    out
}

/// A word diff of two plain texts as two HTML fragments: the old text with removed words in
/// `<del>`, the new text with added words in `<ins>`.
pub fn words_html(old: &str, new: &str) -> (String, String) {
    let diff = TextDiff::from_words(old, new);
    let (mut left, mut right) = (String::new(), String::new());
    for change in diff.iter_all_changes() {
        let word = escape_html(change.value());
        match change.tag() {
            ChangeTag::Equal => {
                left.push_str(&word);
                right.push_str(&word);
            }
            ChangeTag::Delete => {
                left.push_str("<del>");
                left.push_str(&word);
                left.push_str("</del>");
            }
            ChangeTag::Insert => {
                right.push_str("<ins>");
                right.push_str(&word);
                right.push_str("</ins>");
            }
        }
    }
    (left, right)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_removed_and_added_words() {
        let (old, new) = words_html("henvis til fysioterapeut", "henvis til kommunens tilbud");
        assert!(old.contains("<del>fysioterapeut</del>"), "{old}");
        assert!(new.contains("<ins>kommunens</ins>"), "{new}");
        assert!(old.starts_with("henvis til"));
    }

    #[test]
    fn unified_diff_shows_changed_lines() {
        let d = unified("a\nb\nc\n", "a\nB\nc\n");
        assert!(d.contains("- b") && d.contains("+ B"), "{d}");
    }
}
