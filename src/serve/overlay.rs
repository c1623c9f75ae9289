//! The preview's error overlay: the first error of a failed build (file, line, column, message,
//! the lines around it) shown over every served page, and the injection of the overlay and the
//! live-reload script into HTML pages.

use std::path::Path;

use crate::base::diagnostics::Diagnostics;
use crate::base::text::escape_html;
use crate::base::theme::Theme;

/// The overlay's stylesheet, served at `/_vejviser/overlay.css` (inline styles are forbidden by
/// the pages' CSP).
pub const CSS: &str = "#vejviser-overlay{position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.86);color:#fff;font:16px/1.45 system-ui,sans-serif;overflow:auto;padding:2rem}\
#vejviser-overlay .vv-box{max-width:60rem;margin:0 auto;background:#2b1111;border:3px solid #ff6b6b;border-radius:6px;padding:1.25rem 1.5rem}\
#vejviser-overlay h2{margin:0 0 .75rem;font-size:1.3rem;color:#ffb3b3}\
#vejviser-overlay .vv-loc{font-family:ui-monospace,monospace;color:#ffe08a}\
#vejviser-overlay .vv-msg{font-weight:600;white-space:pre-wrap}\
#vejviser-overlay pre{background:#111;color:#eee;padding:.75rem 1rem;overflow:auto;border-radius:4px}\
#vejviser-overlay .vv-line{display:block;white-space:pre}#vejviser-overlay .vv-mark{background:#6b1d1d}\
#vejviser-overlay .vv-note{color:#ccc;font-size:.9rem}";

/// The first error of a failed build, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    /// As given to the build (relative to where `vejviser serve` runs, if it was).
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
    /// Numbered lines around `line`: (number, text).
    pub snippet: Vec<(usize, String)>,
    /// How many errors there were in all.
    pub errors: usize,
    pub words: OverlayWords,
}

/// The overlay's own words, in the guideline's interface language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayWords {
    pub heading: String,
    /// "… and {n} more errors (see the terminal)."
    pub more: String,
    pub fix: String,
}

impl OverlayWords {
    /// The words of the language `content/guideline.yaml` names (read on its own, as the
    /// content may be what failed), from the built-in theme's strings; English when the
    /// language is unknown or the file cannot be read.
    pub fn for_content(content: &Path) -> OverlayWords {
        let language = crate::content::language::declared_language(content).unwrap_or_default();
        let strings = |lang: &str| -> Option<std::collections::BTreeMap<String, String>> {
            let bytes = Theme::built_in_file(&format!("strings/{lang}.yaml"))?;
            serde_saphyr::from_str(std::str::from_utf8(bytes).ok()?).ok()
        };
        let s = strings(&language)
            .or_else(|| strings("en"))
            .unwrap_or_default();
        let get = |k: &str| s.get(k).cloned().unwrap_or_else(|| k.to_string());
        OverlayWords {
            heading: get("overlay_heading"),
            more: get("overlay_more"),
            fix: get("overlay_fix"),
        }
    }
}

impl Overlay {
    /// The overlay for a failed build: its first error in file order; None without errors.
    pub fn from_diagnostics(diags: &Diagnostics, words: OverlayWords) -> Option<Overlay> {
        let errors: Vec<_> = diags
            .sorted()
            .into_iter()
            .filter(|d| d.severity == crate::base::diagnostics::Severity::Error)
            .collect();
        let d = errors.first()?;
        let cwd = std::env::current_dir().unwrap_or_default();
        let file = d
            .path
            .strip_prefix(&cwd)
            .unwrap_or(&d.path)
            .display()
            .to_string();
        Some(Overlay {
            file,
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.clone(),
            snippet: snippet(&d.path, d.line),
            errors: errors.len(),
            words,
        })
    }

