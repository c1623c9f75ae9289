//! Validation of a local guideline. The national text was checked on its own already, so only
//! problems in the local version's files are reported: its sections, the text it adds to or
//! puts into national sections (cross-references, citations, file references that must stay
//! inside the local folder), and its pathways.

use std::collections::{HashMap, HashSet};

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::check::{self, check_body, Checked, Known};
use crate::markdown::{analyze, Analysis, Token};
use crate::model::Guideline;

/// Validate `g`, a local guideline (or the national one, then this is [`check::validate`]).
pub fn validate(g: &Guideline, diags: &mut Diagnostics) -> Checked {
    let Some(info) = &g.local else {
        return check::validate(g, diags);
    };
    let mut all = Diagnostics::default();
    let mut checked = check::validate(g, &mut all);
    all.retain(|d| d.path.starts_with(&info.dir));
    diags.extend(all);

    let references: HashSet<&str> = g.references.iter().map(|r| r.key.as_str()).collect();
    let figures: HashSet<String> = g
        .figures
        .iter()
        .map(|f| format!("figurer/{}", f.relative))
        .collect();
    let mut extra: Vec<(usize, Vec<(usize, Token)>)> = Vec::new();
    {
        let mut anchors: HashMap<&str, &Analysis> = HashMap::new();
        for (s, a) in g.sections.iter().zip(checked.sections.iter()) {
            anchors.entry(s.id.as_str()).or_insert(a);
        }
        let known = Known {
            anchors: &anchors,
            references: &references,
            figures: &figures,
        };
        for (i, s) in g.sections.iter().enumerate() {
            if s.local.is_some() {
                local_text_rules(&s.file, s.body_offset, &checked.sections[i], info, diags);
            }
            for part in &s.local_parts {
                let a = analyze(&part.body);
                check_body(&part.file, part.body_offset, &a, &known, diags);
                local_text_rules(&part.file, part.body_offset, &a, info, diags);
                extra.push((i, a.tokens));
            }
        }
    }
    // Cross-references in local text count as links from the section it is in (backlinks).
    for (i, tokens) in extra {
        checked.sections[i].tokens.extend(tokens);
    }
    checked
}

/// Local text may refer only to files inside its folder, and has no footnotes (its notes would
/// mix with the national, numbered ones).
fn local_text_rules(
    file: &crate::base::source::SourceFile,
    body_offset: usize,
    a: &Analysis,
    info: &super::LocalInfo,
    diags: &mut Diagnostics,
) {
    let at = |offset: usize, message: String| {
        Diagnostic::at(&file.path, &file.text, body_offset + offset, message)
    };
    for (offset, url) in &a.local_links {
        if let Some(problem) = super::reference_problem(url, &info.files) {
            diags.push(at(*offset, problem).with_help(format!(
                "put the file in {}/{}/ and refer to it as {}/<name>",
                info.dir.display(),
                super::FILES_DIR,
                super::FILES_DIR
            )));
        }
    }
    for (offset, label) in a.footnote_defs.iter().chain(&a.footnote_refs) {
        diags.push(
            at(*offset, format!("footnote `[^{label}]` in local text"))
                .with_help("write the note into the text; footnotes are kept for the national text's numbered notes"),
        );
    }
}
