//! The whole guideline as one JSON document for other programs, with its JSON Schema.
//!
//! [`guideline_json`] turns a validated [`Guideline`] and the rendered body of each section into
//! a `serde_json::Value`: metadata, sections (with HTML, plain text, cross-references, citations
//! and footnotes), roles, pathways, interventions, the ICF checklist, the glossary and the
//! references. Arrays keep the model's order; object keys are sorted (serde_json's `Map`), so the
//! same guideline always gives the same document. [`SCHEMA_VERSION`] is the version of the
//! document's structure (semver: additive changes bump the minor version, breaking changes the
//! major version) and must match the schema's `schemaVersion` pattern.

use std::collections::HashMap;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, TextMergeStream};
use serde_json::{json, Value};

use crate::base::output::OutputFile;
use crate::markdown::{analyze, tokens, Token};
use crate::model::checklist::{Checklist, Item};
use crate::model::{Guideline, Section};

/// Version of the document's structure (not of the guideline's content).
pub const SCHEMA_VERSION: &str = "1.1.0";

/// The JSON Schema describing the document, as shipped in `schema/guideline.schema.json`.
pub const SCHEMA: &str = include_str!("../schema/guideline.schema.json");

/// File name of the document in the built site.
pub const FILE_NAME: &str = "retningslinje.json";

/// File name of the schema in the built site, next to the document; the document's `$schema`.
pub const SCHEMA_FILE_NAME: &str = "retningslinje.schema.json";

/// The guideline as JSON. `rendered` holds, per section in `g.sections` order, the section
/// body's HTML and its plain text (see [`html_text`]); a missing entry gives empty strings.
pub fn guideline_json(g: &Guideline, rendered: &[(String, String)]) -> Value {
    let numbers: HashMap<String, String> = g
        .sections
        .iter()
        .map(|s| (s.id.clone(), s.display_number()))
        .collect();
    let labels: HashMap<&str, &str> = g
        .references
        .iter()
        .map(|r| (r.key.as_str(), r.label.as_str()))
        .collect();
    let sections: Vec<Value> = g
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (html, text) = rendered
                .get(i)
                .map(|(h, t)| (h.as_str(), t.as_str()))
                .unwrap_or(("", ""));
            section_json(g, s, html, text, &numbers, &labels)
        })
        .collect();
    json!({
        "$schema": SCHEMA_FILE_NAME,
        "schemaVersion": SCHEMA_VERSION,
        "local": local_json(g),
        "meta": {
            "title": g.meta.title,
            "publisher": g.meta.publisher,
            "language": g.meta.language,
            "source": g.meta.source,
            "date": given(g.meta.date.as_deref()),
            "version": given(g.meta.version.as_deref()),
        },
        "sections": sections,
        "roles": g.roles.iter().map(|r| json!({
            "id": r.id,
            "name": r.name,
            "description": r.description,
            "partOf": r.part_of,
            "mentions": r.mentions,
        })).collect::<Vec<_>>(),
        "pathways": g.pathways.iter().map(|p| json!({
            "id": p.id,
            "from": p.from,
            "to": p.to,
            "kind": p.kind,
            "purpose": p.purpose,
            "channel": p.channel,
            "condition": p.condition,
            "section": p.section,
            "anchor": p.anchor,
            "local": p.local,
        })).collect::<Vec<_>>(),
        "interventions": g.interventions.iter().map(|iv| json!({
            "section": iv.section,
            "name": iv.name,
            "deliveredBy": iv.delivered_by,
            "referredBy": iv.referred_by,
            "sources": iv.sources,
        })).collect::<Vec<_>>(),
        "checklist": g.checklist.as_ref().map(checklist_json),
        "glossary": g.glossary.iter().map(|e| json!({
            "term": e.term,
            "aliases": e.aliases,
            "definition": e.definition,
        })).collect::<Vec<_>>(),
        "references": g.references.iter().map(|r| json!({
            "key": r.key,
            "label": r.label,
            "author": r.author,
            "year": r.year,
            "note": r.note,
            "url": r.url,
        })).collect::<Vec<_>>(),
    })
}

/// A section body's rendered HTML with its plain text, as [`guideline_json`] takes them.
pub fn body(html: String) -> (String, String) {
    let text = html_text(&html);
    (html, text)
}

