//! Staleness: each overlay records (`pin:`) a fingerprint of the national section it was
//! written against, and `pins/<fingerprint>.txt` keeps that text, so that when the national
//! section moves, `check` and `build` can warn with a diff, and `vejviser pin` re-confirms it.

use std::path::{Path, PathBuf};

use super::fingerprint::{fingerprint, is_fingerprint, pinned_text};
use super::is_symlink;
use super::overlay::Overlay;
use super::LocalVersion;
use super::PINS_DIR;
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::source::located;
use crate::model::{Guideline, Section};

fn snapshot_path(dir: &Path, fingerprint: &str) -> PathBuf {
    dir.join(PINS_DIR).join(format!("{fingerprint}.txt"))
}

/// The saved text for `fingerprint`, if it is kept as a real file in a real `pins/` folder
/// (loading refuses links there; this does not follow one either way).
fn read_snapshot(dir: &Path, fingerprint: &str) -> Option<String> {
    let path = snapshot_path(dir, fingerprint);
    if !is_fingerprint(fingerprint) || is_symlink(&dir.join(PINS_DIR)) || is_symlink(&path) {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// Whether the overlay is stale against `target`; warns (with a diff when the pinned text was
/// kept) if so.
pub fn check(
    dir: &Path,
    slug: &str,
    o: &Overlay,
    target: &Section,
    diags: &mut Diagnostics,
) -> bool {
    let now = fingerprint(target);
    let name = o
        .file
        .path
        .strip_prefix(dir)
        .unwrap_or(&o.file.path)
        .display();
    let repin = format!("after reviewing it, run `vejviser pin {slug} {name}`");
    match &o.pin {
        None => {
            diags.push(
                located(
                    &o.file,
                    &o.kind_origin,
                    format!(
                        "overlay is not pinned to the national text of {}",
                        target.described()
                    ),
                )
                .with_help(repin)
                .warning(),
            );
            true
        }
        Some((pin, _)) if *pin == now => false,
        Some((pin, origin)) => {
            let before = read_snapshot(dir, pin);
            let change = match &before {
                Some(old) => format!(
                    "what changed nationally since the pin:\n{}",
                    super::diff::unified(old, &pinned_text(target))
                ),
                None => format!(
                    "the text it was pinned to is not kept in {PINS_DIR}/{pin}.txt, so no diff can be shown"
                ),
            };
            diags.push(
                located(
                    &o.file,
                    origin,
                    format!(
                        "stale overlay: the national section {} has changed since this overlay was pinned",
                        target.described()
                    ),
                )
                .with_help(format!("{change}\n{repin}"))
                .warning(),
            );
            true
        }
    }
}

/// What `pin` did to one overlay.
#[derive(Debug, PartialEq, Eq)]
pub enum Pinned {
    Unchanged,
    Updated { from: Option<String>, to: String },
}

/// Re-pin an overlay to the current national text: write `pin: <fingerprint>` into its front
/// matter (replacing the old one, or after `section:`) and keep the text in `pins/`.
pub fn repin(dir: &Path, o: &Overlay, target: &Section) -> Result<Pinned, Diagnostic> {
    let now = fingerprint(target);
    let snapshot = snapshot_path(dir, &now);
    let write_snapshot = || -> Result<(), Diagnostic> {
        let pins = dir.join(PINS_DIR);
        for p in [&pins, &snapshot] {
            if is_symlink(p) {
                return Err(Diagnostic::file(
                    p,
                    "symbolic link in the local version's pins: refusing to write through it",
                )
                .with_help(
                    "remove the link (not what it points to) and run `vejviser pin` again",
                ));
            }
        }
        if snapshot.is_file() {
            return Ok(());
        }
        std::fs::create_dir_all(dir.join(PINS_DIR))
            .and_then(|_| std::fs::write(&snapshot, pinned_text(target)))
            .map_err(|e| Diagnostic::file(&snapshot, format!("cannot write: {e}")))
    };
    let old = o.pin.as_ref().map(|(p, _)| p.clone());
    if old.as_deref() == Some(now.as_str()) {
        write_snapshot()?;
        return Ok(Pinned::Unchanged);
    }
    let text = &o.file.text;
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let pin_line = format!("pin: {now}{newline}");
    // Only the front matter is edited: from the first line to the closing `---`.
    let end = lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| l.trim_end() == "---")
        .map(|(i, _)| i)
        .unwrap_or(0);
    let at = |key: &str| (1..end).find(|&i| lines[i].starts_with(key));
    if let Some(i) = at("pin:") {
        lines[i] = &pin_line;
    } else {
        let after = at("section:").map_or(end, |i| i + 1);
        lines.insert(after, &pin_line);
    }
    let new_text: String = lines.concat();
    write_snapshot()?;
    std::fs::write(&o.file.path, new_text)
        .map_err(|e| Diagnostic::file(&o.file.path, format!("cannot write: {e}")))?;
    Ok(Pinned::Updated { from: old, to: now })
}

/// Pin the overlays of a local version (all, or those named in `only`: file names in the
/// local folder or paths) to the current national text, and drop saved texts no overlay uses.
/// Returns what happened to each overlay, by its file name in the local folder.
pub fn pin_version(
    national: &Guideline,
    version: &LocalVersion,
    only: &[String],
    diags: &mut Diagnostics,
) -> Option<Vec<(String, Pinned)>> {
    let dir = &version.info.dir;
    let name_of = |o: &Overlay| {
        o.file
            .path
            .strip_prefix(dir)
            .unwrap_or(&o.file.path)
            .to_string_lossy()
            .replace('\\', "/")
    };
    for wanted in only {
        let known = version.overlays.iter().any(|o| {
            name_of(o) == *wanted || o.file.path == Path::new(wanted) || o.source == *wanted
        });
        if !known {
            diags.push(
                Diagnostic::file(
                    &dir.join(wanted),
                    "no overlay of this local version has this name",
                )
                .with_help(format!("name a .md file in {}", dir.display())),
            );
        }
    }
    if diags.has_errors() {
        return None;
    }
    let mut done = Vec::new();
    for o in &version.overlays {
        let name = name_of(o);
        let selected = only.is_empty()
            || only
                .iter()
                .any(|w| *w == name || o.file.path == Path::new(w) || o.source == *w);
        if !selected {
            continue;
        }
        let Some(target) = national.section(&o.section) else {
            diags.push(located(
                &o.file,
                &o.section_origin,
                format!("overlay targets unknown section `{}`", o.section),
            ));
            continue;
        };
        match repin(dir, o, target) {
            Ok(p) => done.push((name, p)),
            Err(d) => diags.push(d),
        }
    }
    // Saved texts that no overlay is pinned to any more.
    let mut in_use: Vec<String> = Vec::new();
    for o in &version.overlays {
        let pinned_now = done
            .iter()
            .find(|(n, _)| *n == name_of(o))
            .and_then(|(_, p)| match p {
                Pinned::Updated { to, .. } => Some(to.clone()),
                Pinned::Unchanged => None,
            });
        if let Some(p) = pinned_now.or_else(|| o.pin.as_ref().map(|(p, _)| p.clone())) {
            in_use.push(format!("{p}.txt"));
        }
    }
    // Only real files directly in a real `pins/` folder are removed, never through a link.
    let pins = dir.join(PINS_DIR);
    let entries = (!is_symlink(&pins))
        .then(|| std::fs::read_dir(&pins).ok())
        .flatten();
    for e in entries.into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let real_file = e.file_type().is_ok_and(|t| t.is_file());
        if real_file && name.ends_with(".txt") && !in_use.contains(&name) {
            let _ = std::fs::remove_file(e.path());
        }
    }
    (!diags.has_errors()).then_some(done)
}
