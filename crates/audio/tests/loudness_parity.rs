//! `a_weighting` against `librosa.A_weighting` and `frame_loudness` against DDX7's
//! `calc_loudness` (DDSP 1.x), from `fixtures/make_loudness_fixtures.py` (librosa 0.11.0).
//!
//! The curve agrees to 1e-9 dB relative in f64 (stored as f32: 1e-6). Loudness is a mean of
//! 1025 dB values computed from an f32 STFT on both sides: agreement to 2e-3 dB.

mod common;
use common::*;
use dl4mir_audio::{LoadParams, LoudnessParams, a_weighting, frame_loudness, load};

fn assert_close(ours: &[f32], reference: &[f32], tolerance: f32, what: &str) {
    assert_eq!(ours.len(), reference.len(), "{what}: {} values vs {}", ours.len(), reference.len());
    let worst = ours.iter().zip(reference).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
    assert!(worst <= tolerance, "{what}: worst difference {worst:e} > {tolerance:e}");
}

/// The bins of a 2048-point FFT at 16 kHz, in Hz.
fn bins() -> Vec<f64> {
    (0..=1024).map(|k| k as f64 * 16_000.0 / 2048.0).collect()
}

#[test]
fn a_weighting_matches_librosa() {
    let ours: Vec<f32> = a_weighting(&bins(), Some(-80.0)).iter().map(|&v| v as f32).collect();
    assert_close(&ours, &fixture_1d("a_weighting.16000_2048"), 1e-4, "clamped at -80 dB");
    let unclamped: Vec<f32> = a_weighting(&bins()[1..], None).iter().map(|&v| v as f32).collect();
    assert_close(&unclamped, &fixture_1d("a_weighting.16000_2048_unclamped"), 1e-4, "unclamped");
    // The curve's defining points: 0 dB at 1 kHz (to 0.01 dB), -inf at 0 Hz unclamped.
    assert!(a_weighting(&[1000.0], None)[0].abs() < 0.01);
    assert_eq!(a_weighting(&[0.0], None)[0], f64::NEG_INFINITY);
}

#[test]
fn loudness_of_a_pluck_matches_ddx7() {
    let y = fixture_1d("pluck16k.input");
    let ours = frame_loudness(&y, &LoudnessParams::default()).unwrap();
    // ceil(12000 / 64) = 188 frames.
    assert_eq!(ours.len(), 188);
    assert_close(&ours, &fixture_1d("pluck16k.loudness"), 2e-3, "pluck at 16 kHz");
}

#[test]
fn loudness_of_a_real_recording_matches_ddx7() {
    let native = LoadParams { sr: None, ..Default::default() };
    let (y, sr) = load(shared_sample("Clean/Middle/6-22.wav"), &native).unwrap();
    assert_eq!(sr, 48_000);
    let peak = y.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let y: Vec<f32> = y.iter().map(|v| v / peak).collect();
    let params = LoudnessParams { sr, hop_length: 192, ..Default::default() };
    let ours = frame_loudness(&y, &params).unwrap();
    assert_close(&ours, &fixture_1d("clean_middle_6_22.loudness_48000"), 2e-3, "real, 48 kHz");
}

#[test]
fn bad_settings_are_refused_with_the_cause() {
    let y = vec![0.1f32; 1000];
    let zero_hop = LoudnessParams { hop_length: 0, ..Default::default() };
    let message = frame_loudness(&y, &zero_hop).unwrap_err().to_string();
    assert!(message.contains("hop_length"), "{message}");
    let message = frame_loudness(&[], &LoudnessParams::default()).unwrap_err().to_string();
    assert!(message.contains("empty"), "{message}");
}
