//! The VAEs' input and output: a magnitude spectrogram, flattened and scaled to peak 1 (the
//! notebook's), and the same in standardised dB (the default VAE's).

use dl4mir_audio::{LoadParams, StftParams, magnitude, stft};
use dl4mir_datasets::{Track, cached_features};
use ndarray::Array2;
use std::path::{Path, PathBuf};

/// How a note becomes a spectrogram.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Spectrogram {
    /// Sample rate the note is read at (resampled if not 48 kHz).
    pub sr: u32,
    /// The excerpt: the first `seconds` of the note.
    pub seconds: f64,
    pub n_fft: usize,
    pub hop: usize,
}

// ANCHOR: settings
impl Spectrogram {
    /// The notebook's: 4.9 s at 48 kHz, n_fft 1024, hop 512: 513 x 460 = 235,980 values.
    pub const FULL: Spectrogram =
        Spectrogram { sr: 48_000, seconds: 4.9, n_fft: 1024, hop: 512 };
    /// The default run's: the first 1.5 s at 8 kHz, n_fft 512, hop 256: 257 x 47 = 12,079
    /// values. 1.5 s holds a delay's first two repeats (at 0.5 s and 1 s); 8 kHz keeps every
    /// fundamental and its first harmonics (a guitar's highest fundamental is near 1.2 kHz)
    /// but drops what lies above 4 kHz; 15.6 Hz bins resolve the partials of the lowest note
    /// (82 Hz apart).
    pub const DEFAULT: Spectrogram =
        Spectrogram { sr: 8_000, seconds: 1.5, n_fft: 512, hop: 256 };
    /// `--quick`: the first 0.75 s at 8 kHz, n_fft 256, hop 128: 129 x 47 = 6,063 values.
    pub const QUICK: Spectrogram =
        Spectrogram { sr: 8_000, seconds: 0.75, n_fft: 256, hop: 128 };
    // ANCHOR_END: settings

    pub fn samples(&self) -> usize {
        (self.seconds * self.sr as f64).round() as usize
    }

    /// Frequency rows: 1 + n_fft / 2.
    pub fn bins(&self) -> usize {
        self.n_fft / 2 + 1
    }

    /// Frames of a centred STFT: 1 + samples / hop.
    pub fn frames(&self) -> usize {
        1 + self.samples() / self.hop
    }

    /// The flattened length, the VAE's `n_inputs`.
    pub fn width(&self) -> usize {
        self.bins() * self.frames()
    }

    pub fn stft_params(&self) -> StftParams {
        StftParams { n_fft: self.n_fft, hop_length: Some(self.hop), ..Default::default() }
    }

    // ANCHOR: features
    /// `|STFT|` of the excerpt divided by its largest value, flattened row by row.
    pub fn note_features(&self, track: &Track) -> dl4mir_datasets::Result<Vec<f32>> {
        let load = LoadParams { sr: Some(self.sr), offset: 0.0, duration: Some(self.seconds) };
        let (mut y, _) = dl4mir_audio::load(&track.audio_path, &load)?;
        y.resize(self.samples(), 0.0); // a shorter file is padded with silence
        let mut s = magnitude(&stft(&y, &self.stft_params())?);
        let peak = s.fold(0.0f32, |m, &v| m.max(v));
        if peak > 0.0 {
            s /= peak;
        }
        Ok(s.iter().copied().collect())
    }
    // ANCHOR_END: features

    /// A flattened row back to `[bins, frames]`.
    pub fn unflatten(&self, row: &[f32]) -> Array2<f32> {
        Array2::from_shape_vec((self.bins(), self.frames()), row.to_vec())
            .expect("a row is bins x frames")
    }

    /// Features of every track, cached in the data home.
    pub fn matrix(
        &self,
        data_home: &Path,
        tracks: &[Track],
    ) -> anyhow::Result<(Vec<f32>, PathBuf)> {
        let settings = format!("day4 |stft|/max {self:?}");
        Ok(cached_features(data_home, "day4-vae", &settings, tracks, self.width(), |t| {
            self.note_features(t)
        })?)
    }
}

