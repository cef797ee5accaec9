//! Every free-standing Rust block of the book compiles and runs, so no snippet can rot.
//!
//! A block is compiled by `rustc` alone (the book's edition), as the Rust Playground would
//! run it for a reader, and run; `no_run` blocks are only compiled, `ignore` blocks are
//! skipped, and a block without `fn main` is wrapped in one (as rustdoc does). Blocks
//! included from a crate (`{{#include ...}}`) are that crate's to test. A free-standing
//! block may use the standard library only: code that needs the workspace's crates belongs
//! in a lab or an example and is included, so it is built with the workspace.

use dl4mir_book_tests::{RustBlock, chapters, project_root, rust_blocks};
use std::path::Path;
use std::process::Command;

#[test]
fn every_free_standing_rust_block_compiles_and_runs() {
    let work = std::env::temp_dir().join(format!("dl4mir-snippets-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let mut jobs = Vec::new();
    for chapter in chapters() {
        let text = std::fs::read_to_string(&chapter).unwrap();
        for block in rust_blocks(&text) {
            if !block.is_included() && !block.has("ignore") {
                jobs.push((chapter.clone(), block));
            }
        }
    }
    assert!(jobs.len() >= 5, "expected the review chapters' snippets, found {}", jobs.len());

    // Compile and run in parallel: each rustc call is a fraction of a second.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .iter()
            .enumerate()
            .map(|(i, (chapter, block))| {
                scope.spawn({
                    let work = &work;
                    move || check(chapter, block, &work.join(format!("s{i}")))
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().unwrap().err()).collect()
    });
    std::fs::remove_dir_all(&work).ok();
    assert!(
        failures.is_empty(),
        "{} of {} snippets failed:\n\n{}",
        failures.len(),
        jobs.len(),
        failures.join("\n\n")
    );
}

/// Compile one block and run it; the error names the chapter and line.
fn check(chapter: &Path, block: &RustBlock, dir: &Path) -> Result<(), String> {
    let place =
        format!("{}:{}", chapter.strip_prefix(project_root()).unwrap_or(chapter).display(), block.line);
    for forbidden in ["dl4mir_", "burn::", "extern crate"] {
        if block.code.contains(forbidden) {
            return Err(format!(
                "{place}: a free-standing block uses `{forbidden}`; move it into a lab or example and \
                 include it with {{{{#include}}}}, or keep it to the standard library"
            ));
        }
    }
    std::fs::create_dir_all(dir).unwrap();
    let source = dir.join("main.rs");
    let code = if block.code.contains("fn main") {
        block.code.clone()
    } else {
        format!("fn main() {{\n{}}}\n", block.code)
    };
    std::fs::write(&source, code).unwrap();
    let binary = dir.join("snippet");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let compiled = Command::new(rustc)
        .args(["--edition", "2024", "--crate-name", "snippet", "-o"])
        .arg(&binary)
        .arg(&source)
        .output()
        .map_err(|e| format!("{place}: cannot start rustc: {e}"))?;
    if !compiled.status.success() {
        return Err(format!("{place}: does not compile:\n{}", String::from_utf8_lossy(&compiled.stderr)));
    }
    if block.has("no_run") {
        return Ok(());
    }
    let ran = Command::new(&binary).output().map_err(|e| format!("{place}: cannot run: {e}"))?;
    match (ran.status.success(), block.has("should_panic")) {
        (true, false) | (false, true) => Ok(()),
        _ => Err(format!(
            "{place}: ran with {}:\n{}{}",
            ran.status,
            String::from_utf8_lossy(&ran.stdout),
            String::from_utf8_lossy(&ran.stderr)
        )),
    }
}
