//! Checks of `guideline.yaml` values that serde cannot make: the role pages' activity kinds
//! must be kinds the guideline has.

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::source::SourceFile;
use crate::model::Meta;

/// Every kind in `role_activity_kinds` must be one of the guideline's kinds (declared with
/// `kinds:`, or built in); each one that is not is an error at its place in the file.
pub fn check_activity_kinds(file: &SourceFile, meta: &Meta, diags: &mut Diagnostics) {
    let Some(listed) = &meta.role_activity_kinds else {
        return;
    };
    let kinds = meta.kinds();
    let start = file.text.find("role_activity_kinds").unwrap_or(0);
    for kind in listed {
        if kinds.contains(&kind.as_str()) {
            continue;
        }
        let offset = token_offset(&file.text, start, kind.as_str()).unwrap_or(start);
        diags.push(
            Diagnostic::at(
                &file.path,
                &file.text,
                offset,
                format!(
                    "role_activity_kinds names `{}`, which is not a kind of this guideline",
                    kind.as_str()
                ),
            )
            .with_help(format!(
                "use kinds the sections have ({}), or declare it with kinds:",
                kinds.join(", ")
            )),
        );
    }
}

/// Where `word` first stands as a whole token in `text` at or after `from`.
fn token_offset(text: &str, from: usize, word: &str) -> Option<usize> {
    let is_part = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut at = from;
    while let Some(i) = text.get(at..)?.find(word) {
        let pos = at + i;
        let before = text[..pos].chars().next_back();
        let after = text[pos + word.len()..].chars().next();
        if !before.is_some_and(is_part) && !after.is_some_and(is_part) {
            return Some(pos);
        }
        at = pos + word.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::token_offset;

    #[test]
    fn finds_the_kind_as_a_whole_word_after_the_key() {
        let text = "kinds: [treatment-x]\nrole_activity_kinds: [intervention, treatment]\n";
        let from = text.find("role_activity_kinds").unwrap();
        assert_eq!(
            token_offset(text, from, "treatment"),
            Some(text.rfind("treatment").unwrap())
        );
        assert_eq!(token_offset(text, from, "missing"), None);
    }
}
