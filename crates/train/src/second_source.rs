//! A second source of recordings for the tests: EGFxSet's layout, made by SoX
//! (`datasets/second-source/make.sh`) rather than by `dl4mir-datasets`' own generator, so a
//! lab tuned to that generator's sound fails its test.
//!
//! ```no_run
//! let home = dl4mir_train::second_source::second_source_home()?;
//! // pass `--dataset egfxset --data-home <home>` to a lab
//! # Ok::<(), anyhow::Error>(())
//! ```

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The data home holding the second source (`<home>/egfxset/...`), to pass as
/// `--data-home` with `--dataset egfxset`.
///
/// The set is made once per version of the script, under
/// `<target>/second-source/<hash of the script and the metadata CSV>/`, and reused after
/// (about 40 s and 750 MB on 2 cores). It is written into a temporary folder and renamed into
/// place, so test processes that ask at the same time each see a whole set or make their
/// own; the first rename wins and the others discard theirs. Threads of one process take
/// turns, so they share one copy.
///
/// # Errors
/// `sox` missing (with the `apt-get install sox` fix), or the script failing.
pub fn second_source_home() -> anyhow::Result<PathBuf> {
    // Tests on parallel threads of one process wait for one copy rather than make five.
    static MAKING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = MAKING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = workspace.join("datasets/second-source/make.sh");
    let csv = workspace.join("datasets/egfxset_metadata.csv");
    let mut inputs = std::fs::read(&script).with_context(|| format!("cannot read {}", script.display()))?;
    inputs.extend(std::fs::read(&csv).with_context(|| format!("cannot read {}", csv.display()))?);
    let version = &dl4mir_datasets::checksum::md5_bytes(&inputs)[..12];

    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace.join("target"), PathBuf::from);
    let home = target.join("second-source").join(version);
    if home.join("egfxset").is_dir() {
        return Ok(home);
    }
    if Command::new("sox").arg("--version").output().is_err() {
        bail!("the second source needs SoX, which is not installed: `apt-get install sox` (CI installs it)");
    }

    // Made beside its final place, so the rename stays on one file system.
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let partial = target.join("second-source").join(format!("{version}.part-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
    let status = Command::new("bash")
        .arg(&script)
        .arg(&partial)
        .status()
        .with_context(|| format!("cannot run {}", script.display()))?;
    if !status.success() {
        let _ = std::fs::remove_dir_all(&partial);
        bail!("{} failed ({status}); see its message above", script.display());
    }
    if std::fs::rename(&partial, &home).is_err() {
        // Another process renamed its own copy first: use that one.
        let _ = std::fs::remove_dir_all(&partial);
        anyhow::ensure!(
            home.join("egfxset").is_dir(),
            "cannot move {} to {}",
            partial.display(),
            home.display()
        );
    }
    Ok(home)
}
