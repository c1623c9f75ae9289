//! The theme: templates, stylesheets, scripts and interface strings. The default theme
//! (`theme/` in the repository) is built into the binary; a project's own `templates/` folder
//! overrides it file by file, and may add files of its own.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use super::diagnostics::{Diagnostic, Diagnostics};
use super::files::{files_under, report_errors};

static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/theme");

/// How messages name a file of the built-in theme.
pub const BUILT_IN_LABEL: &str = "(built-in theme)";

/// One file of the theme.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub bytes: Cow<'static, [u8]>,
    /// Where it came from, for messages: the override file, or `(built-in theme)/<name>`.
    pub path: PathBuf,
    /// Whether the project's folder gave it (rather than the built-in theme).
    pub overridden: bool,
}

/// The theme's files by name (`base.html`, `static/style.css`, `strings/da.yaml`, …).
#[derive(Debug, Clone)]
pub struct Theme {
    files: BTreeMap<String, ThemeFile>,
    /// The folder that overrides the built-in files (whether or not it exists).
    pub dir: PathBuf,
}

impl Theme {
    /// The built-in theme alone.
    pub fn built_in() -> Theme {
        let mut files = BTreeMap::new();
        add_dir(&BUILT_IN, &mut files);
        Theme {
            files,
            dir: PathBuf::from(BUILT_IN_LABEL),
        }
    }

    /// The built-in theme with the files of `dir` in place of (or beside) its own; a missing
    /// `dir` is no error (the built-in theme is used as it is). Unreadable files are reported.
    pub fn load(dir: &Path, diags: &mut Diagnostics) -> Theme {
        let mut theme = Theme::built_in();
        theme.dir = dir.to_path_buf();
        if !dir.exists() {
            return theme;
        }
        if !dir.is_dir() {
            diags.push(
                Diagnostic::file(dir, "the templates folder is not a folder")
                    .with_help("point --templates at a folder of template overrides, or remove it"),
            );
            return theme;
        }
        let (found, errors) = files_under(dir, |_| false);
        for f in found.into_iter().filter(|f| !f.is_symlink) {
            match std::fs::read(&f.path) {
                Ok(bytes) => {
                    theme.files.insert(
                        f.relative.clone(),
                        ThemeFile {
                            bytes: Cow::Owned(bytes),
                            path: f.path.clone(),
                            overridden: true,
                        },
                    );
                }
                Err(e) => diags.push(Diagnostic::file(&f.path, format!("cannot read file: {e}"))),
            }
        }
        report_errors(dir, errors, diags);
        theme
    }

    pub fn get(&self, name: &str) -> Option<&ThemeFile> {
        self.files.get(name)
    }

    /// The built-in version of `name`, whether or not the project overrides it.
    pub fn built_in_file(name: &str) -> Option<&'static [u8]> {
        BUILT_IN.get_file(name).map(|f| f.contents())
    }

    /// Every file, by name, in name order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The files under `folder/`, with names relative to it.
    pub fn files_in<'a>(
        &'a self,
        folder: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a ThemeFile)> + 'a {
        self.files().filter_map(move |(name, f)| {
            name.strip_prefix(folder)
                .and_then(|rest| rest.strip_prefix('/'))
                .map(|rest| (rest, f))
        })
    }

    /// Where a message about theme file `name` should point.
    pub fn path_of(&self, name: &str) -> PathBuf {
        match self.files.get(name) {
            Some(f) => f.path.clone(),
            None => self.dir.join(name),
        }
    }

    /// Every file of the built-in theme, by name, for `vejviser init --theme` and tests.
    pub fn built_in_names() -> Vec<String> {
        Theme::built_in().files.into_keys().collect()
    }
}

fn add_dir(dir: &'static Dir<'static>, files: &mut BTreeMap<String, ThemeFile>) {
    for f in dir.files() {
        let name = f.path().to_string_lossy().replace('\\', "/");
        files.insert(
            name.clone(),
            ThemeFile {
                bytes: Cow::Borrowed(f.contents()),
                path: Path::new(BUILT_IN_LABEL).join(&name),
                overridden: false,
            },
        );
    }
    for d in dir.dirs() {
        add_dir(d, files);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_theme_has_its_templates_strings_and_assets() {
        let t = Theme::built_in();
        for name in [
            "base.html",
            "strings/da.yaml",
            "static/style.css",
            "static/sw.js",
        ] {
            let f = t.get(name).unwrap_or_else(|| panic!("{name}"));
            assert!(!f.bytes.is_empty() && !f.overridden, "{name}");
        }
        assert!(t.files_in("static").any(|(n, _)| n == "style.css"));
        assert!(t.files_in("static").all(|(n, _)| !n.contains("base.html")));
    }

    #[test]
    fn a_folder_overrides_file_by_file_and_a_missing_one_is_no_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("base.html"), "mine").expect("write");
        std::fs::create_dir(dir.path().join("static")).expect("mkdir");
        std::fs::write(dir.path().join("static/extra.css"), "x").expect("write");
        let mut diags = Diagnostics::default();
        let t = Theme::load(dir.path(), &mut diags);
        assert!(!diags.has_errors());
        let base = t.get("base.html").expect("base");
        assert!(base.overridden && &*base.bytes == b"mine");
        assert!(t.get("static/extra.css").is_some_and(|f| f.overridden));
        assert!(t.get("index.html").is_some_and(|f| !f.overridden));
        let missing = Theme::load(&dir.path().join("nope"), &mut diags);
        assert!(!diags.has_errors());
        assert_eq!(missing.files().count(), Theme::built_in().files().count());
    }
}
