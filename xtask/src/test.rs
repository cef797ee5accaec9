//! `cargo xtask test`: what CI runs, in the order that fails fastest: formatting, lints,
//! every test, then the book (built from the labs' outputs, its links checked, and opened in
//! a headless browser), then `new-lab` end to end. Ends with the time of each step.

use crate::{book, run_command};
use std::time::Instant;

pub fn run() -> anyhow::Result<()> {
    let mut times = Vec::new();
    let mut step = |name: &'static str, work: &mut dyn FnMut() -> anyhow::Result<()>| {
        let started = Instant::now();
        let result = work();
        times.push((name, started.elapsed().as_secs_f64()));
        result
    };
    step("fmt", &mut || run_command("cargo", &["fmt", "--all", "--", "--check"]))?;
    step("clippy", &mut || {
        run_command("cargo", &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])
    })?;
    step("cargo test --workspace", &mut || run_command("cargo", &["test", "--workspace"]))?;
    // The same `cargo test --workspace` invocation throughout (the ignored tests below are
    // selected after `--`): another selection of packages or targets would resolve the
    // dependencies' features differently and compile them again.
    step("cargo xtask book", &mut || book::run_with(false, book::Build::AsWorkspaceTests))?;
    step("check-links", &mut || {
        let links = book::links::check(&book::html_dir())?;
        println!("{links} links checked, none broken");
        Ok(())
    })?;
    step("browser test", &mut || {
        run_command("cargo", &["test", "--workspace", "--", "--ignored", "the_book_works_in_a_browser"])
    })?;
    step("new-lab end to end", &mut || {
        run_command("cargo", &["test", "--workspace", "--", "--ignored", "new_lab_scaffolds"])
    })?;
    println!("\n{:<26} {:>9}", "step", "time (s)");
    for (name, seconds) in &times {
        println!("{name:<26} {seconds:>9.1}");
    }
    Ok(())
}
