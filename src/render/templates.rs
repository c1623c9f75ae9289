//! Loading the Tera templates and turning Tera's errors into located diagnostics.

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::theme::Theme;

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
    "partials/print-section.html",
];

/// Load every `.html` and `.xml` template of the theme (outside `static/`), reporting all
/// syntax errors.
pub fn load(theme: &Theme, diags: &mut Diagnostics) -> Option<tera::Tera> {
    let mut tera = tera::Tera::new();
    let mut ok = true;
    // Parents are added before the templates that extend them (Tera checks the chain on add);
    // a template whose parent failed is skipped, so each error is reported once.
    let mut pending: Vec<(String, String)> = Vec::new();
    for (name, file) in theme.files() {
        let is_template = name.ends_with(".html") || name.ends_with(".xml");
        if !is_template || name.starts_with("static/") {
            continue;
        }
        match std::str::from_utf8(&file.bytes) {
            Ok(text) => pending.push((name.to_string(), text.to_string())),
            Err(_) => {
                diags.push(
                    Diagnostic::file(&file.path, "template is not valid UTF-8")
                        .with_help("save the template as UTF-8"),
                );
                ok = false;
            }
        }
    }
    let mut failed: Vec<String> = Vec::new();
    while !pending.is_empty() {
        let before = pending.len();
        let mut rest = Vec::new();
        for (name, text) in pending {
            match parent_of(&text) {
                Some(parent) if failed.contains(&parent) => failed.push(name),
                Some(parent) if !tera.contains_template(&parent) => rest.push((name, text)),
                _ => {
                    if let Err(e) = tera.add_raw_template(&name, &text) {
                        diags.push(diagnostic(theme, &e));
                        failed.push(name);
                        ok = false;
                    }
                }
            }
        }
        if rest.len() == before {
            // No progress: the parents do not exist; adding reports that.
            for (name, text) in rest {
                if let Err(e) = tera.add_raw_template(&name, &text) {
                    diags.push(diagnostic(theme, &e));
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
                &theme.path_of(name),
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
pub fn diagnostic(theme: &Theme, err: &tera::Error) -> Diagnostic {
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let what = if matches!(err.kind(), tera::ErrorKind::SyntaxError(_)) {
                "template syntax error"
            } else {
                "template error"
            };
            Diagnostic::at_line(
                &theme.path_of(report.filename()),
                span.start_line.max(1),
                span.start_col + 1,
                format!("{what}: {}", report.message()),
            )
            .with_help("fix the template; the previous site is left as it was")
        }
        other => Diagnostic::file(&theme.dir, format!("template error: {other}")),
    }
}
