//! Windows and filter banks: `get_window`, the mel filter bank, `window_sumsquare`.
//!
//! Mirrors `librosa/filters.py`.

use crate::convert::{fft_frequencies, mel_frequencies};
use crate::error::{Result, check_positive, param_error};
use ndarray::Array2;

/// A window function, as named by `scipy.signal.get_window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Window {
    /// `"hann"`: `0.5 - 0.5 cos(2 pi n / N)`, librosa's default.
    #[default]
    Hann,
    /// `"hamming"`: `0.54 - 0.46 cos(2 pi n / N)`.
    Hamming,
    /// `"boxcar"` (rectangular): all ones.
    Boxcar,
}

/// The window of length `n`, *periodic* (`fftbins=True`), as librosa uses it for spectra:
/// the symmetric window of length `n + 1` without its last sample.
///
/// Matches `librosa.filters.get_window(window, n, fftbins=True)`, in double precision as
/// there: librosa multiplies float32 frames by this float64 window, so its STFT is computed
/// in double precision and only stored as complex64.
pub fn get_window(window: Window, n: usize) -> Vec<f64> {
    let cosine = |a: f64, b: f64| -> Vec<f64> {
        (0..n).map(|i| a - b * (2.0 * std::f64::consts::PI * i as f64 / n as f64).cos()).collect()
    };
    match window {
        Window::Hann => cosine(0.5, 0.5),
        Window::Hamming => cosine(0.54, 0.46),
        Window::Boxcar => vec![1.0; n],
    }
}

/// Centre `data` in a zero vector of length `size` (librosa's `util.pad_center`).
pub(crate) fn pad_center(data: &[f64], size: usize) -> Vec<f64> {
    let mut out = vec![0.0; size];
    let left = (size - data.len()) / 2;
    out[left..left + data.len()].copy_from_slice(data);
    out
}

/// The STFT window of `win_length` samples, zero-padded to `n_fft`, as `stft` applies it.
pub(crate) fn stft_window(window: Window, win_length: usize, n_fft: usize) -> Result<Vec<f64>> {
    check_positive("win_length", win_length)?;
    if win_length > n_fft {
        return Err(param_error!(
            "win_length={win_length} must be at most n_fft={n_fft}; lower win_length or raise n_fft"
        ));
    }
    Ok(pad_center(&get_window(window, win_length), n_fft))
}

/// Sum of the squared, overlapped windows of `n_frames` frames: what `istft` divides by.
///
/// Matches `librosa.filters.window_sumsquare(window=window, n_frames=n_frames,
/// hop_length=hop_length, win_length=win_length, n_fft=n_fft)`.
pub fn window_sumsquare(
    window: Window,
    n_frames: usize,
    hop_length: usize,
    win_length: usize,
    n_fft: usize,
) -> Result<Vec<f32>> {
    let win = stft_window(window, win_length, n_fft)?;
    let mut sum = vec![0.0f32; n_fft + hop_length * n_frames.saturating_sub(1)];
    for frame in 0..n_frames {
        let start = frame * hop_length;
        for (s, w) in sum[start..start + n_fft].iter_mut().zip(&win) {
            *s += (w * w) as f32;
        }
    }
    Ok(sum)
}

/// How each mel filter is scaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MelNorm {
    /// `norm="slaney"`: each triangle divided by its width in Hz (constant energy per band).
    #[default]
    Slaney,
    /// `norm=None`: triangles peak at 1.
    None,
}

/// Parameters of [`mel`], with librosa's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct MelFilterParams {
    /// Sample rate (Hz). Default 22050.
    pub sr: u32,
    /// FFT size the filters apply to. Default 2048 (93 ms at 22050 Hz).
    pub n_fft: usize,
    /// Number of mel bands. Default 128.
    pub n_mels: usize,
    /// Lowest edge (Hz). Default 0.
    pub fmin: f64,
    /// Highest edge (Hz). Default `None` = `sr / 2`.
    pub fmax: Option<f64>,
    /// HTK's mel formula instead of Slaney's. Default `false`.
    pub htk: bool,
    /// Band normalisation. Default [`MelNorm::Slaney`].
    pub norm: MelNorm,
}

impl Default for MelFilterParams {
    fn default() -> Self {
        Self { sr: 22050, n_fft: 2048, n_mels: 128, fmin: 0.0, fmax: None, htk: false, norm: MelNorm::Slaney }
    }
}

