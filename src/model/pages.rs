//! The site's own pages in one registry: for each kind of page its name, its file (which is also
//! its URL relative to the site's root) or, for a page per item, the prefix of its files, its
//! template, its title, whether the search index and the sitemap cover it, and whether an id
//! in the content may take its name.
//!
//! Rendering, validation, the search index and local versions read the names from here and
//! nowhere else, and the templates get them as `pages.<name>` (see [`template_names`]); a
//! site in another interface language would switch this one table.

/// A kind of page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// The front page.
    Index,
    /// The table of contents.
    Toc,
    /// One page per section: `<id>.html`.
    Section,
    /// One page per free-standing page of `content/pages/`: `<id>.html`.
    Page,
    /// The overview of the roles.
    Roles,
    /// One page per role: `rolle-<id>.html`.
    Role,
    /// The pathways between the roles, with the interventions table.
    Pathways,
    /// The ICF checklist (only when the content has one).
    Checklist,
    References,
    Glossary,
    /// Every section on one page.
    Print,
    NotFound,
    /// A local version's deviations from the national text (only on a local site).
    Deviations,
    Search,
    Sitemap,
}

/// One kind of page, as the registry describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSpec {
    pub kind: PageKind,
    /// The name the templates know it by (`pages.<name>`) and the render step's name.
    pub name: &'static str,
    /// The file name, also the URL relative to the site's root; for a page per item
    /// ([`per_item`](Self::per_item)) the prefix of its items' files, `<prefix><id>.html`.
    pub file: &'static str,
    /// Whether there is one page per item (section, page, role) rather than one page.
    pub per_item: bool,
    pub template: &'static str,
    /// The key of its title in `templates/strings.yaml`, when the title is a fixed text.
    pub title_key: Option<&'static str>,
    /// Whether the search index covers it. The front page and the table of contents only
    /// list the sections, the print page repeats every section, the search page and the 404
    /// page have no content of their own, and the roles overview, the role pages and the
    /// pathways page are views made from the sections, each item linking to the section it
    /// comes from: indexed, they would outrank the sections that say it.
    pub indexed: bool,
    /// Whether `sitemap.xml` lists it.
    pub in_sitemap: bool,
    /// Whether an id in the content may not take its name (a section `<id>` is written to
    /// `<id>.html`): for a page per item, whether ids may not start with its prefix.
    pub reserved: bool,
}

const fn page(kind: PageKind, name: &'static str, file: &'static str) -> PageSpec {
    PageSpec {
        kind,
        name,
        file,
        per_item: false,
        template: "",
        title_key: None,
        indexed: false,
        in_sitemap: true,
        reserved: true,
    }
}

const fn with(spec: PageSpec, template: &'static str, title_key: Option<&'static str>) -> PageSpec {
    PageSpec {
        template,
        title_key,
        ..spec
    }
}

/// Every kind of page, in the order the site is described in (front page first).
pub const PAGES: &[PageSpec] = &[
    with(
        page(PageKind::Index, "index", "index.html"),
        "index.html",
        None,
    ),
    with(
        page(PageKind::Toc, "toc", "indhold.html"),
        "toc.html",
        Some("toc_title"),
    ),
    PageSpec {
        per_item: true,
        indexed: true,
        reserved: false,
        ..with(page(PageKind::Section, "section", ""), "section.html", None)
    },
    PageSpec {
        per_item: true,
        indexed: true,
        reserved: false,
        ..with(page(PageKind::Page, "page", ""), "page.html", None)
    },
    with(
        page(PageKind::Roles, "roles", "roller.html"),
        "roles.html",
        Some("roles_title"),
    ),
    PageSpec {
        per_item: true,
        ..with(page(PageKind::Role, "role", "rolle-"), "role.html", None)
    },
    with(
        page(PageKind::Pathways, "pathways", "forloeb.html"),
        "pathways.html",
        Some("pathways_title"),
    ),
    PageSpec {
        indexed: true,
        ..with(
            page(PageKind::Checklist, "checklist", "tjekliste.html"),
            "checklist.html",
            None,
        )
    },
    PageSpec {
        indexed: true,
        ..with(
            page(PageKind::References, "references", "referencer.html"),
            "references.html",
            Some("references_title"),
        )
    },
    PageSpec {
        indexed: true,
        ..with(
            page(PageKind::Glossary, "glossary", "ordliste.html"),
            "glossary.html",
            Some("glossary_title"),
        )
    },
    with(
        page(PageKind::Print, "print", "udskriv.html"),
        "print.html",
        Some("print_title"),
    ),
    PageSpec {
        in_sitemap: false,
        ..with(
            page(PageKind::NotFound, "not_found", "404.html"),
            "404.html",
            Some("not_found_title"),
        )
    },
    PageSpec {
        indexed: true,
        ..with(
            page(
                PageKind::Deviations,
                "deviations",
                "lokale-tilpasninger.html",
            ),
            "deviations.html",
            Some("deviations_title"),
        )
    },
    with(
        page(PageKind::Search, "search", "soeg.html"),
        "search.html",
        Some("search_title"),
    ),
    PageSpec {
        in_sitemap: false,
        ..with(
            page(PageKind::Sitemap, "sitemap", "sitemap.xml"),
            "sitemap.xml",
            None,
        )
    },
];

