//! The site's own pages in one registry: for each kind of page its name, its file (which is also
//! its URL relative to the site's root) or, for a page per item, the prefix of its files, its
//! template, its title, whether the search index and the sitemap cover it, and whether an id
//! in the content may take its name.
//!
//! Rendering, validation, the search index and local versions read the names from here and
//! nowhere else, and the templates get them as `pages.<name>` (see
//! [`PageNames::template_names`]). The files of most pages are named in the site's interface
//! language (`indhold.html`, `contents.html`): those names come from the theme's strings file
//! of the language (`file_<name>` keys) as a [`PageNames`]; the front page, the 404 page, the
//! sitemap, the service worker and the folders of assets and search are named alike in every
//! language.

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
    /// The file name, also the URL relative to the site's root, when it is the same in every
    /// language; for a page per item ([`per_item`](Self::per_item)) the prefix of its items'
    /// files, `<prefix><id>.html`. Empty when the language names it ([`PageNames`]).
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
        page(PageKind::Toc, "toc", ""),
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
        page(PageKind::Roles, "roles", ""),
        "roles.html",
        Some("roles_title"),
    ),
    PageSpec {
        per_item: true,
        ..with(page(PageKind::Role, "role", ""), "role.html", None)
    },
    with(
        page(PageKind::Pathways, "pathways", ""),
        "pathways.html",
        Some("pathways_title"),
    ),
    PageSpec {
        indexed: true,
        ..with(
            page(PageKind::Checklist, "checklist", ""),
            "checklist.html",
            None,
        )
    },
    PageSpec {
        indexed: true,
        ..with(
            page(PageKind::References, "references", ""),
            "references.html",
            Some("references_title"),
        )
    },
    PageSpec {
        indexed: true,
        ..with(
            page(PageKind::Glossary, "glossary", ""),
            "glossary.html",
            Some("glossary_title"),
        )
    },
    with(
        page(PageKind::Print, "print", ""),
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
            page(PageKind::Deviations, "deviations", ""),
            "deviations.html",
            Some("deviations_title"),
        )
    },
    with(
        page(PageKind::Search, "search", ""),
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

/// The folder of the stylesheets and scripts (the theme's `static/`).
pub const ASSETS_DIR: &str = "assets";

/// The service worker, at the site's root so that its scope is the whole site.
pub const SERVICE_WORKER: &str = "sw.js";

/// The web manifest, at the site's root (linked from every page).
pub const WEB_MANIFEST: &str = "manifest.webmanifest";

/// The installed site's icons in `assets/` (from the theme's `static/`), beside `favicon.svg`.
pub const ICON_SMALL: &str = "icon-192.png";
pub const ICON_LARGE: &str = "icon-512.png";
pub const FAVICON: &str = "favicon.svg";

/// `robots.txt`, at the site's root.
pub const ROBOTS: &str = "robots.txt";

/// The names at the site's root that are the same in every language, beside the pages' and
/// [`ASSETS_DIR`] and [`SERVICE_WORKER`]'s: the search bundle (`search::BUNDLE_DIR`) and a local
/// version's own files (`local::FILES_DIR`).
pub const OTHER_ROOT_NAMES: &[&str] = &["pagefind", "filer"];

/// The other names a language gives, beside its pages' files (the keys `file_<key>` of its
/// strings): the folder of the figures (in the content and in the site), the folder of the
/// local versions in the site, the JSON export and its schema, and the FHIR Questionnaire.
pub const OTHER_NAMED: &[&str] = &[
    "figures",
    "local",
    "export",
    "export_schema",
    "questionnaire",
];

/// What the registry says about `kind`.
pub fn spec(kind: PageKind) -> &'static PageSpec {
    PAGES.iter().find(|p| p.kind == kind).unwrap_or(&PAGES[0])
}

/// The file of section `id`'s page (the same in every language: `<id>.html`).
pub fn section_file(id: &str) -> String {
    format!("{id}.html")
}

/// The file names of one interface language: every page's file (or prefix) and the other
/// named folders and files ([`OTHER_NAMED`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageNames {
    /// By registry name (`toc`) or other key (`figures`).
    names: std::collections::BTreeMap<&'static str, String>,
}

