//! Markdown: our extensions on top of pulldown-cmark (CommonMark, tables, footnotes, heading
//! ids) — cross-references `[[id]]`, citations `[@key]`, glossary terms — in two passes:
//! [`analyze`] finds what a body refers to (for validation, backlinks and "cited in"),
//! [`render`] turns it into HTML.

mod glossary;
mod html;
pub mod plain;
pub mod roles;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, TextMergeWithOffset};

use crate::base::text::slugify;

pub use glossary::GlossaryMatcher;
pub use html::{
    render, render_snippet, BodyLabels, LinkContext, LinkTarget, RenderOptions, Rendered,
    LOCAL_ID_NAMESPACE,
};

/// The Markdown extensions every parse of a body uses (here, and in [`crate::markdown::plain`]).
pub(crate) fn options() -> Options {
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
pub(crate) struct HeadingIds {
    seen: HashMap<String, usize>,
}

impl HeadingIds {
    pub(crate) fn assign(&mut self, explicit: Option<&str>, text: &str) -> String {
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

/// The visible text of a Markdown snippet (for titles and summaries); it lives with the other
/// plain-text extractors, in [`crate::markdown::plain`].
pub use plain::from_markdown as plain;

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
            labels: &LABELS,
            names: &NAMES,
        }
    }

    static NAMES: std::sync::LazyLock<crate::model::pages::PageNames> =
        std::sync::LazyLock::new(|| crate::model::pages::PageNames::built_in("da").expect("names"));

    static LABELS: std::sync::LazyLock<BodyLabels> = std::sync::LazyLock::new(|| BodyLabels {
        footnote: "Footnote".into(),
        footnote_back: "Back to footnote".into(),
        permalink: "Permalink".into(),
    });

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
