//! Problems found in the content: each with its file, line, column and a hint on what to do.
//!
//! Every stage of a run pushes into one [`Diagnostics`] collection, so one run reports all the
//! problems at once. They print as `path:line:column: error: message`, followed by a miette
//! snippet that shows the offending source line and then the hint, each said once.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in a source file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
    /// The source text and byte offset, for the snippet in the report.
    snippet: Option<(Arc<str>, usize)>,
}

impl Diagnostic {
    /// A problem at a byte `offset` of `text` (the full text of the file at `path`).
    pub fn at(path: &Path, text: &Arc<str>, offset: usize, message: impl Into<String>) -> Self {
        let offset = offset.min(text.len());
        let (line, column) = line_col(text, offset);
        Diagnostic {
            severity: Severity::Error,
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
            help: None,
            snippet: Some((text.clone(), offset)),
        }
    }

    /// A problem at a known line and column, without a snippet.
    pub fn at_line(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }

    /// A problem with a whole file (it cannot be read, it is missing, …).
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        Self::at_line(path, 0, 0, message)
    }

    /// Add a hint on what to do (an empty hint adds nothing).
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        let help = help.into();
        self.help = (!help.is_empty()).then_some(help);
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// `path:line:column` (or just `path` when the line is unknown).
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.path.display().to_string()
        } else {
            format!("{}:{}:{}", self.path.display(), self.line, self.column)
        }
    }

    /// The source line with a label under the spot (a miette snippet), when known. It holds
    /// neither the message nor the help: [`Diagnostic::render`] prints those once.
    pub fn report(&self) -> Option<String> {
        self.snippet_text(false)
    }

    fn snippet_text(&self, colour: bool) -> Option<String> {
        let (text, offset) = self.snippet.as_ref()?;
        let len = text[*offset..].chars().next().map_or(0, char::len_utf8);
        // miette prints the message as its first line; a one-character stand-in is dropped
        // below, so that the message is printed only once (in the located first line).
        let diag = miette::MietteDiagnostic::new("-")
            .with_label(miette::LabeledSpan::at(*offset..*offset + len, "here"));
        let source = CharColumns {
            name: self.path.display().to_string(),
            text: text.clone(),
        };
        let report = miette::Report::new(diag).with_source_code(source);
        let theme = if colour {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        let mut out = String::new();
        let handler = miette::GraphicalReportHandler::new_themed(theme);
        handler.render_report(&mut out, report.as_ref()).ok()?;
        let snippet = out.split_once('\n').map_or("", |(_, rest)| rest);
        Some(snippet.trim_end().to_string())
    }

    /// The whole printed form: `path:line:column: error: message`, the snippet (when the
    /// source is known), then the hint; each said once. `colour` adds terminal colours.
    pub fn render(&self, colour: bool) -> String {
        let (kind, style) = match self.severity {
            Severity::Error => ("error", "\x1b[1;31m"),
            Severity::Warning => ("warning", "\x1b[1;33m"),
        };
        let mut out = if colour {
            format!(
                "\x1b[1m{}\x1b[0m: {style}{kind}\x1b[0m: \x1b[1m{}\x1b[0m",
                self.location(),
                self.message
            )
        } else {
            format!("{}: {kind}: {}", self.location(), self.message)
        };
        if let Some(snippet) = self.snippet_text(colour) {
            out.push('\n');
            out.push_str(&snippet);
        }
        if let Some(help) = &self.help {
            if colour {
                out.push_str(&format!("\n  \x1b[36mhelp:\x1b[0m {help}"));
            } else {
                out.push_str(&format!("\n  help: {help}"));
            }
        }
        out
    }
}

/// The source of a snippet, for miette: its own `str` reading with the column counted in
/// characters (miette counts bytes), so the snippet's `[path:line:column]` agrees with the
/// located first line on lines with æ, ø or å.
struct CharColumns {
    name: String,
    text: Arc<str>,
}

impl miette::SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.as_ref().read_span(span, before, after)?;
        let offset = inner.span().offset().min(self.text.len());
        let (_, column) = line_col(&self.text, offset);
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column - 1,
            inner.line_count(),
        )))
    }
}

/// Whether to print in colour: only on a terminal, and not when `NO_COLOR` is set (to
/// anything non-empty, <https://no-color.org>).
pub fn use_colour(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {kind}: {}", self.location(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// All problems of one run.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Keep only the problems `keep` accepts.
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems in a stable order: by file, then position.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
        });
        items
    }

    /// Print every problem to stderr: the located line, the snippet, the hint; in colour
    /// when stderr is a terminal and `NO_COLOR` is not set.
    pub fn print(&self) {
        use std::io::IsTerminal;
        let colour = use_colour(
            std::io::stderr().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        );
        for d in self.sorted() {
            eprintln!("{}", d.render(colour));
            if d.snippet.is_some() {
                eprintln!();
            }
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Byte offset of the start of a 1-based line (clamped to the text).
pub fn line_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// Byte offset of a 1-based line and column (in characters).
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = line_offset(text, line);
    let rest = &text[start..];
    rest.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\næøå x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (2, 5));
        assert_eq!(offset_of(text, 2, 5), x);
    }

    #[test]
    fn printed_once_with_agreeing_columns() {
        let text: Arc<str> = Arc::from("---\nFormålet står i [[x]].\n");
        let offset = text.find("[[").unwrap();
        let d = Diagnostic::at(
            Path::new("a.md"),
            &text,
            offset,
            "broken cross-reference `x`",
        )
        .with_help("did you mean `y`?");
        let out = d.render(false);
        assert!(
            out.starts_with("a.md:2:17: error: broken cross-reference `x`\n"),
            "{out}"
        );
        assert_eq!(out.matches("broken cross-reference").count(), 1, "{out}");
        assert_eq!(out.matches("did you mean").count(), 1, "{out}");
        assert!(out.contains("╭─[a.md:2:17]"), "{out}");
        // The label's mark stands under the `[` (column 17, after two 2-byte characters).
        let line = out.lines().find(|l| l.contains('┬')).unwrap();
        let code = out.lines().find(|l| l.contains("Formålet")).unwrap();
        let mark = line.chars().position(|c| c == '┬').unwrap();
        assert_eq!(code.chars().nth(mark), Some('['), "{out}");
        assert!(!out.contains('\x1b'));
        assert!(d.render(true).contains('\x1b'));
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        use std::ffi::OsStr;
        assert!(use_colour(true, None));
        assert!(use_colour(true, Some(OsStr::new(""))));
        assert!(!use_colour(true, Some(OsStr::new("1"))));
        assert!(!use_colour(false, None));
    }
}
