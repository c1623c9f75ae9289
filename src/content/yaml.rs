//! YAML through serde-saphyr (pure Rust, no unsafe, with input budgets against alias bombs),
//! with errors located in the file the YAML came from.

use serde::de::DeserializeOwned;
use serde_saphyr::Location;

use crate::content::SourceFile;
use crate::diagnostics::{offset_of, Diagnostic, Diagnostics};
use crate::model::Origin;

/// Parse `yaml`, which starts at 1-based line `first_line` of `file`.
pub fn parse<T: DeserializeOwned>(
    file: &SourceFile,
    yaml: &str,
    first_line: usize,
    diags: &mut Diagnostics,
) -> Option<T> {
    match serde_saphyr::from_str::<T>(yaml) {
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
