//! Markdown: our extensions on top of pulldown-cmark (CommonMark, tables, footnotes, heading
//! ids) — cross-references `[[id]]`, citations `[@key]`, glossary terms — in two passes:
//! [`analyze`] finds what a body refers to (for validation, backlinks and "cited in"),
//! [`render`] turns it into HTML.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{
    CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};

use crate::base::text::{escape_html, slugify};
use crate::model::pages::{self, PageKind};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
}

/// One of our inline extensions, found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// `[[target#anchor|text]]`
    XRef {
        target: String,
        anchor: Option<String>,
        text: Option<String>,
    },
    /// `[@key|text]`
    Cite { key: String, text: Option<String> },
    /// `[[` or `[@` without its closing bracket.
    Unclosed(&'static str),
}

/// Find our tokens in a text run; ranges are byte ranges within `text`.
pub fn tokens(text: &str) -> Vec<(Range<usize>, Token)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(pos) = text[i..].find('[') {
        let start = i + pos;
        let rest = &text[start..];
        if let Some(inner_rest) = rest.strip_prefix("[[") {
            match inner_rest.find("]]") {
                Some(end) => {
                    let inner = &inner_rest[..end];
                    let (target, label) = split_label(inner);
                    let (target, anchor) = match target.split_once('#') {
                        Some((t, a)) => (t, Some(a.trim().to_string())),
                        None => (target, None),
                    };
                    out.push((
                        start..start + 2 + end + 2,
                        Token::XRef {
                            target: target.trim().to_string(),
                            anchor,
                            text: label,
                        },
                    ));
                    i = start + 2 + end + 2;
                }
                None => {
                    out.push((start..start + 2, Token::Unclosed("[[")));
                    i = start + 2;
                }
            }
        } else if let Some(inner_rest) = rest.strip_prefix("[@") {
            match inner_rest.find(']') {
                Some(end) => {
                    let (key, label) = split_label(&inner_rest[..end]);
                    out.push((
                        start..start + 2 + end + 1,
                        Token::Cite {
                            key: key.trim().to_string(),
                            text: label,
                        },
                    ));
                    i = start + 2 + end + 1;
                }
                None => {
                    out.push((start..start + 2, Token::Unclosed("[@")));
                    i = start + 2;
                }
            }
        } else {
            i = start + 1;
        }
    }
    out
}

fn split_label(inner: &str) -> (&str, Option<String>) {
    match inner.split_once('|') {
        Some((a, b)) => (a, Some(b.to_string())),
        None => (inner, None),
    }
}

/// What a body refers to and defines, with byte offsets into the body.
#[derive(Debug, Default, Clone)]
pub struct Analysis {
    pub tokens: Vec<(usize, Token)>,
    /// Ids a link can point at: headings, footnotes, element ids in raw HTML.
    pub anchors: HashSet<String>,
    pub footnote_refs: Vec<(usize, String)>,
    pub footnote_defs: Vec<(usize, String)>,
    /// `[^label]` left as text because no definition exists.
    pub undefined_footnotes: Vec<(usize, String)>,
    /// Images and links to local files in raw HTML or Markdown.
    pub local_links: Vec<(usize, String)>,
    /// Where the nesting of blocks, inlines and raw HTML first went deeper than
    /// [`MAX_NESTING`], if it did.
    pub too_deep: Option<usize>,
}

/// The deepest nesting of Markdown structure and raw HTML accepted in one body.
pub const MAX_NESTING: usize = 100;

/// The change in element depth from a piece of raw HTML: opening tags minus closing tags.
fn html_depth_change(html: &str) -> isize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let mut change = 0;
    let bytes = html.as_bytes();
    for (i, _) in html.match_indices('<') {
        match bytes.get(i + 1) {
            Some(b'/') => change -= 1,
            Some(c) if c.is_ascii_alphabetic() => {
                let name: String = html[i + 1..]
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                let end = html[i..].find('>').map(|e| i + e);
                let self_closing = end.is_some_and(|e| e > 0 && bytes[e - 1] == b'/');
                if !VOID.contains(&name.to_ascii_lowercase().as_str()) && !self_closing {
                    change += 1;
                }
            }
            _ => {}
        }
    }
    change
}

