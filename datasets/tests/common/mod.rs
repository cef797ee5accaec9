//! Where the tests find the three real EGFxSet recordings: committed under
//! `tests/fixtures/egfxset-sample` (see its README.md for source, licence and the cut).
#![allow(dead_code)] // each test file uses a different part

use std::path::PathBuf;

/// The committed sample in the real layout: three 1 s recordings and the metadata CSV.
pub fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/egfxset-sample")
}

/// The sample files in the dataset's layout, relative to [`sample_dir`].
pub const SAMPLE_WAVS: [&str; 3] =
    ["Clean/Middle/6-22.wav", "TapeEcho/Bridge/2-0.wav", "TapeEcho/Bridge-Middle/1-0.wav"];

/// A file of the course's optional `../shared/egfxset` folder, if it is beside the
/// repository; no test needs it, some compare against it when it is there.
pub fn optional_shared(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/egfxset").join(relative);
    path.exists().then_some(path)
}
