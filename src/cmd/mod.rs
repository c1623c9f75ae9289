//! The commands of the CLI, one file each.

pub mod build;
pub mod check;
pub mod init;
pub mod new_local;
pub mod pin;
pub mod serve;

use std::path::PathBuf;

use clap::Args;
use vejviser::base::diagnostics::Diagnostics;

/// Where the content and templates are (shared by build, check and serve).
#[derive(Args, Clone)]
pub struct SourceArgs {
    /// The content folder.
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// A folder of theme files that replace the built-in theme's, file by file (used when it
    /// exists; the built-in theme alone otherwise).
    #[arg(long, default_value = "templates")]
    pub templates: PathBuf,
}

/// Print the problems and a one-line summary; true when there were no errors.
pub fn finish(diags: &Diagnostics, what: &str) -> bool {
    diags.print();
    if diags.has_errors() {
        eprintln!(
            "{what} failed: {} error(s), {} warning(s)",
            diags.error_count(),
            diags.warning_count()
        );
        false
    } else {
        true
    }
}
