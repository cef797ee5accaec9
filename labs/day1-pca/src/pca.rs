//! Principal component analysis, twice: as the eigenvectors of the covariance matrix
//! (found by power iteration, written out here), and as the SVD of the data (what
//! scikit-learn's `PCA` does). The two must agree up to the sign of each component.

use ndarray::{Array1, Array2, Axis};
use rand_chacha::ChaCha8Rng;
use rand_core::Rng;

// ANCHOR: standardise
/// Each column (feature) shifted to mean 0 and scaled to standard deviation 1, as
/// scikit-learn's `StandardScaler` (population standard deviation). A constant column
/// carries no information; it is left at 0 instead of dividing by zero.
pub fn standardise(x: &Array2<f64>) -> Array2<f64> {
    standardise_like(x, x)
}

/// `x` shifted and scaled by the means and standard deviations of `reference`'s columns:
/// held-out notes are standardised with what the training notes measured, never their own.
pub fn standardise_like(x: &Array2<f64>, reference: &Array2<f64>) -> Array2<f64> {
    let mean = reference.mean_axis(Axis(0)).expect("at least one row");
    let std = reference.std_axis(Axis(0), 0.0).mapv(|s| if s > 1e-12 { s } else { 1.0 });
    (x - &mean) / &std
}

/// The covariance matrix of standardised data `z` (`[n, d]`): `C = zᵀ z / (n - 1)`,
/// `d x d`. Entry `(i, j)` is how features `i` and `j` vary together.
pub fn covariance(z: &Array2<f64>) -> anyhow::Result<Array2<f64>> {
    let n = z.nrows() as f64;
    Ok(dl4mir_linalg::matmul(&z.t().to_owned(), z)? / (n - 1.0))
}
// ANCHOR_END: standardise

/// An eigenvalue, its unit eigenvector and how many iterations finding it took.
#[derive(Debug, Clone)]
pub struct EigenPair {
    pub value: f64,
    pub vector: Array1<f64>,
    pub iterations: usize,
}

