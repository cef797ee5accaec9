//! rubato's synchronous FFT resampler, one channel in `f64`.
//!
//! Here rather than in `dl4mir-audio` for the same reason as the plans: rubato's resampler
//! is generic and plans its own real FFTs, which are compiled where it is first named.

use rubato::audioadapter_buffers::direct::SequentialSliceOfVecs;
use rubato::{Fft, FixedSync, Resampler, WindowFunction};

/// Why rubato refused: its parameters, or the processing itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResampleError {
    /// The resampler could not be made with these rates and this chunk size.
    Setup(String),
    /// Processing the signal failed.
    Process(String),
}

impl std::fmt::Display for ResampleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResampleError::Setup(e) | ResampleError::Process(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for ResampleError {}

/// Resample `y` from `orig_sr` to `target_sr` with a Blackman-Harris windowed sinc of
/// rubato's `Fft` resampler, fed `chunk_size` input frames at a time, the whole signal at
/// once (`process_all`: the filter delay removed, `ceil(len * target / orig)` samples out).
pub fn resample_f64(
    y: &[f64],
    orig_sr: usize,
    target_sr: usize,
    chunk_size: usize,
) -> Result<Vec<f64>, ResampleError> {
    let input = vec![y.to_vec()];
    let adapter = SequentialSliceOfVecs::new(&input, 1, y.len()).expect("one channel of y.len() frames");
    let mut resampler = Fft::<f64>::new_custom(
        orig_sr,
        target_sr,
        chunk_size,
        1,
        1,
        WindowFunction::BlackmanHarris2,
        FixedSync::Input,
    )
    .map_err(|e| ResampleError::Setup(e.to_string()))?;
    let out =
        resampler.process_all(&adapter, y.len(), None).map_err(|e| ResampleError::Process(e.to_string()))?;
    Ok(out.take_data())
}
