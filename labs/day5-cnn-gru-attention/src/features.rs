//! The input of all three models: a log-mel spectrogram of each note's first two seconds.

use burn::prelude::Tensor;
use dl4mir_audio::feature::{MelSpectrogramParams, melspectrogram};
use dl4mir_audio::{DbParams, LoadParams, Ref, StftParams, power_to_db};
use dl4mir_datasets::{Track, cached_features};
use std::path::{Path, PathBuf};

// ANCHOR: settings
/// 22,050 Hz keeps everything up to 11 kHz, where a guitar's partials and a distortion's
/// added harmonics live; two seconds hold the attack, the decay and a delay's first echoes.
pub const SR: u32 = 22_050;
pub const SECONDS: f64 = 2.0;
/// 64 mel bands: fine enough to separate partials in the low range, few enough for a small
/// model; 1,024-sample frames (46 ms) every 512 samples (23 ms): 87 frames.
pub const N_MELS: usize = 64;
pub const N_FFT: usize = 1024;
pub const HOP: usize = 512;
// ANCHOR_END: settings

pub fn samples() -> usize {
    LogMel::DAY5.samples()
}

/// 1 + 44,100 / 512 = 87.
pub fn frames() -> usize {
    1 + samples() / HOP
}

/// `[64 x 87]` flattened band by band.
pub fn width() -> usize {
    N_MELS * frames()
}

/// The first [`width`] values of each row, back to spectrograms `[batch, mels, frames]`
/// (the rows may carry more: the exercise's descriptors follow the spectrogram).
pub fn spectrograms(rows: Tensor<2>) -> Tensor<3> {
    let batch = rows.dims()[0];
    rows.narrow(1, 0, width()).reshape([batch, N_MELS, frames()])
}

/// Mel power in dB relative to the note's loudest cell, floored at -80 dB, then scaled to
/// roughly [-1, 1] (`(dB + 40) / 40`), so every model sees inputs of the same size.
pub fn note_features(track: &Track) -> dl4mir_datasets::Result<Vec<f32>> {
    LogMel::DAY5.of(track)
}

/// The shape of a log-mel input: Day 5's, or a smaller one for a lab that trains more
/// models in its minute (Day 7).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogMel {
    pub sr: u32,
    pub seconds: f64,
    pub n_mels: usize,
    pub n_fft: usize,
    pub hop: usize,
}

impl LogMel {
    pub const DAY5: LogMel =
        LogMel { sr: SR, seconds: SECONDS, n_mels: N_MELS, n_fft: N_FFT, hop: HOP };

    pub fn samples(&self) -> usize {
        (self.seconds * self.sr as f64).round() as usize
    }

    pub fn frames(&self) -> usize {
        1 + self.samples() / self.hop
    }

    /// Values per note: `n_mels x frames`, band by band.
    pub fn width(&self) -> usize {
        self.n_mels * self.frames()
    }

    // ANCHOR: features
    /// One note's log-mel: mel power in dB relative to the note's loudest cell, floored at
    /// -80 dB, then scaled to roughly [-1, 1] (`(dB + 40) / 40`), so every model sees inputs
    /// of the same size.
    pub fn of(&self, track: &Track) -> dl4mir_datasets::Result<Vec<f32>> {
        let load = LoadParams { sr: Some(self.sr), offset: 0.0, duration: Some(self.seconds) };
        let (mut y, sr) = dl4mir_audio::load(&track.audio_path, &load)?;
        y.resize(self.samples(), 0.0);
        let params = MelSpectrogramParams {
            sr,
            stft: StftParams {
                n_fft: self.n_fft,
                hop_length: Some(self.hop),
                ..Default::default()
            },
            n_mels: self.n_mels,
            ..Default::default()
        };
        let db = power_to_db(
            &melspectrogram(&y, &params)?,
            &DbParams { reference: Ref::Max, ..Default::default() },
        )?;
        Ok(db.iter().map(|&v| (v + 40.0) / 40.0).collect())
    }
    // ANCHOR_END: features

    /// Every track's log-mel, cached in the data home under `lab` (a NumPy `.npy` file).
    pub fn matrix(
        &self,
        lab: &str,
        data_home: &Path,
        tracks: &[Track],
    ) -> anyhow::Result<(Vec<f32>, PathBuf)> {
        let LogMel { sr, seconds, n_mels, n_fft, hop } = *self;
        let settings = format!(
            "{lab} logmel sr={sr} s={seconds} n_mels={n_mels} n_fft={n_fft} hop={hop} db=max (x+40)/40"
        );
        Ok(cached_features(data_home, lab, &settings, tracks, self.width(), |t| self.of(t))?)
    }
}

/// Features of every track, cached in the data home (a NumPy `.npy` file).
pub fn matrix(data_home: &Path, tracks: &[Track]) -> anyhow::Result<(Vec<f32>, PathBuf)> {
    LogMel::DAY5.matrix("day5", data_home, tracks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_input_is_64_by_87() {
        assert_eq!((samples(), frames(), width()), (44_100, 87, 5_568));
    }
}
