//! Loading the Tera templates and turning Tera's errors into located diagnostics.

use std::path::Path;

use crate::base::files::files_under;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::source::read_source;

/// The templates every site needs.
pub const REQUIRED: &[&str] = &[
    "base.html",
    "index.html",
    "toc.html",
    "section.html",
    "page.html",
    "references.html",
    "glossary.html",
    "print.html",
    "404.html",
    "sitemap.xml",
    "roles.html",
    "role.html",
    "pathways.html",
    "partials/matrix.html",
    "checklist.html",
    "search.html",
    "deviations.html",
    "partials/local-part.html",
];

/// Load every `.html` and `.xml` template under `dir`, reporting all syntax errors.
pub fn load(dir: &Path, diags: &mut Diagnostics) -> Option<tera::Tera> {
    let mut tera = tera::Tera::new();
    let mut ok = true;
    let mut files = Vec::new();
    if !dir.is_dir() {
        diags.push(Diagnostic::file(
            dir,
            "cannot read templates: no such folder",
        ));
        return None;
    }
    let static_dir = dir.join("static");
    let (found, errors) = files_under(dir, |p| p == static_dir);
    if let Some(e) = errors.first() {
        diags.push(Diagnostic::file(dir, format!("cannot read templates: {e}")));
        return None;
    }
    for f in found {
        let is_template = f
            .path
            .extension()
            .is_some_and(|x| x == "html" || x == "xml");
        if is_template && !f.is_symlink {
            files.push(f.path);
        }
    }
    // Parents are added before the templates that extend them (Tera checks the chain on add);
    // a template whose parent failed is skipped, so each error is reported once.
    let mut pending: Vec<(String, crate::base::source::SourceFile)> = Vec::new();
    for path in files {
        let Some(file) = read_source(&path, diags) else {
            ok = false;
            continue;
        };
        let name = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        pending.push((name, file));
    }
    let mut failed: Vec<String> = Vec::new();
    while !pending.is_empty() {
        let before = pending.len();
        let mut rest = Vec::new();
        for (name, file) in pending {
            match parent_of(&file.text) {
                Some(parent) if failed.contains(&parent) => failed.push(name),
                Some(parent) if !tera.contains_template(&parent) => rest.push((name, file)),
                _ => {
                    if let Err(e) = tera.add_raw_template(&name, &file.text) {
                        diags.push(diagnostic(dir, &e));
                        failed.push(name);
                        ok = false;
                    }
                }
            }
        }
        if rest.len() == before {
            // No progress: the parents do not exist; adding reports that.
            for (name, file) in rest {
                if let Err(e) = tera.add_raw_template(&name, &file.text) {
                    diags.push(diagnostic(dir, &e));
                    ok = false;
                }
            }
            break;
        }
        pending = rest;
    }
    for name in REQUIRED {
        if !tera.contains_template(name) && !failed.iter().any(|f| f == name) {
            diags.push(Diagnostic::file(
                &dir.join(name),
                "required template is missing",
            ));
            ok = false;
        }
    }
    ok.then_some(tera)
}

/// The template named in `{% extends "…" %}`, if any.
fn parent_of(text: &str) -> Option<String> {
    let start = text.find("{% extends")?;
    let rest = &text[start + 10..];
    let q = rest.find(['"', '\''])?;
    let quote = rest[q..].chars().next()?;
    let rest = &rest[q + 1..];
    let end = rest.find(quote)?;
    Some(rest[..end].to_string())
}

/// A Tera error as a diagnostic naming the template, line and column.
pub fn diagnostic(dir: &Path, err: &tera::Error) -> Diagnostic {
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let what = if matches!(err.kind(), tera::ErrorKind::SyntaxError(_)) {
                "template syntax error"
            } else {
                "template error"
            };
            Diagnostic::at_line(
                &dir.join(report.filename()),
                span.start_line.max(1),
                span.start_col + 1,
                format!("{what}: {}", report.message()),
            )
            .with_help("fix the template; the previous site is left as it was")
        }
        other => Diagnostic::file(dir, format!("template error: {other}")),
    }
}
