//! Perceptual loudness per frame, as DDSP computes it and DDX7 feeds its decoder.
//!
//! | reference | here |
//! |---|---|
//! | `librosa.A_weighting(frequencies, min_db=-80)` | [`a_weighting`]`(&f, Some(-80.0))` |
//! | `ddsp.spectral_ops.compute_loudness` (DDSP 1.x, NumPy path), DDX7's `calc_loudness` | [`frame_loudness`] |
//!
//! DDSP 1.x (the version DDX7 copied) takes the *amplitude* STFT in dB, adds the A-weighting
//! curve, subtracts a reference of 20.7 dB, clamps at -80 dB and averages the bins **in dB**.
//! DDSP 3.x changed it (power, an average in linear power, then dB); the course follows
//! DDX7, so 1.x.

use crate::convert::fft_frequencies;
use crate::error::{Result, check_positive, valid_audio};
use crate::spectrum::{StftParams, magnitude, stft};

/// `librosa.A_weighting`: the IEC 61672 A-weighting curve in dB at each frequency (Hz),
/// clamped below at `min_db` (`None` leaves it unclamped: -inf at 0 Hz).
pub fn a_weighting(frequencies: &[f64], min_db: Option<f64>) -> Vec<f64> {
    // librosa's constants, squared: the four poles of the curve.
    let c = [12194.217f64, 20.598997, 107.65265, 737.86223].map(|v| v * v);
    frequencies
        .iter()
        .map(|&f| {
            let f_sq = f * f;
            let w = 2.0
                + 20.0
                    * (c[0].log10() + 2.0 * f_sq.log10()
                        - (f_sq + c[0]).log10()
                        - (f_sq + c[1]).log10()
                        - 0.5 * (f_sq + c[2]).log10()
                        - 0.5 * (f_sq + c[3]).log10());
            match min_db {
                Some(floor) => w.max(floor),
                None => w,
            }
        })
        .collect()
}

/// The settings of [`frame_loudness`]; `Default` is DDX7's (16 kHz, hop 64 = 250 frames/s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoudnessParams {
    pub sr: u32,
    pub n_fft: usize,
    pub hop_length: usize,
    /// Subtracted from the weighted dB (DDSP: "white noise of amplitude 1" reads ~0 dB).
    pub ref_db: f64,
    /// The floor is `-range_db`.
    pub range_db: f64,
}

impl Default for LoudnessParams {
    fn default() -> Self {
        Self { sr: 16_000, n_fft: 2048, hop_length: 64, ref_db: 20.7, range_db: 80.0 }
    }
}

/// Loudness in dB per frame (DDSP 1.x / DDX7): uncentred Hann frames, the signal zero-padded
/// at the end so that there are `ceil(len / hop)` of them, `20 log10 max(|X|, 1e-20)` plus
/// A-weighting minus `ref_db`, clamped at `-range_db`, averaged over the bins in dB.
///
/// DDX7 peak-normalises each recording before this; do that first for its numbers.
pub fn frame_loudness(y: &[f32], params: &LoudnessParams) -> Result<Vec<f32>> {
    valid_audio(y)?;
    let LoudnessParams { sr, n_fft, hop_length, ref_db, range_db } = *params;
    check_positive("sr", sr as usize)?;
    check_positive("hop_length", hop_length)?;
    let n_frames = y.len().div_ceil(hop_length);
    let mut padded = y.to_vec();
    padded.resize((n_frames.max(1) - 1) * hop_length + n_fft, 0.0);
    let spectrum = magnitude(&stft(
        &padded,
        &StftParams { n_fft, hop_length: Some(hop_length), center: false, ..Default::default() },
    )?);
    let weights = a_weighting(&fft_frequencies(sr as f64, n_fft), Some(-80.0));
    let loudness = spectrum
        .columns()
        .into_iter()
        .map(|column| {
            let sum: f64 = column
                .iter()
                .zip(&weights)
                .map(|(&a, w)| (20.0 * (a as f64).max(1e-20).log10() + w - ref_db).max(-range_db))
                .sum();
            (sum / column.len() as f64) as f32
        })
        .collect();
    Ok(loudness)
}
