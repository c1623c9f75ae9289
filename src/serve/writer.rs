//! The output folder while previewing: which files were written (by content hash), writing
//! only those whose bytes changed (each replaced atomically), and a generation count so that a
//! background rebuild never overwrites the result of a newer edit.

use std::collections::HashMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::base::output::OutputFile;

/// What a (re)build wrote.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// HTML pages written because their bytes changed.
    pub pages: usize,
    /// Other files written.
    pub files: usize,
    /// Files removed because the build no longer makes them.
    pub removed: usize,
    pub elapsed: Duration,
    /// How it was done: "full" or "incremental".
    pub how: &'static str,
}

impl Report {
    /// One line for the terminal: `rebuilt N pages in X ms (…)`.
    pub fn line(&self) -> String {
        let mut s = format!(
            "rebuilt {} page{} in {} ms ({}",
            self.pages,
            if self.pages == 1 { "" } else { "s" },
            self.elapsed.as_millis(),
            self.how
        );
        if self.files > 0 {
            s.push_str(&format!(", {} other files", self.files));
        }
        if self.removed > 0 {
            s.push_str(&format!(", {} removed", self.removed));
        }
        s.push(')');
        s
    }
}

/// The output folder and what is in it.
pub struct Writer {
    pub out: PathBuf,
    written: HashMap<String, u64>,
    /// Bumped by every rebuild that writes; a background rebuild writes only if it is still
    /// the generation it started from.
    pub generation: u64,
}

impl Writer {
    pub fn new(out: PathBuf) -> Self {
        Writer {
            out,
            written: HashMap::new(),
            generation: 0,
        }
    }

    /// Replace the whole folder with `files` (the first build), as `vejviser build` does.
    pub fn replace_all(&mut self, files: &[OutputFile]) -> io::Result<Report> {
        crate::base::output::write_site(&self.out, files)?;
        self.written = files
            .iter()
            .map(|f| (f.path.clone(), hash(&f.bytes)))
            .collect();
        let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
        Ok(Report {
            pages,
            files: files.len() - pages,
            ..Report::default()
        })
    }

    /// Make the folder hold exactly `files`: write those that changed, remove the others.
    pub fn sync(&mut self, files: &[OutputFile]) -> io::Result<Report> {
        let mut report = self.write_changed(files)?;
        let keep: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let gone: Vec<String> = self
            .written
            .keys()
            .filter(|k| !keep.contains(k.as_str()))
            .cloned()
            .collect();
        for old in gone {
            let _ = fs::remove_file(self.out.join(&old));
            self.written.remove(&old);
            report.removed += 1;
        }
        Ok(report)
    }

    /// Write those of `files` whose bytes differ from what was written before.
    pub fn write_changed(&mut self, files: &[OutputFile]) -> io::Result<Report> {
        let mut report = Report::default();
        for f in files {
            let h = hash(&f.bytes);
            if self.written.get(&f.path) == Some(&h) {
                continue;
            }
            write_in_place(&self.out, f)?;
            self.written.insert(f.path.clone(), h);
            if f.path.ends_with(".html") {
                report.pages += 1;
            } else {
                report.files += 1;
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_changes_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Writer::new(dir.path().join("site"));
        let a = OutputFile::asset("a.html", b"1".to_vec());
        let b = OutputFile::asset("x/b.css", b"2".to_vec());
        w.replace_all(&[a.clone(), b.clone()]).unwrap();
        let b2 = OutputFile::asset("x/b.css", b"3".to_vec());
        let r = w.sync(&[a.clone(), b2]).unwrap();
        assert_eq!((r.pages, r.files, r.removed), (0, 1, 0));
        let r = w.sync(&[a]).unwrap();
        assert_eq!(r.removed, 1);
        assert!(!dir.path().join("site/x/b.css").exists());
        assert_eq!(fs::read_dir(dir.path().join("site/x")).unwrap().count(), 0);
    }
}
