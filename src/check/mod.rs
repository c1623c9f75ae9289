//! Validation of a loaded guideline: every broken cross-reference, unknown citation, unknown
//! role, duplicate id or number, missing parent section and undefined footnote, in one pass.

mod checklist;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::source::located;
use crate::markdown::{analyze, Analysis, Token};
use crate::model::{pages, Guideline, Origin};

/// What each section body refers to, in the order of `Guideline::sections` (then pages).
pub struct Checked {
    pub sections: Vec<Analysis>,
    pub pages: Vec<Analysis>,
}

/// Validate everything; problems go into `diags`.
pub fn validate(g: &Guideline, diags: &mut Diagnostics) -> Checked {
    let sections: Vec<Analysis> = g.sections.par_iter().map(|s| analyze(&s.body)).collect();
    let pages: Vec<Analysis> = g.pages.par_iter().map(|p| analyze(&p.body)).collect();
    validate_analyzed(g, sections, pages, diags)
}

/// [`validate`] with the bodies already analysed (`sections` and `pages` in the order of `g`):
/// `vejviser serve` analyses again only the bodies that changed.
pub fn validate_analyzed(
    g: &Guideline,
    sections: Vec<Analysis>,
    pages: Vec<Analysis>,
    diags: &mut Diagnostics,
) -> Checked {
    duplicates(
        g.roles.iter().map(|r| (r.id.as_str(), &r.origin)),
        "role id",
        diags,
    );
    duplicates(
        g.references.iter().map(|r| (r.key.as_str(), &r.origin)),
        "reference key",
        diags,
    );
    duplicates(
        g.glossary.iter().map(|e| (e.anchor.as_str(), &e.origin)),
        "glossary term",
        diags,
    );
    let ids = g
        .sections
        .iter()
        .map(|s| (s.id.as_str(), &s.id_origin))
        .chain(g.pages.iter().map(|p| (p.id.as_str(), &p.id_origin)));
    duplicates(ids, "id", diags);

    let mut numbers: HashMap<_, &Origin> = HashMap::new();
    // A local section shares the number of the national section it follows; it shows a label.
    for s in g.sections.iter().filter(|s| s.local.is_none()) {
        if let Some(first) = numbers.insert(s.number.clone(), &s.number_origin) {
            diags.push(
                located(
                    &s.file,
                    &s.number_origin,
                    format!("duplicate section number {}", s.number),
                )
                .with_help(format!(
                    "also used at {}:{}",
                    first.path.display(),
                    first.line
                )),
            );
        }
    }
    for s in &g.sections {
        if let Some(parent) = s.number.parent() {
            if !numbers.contains_key(&parent) {
                diags.push(
                    located(
                        &s.file,
                        &s.number_origin,
                        format!("section {} has no parent section {parent}", s.number),
                    )
                    .with_help(format!("add a file for section {parent}")),
                );
            }
        }
        reserved(&g.interface.names, &s.id, &s.file, &s.id_origin, diags);
        let known_roles: HashSet<&str> = g.roles.iter().map(|r| r.id.as_str()).collect();
        for (role, origin) in s.roles.iter().zip(&s.role_origins) {
            if !known_roles.contains(role.as_str()) {
                diags.push(
                    located(&s.file, origin, format!("unknown role `{role}`"))
                        .with_help(format!("known roles: {}", sorted_list(&known_roles))),
                );
            }
        }
    }

    for p in &g.pages {
        reserved(&g.interface.names, &p.id, &p.file, &p.id_origin, diags);
    }
    check_accessibility_statement(g, diags);
    // Section id → what it defines; the first section with an id wins (a duplicate is
    // reported above).
    let mut anchors: HashMap<&str, &Analysis> = HashMap::new();
    for (s, a) in g.sections.iter().zip(sections.iter()) {
        anchors.entry(s.id.as_str()).or_insert(a);
    }
    check_pathways(g, &anchors, diags);
    checklist::validate(g, &anchors, diags);
    let references: HashSet<&str> = g.references.iter().map(|r| r.key.as_str()).collect();
    let figures: HashSet<String> = g
        .figures
        .iter()
        .map(|f| format!("figurer/{}", f.relative))
        .collect();
    let bodies = g
        .sections
        .iter()
        .map(|s| (&s.file, s.body_offset))
        .zip(sections.iter())
        .chain(
            g.pages
                .iter()
                .map(|p| (&p.file, p.body_offset))
                .zip(pages.iter()),
        );
    let known = Known {
        anchors: &anchors,
        references: &references,
        figures: &figures,
    };
    for ((file, body_offset), analysis) in bodies {
        check_body(file, body_offset, analysis, &known, diags);
    }
    Checked { sections, pages }
}

