//! Rendering a Markdown body to HTML with the guideline's extensions resolved: cross-references
//! and citations as links, glossary terms linked at first use, heading ids, role markers on
//! blocks, footnotes apart.

use std::collections::{BTreeMap, HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, TextMergeWithOffset};

use super::glossary::GlossaryMatcher;
use super::{options, tokens, HeadingIds, Token};
use crate::base::text::escape_html;
use crate::model::pages::{self, PageKind, PageNames};

/// What renders need to know about a section that is linked to.
#[derive(Debug, Clone)]
pub struct LinkTarget {
    /// "4.9.1" or "Bilag 3"; a section a local version inserts is "L1", "L2", ….
    pub number: String,
    pub title: String,
}

/// Every id in a local version's own (sanitised) HTML begins with this, so that local text
/// never takes an id of the page around it (`main`, a national heading's id); links into a
/// local section's headings add it too.
pub const LOCAL_ID_NAMESPACE: &str = "lokal-";

impl LinkTarget {
    /// Whether the section is one a local version inserted (its number is `L<n>`).
    pub fn is_local(&self) -> bool {
        self.number
            .strip_prefix('L')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    }
}

/// Everything a render needs to resolve links.
pub struct LinkContext<'a> {
    pub sections: &'a HashMap<String, LinkTarget>,
    /// Reference key → label.
    pub references: &'a HashMap<String, String>,
    pub glossary: &'a GlossaryMatcher,
    /// All sections on one page (the print page): links become in-page anchors.
    pub single_page: bool,
    /// Marks top-level blocks with the roles they mention (`data-roles`), when given.
    pub roles: Option<&'a crate::markdown::roles::RoleMatcher>,
    /// The interface words a body's own markup needs, in the site's language.
    pub labels: &'a BodyLabels,
    /// The site's page file names (the glossary's and the references' pages).
    pub names: &'a PageNames,
}

/// The interface words in a rendered body (from the theme's strings): the accessible names of
/// footnote references, of the links back from footnotes and of heading permalinks.
#[derive(Debug, Clone)]
pub struct BodyLabels {
    /// "Footnote" (the reference to footnote 3 is named "Footnote 3").
    pub footnote: String,
    /// "Back to the reference to footnote" (+ its number).
    pub footnote_back: String,
    /// "Permalink" (+ ": " and the heading).
    pub permalink: String,
}

impl LinkContext<'_> {
    /// URL of a section (and anchor) from wherever this body is shown.
    pub fn section_url(&self, id: &str, anchor: Option<&str>) -> String {
        // A local section's headings are in the local namespace (local::sanitize).
        let ns = match self.sections.get(id) {
            Some(t) if t.is_local() => LOCAL_ID_NAMESPACE,
            _ => "",
        };
        match (self.single_page, anchor) {
            (false, None) => pages::section_file(id),
            (false, Some(a)) => format!("{}#{ns}{a}", pages::section_file(id)),
            (true, None) => format!("#{id}"),
            (true, Some(a)) => format!("#{ns}{id}--{a}"),
        }
    }
}

/// How to render one body.
pub struct RenderOptions<'a> {
    /// Prefix for every id in the body (`"<section>--"` on the print page).
    pub id_prefix: &'a str,
    /// Added to heading levels (`##` becomes h(2 + shift)).
    pub heading_shift: u8,
}

/// The HTML of a body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Footnotes, rendered as `<li>`s, in number order (empty if none).
    pub footnotes: String,
    /// The body's headings: (level, id, text), ids without prefix.
    pub headings: Vec<(u8, String, String)>,
}

