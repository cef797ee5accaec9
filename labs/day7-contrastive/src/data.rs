//! The clips, their facts and log-mels, and the split: Day 5's (the held-out string tests,
//! one note in ten of the others validates), so that Day 5's supervised CNN can be trained
//! on exactly the same notes.

use crate::captions::Facts;
use burn::prelude::*;
use burn::tensor::TensorData;
use day5_cnn_gru_attention::data::split_by_string;
use day5_cnn_gru_attention::features::LogMel;
use dl4mir_datasets::{IfMissing, Track, effect_classes, open_classes};
use dl4mir_train::CommonArgs;

// ANCHOR: log_mel
/// Smaller than Day 5's 64 x 87 (a quarter of the cells): this lab trains four audio
/// encoders in its minute and a half. One second at 16 kHz still holds a delay's first
/// echo (120 bpm: 0.5 s) and the start of a reverb's tail.
pub const LOG_MEL: LogMel =
    LogMel { sr: 16_000, seconds: 1.0, n_mels: 32, n_fft: 1024, hop: 512 };
// ANCHOR_END: log_mel

pub struct Clips {
    pub tracks: Vec<Track>,
    pub facts: Vec<Facts>,
    /// The effect's class index (Day 5's 13 classes).
    pub labels: Vec<usize>,
    /// `[clips x LOG_MEL.width()]`.
    pub features: Vec<f32>,
    pub train: Vec<usize>,
    pub validation: Vec<usize>,
    pub test: Vec<usize>,
}

impl Clips {
    pub fn load(
        args: &CommonArgs,
        per_class: Option<usize>,
        test_string: u8,
    ) -> anyhow::Result<Self> {
        let home = args.data_home();
        let (tracks, labels) = open_classes(
            args.dataset,
            &home,
            &effect_classes(),
            per_class,
            args.seed,
            IfMissing::Stop,
        )?;
        let (features, _) = LOG_MEL.matrix("day7", &home, &tracks)?;
        let (train, validation, test) = split_by_string(&tracks, test_string);
        anyhow::ensure!(
            !test.is_empty() && train.len() >= 8 && !validation.is_empty(),
            "too few notes to train, validate and test on string {test_string} ({} notes in all); \
             use more notes (leave out --quick) or another --test-string",
            tracks.len()
        );
        let facts = tracks.iter().map(Facts::of).collect();
        Ok(Self { tracks, facts, labels, features, train, validation, test })
    }

    /// The log-mels of `indices`, `[n, mels, frames]`.
    pub fn log_mels(&self, indices: &[usize], device: &Device) -> Tensor<3> {
        let width = LOG_MEL.width();
        let rows = dl4mir_train::select_rows(&self.features, width, indices);
        Tensor::from_data(
            TensorData::new(rows, [indices.len(), LOG_MEL.n_mels, LOG_MEL.frames()]),
            device,
        )
    }
}
