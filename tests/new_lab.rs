//! `cargo xtask new-lab` end to end: in a copy of the workspace, scaffold a lab, then build
//! it and run its snapshot test. The copy shares this workspace's `target/`, and its build of
//! the new lab uses this workspace's own crates (`dl4mir-train`, ...) at their real paths, so
//! nothing but the new lab is compiled: the third-party crates resolve alike through
//! `dl4mir-workspace-hack`, and our crates are the same packages.
//!
//! Ignored by default (it takes a few minutes); `cargo xtask test` runs it.

use dl4mir_book_tests::project_root;
use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "slow (builds a copy of the workspace): run through `cargo xtask test`"]
fn new_lab_scaffolds_a_lab_that_builds_and_passes_its_test() {
    let root = project_root();
    let copy = std::env::temp_dir().join(format!("dl4mir-new-lab-e2e-{}", std::process::id()));
    copy_workspace(&root, &copy);
    let target = root.join("target");
    let cargo = |args: &[&str], dir: &Path| {
        let output = Command::new(env!("CARGO"))
            .args(args)
            .current_dir(dir)
            .env("DL4MIR_PROJECT_ROOT", &copy) // this workspace's xtask, working on the copy
            .env("CARGO_TARGET_DIR", &target)
            .env("INSTA_UPDATE", "always") // the new lab's first snapshot is recorded, not compared
            .env_remove("CI") // (insta refuses to record a new snapshot under CI)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "`cargo {}` failed:\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };

    // This workspace's own xtask (already built), told to work on the copy: building the
    // copy's xtask into the shared target/ would replace target/debug/xtask with a binary
    // that points at the copy.
    let said = cargo(&["xtask", "new-lab", "day99-scaffold-check", "--title", "A demo lab"], &root);
    assert!(said.contains("created"), "{said}");
    let manifest = std::fs::read_to_string(copy.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\"labs/day99-scaffold-check\""), "not added to the workspace");
    let summary = std::fs::read_to_string(copy.join("book/src/SUMMARY.md")).unwrap();
    assert!(summary.contains("[Day 99: A demo lab](day99/lab.md)"), "not added to SUMMARY.md:\n{summary}");
    // Its tests, against this workspace's crates: the copy's manifest keeps its profiles and
    // dependency table, with the new lab as its only member and our crates at their real
    // paths (two packages of one name at two paths could not share a lock file).
    std::fs::write(copy.join("Cargo.toml"), lab_only_manifest(&manifest, &root, "labs/day99-scaffold-check"))
        .unwrap();
    let ran = cargo(&["test", "-p", "day99-scaffold-check"], &copy);
    assert!(ran.contains("test quick_run_metrics ... ok"), "{ran}");
    assert!(copy.join("labs/day99-scaffold-check/tests/snapshots/quick__quick_run_metrics.snap").is_file());
    std::fs::remove_dir_all(&copy).ok();
}

/// The files git knows (tracked, or untracked and not ignored), as a fresh clone has them.
fn copy_workspace(root: &Path, copy: &Path) {
    let listed = Command::new("git")
        .args(["ls-files", "--cached", "--others", "--exclude-standard", "-z"])
        .current_dir(root)
        .output()
        .expect("git is installed");
    assert!(listed.status.success());
    for file in listed.stdout.split(|&b| b == 0).filter(|f| !f.is_empty()) {
        let relative = Path::new(std::str::from_utf8(file).unwrap());
        let (from, to) = (root.join(relative), copy.join(relative));
        if from.is_file() {
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&from, &to).unwrap();
        }
    }
}

/// `manifest` (the copy's workspace manifest) with `lab` as the only member and every
/// workspace crate it names by a relative `path` pointed at `root` instead.
///
/// Our crates are members here: compiled incrementally, and at opt-level 0 unless the
/// manifest says otherwise. In the copy they are not members, so Cargo would compile them
/// without incremental state and match them with `[profile.dev.package."*"]` (opt-level 3,
/// meant for the third-party crates): another profile, so they and everything above them
/// would compile again. Each gets the profile it has here, written out.
fn lab_only_manifest(manifest: &str, root: &Path, lab: &str) -> String {
    let (head, rest) = manifest.split_once("members = [").expect("the workspace lists its members");
    let (members, tail) = rest.split_once(']').expect("the member list is closed");
    let mut tail = tail.replace("{ path = \"", &format!("{{ path = \"{}/", root.display()));
    let mut profiles = String::new();
    let ours = |m: &&str| !m.is_empty() && !m.starts_with("labs/") && !["tests", "xtask"].contains(m);
    for member in members.split(',').map(|m| m.trim().trim_matches('"')).filter(ours) {
        let text = std::fs::read_to_string(root.join(member).join("Cargo.toml")).unwrap_or_default();
        let name = text.lines().find_map(|l| l.strip_prefix("name = \"")).map(|n| n.trim_end_matches('"'));
        let Some(name) = name else { continue };
        let section = format!("[profile.dev.package.{name}]\n");
        if tail.contains(&section) {
            tail = tail.replace(&section, &format!("{section}incremental = true\n"));
        } else {
            profiles.push_str(&format!("\n{section}opt-level = 0\nincremental = true\n"));
        }
    }
    format!("{head}members = [\"{lab}\"]{tail}{profiles}")
}
