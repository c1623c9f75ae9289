//! What every page of a site shares, prepared once per site: the templates, the UI strings,
//! the base context (site facts, strings, roles, the registry's page names) and the rendered
//! interventions table.

use super::context::PageContext;
use super::{local, role_views, templates, views};
use crate::base::diagnostics::Diagnostics;
use crate::base::theme::Theme;
use crate::cache::{Digest, KeyHasher};
use crate::model::{pages, Guideline};

/// The key of the interface's word before an appendix's number in the UI strings.
pub const APPENDIX_KEY: &str = "appendix";

/// Raw HTML in content that is replaced by the generated interventions × actors table.
pub const MATRIX_PLACEHOLDER: &str = "<div data-vejviser=\"indsatser\"></div>";

/// What every page of a site shares, prepared once per site (and kept by `vejviser serve`
/// between rebuilds that change only section bodies).
pub struct Prepared {
    pub(super) tera: tera::Tera,
    /// Site facts, UI strings and roles: what every page gets. The table of contents is not in
    /// it (it is as long as the site): only the pages that show it get it.
    pub(super) base: PageContext,
    pub(super) matrix_html: String,
    pub(super) theme: Theme,
    /// The digest of every theme file (a page's cache key, see [`crate::cache`]).
    pub(super) templates_digest: Digest,
}

/// Load the templates only, to report their errors when the content cannot be rendered.
pub fn check_templates(theme: &Theme, diags: &mut Diagnostics) {
    templates::load(theme, diags);
}

/// Load the templates and strings and render what all pages share.
pub fn prepare(g: &Guideline, theme: &Theme, diags: &mut Diagnostics) -> Option<Prepared> {
    let tera = templates::load(theme, diags)?;
    let mut base = PageContext::default();
    base.insert("site", &views::site_view(g));
    base.insert("t", &g.interface.strings);
    base.insert("pages", &g.interface.names.template_names());
    // Which pages the site has (`has.roles`, …): a link to a page without data is left out.
    let has: std::collections::BTreeMap<&str, bool> = pages::PAGES
        .iter()
        .map(|p| (p.name, g.has_page(p.kind)))
        .collect();
    base.insert("has", &has);
    base.insert("nav_pages", &views::nav_pages(g));
    base.insert(
        "asset",
        &super::assets::asset_names(theme, g.local.as_ref()),
    );
    base.insert("root", "");
    if let Some(a11y) = &g.meta.accessibility_statement {
        base.insert("a11y_href", a11y);
    }
    if let Some(b) = &g.meta.base_url {
        base.insert(
            "og_image",
            &format!("{b}{}/{}", pages::ASSETS_DIR, pages::ICON_LARGE),
        );
    }
    let role_links: Vec<role_views::RoleLink> = g
        .roles
        .iter()
        .map(|r| role_views::role_link(&g.interface.names, r))
        .collect();
    base.insert("roles", &role_links);
    if let Some(cl) = &g.checklist {
        base.insert("checklist_source", &cl.source);
    }
    if let Some(info) = &g.local {
        base.insert("local", &local::site_view(info));
    }
    let mut c = base.clone();
    c.insert(
        "matrix",
        &role_views::matrix(g, &g.interface.text(APPENDIX_KEY)),
    );
    // The interventions table, only when there are interventions.
    let matrix_html = match g.interventions.is_empty() {
        true => String::new(),
        false => match tera.render("partials/matrix.html", c.tera()) {
            Ok(html) => html,
            Err(e) => {
                diags.push(templates::diagnostic(theme, &e));
                return None;
            }
        },
    };
    Some(Prepared {
        tera,
        base,
        matrix_html,
        theme: theme.clone(),
        templates_digest: theme_digest(theme),
    })
}

/// The digest of every file of `theme`, names and bytes, in name order.
fn theme_digest(theme: &Theme) -> Digest {
    let mut files: Vec<(&str, &[u8])> = theme.files().map(|(n, f)| (n, &*f.bytes)).collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    let mut h = KeyHasher::new("theme");
    for (name, bytes) in files {
        h.part(name.as_bytes()).part(bytes);
    }
    h.finish()
}
