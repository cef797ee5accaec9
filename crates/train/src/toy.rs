//! Toy data made from the seed, for the example and a new lab's first run: no dataset
//! needed, and a problem a small model learns in seconds.

use rand_chacha::ChaCha8Rng;
use rand_core::Rng;

/// `n` points in `dims` dimensions from `classes` Gaussian blobs (unit variance; blob `c`
/// is shifted by 1.5 in the dimensions `d` with `d % classes == c`). Returns the features,
/// row-major `[n, dims]`, and each point's class (`i % classes`).
pub fn gaussian_blobs(n: usize, dims: usize, classes: usize, rng: &mut ChaCha8Rng) -> (Vec<f32>, Vec<usize>) {
    let mut features = Vec::with_capacity(n * dims);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let class = i % classes;
        for d in 0..dims {
            let centre = if d % classes == class { 1.5 } else { 0.0 };
            features.push(centre + standard_normal(rng));
        }
        labels.push(class);
    }
    (features, labels)
}

/// One draw from N(0, 1) by the Box-Muller transform of two uniforms.
pub fn standard_normal(rng: &mut ChaCha8Rng) -> f32 {
    let uniform = |rng: &mut ChaCha8Rng| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let (u1, u2) = (uniform(rng), uniform(rng));
    ((-2.0 * (u1 + 1e-12).ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()) as f32
}