/// The mel filter bank: a `[n_mels, 1 + n_fft/2]` matrix of overlapping triangles that
/// turns an STFT power spectrum into a mel spectrum.
///
/// Row `m` rises linearly from mel frequency `m` to `m + 1` and falls to zero at `m + 2`
/// (of `n_mels + 2` frequencies evenly spaced in mel between `fmin` and `fmax`); with
/// Slaney normalisation it is scaled by `2 / (f[m+2] - f[m])`.
///
/// # Errors
/// `n_fft` or `n_mels` zero; `fmin` negative or not below `fmax`.
///
/// # Examples
/// ```
/// use dl4mir_audio::filters::{mel, MelFilterParams};
/// let bank = mel(&MelFilterParams { sr: 22050, n_fft: 2048, n_mels: 128, ..Default::default() })?;
/// assert_eq!(bank.dim(), (128, 1025));
/// # Ok::<(), dl4mir_audio::Error>(())
/// ```
///
/// Matches `librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax,
/// htk=htk, norm=norm)` to float32 precision (tested).
pub fn mel(params: &MelFilterParams) -> Result<Array2<f32>> {
    let MelFilterParams { sr, n_fft, n_mels, fmin, fmax, htk, norm } = *params;
    check_positive("n_fft", n_fft)?;
    check_positive("n_mels", n_mels)?;
    let fmax = fmax.unwrap_or(sr as f64 / 2.0);
    // Finite first: NaN passes every comparison below, and an infinite edge makes NaN filters.
    if !fmin.is_finite() || !fmax.is_finite() || fmin < 0.0 || fmin >= fmax {
        return Err(param_error!("fmin={fmin} must be >= 0 and below fmax={fmax}, both finite"));
    }
    let fft_freqs = fft_frequencies(sr as f64, n_fft);
    let mel_f = mel_frequencies(n_mels + 2, fmin, fmax, htk);
    let mut weights = Array2::<f32>::zeros((n_mels, fft_freqs.len()));
    for m in 0..n_mels {
        let (lo, centre, hi) = (mel_f[m], mel_f[m + 1], mel_f[m + 2]);
        let scale = match norm {
            MelNorm::Slaney => 2.0 / (hi - lo),
            MelNorm::None => 1.0,
        };
        for (k, &f) in fft_freqs.iter().enumerate() {
            let rising = (f - lo) / (centre - lo);
            let falling = (hi - f) / (hi - centre);
            // librosa stores the triangle in float32 first, then scales it: do the same, so
            // that the two banks agree to the bit.
            let triangle = rising.min(falling).max(0.0) as f32;
            weights[[m, k]] = (triangle as f64 * scale) as f32;
        }
    }
    Ok(weights)
}

/// A mel filter bank stored by the non-zero span of each filter, so that applying it costs
/// about two multiply-adds per FFT bin instead of `n_mels` (a speed-up of ~60x at 128 bands).
#[derive(Debug, Clone)]
pub(crate) struct SparseMelBank {
    /// `(first_bin, weights)` for each mel band.
    bands: Vec<(usize, Vec<f32>)>,
}

impl SparseMelBank {
    pub(crate) fn new(dense: &Array2<f32>) -> Self {
        let bands = dense
            .rows()
            .into_iter()
            .map(|row| {
                let first = row.iter().position(|&w| w != 0.0).unwrap_or(0);
                let last = row.iter().rposition(|&w| w != 0.0).map_or(first, |l| l + 1);
                (first, row.as_slice().expect("standard layout")[first..last].to_vec())
            })
            .collect();
        Self { bands }
    }

    pub(crate) fn n_mels(&self) -> usize {
        self.bands.len()
    }

    /// `out[m] = sum_k bank[m, k] * spectrum[k]`.
    pub(crate) fn apply(&self, spectrum: &[f32], out: &mut [f32]) {
        for ((first, w), o) in self.bands.iter().zip(out.iter_mut()) {
            *o = dot(w, &spectrum[*first..*first + w.len()]);
        }
    }
}

/// Dot product with eight independent partial sums. A plain `.sum()` must add in order
/// (floating-point addition is not associative), one dependent add after another; eight
/// lanes let the compiler use SIMD and the CPU overlap the additions.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (a_chunks, b_chunks) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a_chunks.remainder().iter().zip(b_chunks.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in a_chunks.zip(b_chunks) {
        for i in 0..8 {
            lanes[i] += x[i] * y[i];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periodic_hann_starts_at_zero_and_peaks_mid_frame() {
        let w = get_window(Window::Hann, 8);
        assert_eq!(w[0], 0.0);
        assert!((w[4] - 1.0).abs() < 1e-15);
        assert!((w[2] - 0.5).abs() < 1e-15);
    }

    #[test]
    fn sparse_bank_applies_like_the_dense_matrix() {
        let dense = mel(&MelFilterParams { n_mels: 40, n_fft: 512, ..Default::default() }).unwrap();
        let spectrum: Vec<f32> = (0..257).map(|k| ((k * 37 % 11) as f32).sqrt()).collect();
        let mut sparse_out = vec![0.0; 40];
        SparseMelBank::new(&dense).apply(&spectrum, &mut sparse_out);
        for (m, row) in dense.rows().into_iter().enumerate() {
            let expected: f32 = row.iter().zip(&spectrum).map(|(a, b)| a * b).sum();
            assert!((expected - sparse_out[m]).abs() <= 1e-5 * expected.abs().max(1.0));
        }
    }

    #[test]
    fn fmin_above_fmax_is_refused_with_both_values() {
        let err =
            mel(&MelFilterParams { fmin: 9000.0, fmax: Some(8000.0), ..Default::default() }).unwrap_err();
        assert_eq!(err.to_string(), "fmin=9000 must be >= 0 and below fmax=8000, both finite");
    }
}
