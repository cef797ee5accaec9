//! Spectral features: mel spectrogram, MFCC, RMS, zero-crossing rate, centroid, bandwidth,
//! roll-off, flatness. Mirrors `librosa/feature/spectral.py`.

use crate::convert::fft_frequencies;
use crate::db::{DbParams, power_to_db};
use crate::error::{Result, check_positive, param_error, valid_audio};
use crate::filters::{MelFilterParams, MelNorm, SparseMelBank, mel};
use crate::power_frames::PowerFrames;
use crate::spectrum::{PadMode, StftParams, padded_sample};
use ndarray::{Array2, Axis, ShapeBuilder};

/// Parameters of [`melspectrogram`], with librosa's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct MelSpectrogramParams {
    /// Sample rate of `y` (Hz). Default 22050.
    pub sr: u32,
    /// The STFT underneath. Default: `n_fft` 2048, hop 512, Hann, centred, zero padding.
    pub stft: StftParams,
    /// Exponent of the magnitude: 2.0 power (default), 1.0 energy.
    pub power: f32,
    /// Number of mel bands. Default 128.
    pub n_mels: usize,
    /// Lowest band edge (Hz). Default 0.
    pub fmin: f64,
    /// Highest band edge (Hz). Default `None` = `sr / 2`.
    pub fmax: Option<f64>,
    /// HTK mel formula. Default `false` (Slaney).
    pub htk: bool,
    /// Filter normalisation. Default Slaney (area).
    pub norm: MelNorm,
}

impl Default for MelSpectrogramParams {
    fn default() -> Self {
        Self {
            sr: 22050,
            stft: StftParams::default(),
            power: 2.0,
            n_mels: 128,
            fmin: 0.0,
            fmax: None,
            htk: false,
            norm: MelNorm::Slaney,
        }
    }
}

impl MelSpectrogramParams {
    /// The filter bank these parameters describe.
    pub fn filter_params(&self) -> MelFilterParams {
        MelFilterParams {
            sr: self.sr,
            n_fft: self.stft.n_fft,
            n_mels: self.n_mels,
            fmin: self.fmin,
            fmax: self.fmax,
            htk: self.htk,
            norm: self.norm,
        }
    }
}

/// Mel spectrogram: `mel_filters · |stft(y)|^power`, shape `[n_mels, n_frames]`.
///
/// Computed frame by frame without storing the complex STFT, with each filter applied only
/// over its non-zero bins: the same numbers as the matrix product, several times faster.
///
/// # Errors
/// A `power` that is NaN or infinite, and those of [`crate::stft`] and [`crate::filters::mel`].
///
/// # Examples
/// ```
/// use dl4mir_audio::feature::{melspectrogram, MelSpectrogramParams};
/// let y = vec![0.1f32; 22050];
/// let m = melspectrogram(&y, &MelSpectrogramParams::default())?;
/// assert_eq!(m.dim(), (128, 44));
/// # Ok::<(), dl4mir_audio::Error>(())
/// ```
///
/// Matches `librosa.feature.melspectrogram(y=y, sr=sr, ...)` to a relative max error below
/// 1e-5 (tested, including on three real EGFxSet recordings).
pub fn melspectrogram(y: &[f32], params: &MelSpectrogramParams) -> Result<Array2<f32>> {
    valid_audio(y)?;
    // librosa raises |S|**power with any float; a NaN or infinite exponent only makes a
    // spectrogram of NaN or infinities, silently.
    if !params.power.is_finite() {
        return Err(crate::error::param_error!("power={} must be a finite number", params.power));
    }
    let bank = SparseMelBank::new(&mel(&params.filter_params())?);
    let mut frames = PowerFrames::new(&params.stft, y.len())?;
    let (n_mels, n_frames) = (bank.n_mels(), params.stft.n_frames(y.len()));
    // Each frame's bands contiguous: the matrix is column-major, as the STFT's.
    let mut data = vec![0.0f32; n_mels * n_frames];
    frames.for_each_frame(y, params.power, |t, power| {
        bank.apply(power, &mut data[t * n_mels..(t + 1) * n_mels]);
    });
    let out = Array2::from_shape_vec((n_mels, n_frames).f(), data).expect("one column per frame");
    Ok(out)
}

