//! The multi-resolution loss's gradient, from burn's autodiff through `burn::signal::stft`,
//! against central finite differences of the loss itself, on a tiny input.

use burn::prelude::*;
use burn::tensor::DType;
use dl4mir_ddsp::loss::{MultiResolution, Terms};

/// A smooth test sound of three partials, a different one per seed.
fn signal(seed: u64, n: usize) -> Vec<f64> {
    let (s, gain) = (seed as f64, 1.0 + 0.7 * seed as f64);
    (0..n)
        .map(|i| {
            let t = i as f64 * (1.0 + 0.13 * s);
            gain * (0.5 * (0.21 * t + s).sin()
                + 0.3 * (0.57 * t + 2.0 * s).sin()
                + 0.2 * (1.33 * t + 0.5 * s).sin())
        })
        .collect()
}

/// `[1, n]` in f64 on `device`.
fn tensor(values: &[f64], device: &Device) -> Tensor<2> {
    Tensor::<2>::from_data(TensorData::new(values.to_vec(), [1, values.len()]), device).cast(DType::F64)
}

/// Autodiff against central differences at every sample, in f64: an L1 loss of log
/// magnitudes has kinks and sharp bends (a bin where both magnitudes are equal, or one is
/// near zero), and only a step far smaller than f32 allows keeps the difference from
/// straddling one.
fn check_gradient(loss: &MultiResolution) {
    let n = 128;
    let device = Device::flex().autodiff();
    let (x, target) = (signal(1, n), signal(2, n));
    let value = |values: &[f64]| -> f64 {
        loss.loss(tensor(values, &device), tensor(&target, &device)).into_scalar::<f64>()
    };
    let p = tensor(&x, &device).require_grad();
    let grads = loss.loss(p.clone(), tensor(&target, &device)).backward();
    let analytic: Vec<f64> = p.grad(&grads).expect("a gradient").into_data().iter::<f64>().collect();
    // The step: at 1e-4 the difference straddles the log's bends (bins near zero
    // magnitude), at 1e-6 burn's FFT rounding shows (2%); 1e-5 sits between.
    let h = 1e-5;
    let (mut difference, mut norm) = (0.0f64, 0.0f64);
    for i in 0..n {
        let (mut up, mut down) = (x.clone(), x.clone());
        up[i] += h;
        down[i] -= h;
        let numeric = (value(&up) - value(&down)) / (2.0 * h);
        difference += (numeric - analytic[i]).powi(2);
        norm += numeric.powi(2);
    }
    let relative = (difference / norm).sqrt();
    // Measured: 7e-3 for both losses. A wrong gradient (a missing term, a misplaced frame)
    // is off by its whole size.
    assert!(
        relative < 2e-2,
        "{:?}: autodiff and finite differences differ by {relative:e} (relative L2)",
        loss.terms
    );
}

#[test]
fn ddsp_loss_gradient_matches_finite_differences() {
    check_gradient(&MultiResolution { fft_sizes: vec![64, 32, 16], ..MultiResolution::ddx7() });
}

#[test]
fn rave_loss_gradient_matches_finite_differences() {
    let rave = MultiResolution { fft_sizes: vec![64, 32], ..MultiResolution::rave() };
    assert_eq!(rave.terms, Terms::ConvergenceAndLog);
    check_gradient(&rave);
}

#[test]
fn identical_sounds_cost_nothing_and_different_ones_do() {
    let device = Device::flex();
    let loss = MultiResolution::ddx7();
    loss.check(4096).unwrap();
    let (a, b) = (tensor(&signal(3, 4096), &device), tensor(&signal(4, 4096), &device));
    let (a, b) = (a.cast(DType::F32), b.cast(DType::F32));
    assert!(loss.loss(a.clone(), a.clone()).into_scalar::<f32>().abs() < 1e-6);
    assert!(loss.loss(a, b).into_scalar::<f32>() > 0.1);
}

#[test]
fn short_signals_and_odd_sizes_are_refused() {
    let message = MultiResolution::ddx7().check(1000).unwrap_err().to_string();
    assert!(message.contains("too short") && message.contains("2048"), "{message}");
    let odd = MultiResolution { fft_sizes: vec![1000], ..MultiResolution::ddx7() };
    assert!(odd.check(4096).unwrap_err().to_string().contains("power of two"));
}