/// What a body's references are checked against.
pub struct Known<'a> {
    /// Section id → what it defines.
    pub anchors: &'a HashMap<&'a str, &'a Analysis>,
    pub references: &'a HashSet<&'a str>,
    /// `figurer/<file>` paths.
    pub figures: &'a HashSet<String>,
}

/// Problems in one Markdown body: broken cross-references and anchors, unknown citations,
/// unclosed tokens, too deep nesting, footnotes, missing figures.
pub fn check_body(
    file: &crate::base::source::SourceFile,
    body_offset: usize,
    analysis: &Analysis,
    known: &Known<'_>,
    diags: &mut Diagnostics,
) {
    let (anchors, references, figures) = (known.anchors, known.references, known.figures);
    let at = |offset: usize, message: String| {
        Diagnostic::at(&file.path, &file.text, body_offset + offset, message)
    };
    for (offset, token) in &analysis.tokens {
        match token {
            Token::XRef { target, anchor, .. } => match anchors.get(target.as_str()) {
                None => diags.push(
                    at(
                        *offset,
                        format!("broken cross-reference: no section has id `{target}`"),
                    )
                    .with_help(suggest(
                        target,
                        anchors.keys().copied(),
                        "check the id against the front matter of the section you mean",
                    )),
                ),
                Some(target_analysis) => {
                    if let Some(a) = anchor {
                        if !target_analysis.anchors.contains(a) {
                            diags.push(at(
                                *offset,
                                format!("broken cross-reference: section `{target}` has no anchor `{a}`"),
                            ));
                        }
                    }
                }
            },
            Token::Cite { key, .. } => {
                if !references.contains(key.as_str()) {
                    diags.push(
                        at(*offset, format!("unknown citation key `{key}`")).with_help(format!(
                            "add it to content/references.yaml or use a known key; {}",
                            suggest(
                                key,
                                references.iter().copied(),
                                "keys are listed in content/references.yaml"
                            )
                        )),
                    );
                }
            }
            Token::Unclosed(open) => {
                let close = if *open == "[[" { "]]" } else { "]" };
                diags.push(at(
                    *offset,
                    format!("`{open}` is not closed with `{close}`"),
                ));
            }
        }
    }
    if let Some(offset) = analysis.too_deep {
        diags.push(
            at(
                offset,
                format!(
                    "content is nested more than {} levels deep",
                    crate::markdown::MAX_NESTING
                ),
            )
            .with_help("flatten the lists, quotes or HTML elements here"),
        );
    }
    for (offset, label) in &analysis.undefined_footnotes {
        diags.push(
            at(*offset, format!("footnote `[^{label}]` has no definition"))
                .with_help(format!("add a line `[^{label}]: …` at the end of the file")),
        );
    }
    let referenced: HashSet<&str> = analysis
        .footnote_refs
        .iter()
        .map(|(_, l)| l.as_str())
        .collect();
    for (offset, label) in &analysis.footnote_defs {
        if !referenced.contains(label.as_str()) {
            diags.push(
                at(
                    *offset,
                    format!("footnote `[^{label}]` is defined but never referenced"),
                )
                .warning(),
            );
        }
    }
    for (offset, url) in &analysis.local_links {
        let path = url.split(['#', '?']).next().unwrap_or(url);
        if path.starts_with("figurer/") && !figures.contains(path) {
            diags.push(
                at(*offset, format!("missing figure file `{path}`"))
                    .with_help("put the file in content/figurer/"),
            );
        }
    }
}

