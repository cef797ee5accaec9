//! The exercise's second stream: Day 1's six spectral descriptors (centroid, bandwidth,
//! roll-off, flatness, zero-crossing rate, RMS; mean and spread over frames), computed by
//! Day 1's own code on its own excerpt (the first half second at 8 kHz).
//!
//! They play the part of Ellie Abrams's cognitive features: a few numbers made by another
//! route than the network's, joined to what the network learned.

use day1_pca::features::{FeatureSet, compute, excerpt};
use dl4mir_datasets::{Track, cached_features};
use std::path::Path;

/// Numbers per clip.
pub const COUNT: usize = 12;

/// The descriptors of every track, `[tracks x 12]`, cached in the data home.
pub fn matrix(data_home: &Path, tracks: &[Track]) -> anyhow::Result<Vec<f32>> {
    let settings = "day1 spectral descriptors: 8 kHz, 0.5 s, n_fft 512, hop 128, mean and std";
    let (values, _) =
        cached_features(data_home, "day5-descriptors", settings, tracks, COUNT, |track| {
            // Day 1's functions report with anyhow; the cache wants the datasets' error type.
            let as_audio_error =
                |e: anyhow::Error| dl4mir_audio::Error::Parameter(format!("{e:#}"));
            let y = excerpt(track).map_err(as_audio_error)?;
            let row = compute(FeatureSet::Spectral, &y).map_err(as_audio_error)?;
            Ok(row.into_iter().map(|v| v as f32).collect())
        })?;
    Ok(values)
}

// ANCHOR: standardise
/// Each descriptor rescaled to mean 0 and standard deviation 1 over the training rows
/// (centroids in hertz beside flatness in [0, 1] would otherwise swamp the head), in place.
pub fn standardise(values: &mut [f32], train_rows: &[usize]) {
    for column in 0..COUNT {
        let of_train: Vec<f64> =
            train_rows.iter().map(|&r| values[r * COUNT + column] as f64).collect();
        let mean = of_train.iter().sum::<f64>() / of_train.len().max(1) as f64;
        let var = of_train.iter().map(|v| (v - mean).powi(2)).sum::<f64>()
            / of_train.len().max(1) as f64;
        let std = var.sqrt().max(1e-12);
        for row in values.chunks_mut(COUNT) {
            row[column] = ((row[column] as f64 - mean) / std) as f32;
        }
    }
}
// ANCHOR_END: standardise

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardised_on_the_training_rows_only() {
        // Two training rows (0, 1) and one test row (2) far away.
        let mut values: Vec<f32> =
            [1.0, 3.0, 100.0].iter().flat_map(|&v| [v; COUNT]).collect();
        standardise(&mut values, &[0, 1]);
        assert_eq!(&values[..2 * COUNT], &[[-1.0; COUNT], [1.0; COUNT]].concat());
        assert!((values[2 * COUNT] - 98.0).abs() < 1e-4, "{}", values[2 * COUNT]);
    }
}
