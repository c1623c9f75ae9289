//! The preview's HTTP side: a router that serves files of the output folder only (no `..`, no
//! encoded traversal, no symlink out of the folder), with content types, the live-reload script
//! and the error overlay injected into HTML pages.

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_livereload::LiveReloadLayer;

use super::overlay::{self, Overlay};

/// Where the reload script and the overlay's stylesheet are served (never part of the site).
pub const PREFIX: &str = "/_vejviser";
/// tower-livereload's server-sent events, which tell open pages to reload.
const EVENTS: &str = "/_vejviser/event-stream";
/// tower-livereload's reload script (MIT), served as a same-origin file so that the pages'
/// `script-src 'self'` allows it; it reads the event-stream address from its `data-` attribute.
const RELOAD_JS: &str = include_str!("livereload.js");

/// What the handlers share: the folder served and the error of the last build, if it failed.
pub struct App {
    /// The served folder, canonical (symlinks resolved).
    pub root: PathBuf,
    pub error: RwLock<Option<Overlay>>,
    /// Counts the rebuilds whose result the pages show (files written or overlay changed);
    /// bumped after the result is in place and before the pages are told to reload.
    pub generation: AtomicU64,
}

impl App {
    /// A rebuild's result is in place: pages read before now are out of date.
    pub fn advance(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }
}

/// The router with live reload; `reloader` of the returned layer tells pages to reload.
pub fn router(app: Arc<App>) -> (Router, tower_livereload::Reloader) {
    let livereload = LiveReloadLayer::new()
        .custom_prefix("/_vejviser")
        // The crate would inject an inline script, which the pages' CSP forbids: the handler
        // below injects a `<script src>` instead.
        .request_predicate(|_: &axum::http::Request<Body>| false);
    let reloader = livereload.reloader();
    let router = Router::new()
        .route(&format!("{PREFIX}/livereload.js"), get(reload_js))
        .route(&format!("{PREFIX}/overlay.css"), get(overlay_css))
        .route(&format!("{PREFIX}/generation"), get(generation))
        .fallback(static_file)
        .with_state(app)
        .layer(livereload);
    (router, reloader)
}

/// Serve `router` on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}

async fn reload_js() -> Response {
    typed(StatusCode::OK, "text/javascript; charset=utf-8", RELOAD_JS)
}

/// The current build generation, which the reload script compares with its page's.
async fn generation(State(app): State<Arc<App>>) -> Response {
    let n = app.generation.load(Ordering::SeqCst);
    typed(StatusCode::OK, "text/plain; charset=utf-8", n.to_string())
}

async fn overlay_css() -> Response {
    typed(StatusCode::OK, "text/css; charset=utf-8", overlay::CSS)
}

/// A response with `body`, its type and length (the live-reload layer would otherwise send it
/// chunked), never cached, never sniffed.
fn typed(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<axum::body::Bytes>,
) -> Response {
    let body = body.into();
    let len = body.len();
    let mut r = (status, Body::from(body)).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// Why a request path was refused before touching the file system.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not valid percent-encoding or UTF-8, a NUL, a backslash, or a `.`/`..` segment.
    BadPath,
}

/// The file a request path names below `root`, by text only: percent-decoded, and refused when a
/// segment is `.` or `..` (also when encoded), or holds a backslash or NUL. A path ending in
/// `/` names its `index.html`. Symlinks are checked by [`inside`] afterwards.
pub fn resolve(root: &Path, path: &str) -> Result<PathBuf, Refused> {
    let decoded = percent_decode(path).ok_or(Refused::BadPath)?;
    let mut out = root.to_path_buf();
    for segment in decoded.split('/') {
        if segment.is_empty() {
            continue;
        }
        if segment == "." || segment == ".." || segment.contains(['\\', '\0']) {
            return Err(Refused::BadPath);
        }
        // A segment is one plain name (no prefix such as `C:` on Windows, no root).
        let mut parts = Path::new(segment).components();
        match (parts.next(), parts.next()) {
            (Some(Component::Normal(_)), None) => out.push(segment),
            _ => return Err(Refused::BadPath),
        }
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        out.push("index.html");
    }
    Ok(out)
}

