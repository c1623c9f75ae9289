//! What every page of a site shares, prepared once per site: the templates, the UI strings,
//! the base context (site facts, strings, roles, the registry's page names) and the rendered
//! interventions table.

use serde::Serialize;

use super::{local, role_views, templates, views};
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::theme::Theme;
use crate::model::{pages, Guideline};

/// Raw HTML in content that is replaced by the generated interventions × actors table.
pub const MATRIX_PLACEHOLDER: &str = "<div data-vejviser=\"indsatser\"></div>";

/// What every page of a site shares, prepared once per site (and kept by `vejviser serve`
/// between rebuilds that change only section bodies).
pub struct Prepared {
    pub(super) tera: tera::Tera,
    pub(super) strings: Strings,
    /// Site facts, UI strings and roles: what every page gets. The table of contents is not in
    /// it (it is as long as the site): only the pages that show it get it.
    pub(super) base: tera::Context,
    pub(super) matrix_html: String,
    pub(super) theme: Theme,
}

/// Load the templates only, to report their errors when the content cannot be rendered.
pub fn check_templates(theme: &Theme, diags: &mut Diagnostics) {
    templates::load(theme, diags);
}

/// Load the templates and strings and render what all pages share.
pub fn prepare(g: &Guideline, theme: &Theme, diags: &mut Diagnostics) -> Option<Prepared> {
    let tera = templates::load(theme, diags);
    let strings = load_strings(theme, g, diags);
    let (tera, strings) = (tera?, strings?);
    let mut base = tera::Context::new();
    base.insert("site", &views::site_view(g));
    base.insert("t", &strings);
    base.insert("pages", &pages::template_names());
    let role_links: Vec<role_views::RoleLink> = g.roles.iter().map(role_views::role_link).collect();
    base.insert("roles", &role_links);
    if let Some(cl) = &g.checklist {
        base.insert("checklist_source", &cl.source);
    }
    if let Some(info) = &g.local {
        base.insert("local", &local::site_view(info));
    }
    let mut c = base.clone();
    c.insert("matrix", &role_views::matrix(g));
    let matrix_html = match tera.render("partials/matrix.html", &c) {
        Ok(html) => html,
        Err(e) => {
            diags.push(templates::diagnostic(theme, &e));
            return None;
        }
    };
    Some(Prepared {
        tera,
        strings,
        base,
        matrix_html,
        theme: theme.clone(),
    })
}

/// UI strings (`strings/<language>.yaml` of the theme): every text the site shows, in one
/// place, in the guideline's language.
#[derive(Serialize)]
#[serde(transparent)]
pub(super) struct Strings(std::collections::BTreeMap<String, String>);

impl Strings {
    pub(super) fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| key.to_string())
    }
}

/// The strings of `g`'s language: the built-in file's, with a project's own file of the same
/// name (`templates/strings/<language>.yaml`) replacing single strings. A language with no
/// built-in file needs a complete file of its own: every key the built-in English file has.
fn load_strings(theme: &Theme, g: &Guideline, diags: &mut Diagnostics) -> Option<Strings> {
    let language = g.meta.language.as_str();
    let name = format!("strings/{language}.yaml");
    let mut strings = match Theme::built_in_file(&name) {
        Some(bytes) => parse_strings(&theme.path_of(&name), bytes, diags)?,
        None => Default::default(),
    };
    let built_in = !strings.is_empty();
    match theme.get(&name) {
        Some(f) if f.overridden => {
            let own = parse_strings(&f.path, &f.bytes, diags)?;
            strings.extend(own);
        }
        Some(_) => {}
        None => {
            diags.push(
                Diagnostic::file(&g.meta_path, format!("no interface strings for language `{language}`"))
                    .with_help(format!(
                        "use a built-in language ({}), or add templates/strings/{language}.yaml with every string of the built-in strings/en.yaml",
                        built_in_languages().join(", ")
                    )),
            );
            return None;
        }
    }
    if !built_in {
        let reference = Theme::built_in_file("strings/en.yaml")
            .and_then(|b| parse_strings(&theme.path_of("strings/en.yaml"), b, diags))
            .unwrap_or_default();
        let missing: Vec<&String> = reference
            .keys()
            .filter(|k| !strings.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            let list: Vec<&str> = missing.iter().map(|k| k.as_str()).collect();
            diags.push(
                Diagnostic::file(
                    &theme.path_of(&name),
                    format!(
                        "{} interface string(s) missing: {}",
                        list.len(),
                        list.join(", ")
                    ),
                )
                .with_help(
                    "give every key of the built-in strings/en.yaml a text in this language",
                ),
            );
            return None;
        }
    }
    let mut ok = true;
    for (key, text) in &g.meta.strings {
        if strings.contains_key(key) {
            strings.insert(key.clone(), text.clone());
        } else {
            ok = false;
            diags.push(unknown_string(g, key));
        }
    }
    ok.then_some(Strings(strings))
}

/// An unknown key under `strings:` in guideline.yaml, at its line.
fn unknown_string(g: &Guideline, key: &str) -> Diagnostic {
    let text = std::fs::read_to_string(&g.meta_path).unwrap_or_default();
    let found = text.lines().enumerate().find_map(|(i, l)| {
        let trimmed = l.trim_start();
        let rest = trimmed
            .strip_prefix(key)
            .or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")))?;
        rest.starts_with(':')
            .then_some((i + 1, l.len() - trimmed.len() + 1))
    });
    let message = format!("unknown interface string `{key}` under strings:");
    let d = match found {
        Some((line, column)) => Diagnostic::at_line(&g.meta_path, line, column, message),
        None => Diagnostic::file(&g.meta_path, message),
    };
    d.with_help(format!(
        "use a key of the theme's strings/{}.yaml, or remove it",
        g.meta.language
    ))
}

/// The languages the built-in theme has strings for.
pub fn built_in_languages() -> Vec<String> {
    Theme::built_in_names()
        .iter()
        .filter_map(|n| {
            n.strip_prefix("strings/")?
                .strip_suffix(".yaml")
                .map(str::to_string)
        })
        .collect()
}

fn parse_strings(
    path: &std::path::Path,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<std::collections::BTreeMap<String, String>> {
    let file = match crate::base::source::decode(path, bytes.to_vec()) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let text = file.text.clone();
    crate::base::yaml::parse(&file, &text, 1, diags)
}
