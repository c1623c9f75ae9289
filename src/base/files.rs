//! Walking a folder of source files: every file and symbolic link under it, sorted by name, with
//! its path relative to the folder (`/`-separated), links reported rather than followed.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::diagnostics::{Diagnostic, Diagnostics};

/// A file (or symbolic link) found under a folder.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    /// Relative to the folder walked, with `/` between the parts.
    pub relative: String,
    /// A symbolic link, not followed: the caller decides whether that is an error.
    pub is_symlink: bool,
}

/// The files and symbolic links under `dir` (none when it does not exist), sorted by name, and
/// the entries that could not be read. Folders for which `skip` is true are not entered.
pub fn files_under(dir: &Path, skip: impl Fn(&Path) -> bool) -> (Vec<Found>, Vec<walkdir::Error>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    if !dir.exists() {
        return (found, errors);
    }
    let walk = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !(e.file_type().is_dir() && e.depth() > 0 && skip(e.path())));
    for entry in walk {
        match entry {
            Ok(e) if e.path_is_symlink() || e.file_type().is_file() => found.push(Found {
                relative: relative(dir, e.path()),
                is_symlink: e.path_is_symlink(),
                path: e.into_path(),
            }),
            Ok(_) => {}
            Err(e) => errors.push(e),
        }
    }
    (found, errors)
}

/// "cannot read folder" for each entry a walk of `dir` could not read.
pub fn report_errors(dir: &Path, errors: Vec<walkdir::Error>, diags: &mut Diagnostics) {
    for e in errors {
        diags.push(Diagnostic::file(dir, format!("cannot read folder: {e}")));
    }
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::files_under;

    #[test]
    fn sorted_relative_links_reported_skipped_folders_left_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/c")).expect("mkdir");
        std::fs::create_dir_all(root.join("skip")).expect("mkdir");
        std::fs::write(root.join("b/c/z.txt"), "z").expect("write");
        std::fs::write(root.join("a.txt"), "a").expect("write");
        std::fs::write(root.join("skip/x.txt"), "x").expect("write");
        std::os::unix::fs::symlink("/etc/passwd", root.join("link")).expect("symlink");
        let (found, errors) = files_under(root, |p| p.ends_with("skip"));
        assert!(errors.is_empty());
        let names: Vec<(&str, bool)> = found
            .iter()
            .map(|f| (f.relative.as_str(), f.is_symlink))
            .collect();
        assert_eq!(
            names,
            [("a.txt", false), ("b/c/z.txt", false), ("link", true)]
        );
        assert!(files_under(&root.join("absent"), |_| false).0.is_empty());
    }
}
