//! The exercise, solved: does a second stream of features (Day 1's spectral descriptors)
//! help the GRU when joined to its embedding? Same notes, same seeds, same training; only
//! the head's input differs.

use crate::compare::{Outcome, fit};
use crate::data::Data;
use crate::descriptors;
use crate::gru::GruClassifier;
use crate::training::Settings;
use burn::prelude::Device;
use dl4mir_train::{CommonArgs, seed_everything};

// ANCHOR: exercise
/// The GRU with the descriptors beside its embedding, trained from each seed and tested.
pub fn gru_with_descriptors(
    data: &Data,
    args: &CommonArgs,
    settings: Settings,
    device: &Device,
    seeds: &[u64],
) -> anyhow::Result<Vec<Outcome>> {
    let extra = data.descriptors(args)?;
    let batches = data.batches(settings.batch_size, Some(&extra))?;
    let (mels, classes) = (crate::features::N_MELS, data.class_count);
    seeds
        .iter()
        .map(|&seed| {
            let model = GruClassifier::with_extra_features(
                mels,
                64,
                descriptors::COUNT,
                classes,
                device,
            );
            Ok(fit(model, &batches, settings, (device, seed_everything(device, seed)))?.0)
        })
        .collect()
}
// ANCHOR_END: exercise