/// The document ([`FILE_NAME`]) and its schema ([`SCHEMA_FILE_NAME`]) as files of the site.
pub fn output_files(g: &Guideline, rendered: &[(String, String)]) -> Vec<OutputFile> {
    let mut json = serde_json::to_string_pretty(&guideline_json(g, rendered)).unwrap_or_default();
    json.push('\n');
    vec![
        OutputFile::asset(FILE_NAME, json.into_bytes()),
        OutputFile::asset(SCHEMA_FILE_NAME, SCHEMA.as_bytes().to_vec()),
    ]
}

/// A metadata value the source may leave empty: `null` then.
fn given(v: Option<&str>) -> Value {
    match v.map(str::trim) {
        Some(s) if !s.is_empty() => json!(s),
        _ => Value::Null,
    }
}

fn section_json(
    g: &Guideline,
    s: &Section,
    html: &str,
    text: &str,
    numbers: &HashMap<String, String>,
    labels: &HashMap<&str, &str>,
) -> Value {
    let analysis = analyze(&s.body);
    let mut xrefs: Vec<(String, Option<String>)> = Vec::new();
    let mut cites: Vec<String> = Vec::new();
    for (_, token) in &analysis.tokens {
        match token {
            Token::XRef { target, anchor, .. } => {
                let r = (target.clone(), anchor.clone());
                if !xrefs.contains(&r) {
                    xrefs.push(r);
                }
            }
            Token::Cite { key, .. } => {
                if !cites.contains(key) {
                    cites.push(key.clone());
                }
            }
            Token::Unclosed(_) => {}
        }
    }
    let notes = footnote_texts(&s.body, numbers, labels);
    let mut seen = Vec::new();
    let footnotes: Vec<Value> = analysis
        .footnote_defs
        .iter()
        .filter(|(_, label)| {
            let new = !seen.contains(label);
            seen.push(label.clone());
            new
        })
        .map(|(_, label)| {
            json!({
                "label": label,
                "text": notes.get(label).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let parent = s
        .number
        .parent()
        .and_then(|n| g.sections.iter().find(|p| p.number == n))
        .map(|p| p.id.clone());
    let mut section = json!({
        "id": s.id,
        "number": s.display_number(),
        "numberParts": s.number.parts,
        "appendix": s.number.appendix,
        "parent": parent,
        "title": s.title,
        "kind": s.kind,
        "roles": s.roles,
        "html": html,
        "text": text,
        "crossReferences": xrefs.into_iter().map(|(target, anchor)| json!({
            "target": target,
            "anchor": anchor,
        })).collect::<Vec<_>>(),
        "citations": cites,
        "footnotes": footnotes,
    });
    if let Some(l) = &s.local {
        section["local"] = json!({
            "owner": l.owner,
            "label": l.label,
            "after": l.after,
            "deviation": l.deviation,
        });
    }
    if !s.local_parts.is_empty() {
        section["localParts"] = s
            .local_parts
            .iter()
            .map(|p| {
                json!({
                    "kind": p.kind,
                    "owner": p.owner,
                    "reason": p.reason,
                    "text": plain_text(&p.body),
                    "deviation": p.deviation,
                })
            })
            .collect();
    }
    section
}

/// `false` for the national guideline; the owner and every deviation for a local version.
fn local_json(g: &Guideline) -> Value {
    let Some(info) = &g.local else {
        return Value::Bool(false);
    };
    json!({
        "slug": info.slug,
        "name": info.name,
        "owner": info.owner,
        "contact": info.contact,
        "baseVersion": info.base_version,
        "deviations": info.deviations.iter().map(|d| json!({
            "index": d.index,
            "kind": d.kind,
            "section": d.section,
            "localSection": d.local_section,
            "reason": d.reason,
            "source": d.source,
            "stale": d.stale,
            "nationalText": match d.kind {
                crate::model::local::OverlayKind::Insert => None,
                _ => d.national.as_deref().map(plain_text),
            },
            "localText": plain_text(&d.body),
        })).collect::<Vec<_>>(),
    })
}

/// Markdown as plain text, whitespace collapsed.
fn plain_text(markdown: &str) -> String {
    crate::markdown::plain(markdown)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn checklist_json(c: &Checklist) -> Value {
    fn item(i: &Item) -> Value {
        json!({
            "id": i.id,
            "text": i.text,
            "icf": i.icf,
            "options": i.options,
            "items": i.items.iter().map(item).collect::<Vec<_>>(),
            "pointsTo": i.points_to.iter().map(|p| json!({
                "when": p.when,
                "section": p.section,
                "note": p.note,
            })).collect::<Vec<_>>(),
        })
    }
    json!({
        "title": c.title,
        "source": c.source,
        "intro": c.intro,
        "components": c.components.iter().map(|comp| json!({
            "id": comp.id,
            "title": comp.title,
            "anchor": comp.anchor,
            "items": comp.items.iter().map(item).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// The plain text of each footnote definition in a body, by label: cross-references and
/// citations shown as the site shows them, whitespace collapsed.
fn footnote_texts(
    body: &str,
    numbers: &HashMap<String, String>,
    labels: &HashMap<&str, &str>,
) -> HashMap<String, String> {
    // The same Markdown options as `crate::markdown`, so definitions are found alike.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH;
    let mut out = HashMap::new();
    let mut current: Option<(String, String)> = None;
    let mut in_code = false;
    // Merged text runs, so a `[[…]]` split by the parser at its brackets is found whole.
    for event in TextMergeStream::new(Parser::new_ext(body, options)) {
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
                        resolve_tokens(&t, numbers, labels, text);
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

/// Append `text` with `[[…]]` and `[@…]` replaced by what the site shows for them.
fn resolve_tokens(
    text: &str,
    numbers: &HashMap<String, String>,
    labels: &HashMap<&str, &str>,
    out: &mut String,
) {
    let mut last = 0;
    for (range, token) in tokens(text) {
        out.push_str(&text[last..range.start]);
        let raw = &text[range.clone()];
        let shown = match &token {
            Token::XRef { target, text, .. } => text
                .clone()
                .or_else(|| numbers.get(target).cloned())
                .unwrap_or_else(|| raw.to_string()),
            Token::Cite { key, text } => text
                .clone()
                .or_else(|| labels.get(key.as_str()).map(|l| l.to_string()))
                .unwrap_or_else(|| raw.to_string()),
            Token::Unclosed(_) => raw.to_string(),
        };
        out.push_str(&shown);
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
/// permalinks (`a.permalink`), footnote markers (`sup.fnref`; the footnotes are exported on
/// their own), images, and `script`, `style` and `template` elements.
pub fn html_text(html: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // The element being skipped and how deep we are inside it.
    let mut skip: Option<(String, usize)> = None;
    let mut rest = html;
    loop {
        let Some(lt) = rest.find('<') else {
            if skip.is_none() {
                decode_into(rest, &mut line);
            }
            break;
        };
        if skip.is_none() {
            decode_into(&rest[..lt], &mut line);
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
                line.push('<');
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
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let self_closing = tag.ends_with('/');
        if let Some((skipped, depth)) = skip.as_mut() {
            if *skipped == name {
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
        if !closing && !self_closing && skipped_element(&name, tag) {
            skip = Some((name, 1));
            continue;
        }
        if BLOCK_ELEMENTS.contains(&name.as_str()) {
            lines.push(std::mem::take(&mut line));
        } else if matches!(name.as_str(), "td" | "th") {
            line.push(' ');
        }
    }
    lines.push(line);
    lines
        .iter()
        .map(|l| collapse(l))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
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

/// Append `text` with HTML character references decoded (unknown ones are kept as written).
fn decode_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let decoded = after.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let name = &after[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let code = if let Some(hex) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(hex, 16).ok()
                    } else if let Some(dec) = name.strip_prefix('#') {
                        dec.parse().ok()
                    } else {
                        None
                    };
                    code.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
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
            html_text(html),
            "Baggrund\nSe kapitel 4.9.1 & mere. Næste linje\nen\nto – –\nA B\n1 < 2 &unknown;\nx <"
        );
    }

    #[test]
    fn footnote_text_resolves_tokens() {
        let mut numbers = HashMap::new();
        numbers.insert("a".to_string(), "4.9".to_string());
        let mut labels = HashMap::new();
        labels.insert("k", "NICE 2016");
        let body = "Tekst.[^2]\n\n[^2]: Se [[a]] og [[a|bilag 3]] ([@k]),\n    `kode` her.\n";
        let t = footnote_texts(body, &numbers, &labels);
        assert_eq!(t["2"], "Se 4.9 og bilag 3 (NICE 2016), kode her.");
    }
}
