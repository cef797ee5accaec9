//! RAVE's pseudo-quadrature mirror filter (PQMF) bank (Caillon & Esling 2021, after Nguyen
//! 1994): `M` band-pass filters, each a cosine-modulated copy of one low-pass prototype, whose
//! outputs are decimated by `M` (critically sampled: as many numbers as the signal), and the
//! synthesis bank that puts the bands back together with near-perfect reconstruction.
//!
//! The prototype is a Kaiser-window FIR whose length and shape follow from the stop-band
//! attenuation, and whose cut-off is searched so that the prototype's autocorrelation
//! vanishes at every multiple of `2M` (the condition for aliasing between bands to cancel).
//! RAVE finds it with SciPy's Nelder-Mead from `1 / M`; we scan the same range on a grid and
//! refine (our departure: a bracketed search cannot wander to a far local minimum).

use crate::error::{Result, setting_error};
use burn::prelude::*;
use burn::tensor::module::{conv_transpose1d, conv1d};
use burn::tensor::ops::{ConvOptions, ConvTransposeOptions};
use std::f64::consts::PI;

/// A designed filter bank: `M` filters of one (even) length, applied as convolutions.
#[derive(Debug, Clone)]
pub struct Pqmf {
    bands: usize,
    /// `bands x taps`, row-major: RAVE's `hk`, centre-padded to a power of two.
    filters: Vec<f32>,
    taps: usize,
    /// The prototype's cut-off in radians per sample, for the record.
    pub cutoff: f64,
}

impl Pqmf {
    /// Design a bank of `bands` (a power of two, at least 2) with `attenuation_db` in the
    /// stop band (RAVE: 100).
    pub fn new(attenuation_db: f64, bands: usize) -> Result<Self> {
        if bands < 2 || !bands.is_power_of_two() {
            return Err(setting_error!(
                "a PQMF bank needs a power of two of at least 2 bands, e.g. 16 (got {bands})"
            ));
        }
        if !(attenuation_db > 21.0 && attenuation_db < 200.0) {
            return Err(setting_error!(
                "attenuation {attenuation_db} dB must be between 21 and 200, e.g. 100"
            ));
        }
        let cutoff = best_cutoff(attenuation_db, bands);
        let prototype = kaiser_lowpass(cutoff, attenuation_db);
        let taps = prototype.len().next_power_of_two();
        let pad = (taps - prototype.len()) / 2;
        let half = (prototype.len() / 2) as f64;
        let mut filters = vec![0.0f32; bands * taps];
        for k in 0..bands {
            // Cosine modulation with phases alternating +-pi/4 (RAVE's `get_qmf_bank`).
            let phase = if k % 2 == 0 { PI / 4.0 } else { -PI / 4.0 };
            for (n, &h) in prototype.iter().enumerate() {
                let t = n as f64 - half;
                let m = ((2 * k + 1) as f64 * PI / (2 * bands) as f64 * t + phase).cos();
                filters[k * taps + pad + n] = (2.0 * h * m) as f32;
            }
        }
        Ok(Self { bands, filters, taps, cutoff })
    }

    /// Number of bands.
    pub fn bands(&self) -> usize {
        self.bands
    }

    /// Filter length (a power of two).
    pub fn taps(&self) -> usize {
        self.taps
    }

    fn weights(&self, device: &Device) -> Tensor<3> {
        Tensor::<1>::from_floats(self.filters.as_slice(), device).reshape([self.bands, 1, self.taps])
    }

    // ANCHOR: analysis
    /// `[batch, samples]` to `[batch, bands, samples / bands]` (`samples` a multiple of
    /// `bands`): each filter, decimated, every other band's every other sample negated
    /// (RAVE's `reverse_half`, which makes each band's content read upright).
    pub fn analysis(&self, signal: Tensor<2>) -> Tensor<3> {
        let [batch, samples] = signal.dims();
        assert_eq!(
            samples % self.bands,
            0,
            "PQMF analysis: {samples} samples is not a multiple of {} bands",
            self.bands
        );
        let device = signal.device();
        let options = ConvOptions::new([self.bands], [self.taps / 2], [1], 1);
        let signal = signal.reshape([batch, 1, samples]);
        let bands = conv1d(signal, self.weights(&device), None, options);
        let frames = samples / self.bands;
        let bands = bands.slice_dim(2, 0..frames);
        bands * self.reverse_half(frames, &device)
    }

