//! `cargo xtask bench`: criterion benchmarks, then the librosa comparison if asked.

use crate::run_command;
use std::path::Path;

pub fn run(python: Option<&Path>) -> anyhow::Result<()> {
    run_command("cargo", &["bench", "-p", "dl4mir-audio"])?;
    match python {
        Some(python) => {
            let python = python.to_str().ok_or_else(|| anyhow::anyhow!("the --python path is not UTF-8"))?;
            run_command(python, &["crates/audio/benches/compare_librosa.py"])
        }
        None => {
            println!(
                "(add --python /path/to/python-with-librosa for the side-by-side table; see BENCHMARKS.md)"
            );
            Ok(())
        }
    }
}
