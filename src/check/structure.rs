//! The guideline's structure as a whole: every section's kind is one the guideline declares
//! (or a built-in one), every `parent:` names a section and no section is its own ancestor,
//! and the accessibility statement, when given, is a URL or a page of the site.

use std::collections::HashMap;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::source::located;
use crate::model::outline::in_circle;
use crate::model::Guideline;

/// Push every structural problem of `g`.
pub fn check(g: &Guideline, diags: &mut Diagnostics) {
    kinds(g, diags);
    parents(g, diags);
    accessibility_statement(g, diags);
}

fn kinds(g: &Guideline, diags: &mut Diagnostics) {
    let kinds = g.meta.kinds();
    let declared = !g.meta.kinds.is_empty();
    for s in &g.sections {
        if !kinds.contains(&s.kind.as_str()) {
            let (what, help) = if declared {
                (
                    "is not declared",
                    format!(
                        "declared kinds (kinds: in guideline.yaml): {}; add it there or use one of them",
                        kinds.join(", ")
                    ),
                )
            } else {
                (
                    "is not a built-in kind",
                    format!(
                        "built-in kinds: {}; or declare the kinds this guideline uses with kinds: in guideline.yaml",
                        kinds.join(", ")
                    ),
                )
            };
            diags.push(
                located(
                    &s.file,
                    &s.kind_origin,
                    format!("section kind `{}` {what}", s.kind),
                )
                .with_help(help),
            );
        }
    }
}

fn parents(g: &Guideline, diags: &mut Diagnostics) {
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, s) in g.sections.iter().enumerate() {
        by_id.entry(s.id.as_str()).or_insert(i);
    }
    let mut direct = vec![None; g.sections.len()];
    for (i, s) in g.sections.iter().enumerate() {
        let (Some(parent), Some(origin)) = (&s.parent, &s.parent_origin) else {
            continue;
        };
        match by_id.get(parent.as_str()) {
            None => diags.push(
                located(
                    &s.file,
                    origin,
                    format!("parent `{parent}`: no section has this id"),
                )
                .with_help("write the id from the front matter of the enclosing section"),
            ),
            Some(&p) if p == i => diags.push(
                located(&s.file, origin, "a section cannot be its own parent")
                    .with_help("leave out parent: for a top-level chapter"),
            ),
            Some(&p) => direct[i] = Some(p),
        }
    }
    for (i, s) in g.sections.iter().enumerate() {
        if direct[i].is_some() && in_circle(&direct, i) {
            if let Some(origin) = &s.parent_origin {
                diags.push(
                    located(
                        &s.file,
                        origin,
                        format!(
                            "section `{}` is inside itself: its parents go round in a circle",
                            s.id
                        ),
                    )
                    .with_help(
                        "one of the sections of the circle must name another parent, or none",
                    ),
                );
            }
        }
    }
}

/// A footer link to a page of this site must name an existing page.
fn accessibility_statement(g: &Guideline, diags: &mut Diagnostics) {
    let Some(target) = g
        .meta
        .accessibility_statement
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return;
    };
    if target.contains("://") || target.starts_with("mailto:") {
        return;
    }
    let page = target
        .split('#')
        .next()
        .unwrap_or(target)
        .trim_end_matches(".html");
    let exists = g.pages.iter().any(|p| p.id == page) || g.sections.iter().any(|s| s.id == page);
    if !exists {
        diags.push(
            Diagnostic::file(
                &g.meta_path,
                format!(
                    "accessibility_statement `{target}` is neither a URL nor a page of the site"
                ),
            )
            .with_help(
                "add content/pages/<id>.md with that id, give a full URL, or leave the field out",
            ),
        );
    }
}