    /// The overlay's HTML (every text escaped).
    pub fn html(&self) -> String {
        let mut s = String::with_capacity(1024);
        s.push_str(&format!(
            "<div id=\"vejviser-overlay\" role=\"alert\" data-file=\"{}\" data-line=\"{}\" data-column=\"{}\"><div class=\"vv-box\">",
            escape_html(&self.file),
            self.line,
            self.column
        ));
        s.push_str(&format!("<h2>{}</h2>", escape_html(&self.words.heading)));
        s.push_str(&format!(
            "<p class=\"vv-loc\">{}:{}:{}</p><p class=\"vv-msg\">{}</p>",
            escape_html(&self.file),
            self.line,
            self.column,
            escape_html(&self.message)
        ));
        if let Some(help) = &self.help {
            s.push_str(&format!("<p class=\"vv-help\">{}</p>", escape_html(help)));
        }
        if !self.snippet.is_empty() {
            s.push_str("<pre class=\"vv-snippet\"><code>");
            for (n, text) in &self.snippet {
                let class = if *n == self.line { " vv-mark" } else { "" };
                s.push_str(&format!(
                    "<span class=\"vv-line{class}\">{n:>5} | {}</span>",
                    escape_html(text)
                ));
            }
            s.push_str("</code></pre>");
        }
        if self.errors > 1 {
            let more = self
                .words
                .more
                .replace("{n}", &(self.errors - 1).to_string());
            s.push_str(&format!("<p class=\"vv-note\">{}</p>", escape_html(&more)));
        }
        s.push_str(&format!(
            "<p class=\"vv-note\">{}</p></div></div>",
            escape_html(&self.words.fix)
        ));
        s
    }
}

/// Up to two lines either side of `line` (1-based) of the file at `path`.
fn snippet(path: &Path, line: usize) -> Vec<(usize, String)> {
    if line == 0 {
        return Vec::new();
    }
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let first = line.saturating_sub(2).max(1);
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .skip(first - 1)
        .take(line + 3 - first)
        .map(|(n, l)| (n, l.chars().take(300).collect()))
        .collect()
}

/// A page as the preview serves it: its CSP lets it open the reload event stream on this server
/// (`connect-src 'self'` instead of `'none'`), and before `</body>` come the overlay (after a
/// failed build) and the reload script, served from this origin. `generation` is the server's
/// build generation when the page was read: the script compares it with the current one once
/// connected, so a rebuild that finished while the page was loading is not missed.
pub fn inject(html: &[u8], events: &str, generation: u64, error: Option<&Overlay>) -> Vec<u8> {
    let text =
        String::from_utf8_lossy(html).replacen("connect-src 'none'", "connect-src 'self'", 1);
    let mut extra = String::new();
    if let Some(o) = error {
        extra.push_str("<link rel=\"stylesheet\" href=\"/_vejviser/overlay.css\">");
        extra.push_str(&o.html());
    }
    extra.push_str(&format!(
        "<script src=\"/_vejviser/livereload.js\" data-event-stream=\"{}\" data-generation=\"{generation}\"></script>",
        escape_html(events)
    ));
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + extra.len());
    out.push_str(&text[..at]);
    out.push_str(&extra);
    out.push_str(&text[at..]);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_body_end_and_relaxes_connect_src() {
        let page = b"<html><head><meta http-equiv=Content-Security-Policy content=\"script-src 'self'; connect-src 'none'\"></head><body><p>x</body></html>";
        let out = String::from_utf8(inject(page, "/ev", 7, None)).unwrap();
        assert!(out.contains("connect-src 'self'"));
        assert!(out.contains("<p>x<script src=\"/_vejviser/livereload.js\" data-event-stream=\"/ev\" data-generation=\"7\"></script></body>"));
        assert!(!out.contains("vejviser-overlay"));
    }

    #[test]
    fn overlay_escapes_and_marks_the_line() {
        let o = Overlay {
            file: "content/<a>.md".into(),
            line: 3,
            column: 2,
            message: "bad \"x\"".into(),
            help: None,
            snippet: vec![(2, "a".into()), (3, "<b>".into())],
            errors: 2,
            words: OverlayWords::for_content(Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/content"
            ))),
        };
        let html = o.html();
        assert!(html.contains("data-file=\"content/&lt;a&gt;.md\" data-line=\"3\""));
        assert!(html.contains("vv-mark\">    3 | &lt;b&gt;"));
        assert!(html.contains("1 fejl mere"));
    }
}
