//! A map of the latent space: the codes' means projected on their first two principal
//! components (Day 1's PCA, here through dl4mir-linalg's eigensolver).

use ndarray::{Array2, Axis};

/// `[n, latent]` means -> `n` points `(pc1, pc2)` and the share of variance the two keep.
pub fn first_two_components(means: &Array2<f64>) -> anyhow::Result<(Vec<(f64, f64)>, f64)> {
    let n = means.nrows().max(2) as f64;
    let centred = means - &means.mean_axis(Axis(0)).expect("at least one code");
    let covariance = centred.t().dot(&centred) / (n - 1.0);
    let (values, vectors) = dl4mir_linalg::symmetric_eigen(&covariance)?;
    let projected = centred.dot(&vectors.slice(ndarray::s![.., 0..2]));
    let points = projected.rows().into_iter().map(|r| (r[0], r[1])).collect();
    let total: f64 = values.iter().sum();
    Ok((points, if total > 0.0 { (values[0] + values[1]) / total } else { 0.0 }))
}

/// The threshold of an active dimension: the variance across notes of its mean code.
pub const ACTIVE_VARIANCE: f64 = 0.01;

/// Dimensions the codes actually use: those whose mean varies across notes by more than
/// [`ACTIVE_VARIANCE`] (Burda et al., 2016). The KL term pushes every other one onto the
/// prior, where it carries nothing about the note.
pub fn active_dimensions(means: &Array2<f64>) -> usize {
    means.var_axis(Axis(0), 0.0).iter().filter(|&&v| v > ACTIVE_VARIANCE).count()
}

/// Pearson correlation of two equally long lists.
pub fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let (va, vb): (f64, f64) =
        (a.iter().map(|x| (x - ma).powi(2)).sum(), b.iter().map(|y| (y - mb).powi(2)).sum());
    if va > 0.0 && vb > 0.0 { cov / (va * vb).sqrt() } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_along_a_line_keep_all_their_variance_in_pc1() {
        let means =
            Array2::from_shape_fn((10, 4), |(i, j)| i as f64 * [1.0, 2.0, 0.0, -1.0][j]);
        let (points, kept) = first_two_components(&means).unwrap();
        assert!((kept - 1.0).abs() < 1e-9);
        assert!(points.iter().all(|p| p.1.abs() < 1e-9));
    }
}
