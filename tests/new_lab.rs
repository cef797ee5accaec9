//! `cargo xtask new-lab` end to end: in a copy of the workspace, scaffold a lab, then build
//! it and run its snapshot test. The copy shares this workspace's `target/` and nothing but
//! the new lab compiles: the third-party crates resolve alike through
//! `dl4mir-workspace-hack`, and our crates are found already built. Cargo names a member's
//! build by its path relative to the workspace root (the same in the copy), and a copied
//! file keeps its modification time, so Cargo sees the sources it built from.
//!
//! Ignored by default (it takes a minute); `cargo xtask test` runs it.

use dl4mir_book_tests::{project_root, without_cargo_run_env};
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
        let output = without_cargo_run_env(&mut Command::new(env!("CARGO")))
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
    // Its tests: everything it uses is built already (see the module's doc).
    let ran = cargo(&["test", "-p", "day99-scaffold-check"], &copy);
    assert!(ran.contains("test quick_run_metrics ... ok"), "{ran}");
    assert!(copy.join("labs/day99-scaffold-check/tests/snapshots/quick__quick_run_metrics.snap").is_file());
    std::fs::remove_dir_all(&copy).ok();
}

/// The files git knows (tracked, or untracked and not ignored), as a fresh clone has them,
/// with their modification times: a newer time would make Cargo build our crates again
/// (and over this workspace's own artifacts, which have the same names).
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
            let modified = std::fs::metadata(&from).and_then(|m| m.modified()).unwrap();
            std::fs::File::options().write(true).open(&to).and_then(|f| f.set_modified(modified)).unwrap();
        }
    }
}
