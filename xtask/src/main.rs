//! `cargo xtask`: the project's automation, written in Rust so it runs wherever cargo does
//! (the rust-analyzer / Comprehensive Rust pattern). `.cargo/config.toml` defines the alias.
//!

mod bench;
mod book;
mod new_lab;
mod serve;
mod test;
mod workspace_hack;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "dl4mir's own tasks")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Run every check CI runs: formatting, clippy (warnings are errors), all tests, the book
    /// from the labs' quick runs.
    Test,
    /// Run every lab in book mode (fixed seed) and build the book's HTML into target/book/.
    Book {
        /// Run every lab even if its inputs did not change since its last run.
        #[arg(long)]
        force: bool,
        /// Run the labs with `--quick` (the book `cargo xtask test` checks: every page in a
        /// minute, with the quick runs' numbers).
        #[arg(long)]
        quick: bool,
    },
    /// Build the book and serve it locally; edits to chapters rebuild it and reload the page.
    Serve {
        #[arg(long, default_value_t = 3000)]
        port: u16,
    },
    /// Run labs in their default mode (all of them, or those named), output in target/labs/.
    Labs {
        /// Lab crates to run, e.g. day3-mlp (default: every lab).
        names: Vec<String>,
    },
    /// Everything an instructor runs before a new term: the tests (which build a book from
    /// the quick runs, check its links and open it in a browser), then every lab from
    /// scratch into the real book.
    All,
    /// Check the built book: internal links, anchors, images and audio resolve; external
    /// links are well-formed (not fetched).
    CheckLinks,
    /// Scaffold a lab: `labs/<name>/` (lib with anchors, main with the common flags, a
    /// snapshot test) and its chapter, added to the workspace and SUMMARY.md.
    NewLab {
        /// day<N>-<topic>, e.g. day6-synthesis.
        name: String,
        /// The chapter's title (default: the topic).
        #[arg(long)]
        title: Option<String>,
    },
    /// Run the benchmarks: criterion for the DSP kernels, then librosa and PyTorch side by
    /// side when Pythons with them are given (see BENCHMARKS.md).
    Bench {
        /// A Python interpreter with librosa==0.11.0 installed, for the DSP comparison.
        #[arg(long)]
        python: Option<PathBuf>,
        /// A Python interpreter with torch installed, for the training-step comparison.
        #[arg(long)]
        torch_python: Option<PathBuf>,
    },
    /// Rewrite crates/workspace-hack/Cargo.toml so that building one package reuses the
    /// dependencies `cargo test --workspace` compiled (run it after changing dependencies).
    WorkspaceHack {
        /// Only check that it is current (fail, naming the crates, if it is not).
        #[arg(long)]
        check: bool,
    },
}

fn main() -> std::process::ExitCode {
    let result = match Cli::parse().task {
        Task::Test => test::run(),
        Task::Book { force, quick } => {
            let runs = if quick { book::Runs::Quick } else { book::Runs::Default };
            book::run_with(force, book::Build::Labs, runs)
        }
        Task::Serve { port } => serve::run(port),
        Task::Labs { names } => book::run_labs(&names),
        // The tests first (their book is the quick runs'), then every lab from scratch into
        // the book, so that what is left in book/ is the real one.
        Task::All => test::run().and_then(|()| book::run(true)),
        Task::NewLab { name, title } => new_lab::run(&name, title.as_deref()),
        Task::CheckLinks => {
            book::links::check(&book::html_dir()).map(|n| println!("{n} links checked, none broken"))
        }
        Task::Bench { python, torch_python } => bench::run(python.as_deref(), torch_python.as_deref()),
        Task::WorkspaceHack { check } => workspace_hack::run(check),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One line, no backtrace: the failing command has already said what went wrong.
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's directory, or `$DL4MIR_PROJECT_ROOT`
/// (the `new-lab` test points it at a copy of the workspace).
pub fn project_root() -> PathBuf {
    match std::env::var_os("DL4MIR_PROJECT_ROOT") {
        Some(root) => PathBuf::from(root),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask lives in the workspace")
            .to_path_buf(),
    }
}

/// Run `program args..` in the workspace root, echoing it as `> program args`, and fail
/// with the command line if it does not succeed.
pub fn run_command(program: &str, args: &[&str]) -> anyhow::Result<()> {
    let mut command = Command::new(program);
    command.args(args).current_dir(project_root());
    run_command_with(command)
}

/// Run a prepared command, echoing it, and fail with its command line if it fails.
pub fn run_command_with(mut command: Command) -> anyhow::Result<()> {
    // Started by `cargo run` (`cargo xtask`): builds the command starts see the environment a
    // shell gives them, so they share what `cargo test` from a shell compiled.
    dl4mir_book_tests::without_cargo_run_env(&mut command);
    let line = format!(
        "{} {}",
        command.get_program().to_string_lossy(),
        command.get_args().map(|a| a.to_string_lossy()).collect::<Vec<_>>().join(" ")
    );
    println!("> {line}");
    let status = command.status().map_err(|e| anyhow::anyhow!("cannot start `{line}`: {e}"))?;
    anyhow::ensure!(status.success(), "`{line}` failed ({status})");
    Ok(())
}
