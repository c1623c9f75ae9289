//! `vejviser pin <slug> [FILE…]`: after reviewing a changed national section, re-confirm the
//! local overlays written against it (their `pin:` takes the current fingerprint).

use std::path::PathBuf;

use clap::Args;
use vejviser::base::diagnostics::Diagnostics;
use vejviser::content;
use vejviser::local::{self, pin::pin_version, pin::Pinned};

#[derive(Args)]
pub struct PinArgs {
    /// The local version.
    slug: String,
    /// Overlay files to pin (names in the local folder); all when none are given.
    files: Vec<String>,
    /// The content folder.
    #[arg(long, default_value = "content")]
    content: PathBuf,
}

pub fn run(args: &PinArgs) -> bool {
    let (content_dir, slug, files) = (&args.content, &args.slug, &args.files);
    let mut diags = Diagnostics::default();
    let national = content::load(content_dir, &mut diags);
    let version = local::load(content_dir, slug, &mut diags);
    let done = match (&national, &version) {
        (Some(national), Some(version)) => pin_version(national, version, files, &mut diags),
        _ => None,
    };
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