// ANCHOR: power_iteration
/// The `k` largest eigenpairs of a symmetric positive semi-definite matrix `c`, by power
/// iteration with deflation.
///
/// Multiplying any vector by `c` again and again stretches it most along the eigenvector
/// of the largest eigenvalue, so after normalising it turns towards that eigenvector. To
/// find the next one, the found directions are taken out of `c` (deflation:
/// `c - λ v vᵀ`, applied to the vector rather than built as a matrix).
///
/// Why power iteration and not Jacobi or QR: PCA needs a handful of the 2,001 components,
/// and each step here is one matrix-vector product; Jacobi would rotate the whole
/// 2,001 x 2,001 matrix many times to find all of them.
pub fn top_eigenpairs(
    c: &Array2<f64>,
    k: usize,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<Vec<EigenPair>> {
    const MAX_ITERATIONS: usize = 3_000;
    const TOLERANCE: f64 = 1e-10;
    let mut found: Vec<EigenPair> = Vec::new();
    for _ in 0..k.min(c.nrows()) {
        // A random start: it has some component along every eigenvector.
        let mut v = unit(Array1::from_shape_fn(c.nrows(), |_| {
            (rng.next_u32() as f64 / u32::MAX as f64) - 0.5
        }));
        let mut iterations = 0;
        while iterations < MAX_ITERATIONS {
            iterations += 1;
            let mut w = dl4mir_linalg::matvec(c, &v)?;
            for pair in &found {
                // Deflation: (c - λ u uᵀ) v = c v - λ (u · v) u
                w.scaled_add(-pair.value * pair.vector.dot(&v), &pair.vector);
            }
            let w = unit(w);
            let change = (&w - &v).mapv(f64::abs).sum();
            v = w;
            if change < TOLERANCE * v.len() as f64 {
                break;
            }
        }
        // The Rayleigh quotient vᵀ c v is the eigenvalue of a unit eigenvector v.
        let value = v.dot(&dl4mir_linalg::matvec(c, &v)?);
        found.push(EigenPair { value, vector: v, iterations });
    }
    Ok(found)
}

fn unit(v: Array1<f64>) -> Array1<f64> {
    let norm = v.dot(&v).sqrt();
    if norm > 0.0 { v / norm } else { v }
}
// ANCHOR_END: power_iteration

// ANCHOR: svd
/// PCA the way scikit-learn computes it: the SVD `z = U S Vᵀ` of the standardised data.
/// The columns of `V` are the principal directions, and the variance along each is
/// `s² / (n - 1)`, because `zᵀ z / (n - 1) = V (S² / (n - 1)) Vᵀ`: the same eigenvectors
/// and eigenvalues as the covariance matrix, without ever forming it.
pub fn pca_by_svd(z: &Array2<f64>, k: usize) -> anyhow::Result<Vec<(f64, Array1<f64>)>> {
    let (_u, s, v) = dl4mir_linalg::thin_svd(z)?;
    let n = z.nrows() as f64;
    Ok((0..k.min(s.len()))
        .map(|i| (s[i] * s[i] / (n - 1.0), v.column(i).to_owned()))
        .collect())
}
// ANCHOR_END: svd

/// How far two lists of components are apart: the largest relative difference of their
/// variances, and the smallest `|cos|` between matching directions (1 = the same line;
/// the sign of an eigenvector is arbitrary, so `v` and `-v` count as equal).
pub fn agreement(a: &[(f64, Array1<f64>)], b: &[(f64, Array1<f64>)]) -> (f64, f64) {
    let mut worst_value: f64 = 0.0;
    let mut worst_cosine: f64 = 1.0;
    for ((va, ua), (vb, ub)) in a.iter().zip(b) {
        worst_value = worst_value.max((va - vb).abs() / va.abs().max(vb.abs()).max(1e-300));
        worst_cosine = worst_cosine.min(ua.dot(ub).abs());
    }
    (worst_value, worst_cosine)
}

// ANCHOR: project
/// Each row of `z` described by its coordinates along the first two components.
pub fn project_2d(
    z: &Array2<f64>,
    first: &Array1<f64>,
    second: &Array1<f64>,
) -> Vec<(f64, f64)> {
    let along_first = dl4mir_linalg::matvec(z, first).expect("shapes agree");
    let along_second = dl4mir_linalg::matvec(z, second).expect("shapes agree");
    along_first.iter().zip(along_second.iter()).map(|(&a, &b)| (a, b)).collect()
}
// ANCHOR_END: project

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng;

    /// Correlated data with known structure: 3 features driven by 2 hidden sources.
    fn toy() -> Array2<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut noise = move || (rng.next_u32() as f64 / u32::MAX as f64) - 0.5;
        let values: Vec<f64> = (0..200)
            .flat_map(|_| {
                let (s1, s2) = (noise() * 4.0, noise());
                [s1 + 0.1 * noise(), s1 + s2, s2 - 0.2 * noise()]
            })
            .collect();
        Array2::from_shape_vec((200, 3), values).unwrap()
    }

    #[test]
    fn power_iteration_matches_the_library_eigensolver() {
        let z = standardise(&toy());
        let c = covariance(&z).unwrap();
        let mine = top_eigenpairs(&c, 3, &mut ChaCha8Rng::seed_from_u64(7)).unwrap();
        let (values, vectors) = dl4mir_linalg::symmetric_eigen(&c).unwrap();
        let library: Vec<_> =
            (0..3).map(|k| (values[k], vectors.column(k).to_owned())).collect();
        let mine: Vec<_> = mine.into_iter().map(|p| (p.value, p.vector)).collect();
        let (value_diff, cosine) = agreement(&mine, &library);
        assert!(value_diff < 1e-8, "eigenvalues differ by {value_diff}");
        assert!(cosine > 1.0 - 1e-8, "eigenvectors differ: |cos| = {cosine}");
    }

    #[test]
    fn svd_gives_the_covariance_eigenvectors() {
        let z = standardise(&toy());
        let c = covariance(&z).unwrap();
        let mine: Vec<_> = top_eigenpairs(&c, 3, &mut ChaCha8Rng::seed_from_u64(7))
            .unwrap()
            .into_iter()
            .map(|p| (p.value, p.vector))
            .collect();
        let (value_diff, cosine) = agreement(&mine, &pca_by_svd(&z, 3).unwrap());
        assert!(value_diff < 1e-8 && cosine > 1.0 - 1e-8, "{value_diff} {cosine}");
    }

    #[test]
    fn standardised_columns_have_mean_0_and_std_1_and_a_constant_column_stays_finite() {
        let mut x = toy();
        x.column_mut(2).fill(5.0);
        let z = standardise(&x);
        for j in 0..2 {
            assert!(z.column(j).mean().unwrap().abs() < 1e-12);
            assert!((z.column(j).std(0.0) - 1.0).abs() < 1e-12);
        }
        assert!(z.column(2).iter().all(|&v| v == 0.0));
    }
}
