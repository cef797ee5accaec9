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
    (SECONDS * SR as f64).round() as usize
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

// ANCHOR: features
/// Mel power in dB relative to the note's loudest cell, floored at -80 dB, then scaled to
/// roughly [-1, 1] (`(dB + 40) / 40`), so every model sees inputs of the same size.
pub fn note_features(track: &Track) -> dl4mir_datasets::Result<Vec<f32>> {
    let load = LoadParams { sr: Some(SR), offset: 0.0, duration: Some(SECONDS) };
    let (mut y, sr) = dl4mir_audio::load(&track.audio_path, &load)?;
    y.resize(samples(), 0.0);
    let params = MelSpectrogramParams {
        sr,
        stft: StftParams { n_fft: N_FFT, hop_length: Some(HOP), ..Default::default() },
        n_mels: N_MELS,
        ..Default::default()
    };
    let db = power_to_db(
        &melspectrogram(&y, &params)?,
        &DbParams { reference: Ref::Max, ..Default::default() },
    )?;
    Ok(db.iter().map(|&v| (v + 40.0) / 40.0).collect())
}
// ANCHOR_END: features

/// Features of every track, cached in the data home (a NumPy `.npy` file).
pub fn matrix(data_home: &Path, tracks: &[Track]) -> anyhow::Result<(Vec<f32>, PathBuf)> {
    let settings = format!(
        "day5 logmel sr={SR} s={SECONDS} n_mels={N_MELS} n_fft={N_FFT} hop={HOP} db=max (x+40)/40"
    );
    Ok(cached_features(data_home, "day5", &settings, tracks, width(), note_features)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_input_is_64_by_87() {
        assert_eq!((samples(), frames(), width()), (44_100, 87, 5_568));
    }
}
