//! The solutions of "More exercises" 1-3: each a variant of one of the three models,
//! trained on the same notes by the same loop (`--exercise-variants`), and each checked to
//! learn by a test (`tests/learning.rs`). Exercise 4 is a flag: `--labels type`.

use crate::cnn::Cnn;
use crate::compare::{Batches, Outcome, fit};
use crate::gru::GruClassifier;
use crate::training::Settings;
use crate::transformer::AttentionClassifier;
use burn::prelude::Device;
use dl4mir_train::seed_everything;

/// The three variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Exercise 1: the CNN without its third block (16 and 32 channels).
    CnnTwoBlocks,
    /// Exercise 2: the GRU classifying from its last state, not the mean over time.
    GruLastState,
    /// Exercise 3: the transformer without positional encoding.
    AttentionNoPositions,
}

impl Variant {
    pub const ALL: [Variant; 3] =
        [Variant::CnnTwoBlocks, Variant::GruLastState, Variant::AttentionNoPositions];

    pub fn name(self) -> &'static str {
        match self {
            Variant::CnnTwoBlocks => "cnn_two_blocks",
            Variant::GruLastState => "gru_last_state",
            Variant::AttentionNoPositions => "attention_no_positions",
        }
    }

    /// The model it changes, whose learning rate it keeps.
    pub fn architecture(self) -> crate::compare::Architecture {
        use crate::compare::Architecture;
        match self {
            Variant::CnnTwoBlocks => Architecture::Cnn,
            Variant::GruLastState => Architecture::Gru,
            Variant::AttentionNoPositions => Architecture::Attention,
        }
    }
}

// ANCHOR: variants
/// Train `variant` from `seed` on `batches` and test it, as `compare::train_and_test`
/// does for the three models.
pub fn train_variant(
    variant: Variant,
    batches: &Batches,
    settings: Settings,
    (device, seed): (&Device, u64),
) -> anyhow::Result<Outcome> {
    let (mels, classes) = (crate::features::N_MELS, batches.classes);
    let run = (device, seed_everything(device, seed));
    Ok(match variant {
        // Two blocks: the receptive field shrinks from 22 to 10 cells.
        Variant::CnnTwoBlocks => {
            fit(Cnn::with_widths(&[1, 16, 32], classes, device), batches, settings, run)?.0
        }
        // The state after the last frame, when most notes have decayed to their tail.
        Variant::GruLastState => {
            fit(
                GruClassifier::from_last_state(mels, 64, classes, device),
                batches,
                settings,
                run,
            )?
            .0
        }
        // No positions: attention and the mean over frames are blind to the order of frames.
        Variant::AttentionNoPositions => {
            let model =
                AttentionClassifier::without_positions(mels, 64, 4, 2, classes, device);
            fit(model, batches, settings, run)?.0
        }
    })
}
// ANCHOR_END: variants
