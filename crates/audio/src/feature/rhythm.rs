//! Rhythm features: autocorrelation and Fourier tempograms, and a tempo estimate.
//! Mirrors `librosa/feature/rhythm.py` (librosa 0.11).

use crate::convert::{tempo_frequencies, time_to_frames};
use crate::error::{Result, check_positive, param_error};
use crate::filters::{Window, get_window};
use crate::onset::{OnsetParams, onset_strength};
use crate::spectrum::{StftParams, stft};
use dl4mir_fft::Planned;
use ndarray::Array2;
use num_complex::{Complex32, Complex64};

/// Parameters of [`tempogram`] and [`fourier_tempogram`], with librosa's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct TempogramParams {
    /// Onset frames per analysis window. Default 384 (8.9 s at 22050 Hz / hop 512).
    pub win_length: usize,
    /// Centre the windows on each onset frame. Default `true`.
    pub center: bool,
    /// Window applied to the onset envelope. Default Hann.
    pub window: Window,
    /// Divide each column by its maximum (`norm=np.inf`). Default `true`.
    pub normalize: bool,
}

impl Default for TempogramParams {
    fn default() -> Self {
        Self { win_length: 384, center: true, window: Window::Hann, normalize: true }
    }
}

/// Autocorrelation tempogram: for each onset frame, the autocorrelation (lags
/// `0..win_length`) of the windowed onset envelope around it. Shape `[win_length, n_frames]`;
/// row `lag` corresponds to `60 sr / (hop_length lag)` BPM (see
/// [`crate::convert::tempo_frequencies`]).
///
/// The envelope is padded with linear ramps to zero when centred, as librosa does; the
/// autocorrelation is computed by FFT in double precision.
///
/// Matches `librosa.feature.tempogram(onset_envelope=o, win_length=...)` (tested).
pub fn tempogram(onset_envelope: &[f32], params: &TempogramParams) -> Result<Array2<f32>> {
    Ok(tempogram_f64(onset_envelope, params)?.mapv(|x| x as f32))
}

/// [`tempogram`] in double precision, which [`tempo_from_onset`] averages: rounding to f32
/// first could tip a near-tie between two lags the other way from librosa.
fn tempogram_f64(onset_envelope: &[f32], params: &TempogramParams) -> Result<Array2<f64>> {
    let win = params.win_length;
    check_positive("win_length", win)?;
    if onset_envelope.is_empty() {
        return Err(param_error!("the onset envelope is empty; compute it with onset_strength first"));
    }
    let n = onset_envelope.len();
    let padded = if params.center {
        linear_ramp_pad(onset_envelope, win / 2)
    } else {
        onset_envelope.iter().map(|&x| x as f64).collect()
    };
    if padded.len() < win {
        return Err(param_error!(
            "win_length={win} is longer than the onset envelope ({n} frames) and center=false; use a shorter window"
        ));
    }
    let n_frames = if params.center { n } else { padded.len() - win + 1 };
    let window = get_window(params.window, win);

    // Autocorrelation by FFT: |FFT(x)|^2 then inverse, zero-padded past 2 win - 1 so the
    // circular correlation equals the linear one.
    let n_pad = (2 * win - 1).next_power_of_two();
    let (forward, inverse) = (f64::forward(n_pad), f64::inverse(n_pad));
    let mut time = forward.make_input_vec();
    let mut spectrum = forward.make_output_vec();
    let mut out = Array2::zeros((win, n_frames));
    for t in 0..n_frames {
        time.iter_mut().for_each(|x| *x = 0.0);
        for (i, x) in time[..win].iter_mut().enumerate() {
            *x = padded[t + i] * window[i];
        }
        forward.process(&mut time, &mut spectrum).expect("sizes from the plan");
        spectrum.iter_mut().for_each(|c| *c = Complex64::new(c.norm_sqr(), 0.0));
        inverse.process(&mut spectrum, &mut time).expect("sizes from the plan");
        let scale = 1.0 / n_pad as f64;
        let peak = time[..win].iter().fold(0.0f64, |m, &x| m.max((x * scale).abs()));
        let norm = if params.normalize && peak >= f64::MIN_POSITIVE { peak } else { 1.0 };
        for (lag, o) in out.column_mut(t).iter_mut().enumerate() {
            *o = time[lag] * scale / norm;
        }
    }
    Ok(out)
}

/// `numpy.pad(x, width, mode="linear_ramp", end_values=0)`: ramps from 0 up to each edge value.
fn linear_ramp_pad(x: &[f32], width: usize) -> Vec<f64> {
    let (first, last) = (x[0] as f64, x[x.len() - 1] as f64);
    let ramp = |edge: f64, i: usize| edge * i as f64 / width as f64;
    let mut out = Vec::with_capacity(x.len() + 2 * width);
    out.extend((0..width).map(|i| ramp(first, i)));
    out.extend(x.iter().map(|&v| v as f64));
    out.extend((0..width).map(|i| ramp(last, width - 1 - i)));
    out
}

