//! The VAE's input and output: a magnitude spectrogram, flattened and scaled to peak 1.

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
    pub const FULL: Spectrogram = Spectrogram { sr: 48_000, seconds: 4.9, n_fft: 1024, hop: 512 };
    /// The default run's, about 30 times smaller so that a CPU trains it in a minute: the
    /// first 0.5 s at 16 kHz (up to 8 kHz, where a guitar's partials fade), n_fft 256,
    /// hop 128: 129 x 63 = 8,127 values.
    pub const DEFAULT: Spectrogram = Spectrogram { sr: 16_000, seconds: 0.5, n_fft: 256, hop: 128 };
    /// `--quick`: the first quarter second: 129 x 32 = 4,128 values.
    pub const QUICK: Spectrogram = Spectrogram { sr: 16_000, seconds: 0.25, n_fft: 256, hop: 128 };
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
        Array2::from_shape_vec((self.bins(), self.frames()), row.to_vec()).expect("a row is bins x frames")
    }

    /// Features of every track, cached in the data home.
    pub fn matrix(&self, data_home: &Path, tracks: &[Track]) -> anyhow::Result<(Vec<f32>, PathBuf)> {
        let settings = format!("day4 |stft|/max {self:?}");
        Ok(cached_features(data_home, "day4-vae", &settings, tracks, self.width(), |t| {
            self.note_features(t)
        })?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notebook_input_is_235980_wide() {
        assert_eq!((Spectrogram::FULL.bins(), Spectrogram::FULL.frames()), (513, 460));
        assert_eq!(Spectrogram::FULL.width(), 235_980);
        assert_eq!(Spectrogram::DEFAULT.width(), 8_127);
        assert_eq!(Spectrogram::QUICK.width(), 4_128);
    }
}