/// Parameters of [`mfcc`], with librosa's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct MfccParams {
    /// The mel spectrogram underneath (power 2.0, 128 bands by default).
    pub mel: MelSpectrogramParams,
    /// Number of coefficients kept. Default 20.
    pub n_mfcc: usize,
}

impl Default for MfccParams {
    fn default() -> Self {
        Self { mel: MelSpectrogramParams::default(), n_mfcc: 20 }
    }
}

/// Mel-frequency cepstral coefficients: the orthonormal DCT-II of the mel spectrogram in
/// dB (`power_to_db`, ref 1.0, top_db 80), first `n_mfcc` rows. Shape `[n_mfcc, n_frames]`.
///
/// `c[k, t] = a_k sum_m S_db[m, t] cos(pi k (2m + 1) / (2 n_mels))`, `a_0 = sqrt(1/n_mels)`,
/// `a_k = sqrt(2/n_mels)`.
///
/// # Errors
/// `n_mfcc` zero or above `n_mels`, and those of [`melspectrogram`].
///
/// Matches `librosa.feature.mfcc(y=y, sr=sr, n_mfcc=n_mfcc)` (tested, to 1e-3 absolute).
pub fn mfcc(y: &[f32], params: &MfccParams) -> Result<Array2<f32>> {
    let n_mels = params.mel.n_mels;
    check_positive("n_mfcc", params.n_mfcc)?;
    if params.n_mfcc > n_mels {
        return Err(param_error!("n_mfcc={} must be at most n_mels={n_mels}", params.n_mfcc));
    }
    let s_db = power_to_db(&melspectrogram(y, &params.mel)?, &DbParams::default())?;
    let dct = Array2::from_shape_vec((params.n_mfcc, n_mels), dct_ii_orthonormal(params.n_mfcc, n_mels))
        .expect("n_mfcc x n_mels")
        .mapv(|c| c as f32);
    // One matrix product for all frames (ndarray's blocked, vectorised GEMM).
    Ok(dct.dot(&s_db))
}

/// The first `n_out` rows of the orthonormal DCT-II matrix of size `n`, row-major.
fn dct_ii_orthonormal(n_out: usize, n: usize) -> Vec<f64> {
    let mut m = Vec::with_capacity(n_out * n);
    for k in 0..n_out {
        let scale = if k == 0 { (1.0 / n as f64).sqrt() } else { (2.0 / n as f64).sqrt() };
        for i in 0..n {
            m.push(scale * (std::f64::consts::PI * k as f64 * (2 * i + 1) as f64 / (2 * n) as f64).cos());
        }
    }
    m
}

/// Parameters of the time-domain frame features [`rms`] and [`zero_crossing_rate`].
#[derive(Debug, Clone, PartialEq)]
pub struct FrameParams {
    /// Samples per frame. Default 2048.
    pub frame_length: usize,
    /// Samples between frames. Default 512.
    pub hop_length: usize,
    /// Centre frames on `t * hop_length` by padding `frame_length / 2` at both ends.
    /// Default `true`.
    pub center: bool,
}

impl Default for FrameParams {
    fn default() -> Self {
        Self { frame_length: 2048, hop_length: 512, center: true }
    }
}