/// Fourier tempogram: the STFT of the onset envelope (hop 1 frame, `n_fft = win_length`).
/// Shape `[1 + win_length/2, n_frames]`, complex; row `k` is
/// [`crate::convert::fourier_tempo_frequencies`]`[k]` BPM.
///
/// Matches `librosa.feature.fourier_tempogram(onset_envelope=o, win_length=...)` (tested).
pub fn fourier_tempogram(onset_envelope: &[f32], params: &TempogramParams) -> Result<Array2<Complex32>> {
    stft(
        onset_envelope,
        &StftParams {
            n_fft: params.win_length,
            hop_length: Some(1),
            window: params.window,
            center: params.center,
            ..Default::default()
        },
    )
}

/// Parameters of [`tempo`], with librosa's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct TempoParams {
    /// Sample rate (Hz). Default 22050.
    pub sr: u32,
    /// Hop of the onset envelope. Default 512.
    pub hop_length: usize,
    /// Centre of the log-normal tempo prior (BPM). Default 120.
    pub start_bpm: f64,
    /// Width of the prior in octaves. Default 1.0.
    pub std_bpm: f64,
    /// Autocorrelation window in seconds. Default 8.0.
    pub ac_size: f64,
    /// Ignore tempi at or above this (BPM). Default `Some(320.0)`.
    pub max_tempo: Option<f64>,
}

impl Default for TempoParams {
    fn default() -> Self {
        Self {
            sr: 22050,
            hop_length: 512,
            start_bpm: 120.0,
            std_bpm: 1.0,
            ac_size: 8.0,
            max_tempo: Some(320.0),
        }
    }
}

/// Global tempo (BPM) of a signal: onset strength, then [`tempo_from_onset`].
///
/// Matches `librosa.feature.tempo(y=y, sr=sr, hop_length=hop_length)` exactly (tested).
pub fn tempo(y: &[f32], params: &TempoParams) -> Result<f64> {
    let onset = onset_strength(
        y,
        &OnsetParams { sr: params.sr, hop_length: params.hop_length, ..Default::default() },
    )?;
    tempo_from_onset(&onset, params)
}

/// Global tempo (BPM) from an onset envelope: average the autocorrelation tempogram over
/// time (window `ac_size` seconds), weight it by a log-normal prior around `start_bpm`,
/// and take the best lag.
///
/// `score(lag) = ln(1 + 1e6 mean_t T[lag, t]) - 0.5 ((log2 bpm(lag) - log2 start_bpm) / std_bpm)^2`
///
/// The answer is always one of the lag tempi `60 sr / (hop_length lag)`: a 120 BPM click at
/// 22050 Hz / hop 512 gives 117.45 (lag 22), exactly as librosa. Finer answers need a
/// smaller hop.
///
/// # Errors
/// `start_bpm` or `std_bpm` not positive; those of [`tempogram`].
pub fn tempo_from_onset(onset_envelope: &[f32], params: &TempoParams) -> Result<f64> {
    // `is_finite` first: NaN or infinity would pass a `<= 0.0` test and make the tempo NaN.
    if !params.start_bpm.is_finite() || params.start_bpm <= 0.0 {
        return Err(param_error!("start_bpm={} must be strictly positive", params.start_bpm));
    }
    if !params.std_bpm.is_finite() || params.std_bpm <= 0.0 {
        return Err(param_error!("std_bpm={} must be strictly positive", params.std_bpm));
    }
    let win_length = time_to_frames(params.ac_size, params.sr as f64, params.hop_length);
    let tg = tempogram_f64(onset_envelope, &TempogramParams { win_length, ..Default::default() })?;
    let bpms = tempo_frequencies(win_length, params.hop_length, params.sr as f64);
    // The first lag below max_tempo; faster lags are excluded.
    let first_allowed = match params.max_tempo {
        Some(max) => bpms.iter().position(|&b| b < max).unwrap_or(0),
        None => 0,
    };
    let mut best = (f64::NEG_INFINITY, 0);
    for (lag, &bpm) in bpms.iter().enumerate().skip(first_allowed) {
        let mean = tg.row(lag).sum() / tg.ncols() as f64;
        let log_prior = -0.5 * ((bpm.log2() - params.start_bpm.log2()) / params.std_bpm).powi(2);
        let score = (1e6 * mean).ln_1p() + log_prior;
        if score > best.0 {
            best = (score, lag);
        }
    }
    Ok(bpms[best.1])
}
