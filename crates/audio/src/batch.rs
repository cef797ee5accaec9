//! Many files at once, on every core.
//!
//! Each file is independent, so the work splits perfectly over rayon's thread pool (one
//! worker per core by default; `RAYON_NUM_THREADS` overrides). FFT plans are cached per
//! thread (see `fft.rs`), so no worker waits on another.

use crate::audio::{LoadParams, load};
use crate::error::Result;
use crate::feature::{MelSpectrogramParams, melspectrogram};
use ndarray::Array2;
use rayon::prelude::*;
use std::path::PathBuf;

/// [`load`] every path in parallel; results in the order of `paths`. Stops at the first
/// file that fails, naming it.
pub fn load_batch(paths: &[PathBuf], params: &LoadParams) -> Result<Vec<(Vec<f32>, u32)>> {
    paths.par_iter().map(|p| load(p, params)).collect()
}

/// [`melspectrogram`] of every signal in parallel; results in input order.
pub fn melspectrogram_batch(signals: &[Vec<f32>], params: &MelSpectrogramParams) -> Result<Vec<Array2<f32>>> {
    signals.par_iter().map(|y| melspectrogram(y, params)).collect()
}
