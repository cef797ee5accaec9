//! STFT, ISTFT, mel filters, dB conversions and Griffin-Lim against librosa 0.11.

mod common;

use common::*;
use dl4mir_audio::filters::{MelFilterParams, MelNorm, mel};
use dl4mir_audio::*;

fn complex_close(
    ours: &ndarray::Array2<num_complex::Complex32>,
    reference: &ndarray::Array2<num_complex::Complex32>,
    what: &str,
) {
    assert_eq!(ours.dim(), reference.dim(), "{what}: shape");
    let flat = |a: &ndarray::Array2<num_complex::Complex32>| {
        a.iter().flat_map(|c| [c.re, c.im]).collect::<Vec<f32>>()
    };
    assert_close(&flat(ours), &flat(reference), 1e-5, what);
}

#[test]
fn stft_matches_librosa_with_default_parameters() {
    let y = fixture_1d("chirp.input");
    let d = stft(&y, &StftParams::default()).unwrap();
    complex_close(&d, &fixture_complex("chirp.stft"), "stft(chirp)");
}

#[test]
fn stft_matches_librosa_with_short_window_reflect_and_uncentred() {
    let y = fixture_1d("two_tone.input")[..5513].to_vec();
    let cases = [
        (
            "two_tone.stft_512_128_400",
            StftParams { n_fft: 512, hop_length: Some(128), win_length: Some(400), ..Default::default() },
        ),
        (
            "two_tone.stft_reflect",
            StftParams {
                n_fft: 1024,
                hop_length: Some(256),
                pad_mode: PadMode::Reflect,
                ..Default::default()
            },
        ),
        (
            "two_tone.stft_reflect_uncentred",
            StftParams { n_fft: 1024, hop_length: Some(256), center: false, ..Default::default() },
        ),
    ];
    for (name, params) in cases {
        complex_close(&stft(&y, &params).unwrap(), &fixture_complex(name), name);
    }
}

#[test]
fn istft_matches_librosa_and_inverts_stft() {
    let y = fixture_1d("chirp.input");
    let d = fixture_complex("chirp.stft");
    let back = istft(&d, &IstftParams { length: Some(y.len()), ..Default::default() }).unwrap();
    assert_close(&back, &fixture_1d("chirp.istft"), 1e-5, "istft(chirp)");
    assert_close(&back, &y, 1e-5, "round trip");

    let params =
        StftParams { n_fft: 512, hop_length: Some(128), win_length: Some(400), ..Default::default() };
    let back =
        istft(&fixture_complex("two_tone.stft_512_128_400"), &IstftParams::inverting(&params)).unwrap();
    assert_close(&back, &fixture_1d("two_tone.istft_512_128_400"), 1e-5, "istft(two_tone, 512/128/400)");
}

#[test]
fn mel_filter_banks_match_librosa() {
    let cases = [
        (
            "mel_filters.22050_512_40",
            MelFilterParams { sr: 22050, n_fft: 512, n_mels: 40, ..Default::default() },
        ),
        (
            "mel_filters.48000_4096_32_fmax8000",
            MelFilterParams { sr: 48000, n_fft: 4096, n_mels: 32, fmax: Some(8000.0), ..Default::default() },
        ),
        (
            "mel_filters.16000_1024_64_htk_nonorm",
            MelFilterParams {
                sr: 16000,
                n_fft: 1024,
                n_mels: 64,
                htk: true,
                norm: MelNorm::None,
                fmin: 50.0,
                ..Default::default()
            },
        ),
    ];
    for (name, params) in cases {
        assert_close_2d(&mel(&params).unwrap(), &fixture_2d(name), 1e-6, name);
    }
}

#[test]
fn decibels_match_librosa() {
    let y = fixture_1d("chirp.input");
    let s = magnitude(&stft(&y, &StftParams::default()).unwrap());
    let db = amplitude_to_db(&s, &DbParams { reference: Ref::Max, ..DbParams::amplitude() }).unwrap();
    assert_db_close(&db, &fixture_2d("chirp.amplitude_db"), 0.01, "amplitude_to_db(|D|, ref=max)");

    let m = feature::melspectrogram(&y, &feature::MelSpectrogramParams::default()).unwrap();
    let db = power_to_db(&m, &DbParams { reference: Ref::Max, ..Default::default() }).unwrap();
    assert_db_close(&db, &fixture_2d("chirp.mel_db_max"), 0.01, "power_to_db(mel, ref=max)");
}

/// Spectral convergence `||(|STFT(y)| - S)|| / ||S||`: how well a Griffin-Lim estimate fits.
fn spectral_convergence(y: &[f32], s: &ndarray::Array2<f32>) -> f32 {
    let rebuilt = magnitude(&stft(y, &StftParams::default()).unwrap());
    let diff: f32 = rebuilt.iter().zip(s).map(|(a, b)| (a - b).powi(2)).sum::<f32>().sqrt();
    diff / s.iter().map(|x| x * x).sum::<f32>().sqrt()
}

#[test]
fn griffin_lim_from_zero_phase_matches_librosa() {
    // Griffin-Lim amplifies float32 rounding (librosa's own f32 and f64 runs differ by 3e-4
    // after 8 iterations), so the sample-level bar is 1e-3 against librosa in float64.
    let y = fixture_1d("chirp.input");
    let s = magnitude(&fixture_complex("chirp.stft"));
    let params =
        GriffinLimParams { n_iter: 8, init: PhaseInit::Zero, length: Some(y.len()), ..Default::default() };
    assert_close(
        &griffin_lim(&s, &params).unwrap(),
        &fixture_1d("chirp.griffinlim_8_f64"),
        1e-3,
        "griffinlim(n_iter=8, init=None)",
    );

    // At the default 32 iterations, the fit must be as good as librosa's (within 5%).
    let ours = griffin_lim(&s, &GriffinLimParams { n_iter: 32, ..params }).unwrap();
    let reference = scalar("griffinlim_32_spectral_convergence") as f32;
    let fit = spectral_convergence(&ours, &s);
    assert!(fit <= reference * 1.05, "spectral convergence {fit} vs librosa's {reference}");
}

#[test]
fn griffin_lim_is_deterministic_and_rebuilds_the_magnitude() {
    let y = fixture_1d("chirp.input");
    let s = magnitude(&stft(&y, &StftParams::default()).unwrap());
    let params = GriffinLimParams { length: Some(y.len()), ..Default::default() };
    let a = griffin_lim(&s, &params).unwrap();
    assert_eq!(a, griffin_lim(&s, &params).unwrap(), "same seed, same sound");
    // A random start fits a little worse than zero phase for a chirp, but must still converge.
    let fit = spectral_convergence(&a, &s);
    assert!(fit < 0.2, "spectral convergence {fit}");
    assert_ne!(
        a,
        griffin_lim(&s, &GriffinLimParams { init: PhaseInit::Random { seed: 1 }, ..params }).unwrap()
    );
}
