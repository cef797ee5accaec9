//! For the guest talk (Elena Georgieva, "Total variation in vocals over time"): how much a
//! feature moves over time.

// ANCHOR: total_variation
/// The total variation of a trajectory, `Σ |x[t+1] - x[t]|`: every rise and fall counted,
/// however small. A steady note scores low; vibrato, or a chorus pedal's wobble, high.
pub fn total_variation(trajectory: &[f64]) -> f64 {
    trajectory.windows(2).map(|w| (w[1] - w[0]).abs()).sum()
}

/// A spectral-centroid trajectory in semitones relative to 440 Hz, so that a change is
/// heard the same at any pitch: `12 log2(f / 440)`.
pub fn centroid_semitones(y: &[f32], sr: u32) -> anyhow::Result<Vec<f64>> {
    use dl4mir_audio::feature::{SpectralParams, spectral_centroid};
    let centroid = spectral_centroid(y, &SpectralParams { sr, ..Default::default() })?;
    Ok(centroid.iter().map(|&f| 12.0 * (f.max(1.0) as f64 / 440.0).log2()).collect())
}
// ANCHOR_END: total_variation

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_and_down_count_and_a_constant_is_zero() {
        assert_eq!(total_variation(&[1.0, 3.0, 2.0, 2.0, 5.0]), 2.0 + 1.0 + 0.0 + 3.0);
        assert_eq!(total_variation(&[4.0; 10]), 0.0);
        assert_eq!(total_variation(&[]), 0.0);
    }
}
