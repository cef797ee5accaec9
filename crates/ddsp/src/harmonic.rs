//! DDSP's harmonic-plus-filtered-noise synthesizer (Engel et al., ICLR 2020), the baseline
//! DDX7 compares against: a sum of harmonics of the f0 with learned amplitudes, plus white
//! noise through a learned time-varying filter.

use burn::prelude::*;
use burn::signal::{StftOptions, hann_window, istft, stft};

/// `[batch, frames, harmonics]` mask: 1 where harmonic `k` of the frame's f0 lies below the
/// Nyquist frequency, else 0 (DDSP's `remove_above_nyquist`). `f0_hz` is `batch x frames`
/// row-major.
pub fn below_nyquist(
    f0_hz: &[f64],
    shape: [usize; 2],
    harmonics: usize,
    sr: f64,
    device: &Device,
) -> Tensor<3> {
    let [batch, frames] = shape;
    assert_eq!(f0_hz.len(), batch * frames, "one f0 per frame");
    let mask: Vec<f32> = f0_hz
        .iter()
        .flat_map(|&f| (1..=harmonics).map(move |k| if (k as f64) * f < sr / 2.0 { 1.0 } else { 0.0 }))
        .collect();
    Tensor::<1>::from_floats(mask.as_slice(), device).reshape([batch, frames, harmonics])
}

/// DDSP's amplitudes: an overall amplitude `[batch, frames, 1]` shared out by a distribution
/// `[batch, frames, harmonics]` (non-negative) over the harmonics that the `mask` keeps,
/// renormalised so that removing harmonics above Nyquist does not lower the level.
pub fn harmonic_amplitudes(overall: Tensor<3>, distribution: Tensor<3>, mask: Tensor<3>) -> Tensor<3> {
    let kept = distribution * mask;
    let total = kept.clone().sum_dim(2).add_scalar(1e-7);
    kept / total * overall
}

/// Sum of harmonics: `sum_k a_k[t] sin(k phi[t])` for the fundamental's phase `[batch,
/// samples]` (wrapped: `k` is a whole number, so `sin(k phi)` is exact) and amplitudes
/// `[batch, samples, harmonics]` at audio rate.
pub fn harmonics(phase: Tensor<2>, amplitudes: Tensor<3>) -> Tensor<2> {
    let [_, _, n] = amplitudes.dims();
    let numbers: Vec<f32> = (1..=n).map(|k| k as f32).collect();
    let numbers = Tensor::<1>::from_floats(numbers.as_slice(), &phase.device()).reshape([1, 1, n]);
    let arguments = phase.unsqueeze_dim::<3>(2) * numbers;
    (arguments.sin() * amplitudes).sum_dim(2).squeeze_dim::<2>(2)
}

/// White noise `[batch, samples]` through a filter whose magnitude response is given per
/// frame, `[batch, frames, bins]` with `bins = n_fft / 2 + 1` (DDSP's 65 bands: `n_fft` 128),
/// frame `i` at sample `i * hop`.
///
/// DDSP turns each frame's magnitudes into a windowed linear-phase impulse response and
/// convolves it with that frame of noise. Here the noise's STFT (Hann, `n_fft`, `hop`) is
/// multiplied by the magnitudes and overlap-added back (burn's `istft`): the same
/// time-varying filter in the frequency domain, without DDSP's windowing of the response.
/// `hop` must be at most `n_fft`.
pub fn filtered_noise(noise: Tensor<2>, magnitudes: Tensor<3>, hop: usize) -> Tensor<2> {
    let [_, samples] = noise.dims();
    let [_, frames, bins] = magnitudes.dims();
    let n_fft = 2 * (bins - 1);
    let options = StftOptions { hop_length: hop, ..StftOptions::new(n_fft) };
    let device = noise.device();
    let dtype = noise.dtype();
    let window = || hann_window(n_fft, true, &device).cast(dtype);
    let spectrum = stft(noise, Some(window()), options);
    let [_, stft_frames, _, _] = spectrum.dims();
    // Centred frames: one more than the controls when samples = frames * hop; hold the last.
    let magnitudes = if stft_frames > frames {
        let last = magnitudes.clone().slice_dim(1, frames - 1..frames);
        Tensor::cat(vec![magnitudes, last.repeat_dim(1, stft_frames - frames)], 1)
    } else {
        magnitudes.slice_dim(1, 0..stft_frames)
    };
    let filtered = spectrum * magnitudes.unsqueeze_dim::<4>(3);
    istft(filtered, Some(window()), Some(samples), options)
}

