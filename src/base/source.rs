//! Source files and places in them: reading content files (size limit, UTF-8 check, BOM and
//! CRLF normalisation), [`Origin`]s, and diagnostics located at an origin.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::diagnostics::{line_col, offset_of, Diagnostic, Diagnostics};

/// The largest content file accepted (16 MiB). Larger files are refused with a clear error.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A content file as read: its path as shown in messages and its normalised text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// Read a file as UTF-8 text; report any problem and return `None`.
pub fn read_source(path: &Path, diags: &mut Diagnostics) -> Option<SourceFile> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            diags.push(
                Diagnostic::file(
                    path,
                    format!(
                        "file is {} bytes, larger than the limit of {} bytes",
                        meta.len(),
                        MAX_FILE_BYTES
                    ),
                )
                .with_help("split the section into several sections"),
            );
            return None;
        }
        Ok(_) => {}
        Err(e) => {
            diags.push(Diagnostic::file(path, format!("cannot read file: {e}")));
            return None;
        }
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::file(path, format!("cannot read file: {e}")));
            return None;
        }
    };
    match decode(path, bytes) {
        Ok(source) => Some(source),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Decode bytes as UTF-8 text, dropping a byte-order mark and turning CRLF into LF.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..good]).into_owned();
            let (line, column) = line_col(&valid, valid.len());
            return Err(Diagnostic::at_line(
                path,
                line,
                column,
                format!("invalid UTF-8 (byte {good} of the file)"),
            )
            .with_help("save the file as UTF-8 text"));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    };
    Ok(SourceFile {
        path: path.to_path_buf(),
        text: Arc::from(text),
    })
}

/// Where something was defined: file, line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Origin {
    /// A problem at this place.
    pub fn diagnostic(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at_line(&self.path, self.line, self.column, message)
    }
}

/// A diagnostic at an origin inside `file`.
pub fn located(file: &SourceFile, origin: &Origin, message: impl Into<String>) -> Diagnostic {
    let offset = offset_of(&file.text, origin.line, origin.column);
    Diagnostic::at(&file.path, &file.text, offset, message)
}