/// Call `visit` with every frame of `y` (padded by `mode` when centred).
fn for_each_padded_frame(
    y: &[f32],
    p: &FrameParams,
    mode: PadMode,
    mut visit: impl FnMut(&[f32]) -> f32,
) -> Result<Vec<f32>> {
    valid_audio(y)?;
    check_positive("frame_length", p.frame_length)?;
    check_positive("hop_length", p.hop_length)?;
    let stft_like = StftParams {
        n_fft: p.frame_length,
        hop_length: Some(p.hop_length),
        center: p.center,
        ..Default::default()
    };
    let n_frames = stft_like.n_frames(y.len());
    if n_frames == 0 {
        return Err(param_error!(
            "frame_length={} is longer than the signal ({} samples) and center=false; use a shorter frame",
            p.frame_length,
            y.len()
        ));
    }
    let pad = if p.center { (p.frame_length / 2) as isize } else { 0 };
    let mut frame = vec![0.0f32; p.frame_length];
    Ok((0..n_frames)
        .map(|t| {
            let start = (t * p.hop_length) as isize - pad;
            for (i, f) in frame.iter_mut().enumerate() {
                *f = padded_sample(y, start + i as isize, mode);
            }
            visit(&frame)
        })
        .collect())
}

/// Root-mean-square energy of each frame: `sqrt(mean(y[frame]^2))`, zero-padded when
/// centred. One value per frame.
///
/// Matches `librosa.feature.rms(y=y, frame_length=..., hop_length=...)` (tested).
pub fn rms(y: &[f32], params: &FrameParams) -> Result<Vec<f32>> {
    for_each_padded_frame(y, params, PadMode::Constant, |frame| {
        let mean_square = frame.iter().map(|&x| (x as f64) * (x as f64)).sum::<f64>() / frame.len() as f64;
        mean_square.sqrt() as f32
    })
}

/// Fraction of sample pairs in each frame whose signs differ. Values within 1e-10 of zero
/// count as zero and zero counts as positive; frames are edge-padded when centred, as
/// librosa does.
///
/// Matches `librosa.feature.zero_crossing_rate(y, frame_length=..., hop_length=...)` (tested).
pub fn zero_crossing_rate(y: &[f32], params: &FrameParams) -> Result<Vec<f32>> {
    const THRESHOLD: f32 = 1e-10;
    let negative = |x: f32| if x.abs() <= THRESHOLD { false } else { x.is_sign_negative() };
    for_each_padded_frame(y, params, PadMode::Edge, |frame| {
        let crossings = frame.windows(2).filter(|w| negative(w[0]) != negative(w[1])).count();
        // librosa pads the crossing indicator with one `false`, so it divides by the frame length.
        (crossings as f64 / frame.len() as f64) as f32
    })
}

/// Parameters of the STFT-based spectral shape features.
#[derive(Debug, Clone, PartialEq)]
pub struct SpectralParams {
    /// Sample rate (Hz). Default 22050.
    pub sr: u32,
    /// The STFT underneath (its magnitude, `|D|`, is used). Default librosa's.
    pub stft: StftParams,
}

impl Default for SpectralParams {
    fn default() -> Self {
        Self { sr: 22050, stft: StftParams::default() }
    }
}

/// `|stft(y)|`, the magnitude on which the spectral shape features are computed.
fn magnitude_frames(y: &[f32], params: &SpectralParams) -> Result<Array2<f32>> {
    Ok(crate::spectrum::magnitude(&crate::spectrum::stft(y, &params.stft)?))
}

/// Each column of `s` divided by its sum (librosa's `normalize(S, norm=1)`; an all-zero
/// column is left as is).
fn normalise_columns(s: &Array2<f32>) -> Array2<f64> {
    let mut out = s.mapv(|x| x as f64);
    for mut column in out.columns_mut() {
        let total: f64 = column.sum();
        if total >= f32::MIN_POSITIVE as f64 {
            column /= total;
        }
    }
    out
}

/// Spectral centroid: the magnitude-weighted mean frequency of each frame (Hz),
/// `sum_k f_k |D[k,t]| / sum_k |D[k,t]|`.
///
/// Matches `librosa.feature.spectral_centroid(y=y, sr=sr)` (tested).
pub fn spectral_centroid(y: &[f32], params: &SpectralParams) -> Result<Vec<f32>> {
    let s = magnitude_frames(y, params)?;
    Ok(centroids(&normalise_columns(&s), &fft_frequencies(params.sr as f64, params.stft.n_fft))
        .iter()
        .map(|&c| c as f32)
        .collect())
}

