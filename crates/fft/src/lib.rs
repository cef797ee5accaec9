//! # dl4mir-fft
//!
//! The course's FFT plans, in a crate of their own so that they are compiled once.
//!
//! rustfft and realfft are generic over the float type, and every algorithm a planner may
//! choose (mixed radix, Rader, Bluestein, and the scalar, SSE and AVX butterflies) is
//! compiled into whichever crate first names a concrete type. When `dl4mir-audio` planned
//! its own FFTs, that was most of its two minutes of compilation at opt-level 3, paid once
//! for the library and once more for its unit tests, and again in each lab that planned one.
//! Here the planners are named once, for `f32` and `f64`; callers get the plans as trait
//! objects ([`RealToComplex`], [`ComplexToReal`], [`Fft`]) and compile none of it.
//!
//! ```
//! let fft = dl4mir_fft::forward::<f32>(8);
//! let mut input = vec![1.0f32; 8];
//! let mut spectrum = fft.make_output_vec();
//! fft.process(&mut input, &mut spectrum).unwrap();
//! assert_eq!(spectrum[0].re, 8.0); // unnormalised, like numpy.fft.rfft
//! ```

mod plans;
mod resample;

pub use plans::{Planned, complex_forward, forward, inverse};
pub use realfft::num_complex;
pub use realfft::{ComplexToReal, FftNum, RealToComplex};
pub use resample::{ResampleError, resample_f64};
pub use rustfft::Fft;
