//! Helpers for the labs' tests.

use std::path::{Path, PathBuf};

/// A fresh, empty folder under the system's temporary folder, named after the test and
/// this process (tests run in parallel). The test removes it when done.
pub fn fresh_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The real recordings in `../shared/egfxset/sample` (one clean note, two tape-echo notes,
/// cut to 1 s) and the metadata CSV, copied into `<home>/egfxset/`: a real EGFxSet as a
/// partial download leaves it, for testing `--dataset egfxset`.
pub fn partial_real_egfxset(home: &Path) -> std::io::Result<()> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/egfxset/sample");
    let root = dl4mir_datasets::egfxset_dir(home);
    for file in [
        "Clean/Middle/6-22.wav",
        "TapeEcho/Bridge/2-0.wav",
        "TapeEcho/Bridge-Middle/1-0.wav",
        "egfxset_metadata.csv",
    ] {
        std::fs::create_dir_all(root.join(file).parent().expect("files are in folders"))?;
        std::fs::copy(shared.join(file), root.join(file))?;
    }
    Ok(())
}
