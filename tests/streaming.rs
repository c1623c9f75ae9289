//! The streaming build: what it writes into its new folder is exactly what the same build
//! renders in memory, and a build killed part-way leaves the previous site (and its build
//! cache) as it was, with the next build correct.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::read_tree;
use vejviser::base::diagnostics::Diagnostics;
use vejviser::build::{render_files, BuildPaths};

fn paths(content: &Path, out: &Path) -> BuildPaths {
    BuildPaths {
        content: content.to_path_buf(),
        templates: common::root().join("templates"),
        out: out.to_path_buf(),
    }
}

/// Folders a build is writing (or left) beside `out`.
fn build_folders(out: &Path) -> Vec<String> {
    let parent = out.parent().expect("parent");
    let name = out
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    std::fs::read_dir(parent)
        .expect("read parent")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.")))
        .collect()
}

#[test]
fn the_written_site_is_the_site_rendered_in_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("site");
    let content = common::root().join("content");
    common::build_content(&content, &out);
    let mut diags = Diagnostics::default();
    let files = render_files(&paths(&content, &out), &mut diags).expect("renders");
    let in_memory: std::collections::BTreeMap<String, Vec<u8>> =
        files.into_iter().map(|f| (f.path, f.bytes)).collect();
    let written = read_tree(&out);
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        in_memory.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &written {
        assert!(in_memory[path] == *bytes, "{path} differs");
    }
    assert!(build_folders(&out).is_empty(), "{:?}", build_folders(&out));
}

#[test]
fn a_build_killed_part_way_leaves_the_previous_site_and_the_next_build_is_right() {
    let dir = tempfile::tempdir().expect("tempdir");
    let content = dir.path().join("content");
    vejviser::corpus::generate(&common::root().join("content"), &content, 1500, 3).expect("corpus");
    let out = dir.path().join("site");
    // Built by the binary, which keeps its build cache beside the content: the killed build
    // and the next one start from a cache.
    build_with_binary(&content, &out);
    assert!(
        dir.path().join(".vejviser-cache").is_dir(),
        "no build cache"
    );
    let before = read_tree(&out);
    // A change, so that a finished build would differ.
    let sections = content.join("sections");
    let first = std::fs::read_dir(&sections)
        .expect("sections")
        .flatten()
        .map(|e| e.path())
        .min()
        .expect("a section");
    let text = std::fs::read_to_string(&first).expect("read") + "\nSTREAMING-KILLED-EDIT\n";
    std::fs::write(&first, text).expect("write");

    let mut child = Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .args(["build", "--content"])
        .arg(&content)
        .arg("--out")
        .arg(&out)
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Killed once its new folder holds some pages, well before it is done.
    let started = Instant::now();
    let new = dir.path().join(format!(".site.new-{}", child.id()));
    let mut killed_with = 0;
    while started.elapsed() < Duration::from_secs(120) {
        if let Ok(entries) = std::fs::read_dir(&new) {
            killed_with = entries.count();
            if killed_with > 20 {
                break;
            }
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert!(
        killed_with > 20,
        "the build finished before it could be killed"
    );
    assert!(new.exists(), "the killed build left no folder behind");
    assert!(
        read_tree(&out) == before,
        "the killed build touched the site"
    );

    // The next build is right (the same as a clean one) and clears what the killed one left.
    build_with_binary(&content, &out);
    let clean = dir.path().join("clean");
    common::build_content(&content, &clean);
    let (next, clean) = (read_tree(&out), read_tree(&clean));
    assert_eq!(
        next.keys().collect::<Vec<_>>(),
        clean.keys().collect::<Vec<_>>()
    );
    assert!(
        next == clean,
        "the build after the killed one differs from a clean build"
    );
    assert!(next
        .values()
        .any(|b| String::from_utf8_lossy(b).contains("STREAMING-KILLED-EDIT")));
    assert!(build_folders(&out).is_empty(), "{:?}", build_folders(&out));
}

/// `vejviser build` of `content` into `out`, with its build cache; panics when it fails.
fn build_with_binary(content: &Path, out: &Path) {
    let done = Command::new(env!("CARGO_BIN_EXE_vejviser"))
        .args(["build", "--content"])
        .arg(content)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run vejviser");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
}
