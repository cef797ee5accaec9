//! Running the labs for the book: each lab crate under `labs/` runs once in its default
//! mode with a fixed seed, writing into `book/src/generated/<lab>/`.

use crate::project_root;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The seed every book run uses, so the book's numbers are the same on every rebuild.
pub const BOOK_SEED: u64 = 42;

/// How one lab's run went.
pub struct Outcome {
    pub lab: String,
    pub seconds: f64,
    pub status: String,
}

/// The lab crates: every `labs/<name>/Cargo.toml`, by name.
pub fn lab_names() -> Result<Vec<String>> {
    let mut names = Vec::new();
    let labs = project_root().join("labs");
    for entry in std::fs::read_dir(&labs).with_context(|| format!("cannot read {}", labs.display()))? {
        let path = entry?.path();
        if path.join("Cargo.toml").is_file() {
            names.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// How long the labs run for the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runs {
    /// Each lab's default run: the book's numbers (`cargo xtask book`).
    Default,
    /// Each lab's `--quick` run: a book with every page, figure, sound and metric tag in
    /// place, but the quick runs' numbers (`cargo xtask test`, so that CI builds and checks
    /// the book in a minute instead of ten).
    Quick,
}

/// The flags a lab runs with in book mode: the seed and the output folder (and `--quick`
/// for [`Runs::Quick`]), then the lab's own from `labs/<lab>/book-flags` if it has one
/// (one line, e.g. `--seeds 3` where the chapter reports a spread over seeds; lines
/// starting with `#` are comments).
fn book_flags(lab: &str, out: &Path, runs: Runs) -> Result<Vec<String>> {
    let mut flags = vec!["--seed".into(), BOOK_SEED.to_string(), "--out".into(), out.display().to_string()];
    if runs == Runs::Quick {
        flags.push("--quick".into());
    }
    let own = project_root().join("labs").join(lab).join("book-flags");
    if own.is_file() {
        let text = std::fs::read_to_string(&own).with_context(|| format!("cannot read {}", own.display()))?;
        let lines = text.lines().filter(|l| !l.trim_start().starts_with('#'));
        flags.extend(lines.flat_map(str::split_whitespace).map(String::from));
    }
    Ok(flags)
}

/// How the lab binaries are compiled before they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    /// `cargo build -p <labs>`: just the labs (a plain `cargo xtask book`).
    Labs,
    /// `cargo test --workspace --no-run`, which also leaves each lab's binary in
    /// `target/debug/` (a package's binaries are built for its integration tests). Right
    /// after `cargo test --workspace` (in `cargo xtask test`) it compiles nothing, because it
    /// resolves the dependencies' features exactly as that build did; `cargo build -p`
    /// resolves them differently and compiles rustls, burn and others again (minutes on
    /// two cores).
    AsWorkspaceTests,
}

/// Run every lab whose inputs changed (or all with `force`). The labs are built together
/// first (see [`Build`]), then run a few at a time: each uses all the threads it is given, so on a small
/// machine one at a time is fastest, and on a large one several share the cores.
pub fn run_all(force: bool, build: Build, runs: Runs) -> Result<Vec<Outcome>> {
    let names = lab_names()?;
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let mut command = Command::new(env!("CARGO"));
    command.current_dir(project_root());
    match build {
        Build::Labs => {
            command.arg("build");
            for name in &names {
                command.args(["-p", name]);
            }
        }
        Build::AsWorkspaceTests => {
            command.args(["test", "--workspace", "--no-run"]);
        }
    }
    crate::run_command_with(command)?;
    for name in &names {
        let binary = project_root().join("target/debug").join(name);
        anyhow::ensure!(
            binary.is_file(),
            "{} was not built (has the lab lost its tests/?)",
            binary.display()
        );
    }

    let shared = shared_inputs_hash()?; // the same for every lab: read once
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let jobs = (cores / 4).clamp(1, names.len());
    let threads_each = (cores / jobs).max(1);
    let queue = std::sync::Mutex::new(names.into_iter());
    let outcomes = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                while let Some(name) = queue.lock().unwrap().next() {
                    let outcome = run_one(&name, (force, runs), threads_each, shared);
                    outcomes.lock().unwrap().push(outcome);
                }
            });
        }
    });
    let mut outcomes: Vec<Outcome> = outcomes.into_inner().unwrap().into_iter().collect::<Result<_>>()?;
    outcomes.sort_by(|a, b| a.lab.cmp(&b.lab));
    Ok(outcomes)
}

