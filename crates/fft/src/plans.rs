//! FFT plans, made once per size, precision and thread, then reused.
//!
//! The planners cache their plans; keeping one planner per thread means every call after
//! the first of a given size skips planning entirely, and rayon workers never contend for
//! a lock.

use realfft::{ComplexToReal, FftNum, RealFftPlanner, RealToComplex};
use rustfft::{Fft, FftPlanner};
use std::cell::RefCell;
use std::sync::Arc;

thread_local! {
    static REAL_F32: RefCell<RealFftPlanner<f32>> = RefCell::new(RealFftPlanner::new());
    static REAL_F64: RefCell<RealFftPlanner<f64>> = RefCell::new(RealFftPlanner::new());
    static COMPLEX_F32: RefCell<FftPlanner<f32>> = RefCell::new(FftPlanner::new());
}

/// A float type with cached real FFT plans: `f32` or `f64`.
pub trait Planned: FftNum + Into<f64> {
    /// The forward real FFT of length `n` (unnormalised, like `numpy.fft.rfft`).
    fn forward(n: usize) -> Arc<dyn RealToComplex<Self>>;
    /// The inverse real FFT of length `n` (unnormalised: divide by `n` for `irfft`).
    fn inverse(n: usize) -> Arc<dyn ComplexToReal<Self>>;
    /// Round an `f64` to this type.
    fn from_double(x: f64) -> Self;
    /// Widen (or keep) an `f32` sample: exact for both types.
    fn from_single(x: f32) -> Self;
}

impl Planned for f32 {
    fn forward(n: usize) -> Arc<dyn RealToComplex<f32>> {
        REAL_F32.with(|p| p.borrow_mut().plan_fft_forward(n))
    }
    fn inverse(n: usize) -> Arc<dyn ComplexToReal<f32>> {
        REAL_F32.with(|p| p.borrow_mut().plan_fft_inverse(n))
    }
    fn from_double(x: f64) -> f32 {
        x as f32
    }
    fn from_single(x: f32) -> f32 {
        x
    }
}

impl Planned for f64 {
    fn forward(n: usize) -> Arc<dyn RealToComplex<f64>> {
        REAL_F64.with(|p| p.borrow_mut().plan_fft_forward(n))
    }
    fn inverse(n: usize) -> Arc<dyn ComplexToReal<f64>> {
        REAL_F64.with(|p| p.borrow_mut().plan_fft_inverse(n))
    }
    fn from_double(x: f64) -> f64 {
        x
    }
    fn from_single(x: f32) -> f64 {
        x as f64
    }
}

/// The forward real FFT of length `n`: `n` real samples in, `n / 2 + 1` bins out.
pub fn forward<T: Planned>(n: usize) -> Arc<dyn RealToComplex<T>> {
    T::forward(n)
}

/// The inverse real FFT of length `n`: `n / 2 + 1` bins in, `n` samples out, unnormalised.
pub fn inverse<T: Planned>(n: usize) -> Arc<dyn ComplexToReal<T>> {
    T::inverse(n)
}

/// The forward complex FFT of length `n` in `f32`.
pub fn complex_forward(n: usize) -> Arc<dyn Fft<f32>> {
    COMPLEX_F32.with(|p| p.borrow_mut().plan_fft_forward(n))
}
