//! Plain text from Markdown and from rendered HTML: the one place the site's text is extracted.
//!
//! [`from_markdown`] and [`from_markdown_collapsed`] give the visible text of a Markdown snippet
//! (titles, summaries, local overlays); [`footnotes`] the text of each footnote definition in a
//! section body, with our tokens shown as the site shows them; [`from_html`] the visible text of
//! a rendered section body, line by line. Markdown is parsed with [`crate::markdown`]'s options,
//! so every reader finds the same blocks, tokens and footnotes.

use std::collections::HashMap;

use pulldown_cmark::{Event, Parser, Tag, TagEnd, TextMergeStream};

use crate::markdown::{options, tokens, Token};

/// The visible text of a Markdown snippet (for titles and summaries), tokens left as written:
/// text and code as they are, line breaks as spaces.
pub fn from_markdown(body: &str) -> String {
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

/// [`from_markdown`] on one line: runs of white space (any Unicode white space, no-break spaces
/// too) become one space, none at either end.
pub fn from_markdown_collapsed(body: &str) -> String {
    from_markdown(body)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The plain text of each footnote definition in a body, by label (the first definition of a
/// label counts): `[[…]]` and `[@…]` outside code as `shown(token, source)` gives them, code as
/// written, a footnote reference as its label, runs of ASCII white space as one space.
pub fn footnotes(body: &str, shown: impl Fn(&Token, &str) -> String) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut current: Option<(String, String)> = None;
    let mut in_code = false;
    // Merged text runs, so a `[[…]]` split by the parser at its brackets is found whole.
    for event in TextMergeStream::new(Parser::new_ext(body, options())) {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                current = Some((label.to_string(), String::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, text)) = current.take() {
                    out.entry(label).or_insert_with(|| collapse(&text));
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) => {
                if let Some((_, text)) = current.as_mut() {
                    if in_code {
                        text.push_str(&t);
                    } else {
                        resolve_tokens(&t, &shown, text);
                    }
                }
            }
            Event::Code(t) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::FootnoteReference(l) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&l);
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

/// Append `text` with each token replaced by `shown(token, its source)`.
fn resolve_tokens(text: &str, shown: &impl Fn(&Token, &str) -> String, out: &mut String) {
    let mut last = 0;
    for (range, token) in tokens(text) {
        out.push_str(&text[last..range.start]);
        out.push_str(&shown(&token, &text[range.clone()]));
        last = range.end;
    }
    out.push_str(&text[last..]);
}

/// Runs of ASCII whitespace become one space; no-break spaces are kept.
fn collapse(text: &str) -> String {
    text.split(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Elements whose start and end separate lines of the plain text.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// The visible text of rendered section HTML: one line per block (paragraph, list item,
/// heading, table row, …), whitespace collapsed, entities decoded. Left out: heading
/// permalinks (`a.permalink`), footnote markers (`sup.fnref`; the JSON export has the footnotes
/// on their own), images, and `script`, `style` and `template` elements.
pub fn from_html(html: &str) -> String {
    let mut text = Lines::with_capacity(html.len());
    // The element being skipped (its name as written) and how deep we are inside it.
    let mut skip: Option<(&str, usize)> = None;
    let mut rest = html;
    loop {
        let Some(lt) = rest.find('<') else {
            if skip.is_none() {
                decode_into(rest, &mut text.line);
            }
            break;
        };
        if skip.is_none() {
            decode_into(&rest[..lt], &mut text.line);
        }
        let after = &rest[lt..];
        if let Some(comment) = after.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        // A tag starts with a letter, "/" and a letter, or "!" (a declaration); any other '<'
        // is text ("1 < 2").
        let starts_tag = match after.as_bytes().get(1) {
            Some(b'/') => after.as_bytes().get(2).is_some_and(u8::is_ascii_alphabetic),
            Some(b) => b.is_ascii_alphabetic() || *b == b'!',
            None => false,
        };
        let gt = after.find('>').filter(|_| starts_tag);
        let Some(gt) = gt else {
            if skip.is_none() {
                text.line.push('<');
            }
            rest = &after[1..];
            continue;
        };
        let tag = &after[1..gt];
        rest = &after[gt + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let closing = tag.starts_with('/');
        let name = tag.trim_start_matches('/');
        let name = &name[..name
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(name.len())];
        let self_closing = tag.ends_with('/');
        if let Some((skipped, depth)) = skip.as_mut() {
            if skipped.eq_ignore_ascii_case(name) {
                if closing {
                    *depth -= 1;
                } else if !self_closing {
                    *depth += 1;
                }
            }
            if *depth == 0 {
                skip = None;
            }
            continue;
        }
        let lower = lowercase(name);
        if !closing && !self_closing && skipped_element(&lower, tag) {
            skip = Some((name, 1));
            continue;
        }
        if BLOCK_ELEMENTS.binary_search(&lower.as_ref()).is_ok() {
            text.end_line();
        } else if matches!(lower.as_ref(), "td" | "th") {
            text.line.push(' ');
        }
    }
    text.end_line();
    text.out
}

fn skipped_element(name: &str, tag: &str) -> bool {
    match name {
        "script" | "style" | "template" => true,
        "a" => has_class(tag, "permalink"),
        "sup" => has_class(tag, "fnref"),
        _ => false,
    }
}

fn has_class(tag: &str, class: &str) -> bool {
    let Some(start) = tag.find("class=\"") else {
        return false;
    };
    let value = &tag[start + 7..];
    let value = &value[..value.find('"').unwrap_or(value.len())];
    value.split_ascii_whitespace().any(|c| c == class)
}

/// A tag name in lower case, borrowed when it is already (as in the HTML we render).
fn lowercase(name: &str) -> std::borrow::Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(name.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// The plain text being made: the finished lines, and the line being read.
struct Lines {
    out: String,
    line: String,
}

impl Lines {
    fn with_capacity(n: usize) -> Self {
        Lines {
            out: String::with_capacity(n / 2),
            line: String::new(),
        }
    }

    /// The current line, its runs of ASCII white space collapsed (see [`collapse`]), appended
    /// on a line of its own unless it is empty.
    fn end_line(&mut self) {
        let mut words = self
            .line
            .split(|c: char| c.is_ascii_whitespace())
            .filter(|w| !w.is_empty());
        if let Some(first) = words.next() {
            if !self.out.is_empty() {
                self.out.push('\n');
            }
            self.out.push_str(first);
            for w in words {
                self.out.push(' ');
                self.out.push_str(w);
            }
        }
        self.line.clear();
    }
}

/// Append `text` with its HTML character references (every HTML5 named one, decimal and
/// hexadecimal) decoded; unknown ones are kept as written.
fn decode_into(text: &str, out: &mut String) {
    // Most runs of text have no reference: copied as they are.
    match text.contains('&') {
        true => {
            html_escape::decode_html_entities_to_string(text, out);
        }
        false => out.push_str(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_keeps_visible_text_by_block() {
        let html = "<h2 id=\"a\">Baggrund <a class=\"permalink\" href=\"#a\" aria-label=\"Permalink: Baggrund\">#</a></h2>\n\
            <p>Se kapitel <a class=\"xref\" href=\"a.html\">4.9.1</a> &amp; mere<sup class=\"fnref\" id=\"fnref-3\"><a href=\"#fn-3\">3</a></sup>.\nNæste linje</p>\n\
            <ul>\n<li>en</li>\n<li>to &#8211; &#x2013;</li>\n</ul>\n\
            <table><tr><th>A</th><th>B</th></tr></table><!-- x --><p>1 < 2 &unknown;</p><p>x <</p>";
        assert_eq!(
            from_html(html),
            "Baggrund\nSe kapitel 4.9.1 & mere. Næste linje\nen\nto – –\nA B\n1 < 2 &unknown;\nx <"
        );
    }

    #[test]
    fn footnote_text_resolves_tokens() {
        let shown = |token: &Token, raw: &str| match token {
            Token::XRef { text, .. } => text.clone().unwrap_or_else(|| "4.9".to_string()),
            Token::Cite { .. } => "NICE 2016".to_string(),
            Token::Unclosed(_) => raw.to_string(),
        };
        let body = "Tekst.[^2]\n\n[^2]: Se [[a]] og [[a|bilag 3]] ([@k]),\n    `kode` her.\n";
        let t = footnotes(body, shown);
        assert_eq!(t["2"], "Se 4.9 og bilag 3 (NICE 2016), kode her.");
    }

    #[test]
    fn markdown_text_keeps_tokens_and_collapses_on_request() {
        let body = "**Fed** tekst  med `kode`\nog [[a]]\u{a0}her.";
        assert_eq!(
            from_markdown(body),
            "Fed tekst  med kode og [[a]]\u{a0}her."
        );
        assert_eq!(
            from_markdown_collapsed(body),
            "Fed tekst med kode og [[a]] her."
        );
    }

    #[test]
    fn html_text_reads_tags_in_any_case() {
        let html = "<P>en<BR>to</P><SCRIPT>x<script>y</script>z</SCRIPT><Td>a</tD><th>b</th><Sup class=\"fnref\">1</sUP>";
        assert_eq!(from_html(html), "en\nto\na b");
        // Looked up by binary search.
        assert!(BLOCK_ELEMENTS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn html_text_decodes_every_character_reference() {
        let html = "<p>1&ndash;2 a&nbsp;b 3&#8211;4 5&#x2013;6 &aelig;ble &AElig; &hellip; &amp;lt; &ukendt;</p>";
        assert_eq!(
            from_html(html),
            "1\u{2013}2 a\u{a0}b 3\u{2013}4 5\u{2013}6 æble Æ \u{2026} &lt; &ukendt;"
        );
    }
}
