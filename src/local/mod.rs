//! Local versions: a region's additions to the national guideline, kept apart from it.
//!
//! A local version is a folder `content/local/<slug>/` holding a manifest (`lokal.yaml`),
//! overlay files (`*.md`, see [`overlay`]), optionally `pathways.yaml` (local referral routes)
//! and `filer/` (images and the logo). [`load`] reads one; [`apply`] turns the national
//! [`Guideline`] into the local one — a transform of the national model, so the national text
//! and its numbering are never copied or changed, only added to, with every deviation recorded.

mod apply;
mod check;
pub mod diff;
pub mod fingerprint;
mod manifest;
pub mod overlay;
pub mod pin;
pub mod sanitize;

use std::path::{Path, PathBuf};

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::files::{files_under, report_errors};
use crate::model::{Asset, Pathway};

use crate::model::local::{Deviation, LocalInfo, LocalPart, LocalSection, OverlayKind};
pub use apply::apply;
pub use check::validate;
use overlay::Overlay;

/// The manifest of a local version, in its folder.
pub const MANIFEST: &str = "lokal.yaml";
/// Saved copies of the national text overlays were pinned to (for the diff when it moves).
pub const PINS_DIR: &str = "pins";
/// A local version's own referral routes, in its folder.
pub const PATHWAYS: &str = "pathways.yaml";
/// Files a local version may refer to (images, its logo).
pub const FILES_DIR: &str = "filer";
/// Where local versions live, under the content folder.
pub const LOCAL_DIR: &str = "local";
// The local sites go in the national site's folder under the language's name for them
// (`lokal/<slug>/`, `local/<slug>/`): `PageNames::local_dir`.

/// A local version as read from its folder, before it is applied.
#[derive(Debug, Clone)]
pub struct LocalVersion {
    pub info: LocalInfo,
    pub overlays: Vec<Overlay>,
    pub pathways: Vec<Pathway>,
}

/// The slugs of the local versions under `content/local/`, sorted. A folder whose name is not
/// a plain slug, or that is a symbolic link, is an error.
pub fn discover(content: &Path, diags: &mut Diagnostics) -> Vec<String> {
    let dir = content.join(LOCAL_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut slugs = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            diags.push(
                Diagnostic::file(&path, "a local version may not be a symbolic link")
                    .with_help("move the folder itself into content/local/"),
            );
            continue;
        }
        if !meta.is_dir() {
            continue;
        }
        if !crate::content::is_slug(&name) {
            diags.push(
                Diagnostic::file(
                    &path,
                    format!("local version folder `{name}` is not a plain slug"),
                )
                .with_help("rename it to lower-case a-z, digits and '-', e.g. region-midtjylland"),
            );
            continue;
        }
        slugs.push(name);
    }
    slugs.sort();
    slugs
}

/// Read the local version `slug` from `content/local/<slug>/`.
pub fn load(content: &Path, slug: &str, diags: &mut Diagnostics) -> Option<LocalVersion> {
    let dir = content.join(LOCAL_DIR).join(slug);
    if !crate::content::is_slug(slug) {
        diags.push(
            Diagnostic::file(&dir, format!("`{slug}` is not a plain slug"))
                .with_help("use lower-case a-z, digits and '-', e.g. region-midtjylland"),
        );
        return None;
    }
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.file_type().is_symlink() => {
            diags.push(
                Diagnostic::file(&dir, "a local version may not be a symbolic link")
                    .with_help("move the folder itself into content/local/"),
            );
            return None;
        }
        Ok(m) if m.is_dir() => {}
        _ => {
            diags.push(
                Diagnostic::file(&dir, format!("there is no local version `{slug}`"))
                    .with_help("create it with `vejviser new-local <slug>`"),
            );
            return None;
        }
    }
    let errors_before = diags.error_count();
    refuse_linked_state(&dir, slug, diags);
    let files = files_of(&dir, diags);
    let (info, manifest_ok) = manifest::load(&dir, slug, &files, diags);
    let mut overlays = Vec::new();
    for path in overlay_files(&dir, diags) {
        if let Some(o) = overlay::load(content, &path, diags) {
            overlays.push(o);
        }
    }
    let pathways_file = dir.join(PATHWAYS);
    let mut pathways = if is_symlink(&pathways_file) {
        Vec::new()
    } else {
        crate::content::load_pathways(&pathways_file, diags)
    };
    for p in &mut pathways {
        p.local = Some(info.owner.clone());
    }
    if !manifest_ok || diags.error_count() > errors_before {
        return None;
    }
    Some(LocalVersion {
        info: LocalInfo { files, ..info },
        overlays,
        pathways,
    })
}

