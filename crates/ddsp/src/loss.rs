//! The multi-resolution spectral loss: compare two sounds by their STFT magnitudes at
//! several FFT sizes at once, because one size trades time for frequency resolution and
//! a synthesizer must get both right (DDSP, Engel et al. 2020; DDX7; RAVE).
//!
//! DDSP and DDX7 add, at each size, the mean absolute difference of the magnitudes and of
//! their logarithms. RAVE replaces the linear term by the spectral convergence
//! `||S - S'||_F / ||S||_F`, which no loud note can dominate.

use crate::error::{Result, setting_error};
use burn::prelude::*;
use burn::signal::{StftOptions, hann_window, stft};

/// The two terms at each FFT size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terms {
    /// `mean |S - S'| + mean |log(S + eps) - log(S' + eps)|` (DDSP, DDX7).
    LinearAndLog,
    /// `||S - S'||_F / ||S||_F + mean |log(S + eps) - log(S' + eps)|` (RAVE).
    ConvergenceAndLog,
}

/// One FFT size's two terms (linear or convergence, then log), each a `[1]` tensor.
pub type TermPair = (Tensor<1>, Tensor<1>);

/// A multi-resolution STFT loss.
#[derive(Debug, Clone, PartialEq)]
pub struct MultiResolution {
    /// FFT sizes, each a power of two (burn's FFT); the window is Hann of the same size.
    pub fft_sizes: Vec<usize>,
    /// Fraction of a frame shared with the next (0.75: hop = n_fft / 4).
    pub overlap: f64,
    pub terms: Terms,
    /// Scale each STFT by `1 / sqrt(n_fft)` (`torch.stft(normalized=True)`, as DDX7 does), so
    /// that every size weighs alike; without it the largest FFT's magnitudes dominate.
    pub normalized: bool,
    /// Added before the logarithm.
    pub log_epsilon: f64,
}

impl MultiResolution {
    /// DDX7's loss (its `rec_loss`): sizes 2048 to 64, 75% overlap, linear + log L1.
    pub fn ddx7() -> Self {
        Self {
            fft_sizes: vec![2048, 1024, 512, 256, 128, 64],
            overlap: 0.75,
            terms: Terms::LinearAndLog,
            normalized: true,
            log_epsilon: 1e-7,
        }
    }

    /// RAVE's distance: sizes 2048 to 128, 75% overlap, spectral convergence + log L1.
    pub fn rave() -> Self {
        Self { fft_sizes: vec![2048, 1024, 512, 256, 128], terms: Terms::ConvergenceAndLog, ..Self::ddx7() }
    }

    /// A signal of `samples` can be compared: sizes are powers of two whose hop is whole,
    /// and the signal is longer than half the largest (the STFT pads it by reflection).
    pub fn check(&self, samples: usize) -> Result<()> {
        if self.fft_sizes.is_empty() {
            return Err(setting_error!("the spectral loss needs at least one FFT size, e.g. 2048"));
        }
        if !(0.0..1.0).contains(&self.overlap) {
            return Err(setting_error!("overlap {} must be in [0, 1), e.g. 0.75", self.overlap));
        }
        for &n in &self.fft_sizes {
            if !n.is_power_of_two() || n < 4 {
                return Err(setting_error!("FFT size {n} must be a power of two of at least 4, e.g. 2048"));
            }
            if samples <= n / 2 {
                return Err(setting_error!(
                    "a signal of {samples} samples is too short for an FFT of {n} (it needs more than {}); \
                     use longer clips or smaller sizes",
                    n / 2
                ));
            }
        }
        Ok(())
    }

    /// Hop of FFT size `n`.
    pub fn hop(&self, n: usize) -> usize {
        ((n as f64 * (1.0 - self.overlap)).round() as usize).max(1)
    }

    /// `[batch, frames, bins]` magnitudes of `[batch, samples]` at FFT size `n`.
    pub fn magnitude(&self, signal: Tensor<2>, n: usize) -> Tensor<3> {
        let device = signal.device();
        let options = StftOptions { hop_length: self.hop(n), ..StftOptions::new(n) };
        // The window in the signal's precision (f32 in training, f64 in the gradient check).
        let window = hann_window(n, true, &device).cast(signal.dtype());
        let spectrum = stft(signal, Some(window), options);
        let power = spectrum.powi_scalar(2).sum_dim(3).squeeze_dim::<3>(3);
        // A floor far below `log_epsilon`, so that silence has a finite gradient.
        let magnitude = power.add_scalar(1e-18).sqrt();
        if self.normalized { magnitude.div_scalar((n as f64).sqrt()) } else { magnitude }
    }

    /// The loss, summed over the FFT sizes: a `[1]` tensor. `predicted` and `target` are
    /// `[batch, samples]`; call [`MultiResolution::check`] once for the clip length first.
    pub fn loss(&self, predicted: Tensor<2>, target: Tensor<2>) -> Tensor<1> {
        let terms = self.per_size(predicted, target);
        Tensor::cat(terms.into_iter().map(|(a, b)| a + b).collect(), 0).sum()
    }

    // ANCHOR: loss
    /// The two terms at each size, in `fft_sizes` order, each a `[1]` tensor.
    pub fn per_size(&self, predicted: Tensor<2>, target: Tensor<2>) -> Vec<TermPair> {
        self.fft_sizes
            .iter()
            .map(|&n| {
                let p = self.magnitude(predicted.clone(), n);
                let t = self.magnitude(target.clone(), n);
                let eps = self.log_epsilon;
                let log_of = |s: &Tensor<3>| s.clone().add_scalar(eps).log();
                let log = (log_of(&p) - log_of(&t)).abs().mean();
                let first = match self.terms {
                    Terms::LinearAndLog => (p - t).abs().mean(),
                    Terms::ConvergenceAndLog => {
                        let difference = (t.clone() - p).powi_scalar(2).sum().sqrt();
                        difference / t.powi_scalar(2).sum().sqrt().add_scalar(eps)
                    }
                };
                (first, log)
            })
            .collect()
    }
    // ANCHOR_END: loss
}
