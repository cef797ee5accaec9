//! Griffin-Lim: a signal whose STFT magnitude matches a given one, by alternating
//! projections. Day 4 uses it to hear what a VAE decodes.
//!
//! Mirrors `librosa.griffinlim` (the "fast" Griffin-Lim of Perraudin et al., 2013, with
//! momentum 0.99).

use crate::error::{Result, param_error};
use crate::spectrum::{IstftParams, StftParams, istft, stft};
use ndarray::{Array2, Zip};
use num_complex::Complex32;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// How the phase estimate starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseInit {
    /// Uniformly random phases from a seeded generator (librosa's `init="random"`; the same
    /// seed gives the same sound, where librosa's default draws a fresh one every call).
    Random {
        /// Seed of the phase generator.
        seed: u64,
    },
    /// All phases zero (librosa's `init=None`).
    Zero,
}

/// Parameters of [`griffin_lim`], with librosa's names and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct GriffinLimParams {
    /// Iterations. Default 32.
    pub n_iter: usize,
    /// Weight of the previous estimate in the update, in [0, 1]. Default 0.99; 0 gives the
    /// original Griffin-Lim.
    pub momentum: f32,
    /// Default `PhaseInit::Random { seed: 0 }`.
    pub init: PhaseInit,
    /// Exact output length. Default `None`.
    pub length: Option<usize>,
    /// The STFT the magnitude came from (its `n_fft` must give the magnitude's row count).
    /// Default librosa's: `n_fft` 2048, hop 512, Hann, centred.
    pub stft: StftParams,
}

impl Default for GriffinLimParams {
    fn default() -> Self {
        Self {
            n_iter: 32,
            momentum: 0.99,
            init: PhaseInit::Random { seed: 0 },
            length: None,
            stft: StftParams::default(),
        }
    }
}

/// Estimate a signal from an STFT magnitude `s` (`[1 + n_fft/2, n_frames]`, non-negative)
/// made with `params.stft`.
///
/// Each iteration inverts magnitude-with-current-phase, takes the STFT of the result, keeps
/// its phase, and extrapolates it by `momentum / (1 + momentum)` times the previous
/// estimate: `c_k = X_k - m/(1+m) X_{k-1}`, phase `c_k / |c_k|`.
///
/// # Errors
/// Negative `momentum`, a negative or non-finite magnitude, or an `n_fft` that does not fit
/// the number of rows of `s`.
///
/// # Examples
/// ```
/// use dl4mir_audio::{griffin_lim, magnitude, stft, GriffinLimParams, StftParams};
/// let y: Vec<f32> = (0..8192).map(|n| (n as f32 * 0.06).sin()).collect();
/// let s = magnitude(&stft(&y, &StftParams::default())?);
/// let y_hat = griffin_lim(&s, &GriffinLimParams { length: Some(y.len()), ..Default::default() })?;
/// assert_eq!(y_hat.len(), y.len());
/// # Ok::<(), dl4mir_audio::Error>(())
/// ```
///
/// With `init: PhaseInit::Zero` it matches `librosa.griffinlim(S, init=None)` (tested);
/// random initial phases cannot match numpy's generator, so those runs agree in quality only.
pub fn griffin_lim(s: &Array2<f32>, params: &GriffinLimParams) -> Result<Vec<f32>> {
    if params.momentum < 0.0 {
        return Err(param_error!("momentum={} must be non-negative", params.momentum));
    }
    if s.iter().any(|&m| !(m >= 0.0 && m.is_finite())) {
        return Err(param_error!(
            "griffin_lim needs a finite, non-negative magnitude spectrogram; convert dB back \
             with db_to_amplitude and take |D| of complex spectra first"
        ));
    }
    let stft_params = &params.stft;
    if s.nrows() != stft_params.n_bins() {
        return Err(param_error!(
            "the magnitude has {} frequency rows but n_fft={} makes {}; pass the n_fft the \
             spectrogram was made with (rows = 1 + n_fft / 2)",
            s.nrows(),
            stft_params.n_fft,
            stft_params.n_bins()
        ));
    }
    let istft_params = IstftParams { length: params.length, ..IstftParams::inverting(stft_params) };

    let mut angles: Array2<Complex32> = match params.init {
        PhaseInit::Zero => Array2::from_elem(s.dim(), Complex32::new(1.0, 0.0)),
        PhaseInit::Random { seed } => {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            Array2::from_shape_simple_fn(s.dim(), || {
                let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                Complex32::from_polar(1.0, (2.0 * std::f64::consts::PI * u) as f32)
            })
        }
    };
    angles.zip_mut_with(s, |a, &m| *a *= m);

    let decay = params.momentum / (1.0 + params.momentum);
    let mut previous: Option<Array2<Complex32>> = None;
    for _ in 0..params.n_iter {
        let inverse = istft(&angles, &istft_params)?;
        let rebuilt = stft(&inverse, stft_params)?;
        if rebuilt.dim() != s.dim() {
            return Err(param_error!(
                "the STFT of the estimate has shape {:?} but the magnitude has {:?}; pass the \
                 hop_length, n_fft and length the magnitude was made with",
                rebuilt.dim(),
                s.dim()
            ));
        }
        angles.assign(&rebuilt);
        if let Some(prev) = &previous {
            angles.scaled_add(Complex32::new(-decay, 0.0), prev);
        }
        Zip::from(&mut angles).and(s).for_each(|a, &m| {
            *a = *a / (a.norm() + f32::MIN_POSITIVE) * m;
        });
        previous = Some(rebuilt);
    }
    istft(&angles, &istft_params)
}
