//! The network's input: a small mel spectrogram of each note, flattened.

use dl4mir_audio::feature::{MelSpectrogramParams, melspectrogram};
use dl4mir_audio::{DbParams, LoadParams, Ref, StftParams, power_to_db};
use dl4mir_datasets::{Track, cached_features};
use std::path::{Path, PathBuf};

/// The recordings' own rate: no resampling.
pub const SR: u32 = 48_000;
/// The notebook's excerpt: the first 4.9 s of each 5 s file.
pub const SECONDS: f64 = 4.9;
/// 32 mel bands up to 8 kHz, one frame per 4,096 samples (85 ms, no overlap).
pub const N_MELS: usize = 32;
pub const N_FFT: usize = 4096;
pub const HOP: usize = 4096;
pub const FMAX: f64 = 8000.0;

/// Samples in an excerpt (235,200).
pub fn samples() -> usize {
    (SECONDS * SR as f64).round() as usize
}

/// Frames of a centred STFT over the excerpt: 1 + 235,200 / 4,096 = 58.
pub fn frames() -> usize {
    1 + samples() / HOP
}

/// 32 x 58 = 1,856 inputs.
pub fn width() -> usize {
    N_MELS * frames()
}

// ANCHOR: features
/// Mel spectrogram in dB relative to its loudest cell (0 dB at the peak, -80 dB at the
/// floor), flattened band by band: `[32 x 58]` -> 1,856. Putting the inputs on one scale
/// is a separate step, chosen per run ([`crate::scaling`]).
pub fn note_features(track: &Track) -> dl4mir_datasets::Result<Vec<f32>> {
    let load = LoadParams { sr: Some(SR), offset: 0.0, duration: Some(SECONDS) };
    let (mut y, sr) = dl4mir_audio::load(&track.audio_path, &load)?;
    y.resize(samples(), 0.0); // a shorter file (a cut recording) is padded with silence
    let params = MelSpectrogramParams {
        sr,
        stft: StftParams { n_fft: N_FFT, hop_length: Some(HOP), ..Default::default() },
        n_mels: N_MELS,
        fmax: Some(FMAX),
        ..Default::default()
    };
    let db = power_to_db(
        &melspectrogram(&y, &params)?,
        &DbParams { reference: Ref::Max, ..Default::default() },
    )?;
    Ok(db.iter().copied().collect()) // row-major: band by band
}
// ANCHOR_END: features

/// Features of every track, from the cache in the data home if this selection and these
/// settings were seen before. Returns the rows and the cache file (a NumPy `.npy`).
pub fn matrix(data_home: &Path, tracks: &[Track]) -> anyhow::Result<(Vec<f32>, PathBuf)> {
    let settings = format!(
        "day3 mel sr={SR} s={SECONDS} n_mels={N_MELS} n_fft={N_FFT} hop={HOP} fmax={FMAX} db=max"
    );
    Ok(cached_features(data_home, "day3-mlp", &settings, tracks, width(), note_features)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_input_is_1856_wide_as_in_the_notebook() {
        assert_eq!((samples(), frames(), width()), (235_200, 58, 1856));
    }
}
