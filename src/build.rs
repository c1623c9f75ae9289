//! The whole pipeline in one call: load, validate, render, write.

use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::OutputFile;
use crate::{check, content, output, render};

/// Where a build reads from and writes to.
#[derive(Debug, Clone)]
pub struct BuildPaths {
    pub content: PathBuf,
    pub templates: PathBuf,
    pub out: PathBuf,
}

/// Load, validate and render; the site's files when there were no errors.
pub fn render_files(paths: &BuildPaths, diags: &mut Diagnostics) -> Option<Vec<OutputFile>> {
    let guideline = content::load(&paths.content, diags);
    let checked = guideline.as_ref().map(|g| check::validate(g, diags));
    // Templates are checked even when content has errors, so one run reports both.
    let files = match (&guideline, &checked) {
        (Some(g), Some(c)) if !diags.has_errors() => {
            render::render_site(g, c, &paths.templates, diags)
        }
        _ => {
            render::check_templates(&paths.templates, diags);
            None
        }
    };
    if diags.has_errors() {
        return None;
    }
    if let Some(g) = &guideline {
        if g.meta
            .base_url
            .as_deref()
            .is_none_or(|u| u.trim().is_empty())
        {
            diags.push(
                Diagnostic::file(
                    &paths.content.join("guideline.yaml"),
                    "base_url is not set: sitemap.xml lists site-relative URLs",
                )
                .with_help("set base_url to the address the site will be published at")
                .warning(),
            );
        }
    }
    files
}

/// Build the site into `paths.out`. Returns false when the build failed (nothing written).
pub fn build(paths: &BuildPaths, diags: &mut Diagnostics) -> bool {
    let Some(files) = render_files(paths, diags) else {
        return false;
    };
    if let Err(e) = output::write_site(&paths.out, &files) {
        diags.push(Diagnostic::file(
            &paths.out,
            format!("cannot write the site: {e}"),
        ));
        return false;
    }
    true
}

/// Validate without writing anything.
pub fn check_only(paths: &BuildPaths, diags: &mut Diagnostics) -> bool {
    render_files(paths, diags).is_some()
}
