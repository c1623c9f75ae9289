//! `vejviser serve` as a user runs it: the real binary on a free port, on a copy of the shipped
//! content and templates. Raw TCP requests try to read outside the site (`..`, encoded
//! traversal, absolute paths, a symlink), send a 1 MB request line, malformed requests and 200
//! requests at once; every one is answered correctly and the server stays up. Edits rebuild.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod common;

/// A running `vejviser serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    dir: tempfile::TempDir,
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

use common::copy_dir;

fn start(extra: &[&str]) -> Server {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&common::root().join("content"), &dir.path().join("content"));
    copy_dir(&common::root().join("theme"), &dir.path().join("templates"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .current_dir(dir.path())
        .args(["serve", "--port", "0", "--out", "site"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let tx2 = tx.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx2.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = Vec::new();
    // The address (stdout) and the first build's report (stderr) may come in either order.
    let mut addr = None;
    let mut built = false;
    while addr.is_none() || !built {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("serve did not start; it said:\n{}", seen.join("\n")));
        if let Some(rest) = line.strip_prefix("serving http://") {
            addr = rest.split('/').next().and_then(|a| a.parse().ok());
        }
        built |= line.starts_with("rebuilt ") || line.starts_with("build failed");
        seen.push(line);
    }
    let addr = addr.unwrap();
    Server {
        child,
        addr,
        dir,
        log: rx,
    }
}

/// Send `request` as it is; the status code (None if the server sent no status line) and body.
fn raw(addr: SocketAddr, request: &[u8]) -> (Option<u16>, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut reader = s.try_clone().unwrap();
    // Read while writing: the server may answer (and close) before it has read everything.
    let read = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = reader.read_to_end(&mut buf);
        buf
    });
    let _ = s.write_all(request);
    let buf = read.join().unwrap();
    let text = String::from_utf8_lossy(&buf);
    let status = text
        .strip_prefix("HTTP/1.1 ")
        .and_then(|r| r.get(..3))
        .and_then(|c| c.parse().ok());
    let body = match buf.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => buf[i + 4..].to_vec(),
        None => Vec::new(),
    };
    (status, body)
}

fn get(addr: SocketAddr, path: &str) -> (Option<u16>, String, Vec<u8>) {
    let req = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(req.as_bytes()).unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&buf[..end]).to_string();
    let status = head.get(9..12).and_then(|c| c.parse().ok());
    (status, head.to_ascii_lowercase(), buf[end + 4..].to_vec())
}

fn content_type(head: &str) -> String {
    head.lines()
        .find_map(|l| l.strip_prefix("content-type: "))
        .unwrap_or("")
        .to_string()
}

