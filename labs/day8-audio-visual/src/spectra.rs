//! The spectrograms Sound of Pixels works on: STFT magnitudes (window 1,022, hop 256, Hann,
//! centred) resampled onto a log-frequency grid before any mask is made, the masks of each
//! source on that grid, and the way back: a mask unwarped to the STFT's bins, times the
//! mixture's magnitude, with the mixture's phase, through the inverse STFT.

use crate::sources::SAMPLES;
use dl4mir_audio::{IstftParams, StftParams, istft, magnitude, stft};
use ndarray::Array2;
use num_complex::Complex32;

// ANCHOR: settings
/// The paper's STFT: 512 bins (1,022 / 2 + 1) every 256 samples.
pub const N_FFT: usize = 1022;
pub const HOP: usize = 256;
pub const BINS: usize = N_FFT / 2 + 1;
/// Frames of a scene's sound: 1 + 8,191 / 256.
pub const FRAMES: usize = 1 + SAMPLES / HOP;
/// Rows of the log-frequency grid the masks live on (the paper's 256, for its 6 s clips
/// and a U-Net of seven levels; ours is a quarter for a model that trains in a minute).
pub const WARPED: usize = 32;
/// Added to the mixture's magnitude before anything divides by it or takes its log.
const FLOOR: f32 = 1e-10;
// ANCHOR_END: settings

fn stft_params() -> StftParams {
    StftParams { n_fft: N_FFT, hop_length: Some(HOP), ..Default::default() }
}

/// The STFT `[BINS, FRAMES]` of `audio`.
pub fn spectrum(audio: &[f32]) -> anyhow::Result<Array2<Complex32>> {
    Ok(stft(audio, &stft_params())?)
}

/// The STFT's magnitude `[BINS, FRAMES]`.
pub fn magnitude_of(audio: &[f32]) -> anyhow::Result<Array2<f32>> {
    Ok(magnitude(&spectrum(audio)?))
}

/// A mask (on the STFT's bins) applied to the mixture's magnitude, with the mixture's phase,
/// back to a waveform: `mask * |X| * X / |X|` is `mask * X`. `HOP * (FRAMES - 1)` samples,
/// as `librosa.istft` without a length, clipped to [-1, 1] as the paper's
/// `istft_reconstruction`.
pub fn synthesise(
    mask: &Array2<f32>,
    mixture: &Array2<Complex32>,
) -> anyhow::Result<Vec<f32>> {
    let masked = ndarray::Zip::from(mask).and(mixture).map_collect(|&m, &x| x * m);
    let audio = istft(&masked, &IstftParams::inverting(&stft_params()))?;
    Ok(audio.into_iter().map(|v| v.clamp(-1.0, 1.0)).collect())
}

// ANCHOR: warp
/// Linear interpolation from one frequency axis onto another, column by column: output
/// row `r` reads the input at fractional row `positions[r]` (PyTorch's `grid_sample`
/// along one axis, with the corners aligned as in the paper's PyTorch 0.4).
#[derive(Debug, Clone)]
pub struct Resampling {
    positions: Vec<f32>,
    input_rows: usize,
}

impl Resampling {
    /// STFT bins onto the log-frequency grid (`warpgrid(warp=True)`): output row `h` at
    /// `y = -1 + 2h / (WARPED - 1)` reads the input at `(21^((y + 1) / 2) - 11) / 10`, both
    /// in [-1, 1]; low frequencies get many rows, high ones few.
    pub fn warp() -> Self {
        let positions = (0..WARPED)
            .map(|h| {
                let y = -1.0 + 2.0 * h as f64 / (WARPED - 1) as f64;
                let source = (21f64.powf((y + 1.0) / 2.0) - 11.0) / 10.0;
                ((source + 1.0) / 2.0 * (BINS - 1) as f64) as f32
            })
            .collect();
        Self { positions, input_rows: BINS }
    }

    /// Back from the grid to the STFT's bins (`warpgrid(warp=False)`): the inverse map,
    /// `log(10 y + 11) / log(21) * 2 - 1`.
    pub fn unwarp() -> Self {
        let positions = (0..BINS)
            .map(|b| {
                let y = -1.0 + 2.0 * b as f64 / (BINS - 1) as f64;
                let source = (10.0 * y + 11.0).ln() / 21f64.ln() * 2.0 - 1.0;
                ((source + 1.0) / 2.0 * (WARPED - 1) as f64) as f32
            })
            .collect();
        Self { positions, input_rows: WARPED }
    }