    /// `[batch, bands, frames]` back to `[batch, bands * frames]`: undo the sign flips,
    /// upsample by `bands` with zeros, filter with the same bank (times `bands`), sum.
    pub fn synthesis(&self, bands: Tensor<3>) -> Tensor<2> {
        let [batch, n, frames] = bands.dims();
        let m = self.bands;
        assert_eq!(n, m, "PQMF synthesis: {n} bands given to a bank of {m}");
        let device = bands.device();
        let bands = bands * self.reverse_half(frames, &device);
        // A transposed convolution with stride M is "insert M - 1 zeros, then convolve".
        // RAVE's `classic_inverse` keeps output samples 1.. of a convolution padded by
        // taps / 2 on each side; the same window of the transposed convolution starts at
        // taps / 2 - 1, one sample early, hence the slice.
        let (stride, padding) = ([self.bands], [self.taps / 2 - 1]);
        let options = ConvTransposeOptions::new(stride, padding, [self.bands - 1], [1], 1);
        let weights = self.weights(&device).mul_scalar(self.bands as f64);
        let signal = conv_transpose1d(bands, weights, None, options);
        signal.slice_dim(2, 1..n * frames + 1).reshape([batch, n * frames])
    }
    // ANCHOR_END: analysis

    /// `[1, bands, frames]`: -1 at the even samples of odd bands, else 1.
    fn reverse_half(&self, frames: usize, device: &Device) -> Tensor<3> {
        let signs: Vec<f32> = (0..self.bands)
            .flat_map(|k| (0..frames).map(move |t| if k % 2 == 1 && t % 2 == 0 { -1.0 } else { 1.0 }))
            .collect();
        Tensor::<1>::from_floats(signs.as_slice(), device).reshape([1, self.bands, frames])
    }
}

/// SciPy's `kaiserord` then `firwin(N, wc, window=('kaiser', beta), scale=False, nyq=pi)`
/// with the length made odd, as RAVE's `kaiser_filter`.
pub fn kaiser_lowpass(cutoff: f64, attenuation_db: f64) -> Vec<f64> {
    let width = cutoff / PI;
    let a = attenuation_db;
    let beta = if a > 50.0 {
        0.1102 * (a - 8.7)
    } else if a > 21.0 {
        0.5842 * (a - 21.0).powf(0.4) + 0.07886 * (a - 21.0)
    } else {
        0.0
    };
    let taps = ((a - 7.95) / 2.285 / (PI * width) + 1.0).ceil() as usize;
    let taps = 2 * (taps / 2) + 1;
    let centre = (taps - 1) as f64 / 2.0;
    let i0_beta = bessel_i0(beta);
    (0..taps)
        .map(|n| {
            let x = n as f64 - centre;
            let ideal = width * sinc(width * x);
            let r = 2.0 * n as f64 / (taps - 1) as f64 - 1.0;
            ideal * bessel_i0(beta * (1.0 - r * r).max(0.0).sqrt()) / i0_beta
        })
        .collect()
}

/// RAVE's `loss_wc`: the largest autocorrelation of the prototype at a non-zero multiple of
/// `2M` (zero for perfect aliasing cancellation).
pub fn aliasing_error(cutoff: f64, attenuation_db: f64, bands: usize) -> f64 {
    let h = kaiser_lowpass(cutoff, attenuation_db);
    let n = h.len();
    (1..)
        .map(|k| k * 2 * bands)
        .take_while(|&lag| lag < n)
        .map(|lag| h[lag..].iter().zip(&h).map(|(a, b)| a * b).sum::<f64>().abs())
        .fold(0.0, f64::max)
}

/// The cut-off minimising [`aliasing_error`] on `(0.5 / M, 2 / M)` radians (around RAVE's
/// start, `1 / M`): a grid, then golden-section search around the best point.
fn best_cutoff(attenuation_db: f64, bands: usize) -> f64 {
    let m = bands as f64;
    let error = |w: f64| aliasing_error(w, attenuation_db, bands);
    let (lo, hi, steps) = (0.5 / m, 2.0 / m, 600);
    let step = (hi - lo) / steps as f64;
    let (best, best_error) = (0..=steps)
        .map(|i| lo + i as f64 * step)
        .map(|w| (w, error(w)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("a grid");
    let (mut a, mut b) = (best - step, best + step);
    let golden = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..40 {
        let (c, d) = (b - golden * (b - a), a + golden * (b - a));
        if error(c) < error(d) { b = d } else { a = c }
    }
    let refined = (a + b) / 2.0;
    if error(refined) < best_error { refined } else { best }
}

fn sinc(x: f64) -> f64 {
    if x == 0.0 { 1.0 } else { (PI * x).sin() / (PI * x) }
}

/// The modified Bessel function of the first kind, order 0, by its power series.
fn bessel_i0(x: f64) -> f64 {
    let (mut sum, mut term, quarter) = (1.0, 1.0, x * x / 4.0);
    for k in 1..200 {
        term *= quarter / (k * k) as f64;
        sum += term;
        if term < sum * 1e-17 {
            break;
        }
    }
    sum
}
