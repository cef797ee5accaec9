//! Helpers for the labs' tests.

use std::path::{Path, PathBuf};

/// A fresh, empty folder under the system's temporary folder, named after the test and
/// this process (tests run in parallel). The test removes it when done.
pub fn fresh_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The flags of a lab's `--quick` test run with seed 42, writing into `out` and reading
/// its synthetic data from `data_home` (tests keep one under `CARGO_TARGET_TMPDIR`, so the
/// notes are made once and reused).
pub fn quick_args(lab: &str, out: &Path, data_home: &Path) -> Vec<String> {
    let (out, home) = (out.display().to_string(), data_home.display().to_string());
    [lab, "--quick", "--seed", "42", "--out", &out, "--data-home", &home].map(String::from).to_vec()
}

/// Panic, naming the file, unless every figure exists in `out` as a non-trivial PNG and SVG.
pub fn assert_figures(out: &Path, figures: &[&str]) {
    for figure in figures {
        for ext in ["png", "svg"] {
            let path = out.join(format!("{figure}.{ext}"));
            assert!(path.metadata().is_ok_and(|m| m.len() > 1000), "{} is missing or empty", path.display());
        }
    }
}

/// The real recordings committed in `datasets/tests/fixtures/egfxset-sample` (one clean
/// note, two tape-echo notes, cut to 1 s) and the metadata CSV, copied into
/// `<home>/egfxset/`: a real EGFxSet as a partial download leaves it, for testing
/// `--dataset egfxset`.
pub fn partial_real_egfxset(home: &Path) -> std::io::Result<()> {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/tests/fixtures/egfxset-sample");
    let root = dl4mir_datasets::egfxset_dir(home);
    for file in [
        "Clean/Middle/6-22.wav",
        "TapeEcho/Bridge/2-0.wav",
        "TapeEcho/Bridge-Middle/1-0.wav",
        "egfxset_metadata.csv",
    ] {
        std::fs::create_dir_all(root.join(file).parent().expect("files are in folders"))?;
        std::fs::copy(sample.join(file), root.join(file))?;
    }
    Ok(())
}

/// burn's random generator is one per process, so two trainings on parallel test threads
/// would interleave their draws and neither would be reproducible. A test that trains holds
/// this turn while it does: `let _turn = one_at_a_time();`.
pub fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static TRAINING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    TRAINING.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The number at `path` in a lab's metrics (panics, naming the path, if there is none).
pub fn number(metrics: &serde_json::Value, path: &[&str]) -> f64 {
    path.iter()
        .fold(metrics, |v, key| &v[*key])
        .as_f64()
        .unwrap_or_else(|| panic!("{path:?} is not a number"))
}

/// `value` without the entries named `keys`, at any depth: what a clock measured, kept out
/// of a snapshot (training seconds, real-time factors).
pub fn without_keys(mut value: serde_json::Value, keys: &[&str]) -> serde_json::Value {
    match &mut value {
        serde_json::Value::Object(map) => {
            map.retain(|key, _| !keys.contains(&key.as_str()));
            for v in map.values_mut() {
                *v = without_keys(v.take(), keys);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| *v = without_keys(v.take(), keys)),
        _ => {}
    }
    value
}