impl PageNames {
    /// The names from a language's strings (`file_toc: indhold.html`, …), through `get`;
    /// the keys that are missing, or whose value is not a plain file name, when any are.
    pub fn from_strings(get: impl Fn(&str) -> Option<String>) -> Result<PageNames, Vec<String>> {
        let mut names = std::collections::BTreeMap::new();
        let mut missing = Vec::new();
        let keys = PAGES
            .iter()
            .filter(|p| p.file.is_empty() && (p.reserved || !p.per_item))
            .map(|p| p.name)
            .chain(OTHER_NAMED.iter().copied());
        for key in keys {
            match get(&format!("file_{key}")) {
                Some(v) if is_plain_name(&v) => {
                    names.insert(key, v);
                }
                _ => missing.push(format!("file_{key}")),
            }
        }
        if missing.is_empty() {
            Ok(PageNames { names })
        } else {
            Err(missing)
        }
    }

    /// The names of a language of the built-in theme (for tests and tools).
    pub fn built_in(language: &str) -> Option<PageNames> {
        let bytes = crate::base::theme::Theme::built_in_file(&format!("strings/{language}.yaml"))?;
        let strings: std::collections::BTreeMap<String, String> =
            serde_saphyr::from_str(std::str::from_utf8(bytes).ok()?).ok()?;
        PageNames::from_strings(|k| strings.get(k).cloned()).ok()
    }

    fn named(&self, key: &str) -> &str {
        self.names.get(key).map_or("", String::as_str)
    }

    /// The file (and URL) of the page of `kind`, for a kind with one page; for a page per
    /// item the prefix of its files.
    pub fn file(&self, kind: PageKind) -> &str {
        let spec = spec(kind);
        if spec.file.is_empty() {
            self.named(spec.name)
        } else {
            spec.file
        }
    }

    /// The file (and URL) of item `id`'s page of `kind` (a section, page or role).
    pub fn item_file(&self, kind: PageKind, id: &str) -> String {
        format!("{}{id}.html", self.file(kind))
    }

    /// The folder of the figures, in the content and in the site (`figurer`, `figures`).
    pub fn figures(&self) -> &str {
        self.named("figures")
    }

    /// The folder of the local versions in the national site (`lokal`, `local`).
    pub fn local_dir(&self) -> &str {
        self.named("local")
    }

    /// The JSON export (`retningslinje.json`) and its schema.
    pub fn export(&self) -> &str {
        self.named("export")
    }

    pub fn export_schema(&self) -> &str {
        self.named("export_schema")
    }

    /// The checklist as a FHIR Questionnaire (`tjekliste.fhir.json`).
    pub fn questionnaire(&self) -> &str {
        self.named("questionnaire")
    }

    /// The kind of the page at `path` (relative to the site's root), if it is one of the
    /// site's pages; any other `<id>.html` at the root is a section's (or a free-standing
    /// page's).
    pub fn kind_of(&self, path: &str) -> Option<PageKind> {
        if path.contains('/') {
            return None;
        }
        if let Some(p) = PAGES
            .iter()
            .find(|p| !p.per_item && self.file(p.kind) == path)
        {
            return Some(p.kind);
        }
        let stem = path.strip_suffix(".html")?;
        PAGES
            .iter()
            .filter(|p| p.per_item && !self.file(p.kind).is_empty())
            .find(|p| stem.starts_with(self.file(p.kind)))
            .map(|p| p.kind)
            .or(Some(PageKind::Section))
    }

    /// Whether the search index covers the file at `path`.
    pub fn is_indexed(&self, path: &str) -> bool {
        path.ends_with(".html") && self.kind_of(path).is_some_and(|k| spec(k).indexed)
    }

    /// Whether `sitemap.xml` lists the file at `path`.
    pub fn in_sitemap(&self, path: &str) -> bool {
        path.ends_with(".html") && self.kind_of(path).is_some_and(|k| spec(k).in_sitemap)
    }

