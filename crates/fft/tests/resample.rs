//! The resampler through the public API (an integration test, for the reason in plans.rs).

use dl4mir_fft::{ResampleError, resample_f64};

#[test]
fn output_length_follows_the_rate_ratio() {
    let y: Vec<f64> = (0..4800).map(|i| (i as f64 * 0.01).sin()).collect();
    let out = resample_f64(&y, 48_000, 8_000, 2400).unwrap();
    assert_eq!(out.len(), 800);
}

#[test]
fn a_zero_chunk_is_refused_at_setup() {
    assert!(matches!(resample_f64(&[0.0; 100], 3, 2, 0), Err(ResampleError::Setup(_))));
}
