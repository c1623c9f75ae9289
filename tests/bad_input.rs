//! Bad and unusual input, end to end through the `vejviser` binary.
//!
//! Every folder under `tests/bad-input/` is one case: its files are copied on top of a temporary
//! copy of `tests/fixtures/minimal/` (a `templates/` subfolder goes on top of a copy of the real
//! `templates/`). `build` must then fail with exit code 1 (no panic, no crash), print every
//! line of the case's `expect.txt` to stderr, print no line of its optional `reject.txt`, and
//! leave the previous site untouched; `check` must fail with exit code 1 as well.
//!
//! Valid but unusual input (CRLF, BOM, a 10 MB section) must build; a file over 16 MiB must be
//! refused with a clear message.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// A run may take this long before it counts as hanging (a YAML bomb, a runaway loop).
const TIMEOUT: Duration = Duration::from_secs(120);

/// What the previous site's marker file holds; a failed build must leave it as it is.
const PREVIOUS: &str = "<!DOCTYPE html><title>previous</title><p>the site before this build</p>\n";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copy the files under `from` into `to` (same relative paths), replacing files that exist.
/// Names in `skip` at the top level of `from` are left out.
fn copy_dir(from: &Path, to: &Path, skip: &[&str]) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target, &[])?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Every file under `dir`, as paths relative to it, sorted.
fn list_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                walk(root, &entry.path(), out)?;
            } else {
                let rel = entry.path().strip_prefix(root).map(Path::to_path_buf);
                out.push(rel.unwrap_or_else(|_| entry.path()));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// The result of one run of the binary.
struct Run {
    /// The exit code; `None` when the process was killed by a signal (stack overflow, abort).
    code: Option<i32>,
    stderr: String,
    timed_out: bool,
}

impl Run {
    /// A short description of how the process ended, for assertion messages.
    fn ending(&self) -> String {
        match (self.timed_out, self.code) {
            (true, _) => format!("no exit within {TIMEOUT:?} (killed)"),
            (false, Some(code)) => format!("exit code {code}"),
            (false, None) => "killed by a signal (crash, e.g. stack overflow)".to_string(),
        }
    }
}

/// A temporary project: `content/` (the minimal fixture), `templates/` (the real ones) and
/// `site/` holding only `index.html`. The binary runs with this folder as its current
/// directory, so messages name `content/…` and `templates/…`.
struct Project {
    root: TempDir,
}

impl Project {
    fn new() -> Project {
        let root = tempfile::tempdir().expect("create a temp dir");
        let project = Project { root };
        let fixture = manifest_dir().join("tests/fixtures/minimal");
        copy_dir(&fixture, &project.content(), &[]).expect("copy the minimal fixture");
        copy_dir(&manifest_dir().join("theme"), &project.templates(), &[])
            .expect("copy the templates");
        fs::create_dir_all(project.site()).expect("create the out dir");
        fs::write(project.site().join("index.html"), PREVIOUS).expect("write the marker");
        project
    }

    fn path(&self) -> &Path {
        self.root.path()
    }

    fn content(&self) -> PathBuf {
        self.path().join("content")
    }

    fn templates(&self) -> PathBuf {
        self.path().join("templates")
    }

    fn site(&self) -> PathBuf {
        self.path().join("site")
    }

    /// Copy a case's files on top: `templates/` onto the templates, the rest onto the content.
    fn apply_case(&self, case: &Path) -> io::Result<()> {
        copy_dir(
            case,
            &self.content(),
            &["expect.txt", "reject.txt", "templates"],
        )?;
        let templates = case.join("templates");
        if templates.is_dir() {
            copy_dir(&templates, &self.templates(), &[])?;
        }
        Ok(())
    }

    /// Run `vejviser ARGS` in the project folder, with a time limit.
    fn run(&self, args: &[&str]) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vejviser"))
            .args(args)
            .current_dir(self.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the vejviser binary");
        // Read stderr on a thread so a chatty child cannot block on a full pipe.
        let mut pipe = child.stderr.take().expect("stderr is piped");
        let reader = thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        });
        let started = Instant::now();
        let (status, timed_out) = loop {
            if let Some(status) = child.try_wait().expect("wait for vejviser") {
                break (status, false);
            }
            if started.elapsed() > TIMEOUT {
                let _ = child.kill();
                break (child.wait().expect("wait for the killed vejviser"), true);
            }
            thread::sleep(Duration::from_millis(20));
        };
        let stderr = reader.join().expect("the stderr reader thread");
        Run {
            code: status.code(),
            stderr,
            timed_out,
        }
    }

    fn build(&self) -> Run {
        self.run(&[
            "build",
            "--content",
            "content",
            "--templates",
            "templates",
            "--out",
            "site",
        ])
    }

    fn check(&self) -> Run {
        self.run(&["check", "--content", "content", "--templates", "templates"])
    }

    /// Problems with the out dir after a failed build: `index.html` must be unchanged and
    /// alone, and no temporary `.site.*` folder may be left beside it.
    fn previous_site_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        match fs::read_to_string(self.site().join("index.html")) {
            Ok(text) if text == PREVIOUS => {}
            Ok(_) => problems.push("site/index.html was changed".to_string()),
            Err(e) => problems.push(format!("site/index.html cannot be read: {e}")),
        }
        match list_files(&self.site()) {
            Ok(files) if files == [PathBuf::from("index.html")] => {}
            Ok(files) => problems.push(format!("site/ holds more than index.html: {files:?}")),
            Err(e) => problems.push(format!("site/ cannot be listed: {e}")),
        }
        if let Ok(entries) = fs::read_dir(self.path()) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with(".site") {
                    problems.push(format!("temporary folder {name} was left behind"));
                }
            }
        }
        problems
    }
}

