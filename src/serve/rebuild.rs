//! Rebuilding while previewing: the first build, then one rebuild per batch of changed files,
//! writing only the output files whose bytes changed (in place, each file replaced atomically)
//! so that the served folder never disappears and a failed rebuild leaves the last good site.

use std::collections::HashMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build::BuildPaths;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::OutputFile;

/// What a successful (re)build did.
#[derive(Debug, Default)]
pub struct Report {
    /// HTML pages written because their bytes changed.
    pub pages: usize,
    /// Other files written.
    pub files: usize,
    /// Files removed because the build no longer makes them.
    pub removed: usize,
    pub elapsed: Duration,
}

impl Report {
    /// One line for the terminal.
    pub fn line(&self) -> String {
        let mut s = format!(
            "rebuilt {} page{} in {} ms",
            self.pages,
            if self.pages == 1 { "" } else { "s" },
            self.elapsed.as_millis()
        );
        if self.files > 0 {
            s.push_str(&format!(" (+{} other files)", self.files));
        }
        if self.removed > 0 {
            s.push_str(&format!(", {} removed", self.removed));
        }
        s
    }
}

/// The state kept between rebuilds: what is on disk, by path and content hash.
pub struct Rebuilder {
    pub paths: BuildPaths,
    written: HashMap<String, u64>,
    built_once: bool,
}

impl Rebuilder {
    pub fn new(paths: BuildPaths) -> Self {
        Rebuilder {
            paths,
            written: HashMap::new(),
            built_once: false,
        }
    }

    /// Rebuild after `changed` files changed (all of it on the first call). On errors nothing
    /// is written and the diagnostics come back.
    pub fn rebuild(&mut self, _changed: &[PathBuf]) -> Result<Report, Diagnostics> {
        let started = Instant::now();
        let mut diags = Diagnostics::default();
        if !self.built_once {
            if let Err(d) = crate::build::check_out_dir(&self.paths) {
                diags.push(d);
                return Err(diags);
            }
        }
        let Some(files) = crate::build::render_files(&self.paths, &mut diags) else {
            return Err(diags);
        };
        let mut report = self.sync(&files).map_err(|e| {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::file(
                &self.paths.out,
                format!("cannot write the site: {e}"),
            ));
            d
        })?;
        // Warnings (such as the missing base_url) are shown once, at the first build.
        if !self.built_once {
            diags.print();
        }
        self.built_once = true;
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// Make the output folder hold exactly `files`: write those whose bytes differ from what
    /// was written before, remove those no longer built. The first time, the whole folder is
    /// replaced at once (as `vejviser build` does).
    fn sync(&mut self, files: &[OutputFile]) -> io::Result<Report> {
        let mut report = Report::default();
        let hashes: HashMap<String, u64> = files
            .iter()
            .map(|f| (f.path.clone(), hash(&f.bytes)))
            .collect();
        if !self.built_once {
            crate::output::write_site(&self.paths.out, files)?;
            report.pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
            report.files = files.len() - report.pages;
        } else {
            for f in files {
                if self.written.get(&f.path) == hashes.get(&f.path) {
                    continue;
                }
                write_in_place(&self.paths.out, f)?;
                if f.path.ends_with(".html") {
                    report.pages += 1;
                } else {
                    report.files += 1;
                }
            }
            for old in self.written.keys() {
                if !hashes.contains_key(old) {
                    let _ = fs::remove_file(self.paths.out.join(old));
                    report.removed += 1;
                }
            }
        }
        self.written = hashes;
        Ok(report)
    }
}

/// Replace one file of the site: written beside it, then renamed over it, so a request never
/// sees half a file.
pub fn write_in_place(out: &Path, f: &OutputFile) -> io::Result<()> {
    if f.path.split('/').any(|c| c == ".." || c.is_empty()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("bad output path {}", f.path),
        ));
    }
    let path = out.join(&f.path);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.vejviser-tmp"));
    fs::write(&tmp, &f.bytes)?;
    fs::rename(&tmp, &path)
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Where `path` lies: in the content folder, the templates folder, or neither.
pub fn relative_to<'a>(path: &'a Path, dir: &Path) -> Option<&'a Path> {
    path.strip_prefix(dir).ok()
}