fn centroids(weights: &Array2<f64>, freqs: &[f64]) -> Vec<f64> {
    weights.columns().into_iter().map(|w| w.iter().zip(freqs).map(|(w, f)| w * f).sum()).collect()
}

/// Spectral bandwidth of order `p`: `(sum_k w[k,t] |f_k - centroid_t|^p)^(1/p)` with the
/// normalised magnitudes as weights (librosa's `p=2`, `norm=True`).
///
/// Matches `librosa.feature.spectral_bandwidth(y=y, sr=sr, p=p)` (tested).
pub fn spectral_bandwidth(y: &[f32], params: &SpectralParams, p: f64) -> Result<Vec<f32>> {
    if !p.is_finite() || p <= 0.0 {
        return Err(param_error!("p={p} must be a positive number (2.0 is the usual choice)"));
    }
    let weights = normalise_columns(&magnitude_frames(y, params)?);
    let freqs = fft_frequencies(params.sr as f64, params.stft.n_fft);
    let centroid = centroids(&weights, &freqs);
    Ok(weights
        .columns()
        .into_iter()
        .zip(centroid)
        .map(|(w, c)| {
            w.iter().zip(&freqs).map(|(w, f)| w * (f - c).abs().powf(p)).sum::<f64>().powf(1.0 / p) as f32
        })
        .collect())
}

/// Spectral roll-off: the lowest bin frequency (Hz) below which `roll_percent` of each
/// frame's magnitude lies (librosa's default 0.85).
///
/// Matches `librosa.feature.spectral_rolloff(y=y, sr=sr, roll_percent=roll_percent)` (tested).
pub fn spectral_rolloff(y: &[f32], params: &SpectralParams, roll_percent: f32) -> Result<Vec<f32>> {
    if !(roll_percent > 0.0 && roll_percent < 1.0) {
        return Err(param_error!("roll_percent={roll_percent} must lie in the range (0, 1)"));
    }
    let s = magnitude_frames(y, params)?;
    let freqs = fft_frequencies(params.sr as f64, params.stft.n_fft);
    Ok(s.columns()
        .into_iter()
        .map(|column| {
            // A running f32 sum, as numpy's cumsum over float32.
            let mut cumulative = Vec::with_capacity(column.len());
            let mut total = 0.0f32;
            for &x in column {
                total += x;
                cumulative.push(total);
            }
            let threshold = roll_percent * total;
            let k = cumulative.iter().position(|&c| c >= threshold).unwrap_or(column.len() - 1);
            freqs[k] as f32
        })
        .collect())
}

/// Spectral flatness (Wiener entropy): geometric over arithmetic mean of the power
/// spectrum `max(|D|^2, amin)` of each frame; 1 for white noise, near 0 for a pure tone.
/// librosa's defaults are `amin = 1e-10` and power 2.0 (flatness is taken on power).
///
/// Matches `librosa.feature.spectral_flatness(y=y)` (tested).
pub fn spectral_flatness(y: &[f32], params: &SpectralParams, amin: f32) -> Result<Vec<f32>> {
    if amin <= 0.0 {
        return Err(param_error!("amin={amin} must be strictly positive"));
    }
    let s = magnitude_frames(y, params)?;
    Ok(s.map_axis(Axis(0), |column| {
        let power: Vec<f64> = column.iter().map(|&x| (x * x).max(amin) as f64).collect();
        let n = power.len() as f64;
        let geometric = (power.iter().map(|p| p.ln()).sum::<f64>() / n).exp();
        let arithmetic = power.iter().sum::<f64>() / n;
        (geometric / arithmetic) as f32
    })
    .to_vec())
}
