//! Base URLs: the address a site is published at, checked and normalised once (absolute
//! `http`/`https`, no query or fragment, one trailing slash), and the URLs made from it.

/// `text` as a base URL: `https://example.org/retningslinje/`. Empty text is no base URL
/// (`Ok(None)`); anything that is not an absolute http(s) URL is refused with the reason.
pub fn parse_base_url(text: &str) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let url =
        url::Url::parse(text).map_err(|e| format!("`{text}` is not an absolute URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "`{text}` is not an http or https URL (scheme `{}`)",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{text}` has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "`{text}` has a query or fragment; a base URL cannot"
        ));
    }
    let mut s = url.to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    Ok(Some(s))
}

/// The path of a (normalised) base URL, with its slashes: `/retningslinje/` (or `/`).
pub fn base_path(base_url: &str) -> String {
    match url::Url::parse(base_url) {
        Ok(u) => {
            let p = u.path();
            if p.ends_with('/') {
                p.to_string()
            } else {
                format!("{p}/")
            }
        }
        Err(_) => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised_or_refused() {
        let ok = |s: &str| parse_base_url(s).expect(s).expect(s);
        assert_eq!(ok("https://example.org"), "https://example.org/");
        assert_eq!(ok(" https://example.org/a/b "), "https://example.org/a/b/");
        assert_eq!(ok("http://Example.ORG/a/"), "http://example.org/a/");
        assert_eq!(parse_base_url("  ").expect("empty"), None);
        for bad in [
            "example.org",
            "/retningslinje/",
            "ftp://example.org/",
            "file:///srv/site/",
            "https://example.org/?x=1",
            "https://example.org/#top",
            "javascript:alert(1)",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(base_path("https://example.org/a/b/"), "/a/b/");
    }
}
