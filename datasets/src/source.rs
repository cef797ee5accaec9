//! `--dataset synth|egfxset`, resolved in one place that every lab calls.

use crate::egfxset::Egfxset;
use crate::error::Result;
use crate::synth::{SynthOptions, SynthOutcome, generate};
use std::path::Path;

/// Which EGFxSet a lab trains on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DatasetChoice {
    /// The synthetic twin, generated offline on first use (`<data_home>/egfxset-synth`).
    #[default]
    Synth,
    /// The real recordings (`<data_home>/egfxset`), fetched with `download`.
    Egfxset,
}

/// Open the chosen dataset under `data_home`; the synthetic one is made first if needed,
/// with a one-line explanation and a progress bar.
pub fn open_dataset(choice: DatasetChoice, data_home: &Path, synth: &SynthOptions) -> Result<Egfxset> {
    match choice {
        DatasetChoice::Egfxset => Egfxset::initialize(data_home),
        DatasetChoice::Synth => {
            let root = synth_dir(data_home);
            if !root.join(crate::synth::SYNTH_MARKER_FILE).exists() {
                eprintln!(
                    "making the synthetic EGFxSet in {} (once; later runs reuse it; use --dataset egfxset for the real one)",
                    root.display()
                );
            }
            if let SynthOutcome::Generated { tracks } = generate(&root, synth)? {
                eprintln!("made {tracks} synthetic recordings");
            }
            Egfxset::open(&root)
        }
    }
}

/// Where the synthetic set lives under a data home.
pub fn synth_dir(data_home: &Path) -> std::path::PathBuf {
    data_home.join("egfxset-synth")
}
