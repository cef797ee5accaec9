//! `cargo xtask test`: what CI runs, in the order that fails fastest: formatting, lints,
//! every test, then the book (built from the labs' outputs, its links checked, and opened in
//! a headless browser).

use crate::{book, run_command};

pub fn run() -> anyhow::Result<()> {
    run_command("cargo", &["fmt", "--all", "--", "--check"])?;
    run_command("cargo", &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])?;
    run_command("cargo", &["test", "--workspace"])?;
    book::run(false)?;
    let links = book::links::check(&book::html_dir())?;
    println!("{links} links checked, none broken");
    run_command("cargo", &["test", "-p", "dl4mir-book-tests", "--test", "browser", "--", "--ignored"])?;
    run_command("cargo", &["test", "-p", "dl4mir-book-tests", "--test", "new_lab", "--", "--ignored"])?;
    Ok(())
}
