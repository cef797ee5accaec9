//! How far apart two spectrograms are, on the ear's log scale (Days 4 and 6).

use crate::error::{Error, Result, same_length};

// ANCHOR: lsd
/// Log-spectral distance in dB between two spectrograms given in dB, each flattened
/// `bins x frames` (row `k` is bin `k`): per frame the root mean square over frequency of
/// the difference, then the mean over frames. Both sides are floored at `floor_db` first
/// (the labs use 80 dB below the reference's peak), so that silence costs at most that
/// much, however exactly a model outputs zero.
pub fn log_spectral_distance(
    reference_db: &[f32],
    estimate_db: &[f32],
    bins: usize,
    floor_db: f32,
) -> Result<f64> {
    same_length("log_spectral_distance", reference_db.len(), estimate_db.len())?;
    if bins == 0 || !reference_db.len().is_multiple_of(bins) {
        return Err(Error::Parameter(format!(
            "log_spectral_distance: {} values are not whole frames of {bins} bins",
            reference_db.len()
        )));
    }
    let frames = reference_db.len() / bins;
    let at = |x: &[f32], k: usize, t: usize| x[k * frames + t].max(floor_db) as f64;
    let per_frame = (0..frames).map(|t| {
        let difference = |k| at(reference_db, k, t) - at(estimate_db, k, t);
        let square: f64 = (0..bins).map(|k| difference(k).powi(2)).sum();
        (square / bins as f64).sqrt()
    });
    Ok(per_frame.sum::<f64>() / frames as f64)
}
// ANCHOR_END: lsd

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lsd_is_the_rms_db_difference_per_frame_after_the_floor() {
        // Two bins, three frames; a constant 3 dB apart.
        let a = [-10.0f32; 6];
        let b = [-13.0f32; 6];
        assert!((log_spectral_distance(&a, &b, 2, -80.0).unwrap() - 3.0).abs() < 1e-12);
        let silence = [-200.0f32; 6];
        let floored = log_spectral_distance(&a, &silence, 2, -80.0).unwrap();
        assert!((floored - 70.0).abs() < 1e-12, "{floored}");
        // One frame off by 4 dB in one bin of two: sqrt(16 / 2), then the mean of 3 frames.
        let mut c = a;
        c[1] = -14.0; // bin 0, frame 1
        let one = log_spectral_distance(&a, &c, 2, -80.0).unwrap();
        assert!((one - 8f64.sqrt() / 3.0).abs() < 1e-12, "{one}");
    }

    #[test]
    fn ragged_or_mismatched_inputs_are_refused() {
        assert!(log_spectral_distance(&[0.0; 6], &[0.0; 4], 2, -80.0).is_err());
        let err = log_spectral_distance(&[0.0; 6], &[0.0; 6], 4, -80.0).unwrap_err();
        assert!(err.to_string().contains("not whole frames of 4 bins"), "{err}");
    }
}
