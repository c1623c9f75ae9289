//! The commands of the CLI, one file each.

pub mod build;
pub mod check;
pub mod new_local;
pub mod pin;
pub mod serve;

use vejviser::base::diagnostics::Diagnostics;

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
