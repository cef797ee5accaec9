//! `cargo xtask bench`: criterion benchmarks, then the side-by-side comparisons with the
//! Python references when their interpreters are given.

use crate::run_command;
use std::path::Path;

pub fn run(librosa_python: Option<&Path>, torch_python: Option<&Path>) -> anyhow::Result<()> {
    run_command("cargo", &["bench", "-p", "dl4mir-audio"])?;
    let comparisons = [
        (librosa_python, "crates/audio/benches/compare_librosa.py", "--python /path/to/python-with-librosa"),
        (
            torch_python,
            "crates/train/benches/compare_pytorch.py",
            "--torch-python /path/to/python-with-torch",
        ),
    ];
    for (python, script, flag) in comparisons {
        match python {
            Some(python) => {
                let python = python
                    .to_str()
                    .ok_or_else(|| anyhow::anyhow!("the path {} is not UTF-8", python.display()))?;
                run_command(python, &[script])?;
            }
            None => println!("(add {flag} for the table of {script}; see BENCHMARKS.md)"),
        }
    }
    Ok(())
}
