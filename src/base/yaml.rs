//! YAML through serde-saphyr (pure Rust, no unsafe, with input budgets against alias bombs),
//! with errors located in the file the YAML came from.

use serde::de::DeserializeOwned;
use serde_saphyr::Location;

use super::diagnostics::{offset_of, Diagnostic, Diagnostics};
use super::source::Origin;
use super::source::SourceFile;

/// Parse `yaml`, which starts at 1-based line `first_line` of `file`.
pub fn parse<T: DeserializeOwned>(
    file: &SourceFile,
    yaml: &str,
    first_line: usize,
    diags: &mut Diagnostics,
) -> Option<T> {
    match serde_saphyr::from_str_with_options::<T>(yaml, options()) {
        Ok(value) => Some(value),
        Err(err) => {
            let message = clean_message(&err.without_snippet().to_string());
            let diagnostic = match err.location().filter(|l| l.line() > 0) {
                Some(loc) => {
                    let line = loc.line() as usize + first_line - 1;
                    let offset = offset_of(&file.text, line, loc.column() as usize);
                    Diagnostic::at(
                        &file.path,
                        &file.text,
                        offset,
                        format!("invalid YAML: {message}"),
                    )
                }
                None => Diagnostic::at_line(
                    &file.path,
                    first_line,
                    1,
                    format!("invalid YAML: {message}"),
                ),
            };
            diags
                .push(diagnostic.with_help("see the section \"Authoring the content\" in README.md for the fields this file takes"));
            None
        }
    }
}

/// Limits for content YAML: far above what a guideline needs, far below what hurts.
fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 100_000;
    budget.max_nodes = 50_000;
    budget.max_aliases = 1_000;
    budget.max_recorded_anchor_events = 10_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// The error text without a trailing "at line …" part (the location is printed separately).
fn clean_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    match first.rfind(" at line ") {
        Some(i) => first[..i].trim_end_matches(',').to_string(),
        None => first.to_string(),
    }
}

/// Where a value was found, shifted to the file's lines.
pub fn origin(file: &SourceFile, loc: &Location, first_line: usize) -> Origin {
    Origin {
        path: file.path.clone(),
        line: (loc.line() as usize).max(1) + first_line - 1,
        column: (loc.column() as usize).max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Arc;

    /// A "billion laughs" document into a type that accepts any nesting: the alias budget
    /// must stop it with an error instead of expanding it.
    #[test]
    fn alias_bomb_is_refused() {
        let mut yaml = String::from(
            "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 9].join(",");
            yaml.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let file = SourceFile {
            path: PathBuf::from("bomb.yaml"),
            text: Arc::from(yaml.as_str()),
        };
        let mut diags = Diagnostics::default();
        let started = std::time::Instant::now();
        let parsed: Option<serde_json::Value> = parse(&file, &yaml, 1, &mut diags);
        assert!(parsed.is_none(), "the bomb must not be expanded");
        assert!(diags.has_errors());
        assert!(started.elapsed().as_secs() < 5);
    }
}
