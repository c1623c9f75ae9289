//! The digest of everything a build reads: the content and templates folders (every file's
//! path and bytes), which sites are built, the base URL, and this build of vejviser (whose
//! built-in theme is in its build id). Two builds with the same digest make the same site.

use std::path::Path;

use rayon::prelude::*;

use super::{BuildPaths, Versions};
use crate::cache::{Digest, KeyHasher};

/// The digest of what a build of `versions` at `base_url` from `paths` reads; None when a
/// file cannot be read (then nothing is taken as unchanged).
pub fn digest(paths: &BuildPaths, versions: &Versions, base_url: Option<&str>) -> Option<Digest> {
    let mut h = KeyHasher::new("inputs");
    h.part(format!("{versions:?}").as_bytes());
    h.part(base_url.unwrap_or_default().as_bytes());
    h.part(b"content");
    folder(&paths.content, &mut h)?;
    h.part(b"templates");
    if paths.templates.exists() {
        folder(&paths.templates, &mut h)?;
    }
    Some(h.finish())
}

/// Every file under `dir`, in name order, as its path relative to `dir` and the digest of its
/// bytes (the files read and digested side by side).
fn folder(dir: &Path, h: &mut KeyHasher) -> Option<()> {
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name();
    let mut files = Vec::new();
    for entry in walk {
        let entry = entry.ok()?;
        if !entry.file_type().is_dir() {
            files.push(entry.into_path());
        }
    }
    let digests: Vec<Option<Digest>> = files
        .par_iter()
        .map(|path| std::fs::read(path).ok().map(|bytes| Digest::of(&bytes)))
        .collect();
    for (path, d) in files.iter().zip(digests) {
        let rel = path.strip_prefix(dir).ok()?;
        h.part(rel.to_string_lossy().as_bytes()).digest(&d?);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_follows_every_file_and_option() {
        let dir = std::env::temp_dir().join(format!("vejviser-inputs-{}", std::process::id()));
        let content = dir.join("content");
        std::fs::create_dir_all(content.join("sections")).expect("dir");
        std::fs::write(content.join("guideline.yaml"), "title: T\n").expect("write");
        std::fs::write(content.join("sections/a.md"), "A").expect("write");
        let paths = BuildPaths {
            content: content.clone(),
            templates: dir.join("templates"),
            out: dir.join("site"),
        };
        let all = || digest(&paths, &Versions::All, None).expect("digest");
        let first = all();
        assert_eq!(first, all());
        assert_ne!(
            first,
            digest(&paths, &Versions::All, Some("https://x/")).expect("d")
        );
        assert_ne!(
            first,
            digest(&paths, &Versions::Only("a".into()), None).expect("d")
        );
        std::fs::write(content.join("sections/a.md"), "B").expect("write");
        let edited = all();
        assert_ne!(first, edited);
        std::fs::rename(content.join("sections/a.md"), content.join("sections/b.md")).expect("mv");
        let renamed = all();
        assert_ne!(edited, renamed);
        std::fs::create_dir_all(dir.join("templates")).expect("dir");
        std::fs::write(dir.join("templates/page.html"), "x").expect("write");
        assert_ne!(renamed, all());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
