//! Local text is untrusted: after Markdown rendering its HTML goes through ammonia with an
//! allow-list. Scripts, event handlers, `javascript:` URLs, iframes, `<meta>`, SVG, `style`,
//! `hidden` and classes that hide text are removed; images may only come from the site itself.

use std::collections::{HashMap, HashSet};

use ammonia::Builder;

/// Classes our Markdown renderer puts on elements; nothing else survives (a class like
/// `sr-only` could hide text).
const CLASSES: &[(&str, &[&str])] = &[
    ("a", &["xref", "cite", "term", "permalink"]),
    ("sup", &["fnref"]),
    ("div", &["blk"]),
];

/// Clean rendered local HTML.
pub fn clean(html: &str) -> String {
    let mut b = Builder::default();
    b.add_tags(["div", "section", "figure", "figcaption", "caption"])
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .add_tag_attributes("div", ["data-roles"])
        .add_tag_attributes("a", ["title", "aria-label"])
        .add_tag_attributes("sup", ["id"])
        .add_tag_attributes("th", ["scope"])
        .allowed_classes(
            CLASSES
                .iter()
                .map(|(tag, classes)| (*tag, classes.iter().copied().collect()))
                .collect::<HashMap<_, HashSet<_>>>(),
        )
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // Images only from the site's own files: a relative path, no scheme, no `//host`.
            ("img", "src") if !is_site_relative(value) => None,
            _ => Some(value.into()),
        });
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, ["id"]);
    }
    b.clean(html).to_string()
}

fn is_site_relative(url: &str) -> bool {
    let u = url.trim();
    !(u.is_empty()
        || u.starts_with("//")
        || u.starts_with('/')
        || u.starts_with('\\')
        || u.contains(':'))
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn active_content_is_removed() {
        let hostile = r#"<p onclick="alert(1)">Tekst <script>alert(2)</script>
<a href="javascript:alert(3)">link</a> <iframe src="https://evil.example"></iframe>
<meta http-equiv="refresh" content="0;url=https://evil.example">
<svg><script>alert(4)</script></svg><img src="https://evil.example/x.png" onerror="alert(5)">
<span class="sr-only" style="display:none" hidden>skjult</span></p>"#;
        let out = clean(hostile);
        for bad in [
            "onclick",
            "<script",
            "javascript:",
            "<iframe",
            "<meta",
            "<svg",
            "evil.example",
            "onerror",
            "sr-only",
            "display:none",
            "hidden",
        ] {
            assert!(!out.contains(bad), "{bad} survived: {out}");
        }
        assert!(out.contains("Tekst") && out.contains("skjult"), "{out}");
    }

    #[test]
    fn our_own_markup_survives() {
        let html = r#"<div class="blk" data-roles="kommune"><p><a class="xref" href="4-9.html">4.9</a> <img src="filer/kort.png" alt="Kort"></p></div><h2 id="lokal-1-x">X</h2>"#;
        let out = clean(html);
        assert!(
            out.contains(r#"class="blk""#) && out.contains("data-roles"),
            "{out}"
        );
        assert!(
            out.contains(r#"class="xref""#) && out.contains("filer/kort.png"),
            "{out}"
        );
        assert!(out.contains(r#"id="lokal-1-x""#), "{out}");
    }
}
