//! The whole pipeline in one call: load, validate, render, write.

use std::path::{Path, PathBuf};

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
    if let Err(d) = check_out_dir(paths) {
        diags.push(d);
        return false;
    }
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

/// The output folder is replaced as a whole, so it must be a folder of its own: not a file,
/// not the content or templates (or a folder holding them), and, if it exists and is not empty,
/// a site built before (it has an `index.html`).
pub fn check_out_dir(paths: &BuildPaths) -> Result<(), Diagnostic> {
    let out = &paths.out;
    let refuse = |message: String| {
        Diagnostic::file(out, message).with_help("choose another folder with --out")
    };
    if out.exists() && !out.is_dir() {
        return Err(refuse(
            "--out names a file, not a folder; it was left as it is".into(),
        ));
    }
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let out_abs = if out.exists() {
        canonical(out)
    } else {
        match out.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(parent) if parent.exists() => {
                canonical(parent).join(out.file_name().unwrap_or_default())
            }
            _ => std::env::current_dir()
                .map(|d| d.join(out))
                .unwrap_or_else(|_| out.clone()),
        }
    };
    for (what, dir) in [("content", &paths.content), ("templates", &paths.templates)] {
        let dir = canonical(dir);
        if dir.starts_with(&out_abs) || out_abs.starts_with(&dir) {
            return Err(refuse(format!(
                "--out would replace or sit inside the {what} folder {}",
                dir.display()
            )));
        }
    }
    if out.is_dir() {
        let empty = std::fs::read_dir(out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !out.join("index.html").is_file() {
            return Err(refuse(
                "--out is a folder that does not look like a built site (no index.html); it was left as it is".into(),
            ));
        }
    }
    Ok(())
}

/// Validate without writing anything.
pub fn check_only(paths: &BuildPaths, diags: &mut Diagnostics) -> bool {
    render_files(paths, diags).is_some()
}
