//! Writing a site: minified HTML, written to a fresh folder beside the target and swapped into
//! place only when everything was written, so a failed build never touches the previous site.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One file of the site, by its path relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// A rendered page; HTML is minified with minify-html.
    pub fn page(path: &str, text: String) -> Self {
        let bytes = if path.ends_with(".html") {
            minify(text.as_bytes())
        } else {
            text.into_bytes()
        };
        OutputFile {
            path: path.to_string(),
            bytes,
        }
    }

    /// A page whose bytes are already minified (assembled from parts each minified on its
    /// own, as the print page is): written as it is.
    pub fn minified(path: &str, bytes: Vec<u8>) -> Self {
        OutputFile {
            path: path.to_string(),
            bytes,
        }
    }

    /// A file copied as it is.
    pub fn asset(path: &str, bytes: Vec<u8>) -> Self {
        OutputFile {
            path: path.to_string(),
            bytes,
        }
    }
}

/// Minify HTML, keeping what validators and old browsers want (closing tags, `<html>`/`<head>`).
pub fn minify(html: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = true;
    cfg.minify_js = false;
    minify_html::minify(html, &cfg)
}

/// Write `files` as the new content of `out`: into a temporary sibling folder first, then
/// swapped in. On error the previous `out` is left as it was.
pub fn write_site(out: &Path, files: &[OutputFile]) -> io::Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".to_string());
    let tmp = parent.join(format!(".{name}.new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp)?;
    }
    let written = write_all(&tmp, files);
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if out.exists() {
        fs::rename(out, &old)?;
        if let Err(e) = fs::rename(&tmp, out) {
            let _ = fs::rename(&old, out);
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
        fs::remove_dir_all(&old)?;
    } else {
        fs::rename(&tmp, out)?;
    }
    Ok(())
}

fn write_all(root: &Path, files: &[OutputFile]) -> io::Result<()> {
    use rayon::prelude::*;
    fs::create_dir_all(root)?;
    if let Some(f) = files
        .iter()
        .find(|f| f.path.split('/').any(|c| c == ".." || c.is_empty()))
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("bad output path {}", f.path),
        ));
    }
    // The folders first (few, in order), then the files side by side: creating thousands of
    // files is mostly the kernel's work, which runs on every core.
    let dirs: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    for dir in dirs {
        fs::create_dir_all(root.join(dir))?;
    }
    files
        .par_iter()
        .with_min_len(16)
        .try_for_each(|f| fs::write(root.join(&f.path), &f.bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_in_new_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[OutputFile::asset("a.txt", b"1".to_vec())]).unwrap();
        write_site(&out, &[OutputFile::asset("b/c.txt", b"2".to_vec())]).unwrap();
        assert!(!out.join("a.txt").exists());
        assert_eq!(fs::read(out.join("b/c.txt")).unwrap(), b"2");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_escaping_paths_and_keeps_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[OutputFile::asset("a.txt", b"1".to_vec())]).unwrap();
        assert!(write_site(&out, &[OutputFile::asset("../x", b"2".to_vec())]).is_err());
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"1");
    }
}