/// The folder of the stylesheets and scripts (`templates/static/`).
pub const ASSETS_DIR: &str = "assets";

/// The folder of the figures (`content/figurer/`).
pub const FIGURES_DIR: &str = "figurer";

/// The service worker, at the site's root so that its scope is the whole site.
pub const SERVICE_WORKER: &str = "sw.js";

/// The web manifest, at the site's root (linked from every page).
pub const WEB_MANIFEST: &str = "manifest.webmanifest";

/// The installed site's icons in `assets/` (from `templates/static/`), beside `favicon.svg`.
pub const ICON_SMALL: &str = "icon-192.png";
pub const ICON_LARGE: &str = "icon-512.png";
pub const FAVICON: &str = "favicon.svg";

/// `robots.txt`, at the site's root.
pub const ROBOTS: &str = "robots.txt";

/// The checklist as a FHIR Questionnaire.
pub const QUESTIONNAIRE: &str = "tjekliste.fhir.json";

/// The other names at the site's root, beside the pages' and [`ASSETS_DIR`], [`FIGURES_DIR`]
/// and [`SERVICE_WORKER`]'s: the local versions' folder (`local::LOCAL_DIR_IN_SITE`), their
/// files (`local::FILES_DIR`), the search bundle (`search::BUNDLE_DIR`) and the JSON export
/// (`export::FILE_NAME`). Those modules name them; the build's tests check they agree.
pub const OTHER_ROOT_NAMES: &[&str] = &["lokal", "filer", "pagefind", "retningslinje"];

/// What the registry says about `kind`.
pub fn spec(kind: PageKind) -> &'static PageSpec {
    PAGES.iter().find(|p| p.kind == kind).unwrap_or(&PAGES[0])
}

/// The file (and URL) of the page of `kind`, for a kind with one page.
pub fn file(kind: PageKind) -> &'static str {
    spec(kind).file
}

/// The file (and URL) of item `id`'s page of `kind` (a section, page or role).
pub fn item_file(kind: PageKind, id: &str) -> String {
    format!("{}{id}.html", spec(kind).file)
}

/// The file of section `id`'s page.
pub fn section_file(id: &str) -> String {
    item_file(PageKind::Section, id)
}

/// The kind of the page at `path` (relative to the site's root), if it is one of the site's
/// pages; any other `<id>.html` at the root is a section's (or a free-standing page's).
pub fn kind_of(path: &str) -> Option<PageKind> {
    if path.contains('/') {
        return None;
    }
    if let Some(p) = PAGES.iter().find(|p| !p.per_item && p.file == path) {
        return Some(p.kind);
    }
    let stem = path.strip_suffix(".html")?;
    PAGES
        .iter()
        .filter(|p| p.per_item && !p.file.is_empty())
        .find(|p| stem.starts_with(p.file))
        .map(|p| p.kind)
        .or(Some(PageKind::Section))
}

/// Whether the search index covers the file at `path`.
pub fn is_indexed(path: &str) -> bool {
    path.ends_with(".html") && kind_of(path).is_some_and(|k| spec(k).indexed)
}

