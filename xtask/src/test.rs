//! `cargo xtask test`: what CI runs, in the order that fails fastest: formatting, then every
//! target compiled once and linted as it compiles, every test, the GPU code checked, then the
//! book (built from the labs' `--quick` outputs, its links checked, and opened in a headless
//! browser), then `new-lab` end to end. Ends with the time of each step.
//!
//! The lint: clippy's driver stands in for rustc (`RUSTC_WRAPPER`) for every cargo command
//! below. For the third-party crates it is rustc (Cargo caps their lints); our crates it
//! compiles and lints, so one build of the dependency tree serves the lints and the tests,
//! where `cargo clippy` would check the whole tree a second time. Cargo keeps no separate
//! copy for a wrapper, so a crate compiled before by a plain `cargo build` is not compiled,
//! nor linted, again: the step says how many were, and `cargo clippy` lints those.

use crate::{book, run_command};
use anyhow::Context;
use std::process::{Command, Stdio};
use std::time::Instant;

/// dl4mir-train's GPU backends, which CI compiles (it has no GPU). `cuda` is left out:
/// burn's CUDA build downloads a compiler bundle.
pub const TRAIN_GPU_FEATURES: &str = "wgpu,vulkan";

pub fn run() -> anyhow::Result<()> {
    let mut times = Vec::new();
    let mut step = |name: &'static str, work: &mut dyn FnMut() -> anyhow::Result<()>| {
        let started = Instant::now();
        let result = work();
        times.push((name, started.elapsed().as_secs_f64()));
        result
    };
    step("fmt", &mut || run_command("cargo", &["fmt", "--all", "--", "--check"]))?;
    step("workspace-hack current", &mut || crate::workspace_hack::run(true))?;
    let driver = clippy_driver()?;
    // SAFETY: no other thread runs yet; every cargo started from here on inherits it.
    unsafe { std::env::set_var("RUSTC_WRAPPER", &driver) };
    step("build and lint every target", &mut || {
        lint_build(&["test", "--workspace", "--all-targets", "--no-run"])
    })?;
    // The same `cargo test --workspace` invocation throughout (the ignored tests below are
    // selected after `--`): another selection of packages or targets would resolve the
    // dependencies' features differently and compile them again.
    step("cargo test --workspace", &mut || run_command("cargo", &["test", "--workspace"]))?;
    // The GPU code compiles (CI has no GPU): dl4mir-train, where it lives, and the labs,
    // which pass their `wgpu` and `vulkan` features down to it, checked with those on.
    let gpu_check = gpu_check_args()?;
    step("GPU features checked", &mut || {
        lint_build(&gpu_check.iter().map(String::as_str).collect::<Vec<_>>())
    })?;
    // The book from every lab's `--quick` run: every page, figure, sound and metric tag is
    // built and checked (typed numbers, code width, links, a browser) in a minute; the
    // default runs, ten minutes on two cores, are `cargo xtask book`'s.
    step("book (quick runs)", &mut || {
        book::run_with(false, book::Build::AsWorkspaceTests, book::Runs::Quick)
    })?;
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

/// `check --lib --bins -p dl4mir-train -p day1-pca ... --features <gpu_features>`: the GPU
/// check (the workspace-hack reads it too, to share its proc-macros with the test build).
pub fn gpu_check_args() -> anyhow::Result<Vec<String>> {
    let mut args: Vec<String> = ["check", "--lib", "--bins", "-p", "dl4mir-train"].map(String::from).into();
    for lab in book::lab_names()? {
        args.extend(["-p".to_string(), lab]);
    }
    args.extend(["--features".to_string(), gpu_features()?]);
    Ok(args)
}

/// `dl4mir-train/wgpu,dl4mir-train/vulkan,day1-pca/wgpu,...`: the GPU backends of
/// dl4mir-train and of every lab (each passes them down to dl4mir-train).
fn gpu_features() -> anyhow::Result<String> {
    let mut features: Vec<String> =
        TRAIN_GPU_FEATURES.split(',').map(|backend| format!("dl4mir-train/{backend}")).collect();
    for lab in book::lab_names()? {
        let manifest = crate::project_root().join("labs").join(&lab).join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)
            .with_context(|| format!("cannot read {}", manifest.display()))?;
        for backend in TRAIN_GPU_FEATURES.split(',') {
            anyhow::ensure!(
                text.contains(&format!("\n{backend} = [")),
                "{} has no `{backend}` feature: every lab passes the GPU backends to dl4mir-train",
                manifest.display()
            );
            features.push(format!("{lab}/{backend}"));
        }
    }
    Ok(features.join(","))
}

/// Clippy's driver, from the toolchain's own folder (where rustup puts its clippy component).
fn clippy_driver() -> anyhow::Result<std::path::PathBuf> {
    let output = Command::new("rustc").args(["--print", "sysroot"]).output().context("cannot run rustc")?;
    let sysroot = String::from_utf8(output.stdout).context("rustc printed a sysroot that is not UTF-8")?;
    let driver = std::path::Path::new(sysroot.trim()).join("bin").join("clippy-driver");
    anyhow::ensure!(
        driver.is_file(),
        "clippy is missing ({} not found): rustup component add clippy",
        driver.display()
    );
    Ok(driver)
}

/// Run a cargo build, print every diagnostic, and fail on any warning in our crates (the
/// lints' `-D warnings`, read from Cargo's messages: a `CLIPPY_ARGS` setting would be
/// recorded by every crate the driver compiles, and rebuild them all in a plain build later).
/// Cargo replays the messages of crates it does not compile again, so none is lost.
fn lint_build(args: &[&str]) -> anyhow::Result<()> {
    let mut command = Command::new("cargo");
    command.args(args).arg("--message-format=json-diagnostic-rendered-ansi");
    command.current_dir(crate::project_root()).stdout(Stdio::piped());
    let line = format!("cargo {}", args.join(" "));
    println!("> {line}");
    let mut child = command.spawn().with_context(|| format!("cannot start `{line}`"))?;
    let stdout = child.stdout.take().context("cargo's output is piped")?;
    let (mut warnings, mut compiled, mut fresh) = (0, 0, 0);
    for message in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&message?) else { continue };
        let ours = message["package_id"].as_str().is_some_and(|id| id.starts_with("path+"));
        match message["reason"].as_str() {
            Some("compiler-message") => {
                eprint!("{}", message["message"]["rendered"].as_str().unwrap_or_default());
                if ours && message["message"]["level"] == "warning" {
                    warnings += 1;
                }
            }
            Some("compiler-artifact") if ours => {
                if message["fresh"] == true {
                    fresh += 1
                } else {
                    compiled += 1
                }
            }
            _ => {}
        }
    }
    let status = child.wait()?;
    anyhow::ensure!(status.success(), "`{line}` failed ({status})");
    anyhow::ensure!(warnings == 0, "{warnings} warnings in our crates (lints are errors): fix them");
    print!("{compiled} of our targets compiled and linted");
    if fresh > 0 {
        print!(", {fresh} built before (by this command, or by a plain build: `cargo clippy` lints them)");
    }
    println!();
    Ok(())
}