#[test]
fn serves_only_the_site_and_survives_bad_and_many_requests() {
    let server = start(&[]);
    let addr = server.addr;
    let site = server.dir.path().join("site");
    let secret = server.dir.path().join("secret.txt");
    std::fs::write(&secret, "TOPSECRET outside the site").unwrap();
    std::os::unix::fs::symlink(&secret, site.join("escape.txt")).unwrap();
    std::os::unix::fs::symlink(server.dir.path(), site.join("escape-dir")).unwrap();

    // The pages and their types.
    let (status, head, body) = get(addr, "/");
    assert_eq!(status, Some(200));
    assert_eq!(content_type(&head), "text/html; charset=utf-8");
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("/_vejviser/livereload.js"),
        "reload script injected"
    );
    assert!(html.contains("connect-src 'self'"));
    // The stylesheet's name carries its content hash (assets/style.<hash>.css).
    let style_at = html.find("assets/style.").expect("a stylesheet");
    let style: String = html[style_at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-'))
        .collect();
    let style = format!("/{style}");
    for (path, ty) in [
        (style.as_str(), "text/css; charset=utf-8"),
        ("/sw.js", "text/javascript; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/retningslinje.json", "application/json"),
        ("/assets/favicon.svg", "image/svg+xml"),
        ("/_vejviser/livereload.js", "text/javascript; charset=utf-8"),
        ("/_vejviser/overlay.css", "text/css; charset=utf-8"),
    ] {
        let (status, head, _) = get(addr, path);
        assert_eq!(status, Some(200), "{path}");
        assert_eq!(content_type(&head), ty, "{path}");
        assert!(head.contains("x-content-type-options: nosniff"));
    }
    let (status, head, _) = get(addr, &style);
    assert_eq!(status, Some(200));
    assert!(!head.contains("livereload"));
    let (status, _, body) = get(addr, "/no-such-page.html");
    assert_eq!(status, Some(404));
    assert!(String::from_utf8_lossy(&body).contains("<html"));
    // The built site itself carries no preview script.
    let built = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(!built.contains("_vejviser") && built.contains("connect-src 'none'"));

    // Traversal, encoded or not, absolute paths and symlinks out of the folder.
    for path in [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/assets/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/etc/passwd",
        "//etc/passwd",
        "http://127.0.0.1/../secret.txt",
        "/escape.txt",
        "/escape-dir/secret.txt",
        "/%00",
        "/index.html%00.css",
    ] {
        let req = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let (status, body) = raw(addr, req.as_bytes());
        let body = String::from_utf8_lossy(&body);
        assert!(
            status.is_some_and(|s| (400..500).contains(&s)),
            "{path}: status {status:?}"
        );
        assert!(
            !body.contains("TOPSECRET") && !body.contains("root:"),
            "{path} leaked a file"
        );
    }

    // A 1 MB request line, too many headers, malformed requests, a method that is not served.
    let long = format!(
        "GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "a".repeat(1 << 20)
    );
    let (status, _) = raw(addr, long.as_bytes());
    assert!(
        status.is_some_and(|s| (400..500).contains(&s)),
        "1 MB request line: {status:?}"
    );
    let mut many = String::from("GET / HTTP/1.1\r\nHost: localhost\r\n");
    for i in 0..500 {
        many.push_str(&format!("X-H{i}: {}\r\n", "v".repeat(100)));
    }
    many.push_str("\r\n");
    let (status, _) = raw(addr, many.as_bytes());
    assert!(
        status.is_some_and(|s| (400..500).contains(&s)),
        "{status:?}"
    );
    for bad in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n",
        b"\x00\x01\x02\xff\xfe\r\n\r\n",
        b"GET /\x7f HTTP/1.1\r\n\r\n",
    ] {
        let (status, body) = raw(addr, bad);
        assert!(
            status.is_some_and(|s| (400..500).contains(&s)),
            "{:?}: {status:?}",
            String::from_utf8_lossy(bad)
        );
        assert!(!String::from_utf8_lossy(&body).contains("TOPSECRET"));
    }
    let (status, _) = raw(
        addr,
        b"POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab",
    );
    assert_eq!(status, Some(405));
    // A client that connects and sends nothing does not hold up the others.
    let idle = TcpStream::connect(addr).unwrap();

    // 200 clients at once.
    let (_, _, expected) = get(addr, "/planlaegning-af-forloeb.html");
    let threads: Vec<_> = (0..200)
        .map(|i| {
            let path = if i % 2 == 0 {
                "/planlaegning-af-forloeb.html".to_string()
            } else {
                style.clone()
            };
            std::thread::spawn(move || (i, get(addr, &path)))
        })
        .collect();
    for t in threads {
        let (i, (status, _, body)) = t.join().unwrap();
        assert_eq!(status, Some(200), "request {i}");
        if i % 2 == 0 {
            assert_eq!(body, expected, "request {i}");
        }
    }
    drop(idle);

    // Still up.
    let (status, _, body) = get(addr, "/index.html");
    assert_eq!(status, Some(200));
    assert!(String::from_utf8_lossy(&body).contains("</html>"));
}

fn wait_for(server: &Server, what: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut lines = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match server.log.recv_timeout(left) {
            Ok(line) => {
                let done = line.contains(what);
                lines.push(line);
                if done {
                    return lines;
                }
            }
            Err(_) => panic!("no `{what}` from serve; it said:\n{}", lines.join("\n")),
        }
    }
}

