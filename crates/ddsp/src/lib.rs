//! # dl4mir-ddsp: differentiable DSP on burn tensors
//!
//! The synthesizers and losses that let a network be trained by ear (Days 6, 8 and 10):
//!
//! - [`control`]: frame-rate controls to audio rate, and the oscillators' phase, accumulated
//!   in f64 from a known f0 and wrapped (DDX7 notes the drift of an f32 cumulative sum);
//! - [`fm`]: DDX7's FM synthesizer: up to six sine operators at fixed frequency ratios, a
//!   routing ("algorithm") given as data, output levels predicted per frame;
//! - [`harmonic`]: DDSP's harmonic-plus-filtered-noise synthesizer, the baseline DDX7 beats;
//! - [`loss`]: the multi-resolution spectral loss of DDSP and DDX7 (linear + log magnitude,
//!   FFT sizes 2048..64), and RAVE's (spectral convergence + log magnitude, 2048..128);
//! - [`pqmf`]: RAVE's pseudo-quadrature mirror filter bank: a signal into `M` critically
//!   sampled bands and back.
//!
//! Everything differentiable takes and returns [`burn::Tensor`]s on any device; what only
//! depends on the known pitch (the phase) is computed once on the host, in f64.

pub mod control;
mod error;
pub mod fm;
pub mod harmonic;
pub mod loss;
pub mod pqmf;

pub use error::{Error, Result};