/// Find tokens, anchors and footnotes in a Markdown body.
pub fn analyze(body: &str) -> Analysis {
    let mut a = Analysis::default();
    let mut heading_ids = HeadingIds::default();
    let mut heading: Option<(Option<String>, String)> = None;
    let mut in_code = false;
    let mut depth: isize = 0;
    let parser = TextMergeWithOffset::new(Parser::new_ext(body, options()).into_offset_iter());
    for (event, range) in parser {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            Event::Html(h) | Event::InlineHtml(h) => depth += html_depth_change(h),
            _ => {}
        }
        if depth > MAX_NESTING as isize && a.too_deep.is_none() {
            a.too_deep = Some(range.start);
        }
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                heading = Some((id.map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((id, text)) = heading.take() {
                    a.anchors.insert(heading_ids.assign(id.as_deref(), &text));
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Image { dest_url, .. })
            | Event::Start(Tag::Link { dest_url, .. })
                if is_local(&dest_url) =>
            {
                a.local_links.push((range.start, dest_url.to_string()));
            }
            Event::Text(text) if !in_code => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&text);
                }
                let raw = &body[range.clone()];
                // Each token is looked up in the raw source after the previous one, so
                // repeated tokens in one line get their own columns.
                let mut cursor = 0;
                for (r, token) in tokens(&text) {
                    let at = locate(raw, &text[r.clone()], &mut cursor);
                    a.tokens.push((range.start + at, token));
                }
                let mut cursor = 0;
                let mut from = 0;
                while let Some(p) = text[from..].find("[^") {
                    let start = from + p;
                    let end = text[start..]
                        .find(']')
                        .map_or(text.len(), |e| start + e + 1);
                    let label = text[start + 2..end].trim_end_matches(']').to_string();
                    let at = locate(raw, &text[start..end], &mut cursor);
                    a.undefined_footnotes.push((range.start + at, label));
                    from = end;
                }
            }
            Event::Code(text) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&text);
                }
            }
            Event::FootnoteReference(label) => {
                a.footnote_refs.push((range.start, label.to_string()))
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                a.anchors.insert(format!("fn-{label}"));
                a.footnote_defs.push((range.start, label.to_string()));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for id in html_attr_values(&html, "id") {
                    a.anchors.insert(id);
                }
                for attr in ["src", "href"] {
                    for url in html_attr_values(&html, attr) {
                        if is_local(&url) {
                            a.local_links.push((range.start, url));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    a
}

/// Offset of `needle` in `raw` at or after `cursor` (which moves past it); the cursor itself
/// when the raw text differs (escapes), so the position is still near.
fn locate(raw: &str, needle: &str, cursor: &mut usize) -> usize {
    let from = (*cursor).min(raw.len());
    match raw.get(from..).and_then(|rest| rest.find(needle)) {
        Some(i) => {
            *cursor = from + i + needle.len();
            from + i
        }
        None => from,
    }
}

fn is_local(url: &str) -> bool {
    !(url.is_empty()
        || url.starts_with('#')
        || url.contains("://")
        || url.starts_with("mailto:")
        || url.starts_with("tel:"))
}

/// Values of `name="…"` attributes in a piece of HTML.
pub fn html_attr_values(html: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let pattern = format!("{name}=\"");
    let mut from = 0;
    while let Some(p) = html[from..].find(&pattern) {
        let start = from + p;
        let ok = start == 0 || html[..start].ends_with(|c: char| c.is_whitespace());
        let value_start = start + pattern.len();
        let Some(len) = html[value_start..].find('"') else {
            break;
        };
        if ok {
            out.push(html[value_start..value_start + len].to_string());
        }
        from = value_start + len + 1;
    }
    out
}

/// Gives each heading a unique id: its explicit `{#id}` or a slug of its text.
#[derive(Default)]
struct HeadingIds {
    seen: HashMap<String, usize>,
}

impl HeadingIds {
    fn assign(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = explicit.map_or_else(|| slugify(text), str::to_string);
        let n = self.seen.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            base
        } else {
            format!("{base}-{n}")
        }
    }
}

/// What renders need to know about a section that is linked to.
#[derive(Debug, Clone)]
pub struct LinkTarget {
    /// "4.9.1" or "Bilag 3".
    pub number: String,
    pub title: String,
}

/// Finds glossary terms in text. Each entry is linked once per body, at its first use.
pub struct GlossaryMatcher {
    /// (pattern, entry index, anchor), longest patterns first.
    patterns: Vec<(String, usize, String)>,
    /// All patterns at once (pattern id = index in `patterns`), so a text is scanned once
    /// rather than once per pattern.
    automaton: Option<aho_corasick::AhoCorasick>,
    longest: usize,
}

impl GlossaryMatcher {
    pub fn new(entries: &[(Vec<String>, String)]) -> Self {
        let mut patterns = Vec::new();
        for (i, (spellings, anchor)) in entries.iter().enumerate() {
            for s in spellings {
                if !s.trim().is_empty() {
                    patterns.push((s.clone(), i, anchor.clone()));
                }
            }
        }
        patterns.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let automaton = aho_corasick::AhoCorasick::new(patterns.iter().map(|p| p.0.as_str())).ok();
        let longest = patterns.first().map_or(0, |p| p.0.len());
        GlossaryMatcher {
            patterns,
            automaton,
            longest,
        }
    }

    /// The earliest whole-word match of an entry not yet used: (range, entry, anchor). At the
    /// same start the longest pattern wins (then the first in byte order).
    fn find(&self, text: &str, used: &HashSet<usize>) -> Option<(Range<usize>, usize, &str)> {
        let automaton = self.automaton.as_ref()?;
        // (start, pattern id) of the best match so far.
        let mut best: Option<(usize, usize)> = None;
        for m in automaton.find_overlapping_iter(text) {
            // Matches come in order of their end: none later can start before `best`.
            if let Some((start, _)) = best {
                if m.end() > start + self.longest {
                    break;
                }
            }
            let id = m.pattern().as_usize();
            let (_, entry, _) = &self.patterns[id];
            if used.contains(entry) {
                continue;
            }
            let (start, end) = (m.start(), m.end());
            let before_ok = !text[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let after_ok = !text[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            if before_ok && after_ok && best.is_none_or(|b| (start, id) < b) {
                best = Some((start, id));
            }
        }
        let (start, id) = best?;
        let (pattern, entry, anchor) = &self.patterns[id];
        Some((start..start + pattern.len(), *entry, anchor.as_str()))
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
    pub roles: Option<&'a crate::roles::RoleMatcher>,
}

impl LinkContext<'_> {
    /// URL of a section (and anchor) from wherever this body is shown.
    pub fn section_url(&self, id: &str, anchor: Option<&str>) -> String {
        match (self.single_page, anchor) {
            (false, None) => pages::section_file(id),
            (false, Some(a)) => format!("{}#{a}", pages::section_file(id)),
            (true, None) => format!("#{id}"),
            (true, Some(a)) => format!("#{id}--{a}"),
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
                    let mut inner_html = String::new();
                    pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                    let html = format!(
                        "<h{lvl} id=\"{p}{id}\">{inner_html} <a class=\"permalink\" href=\"#{p}{id}\" aria-label=\"Permalink: {}\">#</a></h{lvl}>\n",
                        escape_html(&text)
                    );
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
                let suffix = if *n == 1 {
                    String::new()
                } else {
                    format!("-{n}")
                };
                let l = escape_html(&label);
                emitted.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"fnref\" id=\"{p}fnref-{l}{suffix}\"><a href=\"#{p}fn-{l}\" aria-label=\"Fodnote {l}\">{l}</a></sup>"
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
            format!(" <a class=\"fnback\" href=\"#{p}fnref-{l}\"><span aria-hidden=\"true\">↩</span><span class=\"sr-only\">Tilbage til henvisningen til fodnote {l}</span></a>")
        } else {
            String::new()
        };
        notes.push_str(&format!(
            "<li id=\"{p}fn-{l}\"{value}>{}{back}</li>",
            inner.trim_end()
        ));
    }
    Rendered {
        html,
        footnotes: notes,
        headings,
    }
}

/// Wraps each top-level block that mentions a role in `<div class="blk" data-roles="…">`, so
/// the role switcher can highlight what concerns the chosen role.
struct BlockMarker<'m, 'e> {
    matcher: Option<&'m crate::roles::RoleMatcher>,
    depth: usize,
    block: Vec<Event<'e>>,
    text: String,
}

impl<'m, 'e> BlockMarker<'m, 'e> {
    fn new(matcher: Option<&'m crate::roles::RoleMatcher>) -> Self {
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
                pages::file(PageKind::Glossary),
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
                pages::file(PageKind::References),
                escape_html(key),
                escape_html(text.as_deref().unwrap_or(label))
            ),
            None => escape_html(text.as_deref().unwrap_or(raw)),
        },
        Token::Unclosed(_) => escape_html(raw),
    }
}

/// Prefix `id="…"` and in-page `href="#…"` values in raw HTML.
fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}"))
}

