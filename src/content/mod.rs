//! Loading `content/` into a [`Guideline`]: YAML data files, section files with front matter,
//! pages and figures. Problems go into [`Diagnostics`]; loading goes on to find them all.

mod checklist;
mod front_matter;
pub mod language;
mod meta;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use serde_saphyr::Spanned;

pub use front_matter::{split, Split, SplitError};

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::files::{files_under, report_errors};
use crate::base::source::{located, read_source, SourceFile};
use crate::base::text::slugify;
use crate::base::theme::Theme;
use crate::base::yaml;
use crate::model::{
    Asset, GlossaryEntry, Guideline, Intervention, Kind, Meta, Page, Pathway, PathwayKind,
    PathwayOrigins, Reference, Role, RolePart, Section, SectionNumber,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleYaml {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    part_of: Option<Spanned<String>>,
    #[serde(default)]
    mentions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceYaml {
    key: Spanned<String>,
    label: String,
    author: String,
    #[serde(default)]
    year: Option<u32>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryYaml {
    term: Spanned<String>,
    #[serde(default)]
    aliases: Vec<String>,
    definition: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PathwayYaml {
    id: Spanned<String>,
    from: Spanned<String>,
    to: Spanned<String>,
    kind: PathwayKind,
    purpose: String,
    channel: String,
    #[serde(default)]
    condition: Option<String>,
    section: Spanned<String>,
    #[serde(default)]
    anchor: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InterventionYaml {
    section: Spanned<String>,
    name: String,
    #[serde(default)]
    delivered_by: Vec<String>,
    #[serde(default)]
    referred_by: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
}

/// The front matter of a section file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFrontMatter {
    pub id: Spanned<String>,
    /// Absent for an unnumbered section.
    #[serde(default)]
    pub number: Option<Spanned<String>>,
    /// Absent for an untitled (numbered) section.
    #[serde(default)]
    pub title: Option<Spanned<String>>,
    pub kind: Spanned<Kind>,
    /// The enclosing section of an unnumbered section, by id.
    #[serde(default)]
    pub parent: Option<Spanned<String>>,
    #[serde(default)]
    pub roles: Vec<Spanned<String>>,
    #[serde(default)]
    pub role_page: Option<RolePart>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFrontMatter {
    id: Spanned<String>,
    title: String,
    /// A summary written for readers (e.g. citizens): the national text is what applies.
    #[serde(default)]
    summary: bool,
    /// The text of a link to the page in the site's navigation.
    #[serde(default)]
    nav: Option<String>,
}

/// Load everything under `dir` with the built-in theme's interface strings.
pub fn load(dir: &Path, diags: &mut Diagnostics) -> Option<Guideline> {
    load_with_theme(dir, &Theme::built_in(), diags)
}

/// Load everything under `dir`, with the interface of `theme` in the guideline's language.
/// Returns the guideline when its required files could be read (even if some sections had
/// problems, so that validation can report more).
pub fn load_with_theme(dir: &Path, theme: &Theme, diags: &mut Diagnostics) -> Option<Guideline> {
    if !dir.is_dir() {
        diags.push(
            Diagnostic::file(dir, "content folder not found")
                .with_help("run vejviser from the project folder, or pass --content DIR"),
        );
        return None;
    }
    let loaded = load_yaml_file::<Meta>(&dir.join("guideline.yaml"), diags).map(|(file, m)| {
        meta::check_activity_kinds(&file, &m, diags);
        let m = with_base_url(&file, m, diags);
        let interface = language::interface(theme, &m, &file, diags);
        (m, interface)
    });
    let (meta, interface) = match loaded {
        Some((m, interface)) => (Some(m), interface),
        None => (None, None),
    };
    let roles = load_roles(&dir.join("roles.yaml"), diags);
    let references = load_references(&dir.join("references.yaml"), diags);
    let glossary = load_glossary(&dir.join("glossary.yaml"), diags);
    let sections_dir = dir.join("sections");
    // Read and parsed side by side; the messages kept in the files' order.
    let loaded: Vec<(Option<Section>, Diagnostics)> = markdown_files(&sections_dir, diags)
        .par_iter()
        .map(|path| {
            let mut found = Diagnostics::default();
            (load_section_file(path, &mut found), found)
        })
        .collect();
    let mut sections = Vec::with_capacity(loaded.len());
    for (section, found) in loaded {
        diags.extend(found);
        sections.extend(section);
    }
    crate::model::outline::sort(&mut sections);
    let mut pages = Vec::new();
    for path in markdown_files(&dir.join("pages"), diags) {
        if let Some(page) = load_page_file(&path, diags) {
            pages.push(page);
        }
    }
    let figures = match &interface {
        Some(i) => assets(&dir.join(i.names.figures()), diags),
        None => Vec::new(),
    };
    let pathways = load_pathways(&dir.join("pathways.yaml"), diags);
    let interventions = optional_yaml::<InterventionYaml>(&dir.join("interventions.yaml"), diags)
        .map(|(file, raw)| {
            raw.into_iter()
                .map(|i| Intervention {
                    origin: yaml::origin(&file, &i.section.referenced, 1),
                    section: i.section.value,
                    name: i.name,
                    delivered_by: i.delivered_by,
                    referred_by: i.referred_by,
                    sources: i.sources,
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Guideline {
        meta: meta?,
        meta_path: dir.join("guideline.yaml"),
        interface: interface?,
        roles,
        references,
        glossary,
        sections,
        pages,
        figures,
        pathways,
        interventions,
        checklist: checklist::load(dir, diags),
        local: None,
    })
}

pub(crate) fn load_yaml_file<T: serde::de::DeserializeOwned>(
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<(SourceFile, T)> {
    if !path.is_file() {
        diags.push(Diagnostic::file(path, "required file is missing"));
        return None;
    }
    let file = read_source(path, diags)?;
    if file.text.trim().is_empty() {
        diags.push(Diagnostic::at_line(path, 1, 1, "file is empty"));
        return None;
    }
    let text = file.text.clone();
    let value = yaml::parse(&file, &text, 1, diags)?;
    Some((file, value))
}

/// The pathways of a `pathways.yaml` (none when the file is absent).
pub fn load_pathways(path: &Path, diags: &mut Diagnostics) -> Vec<Pathway> {
    optional_yaml::<PathwayYaml>(path, diags)
        .map(|(file, raw)| {
            raw.into_iter()
                .map(|p| Pathway {
                    origins: PathwayOrigins {
                        id: Some(yaml::origin(&file, &p.id.referenced, 1)),
                        from: Some(yaml::origin(&file, &p.from.referenced, 1)),
                        to: Some(yaml::origin(&file, &p.to.referenced, 1)),
                        section: Some(yaml::origin(&file, &p.section.referenced, 1)),
                    },
                    id: p.id.value,
                    from: p.from.value,
                    to: p.to.value,
                    kind: p.kind,
                    purpose: p.purpose,
                    channel: p.channel,
                    condition: p.condition,
                    section: p.section.value,
                    anchor: p.anchor,
                    local: None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A list file that may be absent, empty or `[]` (then there is nothing in it).
fn optional_yaml<T: serde::de::DeserializeOwned>(
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<(SourceFile, Vec<T>)> {
    if !path.exists() {
        return None;
    }
    let file = read_source(path, diags)?;
    if yaml_is_empty(&file.text) {
        return None;
    }
    let text = file.text.clone();
    let value = yaml::parse(&file, &text, 1, diags)?;
    Some((file, value))
}

/// Whether a YAML file holds nothing: only blank lines and comments.
pub(crate) fn yaml_is_empty(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#'))
}

fn load_roles(path: &Path, diags: &mut Diagnostics) -> Vec<Role> {
    let Some((file, raw)) = optional_yaml::<RoleYaml>(path, diags) else {
        return Vec::new();
    };
    raw.into_iter()
        .map(|r| Role {
            origin: yaml::origin(&file, &r.id.referenced, 1),
            part_of_origin: r
                .part_of
                .as_ref()
                .map(|p| yaml::origin(&file, &p.referenced, 1)),
            part_of: r.part_of.map(|p| p.value),
            id: r.id.value,
            name: r.name,
            description: r.description,
            mentions: r.mentions,
        })
        .collect()
}

fn load_references(path: &Path, diags: &mut Diagnostics) -> Vec<Reference> {
    let Some((file, raw)) = optional_yaml::<ReferenceYaml>(path, diags) else {
        return Vec::new();
    };
    raw.into_iter()
        .map(|r| Reference {
            origin: yaml::origin(&file, &r.key.referenced, 1),
            key: r.key.value,
            label: r.label,
            author: r.author,
            year: r.year,
            note: r.note,
            url: r.url,
        })
        .collect()
}

fn load_glossary(path: &Path, diags: &mut Diagnostics) -> Vec<GlossaryEntry> {
    let Some((file, raw)) = optional_yaml::<GlossaryYaml>(path, diags) else {
        return Vec::new();
    };
    raw.into_iter()
        .map(|g| GlossaryEntry {
            origin: yaml::origin(&file, &g.term.referenced, 1),
            anchor: format!("term-{}", slugify(&g.term.value)),
            term: g.term.value,
            aliases: g.aliases,
            definition: g.definition,
        })
        .collect()
}

/// The `.md` files under `dir`, sorted by path; symlinks are not followed.
fn markdown_files(dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let (found, errors) = files_under(dir, |_| false);
    report_errors(dir, errors, diags);
    let mut files = Vec::new();
    for f in found {
        if f.is_symlink {
            diags.push(
                Diagnostic::file(&f.path, "symbolic links are not followed in content").warning(),
            );
        } else if f.path.extension().is_some_and(|x| x == "md") {
            files.push(f.path);
        }
    }
    files
}

/// The files under `dir` (symbolic links left out), as assets copied into the site.
fn assets(dir: &Path, diags: &mut Diagnostics) -> Vec<Asset> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let (found, errors) = files_under(dir, |_| false);
    report_errors(dir, errors, diags);
    found
        .into_iter()
        .filter(|f| !f.is_symlink)
        .map(|f| Asset {
            relative: f.relative,
            path: f.path,
        })
        .collect()
}

/// Read and parse one section file.
pub fn load_section_file(path: &Path, diags: &mut Diagnostics) -> Option<Section> {
    let file = read_source(path, diags)?;
    parse_section(file, diags)
}

/// Parse a section from its text. This is the content parser the fuzz target drives.
pub fn parse_section(file: SourceFile, diags: &mut Diagnostics) -> Option<Section> {
    let text = file.text.clone();
    let parts =
        match split(&text) {
            Ok(parts) => parts,
            Err(e) => {
                diags.push(Diagnostic::at(&file.path, &text, 0, e.message()).with_help(
                    "start the file with ---, then id, number, title and kind, then ---",
                ));
                return None;
            }
        };
    let fm: SectionFrontMatter = yaml::parse(&file, parts.yaml, parts.yaml_line, diags)?;
    let at = |loc: &serde_saphyr::Location| yaml::origin(&file, loc, parts.yaml_line);
    let id_origin = at(&fm.id.referenced);
    let mut ok = true;
    let mut error = |origin: &crate::model::Origin, message: String, help: &str| {
        diags.push(located(&file, origin, message).with_help(help));
        ok = false;
    };
    if !is_slug(&fm.id.value) {
        error(
            &id_origin,
            format!("id `{}` is not a slug", fm.id.value),
            "use lower-case a-z, digits and '-', e.g. henvisning-fra-almen-praksis",
        );
    }
    let appendix = fm.kind.value.is_appendix();
    let number = match &fm.number {
        None => None,
        Some(n) => {
            let parsed = SectionNumber::parse(&n.value, appendix);
            if parsed.is_none() {
                let help = if appendix {
                    "an appendix number is one or two capital letters or a whole number, with \
                     subsections after dots: \"A\", \"B\", \"A.1\", \"3\", \"3.1\""
                } else {
                    "write the number as in the national document, e.g. \"4.9.1\" (an appendix \
                     numbered \"A\" needs kind: appendix)"
                };
                error(
                    &at(&n.referenced),
                    format!("invalid section number `{}`", n.value),
                    help,
                );
            }
            parsed
        }
    };
    let number_origin = fm
        .number
        .as_ref()
        .map_or_else(|| id_origin.clone(), |n| at(&n.referenced));
    let title = match &fm.title {
        Some(t) if t.value.trim().is_empty() => {
            error(
                &at(&t.referenced),
                "title is empty".into(),
                "write the title as in the national document, or leave the line out for an \
                 untitled numbered section",
            );
            String::new()
        }
        Some(t) => t.value.clone(),
        None => String::new(),
    };
    if fm.title.is_none() && fm.number.is_none() {
        error(
            &id_origin,
            "section has neither a number nor a title".into(),
            "give it a title (an unnumbered section shows it as its heading) or a number",
        );
    }
    let parent_origin = fm.parent.as_ref().map(|p| at(&p.referenced));
    if let (Some(p), Some(o)) = (&fm.parent, &parent_origin) {
        if fm.number.is_some() {
            error(
                o,
                "a numbered section cannot name its parent".into(),
                "leave out parent: the number says where it belongs (4.9.1 is in 4.9)",
            );
        } else if !is_slug(&p.value) {
            error(
                o,
                format!("parent `{}` is not a section id", p.value),
                "write the id from the front matter of the enclosing section",
            );
        }
    }
    if !ok {
        return None;
    }
    let role_origins = fm.roles.iter().map(|r| at(&r.referenced)).collect();
    let excerpt = if title.is_empty() {
        excerpt(parts.body)
    } else {
        String::new()
    };
    Some(Section {
        id: fm.id.value,
        number,
        title,
        excerpt,
        kind_origin: at(&fm.kind.referenced),
        kind: fm.kind.value,
        parent: fm.parent.map(|p| p.value),
        parent_origin,
        roles: fm.roles.into_iter().map(|r| r.value).collect(),
        role_page: fm.role_page,
        body: parts.body.to_string(),
        body_offset: parts.body_offset,
        id_origin,
        number_origin,
        role_origins,
        file: file.clone(),
        local: None,
        local_parts: Vec::new(),
    })
}

/// How many words of an untitled section's text its links show.
const EXCERPT_WORDS: usize = 8;

/// The first words of a body's first block, with "…" when there are more.
pub fn excerpt(body: &str) -> String {
    let first = crate::markdown::top_level_blocks(body)
        .into_iter()
        .next()
        .map_or("", |r| &body[r]);
    let text = crate::markdown::plain::from_markdown_collapsed(first);
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = words[..words.len().min(EXCERPT_WORDS)].join(" ");
    if words.len() > EXCERPT_WORDS {
        out.push('…');
    }
    out
}

fn load_page_file(path: &Path, diags: &mut Diagnostics) -> Option<Page> {
    let file = read_source(path, diags)?;
    let text = file.text.clone();
    let parts = match split(&text) {
        Ok(parts) => parts,
        Err(e) => {
            diags.push(Diagnostic::at(&file.path, &text, 0, e.message()));
            return None;
        }
    };
    let fm: PageFrontMatter = yaml::parse(&file, parts.yaml, parts.yaml_line, diags)?;
    let id_origin = yaml::origin(&file, &fm.id.referenced, parts.yaml_line);
    if !is_slug(&fm.id.value) {
        diags.push(located(
            &file,
            &id_origin,
            format!("id `{}` is not a slug", fm.id.value),
        ));
        return None;
    }
    Some(Page {
        id: fm.id.value,
        title: fm.title,
        summary: fm.summary,
        nav: fm.nav,
        body: parts.body.to_string(),
        body_offset: parts.body_offset,
        id_origin,
        file: file.clone(),
    })
}

/// Lower-case ASCII letters, digits and single '-' between them.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// `meta` with its `base_url` checked and normalised (`https://example.org/a/`); a value that
/// is no absolute http(s) URL is reported at its line in `guideline.yaml`.
fn with_base_url(file: &SourceFile, mut meta: Meta, diags: &mut Diagnostics) -> Meta {
    let Some(raw) = meta.base_url.take() else {
        return meta;
    };
    match crate::base::url::parse_base_url(&raw) {
        Ok(url) => meta.base_url = url,
        Err(problem) => diags.push(
            Diagnostic::at(&file.path, &file.text, yaml_key_offset(&file.text, "base_url"), format!("base_url: {problem}"))
                .with_help("write the published address as an absolute URL, e.g. https://example.org/retningslinje/"),
        ),
    }
    meta
}

/// The byte offset of the value of the top-level `key:` in a YAML text (0 if not found).
pub(crate) fn yaml_key_offset(text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let value = rest.len() - rest.trim_start().len();
            return offset + key.len() + 1 + value;
        }
        offset += line.len();
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::outline::{self, Outline};

    fn section(file: &str, front: &str, body: &str) -> Section {
        let text = format!("---\n{front}\n---\n{body}\n");
        let file = SourceFile {
            path: PathBuf::from(file),
            text: text.into(),
        };
        let mut diags = Diagnostics::default();
        let s = parse_section(file, &mut diags);
        assert!(!diags.has_errors(), "{front}");
        s.expect("parses")
    }

    #[test]
    fn sections_sort_into_document_order_and_survive_a_circle() {
        let mut sections = vec![
            section("z.md", "id: z\ntitle: Z\nkind: context\nparent: y", "Z."),
            section("y.md", "id: y\ntitle: Y\nkind: context\nparent: z", "Y."),
            section("b.md", "id: b\ntitle: B\nkind: appendix", "B."),
            section(
                "a1.md",
                "id: a1\nnumber: \"A.1\"\ntitle: A1\nkind: appendix",
                ".",
            ),
            section(
                "a.md",
                "id: a\nnumber: \"A\"\ntitle: A\nkind: appendix",
                ".",
            ),
            section(
                "3.md",
                "id: three\nnumber: \"3\"\ntitle: Three\nkind: appendix",
                ".",
            ),
            section("u.md", "id: u\ntitle: U\nkind: context\nparent: one", "."),
            section(
                "lost.md",
                "id: lost\ntitle: Lost\nkind: context\nparent: nowhere",
                ".",
            ),
            section(
                "1.1.md",
                "id: one-one\nnumber: \"1.1\"\nkind: recommendation",
                "Do it.",
            ),
            section(
                "1.md",
                "id: one\nnumber: \"1\"\ntitle: One\nkind: recommendation",
                ".",
            ),
        ];
        outline::sort(&mut sections);
        let ids: Vec<&str> = sections.iter().map(|s| s.id.as_str()).collect();
        // Chapters (numbered, then unnumbered by file name; a section whose parent is unknown
        // or in a circle counts as top-level), then appendices by digits, by letters, unnumbered.
        assert_eq!(
            ids,
            ["one", "one-one", "u", "lost", "y", "z", "three", "a", "a1", "b"]
        );
        let o = Outline::of(&sections);
        assert_eq!(o.parent[2], Some(0));
        assert_eq!(o.parent[4], None);
        assert_eq!(o.parent[5], None);
        assert_eq!(o.depth, [1, 2, 2, 1, 1, 1, 1, 1, 2, 1]);
        assert!(sections[9].is_appendix() && !sections[3].is_appendix());
        assert_eq!(sections[1].excerpt, "Do it.");
    }

    #[test]
    fn an_excerpt_is_the_first_words_of_the_first_block() {
        assert_eq!(excerpt("Short text.\n\nMore."), "Short text.");
        assert_eq!(
            excerpt("One *two* three four five six seven eight nine ten."),
            "One two three four five six seven eight…"
        );
        assert_eq!(excerpt(""), "");
    }
}
