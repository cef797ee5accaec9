//! RAVE's PQMF bank: analysis then synthesis gives the signal back (RAVE's design reaches
//! about 60 dB), and each band holds its slice of the spectrum.

use burn::prelude::*;
use dl4mir_ddsp::pqmf::{Pqmf, aliasing_error};

fn white_noise(n: usize) -> Vec<f32> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0
        })
        .collect()
}

/// Signal-to-error ratio in dB of `y` against `x`, away from the zero-padded edges.
fn snr_db(x: &[f32], y: &[f32], edge: usize) -> f64 {
    let (mut signal, mut error) = (0.0f64, 0.0f64);
    for (a, b) in x[edge..x.len() - edge].iter().zip(&y[edge..y.len() - edge]) {
        signal += (*a as f64).powi(2);
        error += (*a as f64 - *b as f64).powi(2);
    }
    10.0 * (signal / error).log10()
}

fn round_trip(bands: usize) -> f64 {
    let device = Device::flex();
    let pqmf = Pqmf::new(100.0, bands).unwrap();
    let n = 16_384;
    let x = white_noise(n);
    let signal = Tensor::<1>::from_floats(x.as_slice(), &device).reshape([1, n]);
    let split = pqmf.analysis(signal);
    assert_eq!(split.dims(), [1, bands, n / bands]);
    let y: Vec<f32> = pqmf.synthesis(split).into_data().iter::<f32>().collect();
    assert_eq!(y.len(), n);
    let snr = snr_db(&x, &y, pqmf.taps());
    println!("{bands} bands, {} taps: {snr:.1} dB", pqmf.taps());
    snr
}

#[test]
fn four_bands_reconstruct_white_noise() {
    let snr = round_trip(4);
    assert!(snr >= 40.0, "4 bands: {snr:.1} dB");
}

#[test]
fn sixteen_bands_reconstruct_white_noise() {
    let snr = round_trip(16);
    assert!(snr >= 40.0, "16 bands: {snr:.1} dB");
}

#[test]
fn a_tone_lands_in_its_band() {
    // 16 bands of 500 Hz at 16 kHz: 1,750 Hz is in band 3.
    let device = Device::flex();
    let pqmf = Pqmf::new(100.0, 16).unwrap();
    let n = 8192;
    let tone: Vec<f32> =
        (0..n).map(|t| (std::f32::consts::TAU * 1750.0 * t as f32 / 16_000.0).sin()).collect();
    let split = pqmf.analysis(Tensor::<1>::from_floats(tone.as_slice(), &device).reshape([1, n]));
    let energy: Vec<f32> = split.powi_scalar(2).sum_dim(2).into_data().iter::<f32>().collect();
    let loudest = (0..16).max_by(|&a, &b| energy[a].total_cmp(&energy[b])).unwrap();
    assert_eq!(loudest, 3, "band energies {energy:?}");
    let total: f32 = energy.iter().sum();
    assert!(energy[3] / total > 0.99, "band 3 holds {:.3} of the energy", energy[3] / total);
}

#[test]
fn the_prototype_cancels_aliasing() {
    let pqmf = Pqmf::new(100.0, 16).unwrap();
    // The searched cut-off is near the band edge pi / 2M, and beats RAVE's starting point.
    let edge = std::f64::consts::PI / 32.0;
    assert!((pqmf.cutoff - edge).abs() < 0.5 * edge, "cut-off {} vs pi/32 = {edge}", pqmf.cutoff);
    assert!(aliasing_error(pqmf.cutoff, 100.0, 16) < aliasing_error(1.0 / 16.0, 100.0, 16));
}

#[test]
fn bad_banks_are_refused() {
    assert!(Pqmf::new(100.0, 6).unwrap_err().to_string().contains("power of two"));
    assert!(Pqmf::new(5.0, 16).unwrap_err().to_string().contains("attenuation"));
}
