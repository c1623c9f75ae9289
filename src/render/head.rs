//! What a page's `<head>` says about it beyond its title: its canonical address, its
//! description (the text of its first paragraph, filled in after rendering), Open Graph tags,
//! and schema.org JSON-LD made only from the guideline's own data (title, publisher, language,
//! and date and version only when given).

use serde_json::{json, Map, Value};

use crate::base::text::escape_html;
use crate::markdown::plain;
use crate::model::pages::PageKind;
use crate::model::{Guideline, Section};

/// The placeholder the templates write where the page's description goes.
pub const DESCRIPTION: &str = "__VEJVISER_DESCRIPTION__";

/// The longest description, in characters (search engines show about this much).
pub const DESCRIPTION_MAX: usize = 160;

/// The canonical address of the page at `url` of `g`'s site: its own, from the base URL.
pub fn canonical(g: &Guideline, url: &str) -> Option<String> {
    g.meta.base_url.as_ref().map(|b| format!("{b}{url}"))
}

/// The canonical address of a section's page on a local site: the national page when the local
/// version left the section as it is (and the national address is known), else its own.
pub fn section_canonical(g: &Guideline, s: &Section, url: &str) -> Option<String> {
    let national = g.local.as_ref().and_then(|l| l.national_base_url.as_ref());
    match national {
        Some(n) if s.local.is_none() && s.local_parts.is_empty() => Some(format!("{n}{url}")),
        _ => canonical(g, url),
    }
}

/// The page's JSON-LD: a `MedicalWebPage`, and on the front page the guideline itself as its
/// `MedicalGuideline` main entity. `<` is escaped, so the text cannot end the script element.
pub fn json_ld(g: &Guideline, url: &str, title: &str) -> String {
    let m = &g.meta;
    let mut page = Map::new();
    page.insert("@context".into(), json!("https://schema.org"));
    page.insert("@type".into(), json!("MedicalWebPage"));
    let name = if title.is_empty() { &m.title } else { title };
    page.insert("name".into(), json!(name));
    page.insert("inLanguage".into(), json!(m.language));
    if let Some(c) = canonical(g, url) {
        page.insert("url".into(), json!(c));
    }
    let mut website = Map::new();
    website.insert("@type".into(), json!("WebSite"));
    let site_name = g.local.as_ref().map_or(&m.title, |l| &l.name);
    website.insert("name".into(), json!(site_name));
    if let Some(b) = &m.base_url {
        website.insert("url".into(), json!(b));
    }
    page.insert("isPartOf".into(), Value::Object(website));
    page.insert(
        "publisher".into(),
        json!({"@type": "Organization", "name": m.publisher}),
    );
    if let Some(l) = &g.local {
        page.insert(
            "contributor".into(),
            json!({"@type": "Organization", "name": l.owner}),
        );
    }
    if let Some(v) = given(&m.version) {
        page.insert("version".into(), json!(v));
    }
    let date = given(&m.date).filter(|d| is_iso_date(d));
    if let Some(d) = date {
        page.insert("datePublished".into(), json!(d));
    }
    if url == g.interface.names.file(PageKind::Index) {
        let mut guideline = Map::new();
        guideline.insert("@type".into(), json!("MedicalGuideline"));
        guideline.insert("name".into(), json!(m.title));
        if let Some(d) = date {
            guideline.insert("guidelineDate".into(), json!(d));
        }
        page.insert("mainEntity".into(), Value::Object(guideline));
    }
    let text = serde_json::to_string(&Value::Object(page)).unwrap_or_default();
    text.replace('<', "\\u003c")
}

/// A field the guideline gives (not empty).
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Whether `d` is a W3C date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`): what the sitemap's
/// `lastmod` and schema.org dates take.
pub fn is_iso_date(d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    let in_range = |p: &str, max: u32| p.parse::<u32>().is_ok_and(|v| (1..=max).contains(&v));
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, mo] => digits(y, 4) && digits(mo, 2) && in_range(mo, 12),
        [y, mo, da] => {
            digits(y, 4) && digits(mo, 2) && digits(da, 2) && in_range(mo, 12) && in_range(da, 31)
        }
        _ => false,
    }
}

/// `html` with its description placeholders filled in: the text of the first paragraph of
/// the page's own content (the first `<p>` without attributes after its `<h1>`), trimmed at a
/// word boundary; `fallback` when it has none.
pub fn fill_description(html: String, fallback: &str) -> String {
    if !html.contains(DESCRIPTION) {
        return html;
    }
    let text = html.find("<h1").and_then(|h1| paragraph_text(&html[h1..]));
    fill_description_with(html, text, fallback)
}

/// `html` with its description placeholders filled in from `text` (a page's first paragraph,
/// as [`paragraph_text`] gives it), or `fallback` when there is none or it is empty: for a
/// page assembled from parts, whose first paragraph is looked for part by part.
pub fn fill_description_with(html: String, text: Option<String>, fallback: &str) -> String {
    if !html.contains(DESCRIPTION) {
        return html;
    }
    let text = text.unwrap_or_default();
    let text = if text.is_empty() {
        fallback.to_string()
    } else {
        text
    };
    html.replace(
        DESCRIPTION,
        &escape_html(&trim_at_word(&text, DESCRIPTION_MAX)),
    )
}

/// The text of the first `<p>` without attributes in `html`, white space collapsed; None when
/// there is none.
pub fn paragraph_text(html: &str) -> Option<String> {
    let start = html.find("<p>")? + 3;
    let end = start + html[start..].find("</p>")?;
    let text = plain::from_html(&html[start..end]);
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `text` cut to at most `max` characters at a word boundary, with "…" when cut.
pub fn trim_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(i) if i > 0 => &cut[..i],
        _ => cut.as_str(),
    };
    let at_word = at_word.trim_end_matches([',', ';', ':', '–', '-', ' ']);
    format!("{at_word}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_come_from_the_first_paragraph() {
        let html = format!(
            "<meta content=\"{DESCRIPTION}\"><main><p class=x>UI</p><h1>T</h1><p class=y>no</p><p>Første <em>afsnit</em> &amp; mere.</p><p>Andet</p></main>"
        );
        let out = fill_description(html, "fb");
        assert!(
            out.contains("content=\"Første afsnit &amp; mere.\""),
            "{out}"
        );
        let none = fill_description(
            format!("<meta content=\"{DESCRIPTION}\"><h1>T</h1>"),
            "Titel – Site",
        );
        assert!(none.contains("content=\"Titel – Site\""), "{none}");
        let long = "ord ".repeat(60);
        let t = trim_at_word(long.trim(), 160);
        assert!(t.chars().count() <= 160 && t.ends_with("ord…"), "{t}");
        assert_eq!(trim_at_word("kort", 160), "kort");
    }

    #[test]
    fn iso_dates() {
        for ok in ["2024", "2024-05", "2024-05-31"] {
            assert!(is_iso_date(ok), "{ok}");
        }
        for bad in ["maj 2024", "2024-13", "24-05-31", "2024-05-32", ""] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
