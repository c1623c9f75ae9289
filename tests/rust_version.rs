//! The `rust-version` that Cargo.toml states is the real minimum: the highest `rust-version`
//! among the locked dependencies (from `cargo metadata`). It fails when the two disagree, in
//! either direction, so the claim is raised with a dependency that needs more and lowered
//! when no dependency needs it any more. CI builds with exactly that version.

use std::process::Command;

/// `1.91` or `1.89.0` as (major, minor, patch).
fn parse(version: &str) -> (u64, u64, u64) {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let mut next = || parts.next().unwrap_or(0);
    (next(), next(), next())
}

#[test]
fn stated_rust_version_is_the_highest_the_locked_dependencies_need() {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let resolved: Vec<&str> = meta["resolve"]["nodes"]
        .as_array()
        .expect("resolve.nodes")
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    let mut stated = None;
    let mut needed: Option<((u64, u64, u64), String)> = None;
    for p in meta["packages"].as_array().expect("packages") {
        let (Some(id), Some(rv)) = (p["id"].as_str(), p["rust_version"].as_str()) else {
            continue;
        };
        let name = p["name"].as_str().unwrap_or_default();
        if name == "vejviser" {
            stated = Some(rv.to_string());
        } else if resolved.contains(&id) && needed.as_ref().is_none_or(|(v, _)| parse(rv) > *v) {
            let version = p["version"].as_str().unwrap_or_default();
            needed = Some((parse(rv), format!("{name} {version} (rust-version {rv})")));
        }
    }
    let stated = stated.expect("Cargo.toml states a rust-version");
    let (needed, by) = needed.expect("some dependency states a rust-version");
    assert_eq!(
        parse(&stated),
        needed,
        "Cargo.toml says rust-version = \"{stated}\", but the highest rust-version among the \
         locked dependencies is that of {by}; set rust-version (and the msrv job in \
         .github/workflows/ci.yml) to it"
    );
}
