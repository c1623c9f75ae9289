//! Local text is untrusted: after Markdown rendering its HTML goes through ammonia with an
//! allow-list. Scripts, event handlers, `javascript:` URLs, iframes, `<meta>`, SVG, `style`,
//! `hidden` and classes that hide text are removed; images may only come from the site itself.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use ammonia::Builder;

/// Classes our Markdown renderer puts on elements; nothing else survives (a class like
/// `sr-only` could hide text).
const CLASSES: &[(&str, &[&str])] = &[
    ("a", &["xref", "cite", "term", "permalink"]),
    ("sup", &["fnref"]),
    ("div", &["blk"]),
];

use crate::markdown::LOCAL_ID_NAMESPACE as ID_NAMESPACE;

/// Clean rendered local HTML. Its ids are put in [`ID_NAMESPACE`] and made unique within the
/// fragment, and in-page links to them (`href="#…"`) follow; ammonia's parse sees every
/// attribute however it is quoted.
pub fn clean(html: &str) -> String {
    // First pass: the ids as they are, in document order.
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let record = seen.clone();
    let _ = builder(move |_, attribute, value| {
        if attribute == "id" {
            if let Ok(mut ids) = record.lock() {
                ids.push(value.to_string());
            }
        }
        None
    })
    .clean(html);
    let ids = seen.lock().map(|ids| ids.clone()).unwrap_or_default();
    let renamed = Ids::new(&ids);
    let next = Mutex::new(0usize);
    builder(move |_, attribute, value| match attribute {
        "id" => {
            let mut n = next.lock().ok()?;
            let id = renamed.nth(*n, value);
            *n += 1;
            Some(id.into())
        }
        "href" => match value.strip_prefix('#').and_then(|id| renamed.first(id)) {
            Some(id) => Some(format!("#{id}").into()),
            None => Some(value.into()),
        },
        _ => Some(value.into()),
    })
    .clean(html)
    .to_string()
}

/// The new names of a fragment's ids: each in the namespace, repeated ones numbered.
struct Ids {
    /// (old, new) in document order.
    names: Vec<(String, String)>,
}

impl Ids {
    fn new(ids: &[String]) -> Ids {
        let spaced = |id: &str| format!("{ID_NAMESPACE}{id}");
        let all: HashSet<String> = ids.iter().map(|id| spaced(id)).collect();
        let mut taken = HashSet::new();
        let names = ids
            .iter()
            .map(|id| {
                let base = spaced(id);
                let mut name = base.clone();
                let mut k = 2;
                while taken.contains(&name) || (name != base && all.contains(&name)) {
                    name = format!("{base}-{k}");
                    k += 1;
                }
                taken.insert(name.clone());
                (id.clone(), name)
            })
            .collect();
        Ids { names }
    }

    /// The new name of the `n`th id (by document order); `old` if the passes disagree.
    fn nth(&self, n: usize, old: &str) -> String {
        match self.names.get(n) {
            Some((o, new)) if o == old => new.clone(),
            _ => format!("{ID_NAMESPACE}{old}"),
        }
    }

    /// The new name of the first id that was `old`, if the fragment has one.
    fn first(&self, old: &str) -> Option<&str> {
        self.names
            .iter()
            .find(|(o, _)| o == old)
            .map(|(_, new)| new.as_str())
    }
}

/// The allow-list, with `rename` applied to the attributes that pass it.
fn builder<F>(rename: F) -> Builder<'static>
where
    F: for<'u> Fn(&str, &str, &'u str) -> Option<Cow<'u, str>> + Send + Sync + 'static,
{
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
        .attribute_filter(
            move |element, attribute, value| match (element, attribute) {
                // Images only from the site's own files: a relative path, no scheme, no `//host`.
                ("img", "src") if !is_site_relative(value) => None,
                _ => rename(element, attribute, value),
            },
        );
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, ["id"]);
    }
    b
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
        assert!(out.contains(r#"id="lokal-lokal-1-x""#), "{out}");
    }

    #[test]
    fn ids_are_namespaced_unique_and_links_follow() {
        let html = r##"<h2 id="main">a</h2><h3 id='main'>b</h3><h3 id=main-2>c</h3>
<p><a href="#main">to a</a> <a href='#main-2'>to c</a> <a href="#elsewhere">out</a></p>"##;
        let out = clean(html);
        let ids: Vec<&str> = out
            .split("id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert_eq!(ids, ["lokal-main", "lokal-main-3", "lokal-main-2"], "{out}");
        assert!(out.contains(r##"href="#lokal-main""##), "{out}");
        assert!(out.contains(r##"href="#lokal-main-2""##), "{out}");
        assert!(out.contains(r##"href="#elsewhere""##), "{out}");
    }
}
