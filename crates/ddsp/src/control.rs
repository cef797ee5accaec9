//! From the frame rate of a network's controls to the audio rate of a synthesizer.
//!
//! Frame `i` sits at sample `i * hop`; between two frames a control moves in a straight line,
//! after the last it holds. So `F` frames make `F * hop` samples. DDX7 upsamples with
//! `torch.nn.functional.interpolate(mode='linear')`, which puts frame `i` at sample
//! `i * hop + (hop - 1) / 2` instead (31.5 samples, 2 ms, later at hop 64); ours keeps a
//! frame where its analysis window starts, as the loudness of `dl4mir-audio` is computed.

use burn::prelude::*;
use std::f64::consts::TAU;

/// `[batch, frames, channels]` controls to `[batch, frames * hop, channels]` samples, by
/// linear interpolation (differentiable: a fixed weighting of neighbouring frames).
pub fn upsample(frames: Tensor<3>, hop: usize) -> Tensor<3> {
    let [batch, n_frames, channels] = frames.dims();
    let device = frames.device();
    // Each frame's successor; the last frame is its own.
    let next = Tensor::cat(
        vec![frames.clone().slice_dim(1, 1..n_frames), frames.clone().slice_dim(1, n_frames - 1..n_frames)],
        1,
    );
    let ramp: Vec<f32> = (0..hop).map(|j| j as f32 / hop as f32).collect();
    let rising = Tensor::<1>::from_floats(ramp.as_slice(), &device).reshape([1, 1, hop, 1]);
    let falling = rising.clone().neg().add_scalar(1.0);
    let here = frames.unsqueeze_dim::<4>(2) * falling;
    let there = next.unsqueeze_dim::<4>(2) * rising;
    (here + there).reshape([batch, n_frames * hop, channels])
}

/// The same interpolation on the host, in f64, for one signal of `frames.len() * hop`.
pub fn upsample_host(frames: &[f64], hop: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(frames.len() * hop);
    for (i, &here) in frames.iter().enumerate() {
        let there = frames.get(i + 1).copied().unwrap_or(here);
        out.extend((0..hop).map(|j| here + (there - here) * j as f64 / hop as f64));
    }
    out
}

/// The running phase of oscillators at `multipliers` times the f0 (an FM operator's ratio,
/// a harmonic's number), in radians in `[0, 2 pi)`, `samples x multipliers` row-major.
///
/// The phase is DDSP's cumulative sum, `phi[t] = 2 pi sum_{s <= t} f0[s] / sr`, kept in f64
/// cycles and wrapped after multiplying. DDX7 sums in f32 radians: after 3 s of A4 the sum
/// is 8,294 rad, where f32 resolves 0.001 rad, so each step of 0.17 rad is rounded by up to
/// 0.3% (5 cents of phase jitter, growing with the clip). Wrapping before multiplying would
/// be wrong for a fractional ratio: `sin(r (phi mod 2 pi))` is not `sin(r phi)`.
pub fn phases(f0_frames_hz: &[f64], hop: usize, sr: f64, multipliers: &[f64]) -> Vec<f32> {
    let f0 = upsample_host(f0_frames_hz, hop);
    let mut out = Vec::with_capacity(f0.len() * multipliers.len());
    let mut cycles = 0.0f64;
    for f in f0 {
        cycles += f / sr;
        for &m in multipliers {
            out.push((TAU * (m * cycles).rem_euclid(1.0)) as f32);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsampling_interpolates_then_holds() {
        let device = Device::flex();
        let frames = Tensor::<3>::from_floats([[[0.0], [1.0], [3.0]]], &device);
        let got: Vec<f32> = upsample(frames, 2).into_data().iter::<f32>().collect();
        assert_eq!(got, vec![0.0, 0.5, 1.0, 2.0, 3.0, 3.0]);
        assert_eq!(upsample_host(&[0.0, 1.0, 3.0], 2), vec![0.0, 0.5, 1.0, 2.0, 3.0, 3.0]);
    }

    #[test]
    fn phase_of_a_steady_tone_advances_by_f0_over_sr() {
        // 1 kHz at 16 kHz: a sixteenth of a cycle per sample, half that for ratio 0.5.
        let p = phases(&[1000.0; 4], 4, 16_000.0, &[1.0, 0.5]);
        let step = std::f32::consts::TAU / 16.0;
        assert!((p[0] - step).abs() < 1e-6 && (p[1] - step / 2.0).abs() < 1e-6);
        assert!((p[2 * 15] - 0.0).abs() < 1e-5, "a full cycle after 16 samples: {}", p[30]);
    }
}
