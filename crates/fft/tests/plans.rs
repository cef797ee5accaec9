//! The plans through the public API: as an integration test it links the compiled library
//! (a unit test would compile rustfft's generics a second time, 40 s at opt-level 3).

use dl4mir_fft::num_complex::Complex32;
use dl4mir_fft::{complex_forward, forward, inverse};
use std::sync::Arc;

#[test]
fn forward_then_inverse_returns_n_times_the_input() {
    let n = 12;
    let x: Vec<f64> = (0..n).map(|i| (i * 7 % 5) as f64 - 2.0).collect();
    let mut input = x.clone();
    let mut spectrum = forward::<f64>(n).make_output_vec();
    forward::<f64>(n).process(&mut input, &mut spectrum).unwrap();
    let mut back = vec![0.0; n];
    inverse::<f64>(n).process(&mut spectrum, &mut back).unwrap();
    for (a, b) in x.iter().zip(&back) {
        assert!((a * n as f64 - b).abs() < 1e-12);
    }
}

#[test]
fn complex_forward_of_an_impulse_is_flat() {
    let mut buffer = vec![Complex32::default(); 6];
    buffer[0] = Complex32::new(1.0, 0.0);
    complex_forward(6).process(&mut buffer);
    assert!(buffer.iter().all(|c| (c.re - 1.0).abs() < 1e-6 && c.im.abs() < 1e-6));
}

#[test]
fn plans_are_cached_per_size() {
    assert!(Arc::ptr_eq(&forward::<f32>(64), &forward::<f32>(64)));
}