    /// `x: [input rows, columns]` -> `[output rows, columns]`.
    pub fn apply(&self, x: &Array2<f32>) -> Array2<f32> {
        assert_eq!(x.nrows(), self.input_rows, "resampling expects {} rows", self.input_rows);
        let mut out = Array2::zeros((self.positions.len(), x.ncols()));
        for (r, &p) in self.positions.iter().enumerate() {
            let low = (p.floor() as usize).min(self.input_rows - 1);
            let high = (low + 1).min(self.input_rows - 1);
            let t = p - low as f32;
            for c in 0..x.ncols() {
                out[[r, c]] = (1.0 - t) * x[[low, c]] + t * x[[high, c]];
            }
        }
        out
    }
}
// ANCHOR_END: warp

// ANCHOR: targets
/// Which masks the model learns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum MaskKind {
    /// 1 where the source is more than half the mixture's magnitude (the paper's default).
    Binary,
    /// The source's magnitude over the mixture's, clamped to [0, 5].
    Ratio,
}

impl MaskKind {
    /// The target mask of a source on the warped grid (`mixture` already floored).
    pub fn target(self, source: f32, mixture: f32) -> f32 {
        match self {
            MaskKind::Binary => f32::from(source > 0.5 * mixture),
            MaskKind::Ratio => (source / mixture).clamp(0.0, 5.0),
        }
    }

    /// A predicted mask as applied at evaluation: binary masks are thresholded at 0.5.
    pub fn applied(self, predicted: f32) -> f32 {
        match self {
            MaskKind::Binary => f32::from(predicted > 0.5),
            MaskKind::Ratio => predicted,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            MaskKind::Binary => "binary",
            MaskKind::Ratio => "ratio",
        }
    }
}

/// What the loss weighs each cell by: `clamp(log1p(mixture), 1e-3, 10)`, so that loud cells
/// count and silent ones almost not.
pub fn weight(mixture: f32) -> f32 {
    mixture.ln_1p().clamp(1e-3, 10.0)
}

/// The network's input: the log of the floored, warped mixture magnitude.
pub fn floored(mixture: f32) -> f32 {
    mixture + FLOOR
}
// ANCHOR_END: targets

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scene_has_the_papers_frame_count() {
        assert_eq!(magnitude_of(&vec![0.1; SAMPLES]).unwrap().dim(), (BINS, FRAMES));
        assert_eq!(FRAMES, 32);
    }

    #[test]
    fn the_warp_runs_from_the_first_bin_to_the_last_and_favours_the_low_ones() {
        let warp = Resampling::warp();
        assert!(warp.positions[0].abs() < 1e-4);
        assert!((warp.positions[WARPED - 1] - (BINS - 1) as f32).abs() < 1e-3);
        let steps: Vec<f32> = warp.positions.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(steps.windows(2).all(|s| s[1] > s[0]), "steps grow with frequency");
        // The lowest quarter of the grid reads the lowest 6% of the bins.
        assert!(warp.positions[WARPED / 4] < 0.06 * BINS as f32);
    }

    #[test]
    fn unwarping_a_warped_spectrum_gives_it_back_where_the_grid_is_fine() {
        let x = Array2::from_shape_fn((BINS, 3), |(b, c)| (b as f32 * 0.01).sin() + c as f32);
        let back = Resampling::unwarp().apply(&Resampling::warp().apply(&x));
        for b in 0..BINS / 4 {
            for c in 0..3 {
                assert!(
                    (back[[b, c]] - x[[b, c]]).abs() < 0.02,
                    "bin {b}: {} vs {}",
                    back[[b, c]],
                    x[[b, c]]
                );
            }
        }
    }

    #[test]
    fn a_full_mask_gives_the_mixture_back() {
        let audio: Vec<f32> = (0..SAMPLES).map(|t| 0.5 * (t as f32 * 0.07).sin()).collect();
        let back =
            synthesise(&Array2::ones((BINS, FRAMES)), &spectrum(&audio).unwrap()).unwrap();
        assert_eq!(back.len(), HOP * (FRAMES - 1));
        assert!(back.iter().zip(&audio).all(|(b, a)| (b - a).abs() < 1e-4));
    }

    #[test]
    fn targets_and_weights_follow_the_paper() {
        assert_eq!(MaskKind::Binary.target(0.5, 1.0), 0.0); // strictly more than half
        assert_eq!(MaskKind::Binary.target(0.6, 1.0), 1.0);
        assert_eq!(MaskKind::Ratio.target(3.0, 0.5), 5.0);
        assert_eq!(MaskKind::Binary.applied(0.51), 1.0);
        assert_eq!(MaskKind::Ratio.applied(0.3), 0.3);
        assert_eq!(weight(0.0), 1e-3);
        assert_eq!(weight(1e9), 10.0);
        assert!((weight(1.0) - 2f32.ln()).abs() < 1e-7);
    }
}
