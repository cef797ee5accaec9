//! What the parity tests share with their fixture scripts (`fixtures/lcg.py`).

/// Uniform in [-0.5, 0.5): `x <- (1664525 x + 1013904223) mod 2^32` from `seed`, the
/// scripts' generator, so that a test remakes their signals instead of reading them.
pub fn lcg_noise(seed: u64, n: usize) -> Vec<f64> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = (1664525 * x + 1013904223) % (1 << 32);
            x as f64 / (1u64 << 32) as f64 - 0.5
        })
        .collect()
}