/// Save `text` as an editor does: written beside the watched folders, then renamed into place,
/// so the watcher never sees half a file.
fn save(file: &Path, text: impl AsRef<[u8]>) -> std::io::Result<()> {
    let tmp = file
        .ancestors()
        .nth(3)
        .expect("the temporary folder")
        .join("edit.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, file)
}

fn section_file(server: &Server) -> PathBuf {
    server
        .dir
        .path()
        .join("content/sections/4.1-planlaegning-af-forloeb.md")
}

#[test]
fn an_edit_rebuilds_and_an_error_keeps_the_last_good_site() {
    let server = start(&[]);
    let addr = server.addr;
    let file = section_file(&server);
    let text = std::fs::read_to_string(&file).unwrap();
    // Pages carry the build generation they were served from, for the reload script.
    let (_, _, body) = get(addr, "/planlaegning-af-forloeb.html");
    assert_eq!(page_generation(&body), Some(generation(addr)));
    save(
        &file,
        text.replace(
            "Planlægningen af indsatser",
            "Planlægningen AF-REDIGERET indsatser",
        ),
    )
    .unwrap();
    let lines = wait_for(&server, "(incremental)");
    assert!(lines.iter().any(|l| l.contains(" ms")), "{lines:?}");
    let after_edit = generation_above(addr, 0);
    assert!(after_edit > 0, "the edit did not advance the generation");
    let (_, _, body) = get(addr, "/planlaegning-af-forloeb.html");
    assert!(String::from_utf8_lossy(&body).contains("AF-REDIGERET"));
    assert!(page_generation(&body) >= Some(after_edit));
    // The page written at once is the one a full build writes.
    let fresh = fresh_build(&server);
    assert_eq!(
        std::fs::read(server.dir.path().join("site/planlaegning-af-forloeb.html")).unwrap(),
        std::fs::read(fresh.path().join("site/planlaegning-af-forloeb.html")).unwrap()
    );

    // A broken cross-reference: the build fails, the page stays, with the overlay.
    save(
        &file,
        text.replace("[[henvisning-fra-kiropraktor]]", "[[findes-ikke]]"),
    )
    .unwrap();
    wait_for(&server, "build failed");
    assert!(
        generation_above(addr, after_edit) > after_edit,
        "a failed build (a new overlay) advances the generation too"
    );
    let (status, _, body) = get(addr, "/planlaegning-af-forloeb.html");
    let html = String::from_utf8_lossy(&body);
    assert_eq!(status, Some(200));
    assert!(
        html.contains("AF-REDIGERET"),
        "the last good page is served"
    );
    assert!(html.contains("id=\"vejviser-overlay\""));
    assert!(html.contains("data-file=\"content/sections/4.1-planlaegning-af-forloeb.md\""));
    assert!(html.contains("data-line=\"16\""), "{html}");
    assert!(html.contains("findes-ikke"));

    // A changed title: the neighbours, parent and linking and linked pages follow at once, in
    // the incremental rebuild itself (the folder is read before the background rebuild, a full
    // render, can have caught up; the pages 4.1 links to list it under "Henvist til fra").
    let retitled = text.replace(
        "title: Planlægning af forløb",
        "title: Planlægning af forløb NY",
    );
    save(&file, &retitled).unwrap();
    wait_for(&server, "(incremental)");
    // Read again if the background rebuild renamed a file away mid-read.
    let served = (0..50)
        .find_map(|_| {
            let tree = common::try_read_tree(&server.dir.path().join("site"));
            if tree.is_none() {
                std::thread::sleep(Duration::from_millis(20));
            }
            tree
        })
        .expect("the served folder could be read");
    let (_, _, body) = get(addr, "/planlaegning-af-forloeb.html");
    let html = String::from_utf8_lossy(&body);
    assert!(!html.contains("vejviser-overlay") && !html.contains("AF-REDIGERET"));
    assert!(html.contains("forløb NY"));
    let fresh = fresh_build(&server);
    for page in std::fs::read_dir(fresh.path().join("site")).unwrap() {
        let name = page.unwrap().file_name().to_string_lossy().into_owned();
        let is_section = name.ends_with(".html")
            && std::fs::read_to_string(fresh.path().join("site").join(&name))
                .unwrap()
                .contains("class=\"section kind-");
        if is_section {
            assert!(
                served.get(&name).map(Vec::as_slice)
                    == Some(
                        std::fs::read(fresh.path().join("site").join(&name))
                            .unwrap()
                            .as_slice()
                    ),
                "{name} after the title change"
            );
        }
    }
    // After the background rebuild the whole folder is what `vejviser build` writes.
    let expected = common::read_tree(&fresh.path().join("site"));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        // The server may be writing meanwhile: a file gone mid-read is another try.
        let now = common::try_read_tree(&server.dir.path().join("site"));
        if now.as_ref() == Some(&expected) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the served folder never matched a full build"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The server's build generation (`/_vejviser/generation`).
fn generation(addr: SocketAddr) -> u64 {
    let (status, head, body) = get(addr, "/_vejviser/generation");
    assert_eq!(status, Some(200));
    assert!(
        head.to_ascii_lowercase()
            .contains("cache-control: no-store"),
        "{head}"
    );
    let text = String::from_utf8_lossy(&body);
    text.trim()
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {text:?} ({head})"))
}

/// The server's generation once it is above `than`, or after 10 s whatever it is: the server
/// prints a rebuild's line first and advances the generation a moment later.
fn generation_above(addr: SocketAddr, than: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = generation(addr);
        if now > than || Instant::now() > deadline {
            return now;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The generation a served page was read at (its reload script's `data-generation`).
fn page_generation(html: &[u8]) -> Option<u64> {
    let html = String::from_utf8_lossy(html);
    let at = html.find("data-generation=\"")? + "data-generation=\"".len();
    html[at..].split('"').next()?.parse().ok()
}

/// `vejviser build` of the server's current content into a new folder.
fn fresh_build(server: &Server) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .current_dir(server.dir.path())
        .args(["build", "--out"])
        .arg(out.path().join("site"))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    out
}

#[test]
fn local_flag_needs_a_built_local_version() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&common::root().join("content"), &dir.path().join("content"));
    copy_dir(&common::root().join("theme"), &dir.path().join("templates"));
    let out = Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .current_dir(dir.path())
        .args(["serve", "--port", "0", "--local", "findes-ikke"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no local version `findes-ikke`"), "{err}");
}