/// Decode `%XX` escapes; None for a bad escape or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let text = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(text, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The canonical form of `path` if it exists and lies inside `root` (itself canonical), so a
/// symlink that points out of the folder is refused.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(path).ok()?;
    real.starts_with(root).then_some(real)
}

/// The content type of a file of the site, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

async fn static_file(State(app): State<Arc<App>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = typed(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "405 method not allowed\n",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let head = method == Method::HEAD;
    let Ok(candidate) = resolve(&app.root, uri.path()) else {
        return typed(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            "400 bad request\n",
        );
    };
    // Read before the file: a rebuild that lands in between makes the page look older, never newer.
    let generation = app.generation.load(Ordering::SeqCst);
    let root = app.root.clone();
    let found = tokio::task::spawn_blocking(move || {
        let real = inside(&root, &candidate)?;
        if real.is_dir() {
            return Some(Err(()));
        }
        std::fs::read(&real).ok().map(|bytes| Ok((real, bytes)))
    })
    .await
    .ok()
    .flatten();
    match found {
        Some(Ok((path, bytes))) => page(&app, StatusCode::OK, &path, bytes, generation, head),
        // A folder without the trailing slash: send the browser to the folder, so that relative
        // links of its index.html resolve.
        Some(Err(())) => {
            let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("{}/", uri.path())) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        None => not_found(&app, generation, head).await,
    }
}

async fn not_found(app: &Arc<App>, generation: u64, head: bool) -> Response {
    let path = app.root.join("404.html");
    match tokio::fs::read(&path).await {
        Ok(bytes) => page(app, StatusCode::NOT_FOUND, &path, bytes, generation, head),
        Err(_) => {
            // No site yet (the first build failed): the overlay on an empty page.
            let blank = b"<!doctype html><html lang=\"da\"><head><meta charset=\"utf-8\"><title>vejviser</title></head><body></body></html>".to_vec();
            page(
                app,
                StatusCode::NOT_FOUND,
                Path::new("404.html"),
                blank,
                generation,
                head,
            )
        }
    }
}

/// A file as the response; HTML pages get the reload script and, after a failed build, the
/// error overlay, and their CSP lets the page reach this server for the reload events.
fn page(
    app: &App,
    status: StatusCode,
    path: &Path,
    bytes: Vec<u8>,
    generation: u64,
    head: bool,
) -> Response {
    let ctype = content_type(path);
    let bytes = if ctype.starts_with("text/html") {
        let error = app.error.read().map(|e| e.clone()).unwrap_or_default();
        overlay::inject(&bytes, EVENTS, generation, error.as_ref())
    } else {
        bytes
    };
    let len = bytes.len();
    let mut r = typed(status, ctype, if head { Vec::new() } else { bytes });
    if head {
        // HEAD: the length of the body a GET would send.
        r.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_plain_paths_and_refuses_traversal() {
        let root = Path::new("/srv/site");
        assert_eq!(resolve(root, "/"), Ok(root.join("index.html")));
        assert_eq!(resolve(root, "/a/b.html"), Ok(root.join("a/b.html")));
        assert_eq!(
            resolve(root, "/lokal/x/"),
            Ok(root.join("lokal/x/index.html"))
        );
        assert_eq!(resolve(root, "//etc/passwd"), Ok(root.join("etc/passwd")));
        assert_eq!(resolve(root, "/%C3%B8.html"), Ok(root.join("ø.html")));
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/a%2f..%2f..%2fx",
            "/..%5c..%5cx",
            "/%00",
            "/%zz",
            "/%ff.html",
            "/./x",
        ] {
            assert_eq!(resolve(root, bad), Err(Refused::BadPath), "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("a.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("x")), "application/octet-stream");
    }
}