// ANCHOR: decibels
/// The default VAE's input: each value of a `|STFT| / max` row in dB, floored at -80 dB,
/// then standardised value by value with the training notes' mean and standard deviation
/// (as Day 2 standardises its features), so that every input has mean 0 and spread 1.
#[derive(Debug, Clone)]
pub struct Decibels {
    mean: Vec<f32>,
    std: Vec<f32>,
}

/// The floor of the dB scale: a ReLU's exact zero and a silent bin both map here.
pub const FLOOR_DB: f32 = -80.0;

/// `20 log10(max(magnitude, 10^(-80/20)))`: dB relative to the spectrogram's peak.
pub fn to_db(magnitude: f32) -> f32 {
    20.0 * magnitude.max(1e-4).log10()
}

impl Decibels {
    /// Mean and spread of every value over the `rows` of `features` (`width` values each);
    /// a spread under 1 dB counts as 1 dB (a value that is always at the floor stays near 0).
    pub fn fit(features: &[f32], width: usize, rows: &[usize]) -> Self {
        let (mut mean, mut square) = (vec![0.0f64; width], vec![0.0f64; width]);
        for &r in rows {
            for (j, &v) in features[r * width..(r + 1) * width].iter().enumerate() {
                let db = to_db(v) as f64;
                mean[j] += db;
                square[j] += db * db;
            }
        }
        let n = rows.len().max(1) as f64;
        let std = mean
            .iter()
            .zip(&square)
            .map(|(m, s)| ((s / n - (m / n).powi(2)).max(0.0).sqrt().max(1.0)) as f32);
        Decibels { std: std.collect(), mean: mean.iter().map(|m| (m / n) as f32).collect() }
    }

    /// A `|STFT| / max` row to standardised dB.
    pub fn encode(&self, row: &[f32]) -> Vec<f32> {
        row.iter()
            .zip(self.mean.iter().zip(&self.std))
            .map(|(&v, (m, s))| (to_db(v) - m) / s)
            .collect()
    }

    /// Standardised dB back to dB (floored at -80 dB).
    pub fn decode_db(&self, row: &[f32]) -> Vec<f32> {
        row.iter()
            .zip(self.mean.iter().zip(&self.std))
            .map(|(&z, (m, s))| (z * s + m).max(FLOOR_DB))
            .collect()
    }

    /// Standardised dB back to a magnitude relative to the peak, for Griffin-Lim.
    pub fn decode(&self, row: &[f32]) -> Vec<f32> {
        self.decode_db(row).iter().map(|db| 10f32.powf(db / 20.0)).collect()
    }

    /// The mean training spectrogram in dB: the trivial baseline's "reconstruction".
    pub fn mean_db(&self) -> &[f32] {
        &self.mean
    }
}
// ANCHOR_END: decibels

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notebook_input_is_235980_wide() {
        assert_eq!((Spectrogram::FULL.bins(), Spectrogram::FULL.frames()), (513, 460));
        assert_eq!(Spectrogram::FULL.width(), 235_980);
        assert_eq!(Spectrogram::DEFAULT.width(), 12_079);
        assert_eq!(Spectrogram::QUICK.width(), 6_063);
    }

    #[test]
    fn decibels_standardise_and_come_back() {
        let features = [1.0, 0.1, 1e-6, 0.5, 0.01, 1e-6];
        let db = Decibels::fit(&features, 3, &[0, 1]);
        let z = db.encode(&features[..3]);
        assert!((z[0] - 1.0).abs() < 1e-5 && (z[1] - 1.0).abs() < 1e-5, "{z:?}");
        assert_eq!(z[2], 0.0, "a value always at the floor stays at 0");
        let back = db.decode(&z);
        assert!((back[0] - 1.0).abs() < 1e-4 && (back[1] - 0.1).abs() < 1e-5, "{back:?}");
    }
}
