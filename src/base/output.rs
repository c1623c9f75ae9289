//! Writing a site: minified HTML, put into a [`Sink`] as it is made — a fresh folder beside the
//! target, swapped into place only when everything was written, so a failed or killed build
//! never touches the previous site.

use std::fs;
use std::io::{self, Write};
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

/// Where a build's files go as they are made: a new site folder on disk ([`SiteFolder`]),
/// memory ([`MemorySink`], for the preview and tests) or nowhere ([`Discard`], for `check`).
/// Files are put from several threads at once.
pub trait Sink: Sync {
    /// Keep the file at `path` (relative to the site's root) with `bytes`.
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()>;

    /// Keep the file at `path` whose bytes `write` writes, for a file too large to hold in
    /// memory whole; by default they are gathered and [`put`](Sink::put).
    fn put_stream(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(path, &bytes)
    }
}

/// The files in memory, in path order once taken out.
#[derive(Default)]
pub struct MemorySink {
    files: std::sync::Mutex<Vec<OutputFile>>,
}

impl MemorySink {
    /// The files put, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.files.into_inner().unwrap_or_default();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.files
            .lock()
            .map(|mut files| files.push(OutputFile::asset(path, bytes.to_vec())))
            .map_err(|_| io::Error::other("a thread stopped while keeping the files"))
    }
}

/// Nothing kept: what `vejviser check` renders only to find the problems.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> io::Result<()> {
        Ok(())
    }
}

/// A new site folder, written beside `out` (`.<name>.new-<pid>`) and swapped into place by
/// [`SiteFolder::finish`] only when everything was written: until then, and when the build
/// fails or is stopped, the previous `out` is as it was. A folder left behind by a build that
/// was killed is removed by the next build.
pub struct SiteFolder {
    out: PathBuf,
    tmp: PathBuf,
    parent: PathBuf,
    name: String,
    dirs: std::sync::Mutex<std::collections::HashSet<String>>,
    finished: bool,
}

impl SiteFolder {
    /// Start a new folder for `out`.
    pub fn create(out: &Path) -> io::Result<Self> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".to_string());
        remove_stale(&parent, &name);
        let tmp = parent.join(format!(".{name}.new-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp)?;
        }
        fs::create_dir_all(&tmp)?;
        Ok(SiteFolder {
            out: out.to_path_buf(),
            tmp,
            parent,
            name,
            dirs: Default::default(),
            finished: false,
        })
    }

    /// Put the new folder in the place of `out` (the previous one is removed).
    pub fn finish(mut self) -> io::Result<()> {
        let old = self
            .parent
            .join(format!(".{}.old-{}", self.name, std::process::id()));
        if self.out.exists() {
            fs::rename(&self.out, &old)?;
            if let Err(e) = fs::rename(&self.tmp, &self.out) {
                let _ = fs::rename(&old, &self.out);
                return Err(e);
            }
            self.finished = true;
            fs::remove_dir_all(&old)?;
        } else {
            fs::rename(&self.tmp, &self.out)?;
            self.finished = true;
        }
        Ok(())
    }
}

impl Sink for SiteFolder {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        fs::write(self.prepare(path)?, bytes)
    }

    fn put_stream(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut file =
            io::BufWriter::with_capacity(1 << 16, fs::File::create(self.prepare(path)?)?);
        write(&mut file)?;
        file.flush()
    }
}

impl SiteFolder {
    /// Where `path` goes in the new folder, its folder made; a path that would leave the site
    /// is refused.
    fn prepare(&self, path: &str) -> io::Result<PathBuf> {
        if path.split('/').any(|c| c == ".." || c.is_empty()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("bad output path {path}"),
            ));
        }
        if let Some((dir, _)) = path.rsplit_once('/') {
            let known = self.dirs.lock().map(|d| d.contains(dir)).unwrap_or(false);
            if !known {
                fs::create_dir_all(self.tmp.join(dir))?;
                if let Ok(mut d) = self.dirs.lock() {
                    d.insert(dir.to_string());
                }
            }
        }
        Ok(self.tmp.join(path))
    }
}

impl Drop for SiteFolder {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Remove the `.<name>.new-<pid>` and `.<name>.old-<pid>` folders in `parent` of builds that
/// no longer run (killed part-way); a build still running keeps its own.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let new = format!(".{name}.new-");
    let old = format!(".{name}.old-");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name
            .strip_prefix(&new)
            .or_else(|| file_name.strip_prefix(&old))
        else {
            continue;
        };
        let running = pid.parse::<u32>().is_ok_and(|pid| {
            pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
        });
        if !running && entry.path().is_dir() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Write `files` as the new content of `out`: into a [`SiteFolder`], then swapped in. On error
/// the previous `out` is left as it was.
pub fn write_site(out: &Path, files: &[OutputFile]) -> io::Result<()> {
    use rayon::prelude::*;
    let folder = SiteFolder::create(out)?;
    files
        .par_iter()
        .with_min_len(16)
        .try_for_each(|f| folder.put(&f.path, &f.bytes))?;
    folder.finish()
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

    #[test]
    fn a_folder_left_by_a_killed_build_is_removed_and_an_unfinished_one_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[OutputFile::asset("a.txt", b"1".to_vec())]).unwrap();
        // What a killed build leaves: a new folder of a process that no longer runs.
        let stale = dir.path().join(".site.new-4000000000");
        fs::create_dir_all(stale.join("x")).unwrap();
        let folder = SiteFolder::create(&out).unwrap();
        assert!(!stale.exists());
        folder.put("d/b.txt", b"2").unwrap();
        drop(folder); // not finished: the build failed
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"1");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