/// A band-limited sawtooth at a steady `f0_hz`, `samples` long, on the host: every harmonic
/// below the Nyquist frequency at amplitude `2 / (pi k)` (the sawtooth's Fourier series, so
/// its peak is about 1), none above it (no aliasing). The richest harmonic source there is,
/// for a network that shapes a known pitch rather than finding it.
pub fn sawtooth(f0_hz: f64, samples: usize, sr: f64) -> Vec<f32> {
    assert!(f0_hz > 0.0 && f0_hz.is_finite(), "a sawtooth needs a positive f0, not {f0_hz}");
    let phase = crate::control::phases(&[f0_hz], samples, sr, &[1.0]);
    let kept: Vec<f64> = (1..).map(f64::from).take_while(|k| k * f0_hz < sr / 2.0).collect();
    phase
        .iter()
        .map(|&phi| {
            let phi = phi as f64;
            let sum: f64 = kept.iter().map(|k| (k * phi).sin() / k).sum();
            (sum * 2.0 / std::f64::consts::PI) as f32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sawtooth_has_every_harmonic_below_nyquist_at_one_over_k_and_none_above() {
        // f0 1 kHz at 16 kHz: one period is 16 samples, harmonics 1 to 7 lie below 8 kHz.
        let saw = sawtooth(1000.0, 160, 16_000.0);
        let amplitude = |k: usize| {
            let (mut re, mut im) = (0.0f64, 0.0f64);
            for (t, &v) in saw.iter().enumerate() {
                let angle = std::f64::consts::TAU * (k * t) as f64 / 16.0;
                re += v as f64 * angle.cos();
                im += v as f64 * angle.sin();
            }
            2.0 * (re * re + im * im).sqrt() / saw.len() as f64
        };
        for k in 1..=7 {
            let expected = 2.0 / (std::f64::consts::PI * k as f64);
            assert!((amplitude(k) - expected).abs() < 1e-4, "harmonic {k}: {} not {expected}", amplitude(k));
        }
        assert!(amplitude(8) < 1e-4, "energy at the Nyquist frequency: {}", amplitude(8));
    }

    #[test]
    fn harmonics_above_nyquist_are_removed_and_the_rest_renormalised() {
        let device = Device::flex();
        // f0 3 kHz at 16 kHz: harmonics 1 and 2 are below 8 kHz, 3 is not.
        let mask = below_nyquist(&[3000.0], [1, 1], 3, 16_000.0, &device);
        let got: Vec<f32> = mask.clone().into_data().iter::<f32>().collect();
        assert_eq!(got, vec![1.0, 1.0, 0.0]);
        let overall = Tensor::<3>::from_floats([[[0.5]]], &device);
        let distribution = Tensor::<3>::from_floats([[[1.0, 3.0, 4.0]]], &device);
        let a: Vec<f32> =
            harmonic_amplitudes(overall, distribution, mask).into_data().iter::<f32>().collect();
        assert!((a[0] - 0.125).abs() < 1e-6 && (a[1] - 0.375).abs() < 1e-6 && a[2] == 0.0, "{a:?}");
    }

    #[test]
    fn an_all_pass_filter_returns_the_noise() {
        let device = Device::flex();
        let values: Vec<f32> = (0..1024).map(|i| ((i * 7919 % 1000) as f32 / 500.0) - 1.0).collect();
        let noise = Tensor::<1>::from_floats(values.as_slice(), &device).reshape([1, 1024]);
        let flat = Tensor::<3>::ones([1, 16, 65], &device);
        let out: Vec<f32> = filtered_noise(noise, flat, 64).into_data().iter::<f32>().collect();
        let worst = out.iter().zip(&values).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
        assert!(worst < 1e-4, "an all-pass filter changed the noise by {worst}");
    }
}
