//! Griffin-Lim: a signal whose STFT magnitude matches a given one, by alternating
//! projections. Day 4 uses it to hear what a VAE decodes.
//!
//! Mirrors `librosa.griffinlim` (the "fast" Griffin-Lim of Perraudin et al., 2013, with
//! momentum 0.99).

use crate::error::{Result, param_error};
use crate::filters::Window;
use crate::spectrum::{IstftParams, PadMode, StftParams, istft, stft};
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
    /// Default `None` = `win_length / 4`.
    pub hop_length: Option<usize>,
    /// Default `None` = `n_fft`.
    pub win_length: Option<usize>,
    /// Default `None` = `2 * (n_bins - 1)`.
    pub n_fft: Option<usize>,
    /// Default [`Window::Hann`].
    pub window: Window,
    /// Default `true`.
    pub center: bool,
    /// Exact output length. Default `None`.
    pub length: Option<usize>,
    /// Default [`PadMode::Constant`].
    pub pad_mode: PadMode,
    /// Weight of the previous estimate in the update, in [0, 1]. Default 0.99; 0 gives the
    /// original Griffin-Lim.
    pub momentum: f32,
    /// Default `PhaseInit::Random { seed: 0 }`.
    pub init: PhaseInit,
}

impl Default for GriffinLimParams {
    fn default() -> Self {
        Self {
            n_iter: 32,
            hop_length: None,
            win_length: None,
            n_fft: None,
            window: Window::Hann,
            center: true,
            length: None,
            pad_mode: PadMode::Constant,
            momentum: 0.99,
            init: PhaseInit::Random { seed: 0 },
        }
    }
}

/// Estimate a signal from an STFT magnitude `s` (`[1 + n_fft/2, n_frames]`, non-negative).
///
/// Each iteration inverts magnitude-with-current-phase, takes the STFT of the result, keeps
/// its phase, and extrapolates it by `momentum / (1 + momentum)` times the previous
/// estimate: `c_k = X_k - m/(1+m) X_{k-1}`, phase `c_k / |c_k|`.
///
/// # Errors
/// Negative `momentum`, a negative or non-finite magnitude, or STFT parameters that do not
/// fit the shape of `s`.
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
    let n_fft = params.n_fft.unwrap_or(2 * s.nrows().saturating_sub(1));
    let stft_params = StftParams {
        n_fft,
        hop_length: params.hop_length,
        win_length: params.win_length,
        window: params.window,
        center: params.center,
        pad_mode: params.pad_mode,
    };
    let istft_params = IstftParams { length: params.length, ..IstftParams::inverting(&stft_params) };

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
        let rebuilt = stft(&inverse, &stft_params)?;
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