/// Pathways, interventions and role units name roles and sections that exist.
fn check_pathways(g: &Guideline, sections: &HashMap<&str, &Analysis>, diags: &mut Diagnostics) {
    let roles: HashSet<&str> = g.roles.iter().map(|r| r.id.as_str()).collect();
    let at = |origin: &Option<Origin>| {
        origin.clone().unwrap_or(Origin {
            path: g.meta_path.with_file_name("pathways.yaml"),
            line: 0,
            column: 0,
        })
    };
    let push = |diags: &mut Diagnostics, o: Origin, message: String, help: &str| {
        diags.push(o.diagnostic(message).with_help(help));
    };
    let role_help = format!("known roles: {}", sorted_list(&roles));
    for r in &g.roles {
        if let (Some(parent), Some(o)) = (&r.part_of, &r.part_of_origin) {
            if !roles.contains(parent.as_str()) {
                push(
                    diags,
                    o.clone(),
                    format!("role `{}` is part of unknown role `{parent}`", r.id),
                    &role_help,
                );
            }
        }
    }
    duplicates(
        g.pathways
            .iter()
            .filter_map(|p| p.origins.id.as_ref().map(|o| (p.id.as_str(), o))),
        "pathway id",
        diags,
    );
    for p in &g.pathways {
        for (role, origin) in [(&p.from, &p.origins.from), (&p.to, &p.origins.to)] {
            if !roles.contains(role.as_str()) {
                push(
                    diags,
                    at(origin),
                    format!("pathway `{}` names unknown role `{role}`", p.id),
                    &role_help,
                );
            }
        }
        match sections.get(p.section.as_str()) {
            None => push(
                diags,
                at(&p.origins.section),
                format!("pathway `{}` cites unknown section `{}`", p.id, p.section),
                "use the id from the front matter of the section that describes it",
            ),
            Some(a) => {
                if let Some(anchor) = &p.anchor {
                    if !a.anchors.contains(anchor) {
                        push(
                            diags,
                            at(&p.origins.section),
                            format!(
                                "pathway `{}`: section `{}` has no anchor `{anchor}`",
                                p.id, p.section
                            ),
                            "",
                        );
                    }
                }
            }
        }
    }
    for i in &g.interventions {
        let o = i.origin.clone();
        if !sections.contains_key(i.section.as_str()) {
            push(
                diags,
                o.clone(),
                format!("intervention names unknown section `{}`", i.section),
                "",
            );
        }
        for role in i.delivered_by.iter().chain(&i.referred_by) {
            if !roles.contains(role.as_str()) {
                push(
                    diags,
                    o.clone(),
                    format!("intervention `{}` names unknown role `{role}`", i.section),
                    &role_help,
                );
            }
        }
        for src in &i.sources {
            if !sections.contains_key(src.as_str()) {
                push(
                    diags,
                    o.clone(),
                    format!("intervention `{}` cites unknown section `{src}`", i.section),
                    "",
                );
            }
        }
    }
}

fn reserved(
    names: &pages::PageNames,
    id: &str,
    file: &crate::base::source::SourceFile,
    origin: &Origin,
    diags: &mut Diagnostics,
) {
    if names.is_reserved(id) {
        diags.push(
            located(
                file,
                origin,
                format!("id `{id}` is reserved for a page of the site"),
            )
            .with_help(format!(
                "reserved ids: {}, and ids starting with {}",
                names.reserved_ids().join(", "),
                names.reserved_prefixes().join(", ")
            )),
        );
    }
}

/// A footer link to a page of this site must name an existing page.
fn check_accessibility_statement(g: &Guideline, diags: &mut Diagnostics) {
    let target = g.meta.accessibility_statement.trim();
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
            .with_help("add content/pages/<id>.md with that id, or give a full URL"),
        );
    }
}

fn duplicates<'a>(
    items: impl Iterator<Item = (&'a str, &'a Origin)>,
    what: &str,
    diags: &mut Diagnostics,
) {
    let mut seen: HashMap<&str, &Origin> = HashMap::new();
    for (key, origin) in items {
        if let Some(first) = seen.insert(key, origin) {
            diags.push(
                Diagnostic::at_line(
                    &origin.path,
                    origin.line,
                    origin.column,
                    format!("duplicate {what} `{key}`"),
                )
                .with_help(format!(
                    "first defined at {}:{}:{}",
                    first.path.display(),
                    first.line,
                    first.column
                )),
            );
        }
    }
}

fn sorted_list(items: &HashSet<&str>) -> String {
    let mut v: Vec<&str> = items.iter().copied().collect();
    v.sort_unstable();
    v.join(", ")
}

/// "did you mean …?" for the closest known name, by shared prefix then length.
fn suggest<'a>(wrong: &str, known: impl Iterator<Item = &'a str>, otherwise: &str) -> String {
    let best = known
        .map(|k| {
            let common = k
                .chars()
                .zip(wrong.chars())
                .take_while(|(a, b)| a == b)
                .count();
            (common, std::cmp::Reverse(k.len().abs_diff(wrong.len())), k)
        })
        .max();
    match best {
        Some((common, _, k)) if common >= 3 => format!("did you mean `{k}`?"),
        _ => otherwise.to_string(),
    }
}
