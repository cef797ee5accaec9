//! The FM synthesizer against the closed form of frequency modulation: a carrier at `fc`
//! modulated by a sine at `fm` with index `I` has partials at `fc + k fm` of amplitude
//! `|J_k(I)|` (Bessel functions of the first kind), for every whole `k`.

use burn::prelude::*;
use dl4mir_ddsp::fm::{Algorithm, FmSynth};

const SR: f64 = 16_000.0;

/// `J_k(x)` by its power series (ample for `x <= 4`).
fn bessel_j(k: i32, x: f64) -> f64 {
    let k_abs = k.unsigned_abs() as i32;
    let mut sum = 0.0;
    let mut factorials = (1..=k_abs).map(f64::from).product::<f64>(); // m! (m + k)! at m = 0
    for m in 0..30 {
        if m > 0 {
            factorials *= f64::from(m) * f64::from(m + k_abs);
        }
        let sign = if m % 2 == 0 { 1.0 } else { -1.0 };
        sum += sign * (x / 2.0).powi(2 * m + k_abs) / factorials;
    }
    if k < 0 && k_abs % 2 == 1 { -sum } else { sum }
}

/// Amplitude of the partial at `f` Hz in one second of `y` (a whole number of cycles).
fn partial(y: &[f32], f: f64) -> f64 {
    let (mut re, mut im) = (0.0, 0.0);
    for (t, &v) in y.iter().enumerate() {
        let angle = std::f64::consts::TAU * f * t as f64 / SR;
        re += v as f64 * angle.cos();
        im += v as f64 * angle.sin();
    }
    2.0 * (re * re + im * im).sqrt() / y.len() as f64
}

#[test]
fn two_operators_make_bessel_sidebands() {
    let device = Device::flex();
    // f0 250 Hz; the carrier (OP1) at ratio 8 = 2 kHz, the modulator (OP2) at ratio 1.
    let algorithm = Algorithm::new(vec![vec![1], vec![]], vec![0]).unwrap();
    let synth = FmSynth::new(algorithm, vec![8.0, 1.0]).unwrap();
    let (hop, frames) = (64, 250);
    let samples = hop * frames;
    let phases = synth.phases(&vec![250.0; frames], hop, SR);
    let phases = Tensor::<1>::from_floats(phases.as_slice(), &device).reshape([1, samples, 2]);
    let (amplitude, index) = (0.5, 2.0);
    // A modulator's level is its index in cycles.
    let cycles = index / std::f64::consts::TAU;
    let levels = Tensor::<1>::from_floats([amplitude as f32, cycles as f32], &device)
        .reshape([1, 1, 2])
        .repeat_dim(1, samples);
    let y: Vec<f32> = synth.render(phases, levels).into_data().iter::<f32>().collect();
    assert_eq!(y.len(), samples);
    for k in -4..=4 {
        let expected = amplitude * bessel_j(k, index).abs();
        let measured = partial(&y, 2000.0 + 250.0 * f64::from(k));
        assert!((measured - expected).abs() < 2e-4, "sideband {k}: {measured} vs J_k: {expected}");
    }
    // Nothing between the sidebands.
    assert!(partial(&y, 2125.0) < 1e-4);
}

#[test]
fn bessel_values_are_right() {
    // Tabulated: J0(2) = 0.223891, J1(2) = 0.576725, J2(2) = 0.352834.
    assert!((bessel_j(0, 2.0) - 0.223_890_8).abs() < 1e-6);
    assert!((bessel_j(1, 2.0) - 0.576_724_8).abs() < 1e-6);
    assert!((bessel_j(-1, 2.0) + 0.576_724_8).abs() < 1e-6);
    assert!((bessel_j(2, 2.0) - 0.352_834_0).abs() < 1e-6);
}

#[test]
fn without_modulation_an_operator_is_a_sine() {
    let device = Device::flex();
    let algorithm = Algorithm::new(vec![vec![]], vec![0]).unwrap();
    let synth = FmSynth::new(algorithm, vec![1.0]).unwrap();
    let phases = synth.phases(&[440.0; 4], 64, SR);
    let tensor = Tensor::<1>::from_floats(phases.as_slice(), &device).reshape([1, 256, 1]);
    let y: Vec<f32> =
        synth.render(tensor, Tensor::ones([1, 256, 1], &device)).into_data().iter::<f32>().collect();
    for (t, v) in y.iter().enumerate() {
        let exact = (std::f64::consts::TAU * 440.0 * (t + 1) as f64 / SR).sin();
        assert!((*v as f64 - exact).abs() < 1e-5, "sample {t}: {v} vs {exact}");
    }
}
