//! The files a site copies as they are: stylesheets and scripts from the theme's `static/`
//! (under `assets/`), figures from `content/figurer/`, and a local version's own files, logo
//! and accent colour.

use std::path::Path;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::output::OutputFile;
use crate::base::theme::Theme;
use crate::model::local::LocalInfo;
use crate::model::pages::ASSETS_DIR;
use crate::model::Guideline;

/// Every file `g`'s site copies; every file that cannot be read is reported.
pub fn files(g: &Guideline, theme: &Theme, diags: &mut Diagnostics) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for (name, f) in theme.files_in("static") {
        files.push(OutputFile::asset(
            &format!("{ASSETS_DIR}/{name}"),
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

/// A local version's accent colour as a stylesheet (the pages' CSP allows no inline styles).
fn accent_colour(info: &LocalInfo) -> OutputFile {
    let colour = info.branding.colour.as_deref().unwrap_or("#5a2d82");
    OutputFile::asset(
        &format!("{ASSETS_DIR}/lokal.css"),
        format!(":root{{--local:{colour}}}\n").into_bytes(),
    )
}