/// The non-empty lines of a case's `expect.txt` or `reject.txt` (empty when it is missing).
fn fragments(path: &Path) -> Vec<String> {
    match fs::read_to_string(path) {
        Ok(text) => text
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

/// Diagnostic lines (`path:line:col: error: …`) that a run printed more than once.
fn repeated_diagnostics(stderr: &str) -> Vec<&str> {
    let mut seen = HashSet::new();
    let mut repeated = Vec::new();
    for line in stderr.lines() {
        let is_diagnostic = line.contains(": error: ") || line.contains(": warning: ");
        if is_diagnostic && !line.starts_with(' ') && !seen.insert(line) {
            repeated.push(line);
        }
    }
    repeated
}

/// Problems with how the diagnostics are printed: each message and each hint once (not again
/// in the snippet's report), the snippet's `[path:line:column]` the same place as a located
/// first line (columns in characters in both), and no colour codes (stderr is a pipe).
fn printing_problems(stderr: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let firsts: Vec<(&str, &str)> = stderr
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| {
            l.split_once(": error: ")
                .or_else(|| l.split_once(": warning: "))
        })
        .collect();
    for (_, message) in &firsts {
        let printed = stderr.matches(message).count();
        let expected = firsts.iter().filter(|(_, m)| m.contains(message)).count();
        if printed > expected {
            problems.push(format!("message printed {printed} times: `{message}`"));
        }
    }
    let helps = stderr.matches("help: ").count();
    if helps > firsts.len() {
        let n = firsts.len();
        problems.push(format!("{helps} hints printed for {n} diagnostics"));
    }
    for line in stderr.lines() {
        let Some((_, rest)) = line.split_once("╭─[") else {
            continue;
        };
        let place = rest.trim_end_matches(']');
        if !firsts.iter().any(|(loc, _)| *loc == place) {
            problems.push(format!(
                "snippet at {place}, but no diagnostic located there"
            ));
        }
    }
    if stderr.contains('\x1b') {
        problems.push("colour codes written to a pipe".to_string());
    }
    problems
}

/// Everything wrong with one bad-input case; empty when it behaves.
fn case_problems(case: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let expect = fragments(&case.join("expect.txt"));
    let reject = fragments(&case.join("reject.txt"));
    if expect.is_empty() {
        problems.push("expect.txt is missing or empty".to_string());
    }
    let project = Project::new();
    if let Err(e) = project.apply_case(case) {
        problems.push(format!("cannot copy the case files: {e}"));
        return problems;
    }

    let build = project.build();
    if build.code != Some(1) || build.timed_out {
        problems.push(format!(
            "build: expected exit code 1, got {}",
            build.ending()
        ));
    }
    if build.stderr.contains("panicked") {
        problems.push("build: stderr reports a panic".to_string());
    }
    for fragment in &expect {
        if !build.stderr.contains(fragment.as_str()) {
            problems.push(format!("build: stderr lacks `{fragment}`"));
        }
    }
    for fragment in &reject {
        if build.stderr.contains(fragment.as_str()) {
            problems.push(format!("build: stderr has unwanted `{fragment}`"));
        }
    }
    for line in repeated_diagnostics(&build.stderr) {
        problems.push(format!("build: reported more than once: `{line}`"));
    }
    for problem in printing_problems(&build.stderr) {
        problems.push(format!("build: {problem}"));
    }
    problems.extend(project.previous_site_problems());

    let check = project.check();
    if check.code != Some(1) || check.timed_out {
        problems.push(format!(
            "check: expected exit code 1, got {}",
            check.ending()
        ));
    }
    if check.stderr.contains("panicked") {
        problems.push("check: stderr reports a panic".to_string());
    }
    if !problems.is_empty() {
        problems.push(format!("build stderr was:\n{}", build.stderr));
    }
    problems
}

/// Runs every case under `tests/bad-input/` and reports all failing cases together.
#[test]
fn bad_input_cases_fail_cleanly() {
    let dir = manifest_dir().join("tests/bad-input");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("list tests/bad-input")
        .map(|e| e.expect("read tests/bad-input").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());

    let mut failures = Vec::new();
    for case in &cases {
        let problems = case_problems(case);
        if !problems.is_empty() {
            let name = case.file_name().unwrap_or_default().to_string_lossy();
            failures.push(format!("case {name}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad-input cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Asserts that `build` succeeded and wrote `page` (relative to the site); returns its text.
fn assert_built(project: &Project, page: &str) -> String {
    let run = project.build();
    assert_eq!(
        run.code,
        Some(0),
        "build: expected exit code 0, got {}; stderr:\n{}",
        run.ending(),
        run.stderr
    );
    let site = project.site();
    assert_ne!(
        fs::read_to_string(site.join("index.html")).unwrap_or_default(),
        PREVIOUS,
        "a successful build replaces the previous site"
    );
    let path = site.join(page);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} was not written: {e}", path.display()))
}

/// Rewrite every file under `dir` with `edit` applied to its text.
fn edit_files(dir: &Path, edit: impl Fn(&Path, String) -> String) {
    let files = list_files(dir).expect("list the content files");
    for rel in files {
        let path = dir.join(rel);
        let text = fs::read_to_string(&path).expect("fixture files are UTF-8");
        fs::write(&path, edit(&path, text)).expect("rewrite a content file");
    }
}

#[test]
fn minimal_fixture_builds() {
    let project = Project::new();
    let check = project.check();
    assert_eq!(check.code, Some(0), "check failed:\n{}", check.stderr);
    let html = assert_built(&project, "formaal.html");
    assert!(html.contains("Formål"), "the section page shows its title");
    assert!(
        html.contains("introduktion.html"),
        "the cross-reference is a link"
    );
    assert!(
        html.contains("Sundhedsstyrelsen 2016"),
        "the citation shows its label"
    );
    for page in [
        "index.html",
        "introduktion.html",
        "bilag-1-kommissorium.html",
        "tilgaengelighed.html",
        "referencer.html",
        "ordliste.html",
        "sitemap.xml",
    ] {
        assert!(
            project.site().join(page).is_file(),
            "{page} was not written"
        );
    }
}

#[test]
fn crlf_line_endings_build() {
    let project = Project::new();
    edit_files(&project.content(), |_, text| text.replace('\n', "\r\n"));
    let html = assert_built(&project, "formaal.html");
    assert!(html.contains("Formål"));
    assert!(
        !html.contains('\r'),
        "CR characters must not reach the page"
    );
}

#[test]
fn byte_order_marks_build() {
    let project = Project::new();
    edit_files(&project.content().join("sections"), |_, text| {
        format!("\u{feff}{text}")
    });
    let html = assert_built(&project, "formaal.html");
    assert!(html.contains("Formål"));
    assert!(
        !html.contains('\u{feff}'),
        "the BOM must not reach the page"
    );
}

/// The front matter of a test section `1.2` with id `stort`.
const BIG_SECTION_HEADER: &str =
    "---\nid: stort\nnumber: \"1.2\"\ntitle: Et stort afsnit\nkind: introduction\n---\n";

#[test]
fn ten_megabyte_section_builds() {
    let project = Project::new();
    let mut text = String::from(BIG_SECTION_HEADER);
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        i += 1;
        text.push_str(&format!(
            "Afsnit {i} er et helt almindeligt afsnit med tekst om forløb, udredning og \
             opfølgning. Det har flere sætninger, så det ligner den rigtige vejledning.\n\n"
        ));
    }
    let last = "Dette er den allersidste sætning i det store afsnit.";
    text.push_str(last);
    text.push('\n');
    fs::write(project.content().join("sections/1.2-stort.md"), &text)
        .expect("write the big section");
    let html = assert_built(&project, "stort.html");
    assert!(
        html.contains(last),
        "the page lacks the last sentence of the section"
    );
}

#[test]
fn file_over_the_size_limit_is_refused() {
    let project = Project::new();
    let mut text = String::from(BIG_SECTION_HEADER);
    let line = "En linje tekst, der bliver gentaget mange gange.\n";
    while text.len() <= 16 * 1024 * 1024 {
        text.push_str(line);
    }
    fs::write(project.content().join("sections/1.2-stort.md"), &text)
        .expect("write the oversized section");
    let run = project.build();
    assert_eq!(
        run.code,
        Some(1),
        "got {}; stderr:\n{}",
        run.ending(),
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/sections/1.2-stort.md: error: ")
            && run.stderr.contains("larger than the limit"),
        "stderr lacks the size error:\n{}",
        run.stderr
    );
    let problems = project.previous_site_problems();
    assert!(problems.is_empty(), "{problems:?}");
}

/// Deeply nested but valid Markdown may build or be refused with a message; it must not crash
/// the process.
#[test]
fn deeply_nested_markdown_does_not_crash() {
    let project = Project::new();
    let text = format!("{BIG_SECTION_HEADER}{}innerst\n", "> ".repeat(10_000));
    fs::write(project.content().join("sections/1.2-stort.md"), text)
        .expect("write the nested section");
    for (what, run) in [("build", project.build()), ("check", project.check())] {
        assert!(
            matches!(run.code, Some(0 | 1)) && !run.timed_out,
            "{what}: expected exit code 0 or 1, got {}; stderr:\n{}",
            run.ending(),
            run.stderr
        );
        assert!(
            !run.stderr.contains("panicked"),
            "{what} panicked:\n{}",
            run.stderr
        );
    }
}

/// `--out` naming the content folder would replace the content with the site.
#[test]
fn out_dir_that_is_the_content_folder_is_refused() {
    let project = Project::new();
    let before = list_files(&project.content()).expect("list the content");
    let run = project.run(&[
        "build",
        "--content",
        "content",
        "--templates",
        "templates",
        "--out",
        "content",
    ]);
    let after = list_files(&project.content()).unwrap_or_default();
    assert_eq!(after, before, "the content folder was changed by the build");
    assert_eq!(
        run.code,
        Some(1),
        "got {}; stderr:\n{}",
        run.ending(),
        run.stderr
    );
}

/// `--cache` inside the content folder: refused before anything is read or written.
#[test]
fn cache_dir_inside_the_content_folder_is_refused() {
    let project = Project::new();
    let before = list_files(&project.content()).expect("list the content");
    let run = project.run(&["build", "--cache", "content/cache"]);
    assert_eq!(run.code, Some(1), "stderr:\n{}", run.stderr);
    assert!(
        run.stderr
            .contains("--cache would sit inside the content folder"),
        "{}",
        run.stderr
    );
    assert_eq!(list_files(&project.content()).unwrap_or_default(), before);
    assert_eq!(
        fs::read_to_string(project.site().join("index.html")).unwrap_or_default(),
        PREVIOUS,
        "the previous site was replaced"
    );
}

/// `--out` naming an existing file: the build fails and says so; the file stays as it was.
#[test]
fn out_path_that_is_a_file_is_left_alone() {
    let project = Project::new();
    fs::write(project.path().join("site.txt"), "a file").expect("write the file");
    let run = project.run(&[
        "build",
        "--content",
        "content",
        "--templates",
        "templates",
        "--out",
        "site.txt",
    ]);
    assert_eq!(
        run.code,
        Some(1),
        "got {}; stderr:\n{}",
        run.ending(),
        run.stderr
    );
    let text = fs::read_to_string(project.path().join("site.txt"));
    assert_eq!(
        text.ok().as_deref(),
        Some("a file"),
        "stderr says the target is unchanged, but it was replaced:\n{}",
        run.stderr
    );
}
