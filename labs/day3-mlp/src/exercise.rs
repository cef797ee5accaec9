//! The exercise, solved: what the notebook's scaling, wider, deeper and
//! dropout-regularised networks do on the held-out string, and what a random split would
//! have claimed.

use crate::model::MlpConfig;
use crate::notes::Notes;
use crate::scaling::Scaling;
use crate::split::{self, Split};
use crate::training::{self, NOTEBOOK_LR, Settings};
use burn::prelude::Device;
use dl4mir_train::seed_everything;

/// One variant of the lab's network, of its inputs or of its split.
#[derive(Debug, Clone)]
pub struct Variant {
    pub name: &'static str,
    /// Its key in `metrics.json` (`metrics.exercise_<key>`).
    pub key: &'static str,
    pub hidden: Vec<usize>,
    pub dropout: f64,
    pub scaling: Scaling,
    /// A learning rate of its own (else the run's).
    pub lr: Option<f64>,
    /// Test on random notes of every string instead of the held-out string.
    pub random_split: bool,
}

// ANCHOR: variants
/// The lab's network (`--hidden 64`, per-feature scaling), then one change at a time.
pub fn variants() -> Vec<Variant> {
    let lab = Variant {
        name: "",
        key: "",
        hidden: vec![64],
        dropout: 0.0,
        scaling: Scaling::PerFeature,
        lr: None,
        random_split: false,
    };
    vec![
        Variant {
            name: "notebook scaling",
            key: "notebook_scaling",
            scaling: Scaling::Notebook,
            lr: Some(NOTEBOOK_LR),
            ..lab.clone()
        },
        Variant { name: "wider: 256", key: "wider_256", hidden: vec![256], ..lab.clone() },
        Variant {
            name: "deeper: 64-64",
            key: "deeper_64_64",
            hidden: vec![64, 64],
            ..lab.clone()
        },
        Variant { name: "dropout 0.5", key: "dropout_0_5", dropout: 0.5, ..lab.clone() },
        Variant { name: "random split", key: "random_split", random_split: true, ..lab },
    ]
}
// ANCHOR_END: variants

/// What one variant's training gave.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    pub test_accuracy: f64,
    /// Mean training loss over the first epoch (ln 2 = 0.693 is where two classes start).
    pub first_epoch_loss: f32,
    /// First-layer units that output 0 for every training note, once trained.
    pub dead_units: usize,
}

/// Train one variant from the same seed.
pub fn train_variant(
    variant: &Variant,
    notes: &Notes,
    test_string: u8,
    settings: Settings,
    device: &Device,
    seed: u64,
) -> anyhow::Result<Outcome> {
    let by_string = split::by_string(&notes.strings, test_string, seed);
    let split: Split = if variant.random_split {
        split::random(notes.labels.len(), by_string.test.len(), seed)
    } else {
        by_string
    };
    let config = MlpConfig::new(notes.width, variant.hidden.clone(), notes.names.len())
        .with_dropout(variant.dropout);
    let (train, validation, test) =
        notes.batchers(&split, settings.batch_size, variant.scaling)?;
    let settings = Settings { lr: variant.lr.unwrap_or(settings.lr), ..settings };
    let rng = seed_everything(device, seed);
    let trained =
        training::train(&config, &train, &validation, settings, (device, rng), None)?;
    let predicted = training::predict(&trained.model, &test, device);
    Ok(Outcome {
        test_accuracy: dl4mir_eval::classification::accuracy(
            &notes.labels_of(&split.test),
            &predicted,
        )?,
        first_epoch_loss: trained.losses.epochs[0],
        dead_units: training::dead_units(&trained.model, &train, device),
    })
}
