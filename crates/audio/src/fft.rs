//! FFT plans, made once per size and thread and then reused.
//!
//! realfft's planner caches plans; keeping one planner per thread means every `stft` call
//! after the first of a given size skips planning entirely, and rayon workers never contend
//! for a lock.

use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use std::cell::RefCell;
use std::sync::Arc;

thread_local! {
    static PLANNER_F32: RefCell<RealFftPlanner<f32>> = RefCell::new(RealFftPlanner::new());
    static PLANNER_F64: RefCell<RealFftPlanner<f64>> = RefCell::new(RealFftPlanner::new());
}

/// The forward real FFT of length `n` (unnormalised, like `numpy.fft.rfft`).
pub(crate) fn forward(n: usize) -> Arc<dyn RealToComplex<f32>> {
    PLANNER_F32.with(|p| p.borrow_mut().plan_fft_forward(n))
}

/// The inverse real FFT of length `n` (unnormalised: divide by `n` for `numpy.fft.irfft`).
pub(crate) fn inverse(n: usize) -> Arc<dyn ComplexToReal<f32>> {
    PLANNER_F32.with(|p| p.borrow_mut().plan_fft_inverse(n))
}

/// Double-precision forward FFT, for the short transforms of the rhythm features.
pub(crate) fn forward_f64(n: usize) -> Arc<dyn RealToComplex<f64>> {
    PLANNER_F64.with(|p| p.borrow_mut().plan_fft_forward(n))
}

/// Double-precision inverse FFT (unnormalised).
pub(crate) fn inverse_f64(n: usize) -> Arc<dyn ComplexToReal<f64>> {
    PLANNER_F64.with(|p| p.borrow_mut().plan_fft_inverse(n))
}