    /// The ids an id in the content may not take: the names of the site's own pages (without
    /// `.html`), then of its folders and other files.
    pub fn reserved_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = PAGES
            .iter()
            .filter(|p| p.reserved && !p.per_item)
            .map(|p| self.file(p.kind))
            .chain([ASSETS_DIR, SERVICE_WORKER])
            .chain(OTHER_ROOT_NAMES.iter().copied())
            .chain(OTHER_NAMED.iter().map(|k| self.named(k)))
            .map(|f| f.split('.').next().unwrap_or(f))
            .collect();
        // The checklist page and its Questionnaire share a stem (`tjekliste`): listed once.
        let mut seen = std::collections::HashSet::new();
        ids.retain(|i| seen.insert(*i));
        ids
    }

    /// The prefixes an id in the content may not start with: those of the pages per item
    /// whose files could clash with a section's (`rolle-`).
    pub fn reserved_prefixes(&self) -> Vec<&str> {
        PAGES
            .iter()
            .filter(|p| p.reserved && p.per_item)
            .map(|p| self.file(p.kind))
            .filter(|f| !f.is_empty())
            .collect()
    }

    /// Whether an id in the content may not be `id`: a reserved id, or one starting with a
    /// reserved prefix.
    pub fn is_reserved(&self, id: &str) -> bool {
        self.reserved_ids().contains(&id)
            || self.reserved_prefixes().iter().any(|p| id.starts_with(p))
    }

    /// The pages' files by name, for the templates (`pages.toc` is `indhold.html`; for a page
    /// per item its prefix, `pages.role` is `rolle-`), and the other named files by key.
    pub fn template_names(&self) -> std::collections::BTreeMap<&str, &str> {
        PAGES
            .iter()
            .map(|p| (p.name, self.file(p.kind)))
            .chain(OTHER_NAMED.iter().map(|k| (*k, self.named(k))))
            .collect()
    }
}

/// The interface of a site in its language: every string the theme shows (the theme's
/// `strings/<language>.yaml`, with the guideline's own `strings:` over it) and the file names
/// of its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub strings: std::collections::BTreeMap<String, String>,
    pub names: PageNames,
}

impl Interface {
    /// The string `key`, or the key itself when there is none (never empty-handed).
    pub fn text(&self, key: &str) -> String {
        self.strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }
}

/// A file or folder name without separators or leading dot.
fn is_plain_name(v: &str) -> bool {
    !v.is_empty()
        && !v.starts_with('.')
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn danish() -> PageNames {
        PageNames::built_in("da").expect("the built-in Danish names")
    }

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
    fn a_language_without_a_name_is_refused() {
        let missing = PageNames::from_strings(|k| (k != "file_toc").then(|| "x.html".into()));
        assert_eq!(missing, Err(vec!["file_toc".to_string()]));
        let bad = PageNames::from_strings(|k| {
            Some(
                if k == "file_print" {
                    "a/b.html"
                } else {
                    "x.html"
                }
                .into(),
            )
        });
        assert_eq!(bad, Err(vec!["file_print".to_string()]));
    }

    #[test]
    fn kinds_of_paths() {
        let n = danish();
        assert_eq!(n.kind_of("index.html"), Some(PageKind::Index));
        assert_eq!(n.kind_of("indhold.html"), Some(PageKind::Toc));
        assert_eq!(n.kind_of("rolle-almen-praksis.html"), Some(PageKind::Role));
        assert_eq!(n.kind_of("foer-sygemelding.html"), Some(PageKind::Section));
        assert_eq!(n.kind_of("sitemap.xml"), Some(PageKind::Sitemap));
        assert_eq!(n.kind_of("assets/x.html"), None);
        assert_eq!(n.kind_of("sw.js"), None);
        assert_eq!(n.item_file(PageKind::Role, "x"), "rolle-x.html");
        assert_eq!(section_file("a"), "a.html");
    }

    #[test]
    fn which_pages_are_indexed() {
        let n = danish();
        assert!(n.is_indexed("foer-sygemelding.html"));
        assert!(n.is_indexed("ordliste.html"));
        assert!(n.is_indexed("lokale-tilpasninger.html"));
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
            assert!(!n.is_indexed(skipped), "{skipped}");
        }
        assert!(n.in_sitemap("udskriv.html"));
        assert!(!n.in_sitemap("404.html"));
        assert!(!n.in_sitemap("sitemap.xml"));
    }

    #[test]
    fn reserved_ids_and_prefixes() {
        let n = danish();
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
            "pagefind",
            "sw",
            "retningslinje",
            "rolle-x",
        ] {
            assert!(n.is_reserved(id), "{id}");
        }
        assert!(!n.is_reserved("foer-sygemelding"));
        assert!(!n.is_reserved("rolle"));
    }
}