/// Render a Markdown body to HTML.
pub fn render(body: &str, links: &LinkContext<'_>, opts: &RenderOptions<'_>) -> Rendered {
    let mut out: Vec<Event<'_>> = Vec::new();
    let mut heading_ids = HeadingIds::default();
    let mut headings = Vec::new();
    // A heading's events are held back until its end, to build the id and permalink.
    let mut heading: Option<(HeadingLevel, Option<String>, Vec<Event<'_>>, String)> = None;
    // Footnote definitions are rendered separately, keyed by numeric label when possible.
    let mut footnotes: BTreeMap<(u64, String), Vec<Event<'_>>> = BTreeMap::new();
    let mut footnote: Option<(String, Vec<Event<'_>>)> = None;
    let mut fn_ref_count: HashMap<String, usize> = HashMap::new();
    let mut used_terms = HashSet::new();
    let mut link_depth = 0usize;
    let mut in_code = false;
    let p = opts.id_prefix;
    let mut blocks = BlockMarker::new(links.roles);

    let parser = TextMergeWithOffset::new(Parser::new_ext(body, options()).into_offset_iter());
    for (event, _) in parser {
        let mut emitted: Vec<Event<'_>> = Vec::new();
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level, id.map(|i| i.to_string()), Vec::new(), String::new()));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, inner, text)) = heading.take() {
                    let id = heading_ids.assign(id.as_deref(), &text);
                    let lvl = (level as u8 + opts.heading_shift).min(6);
                    let html = heading_html(lvl, p, &id, inner, &text, &links.labels.permalink);
                    headings.push((lvl, id, text));
                    emitted.push(Event::Html(CowStr::from(html)));
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                footnote = Some((label.to_string(), Vec::new()));
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, events)) = footnote.take() {
                    let key = (label.parse::<u64>().unwrap_or(u64::MAX), label);
                    footnotes.insert(key, events);
                }
                continue;
            }
            Event::FootnoteReference(label) => {
                let n = fn_ref_count.entry(label.to_string()).or_insert(0);
                *n += 1;
                emitted.push(Event::InlineHtml(CowStr::from(footnote_ref_html(
                    &label,
                    *n,
                    p,
                    &links.labels.footnote,
                ))));
            }
            Event::Start(Tag::Link { .. }) => {
                link_depth += 1;
                emitted.push(event);
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                emitted.push(event);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                emitted.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                emitted.push(event);
            }
            Event::Text(text) if !in_code => {
                if let Some(h) = heading.as_mut() {
                    h.3.push_str(&text);
                }
                let link_terms = heading.is_none() && link_depth == 0;
                render_text(&text, links, link_terms, &mut used_terms, &mut emitted);
            }
            Event::Code(ref text) => {
                if let Some(h) = heading.as_mut() {
                    h.3.push_str(text);
                }
                emitted.push(event);
            }
            Event::Html(html) if !p.is_empty() => {
                emitted.push(Event::Html(CowStr::from(prefix_ids(&html, p))));
            }
            Event::InlineHtml(html) if !p.is_empty() => {
                emitted.push(Event::InlineHtml(CowStr::from(prefix_ids(&html, p))));
            }
            other => emitted.push(other),
        }
        if let Some((_, events)) = footnote.as_mut() {
            events.extend(emitted);
        } else if let Some(h) = heading.as_mut() {
            h.2.extend(emitted);
        } else {
            blocks.push(emitted, &mut out);
        }
    }

    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    let notes = footnotes_html(footnotes, &fn_ref_count, p, &links.labels.footnote_back);
    Rendered {
        html,
        footnotes: notes,
        headings,
    }
}

/// A heading with its id and permalink.
fn heading_html(
    lvl: u8,
    p: &str,
    id: &str,
    inner: Vec<Event<'_>>,
    text: &str,
    permalink: &str,
) -> String {
    let mut inner_html = String::new();
    pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
    format!(
        "<h{lvl} id=\"{p}{id}\">{inner_html} <a class=\"permalink\" href=\"#{p}{id}\" aria-label=\"{}: {}\">#</a></h{lvl}>\n",
        escape_html(permalink),
        escape_html(text)
    )
}

/// The `n`th reference to footnote `label`.
fn footnote_ref_html(label: &str, n: usize, p: &str, word: &str) -> String {
    let suffix = if n == 1 {
        String::new()
    } else {
        format!("-{n}")
    };
    let l = escape_html(label);
    format!(
        "<sup class=\"fnref\" id=\"{p}fnref-{l}{suffix}\"><a href=\"#{p}fn-{l}\" aria-label=\"{w} {l}\">{l}</a></sup>",
        w = escape_html(word)
    )
}

