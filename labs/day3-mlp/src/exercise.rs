//! The exercise, solved: what wider, deeper and dropout-regularised networks do on the
//! held-out string, and what a random split would have claimed.

use crate::model::MlpConfig;
use crate::notes::Notes;
use crate::split::{self, Split};
use crate::training::{self, Settings};
use burn::prelude::Device;
use dl4mir_train::seed_everything;

/// One variant of the notebook's network or of its split.
#[derive(Debug, Clone)]
pub struct Variant {
    pub name: &'static str,
    pub hidden: Vec<usize>,
    pub dropout: f64,
    /// Test on random notes of every string instead of the held-out string.
    pub random_split: bool,
}

// ANCHOR: variants
/// The notebook's network, then one change at a time.
pub fn variants() -> Vec<Variant> {
    let variant = |name, hidden: &[usize], dropout, random_split| Variant {
        name,
        hidden: hidden.to_vec(),
        dropout,
        random_split,
    };
    vec![
        variant("notebook: 64", &[64], 0.0, false),
        variant("wider: 256", &[256], 0.0, false),
        variant("deeper: 64-64", &[64, 64], 0.0, false),
        variant("dropout 0.5", &[64], 0.5, false),
        variant("random split", &[64], 0.0, true),
    ]
}
// ANCHOR_END: variants

/// Train one variant from the same seed and return its test accuracy.
pub fn test_accuracy(
    variant: &Variant,
    notes: &Notes,
    test_string: u8,
    settings: Settings,
    device: &Device,
    seed: u64,
) -> anyhow::Result<f64> {
    let by_string = split::by_string(&notes.strings, test_string, seed);
    let split: Split = if variant.random_split {
        split::random(notes.labels.len(), by_string.test.len(), seed)
    } else {
        by_string
    };
    let config =
        MlpConfig::new(notes.width, variant.hidden.clone(), notes.names.len()).with_dropout(variant.dropout);
    let (train, validation, test) = notes.batchers(&split, settings.batch_size)?;
    let rng = seed_everything(device, seed);
    let trained = training::train(&config, &train, &validation, settings, (device, rng), None)?;
    let predicted = training::predict(&trained.model, &test, device);
    Ok(dl4mir_eval::classification::accuracy(&notes.labels_of(&split.test), &predicted)?)
}
