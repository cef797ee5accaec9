//! Putting the 1,856 inputs on one scale before they reach the network.
//!
//! The notebook standardises each note's spectrogram over its own cells. That leaves every
//! input with the mean the notes share: the quiet floor, the bright first frames, the
//! loud low bands. The default here is Day 2's: each input standardised over the training
//! notes, so only what differs between notes is left (and the chapter shows what the shared
//! part does to the first steps of Adam).

use day2_regression::standardise::Standardiser;
use ndarray::Array2;

/// How the inputs are scaled (`--scaling`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scaling {
    /// Each input (one band in one frame) to mean 0 and standard deviation 1 over the
    /// training notes; validation and test notes with the training notes' mean and std.
    PerFeature,
    /// The notebook's: each note to mean 0 and standard deviation 1 over its own 1,856 cells.
    Notebook,
}

impl Scaling {
    /// How the summary and `metrics.json` name it.
    pub fn name(self) -> &'static str {
        match self {
            Scaling::PerFeature => "per feature (the training notes' mean and std)",
            Scaling::Notebook => "per spectrogram (the notebook's)",
        }
    }
}

// ANCHOR: scale
/// Every row of `features` (row-major, `width` columns) scaled as `scaling` says; the
/// per-feature statistics come from the rows `train` alone, so no validation or test note
/// leaks into them.
pub fn scale(
    features: &[f32],
    width: usize,
    train: &[usize],
    scaling: Scaling,
) -> anyhow::Result<Vec<f32>> {
    Ok(match scaling {
        Scaling::Notebook => features.chunks(width).flat_map(per_spectrogram).collect(),
        Scaling::PerFeature => {
            let as_matrix = |rows: Vec<f32>| {
                let n = rows.len() / width;
                Array2::from_shape_vec((n, width), rows.into_iter().map(f64::from).collect())
            };
            let training = as_matrix(dl4mir_train::select_rows(features, width, train))?;
            let standardiser = Standardiser::fit(&training);
            standardiser
                .transform(&as_matrix(features.to_vec())?)
                .iter()
                .map(|&v| v as f32)
                .collect()
        }
    })
}
// ANCHOR_END: scale

/// `(x - mean) / std` over one spectrogram; a silent note (std 0) becomes all zeros.
fn per_spectrogram(values: &[f32]) -> Vec<f32> {
    let n = values.len() as f64;
    let mean = values.iter().map(|&v| v as f64).sum::<f64>() / n;
    let std = (values.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n).sqrt();
    let scale = if std > 0.0 { 1.0 / std } else { 0.0 };
    values.iter().map(|&v| ((v as f64 - mean) * scale) as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spectrogram_is_standardised_over_its_own_cells() {
        let z = per_spectrogram(&(0..100).map(|i| (i as f32).sqrt()).collect::<Vec<_>>());
        let mean = z.iter().sum::<f32>() / 100.0;
        let var = z.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / 100.0;
        assert!(mean.abs() < 1e-5 && (var - 1.0).abs() < 1e-4);
        assert!(per_spectrogram(&[3.0; 4]).iter().all(|&v| v == 0.0));
    }

    #[test]
    fn per_feature_statistics_come_from_the_training_rows_only() {
        // Three rows of two features; rows 0 and 1 train, row 2 is far away.
        let features = [1.0, 10.0, 3.0, 10.0, 100.0, 10.0];
        let z = scale(&features, 2, &[0, 1], Scaling::PerFeature).unwrap();
        assert_eq!(&z[..4], &[-1.0, 0.0, 1.0, 0.0], "a constant feature stays finite (0)");
        assert!(
            (z[4] - 98.0).abs() < 1e-4,
            "the test row uses the training mean and std: {}",
            z[4]
        );
    }
}
