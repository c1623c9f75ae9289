//! What every page of a site shares, prepared once per site: the templates, the UI strings,
//! the base context (site facts, strings, roles, the registry's page names) and the rendered
//! interventions table.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{local, role_views, templates, views};
use crate::base::diagnostics::Diagnostics;
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
    pub(super) templates_dir: PathBuf,
}

/// Load the templates only, to report their errors when the content cannot be rendered.
pub fn check_templates(templates_dir: &Path, diags: &mut Diagnostics) {
    templates::load(templates_dir, diags);
    load_strings(templates_dir, diags);
}

/// Load the templates and strings and render what all pages share.
pub fn prepare(g: &Guideline, templates_dir: &Path, diags: &mut Diagnostics) -> Option<Prepared> {
    let tera = templates::load(templates_dir, diags)?;
    let strings = load_strings(templates_dir, diags)?;
    let mut base = tera::Context::new();
    base.insert("site", &views::site_view(g));
    base.insert("t", &strings);
    base.insert("pages", &pages::template_names());
    base.insert(
        "asset",
        &super::assets::asset_names(templates_dir, g.local.as_ref()),
    );
    base.insert("root", "");
    base.insert("a11y_href", &g.meta.accessibility_statement);
    if let Some(b) = &g.meta.base_url {
        base.insert(
            "og_image",
            &format!("{b}{}/{}", pages::ASSETS_DIR, pages::ICON_LARGE),
        );
    }
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
            diags.push(templates::diagnostic(templates_dir, &e));
            return None;
        }
    };
    Some(Prepared {
        tera,
        strings,
        base,
        matrix_html,
        templates_dir: templates_dir.to_path_buf(),
    })
}

/// UI strings (`templates/strings.yaml`): every text the templates show, in one place.
#[derive(Serialize)]
#[serde(transparent)]
pub(super) struct Strings(std::collections::BTreeMap<String, String>);

impl Strings {
    pub(super) fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| key.to_string())
    }
}

fn load_strings(dir: &Path, diags: &mut Diagnostics) -> Option<Strings> {
    let path = dir.join("strings.yaml");
    let file = crate::base::source::read_source(&path, diags)?;
    let text = file.text.clone();
    crate::base::yaml::parse(&file, &text, 1, diags).map(Strings)
}
