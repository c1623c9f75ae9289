//! `vejviser pin <slug> [FILE…]`: after reviewing a changed national section, re-confirm the
//! local overlays written against it (their `pin:` takes the current fingerprint).

use std::path::Path;

use vejviser::base::diagnostics::Diagnostics;
use vejviser::local::pin::{pin_version, Pinned};

pub fn run(content: &Path, slug: &str, files: &[String]) -> bool {
    let mut diags = Diagnostics::default();
    let done = pin_version(content, slug, files, &mut diags);
    let ok = super::finish(&diags, "pin") && done.is_some();
    for (name, what) in done.unwrap_or_default() {
        match what {
            Pinned::Unchanged => eprintln!("{name}: already pinned to the current national text"),
            Pinned::Updated { from: None, to } => eprintln!("{name}: pinned ({to})"),
            Pinned::Updated { from: Some(f), to } => eprintln!("{name}: re-pinned ({f} → {to})"),
        }
    }
    ok
}
