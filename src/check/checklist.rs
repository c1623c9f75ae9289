//! Validation of the ICF checklist against the guideline: unknown sections, duplicate ids, bad
//! ICF codes, answers that are not options.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::base::diagnostics::Diagnostics;
use crate::markdown::Analysis;
use crate::model::checklist::is_icf_code;
use crate::model::{Guideline, Origin};

/// Unknown sections, duplicate ids, bad ICF codes, answers that are not options, groups with
/// options and questions without any.
pub fn validate(g: &Guideline, sections: &HashMap<&str, &Analysis>, diags: &mut Diagnostics) {
    let Some(c) = &g.checklist else { return };
    let push = |diags: &mut Diagnostics, o: &Origin, msg: String, help: &str| {
        diags.push(o.diagnostic(msg).with_help(help));
    };
    let path = c.file.as_ref().map_or_else(
        || Path::new("checklist.yaml").to_path_buf(),
        |f| f.path.clone(),
    );
    let file_origin = Origin {
        path,
        line: 0,
        column: 0,
    };
    let source = sections.get(c.source.as_str());
    if source.is_none() {
        push(
            diags,
            &file_origin,
            format!("checklist source `{}` is not a section", c.source),
            "",
        );
    }
    let mut ids: HashMap<&str, &Origin> = HashMap::new();
    for comp in &c.components {
        if let Some(first) = ids.insert(&comp.id, &comp.origin) {
            push(
                diags,
                &comp.origin,
                format!("duplicate checklist id `{}`", comp.id),
                &format!("first used at line {}", first.line),
            );
        }
        if let (Some(a), Some(src)) = (&comp.anchor, source) {
            if !src.anchors.contains(a) {
                push(
                    diags,
                    &comp.origin,
                    format!("section `{}` has no anchor `{a}`", c.source),
                    "",
                );
            }
        }
    }
    for (_, item) in c.all_items() {
        if let Some(first) = ids.insert(&item.id, &item.origin) {
            push(
                diags,
                &item.origin,
                format!("duplicate checklist id `{}`", item.id),
                &format!("first used at line {}", first.line),
            );
        }
        if let Some(code) = &item.icf {
            if !is_icf_code(code) {
                push(
                    diags,
                    item.icf_origin.as_ref().unwrap_or(&item.origin),
                    format!("`{code}` is not an ICF category code"),
                    "an ICF code is b, s, d or e followed by 3 to 5 digits, e.g. d430",
                );
            }
        }
        if !item.items.is_empty() && !item.options.is_empty() {
            push(
                diags,
                &item.origin,
                format!("item `{}` has both sub-items and options", item.id),
                "a group's answers belong to its sub-items",
            );
        }
        if item.items.is_empty() && item.options.is_empty() {
            push(
                diags,
                &item.origin,
                format!("item `{}` has no answer options", item.id),
                "add options, e.g. [ja, nej, uafklaret]",
            );
        }
        let options: HashSet<&str> = item.options.iter().map(String::as_str).collect();
        for p in &item.points_to {
            if !options.contains(p.when.as_str()) {
                push(
                    diags,
                    &p.origin,
                    format!("`{}` is not an answer option of `{}`", p.when, item.id),
                    "",
                );
            }
            if !sections.contains_key(p.section.as_str()) {
                push(
                    diags,
                    &p.origin,
                    format!("checklist points to unknown section `{}`", p.section),
                    "use a section id from the front matter",
                );
            }
        }
    }
}