/// Run one lab in book mode unless its inputs are unchanged.
fn run_one(name: &str, (force, runs): (bool, Runs), threads: usize, shared: u64) -> Result<Outcome> {
    let out = project_root().join("book/src/generated").join(name);
    let flags = book_flags(name, &out, runs)?;
    let hash = format!("{:016x}", inputs_hash(shared, name, &flags)?);
    let stamp = out.join(".inputs-hash");
    if !force && std::fs::read_to_string(&stamp).is_ok_and(|s| s == hash) {
        return Ok(Outcome { lab: name.into(), seconds: 0.0, status: "unchanged (skipped)".into() });
    }
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("cannot clear {}", out.display()))?;
    }
    std::fs::create_dir_all(&out)?;
    println!("> {name} {}", flags.join(" "));
    let started = Instant::now();
    let status = Command::new(project_root().join("target/debug").join(name))
        .args(&flags)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .current_dir(project_root())
        .status()
        .with_context(|| format!("cannot start lab {name}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let status = if status.success() {
        // Checkpoints are for `--resume` at a terminal; the book would only copy their
        // megabytes of weights into the HTML.
        for entry in std::fs::read_dir(&out)? {
            let path = entry?.path();
            if path.is_dir()
                && path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("checkpoint"))
            {
                std::fs::remove_dir_all(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            }
        }
        std::fs::write(&stamp, &hash)?;
        "ran".to_string()
    } else {
        format!("FAILED ({status})")
    };
    Ok(Outcome { lab: name.into(), seconds, status })
}

/// FNV-1a over what every lab depends on: the shared crates and the lock file. Stable
/// across Rust versions (unlike `DefaultHasher`), so a stamp stays valid.
fn shared_inputs_hash() -> Result<u64> {
    let root = project_root();
    let mut files = Vec::new();
    for dir in [root.join("crates"), root.join("datasets")] {
        collect_sources(&dir, &mut files)?;
    }
    files.push(root.join("Cargo.lock"));
    hash_files(FNV_OFFSET, &files)
}

/// The shared hash continued over the lab's own folder and its flags.
fn inputs_hash(shared: u64, lab: &str, flags: &[String]) -> Result<u64> {
    let mut files = Vec::new();
    collect_sources(&project_root().join("labs").join(lab), &mut files)?;
    let hash = hash_files(shared, &files)?;
    Ok(fnv1a(hash, flags.join(" ").as_bytes()))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash = (hash ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Each file's path (relative to the workspace) and contents, in sorted order.
fn hash_files(mut hash: u64, files: &[PathBuf]) -> Result<u64> {
    let root = project_root();
    let mut files = files.to_vec();
    files.sort();
    for file in &files {
        hash = fnv1a(hash, file.strip_prefix(&root).unwrap_or(file).to_string_lossy().as_bytes());
        hash = fnv1a(hash, &std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?);
    }
    Ok(hash)
}

/// Source files under `dir`: `.rs`, `.toml`, `.json`, `.csv`, skipping `target/`.
fn collect_sources(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                collect_sources(&path, files)?;
            }
        } else if path
            .extension()
            .is_some_and(|e| ["rs", "toml", "json", "csv"].contains(&e.to_str().unwrap_or("")))
        {
            files.push(path);
        }
    }
    Ok(())
}