/// Whether `path` is itself a symbolic link (not followed).
pub(super) fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Refuse symbolic links where a local version keeps state that is read, written or deleted:
/// `pathways.yaml`, the `pins/` folder and every file in it. `vejviser pin` writes into `pins/`
/// and deletes saved texts there, so a link could make it read or delete files anywhere.
fn refuse_linked_state(dir: &Path, slug: &str, diags: &mut Diagnostics) {
    let pathways = dir.join(PATHWAYS);
    if is_symlink(&pathways) {
        diags.push(
            Diagnostic::file(
                &pathways,
                "pathways.yaml may not be a symbolic link: local files must be real files inside the local folder",
            )
            .with_help("replace the link with a copy of the file itself"),
        );
    }
    let pins = dir.join(PINS_DIR);
    let Ok(meta) = std::fs::symlink_metadata(&pins) else {
        return;
    };
    let repin = format!("then run `vejviser pin {slug}` to save the pinned texts again");
    if meta.file_type().is_symlink() {
        diags.push(
            Diagnostic::file(
                &pins,
                format!("{PINS_DIR}/ may not be a symbolic link: it could read or delete files outside the local folder"),
            )
            .with_help(format!("remove the link (not what it points to) and {repin}")),
        );
        return;
    }
    if !meta.is_dir() {
        diags.push(
            Diagnostic::file(&pins, format!("{PINS_DIR} must be a folder"))
                .with_help(format!("remove the file and {repin}")),
        );
        return;
    }
    for entry in walkdir::WalkDir::new(&pins)
        .follow_links(false)
        .min_depth(1)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if e.path_is_symlink() => diags.push(
                Diagnostic::file(
                    e.path(),
                    format!("symbolic link in {PINS_DIR}/: saved texts must be real files inside the local folder"),
                )
                .with_help(format!("remove the link (not what it points to) and {repin}")),
            ),
            Ok(_) => {}
            Err(e) => diags.push(Diagnostic::file(&pins, format!("cannot read folder: {e}"))),
        }
    }
}

/// The overlay files (`*.md`) of a local version, sorted; symbolic links are refused.
fn overlay_files(dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() != 1 || (e.file_name() != PINS_DIR && e.file_name() != FILES_DIR)
        })
    {
        match entry {
            Ok(e) if e.path_is_symlink() => diags.push(
                Diagnostic::file(e.path(), "symbolic links are refused in a local version")
                    .with_help("put the file itself in the folder"),
            ),
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
                out.push(e.into_path())
            }
            Ok(_) => {}
            Err(e) => diags.push(Diagnostic::file(dir, format!("cannot read folder: {e}"))),
        }
    }
    out
}

/// The files under `filer/`; a symbolic link there is an error (it could point anywhere).
fn files_of(dir: &Path, diags: &mut Diagnostics) -> Vec<Asset> {
    let root = dir.join(FILES_DIR);
    let (found, errors) = files_under(&root, |_| false);
    report_errors(&root, errors, diags);
    let mut out = Vec::new();
    for f in found {
        if f.is_symlink {
            diags.push(
                Diagnostic::file(
                    &f.path,
                    "symbolic link in filer/: local files must be real files inside the local folder",
                )
                .with_help("copy the file itself into filer/"),
            );
        } else {
            out.push(Asset {
                relative: f.relative,
                path: f.path,
            });
        }
    }
    out
}

/// Why a file reference in local content is refused, if it is: it must stay inside the local
/// folder (no `..`, no absolute path, no `file:`), and name a file under `filer/` or a page of
/// the site.
pub fn reference_problem(url: &str, files: &[Asset]) -> Option<String> {
    let path = url.split(['#', '?']).next().unwrap_or(url);
    let decoded = path
        .replace("%2e", ".")
        .replace("%2E", ".")
        .replace('\\', "/");
    if decoded.starts_with('/')
        || decoded.to_ascii_lowercase().starts_with("file:")
        || decoded.as_bytes().get(1) == Some(&b':')
    {
        return Some(format!(
            "file reference `{url}` is an absolute path; it must stay inside the local folder"
        ));
    }
    if decoded.split('/').any(|seg| seg == "..") {
        return Some(format!(
            "file reference `{url}` leaves the local folder (`..`)"
        ));
    }
    if let Some(rel) = decoded.strip_prefix(&format!("{FILES_DIR}/")) {
        if !files.iter().any(|f| f.relative == rel) {
            return Some(format!(
                "file reference `{url}`: there is no such file in {FILES_DIR}/ (symbolic links are not followed)"
            ));
        }
        return None;
    }
    if decoded.starts_with("figurer/") || decoded.is_empty() || !decoded.contains('/') {
        return None;
    }
    Some(format!(
        "file reference `{url}`: local files must be under {FILES_DIR}/"
    ))
}
