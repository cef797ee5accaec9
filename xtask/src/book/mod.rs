//! `cargo xtask book`: run every lab in book mode, copy what it made into
//! `book/src/generated/<lab>/`, and build the HTML with mdBook as a library.
//!
//! A lab is skipped when a hash of its inputs (its own sources, the shared crates, the lock
//! file and its flags) matches the one stored beside its outputs by the last run; `--force`
//! runs it anyway.

mod code_width;
mod generated;
mod labs;
pub use labs::{Build, Runs, lab_names};
pub mod links;
mod math;
mod typed_numbers;

use crate::project_root;
use anyhow::{Context, Result};
use mdbook_driver::MDBook;
use std::path::PathBuf;
use std::time::Instant;

pub use generated::Generated;
pub use math::Math;

/// The book's root folder (where `book.toml` is).
pub fn book_root() -> PathBuf {
    project_root().join("book")
}

/// Where the HTML goes (set by `build-dir` in `book.toml`).
pub fn html_dir() -> PathBuf {
    project_root().join("target").join("book")
}

/// Run the labs, then build the HTML.
pub fn run(force: bool) -> Result<()> {
    run_with(force, labs::Build::Labs, Runs::Default)
}

/// [`run`], compiling the labs as [`Build`] says and running them as [`Runs`] says.
pub fn run_with(force: bool, build: labs::Build, runs: Runs) -> Result<()> {
    let outcomes = labs::run_all(force, build, runs)?;
    let started = Instant::now();
    build_html()?;
    let html_time = started.elapsed().as_secs_f64();

    println!();
    println!("{:<28} {:>9}  status", "step", "time (s)");
    for outcome in &outcomes {
        println!("{:<28} {:>9.1}  {}", outcome.lab, outcome.seconds, outcome.status);
    }
    println!("{:<28} {:>9.1}  built", "HTML (mdBook + KaTeX)", html_time);
    println!("\nThe book: {}", html_dir().join("index.html").display());
    let failed: Vec<&str> =
        outcomes.iter().filter(|o| o.status.starts_with("FAILED")).map(|o| o.lab.as_str()).collect();
    anyhow::ensure!(failed.is_empty(), "labs failed: {} (their output is above)", failed.join(", "));
    // Now that every lab's metrics.json is in place: no result may be typed by hand.
    typed_numbers::check(&book_root().join("src"))?;
    code_width::check(&book_root().join("src"))
}

/// `cargo xtask labs [NAME...]`: run labs in their default mode (not book mode), each into
/// `target/labs/<lab>/` as `cargo run -p <lab>` would.
pub fn run_labs(names: &[String]) -> Result<()> {
    let all = labs::lab_names()?;
    let chosen: Vec<String> = if names.is_empty() { all.clone() } else { names.to_vec() };
    for name in &chosen {
        anyhow::ensure!(all.contains(name), "there is no lab `{name}` (labs: {})", all.join(", "));
    }
    if chosen.is_empty() {
        println!("no labs yet: `cargo xtask new-lab dayN-topic` makes one");
    }
    for name in &chosen {
        crate::run_command("cargo", &["run", "-p", name])?;
    }
    Ok(())
}

/// Build the HTML from `book/`. `book.toml` turns mdBook's default preprocessors off so
/// that the order is ours: generated numbers first (so `\\{{#metric}}` is still escaped
/// when we see it), then mdBook's `{{#include}}` and index handling, then the math.
pub fn build_html() -> Result<()> {
    use mdbook_driver::builtin_preprocessors::{IndexPreprocessor, LinkPreprocessor};
    let mut book = MDBook::load(book_root()).context("cannot load the book (book/book.toml)")?;
    book.with_preprocessor(Generated);
    book.with_preprocessor(LinkPreprocessor::new());
    book.with_preprocessor(IndexPreprocessor::new());
    book.with_preprocessor(Math);
    book.build().map_err(|e| anyhow::anyhow!("{e:#}")).context("the book did not build")?;
    fix_print_page_media(&html_dir().join("print.html"))
}

/// mdBook rewrites Markdown links and images for the one-page print version, which lives
/// at the root, but not raw HTML such as `<audio src="../generated/...">`. Every chapter
/// lives one folder down (`dayN/...`), so from the root that path is `generated/...`.
fn fix_print_page_media(print: &std::path::Path) -> Result<()> {
    let Ok(html) = std::fs::read_to_string(print) else { return Ok(()) };
    let fixed = html.replace("src=\"../generated/", "src=\"generated/");
    if fixed != html {
        std::fs::write(print, fixed).with_context(|| format!("cannot write {}", print.display()))?;
    }
    Ok(())
}
