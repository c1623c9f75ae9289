//! `vejviser serve`: build, serve the site on 127.0.0.1, watch `content/` and `templates/`,
//! rebuild what an edit affects and reload the open pages; a failed rebuild shows an overlay in
//! the browser and keeps the last good site served.

pub mod http;
pub mod overlay;
pub mod rebuild;
pub mod watch;
pub mod writer;

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::build::BuildPaths;
use overlay::Overlay;
use rebuild::Rebuilder;

/// How `vejviser serve` was asked to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub paths: BuildPaths,
    pub host: IpAddr,
    /// 0: a free port the system picks.
    pub port: u16,
    /// Serve the local version `<out>/lokal/<slug>/` as the site's root.
    pub local: Option<String>,
    /// Open the site in the default browser.
    pub open: bool,
}

/// Run the preview until Ctrl-C. Returns false when it could not start.
pub fn run(opts: Options) -> bool {
    let mut rebuilder = Rebuilder::new(opts.paths.clone());
    let mut first = None;
    rebuild_and_report(&mut rebuilder, &[], |o| first = o);
    let Some(root) = served_root(&opts) else {
        return false;
    };
    let app = Arc::new(http::App {
        root,
        error: RwLock::new(first),
        generation: std::sync::atomic::AtomicU64::new(0),
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the server: {e}");
            return false;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind((opts.host, opts.port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("cannot listen on {}:{}: {e}", opts.host, opts.port);
                return false;
            }
        };
        let addr = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => {
                eprintln!("cannot listen: {e}");
                return false;
            }
        };
        let url = format!("http://{addr}/");
        let (router, reloader) = http::router(app.clone());
        let background = reloader.clone();
        let background_app = app.clone();
        rebuilder.start_background(move |report| {
            eprintln!("{}", report.line());
            if report.pages > 0 {
                background_app.advance();
                background.reload();
            }
        });
        let ready_rx = watch_in_background(&opts, rebuilder, app, reloader);
        // Without a watcher (it failed, and said why) the site is still served.
        let _ = ready_rx.recv_timeout(std::time::Duration::from_secs(30));
        println!("serving {url} (Ctrl-C stops)");
        let _ = std::io::stdout().flush();
        if opts.open {
            open_browser(&url);
        }
        tokio::select! {
            r = http::serve(listener, router) => {
                if let Err(e) = r {
                    eprintln!("server stopped: {e}");
                    return false;
                }
                true
            }
            _ = tokio::signal::ctrl_c() => {
                eprintln!("stopped");
                true
            }
        }
    })
}

/// The folder to serve (the site, or a local version's site in it), created if need be;
/// `None` (reported) when it cannot be.
fn served_root(opts: &Options) -> Option<PathBuf> {
    if !opts.paths.out.is_dir() {
        if let Err(e) = std::fs::create_dir_all(&opts.paths.out) {
            eprintln!("cannot create {}: {e}", opts.paths.out.display());
            return None;
        }
    }
    let root = match &opts.local {
        None => opts.paths.out.clone(),
        Some(slug) => {
            let language = crate::content::language::declared_language(&opts.paths.content)
                .unwrap_or_default();
            let local_dir = crate::model::pages::PageNames::built_in(&language)
                .map(|n| n.local_dir().to_string())
                .unwrap_or_default();
            let dir = opts.paths.out.join(local_dir).join(slug);
            let valid = crate::content::is_slug(slug);
            if !valid || !dir.is_dir() {
                let mut d = Diagnostics::default();
                d.push(
                    Diagnostic::file(
                        &dir,
                        format!("no local version `{slug}`: {} was not built", dir.display()),
                    )
                    .with_help(
                        "use the slug of a folder under content/local/, or leave out --local",
                    ),
                );
                d.print();
                return None;
            }
            dir
        }
    };
    match std::fs::canonicalize(&root) {
        Ok(r) => Some(r),
        Err(e) => {
            eprintln!("cannot serve {}: {e}", root.display());
            None
        }
    }
}

/// Watch the content and templates folders on a thread of their own, rebuilding and reloading
/// after every change; the receiver hears once the folders are watched.
fn watch_in_background(
    opts: &Options,
    mut rebuilder: Rebuilder,
    app: Arc<http::App>,
    reloader: tower_livereload::Reloader,
) -> std::sync::mpsc::Receiver<()> {
    // The templates folder only overrides the built-in theme: watched when there is one.
    let dirs: Vec<PathBuf> = [&opts.paths.content, &opts.paths.templates]
        .iter()
        .filter(|d| d.exists())
        .map(|d| std::fs::canonicalize(d).unwrap_or_else(|_| d.to_path_buf()))
        .collect();
    // The address is printed once the folders are watched, so that an edit made as soon
    // as it shows is seen.
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let ready = move || {
            let _ = ready_tx.send(());
        };
        let result = watch::watch(&dirs, ready, |changed| {
            for p in changed.iter().take(5) {
                eprintln!("changed: {}", p.display());
            }
            if changed.len() > 5 {
                eprintln!("changed: … and {} more", changed.len() - 5);
            }
            // The generation advances with the overlay, before the summary line is printed.
            rebuild_and_report(&mut rebuilder, &changed, |error| {
                if let Ok(mut e) = app.error.write() {
                    *e = error;
                }
                app.advance();
            });
            reloader.reload();
        });
        if let Err(e) = result {
            eprintln!("watching stopped: {e}");
        }
    });
    ready_rx
}

/// Rebuild, hand the overlay to show (None when the build succeeded) to `show`, then print what
/// happened: the summary line comes only once the served pages show the result.
fn rebuild_and_report(
    rebuilder: &mut Rebuilder,
    changed: &[PathBuf],
    show: impl FnOnce(Option<Overlay>),
) {
    match rebuilder.rebuild(changed) {
        Ok(report) => {
            show(None);
            eprintln!("{}", report.line());
        }
        Err(diags) => {
            diags.print();
            show(Overlay::from_diagnostics(
                &diags,
                overlay::OverlayWords::for_content(&rebuilder.paths.content),
            ));
            eprintln!(
                "build failed: {} error(s); still serving the last good build",
                diags.error_count()
            );
        }
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("could not open a browser ({opener}: {e}); open {url}");
    }
}