/// The footnote definitions as list items, in label order, each with a link back.
fn footnotes_html(
    footnotes: BTreeMap<(u64, String), Vec<Event<'_>>>,
    fn_ref_count: &HashMap<String, usize>,
    p: &str,
    back_words: &str,
) -> String {
    let back_words = escape_html(back_words);
    let mut notes = String::new();
    for ((_, label), events) in footnotes {
        let mut inner = String::new();
        pulldown_cmark::html::push_html(&mut inner, events.into_iter());
        let l = escape_html(&label);
        let value = label
            .parse::<u64>()
            .map(|n| format!(" value=\"{n}\""))
            .unwrap_or_default();
        let back = if fn_ref_count.contains_key(&label) {
            format!(" <a class=\"fnback\" href=\"#{p}fnref-{l}\"><span aria-hidden=\"true\">↩</span><span class=\"sr-only\">{back_words} {l}</span></a>")
        } else {
            String::new()
        };
        notes.push_str(&format!(
            "<li id=\"{p}fn-{l}\"{value}>{}{back}</li>",
            inner.trim_end()
        ));
    }
    notes
}

/// Wraps each top-level block that mentions a role in `<div class="blk" data-roles="…">`, so
/// the role switcher can highlight what concerns the chosen role.
struct BlockMarker<'m, 'e> {
    matcher: Option<&'m crate::markdown::roles::RoleMatcher>,
    depth: usize,
    block: Vec<Event<'e>>,
    text: String,
}

impl<'m, 'e> BlockMarker<'m, 'e> {
    fn new(matcher: Option<&'m crate::markdown::roles::RoleMatcher>) -> Self {
        BlockMarker {
            matcher,
            depth: 0,
            block: Vec::new(),
            text: String::new(),
        }
    }

    fn push(&mut self, events: Vec<Event<'e>>, out: &mut Vec<Event<'e>>) {
        let Some(matcher) = self.matcher else {
            out.extend(events);
            return;
        };
        for event in events {
            match &event {
                Event::Start(_) => self.depth += 1,
                Event::End(_) => self.depth = self.depth.saturating_sub(1),
                Event::Text(t) => {
                    self.text.push_str(t);
                    self.text.push(' ');
                }
                _ => {}
            }
            let closes = matches!(event, Event::End(_)) && self.depth == 0;
            if self.depth == 0 && !closes {
                out.push(event);
                continue;
            }
            self.block.push(event);
            if closes {
                let roles = matcher.roles_in(&self.text);
                if roles.is_empty() {
                    out.append(&mut self.block);
                } else {
                    out.push(Event::Html(CowStr::from(format!(
                        "<div class=\"blk\" data-roles=\"{}\">",
                        escape_html(&roles.join(" "))
                    ))));
                    out.append(&mut self.block);
                    out.push(Event::Html(CowStr::from("</div>\n")));
                }
                self.text.clear();
            }
        }
    }
}

/// Emit a text run: tokens become links, the first use of a glossary term becomes a link.
fn render_text<'a>(
    text: &str,
    links: &LinkContext<'_>,
    link_terms: bool,
    used_terms: &mut HashSet<usize>,
    out: &mut Vec<Event<'a>>,
) {
    let mut last = 0;
    for (range, token) in tokens(text) {
        plain_text(&text[last..range.start], links, link_terms, used_terms, out);
        out.push(Event::InlineHtml(CowStr::from(token_html(
            &token,
            &text[range.clone()],
            links,
        ))));
        last = range.end;
    }
    plain_text(&text[last..], links, link_terms, used_terms, out);
}

fn plain_text<'a>(
    mut text: &str,
    links: &LinkContext<'_>,
    link_terms: bool,
    used_terms: &mut HashSet<usize>,
    out: &mut Vec<Event<'a>>,
) {
    if link_terms {
        while let Some((range, entry, anchor)) = links.glossary.find(text, used_terms) {
            used_terms.insert(entry);
            if range.start > 0 {
                out.push(Event::Text(CowStr::from(text[..range.start].to_string())));
            }
            out.push(Event::InlineHtml(CowStr::from(format!(
                "<a class=\"term\" href=\"{}#{anchor}\">{}</a>",
                links.names.file(PageKind::Glossary),
                escape_html(&text[range.clone()])
            ))));
            text = &text[range.end..];
        }
    }
    if !text.is_empty() {
        out.push(Event::Text(CowStr::from(text.to_string())));
    }
}

