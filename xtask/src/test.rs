//! `cargo xtask test`: what CI runs, in the order that fails fastest.

use crate::run_command;

pub fn run() -> anyhow::Result<()> {
    run_command("cargo", &["fmt", "--all", "--", "--check"])?;
    run_command("cargo", &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])?;
    run_command("cargo", &["test", "--workspace"])?;
    Ok(())
}
