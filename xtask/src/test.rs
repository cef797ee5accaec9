//! `cargo xtask test`: what CI runs, in the order that fails fastest: formatting, lints,
//! every test, then the book (built from the labs' `--quick` outputs, its links checked, and
//! opened in a headless browser), then `new-lab` end to end. Ends with the time of each step.

use crate::{book, run_command};
use anyhow::Context;
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
    step("workspace-hack current", &mut || crate::workspace_hack::run(true))?;
    // One pass lints every target and proves the GPU code compiles (CI has no GPU): the labs'
    // `wgpu` and `vulkan` features on. A second, CPU-only pass would check every dependency
    // again for nothing: the CPU build is compiled in full by the tests below.
    let lint = clippy_args()?;
    step("clippy, GPU features on", &mut || {
        let args: Vec<&str> = lint.iter().map(String::as_str).chain(["--", "-D", "warnings"]).collect();
        run_command("cargo", &args)
    })?;
    step("cargo test --workspace", &mut || run_command("cargo", &["test", "--workspace"]))?;
    // The same `cargo test --workspace` invocation throughout (the ignored tests below are
    // selected after `--`): another selection of packages or targets would resolve the
    // dependencies' features differently and compile them again.
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

/// dl4mir-train's GPU backends, which CI compiles (it has no GPU). `cuda` is left out:
/// burn's CUDA build downloads a compiler bundle.
pub const TRAIN_GPU_FEATURES: &str = "wgpu,vulkan";

/// `clippy --workspace --all-targets --features <every lab's GPU backends>`: the lint pass
/// (the workspace-hack reads it too, to give its proc-macros the test build's features).
pub fn clippy_args() -> anyhow::Result<Vec<String>> {
    let mut args: Vec<String> =
        ["clippy", "--workspace", "--all-targets", "--features"].map(String::from).into();
    args.push(gpu_features()?);
    Ok(args)
}

/// `day1-pca/wgpu,day1-pca/vulkan,...`: the GPU backends of every lab (each passes them down
/// to dl4mir-train).
fn gpu_features() -> anyhow::Result<String> {
    let mut features = Vec::new();
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
