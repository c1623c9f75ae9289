//! The files a site copies as they are: stylesheets and scripts from the theme's `static/`
//! (under `assets/`, CSS and JS with their content hash in the name), figures from `content/figurer/`, and a local version's own files, logo
//! and accent colour.

use std::path::Path;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::output::OutputFile;
use crate::base::theme::Theme;
use crate::model::local::LocalInfo;
use crate::model::Guideline;
use crate::render::{accent_css, asset_path, LOCAL_CSS};

/// The checklist page's script in the theme's `static/`.
const CHECKLIST_SCRIPT: &str = "checklist.js";

/// Every file `g`'s site copies; every file that cannot be read is reported.
pub fn files(g: &Guideline, theme: &Theme, diags: &mut Diagnostics) -> Vec<OutputFile> {
    let mut files = Vec::new();
    // The checklist's script only goes with a checklist.
    let unused = |name: &str| g.checklist.is_none() && name == CHECKLIST_SCRIPT;
    for (name, f) in theme.files_in("static") {
        if unused(name) {
            continue;
        }
        files.push(OutputFile::asset(
            &asset_path(name, &f.bytes),
            f.bytes.to_vec(),
        ));
    }
    let mut copy = |path: &Path, to: String| match std::fs::read(path) {
        Ok(bytes) => files.push(OutputFile::asset(&to, bytes)),
        Err(e) => diags.push(Diagnostic::file(path, format!("cannot read file: {e}"))),
    };
    for fig in &g.figures {
        copy(
            &fig.path,
            format!("{}/{}", g.interface.names.figures(), fig.relative),
        );
    }
    if let Some(info) = &g.local {
        local_files(info, &mut copy);
        files.push(accent_colour(info));
    }
    files
}

/// A local version's files: `filer/…` as they are, and its logo.
fn local_files(info: &LocalInfo, copy: &mut impl FnMut(&Path, String)) {
    for f in &info.files {
        copy(
            &f.path,
            format!("{}/{}", crate::local::FILES_DIR, f.relative),
        );
    }
    if let Some(logo) = &info.branding.logo {
        copy(&logo.path, crate::render::local::logo_path(&logo.relative));
    }
}

/// A local version's accent colour as a stylesheet (the pages' CSP allows no inline styles),
/// fingerprinted like the others.
fn accent_colour(info: &LocalInfo) -> OutputFile {
    let css = accent_css(info);
    OutputFile::asset(&asset_path(LOCAL_CSS, css.as_bytes()), css.into_bytes())
}