/// Whether `sitemap.xml` lists the file at `path`.
pub fn in_sitemap(path: &str) -> bool {
    path.ends_with(".html") && kind_of(path).is_some_and(|k| spec(k).in_sitemap)
}

/// The ids an id in the content may not take: the names of the site's own pages (without
/// `.html`), then of its folders and other files.
pub fn reserved_ids() -> impl Iterator<Item = &'static str> {
    let stem = |f: &'static str| f.split('.').next().unwrap_or(f);
    PAGES
        .iter()
        .filter(|p| p.reserved && !p.per_item)
        .map(move |p| stem(p.file))
        .chain([ASSETS_DIR, FIGURES_DIR, stem(SERVICE_WORKER)])
        .chain(OTHER_ROOT_NAMES.iter().copied())
}

/// The prefixes an id in the content may not start with: those of the pages per item whose
/// files could clash with a section's (`rolle-`).
pub fn reserved_prefixes() -> impl Iterator<Item = &'static str> {
    PAGES
        .iter()
        .filter(|p| p.reserved && p.per_item && !p.file.is_empty())
        .map(|p| p.file)
}

/// Whether an id in the content may not be `id`: a reserved id, or one starting with a
/// reserved prefix.
pub fn is_reserved(id: &str) -> bool {
    reserved_ids().any(|r| r == id) || reserved_prefixes().any(|p| id.starts_with(p))
}

/// The pages' files by name, for the templates (`pages.toc` is `indhold.html`; for a page per
/// item its prefix, `pages.role` is `rolle-`).
pub fn template_names() -> std::collections::BTreeMap<&'static str, &'static str> {
    PAGES.iter().map(|p| (p.name, p.file)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_once_with_a_template() {
        let mut names = std::collections::HashSet::new();
        for p in PAGES {
            assert_eq!(spec(p.kind), p, "{:?}", p.kind);
            assert!(!p.template.is_empty(), "{:?}", p.kind);
            assert!(names.insert(p.name), "{}", p.name);
        }
    }

    #[test]
    fn kinds_of_paths() {
        assert_eq!(kind_of("index.html"), Some(PageKind::Index));
        assert_eq!(kind_of("indhold.html"), Some(PageKind::Toc));
        assert_eq!(kind_of("rolle-almen-praksis.html"), Some(PageKind::Role));
        assert_eq!(kind_of("foer-sygemelding.html"), Some(PageKind::Section));
        assert_eq!(kind_of("sitemap.xml"), Some(PageKind::Sitemap));
        assert_eq!(kind_of("assets/x.html"), None);
        assert_eq!(kind_of("sw.js"), None);
        assert_eq!(item_file(PageKind::Role, "x"), "rolle-x.html");
        assert_eq!(section_file("a"), "a.html");
    }

    #[test]
    fn which_pages_are_indexed() {
        assert!(is_indexed("foer-sygemelding.html"));
        assert!(is_indexed("ordliste.html"));
        assert!(is_indexed("lokale-tilpasninger.html"));
        for skipped in [
            "index.html",
            "indhold.html",
            "udskriv.html",
            "soeg.html",
            "404.html",
            "roller.html",
            "forloeb.html",
            "rolle-almen-praksis.html",
            "assets/x.html",
            "sitemap.xml",
        ] {
            assert!(!is_indexed(skipped), "{skipped}");
        }
        assert!(in_sitemap("udskriv.html"));
        assert!(!in_sitemap("404.html"));
        assert!(!in_sitemap("sitemap.xml"));
    }

    #[test]
    fn reserved_ids_and_prefixes() {
        for id in [
            "index",
            "indhold",
            "referencer",
            "ordliste",
            "udskriv",
            "404",
            "sitemap",
            "assets",
            "figurer",
            "roller",
            "forloeb",
            "tjekliste",
            "soeg",
            "lokale-tilpasninger",
            "lokal",
            "filer",
            "pagefind",
            "sw",
            "retningslinje",
            "rolle-x",
        ] {
            assert!(is_reserved(id), "{id}");
        }
        assert!(!is_reserved("foer-sygemelding"));
        assert!(!is_reserved("rolle"));
        assert_eq!(reserved_ids().count(), 19);
    }
}
