//! Onset strength: how much louder each frame is than the one before, summed over mel
//! bands. The input to every tempo estimate (Day 10).
//!
//! Mirrors `librosa.onset.onset_strength` (librosa 0.11).

use crate::db::{DbParams, power_to_db};
use crate::error::{Result, check_positive};
use crate::feature::{MelSpectrogramParams, melspectrogram};
use crate::spectrum::StftParams;
use ndarray::Array2;

/// Parameters of [`onset_strength`], with librosa's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct OnsetParams {
    /// Sample rate (Hz). Default 22050.
    pub sr: u32,
    /// FFT size of the mel spectrogram. Default 2048.
    pub n_fft: usize,
    /// Hop between onset frames. Default 512 (23 ms at 22050 Hz).
    pub hop_length: usize,
    /// Number of mel bands. Default 128.
    pub n_mels: usize,
    /// Compare each frame with the one `lag` frames earlier. Default 1.
    pub lag: usize,
    /// Size of the maximum filter across bands applied to the reference (vibrato
    /// suppression, as in SuperFlux). Default 1 (off).
    pub max_size: usize,
    /// Shift the envelope so that onsets line up with centred frames. Default `true`.
    pub center: bool,
}

impl Default for OnsetParams {
    fn default() -> Self {
        Self { sr: 22050, n_fft: 2048, hop_length: 512, n_mels: 128, lag: 1, max_size: 1, center: true }
    }
}

/// Spectral-flux onset strength, one value per frame:
/// `o[t] = mean_m max(0, S[m, t] - ref[m, t - lag])` with `S` the mel power in dB
/// (ref 1.0, top_db 80), shifted right by `lag + n_fft / (2 hop_length)` frames when
/// centred and zero at the start.
///
/// # Errors
/// `lag` or `max_size` zero, and those of [`melspectrogram`].
///
/// Matches `librosa.onset.onset_strength(y=y, sr=sr)` with the same parameters (tested).
pub fn onset_strength(y: &[f32], params: &OnsetParams) -> Result<Vec<f32>> {
    check_positive("lag", params.lag)?;
    check_positive("max_size", params.max_size)?;
    let mel = melspectrogram(
        y,
        &MelSpectrogramParams {
            sr: params.sr,
            stft: StftParams {
                n_fft: params.n_fft,
                hop_length: Some(params.hop_length),
                ..Default::default()
            },
            n_mels: params.n_mels,
            ..Default::default()
        },
    )?;
    let s = power_to_db(&mel, &DbParams::default())?;
    let reference = if params.max_size == 1 { s.clone() } else { maximum_filter_bands(&s, params.max_size) };

    let (n_mels, n_frames) = s.dim();
    let mut pad = params.lag;
    if params.center {
        pad += params.n_fft / (2 * params.hop_length);
    }
    let mut envelope = vec![0.0f32; pad];
    for t in params.lag..n_frames {
        let flux: f64 =
            (0..n_mels).map(|m| (s[[m, t]] - reference[[m, t - params.lag]]).max(0.0) as f64).sum();
        envelope.push((flux / n_mels as f64) as f32);
    }
    if params.center {
        envelope.resize(n_frames, 0.0);
    }
    Ok(envelope)
}

/// Maximum over `size` neighbouring bands, centred, mirrored at the edges
/// (`scipy.ndimage.maximum_filter1d(S, size, axis=0)`, mode "reflect").
fn maximum_filter_bands(s: &Array2<f32>, size: usize) -> Array2<f32> {
    let n = s.nrows() as isize;
    let before = (size / 2) as isize;
    let mirror = |i: isize| -> usize {
        // scipy's "reflect" repeats the edge sample: (d c b a | a b c d | d c b a).
        let period = 2 * n;
        let m = i.rem_euclid(period);
        (if m < n { m } else { period - 1 - m }) as usize
    };
    Array2::from_shape_fn(s.dim(), |(m, t)| {
        (0..size as isize).map(|j| s[[mirror(m as isize - before + j), t]]).fold(f32::NEG_INFINITY, f32::max)
    })
}