/// The top-level blocks of a body (paragraphs, lists, tables, headings, raw HTML blocks,
/// footnote definitions), as byte ranges in document order. Local versions place their text
/// before, after or instead of one of these "passages".
pub fn top_level_blocks(body: &str) -> Vec<Range<usize>> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(_) => {
                if depth == 0 {
                    start = range.start;
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    blocks.push(start..range.end.max(start));
                }
            }
            _ if depth == 0 => blocks.push(range),
            _ => {}
        }
    }
    blocks
}

/// The visible text of a Markdown snippet (for titles and summaries), tokens resolved to text.
pub fn plain(body: &str) -> String {
    let mut s = String::new();
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => s.push_str(&t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
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
    use super::*;

    #[test]
    fn finds_tokens() {
        let t = tokens("jf. kapitel [[a-b]] og [[c#d|bilag 3]] ([@k1]; [@k2|K 2]) [[x");
        assert_eq!(t.len(), 5);
        assert_eq!(
            t[1].1,
            Token::XRef {
                target: "c".into(),
                anchor: Some("d".into()),
                text: Some("bilag 3".into())
            }
        );
        assert_eq!(
            t[3].1,
            Token::Cite {
                key: "k2".into(),
                text: Some("K 2".into())
            }
        );
        assert_eq!(t[4].1, Token::Unclosed("[["));
    }

    fn ctx<'a>(
        sections: &'a HashMap<String, LinkTarget>,
        refs: &'a HashMap<String, String>,
        g: &'a GlossaryMatcher,
    ) -> LinkContext<'a> {
        LinkContext {
            sections,
            references: refs,
            glossary: g,
            single_page: false,
            roles: None,
        }
    }

    #[test]
    fn renders_links_citations_terms_and_footnotes() {
        let mut sections = HashMap::new();
        sections.insert(
            "a".to_string(),
            LinkTarget {
                number: "4.9.1".into(),
                title: "Henvisning".into(),
            },
        );
        let mut refs = HashMap::new();
        refs.insert("k".to_string(), "NICE 2016".to_string());
        let g = GlossaryMatcher::new(&[(vec!["ICF".to_string()], "term-icf".to_string())]);
        let body = "## Over\n\nSe kapitel [[a]] ([@k]). ICF og ICF igen.[^3]\n\n[^3]: Note.\n";
        let r = render(
            body,
            &ctx(&sections, &refs, &g),
            &RenderOptions {
                id_prefix: "",
                heading_shift: 0,
            },
        );
        assert!(
            r.html
                .contains("<a class=\"xref\" href=\"a.html\" title=\"4.9.1 Henvisning\">4.9.1</a>"),
            "{}",
            r.html
        );
        assert!(r
            .html
            .contains("<a class=\"cite\" href=\"referencer.html#ref-k\">NICE 2016</a>"));
        assert_eq!(r.html.matches("class=\"term\"").count(), 1);
        assert!(r.html.contains("id=\"over\""));
        assert!(r.html.contains("href=\"#fn-3\""));
        assert!(r.footnotes.contains("id=\"fn-3\" value=\"3\""));
    }

    #[test]
    fn analysis_reports_positions() {
        let body =
            "Tekst [[nope]] og [@ukendt].\n\n## A {#a}\n\n<div id=\"boks-1\">\n\nx\n\n</div>\n";
        let a = analyze(body);
        assert_eq!(a.tokens.len(), 2);
        assert_eq!(a.tokens[0].0, 6);
        assert_eq!(&body[a.tokens[1].0..a.tokens[1].0 + 2], "[@");
        assert!(a.anchors.contains("a") && a.anchors.contains("boks-1"));
    }
}