fn token_html(token: &Token, raw: &str, links: &LinkContext<'_>) -> String {
    match token {
        Token::XRef {
            target,
            anchor,
            text,
        } => match links.sections.get(target) {
            Some(t) => {
                let shown = text.clone().unwrap_or_else(|| t.number.clone());
                format!(
                    "<a class=\"xref\" href=\"{}\" title=\"{}\">{}</a>",
                    escape_html(&links.section_url(target, anchor.as_deref())),
                    escape_html(&format!("{} {}", t.number, t.title)),
                    escape_html(&shown)
                )
            }
            None => escape_html(text.as_deref().unwrap_or(raw)),
        },
        Token::Cite { key, text } => match links.references.get(key) {
            Some(label) => format!(
                "<a class=\"cite\" href=\"{}#ref-{}\">{}</a>",
                links.names.file(PageKind::References),
                escape_html(key),
                escape_html(text.as_deref().unwrap_or(label))
            ),
            None => escape_html(text.as_deref().unwrap_or(raw)),
        },
        Token::Unclosed(_) => escape_html(raw),
    }
}

/// Prefix the `id` values and in-page `href="#…"` values of the tags in raw HTML, however
/// their attributes are written (any case, single, double or no quotes, spaces around `=`).
pub(crate) fn prefix_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + prefix.len());
    let mut copied = 0;
    for (at, is_href) in attribute_values(html) {
        let at = if is_href { at + 1 } else { at };
        out.push_str(&html[copied..at]);
        out.push_str(prefix);
        copied = at;
    }
    out.push_str(&html[copied..]);
    out
}

/// Byte offsets where the values of `id` and in-page `href="#…"` attributes start, in the
/// tags of an HTML fragment (true for an href, whose offset is at its `#`).
fn attribute_values(html: &str) -> Vec<(usize, bool)> {
    let b = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        // The tag name, then its attributes up to `>`.
        i += 1;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let name_start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !b"=>/".contains(&b[i]) {
                i += 1;
            }
            let name = &html[name_start..i];
            let mut j = i;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] != b'=' {
                continue; // an attribute without a value
            }
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            // The value's span, and where the next attribute may start.
            let (start, end, next) = match b.get(j) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let close = b[j + 1..].iter().position(|&c| c == q);
                    let end = close.map_or(b.len(), |e| j + 1 + e);
                    (j + 1, end, (end + 1).min(b.len()))
                }
                _ => {
                    let len = b[j..]
                        .iter()
                        .position(|c| c.is_ascii_whitespace() || *c == b'>');
                    let end = len.map_or(b.len(), |l| j + l);
                    (j, end, end)
                }
            };
            if name.eq_ignore_ascii_case("id") {
                found.push((start, false));
            } else if name.eq_ignore_ascii_case("href") && html[start..end].starts_with('#') {
                found.push((start, true));
            }
            i = next;
        }
    }
    found
}

/// Render a short Markdown snippet (glossary definitions, reference notes) without our
/// extensions, as inline HTML when it is one paragraph.
pub fn render_snippet(text: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(text, options()));
    let trimmed = html.trim();
    if let Some(inner) = trimmed
        .strip_prefix("<p>")
        .and_then(|t| t.strip_suffix("</p>"))
    {
        if !inner.contains("<p>") {
            return inner.to_string();
        }
    }
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::prefix_ids;

    #[test]
    fn ids_are_prefixed_however_they_are_written() {
        let html = r##"<h3 id='main'>a</h3><h3 id=main>b</h3><h4 ID = "main" class=x>c</h4>
<a href='#main' title="id=no">d</a> <a href="#top">e</a> <a href="x.html#y">f</a> id="text""##;
        let out = prefix_ids(html, "p-");
        assert_eq!(
            out,
            r##"<h3 id='p-main'>a</h3><h3 id=p-main>b</h3><h4 ID = "p-main" class=x>c</h4>
<a href='#p-main' title="id=no">d</a> <a href="#p-top">e</a> <a href="x.html#y">f</a> id="text""##
        );
    }
}
