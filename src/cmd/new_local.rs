//! `vejviser new-local <slug>`: scaffold a local version to fill in.

use std::path::PathBuf;

use clap::Args;
use vejviser::local::{FILES_DIR, LOCAL_DIR, MANIFEST};

#[derive(Args)]
pub struct NewLocalArgs {
    /// The local version's folder name: lower-case a-z, digits and '-'.
    slug: String,
    /// Who owns it, e.g. "Region Midtjylland".
    #[arg(long)]
    owner: Option<String>,
    /// The content folder.
    #[arg(long, default_value = "content")]
    content: PathBuf,
}

pub fn run(args: &NewLocalArgs) -> bool {
    let (content, slug, owner) = (
        args.content.as_path(),
        args.slug.as_str(),
        args.owner.as_deref(),
    );
    if !vejviser::content::is_slug(slug) {
        eprintln!(
            "error: `{slug}` is not a plain slug\n  help: use lower-case a-z, digits and '-', e.g. region-midtjylland"
        );
        return false;
    }
    if !content.is_dir() {
        eprintln!(
            "{}: error: content folder not found\n  help: run vejviser from the project folder, or pass --content DIR",
            content.display()
        );
        return false;
    }
    let dir = content.join(LOCAL_DIR).join(slug);
    if dir.exists() || std::fs::symlink_metadata(&dir).is_ok() {
        eprintln!(
            "{}: error: a local version `{slug}` exists already; it was left as it is",
            dir.display()
        );
        return false;
    }
    let owner = owner.unwrap_or("UDFYLD: hvem ejer den lokale version (fx Region Midtjylland)");
    let manifest = format!(
        r##"# The manifest of the local version `{slug}`. See README.md, "Local versions".
name: "{owner} – lokal version"
owner: "{owner}"
# How readers reach the owner: only what the owner states (no invented addresses).
contact: "UDFYLD: kontakt"
# The national version the overlays are written against (empty when it has none).
base_version: ""
branding:
  name: "{owner}"
  # An accent colour dark enough for white text (contrast 4.5:1), e.g. "#00587c".
  colour: "#5a2d82"
  # logo: logo.svg        # a file in {FILES_DIR}/
#
# Overlays are .md files in this folder. Each starts with front matter:
#   overlay: add | insert | replace
#   section: <id of a national section>
#   passage: "words from one national paragraph"   (add/replace; optional)
#   reason: "why the national text does not apply"  (replace: required)
#   id, title, kind, roles                          (insert: the new local section)
# then the local text in Markdown. After writing or reviewing overlays, run
#   vejviser pin {slug}
# so that `check` and `build` can warn when the national text they concern changes.
"##
    );
    let written = std::fs::create_dir_all(dir.join(FILES_DIR))
        .and_then(|_| std::fs::write(dir.join(MANIFEST), manifest));
    if let Err(e) = written {
        eprintln!("{}: error: cannot write: {e}", dir.display());
        return false;
    }
    eprintln!(
        "created {}/{MANIFEST}: fill in owner and contact, add overlays, then run `vejviser pin {slug}` and `vejviser build --local {slug}`",
        dir.display()
    );
    true
}
